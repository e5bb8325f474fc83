"""PowerPoint and Word files written from a prototype, with the same bytes on every build.

Writing a module's deck with python-pptx took about 180 ms of CPU and each Word plan with
python-docx about 40 ms: two thirds of a cold build. The profile put the time in the libraries'
generic XML machinery (an XPath query to place each new child in schema order, an element proxy
for each, a template parsed for every shape) and in serialising and compressing again, for every
document, the parts that never change (theme, masters, eleven layouts, 780 kB of Word styles).
Importing the two libraries (about 200 ms of CPU) and having them make the documents below (65
ms) then still cost every cold build a quarter of a second.

So each library made one prototype document, once, shipped in ``static/prototype/`` (made again
by ``facilitator_export.prototypes``; the tests hold them to what the installed libraries make):
a document holding what every document shares (the deck's first slide, footer and notes page as
python-pptx makes them; the plan's page, styles and timings table as python-docx makes them). A
build reads each once per process (``Prototype``, 3 ms) and imports neither library. Its
unchanging parts are copied into every document as the compressed zip members the library wrote
(``zip_members_of``). The parts each document writes are kept as XML trees: the few that depend
only on a count (a deck's list of slides) are filled with lxml and kept per count; the rest
(slides, notes pages, a plan's body) are serialised once with ``hole()``s where each document's
paragraphs go (``pieces``), and filled with those paragraphs as text, written as the libraries
write them (``escape`` is lxml's escaping). Building them element by element with lxml still
cost about 2 µs an element, 20 ms a deck; as text a deck costs about 9 ms, most of it
compressing its slides and notes, and a plan under 1 ms. Everything is compressed as ``zipfile``
compresses at its default level, so every byte is the library's: the kit built this way is byte
for byte the kit the libraries write (with a zlib that compresses as the one the prototypes were
made with), and the tests read every file back with python-pptx and python-docx.

The build clock is written nowhere: the core properties hold the module's review date, the zip
is written by ``coursepack.archive.zip_members`` (sorted entries, the 1980 time stamp).
"""
from __future__ import annotations

import copy
import datetime as dt
import io
import re
import zipfile
from pathlib import Path

from lxml import etree

from coursepack.archive import ZipMember, zip_member, zip_members, zip_members_of

PROTOTYPES = Path(__file__).parent / "static" / "prototype"
CORE = "docProps/core.xml"
_DC, _DCTERMS, _CP = ("{http://purl.org/dc/elements/1.1/}", "{http://purl.org/dc/terms/}",
                      "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}")
_DATES = (f"{_DCTERMS}created", f"{_DCTERMS}modified", f"{_CP}lastPrinted")
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_HOLE, _START, _END = "hole", "start", "end"


def xml_bytes(tree) -> bytes:
    """A part's XML as python-pptx and python-docx serialise it."""
    return etree.tostring(tree, encoding="UTF-8", standalone=True)


def part(name: str, tree) -> ZipMember:
    return zip_member(name, xml_bytes(tree))


def escape(text: str) -> str:
    """``text`` as lxml writes an element's text (refused, as lxml refuses it, where XML cannot
    hold it)."""
    if _ILLEGAL.search(text):
        raise ValueError(f"All strings must be XML compatible: {text!r} holds a control character")
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


def hole():
    """A place in a prototype's part where each document writes its own XML (see ``pieces``)."""
    return etree.Comment(_HOLE)


def pieces(tree, element=None) -> tuple[str, ...]:
    """The XML of ``tree`` (or of one ``element`` in it, as the whole part writes it: no
    namespace declarations of its own), split at its ``hole()``s: what a document writes between
    the XML it fills in. Serialising each part once per prototype and joining text per document
    cost a tenth of building each document's trees element by element (about 2 µs an element)."""
    if element is not None:
        element.addprevious(etree.Comment(_START))
        element.addnext(etree.Comment(_END))
    text = xml_bytes(tree).decode("utf-8")
    if element is not None:
        text = text.split(f"<!--{_START}-->")[1].split(f"<!--{_END}-->")[0]
        element.getparent().remove(element.getprevious())
        element.getparent().remove(element.getnext())
    return tuple(text.split(f"<!--{_HOLE}-->"))


def fill(template: tuple[str, ...], *contents: str) -> str:
    """``template`` (``pieces``) with ``contents`` in its holes, in order."""
    out = [template[0]]
    for content, piece in zip(contents, template[1:], strict=True):
        out += (content, piece)
    return "".join(out)


class Prototype:
    """A document the library saved once, to copy (``name`` in ``PROTOTYPES``): ``variable``
    names the parts each document writes itself (kept as XML trees, ``tree``); every other part
    is kept compressed. Each document changes only the title and dates of its core properties
    (``core``)."""

    def __init__(self, name: str, variable: tuple[str, ...]):
        data = (PROTOTYPES / name).read_bytes()
        variable = (*variable, CORE)
        self.shared = [m for m in zip_members_of(data) if m.name not in variable]
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            self._trees = {member: etree.fromstring(archive.read(member)) for member in variable}

    def tree(self, name: str):
        """A copy of the prototype's part to fill."""
        return copy.deepcopy(self._trees[name])

    def core(self, title: str, when: dt.date) -> ZipMember:
        """The core properties part with this title and date, as the libraries write them."""
        tree = self.tree(CORE)
        tree.find(f"{_DC}title").text = title
        stamp = dt.datetime(when.year, when.month, when.day).strftime("%Y-%m-%dT%H:%M:%SZ")     # as both libraries write a date
        for tag in _DATES:
            tree.find(tag).text = stamp
        return part(CORE, tree)

    def zip(self, members) -> bytes:
        """The document: the shared parts and ``members``."""
        return zip_members([*self.shared, *members])

