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
from markdown.preprocessors import HtmlBlockPreprocessor
from markdown.treeprocessors import InlineProcessor as InlinePass

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


# What a piece of text must hold for each inline pattern (by its registered name) to match in
# it: one of these characters. Read off each pattern's regular expression (every way through it
# passes one of them); a pattern not named here is always tried.
TRIGGERS: dict[str, frozenset[str]] = {name: frozenset(chars) for name, chars in {
    "backtick": "`", "escape": "\\", "cg-term": "[", "cg-cite": "[", "reference": "[", "link": "[",
    "short_reference": "[", "image_link": "!", "image_reference": "!", "short_image_ref": "!",
    "autolink": "<", "automail": "<", "html": "<", "linebreak": "\n", "entity": "&", "em_strong": "*_",
    "delimiter": "~", "smart-trademark": "(", "smart-copyright": "(", "smart-registered": "(",
    "smart-plus-minus": "+", "smart-arrows": "-", "smart-not-equal": "=", "smart-fractions": "/",
    "smart-ordinal-numbers": "0123456789", "smart-care-of": "/",
}.items()}


class _TriggeredInline(InlinePass):
    """Python-Markdown's inline pass, which tries a pattern on a piece of text only when the text
    holds a character the pattern needs (``TRIGGERS``). The stock pass runs every pattern's search
    on every piece (about twenty on each line of prose), a third of the time of rendering a
    module: a pattern skipped here is one whose search would have found nothing, which the stock
    pass answers with the same text, "not matched" and the next search starting at 0, so the HTML
    is the same. Replaces ``__handleInline`` (Python-Markdown's name, mangled)."""

    def __init__(self, stock: InlinePass, skip_unmatched: bool = False) -> None:
        self.__dict__.update(stock.__dict__)
        self._skip_unmatched = skip_unmatched
        self._patterns = list(self.inlinePatterns)      # in priority order, as the stock pass
        self._triggers = [TRIGGERS.get(item.name) for item in self.inlinePatterns._priority]
        self._searches = [(needs, pattern.getCompiledRegExp())
                          for needs, pattern in zip(self._triggers, self._patterns)]
        # Any character some pattern needs; None when a pattern has no triggers (always tried).
        self._wanted = None if None in self._triggers else re.compile(
            "[" + re.escape("".join(sorted(set().union(*self._triggers)))) + "]")

    def run(self, tree: etree.Element, ancestors: list[str] | None = None) -> etree.Element:
        """The stock pass; with ``skip_unmatched``, not when no pattern finds anything in any text
        of the tree: the stock pass would hand every text back as it was, and walking the tree to
        do so costs more than the searches. That is smart symbols' pass: its patterns ("(c)",
        "1st", "-->" ...) match in hardly any fragment. Python-Markdown's own pass has work in
        four fragments of five, where the searches would only add to it."""
        if not self._skip_unmatched or any(
                self._matches(text) for el in tree.iter() for text in (el.text, el.tail) if text):
            return super().run(tree, ancestors)
        return tree

    def _matches(self, text: str) -> bool:
        """Whether a pattern of this pass (one whose triggers the text holds) finds a match in
        ``text``: a superset of where the pass would apply one."""
        if self._wanted is not None and not self._wanted.search(text):
            return False
        held = set(text)
        for needs, regex in self._searches:
            if (needs is None or not held.isdisjoint(needs)) and regex.search(text):
                return True
        return False

    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:
        if isinstance(data, markdown.util.AtomicString):
            return data
        patterns, triggers, apply = self._patterns, self._triggers, self._InlineProcessor__applyPattern
        held, start, count = set(data), 0, len(patterns)
        while patternIndex < count:
            needs = triggers[patternIndex]
            if needs is not None and held.isdisjoint(needs):
                patternIndex, start = patternIndex + 1, 0
                continue
            data, matched, start = apply(patterns[patternIndex], data, patternIndex, start)
            if matched:
                held = set(data)
            else:
                patternIndex += 1
        return data


def _triggered(md: markdown.Markdown) -> markdown.Markdown:
    """``md`` with each of its inline passes (Python-Markdown's own, and smart symbols') as a
    ``_TriggeredInline`` (every pass but Python-Markdown's own, "inline", skipped where it would
    match nothing); unchanged where this Python-Markdown's pass has no ``__handleInline``."""
    if not hasattr(InlinePass, "_InlineProcessor__handleInline"):
        return md
    for item in list(md.treeprocessors._priority):
        stock = md.treeprocessors[item.name]
        if type(stock) is InlinePass:
            triggered = _TriggeredInline(stock, skip_unmatched=item.name != "inline")
            md.treeprocessors.register(triggered, item.name, item.priority)
    return md


class _HtmlBlocks(HtmlBlockPreprocessor):
    """Python-Markdown's raw HTML preprocessor, not run on text without "<" or "&". It feeds the
    text to an HTML parser (a tenth of converting a fragment) to take out what the parser reports
    as tags, comments, declarations and character references, each of which starts with one of
    those two; the rest it hands back as it was, line for line."""

    def run(self, lines: list[str]) -> list[str]:
        if any("<" in line or "&" in line for line in lines):
            return super().run(lines)
        return lines


def _html_blocks(md: markdown.Markdown) -> markdown.Markdown:
    """``md`` with its raw HTML preprocessor as a ``_HtmlBlocks``."""
    item = next(item for item in md.preprocessors._priority if item.name == "html_block")
    if type(md.preprocessors[item.name]) is HtmlBlockPreprocessor:
        md.preprocessors.register(_HtmlBlocks(md), item.name, item.priority)
    return md


def _converter() -> markdown.Markdown:
    """This thread's Markdown instance. Building one (extensions, patterns, processors) costs
    more than most conversions, so it is made once per thread (instances are not thread-safe)
    and reset before each use, which is what Python-Markdown documents for reuse."""
    md = getattr(_local, "md", None)
    if md is None:
        md = _local.md = _html_blocks(_triggered(markdown.Markdown(extensions=_extensions())))
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
# their ``TRIGGERS`` it holds only the hyphen, for arrows, which need < or > too, and the newline,
# for line breaks, which need two spaces before it), and neither Python-Markdown nor nh3
# escapes any of its characters. So Markdown makes each paragraph a ``<p>``, one newline between
# them, and nh3 keeps that as it is: ``render`` writes it directly, uncached (writing it costs
# less than looking it up); tests/test_markdown_html.py holds it to stock Python-Markdown and nh3.
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
