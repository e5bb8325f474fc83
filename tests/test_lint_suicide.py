"""Suicide-safety lint (content brief 9a): a scenario in which someone may be thinking about
suicide, in any words, must show a worker asking them directly, in any words.

The phrasings here are deliberately not the shipped pack's own (a test checks that), so the rules
are shown to work on words an author has not written yet, not only on the words they were fixed on.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from lintpack import lint_pages, page

REPO = Path(__file__).resolve().parent.parent
NOTE = ["::: content-note", "This page talks about suicide.", ":::", ""]

# Someone may be thinking about suicide: hopelessness and explicit intent.
SIGNS = [
    'Ali says: "I just want to die."',
    "Ali says everyone would be better off without her.",
    '"They would all be better off if I died," Ali whispers.',
    "Ali says she is going to kill herself tonight.",
    '"I keep thinking I might kill myself," Ali says.',
    '"There\'s no point going on," Ali says.',
    "Ali talks about ending her own life.",
    "Ali says she wants to take her life.",
    "Ali has felt suicidal since the winter.",
    '"I\'ve got nothing left to live for," Ali says.',
    '"I can\'t take it any more," Ali says.',
    "Ali says she does not want to wake up tomorrow.",
    "Ali says she won't be around much longer.",
    "Ali has had thoughts of dying every night.",
    "Ali says she wishes she was dead.",
    '"Sometimes I want to end it all," Ali says.',
]

# A worker asking the person directly, in words other than the pack's.
ASKS = [
    "Are you having thoughts of ending your life?",
    "Are you thinking about killing yourself?",
    "Have you had any thoughts of suicide lately?",
    "Are you feeling suicidal right now?",
    "Do you ever feel like you want to die?",
    "Have you been thinking of taking your own life?",
    "Is suicide something you have been thinking about?",
    "I need to ask you this. Are you planning to end your life?",
]

# Kind questions, but none asks the person directly about suicide.
NOT_ASKING = [
    "Are you OK?",
    "Are you safe at home tonight?",
    "Do you know if she has thought about suicide?",
    "Ask her if she is thinking about suicide.",
    "Are you thinking about your rent?",
]

# Everyday words that share a verb with the signs.
NOT_SIGNS = [
    "Ali ended the call and took her coat.",
    "The new job changed her life for the better.",
    "Ali killed time in the waiting room.",
    "Ali is dying to see her children again.",
    "The form asks about her whole life.",
]


def scenario(start: str, choice: str) -> list[str]:
    return ["::: scenario {#s-test}", "#### Start {#start}", f"*Ali is a fictional person.* {start}", "",
            f"- [{choice}](#end) {{#c-one}}", "      Feedback.", "", "#### End {#end .ending}", "Over.", ":::"]


def not_asked(diags) -> list[dict]:
    return [d for d in diags if d["code"] == "suicide-not-asked"]


def pack_text() -> str:
    text = " ".join(p.read_text() for p in (REPO / "content" / "modules").rglob("*.md"))
    return " ".join(text.replace("’", "'").lower().split())


@pytest.mark.parametrize("words", SIGNS + ASKS + NOT_ASKING + NOT_SIGNS)
def test_the_phrasings_here_are_not_the_packs_own(words):
    assert " ".join(words.lower().split()) not in pack_text()


@pytest.mark.parametrize("start", SIGNS)
def test_any_sign_of_suicide_without_asking_is_an_error(tmp_path, start):
    text, first = page("Story", "story", NOTE + scenario(start, "Say goodbye"))
    [d] = not_asked(lint_pages(tmp_path, text))
    assert (d["line"], d["severity"]) == (first + len(NOTE), "error")
    assert "s-test" in d["message"] and "directly" in d["hint"]


@pytest.mark.parametrize("question", ASKS)
def test_asking_directly_in_other_words_is_accepted(tmp_path, question):
    text, _ = page("Story", "story", NOTE + scenario('Ali says: "I just want to die."', f'Ask: "{question}"'))
    assert not_asked(lint_pages(tmp_path, text)) == []


@pytest.mark.parametrize("question", NOT_ASKING)
def test_a_question_that_is_not_asking_directly_is_not_enough(tmp_path, question):
    text, _ = page("Story", "story", NOTE + scenario("Ali says she would be better off dead.", f'Ask: "{question}"'))
    assert len(not_asked(lint_pages(tmp_path, text))) == 1


@pytest.mark.parametrize("start", NOT_SIGNS)
def test_everyday_words_are_not_a_sign(tmp_path, start):
    text, _ = page("Story", "story", NOTE + scenario(start, "Say goodbye"))
    assert not_asked(lint_pages(tmp_path, text)) == []


def test_the_sign_is_found_across_a_line_break_and_in_a_choice(tmp_path):
    start = ["::: scenario {#s-test}", "#### Start {#start}", "*Ali is a fictional person.* Ali says she",
             "wants to die.", "", "- [Ali: \"What's the point of going on?\"](#end) {#c-one}", "      Feedback.",
             "", "#### End {#end .ending}", "Over.", ":::"]
    text, _ = page("Story", "story", NOTE + start)
    [d] = not_asked(lint_pages(tmp_path, text))
    assert '"wants to die"' in d["message"]


def test_a_hopeless_scenario_that_asks_on_a_page_with_a_note_passes(tmp_path):
    text, _ = page("Story", "story", NOTE + scenario("Ali feels hopeless.", 'Ask: "Are you thinking about suicide?"'))
    diags = lint_pages(tmp_path, text)
    assert not_asked(diags) == [] and [d for d in diags if d["code"] == "suicide-no-content-note"] == []


def test_a_scenario_about_suicide_without_a_content_note_is_a_warning(tmp_path):
    text, first = page("Story", "story", scenario("Ali says she wants to end her life.",
                                                  'Ask: "Are you having thoughts of suicide?"'))
    found = [(d["line"], d["severity"]) for d in lint_pages(tmp_path, text) if d["code"] == "suicide-no-content-note"]
    assert found == [(first - 2, "warning")]
