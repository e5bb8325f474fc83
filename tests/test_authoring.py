"""What a new author meets: the guide's commands work as written, help describes every check in
plain text, messages come in cause order and keep whole lines, and YAML traps are caught."""
from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from coursepack.cli import main
from coursepack.lint.codes import table

REPO = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).parent / "fixtures" / "pack"
ALL_CODES = {code for group in table().values() for code in group}


def fenced_commands(doc: Path, prefix: str) -> list[str]:
    """The lines of a document's ``` blocks that start with ``prefix``."""
    blocks = re.findall(r"^```[^\n]*\n(.*?)^```", doc.read_text(), re.S | re.M)
    return [line.split("  #")[0].strip() for b in blocks for line in b.splitlines() if line.startswith(prefix)]


def test_the_guides_lint_commands_run_as_written():
    commands = fenced_commands(REPO / "docs" / "authoring.md", "scripts/commonground lint")
    assert "scripts/commonground lint content/" in commands
    for command in commands + fenced_commands(REPO / "README.md", "scripts/commonground lint"):
        proc = subprocess.run(command.split(), cwd=REPO, capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0, (command, proc.stdout[-2000:], proc.stderr[-2000:])
        assert "8 module(s), 0 error(s)" in proc.stderr


def raised_codes() -> set[str]:
    """Every code literal the loader, the kinds and the lint checks pass to Diagnostics.error/warn/add,
    to AssetRefused or to a kind's report (fragment.py parses single Open edX blocks, not packs)."""
    found = set()
    for path in (REPO / "coursepack").rglob("*.py"):
        if path.name == "fragment.py":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call):
                continue
            if (isinstance(node.func, ast.Attribute) and node.func.attr in ("error", "warn", "add")
                    and len(node.args) >= 3 and isinstance(node.args[2], ast.Constant)
                    and isinstance(node.args[2].value, str)):
                found.add(node.args[2].value)
            # Image refusals carry their code to the loader in an exception, and a kind's link
            # (Kind.link) through the report function it is given.
            if (isinstance(node.func, ast.Name) and node.func.id in ("AssetRefused", "report") and node.args
                    and isinstance(node.args[0], ast.Constant)):
                found.add(node.args[0].value)
    return found


def test_lint_help_lists_every_check_with_its_code():
    codes = raised_codes()
    assert len(codes) > 50 and {"yaml", "stigmatising-term", "merged-list-item", "outcome-count"} <= codes
    assert codes - ALL_CODES == set(), "codes raised but not in coursepack/lint/codes.py nor in a kind's codes"
    assert ALL_CODES - codes == set(), "codes listed that nothing raises"
    out = CliRunner().invoke(main, ["lint", "--help"], terminal_width=80).output
    for code in ALL_CODES:
        assert re.search(rf"^    {re.escape(code)}\s", out, re.M), code
    assert max(len(line) for line in out.splitlines()) <= 80


def test_help_is_plain_text():
    runner = CliRunner()
    for args in ([], ["lint"], ["build"], ["export"], ["catalog"], ["preview"]):
        out = runner.invoke(main, [*args, "--help"]).output
        assert "``" not in out and ":func:" not in out and ".. " not in out, (args, out)
    assert "Lint, build, catalog and preview" in runner.invoke(main, ["--help"]).output


def pack_copy(tmp_path: Path) -> Path:
    root = tmp_path / ("x" * 60) / "content"
    shutil.copytree(FIXTURE, root)
    return root


def test_messages_keep_whole_lines_when_not_a_terminal(tmp_path):
    root = pack_copy(tmp_path)
    page = root / "modules" / "folder-mod" / "01-first.md"
    page.write_text(page.read_text() + "\nCited [S99].\n")
    proc = subprocess.run([str(Path(sys.executable).parent / "commonground"), "build", str(root), "--out",
                           str(tmp_path / "dist")], capture_output=True, text=True, timeout=300,
                          env={**os.environ, "COLUMNS": "40", "TERM": "dumb"})
    assert proc.returncode == 1
    [line] = [line for line in proc.stderr.splitlines() if "S99" in line]
    assert line.startswith(str(Path("content") / "modules" / "folder-mod" / "01-first.md") + ":")
    assert line.endswith("[unknown-source]")


def lint_json(root: Path) -> list[dict]:
    out = CliRunner().invoke(main, ["lint", str(root), "--format", "json", "--today", "2026-06-01"])
    assert "Traceback" not in out.output
    return json.loads(out.stdout)


def test_a_front_matter_yaml_error_comes_first_and_hides_no_source(tmp_path):
    root = pack_copy(tmp_path)
    head = root / "modules" / "folder-mod" / "module.md"
    text = head.read_text()
    head.write_text(text.replace("summary: Pages in separate files.", "summary: Pages: in separate files."))
    pages = sorted((root / "modules" / "folder-mod").glob("0*.md"))
    pages[0].write_text(pages[0].read_text() + "\nSee [S2] and [S2].\n")
    found = [d for d in lint_json(root) if "folder-mod" in d["file"] and d["severity"] == "error"]
    assert found[0]["code"] == "yaml" and found[0]["file"].endswith("module.md") and found[0]["line"] == 4
    assert [d for d in found if d["code"] in ("unknown-source", "unknown-term")] == []
    # Fixed, the citations are checked again (and are fine: S2 is a source of the module).
    head.write_text(text)
    assert [d for d in lint_json(root) if d["code"] in ("yaml", "unknown-source")] == []


def test_a_list_item_indented_too_far_is_caught(tmp_path):
    root = pack_copy(tmp_path)
    head = root / "modules" / "folder-mod" / "module.md"
    head.write_text(head.read_text().replace(
        "outcomes: [Read pages from files., Find each page., Look at the pictures.]",
        "outcomes:\n  - Name three things that help.\n   - Ask the person what they need.\n  - Read pages from files."))
    found = lint_json(root)
    [merged] = [d for d in found if d["code"] == "merged-list-item"]
    assert merged["file"].endswith("folder-mod/module.md") and merged["line"] == 10
    assert "Name three things that help. - Ask the person what they need." in merged["message"]
    [count] = [d for d in found if d["code"] == "outcome-count" and "folder-mod" in d["file"]]
    assert count["line"] == 8 and "2 learning outcome(s)" in count["message"] and "3 to 5" in count["message"]


def test_outcome_count_is_checked_per_module(tmp_path):
    """Three outcomes (every-element) pass; two (folder-mod, edited here) are reported there alone."""
    root = pack_copy(tmp_path)
    head = root / "modules" / "folder-mod" / "module.md"
    head.write_text(head.read_text().replace("outcomes: [Read pages from files., Find each page., Look at the pictures.]", "outcomes: [One thing., Two things.]"))
    found = lint_json(root)
    assert [d["file"] for d in found if d["code"] == "outcome-count"] == [
        str(Path("content") / "modules" / "folder-mod" / "module.md")]
