"""``commonground report`` on what a real Moodle 5.0.6+ gave a teacher (tests/fixtures/moodle-reports:
its README says who did what and holds an independent count from Moodle's own tables).

The generated exports of test_report.py follow Moodle's code; these are the files themselves, and
they found what the generated ones could not: Moodle writes its ODS downloads indented, which the
spreadsheet reader refused as damaged."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest
from click.testing import CliRunner

from coursepack.cli import main as cli
from coursepack.load import require_pack
from governance_report import decode

from support import CONTENT

FIXTURES = Path(__file__).parent / "fixtures" / "moodle-reports"
#: Every made-up name, username part and email domain in the downloads (fixture README).
PEOPLE = ("Ash", "Blair", "Corrie", "Dale", "Eden", "Finlay", "Glen", "Harper", "Islay", "Jude", "Kelsey",
          "Lindsay", "Marley", "Nairn", "Orla", "Perrin", "Quinn", "Robin", "Sorley", "Tamsin", "Umber", "Vale", "Wren", "Yarrow",
          "Casey", "Learner0", "Learner1", "Coordinator",
          "example.org")
SETS = {
    "text": ("cm2-scorm12-interactions.txt", "grades-txt.csv", "course-completion-utf8.csv"),
    "ods": ("cm2-scorm12-interactions.ods", "grades-ods.ods", "course-completion-utf8.csv"),
    "excel": ("cm2-scorm12-interactions.xlsx", "grades-xls.xlsx", "course-completion-excel.csv"),
}


def _report(out: Path, *names: str) -> tuple[str, list[dict]]:
    outcome = CliRunner().invoke(cli, ["report", *(str(FIXTURES / n) for n in names), "--pack", str(CONTENT),
                                       "--out", str(out)])
    assert outcome.exit_code == 0, outcome.output
    with (out / "figures.csv").open(encoding="utf-8-sig", newline="") as f:
        return (out / "report.html").read_text(encoding="utf-8"), list(csv.DictReader(f))


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    pytest.importorskip("python_calamine", reason="reading ODS and Excel needs the report extra: pip install -e '.[report]'")
    return {kind: _report(tmp_path_factory.mktemp(kind), *names) for kind, names in SETS.items()}


def _value(rows: list[dict], table: str, row: str, column: str) -> str:
    found = [r["value"] for r in rows if table in r["table"] and r["row"].startswith(row) and r["column"] == column]
    assert found, (table, row, column)
    return found[0]


def test_every_format_moodle_offers_gives_the_same_figures(reports):
    figures = {kind: rows for kind, (_, rows) in reports.items()}
    assert figures["ods"] == figures["text"] == figures["excel"] and len(figures["text"]) > 50


def _counted(block: str) -> list[list[str]]:
    """The output rows of one query of the README's count from Moodle's tables (``-- block``)."""
    text = (FIXTURES / "README.md").read_text(encoding="utf-8")
    lines = text.split(f"-- {block}\n", 1)[1].split("\n")
    query_end = next(n for n, line in enumerate(lines) if line.rstrip().endswith(";"))
    rows = []
    for line in lines[query_end + 1:]:
        if line.startswith("--") or line.startswith("```") or "\t" not in line:
            break
        rows.append(line.split("\t"))
    return rows


#: The README's ``progress`` columns → the report's cells (table, column).
PROGRESS = {1: ("how many have finished", "Started"), 2: ("how many have finished", "Finished"),
            3: ("how many have finished", "Not finished yet"),
            4: ("by when they passed", "Passed on the first attempt"),
            5: ("by when they passed", "Passed on a later attempt"), 6: ("by when they passed", "Not passed yet"),
            7: ("by when they passed", "Had a score")}


def test_completion_and_pass_figures_equal_moodles_own_tables(reports):
    """The README's count from mdl_scorm_scoes_value, mdl_course_modules_completion and
    mdl_grade_grades (by the report's rules): at cmid 2 every figure of the uptake and pass tables
    is 5 or more, so every one is shown, and each equals the count."""
    _, rows = reports["text"]
    counted = {row[0]: row for row in _counted("progress")}["2"]
    for column, (table, cell) in PROGRESS.items():
        assert _value(rows, table, "Understanding stigma", cell) == counted[column], (cell, counted)
    assert all(int(counted[c]) >= 5 for c in PROGRESS)


def test_confidence_figures_equal_moodles_own_tables(reports):
    """The README's count of rating pairs (a learner's first "before" and last "after" rating of a
    statement): each figure the report shows equals it; "Rated before and after" and "Higher after"
    are shown for every statement of cmid 2."""
    _, rows = reports["text"]
    texts = {ident.rsplit(".", 1)[0]: s.text for k in decode.from_pack(require_pack(CONTENT).pack)
             if k.module == "stigma" for ident, s in k.statements.items()}      # cf_before.explain → its text
    counted = [r for r in _counted("confidence_change") if r[0] == "2"]
    assert len(counted) == 3
    for _, _, statement, lower, same, higher, both in counted:
        row = f"Understanding stigma: {texts[statement]}"
        for cell, count in (("Lower after", lower), ("Same", same), ("Higher after", higher),
                            ("Rated before and after", both)):
            shown = _value(rows, "Change in confidence", row, cell)
            assert shown == count if shown[0].isdigit() else shown in ("fewer than 5", "not shown"), (row, cell)
            assert int(count) >= 5 or shown == "fewer than 5", (row, cell)
        assert _value(rows, "Change in confidence", row, "Rated before and after") == both
        assert _value(rows, "Change in confidence", row, "Higher after") == higher


def test_no_person_is_named_in_the_report(reports):
    for html, rows in reports.values():
        text = html + "\n".join(",".join(r.values()) for r in rows)
        assert [p for p in PEOPLE if p in text] == []


def test_a_2004_activity_is_never_reported_as_unanswered(tmp_path):
    html, _ = _report(tmp_path, "cm3-scorm2004-interactions.txt")
    assert "does not mean nobody answered" in html
