"""coursepack.archive's writers: the course tarball's gzip stream, written in pieces
(``tar_gz_bytes``), holds exactly the tar that ``tarfile`` writes and every gzip reader reads it;
``write_if_changed`` leaves an unchanged file alone and never changes bytes under a reader."""
from __future__ import annotations

import gzip
import io
import shutil
import subprocess
import tarfile

import pytest

from coursepack import archive


def tarfile_tar(files: dict[str, bytes], top: str, mtime: int, dirs=()) -> bytes:
    """The same entries written by ``tarfile`` itself, uncompressed."""
    folders = {top} | {f"{top}/{d}" for d in dirs}
    folders |= {f"{top}/{'/'.join(p.split('/')[:i])}" for p in files for i in range(1, p.count("/") + 1)}
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name, data in sorted([(d, None) for d in folders] + [(f"{top}/{p}", v) for p, v in files.items()]):
            info = tarfile.TarInfo(name)
            info.mtime, info.uid, info.gid, info.uname, info.gname = mtime, 0, 0, "", ""
            if data is None:
                info.type, info.mode = tarfile.DIRTYPE, 0o755
                tar.addfile(info)
            else:
                info.size, info.mode = len(data), 0o644
                tar.addfile(info, io.BytesIO(data))
    return raw.getvalue()


def many_files(count: int, salt: str = "") -> dict[str, bytes]:
    return {f"{folder}/file-{i:03d}.xml": f"<x n='{i}'>{salt}{'words ' * (i * 7 % 300)}</x>\n".encode()
            for folder in ("html", "vertical", "problem") for i in range(count)}


@pytest.mark.parametrize("files", [
    {},
    {"a.txt": b""},
    {"ü/é – long name " + "n" * 120 + ".txt": b"x" * 513, "b/c/d.bin": bytes(range(256)) * 40},
    many_files(60),
], ids=["empty", "one-empty-file", "unicode-and-long-names", "many-pieces"])
def test_the_stream_holds_what_tarfile_writes(files):
    made = archive.tar_gz_bytes(files, "course", 1_700_000_000, dirs=("static",))
    assert gzip.decompress(made) == tarfile_tar(files, "course", 1_700_000_000, dirs=("static",))
    assert made[:10] == b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"        # no name, no time stamp


def test_a_changed_file_gives_the_bytes_of_a_fresh_build():
    files = many_files(60)
    archive.tar_gz_bytes(files, "course", 0)
    files["vertical/file-007.xml"] = b"<x>changed</x>"
    again = archive.tar_gz_bytes(files, "course", 0)
    archive._deflated_cache.clear()
    archive._tar_header_cache.clear()
    assert archive.tar_gz_bytes(files, "course", 0) == again
    assert gzip.decompress(again) == tarfile_tar(files, "course", 0)


@pytest.mark.skipif(not shutil.which("tar") or not shutil.which("gzip"), reason="needs GNU tar and gzip")
def test_gnu_tar_and_gzip_read_it(tmp_path):
    files = many_files(60)
    path = tmp_path / "c.tar.gz"
    path.write_bytes(archive.tar_gz_bytes(files, "course", 0))
    assert subprocess.run(["gzip", "-t", str(path)]).returncode == 0
    listed = subprocess.run(["tar", "tzf", str(path)], capture_output=True, text=True, check=True).stdout.split()
    assert sorted(f"course/{name}" for name in files) == sorted(n for n in listed if n.endswith(".xml"))


def test_write_if_changed_leaves_same_bytes_alone_and_a_reader_its_old_bytes(tmp_path):
    path = tmp_path / "out" / "page.html"
    assert archive.write_if_changed(path, b"first version " * 1000)
    stamp = path.stat().st_mtime_ns, path.stat().st_ino
    assert not archive.write_if_changed(path, b"first version " * 1000)
    assert (path.stat().st_mtime_ns, path.stat().st_ino) == stamp
    with path.open("rb") as reader:                 # e.g. the preview's server, mid-response
        head = reader.read(100)
        assert archive.write_if_changed(path, b"second")
        assert head + reader.read() == b"first version " * 1000
    assert path.read_bytes() == b"second"


def test_write_if_changed_writes_through_a_link(tmp_path):
    target = tmp_path / "kept.html"
    target.write_bytes(b"old")
    link = tmp_path / "link.html"
    link.symlink_to(target)
    assert archive.write_if_changed(link, b"new")
    assert link.is_symlink() and target.read_bytes() == b"new"
