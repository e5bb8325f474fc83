"""Integrity lint: suicide safety in scenarios, one content note per page, one name per character."""
from __future__ import annotations

from lintpack import lint_modules, lint_pages, page

NOTE = ["::: content-note", "This page talks about suicide.", ":::", ""]


def scenario(start_text: str, ask: bool) -> list[str]:
    second = ('- [Ask: "Are you thinking about suicide?"](#end) {#c-ask}' if ask
              else "- [Say goodbye](#end) {#c-bye}")
    return ["::: scenario {#s-test}", "#### Start {#start}", start_text, "",
            second, "      Feedback.", "", "#### End {#end .ending}", "Over.", ":::"]


def found(diags, code):
    return [(d["file"][-10:], d["line"], d["severity"]) for d in diags if d["code"] == code]


def test_hopeless_scenario_that_never_asks_is_an_error(tmp_path):
    text, first = page("Story", "story", NOTE + scenario("*Ali is a fictional person.* Ali says: \"What's the point?\"", ask=False))
    diags = lint_pages(tmp_path, text)
    assert found(diags, "suicide-not-asked") == [("01-page.md", first + len(NOTE), "error")]


def test_hopeless_scenario_that_asks_on_a_page_with_a_note_passes(tmp_path):
    text, _ = page("Story", "story", NOTE + scenario("*Ali is a fictional person.* Ali feels hopeless.", ask=True))
    diags = lint_pages(tmp_path, text)
    assert found(diags, "suicide-not-asked") == [] and found(diags, "suicide-no-content-note") == []


def test_hopeless_scenario_without_a_content_note_is_a_warning(tmp_path):
    text, first = page("Story", "story", scenario("*Ali is a fictional person.* Ali feels hopeless.", ask=True))
    assert found(lint_pages(tmp_path, text), "suicide-no-content-note") == [("01-page.md", first - 2, "warning")]


def test_a_page_with_two_content_notes_is_a_warning(tmp_path):
    one, _ = page("One note", "one", NOTE + ["Text."])
    two, first = page("Two notes", "two", NOTE + NOTE + ["Text."])
    diags = lint_pages(tmp_path, one, two)
    assert found(diags, "two-content-notes") == [("02-page.md", first - 2, "warning")]


def test_a_content_note_block_on_the_first_page_doubles_the_front_matter_note(tmp_path):
    # The folder-mod fixture's front matter has no content_note; give it one.
    first_page, first = page("Start", "start", NOTE + ["Text."])
    diags = lint_pages(tmp_path, first_page, front_extra="content_note: Mentions suicide.\n")
    assert found(diags, "two-content-notes") == [("01-page.md", first - 2, "warning")]
    assert "front matter" in [d for d in diags if d["code"] == "two-content-notes"][0]["hint"]


def test_a_character_name_used_in_two_modules_is_a_warning(tmp_path):
    first = ['::: lived-experience {by="Morven, peer worker (an illustrative composite)"}', "Words.", ":::"]
    second = ["Morven said hello."]
    diags = lint_modules(tmp_path, first, second)
    [d] = [d for d in diags if d["code"] == "character-name-reused"]
    assert d["severity"] == "warning" and "'Morven'" in d["message"] and d["file"].endswith("m2.md")
