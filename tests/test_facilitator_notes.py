"""Facilitator notes (``::: facilitator``): the kit uses them, no e-learning delivery shows them,
and lint reads them as it reads every other line.

The promise to authors is that adding a note changes none of a module's e-learning outputs, so
the test builds the pack with every note taken out and again with extra notes in awkward places
(straight after a heading, between two paragraphs, inside a paragraph, after a scenario, at the
very end), and compares the sha256 of every SCORM, OLX, site, Moodle and coordinator file."""
from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from coursepack.cli import main as cli
from coursepack.load import require_pack

from support import CONTENT

#: Every output learners or coordinators get; the facilitator kit is the one that uses notes.
ELEARNING = ("scorm12", "scorm2004", "olx", "site", "moodle", "coordinator")
NOTE = re.compile(r"\n::: facilitator[^\n]*\n.*?\n:::\n(?=\n)", re.S)


def _strip_notes(text: str) -> str:
    """The Markdown as it was before any note was added: each block and the blank line before it."""
    return NOTE.sub("", text)


def _with_extra_notes(text: str) -> str:
    """Module 03 with notes where a careless cut of the Markdown would show: after a heading,
    between and inside paragraphs, after a scenario, at the end of the module."""
    note = "::: facilitator\nAsk the group what they would do. There is no wrong answer here.\n:::"
    heading = "### Which comes first?\n"
    assert heading in text
    text = text.replace(heading, f"{heading}\n{note}\n", 1)
    paragraph = "Mental health problems can lead to substance use. Substance use can\n"
    assert paragraph in text
    text = text.replace(paragraph, f"{paragraph}{note}\n", 1)                  # inside a paragraph
    text = re.sub(r"(\n::: scenario \{#s-morag.*?\n:::\n)", lambda m: f"{m.group(1)}\n{note}\n", text, count=1, flags=re.S)
    blank = "\n\nThere is no single answer."
    assert blank in text
    text = text.replace(blank, f"\n\n{note}{blank}", 1)                          # between two blocks of prose
    return text.rstrip("\n") + f"\n\n{note}\n"


def _build(pack: Path, out: Path, *only: str) -> dict[str, str]:
    args = ["build", str(pack), "--out", str(out), "--jobs", "1"]
    for name in only:
        args += ["--only", name]
    outcome = CliRunner().invoke(cli, args)
    assert outcome.exit_code == 0, outcome.output
    return {p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(out.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def packs(tmp_path_factory):
    """(without notes, with the shipped notes and more)."""
    root = tmp_path_factory.mktemp("packs")
    without, with_notes = root / "without", root / "with"
    shutil.copytree(CONTENT, without)
    shutil.copytree(CONTENT, with_notes)
    for module in (without / "modules").glob("*.md"):
        module.write_text(_strip_notes(module.read_text(encoding="utf-8")), encoding="utf-8")
    target = with_notes / "modules" / "03-co-occurring.md"
    target.write_text(_with_extra_notes(target.read_text(encoding="utf-8")), encoding="utf-8")
    return without, with_notes


def test_notes_change_no_elearning_output(packs, tmp_path):
    without, with_notes = packs
    assert "::: facilitator" not in "".join(p.read_text(encoding="utf-8") for p in (without / "modules").glob("*.md"))
    before = _build(without, tmp_path / "before", *ELEARNING)
    after = _build(with_notes, tmp_path / "after", *ELEARNING)
    assert len(before) > 30 and before.keys() == after.keys()
    assert [name for name in before if before[name] != after[name]] == []


def test_the_kit_puts_every_note_in_the_speaker_notes(packs, tmp_path):
    pptx = pytest.importorskip("pptx", reason="python-pptx is missing: pip install -e '.[kit]'")
    _, with_notes = packs
    _build(with_notes, tmp_path, "facilitator")
    module = next(m for m in require_pack(with_notes).pack.modules if m.id == "co-occurring")
    written = sum(1 for e in module.elements() if e.kind == "facilitator")
    deck = pptx.Presentation(str(tmp_path / "facilitator" / "co-occurring" / "slides.pptx"))
    notes = [s.notes_slide.notes_text_frame.text for s in deck.slides if s.has_notes_slide]
    shown = [" ".join(sh.text_frame.text for sh in s.shapes if sh.has_text_frame) for s in deck.slides]
    assert sum(n.count("Facilitator's note:") for n in notes) == written >= 5
    assert not any("There is no wrong answer here" in text for text in shown)


def test_shipped_modules_have_notes_for_every_scenario_and_close():
    """Issue 23: at least each scenario and each module's close has a note for facilitators."""
    for module in require_pack(CONTENT).pack.modules:
        last = module.pages[-1]
        assert any(e.kind == "facilitator" for e in last.elements), f"{module.id}: no note on its last page"
        for page in module.pages:
            kinds = [e.kind for e in page.elements]
            for n, kind in enumerate(kinds):
                if kind == "scenario":
                    assert "facilitator" in kinds[n + 1:], f"{module.id}/{page.id}: no note after its scenario"


def _lint(root: Path) -> list[dict]:
    """Module 01's problems, through ``commonground lint --format json``."""
    outcome = CliRunner().invoke(cli, ["lint", str(root), "--format", "json"])
    return [d for d in json.loads(outcome.output) if d["file"].endswith("01-stigma.md")]


def _pack_with(tmp_path: Path, block: str) -> tuple[Path, int]:
    root = tmp_path / "pack"
    shutil.copytree(CONTENT, root)
    module = root / "modules" / "01-stigma.md"
    text = module.read_text(encoding="utf-8")
    heading = next(l for l in text.splitlines() if l.startswith("## "))
    text = text.replace(heading + "\n", f"{heading}\n\n{block}\n", 1)
    module.write_text(text, encoding="utf-8")
    return module, text.splitlines().index(block.splitlines()[0]) + 1


@pytest.mark.parametrize("block,code,offset", [
    ("::: facilitator\n:::", "empty-block", 0),
    ("::: facilitator {#my-note}\nAsk the group.\n:::", "unexpected-id", 0),
    ("::: facilitator\nAsk the group how they would speak to an addict.\n:::", "stigmatising-term", 1),
    ("::: facilitator\nAsk the group what they would do.", "unclosed-block", 0),
])
def test_a_bad_note_is_a_lint_error_at_its_line(tmp_path, block, code, offset):
    """At the block's line, or for a word from the language table at the line it is on."""
    module, line = _pack_with(tmp_path, block)
    line += offset
    found = _lint(module.parent.parent)
    mine = [d for d in found if d["code"] == code]
    assert mine and mine[0]["line"] == line and mine[0]["severity"] == "error", found


def test_notes_count_for_no_learner_check(tmp_path):
    """A long, hard note does not raise the page's reading age: learners never read it."""
    hard = ("::: facilitator\n" + " ".join(["Consider the organisational, interprofessional and epidemiological "
                                              "considerations underpinning multidisciplinary collaboration."] * 6) + "\n:::")
    module, _ = _pack_with(tmp_path, hard)
    assert sorted(d["code"] for d in _lint(module.parent.parent)) == sorted(d["code"] for d in _lint(CONTENT))
