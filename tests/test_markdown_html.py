"""The Markdown converter every delivery uses gives what stock Python-Markdown gives.

``markdown_html`` replaces Python-Markdown's inline pass with one that skips the patterns a piece
of text cannot match (``TRIGGERS``); the HTML must be the stock pass's, for the whole real pack
and for every inline syntax, alone and mixed (a trigger read wrongly off a pattern shows here).
"""
from __future__ import annotations

from pathlib import Path

import markdown
import nh3
import pytest

from coursepack import elements, markdown_html
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
]


def _stock() -> markdown.Markdown:
    return markdown.Markdown(extensions=markdown_html._extensions())


def test_every_inline_pattern_has_the_triggers_read_off_it():
    md = markdown_html._converter()
    passes = [p for p in md.treeprocessors if isinstance(p, markdown_html._TriggeredInline)]
    assert len(passes) == 2          # Python-Markdown's inline pass and smart symbols'
    named = {item.name for p in passes for item in p.inlinePatterns._priority}
    assert named == set(markdown_html.TRIGGERS)


@pytest.mark.parametrize("source", SYNTAX + [s for s in PAYLOADS if isinstance(s, str)])
def test_each_syntax_converts_as_stock_markdown(source):
    stock = _stock()
    for text in (source, f"Before {source} after.", f"**{source}**", f"- {source}"):
        assert markdown_html._converter().convert(text) == stock.reset().convert(text), text


def test_the_real_pack_converts_as_stock_markdown():
    pack = require_pack(REPO / "content").pack
    sources = {t for m in pack.modules for e in m.elements() for t in elements.learner_texts(e) if t}
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
