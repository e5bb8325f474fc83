"""The kit's two prototype documents, made with python-pptx and python-docx: ``python -m
facilitator_export.prototypes`` (``scripts/kit-prototypes``) writes them to ``static/prototype/``.

A build copies every deck and Word plan from them (``office.Prototype``) and never imports either
library: importing python-pptx and python-docx and making the two documents cost every cold build
about a quarter of a second of CPU. So they are made here, once, and shipped: ``deck.pptx`` (python-pptx's
default template with a slide on its "Title and Content" layout, the footer text box and the
slide's notes page) and ``plan.docx`` (python-docx's default template on A4, in Arial, with the
timings table's header row and one empty row). Each is zipped as the build zips (sorted entries,
the 1980 time stamp) with the parts compressed as the library compressed them, and core
properties that hold no clock, so making them again gives the same parts. The tests make them
again with the installed libraries and compare: a library upgrade that changes what they make
fails there, naming this command.
"""
from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

from docx import Document
from docx.shared import Mm, Pt
from pptx import Presentation
from pptx.util import Inches

from coursepack.archive import zip_members, zip_members_of

from .office import PROTOTYPES

AUTHOR = "Common Ground"
SUBJECT = "Facilitator kit"
TITLE_AND_CONTENT = 1       # python-pptx's default template's second layout
TIMINGS = ("Time", "Part", "What it does", "Who leads", "Slides")
WIDTHS = (24, 32, 58, 38, 22)     # millimetres, one per column
_SAMPLE_DAY = dt.datetime(2000, 1, 1)     # each document writes its own title and dates (``Prototype.core``)


def _saved(document) -> bytes:
    """``document`` saved with core properties that hold no clock, zipped as the build zips."""
    props = document.core_properties
    props.title, props.subject, props.author, props.last_modified_by = "", SUBJECT, AUTHOR, AUTHOR
    props.created = props.modified = props.last_printed = _SAMPLE_DAY
    props.revision = 1
    raw = io.BytesIO()
    document.save(raw)
    return zip_members(zip_members_of(raw.getvalue()))


def deck() -> bytes:
    """The deck prototype: a slide on "Title and Content" with the footer's text box, its notes page."""
    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[TITLE_AND_CONTENT])
    slide.shapes.add_textbox(Inches(0.5), prs.slide_height - Inches(0.5), prs.slide_width - Inches(1), Inches(0.4))
    slide.notes_slide     # made, with the notes master, as python-pptx makes it
    return _saved(prs)


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


def plan() -> bytes:
    """The plan prototype: A4, 18 mm margins, Arial, the timings table with one empty row."""
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
    _table(doc, TIMINGS, [("",) * len(TIMINGS)], WIDTHS)
    return _saved(doc)


MAKERS = {"deck.pptx": deck, "plan.docx": plan}


def _parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def stale(folder: Path = PROTOTYPES) -> dict[str, bytes]:
    """The prototypes whose parts differ from what the installed libraries make now (name → what
    they make). Parts, not bytes: another zlib may compress the same parts to other bytes."""
    made = {name: make() for name, make in MAKERS.items()}
    return {name: data for name, data in made.items()
            if not (folder / name).is_file() or _parts((folder / name).read_bytes()) != _parts(data)}


def main() -> None:
    changed = stale()
    for name, data in changed.items():
        (PROTOTYPES / name).write_bytes(data)
    for name in MAKERS:
        print(f"{PROTOTYPES / name}: {'written' if name in changed else 'unchanged'}")


if __name__ == "__main__":
    main()
