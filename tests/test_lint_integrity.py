"""Integrity lint: one content note per page, one name per character (suicide safety: test_lint_suicide.py)."""
from __future__ import annotations

from lintpack import lint_modules, lint_pages, page

NOTE = ["::: content-note", "This page talks about suicide.", ":::", ""]


def found(diags, code):
    return [(d["file"][-10:], d["line"], d["severity"]) for d in diags if d["code"] == code]


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
