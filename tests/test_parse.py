"""Every element type parses into the model and renders; the model keeps authors' ids."""
from __future__ import annotations

from pathlib import Path

import pytest

from coursepack.completion import module_key, summarise
from coursepack.load import load_pack, require_pack
from coursepack.model import Callout, Confidence, Prose, Question, Reflection, Scenario
from coursepack.render import render_page, render_shell

FIXTURE = Path(__file__).parent / "fixtures" / "pack"


@pytest.fixture(scope="module")
def result():
    return require_pack(FIXTURE)


def test_pack_metadata(result):
    pack = result.pack
    assert pack.title == "Test pack"
    assert pack.course.org == "TestOrg" and pack.course.run == "2026"
    assert [m.id for m in pack.modules] == ["every-element", "folder-mod"]
    assert pack.support_lines[0].contact == "0800 000 000"
    assert pack.pathways[0].modules == ("every-element", "folder-mod")


def test_front_matter(result):
    m = result.pack.module("every-element")
    assert (m.duration, m.level, m.pass_mark, m.version, m.language) == (15, "informed", 50, "1.2.0", "en-GB")
    assert m.sources[0].url == "https://example.org/source"
    assert str(m.review_due) == "2036-01-01"
    assert dict(m.glossary) == {"local term": "Defined in the module."}


def test_sections_and_pages(result):
    m = result.pack.module("every-element")
    assert [s.id for s in m.sections] == ["first", "second"]
    assert [p.id for p in m.pages] == ["welcome", "questions", "thinking", "end"]
    assert m.pages[0].line == 30 and m.pages[0].file.endswith("every-element.md")


def test_every_element_kind(result):
    m = result.pack.module("every-element")
    kinds = [type(e) for e in m.pages[0].elements]
    assert kinds == [Prose, Confidence, Callout, Callout, Callout, Callout]
    assert [e.style for e in m.pages[0].elements if isinstance(e, Callout)] == \
        ["key-point", "lived-experience", "content-note", "pause"]
    assert m.pages[0].elements[3].by == "Sam (an illustrative composite)"

    single, multi, tf = m.questions
    assert (single.id, single.type, single.correct_ids) == ("q-single", "single", ("a",))
    assert single.options[1].feedback == "No, because."
    assert single.explanation == "Because of [S1]."
    assert (multi.type, multi.attempts, multi.weight, multi.correct_ids) == ("multiple", 2, 2.0, ("a", "b"))
    assert tf.type == "truefalse" and tf.correct_ids == ("f",)

    (reflection,) = m.reflections
    assert isinstance(reflection, Reflection) and reflection.max_length == 500

    (scenario,) = m.scenarios
    assert isinstance(scenario, Scenario) and scenario.title == "A story"
    assert [s.id for s in scenario.steps] == ["start", "later", "good"]
    assert scenario.start.choices[0].target == "good" and scenario.step("good").ending

    before, after = m.confidence_checks
    assert [s.id for s in before.statements] == ["one", "two"]
    assert after.after == "cf-before" and after.statements == before.statements


def test_folder_module_pages_from_files(result):
    m = result.pack.module("folder-mod")
    assert [p.id for p in m.pages] == ["page-one", "page-two"]
    assert m.pages[1].file.endswith("02-second.md") and m.pages[1].line == 1
    assert m.questions[0].line == 3


def test_fingerprint_tracks_meaning_not_wording(result):
    q = result.pack.module("every-element").questions[0]
    from dataclasses import replace
    reworded = replace(q, prompt="Choose one, please.", options=tuple(replace(o, text=o.text + "!") for o in q.options))
    assert reworded.fingerprint == q.fingerprint
    remapped = replace(q, options=tuple(replace(o, correct=not o.correct) for o in q.options))
    assert remapped.fingerprint != q.fingerprint


def test_render_page_has_widgets_and_glossary(result):
    pack = result.pack
    m = pack.module("every-element")
    html = render_page(m.pages[0], pack, m)
    assert 'data-cg-kind="confidence"' in html
    assert 'href="#welcome-cg-term-co-occurrence"' in html and 'id="welcome-cg-term-co-occurrence"' in html
    assert "Defined in the module." in html and "Test line" in html  # module glossary, pause support lines
    q = render_page(m.pages[1], pack, m)
    assert q.count('type="radio"') == 4 and q.count('type="checkbox"') == 3
    assert "Yes, because." not in q  # feedback comes from grading, not the markup


def test_shell_embeds_key_safely(result):
    pack = result.pack
    m = pack.module("every-element")
    html = render_shell(m, pack, scripts=["widgets.js", "shell.js"], transport="local")
    assert html.index('src="widgets.js"') < html.index('src="shell.js"'), "the shell extends the widgets"
    assert html.count("<script") == 3 and 'type="application/json"' in html
    assert "Content-Security-Policy" in html and "script-src 'self'" in html
    assert module_key(m)["questions"]["q-single"]["correct"] == ["a"]


def test_completion_rule(result):
    m = result.pack.module("every-element")
    pages = [p.id for p in m.pages]
    assert not summarise(m, pages, {"q-single": True, "q-multi": True}).complete
    done = summarise(m, pages, {"q-single": True, "q-multi": False, "q-tf": True})
    assert done.complete and done.score == 50.0 and done.passed  # weights 1 + 2 + 1
    assert not summarise(m, pages[:-1], {"q-single": True, "q-multi": True, "q-tf": True}).complete
    # Reflections never count: nothing about them appears in the rule's inputs.
    assert summarise(m, pages, {"q-single": False, "q-multi": False, "q-tf": True}).passed is False


def test_load_keeps_going_after_errors(tmp_path):
    (tmp_path / "modules").mkdir()
    (tmp_path / "pack.yml").write_text((FIXTURE / "pack.yml").read_text())
    result = load_pack(tmp_path)
    assert result.pack is not None and result.diagnostics.errors
