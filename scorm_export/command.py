"""``commonground export``: SCORM packages of some modules, one version, or only the whole pack.

A command of the ``commonground`` CLI (entry point ``commonground.commands``, name ``export``);
the packages are the builders' own (``build.write_modules``, ``build.write_pack``).
"""
from __future__ import annotations

import time
from pathlib import Path

import click

from coursepack.diagnostics import PackError
from coursepack.render import render_modules

from .build import write_modules, write_pack
from .package import VERSIONS


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
    render_modules(result.pack, modules)
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
