"""``commonground report``: the programme report from LMS exports (entry point
``commonground.commands``, name ``report``)."""
from __future__ import annotations

import calendar
import datetime as dt
import re
import sys
from pathlib import Path

import click

from . import decode, exports, figures as figs, formats, gradebook, openedx, render
from .periods import Period
from .problems import InputProblem
from .suppress import threshold

MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def _month(value: str | None, end: bool, name: str) -> dt.date | None:
    if not value:
        return None
    m = MONTH.match(value.strip())
    if not m or not 1 <= int(m[2]) <= 12:
        raise click.BadParameter(f"'{value}' is not a month written YYYY-MM (for example 2026-04)", param_hint=name)
    year, month = int(m[1]), int(m[2])
    return dt.date(year, month, calendar.monthrange(year, month)[1] if end else 1)


def period(since: str | None, until: str | None, name: str = "--since/--until") -> Period:
    start, stop = _month(since, False, name), _month(until, True, name)
    if start and stop and start > stop:
        raise click.BadParameter(f"the period starts ({since}) after it ends ({until})", param_hint=name)
    label = ("all dates" if not (start or stop) else
             f"{since or 'the start'} to {until or 'now'}")
    return Period(start, stop, label)


def read(path: Path, inputs: exports.Inputs, pack) -> None:
    """One download into ``inputs``; a file that breaks the reader in a way it does not foresee
    is still named, with what to do, rather than a traceback."""
    if openedx.is_ours(path):
        openedx.read(path, inputs, pack)
        return
    try:
        sheet = formats.read(path)
        if gradebook.is_grade_report(sheet):
            gradebook.read(sheet, inputs.gradebook, pack)
            return
        if inputs.openedx:
            raise InputProblem(path, "is given with an Open edX data file",
                               "report one LMS at a time: Moodle's files in one run, the Open edX files in another")
        exports.read_sheet(sheet, inputs)
    except InputProblem:
        raise
    except (ValueError, KeyError, IndexError, TypeError) as exc:
        raise InputProblem(path, f"could not be read as the LMS writes its reports ({type(exc).__name__}: {exc})",
                           "download it again from the LMS; if it still fails, report it with the file's first "
                           "row only (never the learners' rows)") from None


def run(files: list[Path], pack, questions: list[Path], main: Period,
        other: Period | None) -> dict[str, bytes]:
    """Read every file, work out the figures and build the two files, all in memory."""
    keys = decode.from_pack(pack)
    for path in questions:
        known = {(k.module, k.version) for k in keys}
        keys += [k for k in decode.from_questions_csv(path, pack) if (k.module, k.version) not in known]
    inputs = exports.Inputs(keys, periods=[main] + ([other] if other else []))
    for path in files:
        read(path, inputs, pack)
    if inputs.gradebook.files and (not inputs.openedx or inputs.read):
        raise InputProblem(", ".join(inputs.gradebook.files), "is an Open edX Grade Report, given without the "
                           "course's Open edX data file" if not inputs.read else
                           "is an Open edX Grade Report, given with Moodle's files",
                           "give it with the Common Ground data file of the same course, in a run of its own")
    if inputs.openedx and not any(inputs.attempts.values()) and not inputs.shared:
        raise InputProblem(", ".join(p.name for p in files), "holds no rows of this pack's modules",
                           "is it the data file of the course built from this pack (--pack)?")
    if not any(inputs.attempts.values()) and not inputs.openedx:
        raise InputProblem(", ".join(p.name for p in files), "hold no SCORM attempts of this pack's modules",
                           "add each SCORM activity's Basic or Interactions report: the completion and grade "
                           "exports alone do not say who started a module")
    k = threshold(pack.min_learners)
    result = figs.build(inputs, pack, main, k)
    sections = list(result.sections)
    if other is not None:
        sections.append(render.comparison(result, figs.build(inputs, pack, other, k), (main.label, other.label)))
    for section in sections:
        if section.id == "uptake":
            section.notes = inputs.notes + section.notes
    meta = {"title": pack.title, "period": f"Period: {main.label}", "built": render.built_on(),
            "files": len(files), "sources": ", ".join(sorted({k.source for k in keys})),
            "lms": f"Open edX, course {inputs.openedx[0]}" if inputs.openedx else "Moodle"}
    return {render.HTML: render.html(result, sections, meta), render.CSV: render.figures_csv(result, sections)}


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--pack", "pack_path", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="The content pack the course was built from (default: ./content, or the shipped pack).")
@click.option("--questions", multiple=True, type=click.Path(dir_okay=False, path_type=Path),
              help="A coordinator kit's questions.csv, for exports of another version of a module (repeatable).")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("report"), show_default=True,
              help="Folder for report.html and figures.csv.")
@click.option("--since", metavar="YYYY-MM", help="Count only from this month.")
@click.option("--until", metavar="YYYY-MM", help="Count only up to this month.")
@click.option("--compare", metavar="YYYY-MM:YYYY-MM",
              help="A second period to set beside the first (it must not overlap it).")
def report(files, pack_path, questions, out, since, until, compare):
    """Build a report for governance from LMS exports: report.html and figures.csv.

    FILES are Moodle downloads (CSV, ODS or Excel): each SCORM activity's Basic or Interactions
    report, the course completion report and the grader report's export; or one Open edX data
    file (a confidence check's staff download, or the commonground_report_data management
    command), with the course's Grade Report from the Instructor Dashboard for the platform's
    own gradebook beside it. No names or LMS ids are written; figures about fewer than 5 learners are
    suppressed. The files are only read.
    """
    from coursepack.cli import default_pack, err, load_or_exit   # pylint: disable=import-outside-toplevel
    main = period(since, until)
    other = None
    if compare:
        parts = compare.split(":")
        if len(parts) != 2:
            raise click.BadParameter("give the period as YYYY-MM:YYYY-MM", param_hint="--compare")
        other = period(parts[0], parts[1], "--compare")
        if other.overlaps(main):
            raise click.BadParameter(f"{other.label} overlaps {main.label}: periods that overlap would let "
                                     "a small group be worked out by subtraction", param_hint="--compare")
    pack = load_or_exit(pack_path or default_pack()).pack
    try:
        built = run(list(files), pack, list(questions), main, other)
    except InputProblem as exc:
        err.print(str(exc), markup=False, highlight=False)
        err.print("[red]No report was written.[/]")
        sys.exit(1)
    render.write(out, built)
    err.print(f"report: {out / render.HTML} and {out / render.CSV} ({len(files)} file(s) read)")
