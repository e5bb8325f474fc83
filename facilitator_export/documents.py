"""A session plan as a Word file, for trainers who edit plans in Word or LibreOffice Writer.

It holds what the printable HTML plan holds (aims, timings, content note, ground rules, the
close with support lines, the slide list), from the same ``plan`` and ``Session``, on A4, in
Arial.

Each plan is copied from the prototype python-docx made (``office.Prototype``, shipped as
``static/prototype/plan.docx``): its default template on A4 with the styles changed, and the
timings table with its header row and one empty row. Each plan copies its unchanging parts (the
styles alone are 780 kB of XML) and writes only its body: paragraphs as python-docx writes them
(``add_paragraph``, ``Run.text``) with the styles' ids, and the table's rows as the prototype's
row with each cell's text. python-docx writing a plan itself took about 40 ms of CPU, most of it
placing each element by XPath and saving the template again; this takes under 1 ms, and a
build never imports python-docx.
"""
from __future__ import annotations

import re
from functools import lru_cache

from coursepack.archive import zip_member
from coursepack.model import Pack

from .material import GROUND_RULES, Session
from .office import Prototype, escape, fill, hole, pieces
from .plan import Part, slide_list
from .text import plain

DOCUMENT = "word/document.xml"
# The paragraph styles' ids in python-docx's default template (``doc.styles[name].style_id``;
# python-docx looks one up by scanning all 160 of its styles).
STYLES = {"Title": "Title", "Heading 1": "Heading1", "List Bullet": "ListBullet"}
_CONTENT = re.compile(r"([\t\r\n])")


class _Plan(Prototype):
    """The plan every session plan is copied from: its body, the timings table and a row, as
    text to fill (``pieces``: holes for the body's content, the table's rows, each cell's
    paragraph)."""

    def __init__(self):
        super().__init__("plan.docx", (DOCUMENT,))
        tree = self.tree(DOCUMENT)
        body = tree[0]
        table = body[0]              # before the section properties, alone
        row = table[-1]
        for cell in row:
            cell.replace(cell[-1], hole())       # its paragraph, after its width
        self.row = pieces(tree, row)
        table.replace(row, hole())
        self.table = pieces(tree, table)
        body.replace(table, hole())
        self.document = pieces(tree)


@lru_cache(maxsize=1)
def prototype() -> _Plan:
    """The plan's prototype, read on first use in each process (``build`` reads it before forking)."""
    return _Plan()


def _run(text: str) -> str:
    """``Run.text = text``: a tab for each tab, a line break for each newline or carriage return,
    the rest in ``w:t`` (spaces kept where it starts or ends with one)."""
    out = []
    for piece in _CONTENT.split(text):
        if piece == "\t":
            out.append("<w:tab/>")
        elif piece in ("\r", "\n"):
            out.append("<w:br/>")
        elif piece:
            space = ' xml:space="preserve"' if len(piece.strip()) < len(piece) else ""
            out.append(f"<w:t{space}>{escape(piece)}</w:t>")
    return f"<w:r>{''.join(out)}</w:r>" if out else "<w:r/>"


class _Writer:
    """Paragraphs as ``add_paragraph(text)`` and the ``Paragraph.style`` setter write them."""

    def __init__(self):
        self.xml: list[str] = []

    def paragraph(self, text: str, style: str | None = None) -> None:
        inner = (f'<w:pPr><w:pStyle w:val="{STYLES[style]}"/></w:pPr>' if style else "") + (_run(text) if text else "")
        self.xml.append(f"<w:p>{inner}</w:p>" if inner else "<w:p/>")

    def heading(self, text: str, level: int) -> None:
        self.paragraph(text, "Title" if level == 0 else f"Heading {level}")


def plan_docx(s: Session, pack: Pack, minutes: int, parts: list[Part]) -> bytes:
    m = s.module
    proto = prototype()
    w = _Writer()
    w.heading(f"{m.title}: a {minutes}-minute session plan", level=0)
    w.paragraph(f"{pack.title}. {m.review_line}")
    w.paragraph("Led by a staff facilitator together with a co-facilitator with lived experience. "
                "Slides: slides.pptx (speaker notes say what to bring in). Handout: handout.html.")
    w.heading("Aims", level=1)
    for o in m.outcomes:
        w.paragraph(plain(o), style="List Bullet")
    w.heading("Timings", level=1)
    rows, start = [], 0
    for p in parts:
        lead = p.lead + (f". The lived-experience co-facilitator leads slides {slide_list(p.partner_slides)} if agreed"
                         if p.partner_slides else "")
        cells = (f"{start} to {start + p.minutes} min", p.title, p.does, lead, slide_list(p.slides))
        rows.append(fill(proto.row, *(f"<w:p>{_run(text)}</w:p>" for text in cells)))      # as ``cell.text = text``
        start += p.minutes
    w.xml.append(fill(proto.table, "".join(rows)))
    w.heading("Content note", level=1)
    w.paragraph(plain(m.content_note) or "This module has no content note. Still tell people they can step out at any time.")
    w.heading("Ground rules", level=1)
    for r in GROUND_RULES:
        w.paragraph(r, style="List Bullet")
    w.heading("Close: signpost support", level=1)
    w.paragraph("End by pointing to support, in this order, and check in with anyone who seemed affected. "
                "The two facilitators then debrief together.")
    for l in pack.support_lines:
        w.paragraph(f"{l.name}: {l.contact}. {l.offers}" + (f" {l.hours}." if l.hours else ""), style="List Bullet")
    w.heading("Slides", level=1)
    used = {n for p in parts for n in p.slides}
    for slide in s.slides:
        w.paragraph(f"{slide.number}. {slide.title}" + ("" if slide.number in used else " (not used in this session)"))
    document = fill(proto.document, "".join(w.xml))
    return proto.zip([zip_member(DOCUMENT, document.encode()),
                      proto.core(f"{m.title}: {minutes}-minute session plan", m.reviewed_on)])
