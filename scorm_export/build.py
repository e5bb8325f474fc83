"""The ``scorm12`` and ``scorm2004`` builders (``commonground export``, the command, is in ``command``).

Builders (entry points in ``commonground.builders``) write one single-SCO package per module,
``<out>/<module-id>-<version>.zip``, and the whole-pack package beside them
(``<out>/<org>-<number>-all-modules-<run>-<digest>.zip``), where ``commonground build`` passes
``dist/scorm12`` or ``dist/scorm2004`` as ``<out>``. ``export`` adds the choices: some modules,
one version, or only the whole pack. Zips are written only when their bytes change; older
zips of a module are removed so the folder holds exactly what is live.
"""
from __future__ import annotations

import re
from pathlib import Path

from coursepack.archive import ZipMember, write_if_changed
from coursepack.load import LoadResult
from coursepack.model import Module
from coursepack.render import shows_modules

from .package import VERSIONS, Version, module_zip, module_zip_name, pack_zip, pack_zip_name, shared_members


def _drop_older(out: Path, stem: str, keep: Path, zips: list[Path] | None = None) -> None:
    """Remove earlier versions' zips of one package (``<stem>.zip``, ``<stem>-<version>.zip``),
    so two versions are never both on offer; ``zips``: the folder's zips, listed once for a
    whole build (listing it again for each of hundreds of modules costs more than the build)."""
    older = re.compile(rf"^{re.escape(stem)}(-[0-9][0-9A-Za-z.]*(-[0-9a-f]{{6}})?)?\.zip$")
    for old in out.glob(f"{stem}*.zip") if zips is None else zips:
        if old != keep and old.name.startswith(stem) and older.match(old.name) and old.is_file():
            old.unlink()


def write_modules(result: LoadResult, modules: list[Module], version: Version, out: Path, *,
                  shared: tuple[ZipMember, ...] | None = None) -> list[tuple[Path, int]]:
    """One package per module; ``shared``: the player's files, read once for the whole run."""
    shared = shared_members() if shared is None else shared
    zips = list(out.glob("*.zip"))
    written = []
    for module in modules:
        data = module_zip(result, module, version, shared)
        path = out / module_zip_name(module)
        write_if_changed(path, data)
        _drop_older(out, module.id, path, zips)
        written.append((path, len(data)))
    return written


def write_pack(result: LoadResult, modules: list[Module], version: Version, out: Path, *,
               prune: bool = False, shared: tuple[ZipMember, ...] | None = None) -> tuple[Path, int]:
    """The whole-pack package; ``prune``: remove earlier whole-pack zips (the build's own folder,
    which holds only the full pack; an export of some modules keeps what is there)."""
    data = pack_zip(result, modules, version, shared)
    path = out / pack_zip_name(result.pack, modules)
    write_if_changed(path, data)
    if prune:
        _drop_older(out, path.name.rsplit("-", 2)[0], path)
    return path, len(data)


def _summary(written: list[tuple[Path, int]], out: Path) -> str:
    largest = max(size for _, size in written)
    return f"{len(written)} package(s) in {out} (largest {largest / 1024:.1f} KB)"


def _build(result: LoadResult, version: Version, out: Path) -> str:
    modules, shared = list(result.pack.modules), shared_members()
    written = write_modules(result, modules, version, out, shared=shared)
    return _summary(written + [write_pack(result, modules, version, out, prune=True, shared=shared)], out)


@shows_modules
def build_scorm12(result: LoadResult, out: Path) -> str:
    return _build(result, VERSIONS["1.2"], out)


@shows_modules
def build_scorm2004(result: LoadResult, out: Path) -> str:
    return _build(result, VERSIONS["2004"], out)


def __getattr__(name: str):
    """``export``, the ``commonground export`` command (entry point ``scorm_export.build:export``),
    lives in ``command``: it is imported only when the command runs, so building packages
    never loads click."""
    if name == "export":
        from .command import export
        return export
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
