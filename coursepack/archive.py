"""Writing build outputs: deterministic zip and tar archives, and write-if-changed.

Every exporter (SCORM, OLX, the preview site, any later one) writes through these, so the same
inputs give the same bytes (no build clock, owner or file order in an archive) and a rebuild
touches only what changed. Where a module's pictures go inside an output (never outside its
folder) is the asset policy's (``coursepack.assets``). Nothing here knows a delivery.

A zip is assembled from members compressed one by one (``zip_member``), so a file that ships in
many packages (the player's scripts in every module's package; each module's page again in the
whole-pack package) is compressed once, not once per package. ``zipfile`` cannot add a member
that is already compressed, so ``zip_members`` writes the few fixed records of the format
(APPNOTE 4.3) itself, field for field as ``zipfile`` writes them for the same files: the
tests hold the two to the same bytes. A member that is itself compressed (a SCORM package inside
a Moodle backup) is stored as it is (``stored_member``): deflating it again would cost as much as
compressing it did and save nothing.

Everything is compressed at zlib's default level, 6, not its highest, 9: on the packages' HTML,
scripts and XML, 9 takes about 1.7 times as long for files 0.3 % smaller (a gzipped OLX course
0.7 %), and a build compresses every module's page in several packages.
"""
from __future__ import annotations

import filecmp
import hashlib
import io
import os
import struct
import tarfile
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

ZIP_TIME = (1980, 1, 1, 0, 0, 0)       # the earliest time a zip can hold: no build clock in the bytes
ZIP_LEVEL = 6                          # zlib's default: see above
# The records' fixed fields: version 2.0 made and needed, made on Unix (3), stored (0) or
# deflated (8), the time stamp ZIP_TIME in MS-DOS form, a regular file readable by all
# (0o100644 in the high bits).
_VERSION, _UNIX, _STORED, _DEFLATED = 20, 3, 0, 8
_DOS_TIME, _DOS_DATE = 0, (ZIP_TIME[0] - 1980) << 9 | ZIP_TIME[1] << 5 | ZIP_TIME[2]
_MODE = (0o100644 & 0xFFFF) << 16
_UTF8_NAME = 0x800
_LOCAL = struct.Struct("<4s2B4HL2L2H")
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
_END = struct.Struct("<4s4H2LH")
_LIMIT = (1 << 31) - 1                 # beyond this zipfile would switch to ZIP64 records


@dataclass(frozen=True)
class ZipMember:
    """One file of a zip, compressed: its name, CRC-32, size and raw deflate stream (or, stored,
    its bytes as they are)."""
    name: str
    crc: int
    size: int
    data: bytes
    method: int = _DEFLATED


def zip_member(name: str, data: bytes) -> ZipMember:
    """``data`` compressed as ``zipfile`` compresses a member at ``ZIP_LEVEL``: once per process
    for the same name and bytes (``_member_cache``)."""
    if len(data) * 1.05 > _LIMIT:
        raise ValueError(f"{name} is too large for a package ({len(data)} bytes)")
    key = (name, hashlib.blake2b(data, digest_size=16).digest())
    member = _member_cache.get(key)
    if member is None:
        compressor = zlib.compressobj(ZIP_LEVEL, zlib.DEFLATED, -15)
        member = ZipMember(name, zlib.crc32(data), len(data), compressor.compress(data) + compressor.flush())
        _keep_member(key, member)
    return member


# (name, digest of the bytes) → the member, while the process lives: a module's pictures ship in
# four packages, and a rebuild after one page's edit finds every other slide of that module's
# deck and nearly every file of the Moodle backup as it made them before (a warm rebuild
# compressed about 280 unchanged members). Keyed by content, so an edited file is a new entry.
# Held to _MEMBER_BYTES of compressed data (the oldest quarter goes when it is over; a member of
# more than a quarter of that is not kept): every build process has one (a 500-module build runs
# five at once), and a build of the shipped pack in one process keeps 1.1 MB of it.
_member_cache: dict[tuple[str, bytes], ZipMember] = {}
_MEMBER_BYTES = 4 * 1024 * 1024
_member_bytes = 0


def _keep_member(key: tuple[str, bytes], member: ZipMember) -> None:
    global _member_bytes
    if len(member.data) > _MEMBER_BYTES // 4:
        return
    _member_cache[key] = member
    _member_bytes += len(member.data)
    if _member_bytes > _MEMBER_BYTES:
        items = list(_member_cache.items())
        _member_cache.clear()
        _member_cache.update(items[len(items) // 4:])
        _member_bytes = sum(len(m.data) for m in _member_cache.values())


def stored_member(name: str, data: bytes) -> ZipMember:
    """``data`` stored as it is, as ``zipfile`` stores a ``ZIP_STORED`` member: for bytes that are
    compressed already (a zip in a zip)."""
    if len(data) > _LIMIT:
        raise ValueError(f"{name} is too large for a package ({len(data)} bytes)")
    return ZipMember(name, zlib.crc32(data), len(data), data, _STORED)


def _name(member: ZipMember) -> tuple[bytes, int]:
    try:
        return member.name.encode("ascii"), 0
    except UnicodeEncodeError:
        return member.name.encode("utf-8"), _UTF8_NAME


def zip_members(members) -> bytes:
    """A deterministic zip of members (``zip_member``, ``stored_member``): sorted by name, fixed
    time stamps and permissions, no directories."""
    return b"".join(zip_parts(members))


def zip_parts(members) -> Iterator[bytes]:
    """The bytes of ``zip_members``, piece by piece (to write a large zip without holding it)."""
    ordered = sorted(members, key=lambda m: m.name)
    if len({m.name for m in ordered}) != len(ordered):
        raise ValueError("two members of one zip have the same name")
    headers, central, offset = [], [], 0
    for m in ordered:
        name, flags = _name(m)
        fields = (_VERSION, 0, flags, m.method, _DOS_TIME, _DOS_DATE, m.crc, len(m.data), m.size, len(name))
        headers.append(_LOCAL.pack(b"PK\x03\x04", *fields, 0) + name)
        central.append(_CENTRAL.pack(b"PK\x01\x02", _VERSION, _UNIX, *fields, 0, 0, 0, 0, _MODE, offset) + name)
        offset += len(headers[-1]) + len(m.data)
    directory = b"".join(central)
    if offset + len(directory) > _LIMIT or len(ordered) > 0xFFFF:
        raise ValueError("a package this large would need ZIP64 records")
    for header, m in zip(headers, ordered):
        yield header
        yield m.data
    yield directory
    yield _END.pack(b"PK\x05\x06", 0, 0, len(ordered), len(ordered), len(directory), offset, 0)


def zip_members_of(data: bytes) -> list[ZipMember]:
    """The members of a zip another library wrote, deflated members as compressed there (their
    raw streams sliced out, not decompressed), others compressed here: so ``zip_members`` can
    write that zip again without its time stamps and order at the cost of copying bytes, not
    of compressing every member a second time."""
    members = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            if info.is_dir():
                continue
            if info.compress_type != zipfile.ZIP_DEFLATED or info.flag_bits & 1:     # stored, or encrypted
                members.append(zip_member(info.filename, archive.read(info)))
                continue
            name_length, extra_length = _LOCAL.unpack_from(data, info.header_offset)[-2:]
            start = info.header_offset + _LOCAL.size + name_length + extra_length
            members.append(ZipMember(info.filename, info.CRC, info.file_size, data[start:start + info.compress_size]))
    return members


def zip_bytes(files: dict[str, bytes], stored=()) -> bytes:
    """A deterministic zip of files (name → bytes), each compressed here but those named in
    ``stored``, which are stored as they are (``stored_member``)."""
    return b"".join(zip_file_parts(files, stored))


def zip_file_parts(files: dict[str, bytes], stored=()) -> Iterator[bytes]:
    """The bytes of ``zip_bytes``, piece by piece (``zip_parts``)."""
    return zip_parts([(stored_member if name in stored else zip_member)(name, data) for name, data in files.items()])


def tar_gz_bytes(files: dict[str, bytes], top: str, mtime: int, dirs=()) -> bytes:
    """A gzipped tar with the same bytes for the same files: everything under ``top``, sorted,
    every parent folder listed (plus ``dirs``), fixed times and owners, no gzip time stamp.

    The tar is what ``tarfile`` writes (PAX headers, its end blocks and record padding). The
    gzip stream is compressed in pieces (``_segments``), each a run of whole entries deflated on
    its own and ended at a byte boundary (a sync flush), as pigz writes a stream in parallel: any
    gzip reader reads it as one. A piece whose bytes were compressed before is taken from
    ``_deflated_cache``, so a rebuild after one page changed compresses that page's pieces, not the
    whole course again (it was a fifth of a warm rebuild of every builder)."""
    folders = {top} | {f"{top}/{d}" for d in dirs}
    folders |= {f"{top}/{'/'.join(p.split('/')[:i])}" for p in files for i in range(1, p.count("/") + 1)}
    entries = sorted([(d, None) for d in folders] + [(f"{top}/{p}", data) for p, data in files.items()])
    pieces = [_tar_entry(name, data, mtime) for name, data in entries]
    size = sum(len(piece) for piece in pieces)
    end = bytes(2 * tarfile.BLOCKSIZE + (-(size + 2 * tarfile.BLOCKSIZE)) % tarfile.RECORDSIZE)  # tarfile's close()
    pieces.append(end)
    crc, body = 0, []
    for segment in _segments(entries, pieces):
        crc = zlib.crc32(segment, crc)
        body.append(_deflated_segment(segment))
    length = size + len(end)
    # gzip's header as ``gzip.GzipFile(filename="", mtime=0)`` writes it; deflate's last block
    # (an empty final one); the CRC-32 and length of the whole tar.
    return b"".join([b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff", *body, _FINAL_BLOCK,
                     struct.pack("<2L", crc, length & 0xFFFFFFFF)])


# What the tarball's pieces are made from, once per process: (name, size, time) → the entry's
# header; digest of a piece's bytes → its deflate stream, sync-flushed. Each is emptied when it
# holds _KEPT entries (a build holds a few hundred).
_tar_header_cache: dict[tuple, bytes] = {}
_deflated_cache: dict[bytes, bytes] = {}
_KEPT = 4096


def _kept(cache: dict, key, make):
    """``cache[key]``, made by ``make()`` when it is not there."""
    value = cache.get(key)
    if value is None:
        value = make()
        if len(cache) >= _KEPT:
            cache.clear()
        cache[key] = value
    return value


def _tar_header(name: str, size: int | None, mtime: int) -> bytes:
    info = tarfile.TarInfo(name)
    info.mtime, info.uid, info.gid, info.uname, info.gname = mtime, 0, 0, "", ""
    if size is None:
        info.type, info.mode = tarfile.DIRTYPE, 0o755
    else:
        info.size, info.mode = size, 0o644
    return info.tobuf(tarfile.PAX_FORMAT, "utf-8", "surrogateescape")


def _tar_entry(name: str, data: bytes | None, mtime: int) -> bytes:
    """One entry of the tar as ``tarfile.addfile`` writes it: header, data, padding to a block.
    The header depends on the name, size and kind only, so each is made once per process."""
    size = None if data is None else len(data)
    header = _kept(_tar_header_cache, (name, size, mtime), lambda: _tar_header(name, size, mtime))
    if not data:
        return header
    return header + data + bytes(-len(data) % tarfile.BLOCKSIZE)


# About one entry in this many ends a piece of the gzip stream, chosen by the entry's name (so
# that adding or changing one file moves no other piece's bounds). The shipped course, one
# stream: 80.4 kB; pieces of about 32 entries: 83.4 kB, and a one-page edit recompresses in 6 ms
# of CPU what took 16 ms as one stream; of 16: 86.3 kB in 5.8 ms; of 8: 91.0 kB in 3.6 ms.
_PIECE_ENTRIES = 32


def _segments(entries, pieces) -> Iterator[bytes]:
    """The tar's bytes in runs of whole entries, each ended after an entry whose name's hash
    picks it (and the last run with the end blocks)."""
    run: list[bytes] = []
    for (name, _), piece in zip(entries, pieces):
        run.append(piece)
        if zlib.crc32(name.encode("utf-8", "surrogateescape")) % _PIECE_ENTRIES == 0:
            yield b"".join(run)
            run = []
    run += pieces[len(entries):]
    yield b"".join(run)


_FINAL_BLOCK = zlib.compressobj(ZIP_LEVEL, zlib.DEFLATED, -15).flush()


def _deflate_piece(segment: bytes) -> bytes:
    compressor = zlib.compressobj(ZIP_LEVEL, zlib.DEFLATED, -15)
    return compressor.compress(segment) + compressor.flush(zlib.Z_SYNC_FLUSH)


def _deflated_segment(segment: bytes) -> bytes:
    key = hashlib.blake2b(segment, digest_size=16).digest()
    return _kept(_deflated_cache, key, lambda: _deflate_piece(segment))


def file_stamp(path: Path) -> tuple[int, int] | None:
    """A file's size and time of last change (nanoseconds), None when there is none: a builder
    that keeps this, not the bytes it wrote, can tell the file is still as it left it."""
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_size, info.st_mtime_ns


def write_parts_if_changed(path: Path, parts: Iterable[bytes]) -> bool:
    """``write_if_changed`` for bytes that come piece by piece (``zip_parts``), held by neither:
    written beside ``path`` first, then compared with it and moved over it only if different."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fresh = path.with_name(f".{path.name}.new")
    try:
        with fresh.open("wb") as f:
            for part in parts:
                f.write(part)
        if path.is_file() and filecmp.cmp(fresh, path, shallow=False):
            return False
        os.replace(fresh, path)
        return True
    finally:
        fresh.unlink(missing_ok=True)


def write_if_changed(path: Path, data: bytes) -> bool:
    """Write only when the bytes differ, so rebuilds touch only what changed.

    A changed file is removed and written anew rather than emptied and written over: a reader
    that has it open (the preview's server) keeps the old bytes whole, and ext4, by default
    (``auto_da_alloc``), forces a file emptied and written again out to disk as it is closed,
    which took 3 ms a file against 0.5 ms for a new one (a warm rebuild rewrites seven)."""
    if path.is_file():
        if path.read_bytes() == data:
            return False
        if not path.is_symlink():
            path.unlink()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return True
