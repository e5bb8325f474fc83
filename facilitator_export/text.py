"""Author Markdown as the plain lines a slide, a Word document or a printed page holds.

The kit never parses Markdown itself: it renders through the pack's one sanitiser
(``coursepack.markdown_html.render``) and reads the text back out of that HTML, so a slide says
exactly what the e-learning page says, with the same glossary words and nothing an author's raw
HTML could smuggle in.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from lxml import html as lxml_html

from coursepack import markdown_html

BLOCKS = {"p", "li", "tr", "blockquote", "h3", "h4", "h5", "h6", "pre", "dt", "dd", "figcaption"}


@dataclass(frozen=True)
class Line:
    """One paragraph, list item or table row (``style``: "p", "li", "row", "head" or "img");
    an image keeps its alt text in ``text`` and its path as written in ``src``."""
    style: str
    text: str
    src: str = ""


def _words(element, cites: bool) -> str:
    if not cites:
        for span in element.xpath(".//span[@class='cg-cite']"):
            span.drop_tree()
    return " ".join(element.text_content().split())


# A module's outcomes and content note go into its slides, both HTML plans and both Word plans,
# and were rendered and parsed again for each. A module's files are made one after another, so
# room for a few dozen modules' fragments is enough: as many as the renderer keeps (for the whole
# pack) made each process of a 500-module kit hold about 10 MB more.
LINES_KEPT = 4096


@lru_cache(maxsize=LINES_KEPT)
def lines(markdown: str, cites: bool = False) -> tuple[Line, ...]:
    """The text of ``markdown`` as lines in reading order; citation marks ([S21]) only when
    ``cites`` (slides leave them out, the printed plan keeps them). Kept per fragment: the
    same text is read out for several of a module's files."""
    html = markdown_html.render(markdown or "")
    if not html.strip():
        return ()
    inner = html[3:-4] if html.startswith("<p>") and html.endswith("</p>") else None
    if inner is not None and "<" not in inner and "&" not in inner:     # one paragraph of plain words
        text = " ".join(inner.split())
        return (Line("p", text),) if text else ()
    root = lxml_html.fragment_fromstring(html, create_parent="div")
    found: list[Line] = []
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        if el.tag == "img":
            found.append(Line("img", " ".join((el.get("alt") or "").split()), el.get("src") or ""))
            continue
        if el.tag not in BLOCKS or any(a.tag in BLOCKS for a in el.iterancestors()):
            continue
        if el.tag == "tr":
            cells = [_words(c, cites) for c in el.xpath("./th|./td")]
            style = "head" if el.xpath("./th") and not el.xpath("./td") else "row"
            found.append(Line(style, " | ".join(c for c in cells if c)))
            continue
        text = _words(el, cites)
        if text:
            found.append(Line("li" if el.tag in ("li", "dd") else "p", text))
    return tuple(found)


@lru_cache(maxsize=LINES_KEPT)
def plain(markdown: str, cites: bool = False) -> str:
    """The whole of ``markdown`` as one run of plain text."""
    return " ".join(l.text for l in lines(markdown, cites) if l.style != "img")
