"""Author Markdown → safe HTML, in one place for every delivery.

Authors write Markdown, but Markdown passes raw HTML through, and the same text reaches learners
inside Open edX and inside other organisations' LMSs. So, as xblock-poll does, the HTML that
Python-Markdown produces is then cleaned by an allow-list (nh3, the Ammonia sanitiser): only the
tags and attributes listed here survive, URLs must be http(s), mailto, tel or relative, and
everything else (scripts, event handlers, styles, SVG, MathML, data: URLs) is dropped.
Results are cached by source text: rendering is a pure function of it.
"""
from __future__ import annotations

import hashlib
import re
import threading
import xml.etree.ElementTree as etree
from contextlib import contextmanager
from functools import lru_cache
from typing import Iterator

import markdown
import nh3
from markdown.inlinepatterns import InlineProcessor

TAGS = {"p", "br", "strong", "em", "b", "i", "u", "s", "del", "ins", "sub", "sup", "mark", "small",
        "ul", "ol", "li", "dl", "dt", "dd", "a", "h3", "h4", "h5", "h6", "blockquote", "code", "pre",
        "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td", "img", "hr", "abbr", "cite",
        "span", "figure", "figcaption"}
ATTRIBUTES = {
    "a": {"href", "title", "hreflang"},
    "img": {"src", "alt", "title", "width", "height"},
    "th": {"scope", "colspan", "rowspan", "align"},
    "td": {"colspan", "rowspan", "align"},
    "abbr": {"title"},
    "ol": {"start"},
    "*": {"lang"},
}
SCHEMES = {"http", "https", "mailto", "tel"}
# Our own markup for glossary terms survives, but only with our own class values.
CLASS_VALUES = {"a": {"cg-term"}, "span": {"cg-cite"}}

# The inline syntax authors use, shared with the loader's reference checks.
TERM_PATTERN = r"\[\[([^\]|]+?)(?:\|([^\]]+?))?\]\]"
CITATION_PATTERN = r"\[(S\d+[a-z]?(?:\s*[,;]\s*S\d+[a-z]?)*)\](?!\()"


def term_anchor(term: str) -> str:
    return "cg-term-" + re.sub(r"[^a-z0-9]+", "-", term.lower()).strip("-")


def term_prefix(prefix: str, anchor: str) -> str:
    """What goes before ``cg-term-...`` in the ids of a page's (or a block's) definitions."""
    return f"{prefix}{anchor}-"


def anchor_terms(html: str, prefix: str) -> str:
    """Point the term links of rendered HTML at definitions whose ids start with ``prefix``
    (one document may hold many pages or blocks, each with its own list of words)."""
    return html.replace('href="#cg-term-', f'href="#{prefix}cg-term-')


class _TermPattern(InlineProcessor):
    """``[[term]]`` / ``[[shown words|term]]`` → a link to the definition beside the page."""

    def handleMatch(self, m, data):
        term = (m.group(2) or m.group(1)).strip()
        el = etree.Element("a", {"class": "cg-term", "href": "#" + term_anchor(term)})
        el.text = m.group(1).strip()
        return el, m.start(0), m.end(0)


class _CitationPattern(InlineProcessor):
    """``[S31]`` → a quiet citation marker, so source keys never read as broken links."""

    def handleMatch(self, m, data):
        el = etree.Element("span", {"class": "cg-cite"})
        el.text = f"[{m.group(1)}]"
        return el, m.start(0), m.end(0)


class CommonGroundExtension(markdown.Extension):
    def extendMarkdown(self, md):
        md.inlinePatterns.register(_TermPattern(TERM_PATTERN, md), "cg-term", 180)
        md.inlinePatterns.register(_CitationPattern(CITATION_PATTERN, md), "cg-cite", 179)


# Made once: ``nh3.clean`` with these keywords builds the same allow-list on every call, which
# cost four times the cleaning of a typical fragment; a Cleaner is immutable and can be shared by
# threads (nh3 0.3 and later).
_CLEANER = nh3.Cleaner(tags=TAGS, attributes=ATTRIBUTES, url_schemes=SCHEMES,
                       allowed_classes=CLASS_VALUES, link_rel="noopener noreferrer",
                       strip_comments=True)


def sanitise(html: str) -> str:
    return _CLEANER.clean(html)


_local = threading.local()


def _extensions() -> list[markdown.Extension]:
    """Tables, sane lists, ``~~deleted~~``/``~sub~`` and smart symbols, then our own syntax.

    Given as instances, not by name: Python-Markdown looks a name up among the entry points of
    every installed distribution, which cost more than converting a whole module. Imported
    here, when the first converter is built, so what only loads a pack does not import them."""
    from markdown.extensions.sane_lists import SaneListExtension
    from markdown.extensions.tables import TableExtension
    from pymdownx.smartsymbols import SmartSymbolsExtension
    from pymdownx.tilde import DeleteSubExtension
    return [TableExtension(), SaneListExtension(), DeleteSubExtension(), SmartSymbolsExtension(),
            CommonGroundExtension()]


def _converter() -> markdown.Markdown:
    """This thread's Markdown instance. Building one (extensions, patterns, processors) costs
    more than most conversions, so it is made once per thread (instances are not thread-safe)
    and reset before each use, which is what Python-Markdown documents for reuse."""
    md = getattr(_local, "md", None)
    if md is None:
        from .markdown_shortcuts import shortcut
        md = _local.md = shortcut(markdown.Markdown(extensions=_extensions()))
    return md.reset()


def prepare() -> None:
    """Build this thread's converter now: a process about to fork workers calls it, so that
    they inherit one (a fork copies the forking thread's own data) instead of each building it."""
    _converter()


# Room for every fragment of a pack of several hundred modules (about 80 each): builders run one
# after another over the whole pack, so a cache smaller than the pack is emptied by each before
# the next reads it, and every builder renders everything again.
CACHE_SIZE = 65536

# digest of the source → sanitised HTML, oldest first (when it is full, the oldest quarter goes,
# at once: one at a time from the front of a dictionary costs more the more have gone); see
# ``render``. Keyed by a digest, not the source: the build process keeps every fragment of the
# pack for the builders it forks (which count them again), 41,000 for 500 modules, and the
# sources were a third of that room (as the ordered dictionary's own links were another).
_rendered_cache: dict[bytes, str] = {}
_lock = threading.Lock()
# While ``recording``, what this process converts is also added to each of these.
_recordings: list[dict[bytes, str]] = []


# A fragment of plain sentences only: words of ASCII letters and these punctuation marks (a hyphen
# only between two letters), spaces between words, lines joined by one newline (the same
# paragraph) or two (the next). More than half of a module's fragments (feedback, options,
# prompts) are such, and converting one costs as much as everything else done with it. No block
# syntax can start a line of it (lists, headings, rules, quotes, tables, references and setext
# underlines need a digit, a symbol or leading spaces), no inline pattern can match in it (of
# the characters in ``markdown_shortcuts.TRIGGERS`` it holds only the hyphen, for arrows, which
# need < or > too, and the newline, for line breaks, which need two spaces before it), and
# neither Python-Markdown nor nh3 escapes any of its characters. So Markdown makes each paragraph
# a ``<p>``, one newline between them, and nh3 keeps that as it is: ``render`` writes it
# directly, uncached (writing it costs less than looking it up); tests/test_markdown_html.py
# holds it to stock Python-Markdown and nh3.
_WORD = r"(?:[A-Za-z,.'’\"?:;]|(?<=[A-Za-z])-(?=[A-Za-z]))+"
_LINE = rf"{_WORD}(?: +{_WORD})*"
PLAIN = re.compile(rf"{_LINE}(?:\n\n?{_LINE})*")


def _digest(source: str) -> bytes:
    return hashlib.blake2b(source.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def render(source: str) -> str:
    """Render a Markdown fragment to sanitised HTML (cached by source: a pure function of it;
    plain sentences, ``PLAIN``, are written directly)."""
    if not source:
        return ""
    if PLAIN.fullmatch(source):
        return "<p>" + source.replace("\n\n", "</p>\n<p>") + "</p>"
    digest = _digest(source)
    html = _rendered_cache.get(digest)
    if html is None:
        html = sanitise(_converter().convert(source))
        remember({digest: html})
        for made in _recordings:
            made[digest] = html
    return html


def remember(rendered: dict[bytes, str]) -> None:
    """Keep fragments rendered elsewhere (e.g. by a render worker: ``recording``) as if
    rendered here."""
    with _lock:
        _rendered_cache.update(rendered)
        if len(_rendered_cache) > CACHE_SIZE:
            kept = list(_rendered_cache.items())[-(CACHE_SIZE * 3 // 4):]
            _rendered_cache.clear()
            _rendered_cache.update(kept)


@contextmanager
def recording() -> Iterator[dict[bytes, str]]:
    """What is rendered within it and was not in the cache (as ``remember`` takes it).

    A render worker sends it back with the pages it rendered, and the build process keeps it
    (``remember``): the builders' processes, forked after the rendering, then find every
    fragment of the pack instead of converting it again (each of them did, a second time)."""
    made: dict[bytes, str] = {}
    _recordings.append(made)
    try:
        yield made
    finally:
        _recordings.remove(made)


@lru_cache(maxsize=CACHE_SIZE)
def render_inline(source: str) -> str:
    """Render a one-line fragment (an option, a choice) without the wrapping paragraph."""
    html = render(source)
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return html


TERM_USE = re.compile(TERM_PATTERN)


def terms_used(source: str) -> list[str]:
    """The glossary terms a fragment marks, in order of first use, lower-cased."""
    seen: list[str] = []
    for m in TERM_USE.finditer(source or ""):
        term = (m.group(2) or m.group(1)).strip().lower()
        if term not in seen:
            seen.append(term)
    return seen
