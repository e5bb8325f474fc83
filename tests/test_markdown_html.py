"""The Markdown converter every delivery uses gives what stock Python-Markdown gives.

``markdown_shortcuts`` replaces Python-Markdown's inline passes with ones that skip the patterns
a piece of text cannot match (``TRIGGERS``), and skip other processors where they could change
nothing; ``markdown_html.render`` writes plain sentences without converting them. The HTML must
be the stock converter's (and nh3's), for the whole real pack and for every syntax, alone and
mixed (a trigger read wrongly off a pattern, or a skip where there was work, shows here).
"""
from __future__ import annotations

import random
from pathlib import Path

import markdown
import nh3
import pytest

from coursepack import elements, markdown_html, markdown_shortcuts
from coursepack.load import require_pack

from xss_payloads import PAYLOADS

REPO = Path(__file__).resolve().parent.parent

SYNTAX = [
    "line one  \nline two", "`code` and ``two `ticks` ``", "\\*not em\\* and \\[not a link\\]",
    "*em* **strong** ***both*** a * b", "_em_ __strong__ ___both___ a _ b", "~~gone~~", "H~2~O",
    "<b>bold</b>", "<!-- note -->", "&amp; &#35; &#x41; AT&T", "<https://example.org>", "<someone@example.org>",
    "[a link](https://example.org \"t\")", "![a picture](a.png)", "[ref][r] [r]\n\n[r]: https://example.org",
    "![pic][r] ![r]\n\n[r]: https://example.org", "[[term]] [[shown words|term]]", "[S1] [S2, S3a]",
    "[S4](#not-a-citation)", "(tm)", "(c)", "(r)", "+/-", "=/=", "-->", "<--", "<-->", "1/2 3/4", "1st 2nd 3rd 11th",
    "c/o",
    "- a *list* with [[term]]\n- 2nd item\n\n1. one\n2. two", "| a | b |\n|---|---|\n| *c* | [S1] |",
    "> a quote with **strong** text\n\n# heading\n\n    indented code *x*", "a_b_c snake_case 2*3*4",
    # Smart symbols only in a tail, in a nested element, beside our own syntax: their pass is
    # skipped only where none of its patterns matches anywhere in the tree.
    "**bold** then (c) in a tail", "*a* b *c* 1st", "[[term]] c/o [S1] 1/2", "> - [x](y) +/- =/=",
    "| a |\n|---|\n| 3rd --> |",
    # Character references the raw HTML preprocessor completes (it is skipped without < or &).
    "fish &chips &amp and &#39 too", "a <br> b\n\n<div>\nblock\n</div>",
    # Pipes below a first line without one (not a table); backslashes only in code, or in a link.
    "no table\n| a | b |\n|---|---|", "`a\\\\b` and `\\*`", "[a\\]b](https://example.org/\\_x)",
]


def _stock() -> markdown.Markdown:
    return markdown.Markdown(extensions=markdown_html._extensions())


def test_every_inline_pattern_has_the_triggers_read_off_it():
    md = markdown_html._converter()
    passes = [p for p in md.treeprocessors if isinstance(p, markdown_shortcuts.TriggeredInline)]
    assert len(passes) == 2          # Python-Markdown's inline pass and smart symbols'
    named = {item.name for p in passes for item in p.inlinePatterns._priority}
    assert named <= set(markdown_shortcuts.TRIGGERS)    # the rest are other versions' names


@pytest.mark.parametrize("source", SYNTAX + [s for s in PAYLOADS if isinstance(s, str)])
def test_each_syntax_converts_as_stock_markdown(source):
    stock = _stock()
    for text in (source, f"Before {source} after.", f"**{source}**", f"- {source}"):
        assert markdown_html._converter().convert(text) == stock.reset().convert(text), text


def _pack_sources() -> set[str]:
    pack = require_pack(REPO / "content").pack
    return {t for m in pack.modules for e in m.elements() for t in elements.learner_texts(e) if t}


def _stock_render(source: str) -> str:
    return markdown_html.sanitise(_stock().convert(source))


def test_the_real_pack_converts_as_stock_markdown():
    sources = _pack_sources()
    assert len(sources) > 300
    stock = _stock()
    for source in sorted(sources):
        assert markdown_html._converter().convert(source) == stock.reset().convert(source), source


@pytest.mark.parametrize("source", SYNTAX + [s for s in PAYLOADS if isinstance(s, str)])
def test_the_shared_cleaner_cleans_as_nh3_clean_with_the_allow_list(source):
    """``sanitise`` uses one ``nh3.Cleaner`` made at import; it must keep all of the allow-list."""
    for html in (source, _stock().convert(source)):
        assert markdown_html.sanitise(html) == nh3.clean(
            html, tags=markdown_html.TAGS, attributes=markdown_html.ATTRIBUTES,
            url_schemes=markdown_html.SCHEMES, allowed_classes=markdown_html.CLASS_VALUES,
            link_rel="noopener noreferrer", strip_comments=True), html


def _plain_fragments(count: int) -> list[str]:
    """Fragments made of what ``PLAIN`` allows, in every arrangement: words, punctuation alone or
    at either end of a word, hyphens inside words, runs of spaces, line and paragraph breaks."""
    rng = random.Random(26)
    pieces = ["a", "Help", "I", "x", "Trauma-Skilled", "on-the-go", "it's", "don’t", '"quoted"',
              ".", ",", ":", ";", "?", "'", '"', "’", "...", "Right.", "Why?", "so:", "e.g.", "A-B-C"]
    made = []
    for _ in range(count):
        words = [rng.choice(pieces) for _ in range(rng.randint(1, 8))]
        text = words[0]
        for word in words[1:]:
            text += rng.choice([" ", " ", " ", "  ", "\n", "\n\n"]) + word
        made.append(text)
    return made


def test_plain_fragments_are_written_as_stock_markdown_and_nh3_would():
    """``render`` writes plain sentences (``PLAIN``) without converting them: the same HTML."""
    plain = _plain_fragments(400) + [s for s in _pack_sources() if markdown_html.PLAIN.fullmatch(s)]
    assert len(plain) > 600
    for source in plain:
        assert markdown_html.PLAIN.fullmatch(source), source
        assert markdown_html.render(source) == _stock_render(source), source


@pytest.mark.parametrize("source", [
    " a", "a ", "a -b", "a- b", "-a", "- a", "a\n- b", "a\n\n\nb", "a\n \nb", "a\n=", "a\n---",
    "1st", "a\tb", "a\r\nb", "a  \nb", "a & b", "a < b", "a\xa0b", "(c) a", "a -- > b"])
def test_near_plain_fragments_convert_as_stock_markdown(source):
    assert not markdown_html.PLAIN.fullmatch(source)
    assert markdown_html.render(source) == _stock_render(source)


def test_plain_fragments_hold_no_inline_trigger_but_the_hyphen_and_newline():
    """The argument for ``PLAIN``: of the characters an inline pattern needs, only the hyphen (in
    a word) and the newline are plain; the one triggers only arrows, which need < or > as well,
    the other only line breaks, which need two spaces before it (a plain line ends in a word)."""
    triggers = set().union(*markdown_shortcuts.TRIGGERS.values())
    assert {c for c in triggers if markdown_html.PLAIN.fullmatch(f"a{c}a")} == {"-", "\n"}
    needing = {c: {name for name, needs in markdown_shortcuts.TRIGGERS.items() if c in needs}
               for c in "-\n"}
    assert needing == {"-": {"smart-arrows"}, "\n": {"linebreak"}}
