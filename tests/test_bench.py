"""``scripts/bench --quick`` runs and prints every row with a figure. No test asserts a time:
times depend on the machine; what must not break is that the benchmark runs and says something."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
NUMBER = re.compile(r"\d")
# Rows that may be skipped, with a reason, when what they measure is not installed here.
OPTIONAL = ("student_view:", "first paint:")
EXPECTED = ("build: cold, whole pack", "build: warm, one page edited (all builders)",
            "build: warm, one page edited (preview: site only)", "export: module ", "package: ",
            "student_view: typical page, cold", "student_view: typical page, warm",
            "student_view: long page, cold", "student_view: long page, warm",
            "first paint: Slow 3G", "first paint: Fast 3G", "scale: 5 modules", "scale: 10 modules",
            "scale: 20 modules", "scale: growth", "lint: the pack", "lint: a 20 MB page added")


def table_rows(output: str) -> list[list[str]]:
    """The cells of each body row of the Markdown table."""
    lines = [line for line in output.splitlines() if line.startswith("| ")]
    return [[cell.strip() for cell in line.strip("|").split(" | ")] for line in lines[1:]]


@pytest.fixture(scope="module")
def quick_output() -> str:
    proc = subprocess.run([sys.executable, "-m", "benchmarks", "--quick"], cwd=REPO, capture_output=True,
                          text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc.stdout


@pytest.mark.slow
def test_quick_bench_prints_every_row_with_a_number(quick_output):
    rows = table_rows(quick_output)
    measures = [r[0] for r in rows]
    for expected in EXPECTED:
        assert any(m.startswith(expected) for m in measures), f"no row '{expected}' in:\n{quick_output}"
    for measure, value, *_ in rows:
        if value.startswith("skipped: "):
            assert measure.startswith(OPTIONAL), f"'{measure}' was skipped: {value}"
            assert len(value) > len("skipped: "), f"'{measure}' was skipped without a reason"
        else:
            assert NUMBER.search(value), f"'{measure}' has no figure: {value!r}"


@pytest.mark.slow
def test_quick_bench_notes_the_machine_and_names_missed_targets(quick_output):
    assert re.search(r"^machine: \d+ cores", quick_output, re.M)
    assert re.search(r"^targets not met: \d+", quick_output, re.M)
    missed = [r[0] for r in table_rows(quick_output) if r[5] == "**no**"]
    for measure in missed:
        assert f"- {measure}" in quick_output


def test_scripts_bench_is_a_thin_entry_point():
    script = (REPO / "scripts" / "bench").read_text()
    assert "python\" -m benchmarks" in script
    assert (REPO / "scripts" / "bench").stat().st_mode & 0o111
