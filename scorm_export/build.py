"""The ``scorm12`` and ``scorm2004`` builders and the ``commonground export`` command.

Builders (entry points in ``commonground.builders``) write one single-SCO package per module:
``<out>/<module-id>.zip``, where ``commonground build`` passes ``dist/scorm12`` or
``dist/scorm2004`` as ``<out>``. ``export`` adds the choices: some modules, one version, and a
whole-pack package (one SCO per module). Zips are written only when their bytes change.
"""
from __future__ import annotations

import time
from pathlib import Path

import click

from coursepack.archive import write_if_changed
from coursepack.diagnostics import PackError
from coursepack.load import LoadResult
from coursepack.model import Module

from .package import VERSIONS, Version, module_zip, pack_zip, pack_zip_name


def write_modules(result: LoadResult, modules: list[Module], version: Version, out: Path) -> list[tuple[Path, int]]:
    written = []
    for module in modules:
        data = module_zip(result, module, version)
        path = out / f"{module.id}.zip"
        write_if_changed(path, data)
        written.append((path, len(data)))
    return written


def write_pack(result: LoadResult, modules: list[Module], version: Version, out: Path) -> tuple[Path, int]:
    data = pack_zip(result, modules, version)
    path = out / pack_zip_name(result.pack)
    write_if_changed(path, data)
    return path, len(data)


def _summary(written: list[tuple[Path, int]], out: Path) -> str:
    largest = max(size for _, size in written)
    return f"{len(written)} package(s) in {out} (largest {largest / 1024:.1f} KB)"


def build_scorm12(result: LoadResult, out: Path) -> str:
    return _summary(write_modules(result, list(result.pack.modules), VERSIONS["1.2"], out), out)


def build_scorm2004(result: LoadResult, out: Path) -> str:
    return _summary(write_modules(result, list(result.pack.modules), VERSIONS["2004"], out), out)


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
