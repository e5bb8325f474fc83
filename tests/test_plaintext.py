"""One Markdown-to-plain-text function (``coursepack.plaintext``) for every place markup cannot go:
the readability formulas, the coordinator's spreadsheet and a learner's downloaded reflections."""
from __future__ import annotations

import pytest

from coursepack.plaintext import plain_text
from coursepack.readability import reading_age, sentences


@pytest.mark.parametrize("markdown, text", [
    ("Ask **what matters** to the person.", "Ask what matters to the person."),
    ("Use [[person-first words|person-first language]] always.", "Use person-first words always."),
    ("Read the [guidance](https://example.org/a_b) first.", "Read the guidance first."),
    ("Most people avoided help [S31]. Some did not [S2, S3].", "Most people avoided help. Some did not."),
    ("Fish &amp; chips, \\*not\\* emphasis", "Fish & chips, *not* emphasis"),
    ("A paragraph whose lines\nare wrapped in the file.", "A paragraph whose lines are wrapped in the file."),
    ("### A heading\n\n- one\n- two\n    1. nested\n\nLast.", "A heading\none\ntwo\nnested\nLast."),
    ("| Avoid | Prefer |\n|---|---|\n| addict | person who uses drugs |", "Avoid Prefer\naddict person who uses drugs"),
    ("<script>alert(1)</script>Hello", "Hello"),
    ("", ""),
])
def test_plain_text_is_what_a_person_reads(markdown, text):
    assert plain_text(markdown) == text


def test_how_the_lines_are_wrapped_in_the_file_does_not_change_the_reading_age():
    one_line = ("When a person tells you about their drug use, thank them for telling you, ask what "
                "matters most to them today, and agree together what the next step will be.") * 2
    wrapped = one_line.replace(", ", ",\n")
    assert sentences(wrapped) == sentences(one_line)
    assert reading_age(sentences(wrapped)) == reading_age(sentences(one_line)) > 0


def test_a_list_item_or_heading_ends_a_sentence():
    assert sentences("### What you will learn\n\n- what stigma is\n- how to challenge it") == \
        "What you will learn. what stigma is. how to challenge it."
