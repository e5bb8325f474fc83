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
# The real pack's first modules, enough for every row (a median-sized typical module, a long
# page for student_view); the whole pack (8 modules) took three times as long, to print the same
# rows. The scale rows build 2 and 4 generated modules: two points make the growth row, and the
# fourth is a reworded copy, as in a real scale run.
MODULES = 3
SIZES = (2, 4)
# Rows that may be skipped, with a reason, when what they measure is not installed here.
OPTIONAL = ("student_view:", "first paint:")
EXPECTED = ("build: cold, whole pack", "build: cold, SCORM 1.2 and SCORM 2004 builders, each alone", "build: warm, one page edited (all builders)",
            "build: warm, one page edited (preview: site only)", "export: module ", "package: ",
            "student_view: typical page, cold", "student_view: typical page, warm",
            "student_view: long page, cold", "student_view: long page, warm",
            "first paint: Slow 3G", "first paint: Fast 3G", *(f"scale: {n} modules" for n in SIZES),
            "scale: growth", "lint: the pack", "lint: a 20 MB page added",
            "player: widgets.js", "player: shell.js", "player: what an Open edX unit page loads", "report: ",
            "player: what a SCORM SCO loads")


def table_rows(output: str) -> list[list[str]]:
    """The cells of each body row of the Markdown table."""
    lines = [line for line in output.splitlines() if line.startswith("| ")]
    return [[cell.strip() for cell in line.strip("|").split(" | ")] for line in lines[1:]]


def as_folder_module(path: Path) -> Path:
    """Rewrite a single-file module as a folder module: module.md, then one file per section."""
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    end = lines.index("---", 1)
    folder = path.with_suffix("")
    folder.mkdir()
    (folder / "module.md").write_text("\n".join(lines[:end + 1]) + "\n", encoding="utf-8")
    body, files = lines[end + 1:], []
    for line in body:
        if line.startswith("# ") or not files:
            files.append([])
        files[-1].append(line)
    files = [chunk for chunk in files if any(line.strip() for line in chunk)]
    for n, chunk in enumerate(files, 1):
        (folder / f"{n:02d}-section.md").write_text("\n".join(chunk) + "\n", encoding="utf-8")
    path.unlink()
    return folder


def run_quick_bench(folder: Path) -> None:
    """One quick run on the first ``MODULES`` modules of the real pack, with its typical module
    (the one the warm rebuild edits) written as a folder module, so single-file and folder
    modules are both measured; its output in ``folder/output.txt``."""
    from benchmarks.cli import typical_module
    from benchmarks.synthetic import generate
    pack = generate(REPO / "content", folder / "content", MODULES)
    typical, _ = typical_module(pack)
    [path] = [p for p in (pack / "modules").glob("*.md") if f"id: {typical}\n" in p.read_text()]
    as_folder_module(path)
    proc = subprocess.run([sys.executable, "-m", "benchmarks", "--quick", "--sizes", ",".join(map(str, SIZES)),
                           "--pack", str(pack)], cwd=REPO, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert f"'{typical}' is the typical module" in proc.stdout
    (folder / "output.txt").write_text(proc.stdout, encoding="utf-8")


@pytest.fixture(scope="module")
def quick_output(once_per_run) -> str:
    """The quick bench's output, run once for the whole test run (both tests read it, and may
    run in different xdist workers)."""
    return (once_per_run("quick-bench", run_quick_bench) / "output.txt").read_text(encoding="utf-8")


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


FIXTURE = Path(__file__).parent / "fixtures" / "pack"


def folder_only_pack(tmp_path: Path) -> Path:
    """The fixture pack with its folder module only: the typical module is then a folder."""
    import shutil
    pack = tmp_path / "pack"
    shutil.copytree(FIXTURE, pack)
    (pack / "modules" / "every-element.md").unlink()
    from benchmarks.synthetic import keep_pathways
    (pack / "pack.yml").write_text(keep_pathways((pack / "pack.yml").read_text(), {"folder-mod"}))
    return pack


def test_a_folder_module_is_edited_in_its_page_files(tmp_path):
    from benchmarks.builds import edit_page, module_file
    from coursepack.load import require_pack
    pack = folder_only_pack(tmp_path)
    path = module_file(pack, "folder-mod")
    assert path.parent.name == "folder-mod" and path.name != "module.md"
    for r in range(2):
        edit_page(path, f"round {r}")
    assert path.read_text().count("(edit round 1)") == 1 and "(edit round 0)" not in path.read_text()
    require_pack(pack)


def test_a_page_of_elements_only_gets_a_new_sentence(tmp_path):
    from benchmarks.builds import edit_page, module_file
    from coursepack.load import require_pack
    import shutil
    pack = tmp_path / "pack"
    shutil.copytree(FIXTURE, pack)
    path = module_file(pack, "every-element")     # its middle page holds a reflection and a scenario
    edit_page(path, "one")
    edit_page(path, "two")
    assert path.read_text().count("An edited sentence. (edit two)") == 1 and "(edit one)" not in path.read_text()
    require_pack(pack)


def test_synthetic_packs_copy_folder_modules_as_folders(tmp_path):
    from benchmarks.synthetic import generate
    from coursepack.load import require_pack
    pack = generate(FIXTURE, tmp_path / "synthetic", 5)
    result = require_pack(pack)
    assert len(result.pack.modules) == 5
    folders = sorted(p.name for p in (pack / "modules").iterdir() if p.is_dir())
    assert folders == ["001-folder-mod", "003-folder-mod-2"]
    assert (pack / "modules" / "003-folder-mod-2" / "images" / "square.png").is_file()


def test_bench_on_a_broken_pack_says_why_without_a_traceback(tmp_path):
    pack = folder_only_pack(tmp_path)
    (pack / "modules" / "folder-mod" / "module.md").write_text("---\nid: folder-mod\n---\n")
    proc = subprocess.run([sys.executable, "-m", "benchmarks", "--quick", "--sizes", "2,3,4", "--pack", str(pack)],
                          cwd=REPO, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "missing 'title'" in proc.stderr and "valid pack" in proc.stderr
