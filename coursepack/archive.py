"""Writing build outputs: deterministic zip and tar archives, and write-if-changed.

Every exporter (SCORM, OLX, the preview site, any later one) writes through these, so the same
inputs give the same bytes (no build clock, owner or file order in an archive) and a rebuild
touches only what changed. Where a module's pictures go inside an output (never outside its
folder) is the asset policy's (``coursepack.assets``). Nothing here knows a delivery.
"""
from __future__ import annotations

import gzip
import io
import tarfile
import zipfile
from pathlib import Path

ZIP_TIME = (1980, 1, 1, 0, 0, 0)       # the earliest time a zip can hold: no build clock in the bytes


def zip_bytes(files: dict[str, bytes]) -> bytes:
    """A deterministic zip: sorted entries, fixed time stamps and permissions, no directories."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3                      # Unix, whatever machine builds it
            info.external_attr = (0o100644 & 0xFFFF) << 16
            archive.writestr(info, files[name], compresslevel=9)
    return buffer.getvalue()


def tar_gz_bytes(files: dict[str, bytes], top: str, mtime: int, dirs=()) -> bytes:
    """A gzipped tar with the same bytes for the same files: everything under ``top``, sorted,
    every parent folder listed (plus ``dirs``), fixed times and owners, no gzip time stamp."""
    folders = {top} | {f"{top}/{d}" for d in dirs}
    folders |= {f"{top}/{'/'.join(p.split('/')[:i])}" for p in files for i in range(1, p.count("/") + 1)}
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
        entries = [(d, None) for d in folders] + [(f"{top}/{p}", data) for p, data in files.items()]
        for name, data in sorted(entries):
            info = tarfile.TarInfo(name)
            info.mtime, info.uid, info.gid, info.uname, info.gname = mtime, 0, 0, "", ""
            if data is None:
                info.type, info.mode = tarfile.DIRTYPE, 0o755
                tar.addfile(info)
            else:
                info.size, info.mode = len(data), 0o644
                tar.addfile(info, io.BytesIO(data))
    out = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=out, mtime=0, compresslevel=9) as gz:
        gz.write(raw.getvalue())
    return out.getvalue()


def write_if_changed(path: Path, data: bytes) -> bool:
    """Write only when the bytes differ, so rebuilds touch only what changed."""
    if path.is_file() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return True
