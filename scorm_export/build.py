"""The ``scorm12`` and ``scorm2004`` builders and the ``commonground export`` command.

Builders (entry points in ``commonground.builders``) write one single-SCO package per module,
``<out>/<module-id>-<version>.zip``, and the whole-pack package beside them
(``<out>/<org>-<number>-all-modules-<run>-<digest>.zip``), where ``commonground build`` passes
``dist/scorm12`` or ``dist/scorm2004`` as ``<out>``. ``export`` adds the choices: some modules,
one version, or only the whole pack. Zips are written only when their bytes change; older
zips of a module are removed so the folder holds exactly what is live.
"""
from __future__ import annotations

import re
import time
from pathlib import Path

import click

from coursepack.archive import write_if_changed
from coursepack.diagnostics import PackError
from coursepack.load import LoadResult
from coursepack.model import Module

from .package import VERSIONS, Version, module_zip, module_zip_name, pack_zip, pack_zip_name, shared_files


def _drop_older(out: Path, stem: str, keep: Path) -> None:
    """Remove earlier versions' zips of one package (``<stem>.zip``, ``<stem>-<version>.zip``),
    so two versions are never both on offer."""
    older = re.compile(rf"^{re.escape(stem)}(-[0-9][0-9A-Za-z.]*(-[0-9a-f]{{6}})?)?\.zip$")
    for old in out.glob(f"{stem}*.zip"):
        if old != keep and older.match(old.name) and old.is_file():
            old.unlink()


def write_modules(result: LoadResult, modules: list[Module], version: Version, out: Path, *,
                  shared: dict[str, bytes] | None = None) -> list[tuple[Path, int]]:
    """One package per module; ``shared``: the player's files, read once for the whole run."""
    shared = shared_files() if shared is None else shared
    written = []
    for module in modules:
        data = module_zip(result, module, version, shared)
        path = out / module_zip_name(module)
        write_if_changed(path, data)
        _drop_older(out, module.id, path)
        written.append((path, len(data)))
    return written


def write_pack(result: LoadResult, modules: list[Module], version: Version, out: Path, *,
               prune: bool = False, shared: dict[str, bytes] | None = None) -> tuple[Path, int]:
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
    modules, shared = list(result.pack.modules), shared_files()
    written = write_modules(result, modules, version, out, shared=shared)
    return _summary(written + [write_pack(result, modules, version, out, prune=True, shared=shared)], out)


def build_scorm12(result: LoadResult, out: Path) -> str:
    return _build(result, VERSIONS["1.2"], out)


def build_scorm2004(result: LoadResult, out: Path) -> str:
    return _build(result, VERSIONS["2004"], out)


@click.command()
@click.argument("path", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option("--module", "module_ids", multiple=True, metavar="ID",
              help="Export only this module (repeatable). Default: every module.")
@click.option("--version", "version_key", type=click.Choice(["1.2", "2004", "both"]), default="both",
              show_default=True, help="SCORM version.")
@click.option("--pack", "whole_pack", is_flag=True,
              help="One package holding every chosen module, one SCO each (2004: take them in any "
                   "order, completion rolls up), instead of one package per module.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("dist"),
              show_default=True, help="Packages go to OUT/scorm12 and OUT/scorm2004.")
def export(path, module_ids, version_key, whole_pack, out):
    """Write SCORM packages: per module, or the whole pack in one package.

    SCORM 1.2 suits most LMSs (Moodle, Totara, Cornerstone, Open edX's SCORM block); SCORM 2004
    reports completion and success separately. See the coordinator guide in the README.
    """
    from coursepack.cli import err, load_or_exit, refuse
    result = load_or_exit(path)
    known = {m.id: m for m in result.pack.modules}
    unknown = [m for m in module_ids if m not in known]
    if unknown:
        raise click.BadParameter(f"no module {', '.join(unknown)}; modules: {', '.join(known)}",
                                 param_hint="--module")
    modules = [known[m] for m in dict.fromkeys(module_ids)] if module_ids else list(known.values())
    keys = ["1.2", "2004"] if version_key == "both" else [version_key]
    for key in keys:
        version = VERSIONS[key]
        folder = out / version.name
        started = time.perf_counter()
        try:
            if whole_pack:
                written = [write_pack(result, modules, version, folder)]
            else:
                written = write_modules(result, modules, version, folder)
        except PackError as exc:
            refuse(exc, f"no {version.label} package was written")
        seconds = time.perf_counter() - started
        for file, size in written:
            click.echo(f"{file}\t{size / 1024:.1f} KB")
        err.print(f"{version.label}: {len(written)} package(s) in {seconds:.2f} s")
