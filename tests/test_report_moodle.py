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

from support import CONTENT

FIXTURES = Path(__file__).parent / "fixtures" / "moodle-reports"
#: Every made-up name, username part and email domain in the downloads (fixture README).
PEOPLE = ("Ash", "Blair", "Corrie", "Dale", "Eden", "Finlay", "Glen", "Harper", "Islay", "Jude", "Casey",
          "Learner0", "Learner1", "Coordinator", "example.org")
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


def test_the_figures_equal_moodles_own_tables(reports):
    """The README's count from mdl_scorm_attempt / mdl_scorm_scoes_value: 8 learners with an
    attempt at cmid 2 (6 complete: 2 not, so both are hidden); learners 01, 02, 05, 06 and 10
    sent a "before" and an "after" rating of every statement (03 kept theirs on the device, 04
    and 09 sent only "before")."""
    _, rows = reports["text"]
    assert _value(rows, "how many have finished", "Understanding stigma", "Started") == "8"
    assert _value(rows, "how many have finished", "Understanding stigma", "Not finished yet") == "fewer than 5"
    assert _value(rows, "how many have finished", "Understanding stigma", "Finished") == "not shown"
    rated = [r["value"] for r in rows if r["column"] == "Rated before and after"]
    assert rated == ["5"] * 3


def test_no_person_is_named_in_the_report(reports):
    for html, rows in reports.values():
        text = html + "\n".join(",".join(r.values()) for r in rows)
        assert [p for p in PEOPLE if p in text] == []


def test_a_2004_activity_is_never_reported_as_unanswered(tmp_path):
    html, _ = _report(tmp_path, "cm3-scorm2004-interactions.txt")
    assert "does not mean nobody answered" in html
