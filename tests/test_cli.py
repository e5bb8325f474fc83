"""The command line as an author or coordinator uses it."""
from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from coursepack.cli import main

REPO = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).parent / "fixtures" / "pack"


def test_lint_content_passes():
    out = CliRunner().invoke(main, ["lint", str(REPO / "content"), "--format", "json"])
    found = json.loads(out.stdout)
    assert out.exit_code == 0, [d for d in found if d["severity"] == "error"]


def test_catalog_formats():
    runner = CliRunner()
    rows = json.loads(runner.invoke(main, ["catalog", str(FIXTURE), "--format", "json"]).stdout)
    assert [r["id"] for r in rows] == ["every-element", "folder-mod"]
    first = rows[0]
    assert (first["questions"], first["reflections"], first["scenarios"]) == (3, 1, 1)
    assert first["outcomes"] == ["Know every element.", "Try each kind of question.", "Find the support lines."] and first["review_due"] == "2036-01-01"
    table = list(csv.DictReader(io.StringIO(runner.invoke(main, ["catalog", str(FIXTURE), "--format", "csv"]).stdout)))
    assert table[1]["id"] == "folder-mod" and table[1]["level"] == "skilled"
    md = runner.invoke(main, ["catalog", str(FIXTURE)]).stdout
    assert md.splitlines()[0].startswith("| id | title | level | duration")


def test_build_site_is_deterministic(tmp_path):
    runner = CliRunner()
    for out in ("a", "b"):
        result = runner.invoke(main, ["build", str(FIXTURE), "--out", str(tmp_path / out), "--only", "site"])
        assert result.exit_code == 0, result.output
    files = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*") if p.is_file())
    assert Path("site/every-element/index.html") in files
    assert Path("site/folder-mod/images/square.png") in files
    for rel in files:
        assert (tmp_path / "a" / rel).read_bytes() == (tmp_path / "b" / rel).read_bytes(), rel


def test_build_unknown_output_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(main, ["build", str(FIXTURE), "--out", str(tmp_path), "--only", "pdf"])
    assert result.exit_code == 2 and "unknown output" in result.output


def test_build_in_worker_processes_writes_the_same_bytes(tmp_path):
    """Modules are rendered in forked worker processes where there are cores to use: the output
    is the same, file for file, as a build in one process. (A fresh interpreter, because only a
    single-threaded process forks.)"""
    outputs = {}
    for jobs in (1, 2):
        out = tmp_path / f"jobs-{jobs}"
        proc = subprocess.run([sys.executable, "-m", "coursepack.cli", "build", str(REPO / "content"),
                               "--out", str(out), "--jobs", str(jobs)],
                              capture_output=True, text=True, cwd=REPO, timeout=600)
        assert proc.returncode == 0, proc.stderr
        assert f"in {jobs} process(es)" in proc.stderr, proc.stderr
        outputs[jobs] = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert len(outputs[1]) > 30 and outputs[1] == outputs[2]
