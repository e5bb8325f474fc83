"""The ``commonground`` command: lint, build, catalog and preview a content pack.

Deliveries plug in through the ``commonground.builders`` entry-point group (a name and a
``build(result, out_dir)`` callable) and add commands through ``commonground.commands``, so this
package never imports the code that renders for Open edX or SCORM.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
import sys
import time
from pathlib import Path

import click
from rich.console import Console

from . import builders
from .diagnostics import ERROR, PackError
from .fix import apply_fixes
from .lint.codes import help_listing
from .load import LoadResult, display_base, require_pack
from .plugins import entry_points
from .processes import jobs as jobs_for, jobs_set
from .shipped import pack_folder

# soft_wrap: a message is one line however narrow the terminal, and never broken inside a path
# when the output goes to a file or a CI log.
err = Console(stderr=True, soft_wrap=True)


def default_pack() -> Path:
    """./content when run from a checkout; otherwise the pack shipped in the wheel."""
    folder = pack_folder()
    if folder is None:
        raise click.UsageError("no pack found: give the pack folder (the one holding pack.yml)")
    return folder


pack_argument = click.argument("path", required=False, type=click.Path(file_okay=False, path_type=Path))


def refuse(exc: PackError, done: str = "nothing was built"):
    """Print a refusal's problems as ``file:line`` lines and stop with status 1."""
    for d in exc.diagnostics:
        if d.severity == ERROR:
            err.print(str(d), markup=False, highlight=False)
    count = sum(d.severity == ERROR for d in exc.diagnostics)
    err.print(f"[red]{count} error(s): {done}.[/] Run 'commonground lint' for details.")
    sys.exit(1)


def load_or_exit(path: Path | None) -> LoadResult:
    try:
        return require_pack(path or default_pack())
    except PackError as exc:
        refuse(exc)


def release_or_exit(result: LoadResult) -> LoadResult:
    """The pack marked for release, or exit 1 with the list of what still needs sign-off."""
    from .lint.governance import release_problems
    problems = release_problems(result, dt.date.today())
    if problems:
        for d in problems:
            err.print(str(d), markup=False, highlight=False, soft_wrap=True)
        err.print(f"[red]{len(problems)} item(s) need sign-off before release: nothing was built.[/]")
        sys.exit(1)
    return dataclasses.replace(result, pack=dataclasses.replace(result.pack, release=True))


def plugins(group: str, what: str, built_in=()) -> dict:
    """The entry points of ``group`` by name, not loaded. Two of one name (or one named as a
    built-in ``what``) are refused with both targets, never one silently replacing the other."""
    found: dict = {}
    for ep in entry_points(group=group):
        if ep.name in built_in or ep.name in found:
            first = found[ep.name].value if ep.name in found else f"the built-in '{ep.name}' {what}"
            raise click.ClickException(
                f"two {what}s are called '{ep.name}': {first} and {ep.value} "
                f"(rename one of the '{group}' entry points)")
        found[ep.name] = ep
    return found


def installed_builders() -> dict:
    return plugins("commonground.builders", "builder")


class PluginGroup(click.Group):
    """The built-in commands, plus those of the ``commonground.commands`` entry points, each
    imported only when it is run (or help lists it): ``commonground lint`` loads no delivery."""

    def _plugins(self) -> dict:
        return plugins("commonground.commands", "command", self.commands)

    def list_commands(self, ctx):
        return sorted({*self.commands, *self._plugins()})

    def get_command(self, ctx, cmd_name):
        plugins = self._plugins()
        if cmd_name in plugins:
            return plugins[cmd_name].load()
        return super().get_command(ctx, cmd_name)


@click.group(cls=PluginGroup, help="Lint, build, catalog and preview a Common Ground content pack.")
@click.version_option(package_name="commonground")
def main():
    pass


@main.command(epilog="Checks, by code:\n\n" + help_listing())
@click.argument("path", required=False, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--fix", is_flag=True, help="Write missing ids into the files and delete control characters, then lint again.")
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), hidden=True,
              help="Pretend today is this date (for review-date checks).")
def lint(path, fmt, fix, today):
    """Check a pack: structure, ids, language, readability, accessibility, review dates.

    Lists every problem as file:line: message (hint) [code], the front matter of each module
    first. Exit status 1 when there is any error. PATH is the pack folder, or one module's file
    (or folder): that module is checked in its pack, and only its problems are listed.

    Language: words from the pack's language table are flagged with a kinder alternative. A
    deliberate use (a 'words to avoid' table) goes between these two lines:

    \b
    <!-- cg:allow-terms -->
    <!-- cg:end-allow-terms -->
    """
    from .lint import NotAModule, lint as run_lint, lint_module
    target = path or default_pack()
    day = today.date() if today else None
    if target.name == "pack.yml":
        target = target.parent
    one = target.is_file() or (target.is_dir() and not (target / "pack.yml").exists())   # a module

    def check():
        if not one:
            return target, *run_lint(target, day)
        try:
            return lint_module(target, day)
        except NotAModule as exc:
            raise click.UsageError(str(exc)) from None
    root, result, found = check()
    if fix and result.fixes:
        written = apply_fixes(result.fixes, display_base(root))
        err.print(f"wrote {written} fix(es): missing ids added, control characters deleted")
        root, result, found = check()
    if fmt == "json":
        click.echo(json.dumps([d.as_dict() for d in found], indent=2, ensure_ascii=False))
    else:
        for d in found:
            click.echo(str(d))
        errors = sum(d.severity == ERROR for d in found)
        counts = f"{errors} error(s), {len(found) - errors} warning(s)"
        if not one:
            err.print(f"{len(result.pack.modules) if result.pack else 0} module(s), {counts}")
        elif result.pack is None:
            err.print(f"{counts}: the pack in {root} does not load, so {target} was not checked; fix these first")
        else:
            err.print(f"{target}: {counts} (checked in the pack in {root})")
    sys.exit(1 if any(d.severity == ERROR for d in found) else 0)


@main.command()
@pack_argument
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("dist"),
              show_default=True)
@click.option("--only", multiple=True, help="Build only these outputs (repeatable).")
@click.option("--release", is_flag=True,
              help="Build for learners: refuse while anything awaits sign-off; no preview marks.")
@click.option("--jobs", type=click.IntRange(min=1), default=None, metavar="N",
              help="Processes to build in (default: one per core, or COMMONGROUND_JOBS).")
def build(path, out, only, release, jobs):
    """Build every output: SCORM 1.2 and 2004 packages, the OLX course and the preview site.

    Without --release every page says "Preview, not for learners".
    """
    found = installed_builders()
    names = [n for n in sorted(found) if not only or n in only]
    unknown = set(only) - set(found)
    if unknown:
        raise click.BadParameter(f"unknown output(s) {sorted(unknown)}; available: {sorted(found)}",
                                 param_hint="--only")
    result = load_or_exit(path)
    if release:
        result = release_or_exit(result)
    chosen = {name: found[name].load() for name in names}
    processes = jobs_for(jobs)
    started = time.perf_counter()
    with jobs_set(jobs):
        rendered, used = builders.render_first(result, chosen, processes)
        if rendered:
            err.print(f"rendered {rendered} module(s) in {used} process(es), {time.perf_counter() - started:.2f} s")
        for outcome in builders.run(result, out, chosen, processes):
            if outcome.refused is not None:
                refuse(PackError(outcome.refused), f"{outcome.name} was not built")
            err.print(f"{outcome.name}: {outcome.summary}")
    err.print(f"{len(chosen)} output(s) in {time.perf_counter() - started:.2f} s "
              f"({min(processes, len(chosen))} at a time)")


@main.command()
@pack_argument
@click.option("--format", "fmt", type=click.Choice(["md", "json", "csv"]), default="md", show_default=True)
def catalog(path, fmt):
    """One row per module: what a coordinator plans training with."""
    from .catalog import render
    click.echo(render(load_or_exit(path).pack, fmt), nl=False)


@main.command()
@pack_argument
@click.option("--port", default=8000, show_default=True)
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("dist/site"),
              show_default=True)
def preview(path, port, out):
    """Serve the pack in the learner's player on 127.0.0.1 and rebuild on save."""
    from .preview import serve
    serve(path or default_pack(), out, port)


if __name__ == "__main__":
    main()
