"""A session plan as a Word file, for trainers who edit plans in Word or LibreOffice Writer.

It holds what the printable HTML plan holds (aims, timings, content note, ground rules, the
close with support lines, the slide list), from the same ``plan`` and ``Session``, on A4, in
Arial.

python-docx makes the plan's prototype once per process (``office.Prototype``): its default
template on A4 with the styles changed, and the timings table with its header row and one empty
row. Each plan copies its unchanging parts (the styles alone are 780 kB of XML) and writes only
its body: paragraphs as python-docx writes them (``add_paragraph``, ``Run.text``) with the
styles' ids, and the table's rows as the prototype's row with each cell's text. python-docx
writing a plan itself took about 40 ms of CPU, most of it placing each element by XPath and
saving the template again; this takes under 1 ms.
"""
from __future__ import annotations

import re
from functools import lru_cache

from docx import Document
from docx.shared import Mm, Pt

from coursepack.archive import zip_member
from coursepack.model import Pack

from .material import GROUND_RULES, Session
from .office import Prototype, escape, fill, hole, pieces
from .plan import Part, slide_list
from .text import plain

DOCUMENT = "word/document.xml"
STYLES = ("Title", "Heading 1", "List Bullet")
TIMINGS = ("Time", "Part", "What it does", "Who leads", "Slides")
WIDTHS = (24, 32, 58, 38, 22)     # millimetres, one per column
_CONTENT = re.compile(r"([\t\r\n])")


def _table(doc, head: tuple[str, ...], rows: list[tuple[str, ...]], widths: tuple[int, ...]):
    """A bordered table with a bold header row; ``widths`` in millimetres, one per column."""
    table = doc.add_table(rows=1, cols=len(head))
    table.style = "Table Grid"
    table.autofit = False
    for cell, text in zip(table.rows[0].cells, head):
        cell.text = text
        cell.paragraphs[0].runs[0].bold = True
    for row in rows:
        for cell, text in zip(table.add_row().cells, row):
            cell.text = text
    for column, width in zip(table.columns, widths):     # the grid: what LibreOffice reads
        column.width = Mm(width)
    for row in table.rows:                                 # each cell: what Word reads
        for cell, width in zip(row.cells, widths):
            cell.width = Mm(width)
    return table


class _Plan(Prototype):
    """The plan every session plan is copied from: its body, the timings table and a row, as
    text to fill (``pieces``: holes for the body's content, the table's rows, each cell's
    paragraph); the ids of the paragraph styles used."""

    def __init__(self):
        doc = Document()
        for section in doc.sections:
            section.page_width, section.page_height = Mm(210), Mm(297)
            section.left_margin = section.right_margin = Mm(18)
            section.top_margin = section.bottom_margin = Mm(18)
        # Arial (Liberation Sans in LibreOffice): the template's theme font falls back to a serif
        # where Calibri is not installed.
        for name in ("Normal", "Title", "Heading 1"):
            doc.styles[name].font.name = "Arial"
        doc.styles["Normal"].font.size = Pt(11)
        # Looked up once: python-docx scans all of the template's 160 styles for each styled paragraph.
        self.styles = {name: doc.styles[name].style_id for name in STYLES}
        _table(doc, TIMINGS, [("",) * len(TIMINGS)], WIDTHS)
        super().__init__(doc, (DOCUMENT,), "Facilitator kit")
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
    """The plan's prototype, made on first use in each process (``build`` makes it before forking)."""
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

    def __init__(self, styles: dict[str, str]):
        self.styles = styles
        self.xml: list[str] = []

    def paragraph(self, text: str, style: str | None = None) -> None:
        inner = (f'<w:pPr><w:pStyle w:val="{self.styles[style]}"/></w:pPr>' if style else "") + (_run(text) if text else "")
        self.xml.append(f"<w:p>{inner}</w:p>" if inner else "<w:p/>")

    def heading(self, text: str, level: int) -> None:
        self.paragraph(text, "Title" if level == 0 else f"Heading {level}")


def plan_docx(s: Session, pack: Pack, minutes: int, parts: list[Part]) -> bytes:
    m = s.module
    proto = prototype()
    w = _Writer(proto.styles)
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
