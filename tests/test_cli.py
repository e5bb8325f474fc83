"""The command line as an author or coordinator uses it."""
from __future__ import annotations

import csv
import io
import json
import os
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


def test_site_rebuild_writes_again_a_page_removed_or_changed_since(tmp_path):
    """The site keeps only the stamps of the pages it wrote: a rebuild in the same process writes
    nothing for an unchanged pack, and writes again a page that was removed or changed on disk."""
    runner = CliRunner()

    def build() -> str:
        result = runner.invoke(main, ["build", str(FIXTURE), "--out", str(tmp_path), "--only", "site"])
        assert result.exit_code == 0, result.output
        return result.output

    build()
    removed, changed = tmp_path / "site/every-element/index.html", tmp_path / "site/folder-mod/index.html"
    first = {p: p.read_bytes() for p in (removed, changed)}
    assert "(0 file(s) written)" in build()
    removed.unlink()
    changed.write_bytes(b"edited by hand")
    assert "(2 file(s) written)" in build()
    assert {p: p.read_bytes() for p in (removed, changed)} == first


def test_build_unknown_output_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(main, ["build", str(FIXTURE), "--out", str(tmp_path), "--only", "pdf"])
    assert result.exit_code == 2 and "unknown output" in result.output


def test_lint_takes_one_module_file_and_checks_it_in_its_pack(tmp_path):
    """``lint content/modules/x.md``: that module alone, in its pack's context (a term from the
    pack's glossary is known); another module's problems are not listed."""
    import shutil
    pack = tmp_path / "content"
    shutil.copytree(FIXTURE, pack)
    one = pack / "modules" / "every-element.md"
    one.write_text(one.read_text().replace("## Questions {#questions}", "## Questions {#welcome}"))
    page = pack / "modules" / "folder-mod" / "02-second.md"
    page.write_text(page.read_text().replace("{#q-folder}", "{#page-two}"))
    runner = CliRunner()
    whole = json.loads(runner.invoke(main, ["lint", str(pack), "--format", "json"]).stdout)
    assert {Path(d["file"]).name for d in whole if d["severity"] == "error"} == {"every-element.md", "02-second.md"}

    out = runner.invoke(main, ["lint", str(one)])
    assert out.exit_code == 1, out.output
    assert "content/modules/every-element.md:" in out.stdout and "duplicate-id" in out.stdout
    assert "02-second.md" not in out.stdout and "unknown-term" not in out.stdout
    assert f"{one}: 1 error(s)" in out.stderr and "checked in the pack" in out.stderr
    for path in (page, page.parent):              # a folder module's page, or the folder
        found = json.loads(runner.invoke(main, ["lint", str(path), "--format", "json"]).stdout)
        assert {d["file"] for d in found if d["severity"] == "error"} == {"content/modules/folder-mod/02-second.md"}


def test_lint_says_what_to_give_for_a_file_that_is_no_module(tmp_path):
    loose = tmp_path / "notes.md"
    loose.write_text("# Notes\n")
    out = CliRunner().invoke(main, ["lint", str(loose)])
    assert out.exit_code == 2 and "is not in a pack" in out.output and "Traceback" not in out.output
    out = CliRunner().invoke(main, ["lint", str(FIXTURE / "pack.yml")])    # the pack's own file: the pack
    assert out.exit_code == 0 and "2 module(s)" in out.stderr


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


def test_build_jobs_hold_for_a_builder_sharing_its_own_work(monkeypatch):
    """``build --jobs N`` is what ``jobs()`` answers while the builders run (the facilitator kit
    shares its modules among that many processes), and only then."""
    from coursepack.processes import ENV, jobs, jobs_set
    monkeypatch.setenv(ENV, "3")
    with jobs_set(1):
        assert jobs() == 1
    assert jobs() == 3
    monkeypatch.delenv(ENV)
    with jobs_set(2):
        assert jobs() == 2
    assert ENV not in os.environ


def test_a_builder_that_builds_on_another_runs_after_it_in_its_process(tmp_path):
    """The Moodle backup reuses the SCORM 1.2 builder's packages through that builder's caches:
    over several processes it runs after it, in the same one (apart, each made every package);
    every other builder is a piece of its own; outcomes still come in name order."""
    import time as clock
    from coursepack.builders import builds_on, run
    from coursepack.processes import can_fork

    def builder(name):
        def build(result, out):
            clock.sleep(0.05)
            return f"{os.getpid()} {clock.monotonic()}"
        build.__name__ = name
        return build

    chosen = {n: builder(n) for n in ("a", "moodle", "scorm12", "site", "zz")}
    builds_on("scorm12")(chosen["moodle"])
    outcomes = list(run(None, tmp_path, chosen, processes=2))
    assert [o.name for o in outcomes] == sorted(chosen)
    seen = {o.name: o.summary.split() for o in outcomes}
    assert seen["moodle"][0] == seen["scorm12"][0]
    assert float(seen["moodle"][1]) > float(seen["scorm12"][1])
    if can_fork():
        assert len({pid for pid, _ in seen.values()}) == 2, seen
    from coursepack import builders
    from scorm_export.moodle import backup
    assert backup.build.builds_on == "scorm12"
    assert builders._groups({"moodle": backup.build}) == [("moodle",)]


def test_a_build_keeps_every_builders_compiled_templates_for_the_next(tmp_path):
    """Each template a build compiles (the pages', and every builder's own: the SCORM manifests,
    the Moodle backup, the facilitator kit) is kept in Jinja's bytecode cache of the user's
    temporary folder, so the next build process loads it instead of compiling it again."""
    import hashlib
    env = {**os.environ, "TMPDIR": str(tmp_path / "tmp")}
    (tmp_path / "tmp").mkdir()
    run = subprocess.run([sys.executable, "-m", "coursepack.cli", "build", str(REPO / "content"), "--out", str(tmp_path / "out")],
                         capture_output=True, text=True, timeout=600, cwd=REPO, env=env)
    assert run.returncode == 0, run.stderr
    kept = {p.name for p in (tmp_path / "tmp").glob(f"_jinja2-cache-{os.getuid()}/*.cache")}
    tag = f"__jinja2_py{sys.version_info[0]}{sys.version_info[1]}_"
    for folder, names in ((REPO / "facilitator_export" / "templates", ("index.html", "session_plan.html", "handout.html")),
                          (REPO / "scorm_export" / "templates", ("manifest-1.2.xml", "manifest-2004.xml")),
                          (REPO / "scorm_export" / "moodle" / "templates", ("root/moodle_backup.xml",))):
        for name in names:
            key = hashlib.sha1(f"{name}|{(folder / name).resolve()}".encode()).hexdigest()
            assert f"{tag}{key}.cache" in kept, f"{folder / name} was compiled and not kept"


def test_control_characters_pasted_from_word_are_errors_lint_fix_deletes(tmp_path):
    """Invisible control characters (a vertical tab from Word, a bell from a PDF) in a page and in
    the front matter: lint names each line as an editor numbers it (the vertical tab does not
    split its line), build refuses with that message instead of a traceback, and lint --fix
    deletes them, keeping the rest of each line."""
    import shutil
    pack = tmp_path / "pack"
    shutil.copytree(FIXTURE, pack)
    module = pack / "modules" / "every-element.md"
    lines = module.read_text(encoding="utf-8").split("\n")
    title = next(n for n, line in enumerate(lines) if line.startswith("title:"))
    lines[title] += " \x07"
    page = next(n for n, line in enumerate(lines) if line.startswith("## "))
    lines[page + 1:page + 1] = ["", "Pasted\x0bfrom Word, with a form feed\x0c here.", ""]
    lines.insert(page + 4, "::: not-a-kind")          # an error after the pasted line, to check its number
    lines.insert(page + 5, ":::")
    module.write_text("\n".join(lines), encoding="utf-8")
    runner = CliRunner()

    found = json.loads(runner.invoke(main, ["lint", str(pack), "--format", "json"]).stdout)
    control = sorted(d["line"] for d in found if d["code"] == "control-character")
    assert control == [title + 1, page + 3]
    assert any(d["line"] == page + 5 for d in found if d["code"] != "control-character"), found
    built = runner.invoke(main, ["build", str(pack), "--out", str(tmp_path / "out")])
    assert built.exit_code != 0 and "control character" in built.output and "Traceback" not in built.output
    assert not (tmp_path / "out").exists()

    fixed = runner.invoke(main, ["lint", str(pack), "--fix", "--format", "json"])
    assert not [d for d in json.loads(fixed.stdout) if d["code"] == "control-character"]
    text = module.read_text(encoding="utf-8")
    assert "Pastedfrom Word, with a form feed here." in text and "\x07" not in text and "\x0b" not in text
