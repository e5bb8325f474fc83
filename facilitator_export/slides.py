"""A session's slides as a PowerPoint file (opens in PowerPoint and LibreOffice Impress).

Every slide has a real title placeholder (screen readers and the outline use it), body text of
at least 20 points in near-black on white, pictures with their alt text as the shape's
description, and the facilitator's notes as speaker notes.

Each deck is copied from the prototype python-pptx made (``office.Prototype``, shipped as
``static/prototype/deck.pptx``): its default template with a first slide on the "Title and
Content" layout, the footer text box and the slide's notes page. Each slide and notes page is
that slide's or page's XML with each document's paragraphs written in (the body placeholder
kept, dropped, or given a picture's place), as python-pptx writes them (``TextFrame.text``,
``run.font``, ``add_picture``'s sizing, shape ids and relationships); the parts that list the
slides (the presentation, its relationships, the content types) are made once for each count of
slides. python-pptx writing the deck itself took about 180 ms of CPU; this takes about 9 ms, two
thirds of it compressing the slides and notes. A build imports python-pptx (and Pillow) only to
size a raster picture, as ``add_picture`` does (``picture_reader``).
"""
from __future__ import annotations

import copy
import re
from functools import lru_cache

from lxml import etree

from coursepack.archive import ZipMember, zip_member

from .material import Session, Slide
from .office import Prototype, escape, fill, hole, part, pieces

INK = "1D1D1B"       # 16.4:1 on white
ACCENT = "005A70"    # 7.8:1 on white
MUTED = "4A4A48"     # 8.9:1 on white
RASTER = {"png", "jpeg", "gif"}         # what a slide can embed (not SVG or WebP)
# Where the prototype's body placeholder sits (python-pptx's ``slide.placeholders[1]``'s
# ``left, top, width, height``, from the template's slide master), in EMU.
FRAME = (457200, 1600200, 8229600, 4525963)
# python-pptx's ``RELATIONSHIP_TYPE.IMAGE``, ``.NOTES_SLIDE`` and ``.SLIDE``.
_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
IMAGE, NOTES_SLIDE, SLIDE_TYPE = f"{_RT}image", f"{_RT}notesSlide", f"{_RT}slide"

_P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_TYPES = "{http://schemas.openxmlformats.org/package/2006/content-types}"
SLIDE, NOTES = "ppt/slides/slide1.xml", "ppt/notesSlides/notesSlide1.xml"
SLIDE_RELS, NOTES_RELS = "ppt/slides/_rels/slide1.xml.rels", "ppt/notesSlides/_rels/notesSlide1.xml.rels"
PRESENTATION, PRESENTATION_RELS = "ppt/presentation.xml", "ppt/_rels/presentation.xml.rels"
CONTENT_TYPES = "[Content_Types].xml"
_BREAK = re.compile("\n|\v")
_CONTROL = re.compile(r"([\x00-\x08\x0B-\x1F])")     # escaped as python-pptx escapes them ("_x0007_")


# The XML python-pptx writes for a run's size, weight and colour (``run.font``) and for a body
# paragraph's spacing (``space_after = Pt(6)``), bullet or not.
_RUN = '<a:rPr sz="{size}"{bold}><a:solidFill><a:srgbClr val="{colour}"/></a:solidFill></a:rPr>'
_BODY_PARAGRAPH = '<a:pPr{flat}><a:spcAft><a:spcPts val="600"/></a:spcAft>{bullet}</a:pPr>'
_FLAT = (' indent="0" marL="0"', "<a:buNone/>")    # a paragraph, not a bullet (buNone after spcAft: the schema's order)
# The shapes python-pptx adds in the body's place: a picture (``add_picture``:
# ``CT_Picture.new_pic(3, "Picture 2", "", "rId2", x, y, cx, cy)``) and a text box
# (``add_textbox``: ``CT_Shape.new_textbox_sp(3, "TextBox 2", x, y, cx, Inches(1))``).
_NAMESPACES = ('xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
               'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"')
_PICTURE = (
    f'<p:pic {_NAMESPACES} xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<p:nvPicPr><p:cNvPr id="3" name="Picture 2" descr=""/><p:cNvPicPr><a:picLocks noChangeAspect="1"/></p:cNvPicPr>'
    '<p:nvPr/></p:nvPicPr><p:blipFill><a:blip r:embed="rId2"/><a:stretch><a:fillRect/></a:stretch></p:blipFill>'
    '<p:spPr><a:xfrm><a:off x="{x}" y="{y}"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>'
    '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></p:spPr></p:pic>')
_TEXT_BOX = (
    f'<p:sp {_NAMESPACES}><p:nvSpPr><p:cNvPr id="3" name="TextBox 2"/><p:cNvSpPr txBox="1"/><p:nvPr/></p:nvSpPr>'
    '<p:spPr><a:xfrm><a:off x="{x}" y="{y}"/><a:ext cx="{cx}" cy="914400"/></a:xfrm>'
    '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:noFill/></p:spPr>'
    '<p:txBody><a:bodyPr wrap="none"><a:spAutoFit/></a:bodyPr><a:lstStyle/><a:p/></p:txBody></p:sp>')


class KitUnavailable(Exception):
    """python-pptx (the ``kit`` extra), or the Pillow under it, is not installed, and a slide
    shows a raster picture: the one thing a build asks of it."""


class _Deck(Prototype):
    """The deck every session's deck is copied from, with its slide as text to fill (``pieces``:
    holes for the title's, body's and footer's paragraphs), with its body placeholder, without it,
    or with another shape in its place; its notes page likewise."""

    def __init__(self):
        super().__init__("deck.pptx", (SLIDE, NOTES, SLIDE_RELS, NOTES_RELS, PRESENTATION, PRESENTATION_RELS,
                                       CONTENT_TYPES))
        tree = self.tree(SLIDE)
        title, body, footer = tree[0][0][2:5]        # p:cSld/p:spTree: group properties, title, body, footer
        for shape in (title, body, footer):
            shape[-1].replace(shape[-1][-1], hole())    # each one's (empty) paragraph
        body[-1][0].set("wrap", "square")              # word wrap, as a filled body has it
        self.with_body = pieces(tree)
        body.addnext(hole())
        body.getparent().remove(body)
        self.with_shape = pieces(tree)               # a picture, or a text box, in the body's place
        self._shape_in = copy.deepcopy(tree)
        tree[0][0].remove(tree[0][0][3])
        tree[0][0][3][0][0].attrib.update({"id": "3", "name": "TextBox 2"})    # the footer: the next shape id, as python-pptx numbers it
        self.without_body = pieces(tree)
        notes = self.tree(NOTES)
        text = next(notes.iter(f"{_P}txBody"))
        text.replace(text[-1], hole())
        self.notes = pieces(notes)

    def shape(self, element) -> tuple[str, ...]:
        """``element``'s XML as the slide writes it in the body's place (``pieces``)."""
        tree = copy.deepcopy(self._shape_in)
        tree[0][0].replace(tree[0][0][3], element)
        return pieces(tree, element)


@lru_cache(maxsize=1)
def prototype() -> _Deck:
    """The deck's prototype, read on first use in each process (``build`` reads it before forking)."""
    return _Deck()


def _body_size(slide: Slide) -> int:
    words = sum(len(l.text.split()) for l in slide.body)
    return 24 if words <= 45 and len(slide.body) <= 5 else 20


@lru_cache(maxsize=None)
def _run_properties(size: int, colour: str | None = None, bold: bool = False) -> str:
    """A run's ``font.size = Pt(size)`` (in hundredths of a point), colour and weight."""
    if colour is None:
        return f'<a:rPr sz="{size * 100}"/>'
    return _RUN.format(size=size * 100, bold=' b="1"' if bold else "", colour=colour)


def _paragraph(text: str, properties: str = "", style: str = "", styled: int | None = None) -> str:
    """``_Paragraph.text = text`` (a line break for each newline or vertical tab, control
    characters escaped as python-pptx escapes them, "_x0007_"), with ``properties`` on the
    first ``styled`` runs (all when None) and ``style`` (``a:pPr``) first."""
    out = [style]
    runs = 0
    for n, piece in enumerate(_BREAK.split(text)):
        if n:
            out.append("<a:br/>")
        if piece:
            own = properties if styled is None or runs < styled else ""
            out.append(f"<a:r>{own}<a:t>{escape(_CONTROL.sub(_escaped, piece))}</a:t></a:r>")
            runs += 1
    inner = "".join(out)
    return f"<a:p>{inner}</a:p>" if inner else "<a:p/>"


def _escaped(match) -> str:
    return "_x%04X_" % ord(match.group(1))


def _text(text: str, properties: str = "", styled: int | None = None) -> str:
    """``TextFrame.text = text`` (a paragraph for each line), ``properties`` on the first
    paragraph's runs (on its first ``styled`` runs when given)."""
    lines = text.split("\n")
    return _paragraph(lines[0], properties, styled=styled) + "".join(_paragraph(line) for line in lines[1:])


def _body(slide: Slide) -> str:
    properties, out = _run_properties(_body_size(slide), INK), []
    for line in slide.body:
        flat, bullet = ("", "") if line.style in ("li", "row", "head") else _FLAT
        out.append(_paragraph(line.text, properties, _BODY_PARAGRAPH.format(flat=flat, bullet=bullet)))
    return "".join(out)


@lru_cache(maxsize=1)
def picture_reader():
    """What ``add_picture`` reads a raster picture with: python-pptx's ``Image`` (Pillow under
    it), ``ImagePart`` (whose ``scale`` sizes it), ``PackURI`` and ``default_content_types``.
    The one part of python-pptx a build runs, imported only for a deck that shows a raster
    picture (``build`` imports it before forking); ``KitUnavailable`` where it is missing."""
    try:
        from pptx.opc.packuri import PackURI
        from pptx.opc.spec import default_content_types
        from pptx.parts.image import Image, ImagePart
    except ImportError as exc:
        raise KitUnavailable(
            f"a slide of the facilitator kit shows a picture, and sizing it needs python-pptx (no module "
            f"{(exc.name or 'pptx').split('.')[0]!r}): pip install 'commonground[kit]', or leave the kit out with --only") from None
    return Image, ImagePart, PackURI, default_content_types


def _picture(slide: Slide, images: dict, media: dict) -> tuple[object, tuple[str, ...], str | None]:
    """The shape in the body's place: the picture as ``add_picture`` sizes it to the body's
    height (then narrowed to its width, centred), with its alt text as its description; or, for
    a picture a slide cannot embed, a text box naming it. (The shape, what fills its holes,
    the image's part.) ``media`` (image's SHA-1 → part name, content type, whether that type is
    listed by extension, member) holds each picture once, as python-pptx does."""
    left, top, width, height = FRAME
    asset = images.get(slide.image.src)
    alt = slide.image.text or "A picture"
    if asset is not None and asset.media in RASTER:
        Image, ImagePart, PackURI, default_content_types = picture_reader()
        image = Image.from_blob(asset.data)
        if image.sha1 not in media:
            name = f"ppt/media/image{len(media) + 1}.{image.ext}"
            listed = (image.ext.lower(), image.content_type) in default_content_types
            media[image.sha1] = (name, image.content_type, listed, zip_member(name, image.blob))
        name = media[image.sha1][0]
        cx, cy = ImagePart(PackURI(f"/{name}"), image.content_type, None, image.blob).scale(None, height)
        if cx > width:
            ratio = width / cx
            cx, cy = int(cx * ratio), int(cy * ratio)
        pic = etree.fromstring(_PICTURE.format(x=int(left + (width - cx) / 2), y=top, cx=int(cx), cy=int(cy)))
        pic[0][0].set("descr", alt)
        return pic, (), name
    box = etree.fromstring(_TEXT_BOX.format(x=left, y=top, cx=width))
    box[-1][0].set("wrap", "square")
    box[-1].replace(box[-1][-1], hole())
    box[0][0].set("descr", alt)
    return box, (_text(f"Picture (see the e-learning module): {alt}", _run_properties(24), styled=1),), None


def _rels(tree, *relationships: tuple[str, str]):
    """``tree`` (a relationships part) with these (type, target) after its own, numbered on."""
    for reltype, target in relationships:
        etree.SubElement(tree, f"{_REL}Relationship", {"Id": f"rId{len(tree) + 1}", "Type": reltype, "Target": target})
    return tree


@lru_cache(maxsize=256)
def _slide_rels(number: int, image: str | None) -> ZipMember:
    """A slide's relationships: its layout, its picture, then its notes page (made last)."""
    tree = prototype().tree(SLIDE_RELS)
    for rel in tree[1:]:         # all but the layout's
        tree.remove(rel)
    _rels(tree, *([(IMAGE, f"../{image.removeprefix('ppt/')}")] if image else []),
          (NOTES_SLIDE, f"../notesSlides/notesSlide{number}.xml"))
    return part(f"ppt/slides/_rels/slide{number}.xml.rels", tree)


@lru_cache(maxsize=256)
def _notes_rels(number: int) -> ZipMember:
    tree = prototype().tree(NOTES_RELS)
    tree.find(f"{_REL}Relationship[@Type='{SLIDE_TYPE}']").set("Target", f"../slides/slide{number}.xml")
    return part(f"ppt/notesSlides/_rels/notesSlide{number}.xml.rels", tree)


@lru_cache(maxsize=64)
def _listing(count: int, media: tuple[tuple[str, str, bool], ...]) -> tuple[ZipMember, ...]:
    """The parts that list a deck's slides: the presentation (its slide ids), its relationships
    and the package's content types, as python-pptx adds slides 2 to ``count`` to the prototype's
    first (whose relationship comes before the notes master's)."""
    deck = prototype()
    presentation, rels = deck.tree(PRESENTATION), deck.tree(PRESENTATION_RELS)
    ids = presentation.find(f"{_P}sldIdLst")
    for number in range(2, count + 1):
        _rels(rels, (SLIDE_TYPE, f"slides/slide{number}.xml"))
        etree.SubElement(ids, f"{_P}sldId", {"id": str(255 + number), f"{_R}id": rels[-1].get("Id")})
    types = deck.tree(CONTENT_TYPES)
    defaults = {e.get("Extension"): e.get("ContentType") for e in types.iterchildren(f"{_TYPES}Default")}
    overrides = {e.get("PartName"): e.get("ContentType") for e in types.iterchildren(f"{_TYPES}Override")}
    slide, notes = overrides.pop(f"/{SLIDE}"), overrides.pop(f"/{NOTES}")
    for number in range(1, count + 1):
        overrides[f"/ppt/slides/slide{number}.xml"] = slide
        overrides[f"/ppt/notesSlides/notesSlide{number}.xml"] = notes
    for name, content_type, listed in media:
        if listed:
            defaults[name.rsplit(".", 1)[1]] = content_type
        else:
            overrides[f"/{name}"] = content_type
    types.clear()
    for ext, content_type in sorted(defaults.items()):
        etree.SubElement(types, f"{_TYPES}Default", {"Extension": ext, "ContentType": content_type})
    for name, content_type in sorted(overrides.items()):
        etree.SubElement(types, f"{_TYPES}Override", {"PartName": name, "ContentType": content_type})
    return part(PRESENTATION, presentation), part(PRESENTATION_RELS, rels), part(CONTENT_TYPES, types)


def pptx_bytes(s: Session, images: dict) -> bytes:
    deck = prototype()
    members, media = [deck.core(f"{s.module.title}: session slides", s.module.reviewed_on)], {}
    for number, spec in enumerate(s.slides, 1):
        title = _text(spec.title, _run_properties(32 if len(spec.title) < 45 else 26, ACCENT, bold=True))
        footer = _text(f"{s.module.title} · slide {spec.number} of {len(s.slides)}", _run_properties(12, MUTED), styled=1)
        image = None
        if spec.image is not None:
            shape, contents, image = _picture(spec, images, media)
            xml = fill(deck.with_shape, title, fill(deck.shape(shape), *contents), footer)
        elif spec.body:
            xml = fill(deck.with_body, title, _body(spec), footer)
        else:
            xml = fill(deck.without_body, title, footer)
        notes = fill(deck.notes, _text("\n\n".join(["Led by: " + spec.lead + ".", *spec.notes])))
        members += (zip_member(f"ppt/slides/slide{number}.xml", xml.encode()), _slide_rels(number, image),
                    zip_member(f"ppt/notesSlides/notesSlide{number}.xml", notes.encode()), _notes_rels(number))
    members += _listing(len(s.slides), tuple((name, content_type, listed) for name, content_type, listed, _ in media.values()))
    return deck.zip([*members, *(member for *_, member in media.values())])
