"""Files a built module needs besides its HTML, and the one policy every image passes.

Packs are built by people who did not write them (a partner board's module, a shared build
service), so an image is treated as untrusted input, the same way by lint and by every builder:

- **Where:** the path as written must stay inside the module's own folder (for a one-file module,
  the pack's ``modules/`` folder) or the pack's shared ``modules/images/`` folder: no scheme
  (``file:``, ``http:``, ``data:``...), no absolute path, no ``..`` out of those folders, and
  only plain names (letters, digits, ``.``, ``-``, ``_``) between the slashes, so a browser
  resolves the link exactly as the builder did.
- **What:** a regular file reached without following any symbolic link below the pack's folder
  (a link, or a linked folder, could point at any file the builder can read; the file is
  opened one folder at a time with ``O_NOFOLLOW``, so a link swapped in after the check is
  refused too). A hard link cannot be told apart from the file it shares with, so a file with
  more names than the pack holds (``st_nlink`` above the names found inside the pack) is
  refused: copy the file instead (``cp``, not ``ln``; a git checkout never makes hard links).
- **Inert:** the type is decided by the first bytes, not the name: PNG, JPEG, GIF, WebP, or an
  SVG that ``coursepack.svg`` rebuilds from its allow-list; the name's extension must agree, so
  a server that picks the content type from the name never serves it as something else.
  Builders ship the rebuilt SVG, never the bytes as written.

``image_problems`` gives lint its diagnostics; ``module_images`` gives builders the checked
bytes and raises ``AssetError`` (a ``PackError``: ``file:line`` messages, never a traceback).
"""
from __future__ import annotations

import errno
import os
import posixpath
import re
import stat
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from . import player
from .diagnostics import Diagnostics, PackError

if TYPE_CHECKING:
    from .load import LoadResult, ModuleSource
    from .model import Module

#: The player's scripts for a whole module page (SCORM and the preview), in load order: the
#: widgets (all an Open edX unit page loads), then the module shell, which extends them.
SHELL_SCRIPTS = ("widgets.js", "shell.js")
# favicon.svg: every page links it, so no browser asks the host for a /favicon.ico it lacks.
PLAYER_FILES = (*SHELL_SCRIPTS, "player.css", "favicon.svg")
STATIC = Path(__file__).parent / "static"
IMAGE = re.compile(r"!\[([^\]]*)\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
SHARED_IMAGES = "images"                 # modules/images: pictures any module may show
SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)
SEGMENT = re.compile(r"^[\w.-]+$")
MAGIC = ((b"\x89PNG\r\n\x1a\n", "png"), (b"\xff\xd8\xff", "jpeg"), (b"GIF87a", "gif"), (b"GIF89a", "gif"))
NAMES = {"png": (".png",), "jpeg": (".jpg", ".jpeg"), "gif": (".gif",), "webp": (".webp",), "svg": (".svg",)}
IMAGE_WARN_BYTES = 2_000_000
PAGE_WARN_BYTES = 1_000_000
SLOW_LINK_BITS = 400_000                 # a slow rural or mobile connection, bits per second


def static_file(name: str) -> bytes:
    """A file a built page loads: one of the player's, put together from the kinds
    (``coursepack.player``), or one of ``static/``."""
    if name in player.PARTS:
        return player.player_file(name)
    return (STATIC / name).read_bytes()


def download_cost(size: int) -> str:
    """What ``size`` bytes cost a learner on a slow connection, in words."""
    return f"{size / 1_000_000:.1f} MB takes about {size * 8 / SLOW_LINK_BITS:.0f} s to load at 400 kbit/s"


@dataclass(frozen=True)
class Asset:
    written: str         # as the Markdown names it
    path: str            # where it goes in a build, from the build's top folder
    media: str           # png, jpeg, gif, webp or svg
    data: bytes          # what ships: the file's bytes, or the rebuilt SVG


class AssetRefused(ValueError):
    def __init__(self, code: str, message: str, hint: str):
        self.code, self.message, self.hint = code, message, hint
        super().__init__(message)


class AssetError(PackError):
    """A builder was handed an image the policy refuses (lint reports the same)."""


def locate(module_path: Path, written: str) -> tuple[Path, str]:
    """The pack's folder and the image's path below it, or ``AssetRefused`` saying why not."""
    if written.lower().startswith("file:"):
        raise AssetRefused("image-outside-pack", f"image '{written}' is a file on the builder's computer",
                           "put the file in the module's folder and link it by name, e.g. images/chart.png")
    if SCHEME.match(written):
        raise AssetRefused("image-remote", f"image '{written}' is not in the pack",
                           "packages work offline: put the file beside the module and link it by name")
    if written.startswith(("/", "\\")):
        raise AssetRefused("image-outside-pack", f"image '{written}' is an absolute path",
                           "link it from the module's folder, e.g. images/chart.png")
    if not all(SEGMENT.match(part) for part in written.split("/")):
        raise AssetRefused("image-bad-path", f"image path '{written}' has characters a browser reads differently",
                           "use letters, digits, '-', '_' and '.' in names, and '/' between folders")
    module_path = Path(module_path)
    modules = module_path.parent                      # the pack's modules/ folder
    root = modules.parent
    base = module_path if module_path.is_dir() else modules
    below = posixpath.normpath(posixpath.join(base.relative_to(root).as_posix(), written))
    allowed = (base.relative_to(root).as_posix(), (modules / SHARED_IMAGES).relative_to(root).as_posix())
    if not any(below.startswith(folder + "/") for folder in allowed):
        raise AssetRefused("image-outside-pack", f"image '{written}' is outside the module's folder",
                           f"keep pictures in {base.name}/ or in the pack's {modules.name}/{SHARED_IMAGES}/ folder")
    return root, below


def _open(root: Path, below: str) -> int:
    """Open ``root/below`` for reading without following a link at any step below ``root``."""
    parts = below.split("/")
    flags = os.O_RDONLY | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(root, flags | os.O_DIRECTORY)
    try:
        for part in parts[:-1]:
            inner = os.open(part, flags | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=fd)
            os.close(fd)
            fd = inner
        # O_NONBLOCK: a named pipe opens at once (and is refused) instead of hanging the build
        return os.open(parts[-1], flags | os.O_NOFOLLOW | os.O_NONBLOCK, dir_fd=fd)
    finally:
        os.close(fd)


def through_link(root: Path, below: str) -> bool:
    """Whether ``root/below`` is a symlink or lies in a symlinked folder below ``root``."""
    parts = below.split("/")
    return any((root.joinpath(*parts[:n])).is_symlink() for n in range(1, len(parts) + 1))


def _names_inside(root: Path, info: os.stat_result) -> int:
    """How many names below ``root`` share the file of ``info`` (its hard links in the pack)."""
    found = 0
    for folder, _, files in os.walk(root):
        for name in files:
            try:
                other = os.lstat(os.path.join(folder, name))
            except OSError:
                continue
            found += (other.st_ino, other.st_dev) == (info.st_ino, info.st_dev)
    return found


def read_image(module_path: Path, written: str) -> bytes:
    """The bytes of an image that passes the "where" and "what" rules."""
    root, below = locate(module_path, written)
    try:
        fd = _open(root, below)
    except OSError as exc:
        # Not following a link shows as ELOOP for the file and ENOTDIR for a folder on the way.
        if exc.errno in (errno.ELOOP, errno.ENOTDIR) and through_link(root, below):
            raise AssetRefused("image-link", f"image '{written}' is reached through a link (a symlink)",
                               "copy the picture into the pack instead of linking to it") from None
        if exc.errno in (errno.ENOENT, errno.ENOTDIR):
            raise AssetRefused("image-missing", f"image file '{written}' does not exist",
                               "put it in the module's folder or fix the name (names are case-sensitive)") from None
        raise AssetRefused("image-unreadable", f"image '{written}' cannot be read: {exc.strerror}",
                           "check the file's permissions") from None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise AssetRefused("image-not-file", f"image '{written}' is not a file",
                               "link a picture file, e.g. images/chart.png")
        if info.st_nlink > 1 and _names_inside(root, info) < info.st_nlink:
            raise AssetRefused("image-link", f"image '{written}' is a hard link to a file outside the pack",
                               "copy the picture into the pack instead of linking to it: cp, not ln")
        return handle.read()


def media_type(data: bytes) -> str:
    """The picture type the first bytes announce ('' for none we ship). Four fixed signatures
    and an XML root need no library; what matters is the allow-list, not naming every type."""
    for magic, media in MAGIC:
        if data.startswith(magic):
            return media
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<?xml", b"<svg", b"<!--", b"<!doctype svg")) and b"<svg" in data[:4096].lower():
        return "svg"
    return ""


@lru_cache(maxsize=256)
def _rebuilt_svg(data: bytes) -> bytes:
    """``svg.sanitise``, once per drawing: every builder ships a module's pictures, and the
    rebuild (a parse and a new tree) costs far more than reading the file again. (``svg`` and
    its XML library are imported only when a pack has a drawing.)"""
    from . import svg
    return svg.sanitise(data)


def inspect(module_path: Path, written: str, module_id: str = "") -> Asset:
    """Apply the whole policy to one image; ``AssetRefused`` says what is wrong. The asset's
    path is where it goes in a build whose module pages are ``<module_id>/index.html``."""
    data = read_image(module_path, written)
    media = media_type(data)
    if not media:
        raise AssetRefused("image-type", f"'{written}' is not a PNG, JPEG, GIF, WebP or SVG picture",
                           "save the picture as PNG or JPEG: the file's contents decide its type, not its name")
    names = NAMES[media]
    if not written.lower().endswith(names):
        raise AssetRefused("image-type", f"'{written}' holds a {media.upper()} picture under another name",
                           f"rename it to end in {' or '.join(names)}")
    if media == "svg":
        from .svg import SvgRefused
        try:
            data = _rebuilt_svg(data)
        except SvgRefused as exc:
            raise AssetRefused("image-unsafe-svg", f"SVG '{written}' has parts that could run or fetch something: "
                               + "; ".join(exc.problems[:5]) + ("; ..." if len(exc.problems) > 5 else ""),
                               "remove them from the drawing, or save it as PNG instead") from None
    return Asset(written, posixpath.normpath(posixpath.join(module_id or ".", written)), media, data)


def image_problems(source: ModuleSource, line, written: str, diags: Diagnostics) -> None:
    """Lint's view of the policy: one diagnostic at the Markdown line, or a size warning."""
    try:
        asset = inspect(source.path, written)
    except AssetRefused as refused:
        diags.error(line.file, line.no, refused.code, refused.message, refused.hint)
        return
    if len(asset.data) > IMAGE_WARN_BYTES:
        diags.warn(line.file, line.no, "image-too-large",
                   f"image '{written}' is large: {download_cost(len(asset.data))}",
                   "save it smaller (about 1600 pixels wide is plenty; JPEG for photos)")


def module_images(result: LoadResult, module: Module) -> list[Asset]:
    """Each image the module shows, checked and ready to ship, in path order.

    Builders call this rather than reading files themselves, so they apply exactly lint's
    policy (and again at build time: a file swapped after lint is still refused)."""
    source = result.sources[module.id]
    found: dict[str, Asset] = {}
    problems = Diagnostics()
    for line in source.lines:
        if "![" not in line.text:        # most lines: skip the pattern (a builder asks per package)
            continue
        for match in IMAGE.finditer(line.text):
            written = match.group(2)
            if written in found:
                continue
            try:
                found[written] = inspect(source.path, written, module.id)
            except AssetRefused as refused:
                problems.error(line.file, line.no, refused.code, refused.message, refused.hint)
    if problems.items:
        raise AssetError(problems.sorted())
    return sorted(found.values(), key=lambda a: a.path)

