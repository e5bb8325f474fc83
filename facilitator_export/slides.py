"""A session's slides as a PowerPoint file (opens in PowerPoint and LibreOffice Impress).

Every slide has a real title placeholder (screen readers and the outline use it), body text of
at least 20 points in near-black on white, pictures with their alt text as the shape's
description, and the facilitator's notes as speaker notes.
"""
from __future__ import annotations

import copy
import io

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.opc.constants import CONTENT_TYPE as CT
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.packuri import PackURI
from pptx.parts.slide import NotesSlidePart, SlidePart
from pptx.util import Emu, Inches, Pt

from coursepack.assets import Asset

from .material import Session, Slide
from .office import deterministic, fix_properties

TITLE_AND_CONTENT = 1
INK = RGBColor(0x1D, 0x1D, 0x1B)       # 16.4:1 on white
ACCENT = RGBColor(0x00, 0x5A, 0x70)    # 7.8:1 on white
MUTED = RGBColor(0x4A, 0x4A, 0x48)     # 8.9:1 on white
RASTER = {"png", "jpeg", "gif"}         # what a slide can embed (not SVG or WebP)


def _body_size(slide: Slide) -> int:
    words = sum(len(l.text.split()) for l in slide.body)
    return 24 if words <= 45 and len(slide.body) <= 5 else 20


_FILLS: dict = {}    # colour → the run fill python-pptx made for it, to copy


def _colour(run, rgb: RGBColor) -> None:
    """``run.font.color.rgb = rgb`` at a fraction of the cost, with the same bytes.

    python-pptx places a fill by trying each of the run properties' possible children in turn,
    with an XPath query compiled for each: a sixth of writing a deck, for the two colours every
    slide uses. A run given only its size and weight has no child yet, so the fill python-pptx
    made the first time is copied in.
    """
    rPr = run._r.get_or_add_rPr()
    if len(rPr) or rgb not in _FILLS:
        run.font.color.rgb = rgb
        if len(rPr) == 1:
            _FILLS.setdefault(rgb, copy.deepcopy(rPr[0]))
        return
    rPr.append(copy.deepcopy(_FILLS[rgb]))


def _fill(frame, slide: Slide) -> None:
    frame.word_wrap = True
    size = _body_size(slide)
    for n, line in enumerate(slide.body):
        para = frame.paragraphs[0] if n == 0 else frame.add_paragraph()
        para.text = line.text
        para.level = 0
        para.space_after = Pt(6)
        for run in para.runs:
            run.font.size = Pt(size)
            _colour(run, INK)
        if line.style not in ("li", "row", "head"):
            # a paragraph, not a bullet (buNone after spcAft: the schema's order)
            pPr = para._p.get_or_add_pPr()
            pPr.set("indent", "0")
            pPr.set("marL", "0")
            pPr.append(pPr.makeelement("{http://schemas.openxmlformats.org/drawingml/2006/main}buNone", {}))


def _picture(shapes, slide: Slide, images: dict[str, Asset], left, top, width, height) -> None:
    asset = images.get(slide.image.src)
    alt = slide.image.text or "A picture"
    if asset is not None and asset.media in RASTER:
        pic = shapes.add_picture(io.BytesIO(asset.data), left, top, height=height)
        if pic.width > width:
            ratio = width / pic.width
            pic.width, pic.height = Emu(int(pic.width * ratio)), Emu(int(pic.height * ratio))
        pic.left = Emu(int(left + (width - pic.width) / 2))
        pic._element.nvPicPr.cNvPr.set("descr", alt)
        return
    box = shapes.add_textbox(left, top, width, Inches(1))
    box.text_frame.word_wrap = True
    box.text_frame.text = f"Picture (see the e-learning module): {alt}"
    box.text_frame.paragraphs[0].runs[0].font.size = Pt(24)
    box._element.nvSpPr.cNvPr.set("descr", alt)


class _Blanks:
    """New slides and notes pages as copies of the deck's first, before anything is written on it.

    python-pptx makes each slide by cloning its layout's placeholders and each notes page by
    cloning the notes master's, finding every new part's name by walking the whole package:
    that took more than half of writing a deck, and grew with the square of its slides. A copy
    of the first blank slide and notes page, related as python-pptx relates them (slide to
    layout; notes page to notes master, then to its slide; the slide to its notes page last,
    after any picture), gives the same bytes at a fraction of the cost.
    """

    def __init__(self, prs):
        self._prs = prs
        self._layout = prs.slide_layouts[TITLE_AND_CONTENT].part
        self._slides = self._notes = 0

    def slide(self):
        self._slides += 1
        if self._slides == 1:
            slide = self._prs.slides.add_slide(self._layout.slide_layout)
            self._slide_xml = copy.deepcopy(slide._element)
            return slide
        part = SlidePart(PackURI(f"/ppt/slides/slide{self._slides}.xml"), CT.PML_SLIDE,
                         self._prs.part.package, copy.deepcopy(self._slide_xml))
        part.relate_to(self._layout, RT.SLIDE_LAYOUT)
        self._prs.slides._sldIdLst.add_sldId(self._prs.part.relate_to(part, RT.SLIDE))
        return part.slide

    def notes(self, slide):
        """The slide's notes page (made once its slide is filled, as python-pptx orders the relationships)."""
        self._notes += 1
        if self._notes == 1:
            notes = slide.notes_slide
            self._notes_xml, self._master = copy.deepcopy(notes._element), notes.part.part_related_by(RT.NOTES_MASTER)
            return notes
        part = NotesSlidePart(PackURI(f"/ppt/notesSlides/notesSlide{self._notes}.xml"), CT.PML_NOTES_SLIDE,
                              self._prs.part.package, copy.deepcopy(self._notes_xml))
        part.relate_to(self._master, RT.NOTES_MASTER)
        part.relate_to(slide.part, RT.SLIDE)
        slide.part.relate_to(part, RT.NOTES_SLIDE)
        return part.notes_slide


def pptx_bytes(s: Session, images: dict[str, Asset]) -> bytes:
    prs = Presentation()
    blanks = _Blanks(prs)
    for spec in s.slides:
        slide = blanks.slide()
        title = slide.shapes.title
        title.text = spec.title
        for run in title.text_frame.paragraphs[0].runs:
            run.font.size = Pt(32 if len(spec.title) < 45 else 26)
            run.font.bold = True
            _colour(run, ACCENT)
        body = slide.placeholders[1]
        if spec.image is not None:
            left, top, width, height = body.left, body.top, body.width, body.height
            body._element.getparent().remove(body._element)
            _picture(slide.shapes, spec, images, left, top, width, height)
        elif spec.body:
            _fill(body.text_frame, spec)
        else:
            body._element.getparent().remove(body._element)
        footer = slide.shapes.add_textbox(Inches(0.5), prs.slide_height - Inches(0.5), prs.slide_width - Inches(1), Inches(0.4))
        footer.text_frame.text = f"{s.module.title} · slide {spec.number} of {len(s.slides)}"
        footer.text_frame.paragraphs[0].runs[0].font.size = Pt(12)
        _colour(footer.text_frame.paragraphs[0].runs[0], MUTED)
        lead = "Led by: " + spec.lead + "."
        blanks.notes(slide).notes_text_frame.text = "\n\n".join([lead, *spec.notes])
    fix_properties(prs.core_properties, f"{s.module.title}: session slides", s.module.reviewed_on,
                   "Facilitator kit")
    return deterministic(prs)

