"""Python-Markdown's processors, less the work that could change nothing.

Every delivery renders author Markdown through one converter (``markdown_html``), over a hundred
fragments a module, and Python-Markdown's processors do all their work on every fragment, whether
or not it holds anything they look for. Each class here is one of those processors with a test
that skips it (or part of it) where the stock one would hand its input back unchanged, so the
HTML is the stock converter's, byte for byte: tests/test_markdown_html.py compares the two over
the whole pack and every syntax. Imported when the first converter is built, as the extensions
are, so that what only loads a pack does not import them.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as etree

import markdown
from markdown.extensions.tables import TableProcessor
from markdown.preprocessors import HtmlBlockPreprocessor
from markdown.treeprocessors import InlineProcessor as InlinePass
from markdown.treeprocessors import UnescapeTreeprocessor


# What a piece of text must hold for each inline pattern (by its registered name) to match in
# it: one of these characters. Read off each pattern's regular expression (every way through it
# passes one of them); a pattern not named here is always tried. "em_strong2" and "not_strong" are
# Python-Markdown 3.10's and older (edx-platform pins 3.10): its "em_strong" needs only "*".
TRIGGERS: dict[str, frozenset[str]] = {name: frozenset(chars) for name, chars in {
    "backtick": "`", "escape": "\\", "cg-term": "[", "cg-cite": "[", "reference": "[", "link": "[",
    "short_reference": "[", "image_link": "!", "image_reference": "!", "short_image_ref": "!",
    "autolink": "<", "automail": "<", "html": "<", "linebreak": "\n", "entity": "&", "em_strong": "*_",
    "em_strong2": "_", "not_strong": "*_",
    "delimiter": "~", "smart-trademark": "(", "smart-copyright": "(", "smart-registered": "(",
    "smart-plus-minus": "+", "smart-arrows": "-", "smart-not-equal": "=", "smart-fractions": "/",
    "smart-ordinal-numbers": "0123456789", "smart-care-of": "/",
}.items()}


class TriggeredInline(InlinePass):
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


class HtmlBlocks(HtmlBlockPreprocessor):
    """Python-Markdown's raw HTML preprocessor, not run on text without "<" or "&". It feeds the
    text to an HTML parser to take out what the parser reports as tags, comments, declarations
    and character references, each of which starts with one of those two; the rest it hands back
    as it was, line for line. (A seventieth of the time of rendering a module's fragments.)"""

    def run(self, lines: list[str]) -> list[str]:
        if any("<" in line or "&" in line for line in lines):
            return super().run(lines)
        return lines


class Tables(TableProcessor):
    """The tables extension's block processor, whose test splits the first line of every block
    into cells to see if it heads a table: a line without "|" is one cell with no border, which
    the stock test answers "no". (A twentieth of the time of rendering a module's fragments.)"""

    def test(self, parent: etree.Element, block: str) -> bool:
        return "|" in block.partition("\n")[0] and super().test(parent, block)


class Unescape(UnescapeTreeprocessor):
    """Python-Markdown's last tree pass, not run when the text has no backslash. It puts back the
    characters that backslashes escaped, in every text and attribute of the tree; the placeholders
    it looks for come only from a backslash in the text (an escape, or one in a code span), as the
    first preprocessor drops any of their delimiters an author typed. (A thirtieth of the time.)"""

    def run(self, root: etree.Element) -> None:
        if any("\\" in line for line in self.md.lines):
            super().run(root)


def shortcut(md: markdown.Markdown) -> markdown.Markdown:
    """``md`` with each of its inline passes as a ``TriggeredInline`` (smart symbols' skipped
    where it would match nothing; Python-Markdown's own, "inline", never: it has work in four
    fragments of five), and its raw HTML preprocessor, tables' block processor and unescaping
    pass as ``HtmlBlocks``, ``Tables`` and ``Unescape``. A processor not of the class expected
    (another Python-Markdown, another extension) is left as it is; so are the inline passes where
    this Python-Markdown's have no ``__handleInline``."""
    if hasattr(InlinePass, "_InlineProcessor__handleInline"):
        for item in list(md.treeprocessors._priority):
            stock = md.treeprocessors[item.name]
            if type(stock) is InlinePass:
                triggered = TriggeredInline(stock, skip_unmatched=item.name != "inline")
                md.treeprocessors.register(triggered, item.name, item.priority)
    for registry, name, stock_class, faster in (
            (md.preprocessors, "html_block", HtmlBlockPreprocessor, lambda stock: HtmlBlocks(md)),
            (md.parser.blockprocessors, "table", TableProcessor,
             lambda stock: Tables(md.parser, stock.config)),
            (md.treeprocessors, "unescape", UnescapeTreeprocessor, lambda stock: Unescape(md))):
        item = next((item for item in registry._priority if item.name == name), None)
        if item is not None and type(registry[name]) is stock_class:
            registry.register(faster(registry[name]), name, item.priority)
    return md
