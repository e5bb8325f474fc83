"""Plain text from an author's Markdown: the words a person reads, wherever markup cannot go (a
learner's downloaded reflections, a coordinator's spreadsheet, the readability formulas).

The text is rendered by the one Markdown renderer (``markdown_html``), so glossary terms read as
the words shown, links as their text, and escapes and entities as the characters they stand for;
lxml then reads it as text, one line per paragraph, heading, list item or table row. Citations
(``[S1]``) go: they point at the page's sources, they are not part of the sentence.
"""
from __future__ import annotations

from functools import lru_cache

import lxml.html

from . import markdown_html

#: Elements that end a line of text (a table's cells are kept apart by a space).
LINES = ("p", "li", "dt", "dd", "h3", "h4", "h5", "h6", "blockquote", "pre", "tr", "caption",
         "figcaption", "ul", "ol", "table", "hr")


@lru_cache(maxsize=markdown_html.CACHE_SIZE)
def plain_text(markdown: str) -> str:
    """Markdown → the text a person reads: each paragraph, heading, list item and table row on a
    line of its own, its spaces collapsed; no empty lines. Cached by source, as the HTML is: a
    coordinator's questions.csv repeats a question's text on the row of each of its answers."""
    rendered = markdown_html.render(markdown)
    if not rendered.strip():
        return ""
    root = lxml.html.fragment_fromstring(rendered, create_parent="div")
    for element in root.iter():      # the HTML's own line breaks are spaces, as a browser shows them
        element.text = element.text and element.text.replace("\n", " ")
        element.tail = element.tail and element.tail.replace("\n", " ")
    for cite in root.xpath("//span[@class='cg-cite']"):
        before = cite.getprevious()
        if before is not None:
            before.tail = (before.tail or "").rstrip()
        else:
            cite.getparent().text = (cite.getparent().text or "").rstrip()
        cite.drop_tree()
    for element in root.iter(*LINES, "br"):
        element.text, element.tail = "\n" + (element.text or ""), "\n" + (element.tail or "")
    for cell in root.iter("td", "th"):
        cell.tail = " " + (cell.tail or "")
    lines = (" ".join(line.split()) for line in root.text_content().splitlines())
    return "\n".join(line for line in lines if line)
