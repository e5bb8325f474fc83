"""A session plan as a Word file, for trainers who edit plans in Word or LibreOffice Writer.

It holds what the printable HTML plan holds (aims, timings, content note, ground rules, the
close with support lines, the slide list), from the same ``plan`` and ``Session``, on A4.
"""
from __future__ import annotations

from docx import Document
from docx.shared import Mm, Pt

from coursepack.model import Pack

from .material import GROUND_RULES, Session
from .office import deterministic, fix_properties
from .plan import Part, slide_list
from .text import plain


class _Writer:
    """Adds styled paragraphs to a document, each style looked up once per document.

    python-docx resolves a style on every styled paragraph by scanning all of its template's
    styles (about 160) in Python for the default one (``Styles.default``); that scan took most
    of a plan's time. Here each style's id is found once (``doc.styles[name]``), then set on
    each paragraph as python-docx's own ``Paragraph.style`` setter sets it, so the bytes are
    the same. (None of these styles is the default one, which would be left unset.)"""

    def __init__(self, doc):
        self.doc = doc
        self._ids: dict[str, str] = {}

    def paragraph(self, text: str, style: str | None = None):
        para = self.doc.add_paragraph(text)
        if style is not None:
            if style not in self._ids:
                self._ids[style] = self.doc.styles[style].style_id
            para._p.style = self._ids[style]
        return para

    def heading(self, text: str, level: int):
        return self.paragraph(text, "Title" if level == 0 else f"Heading {level}")


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


def plan_docx(s: Session, pack: Pack, minutes: int, parts: list[Part]) -> bytes:
    m = s.module
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
    w = _Writer(doc)
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
        rows.append((f"{start} to {start + p.minutes} min", p.title, p.does, lead, slide_list(p.slides)))
        start += p.minutes
    _table(doc, ("Time", "Part", "What it does", "Who leads", "Slides"), rows, (24, 32, 58, 38, 22))
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
    fix_properties(doc.core_properties, f"{m.title}: {minutes}-minute session plan", m.reviewed_on, "Facilitator kit")
    return deterministic(doc)
