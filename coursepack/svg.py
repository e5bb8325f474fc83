"""SVG pictures rebuilt from an allow-list, so what ships can only draw.

An SVG is a document, not a picture: opened on its own (a new tab, a direct link) it runs its
scripts and event handlers on the origin that serves it, which for a SCORM package in Moodle is
the learner's session. The HTML sanitiser (nh3) parses SVG as HTML foreign content and writes
HTML back (``viewBox`` becomes ``viewbox``), so pictures are read here with lxml instead: the
parser never loads a DTD, an entity or anything from the network, and a new tree is built
holding only the elements and attributes listed below. Editor bookkeeping (Inkscape and
Sodipodi data, ``<metadata>``, comments) is dropped quietly; anything else that is not listed
(``<script>``, ``on*`` handlers, ``<foreignObject>``, ``<image>``, links, references to
anything but ``#id`` in this file, ``<style>`` with ``url()`` or ``@import``) is reported, so the
author knows the picture was refused and why, instead of it silently looking different.
"""
from __future__ import annotations

import re

from lxml import etree

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
XML_NS = "http://www.w3.org/XML/1998/namespace"
NSMAP = {None: SVG_NS, "xlink": XLINK_NS}
# Written by drawing programs for themselves: never shown, never active.
EDITOR_NAMESPACES = {
    "http://www.inkscape.org/namespaces/inkscape",
    "http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd",
    "http://purl.org/dc/elements/1.1/", "http://creativecommons.org/ns#",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
}
QUIET_ELEMENTS = {"metadata"}

ELEMENTS = {
    "svg", "g", "defs", "title", "desc", "symbol", "use", "switch",
    "path", "rect", "circle", "ellipse", "line", "polyline", "polygon",
    "text", "tspan", "textPath",
    "linearGradient", "radialGradient", "stop", "pattern", "clipPath", "mask", "marker",
    "filter", "feGaussianBlur", "feOffset", "feBlend", "feColorMatrix", "feFlood", "feComposite",
    "feMerge", "feMergeNode", "feMorphology", "feDropShadow",
    "style",
}
ATTRIBUTES = {
    # identity, accessibility and layout
    "id", "class", "style", "lang", "role", "aria-label", "aria-labelledby", "aria-describedby",
    "aria-hidden", "version", "baseProfile", "viewBox", "preserveAspectRatio", "width", "height",
    "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx", "ry", "fx", "fy", "fr", "d", "points",
    "transform", "display", "visibility", "overflow", "opacity", "type", "media",
    # paint
    "fill", "fill-opacity", "fill-rule", "stroke", "stroke-width", "stroke-linecap", "stroke-linejoin",
    "stroke-dasharray", "stroke-dashoffset", "stroke-opacity", "stroke-miterlimit", "color",
    "paint-order", "vector-effect", "shape-rendering", "text-rendering", "color-interpolation-filters",
    "clip-path", "clip-rule", "clipPathUnits", "mask", "maskUnits", "maskContentUnits", "filter",
    "filterUnits", "primitiveUnits",
    "offset", "stop-color", "stop-opacity", "gradientUnits", "gradientTransform", "spreadMethod",
    "patternUnits", "patternContentUnits", "patternTransform",
    "marker-start", "marker-mid", "marker-end", "markerWidth", "markerHeight", "markerUnits",
    "refX", "refY", "orient",
    # text
    "font-family", "font-size", "font-weight", "font-style", "font-variant", "text-anchor",
    "dominant-baseline", "alignment-baseline", "baseline-shift", "letter-spacing", "word-spacing",
    "text-decoration", "dx", "dy", "rotate", "textLength", "lengthAdjust", "startOffset",
    "writing-mode",
    # filter primitives
    "in", "in2", "result", "mode", "operator", "k1", "k2", "k3", "k4", "values", "stdDeviation",
    "radius", "flood-color", "flood-opacity",
    # references, checked below: only to an #id in the same file
    "href",
}
XML_ATTRIBUTES = {"lang", "space"}
LOCAL_REF = re.compile(r"#[\w.:-]+")
CSS_URL = re.compile(r"url\s*\(\s*(['\"]?)(.*?)\1\s*\)", re.I | re.S)
CSS_ACTIVE = re.compile(r"@import|expression\s*\(|javascript:|behavior\s*:|-moz-binding|\\", re.I)


class SvgRefused(ValueError):
    """The picture holds things that are not on the allow-list; ``problems`` names each."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


def _local_name(tag: str) -> tuple[str, str]:
    qname = etree.QName(tag)
    return qname.namespace or "", qname.localname


def _css_problem(text: str) -> str:
    """Why a piece of CSS could fetch or run something, or '' when it only paints."""
    active = CSS_ACTIVE.search(text)
    if active:
        return f"CSS '{active.group().strip()}'"
    for match in CSS_URL.finditer(text):
        if not LOCAL_REF.fullmatch(match.group(2).strip()):
            return f"CSS url({match.group(2).strip()[:40]})"
    return ""


def _value_problem(name: str, value: str) -> str:
    if "javascript:" in re.sub(r"\s", "", value).lower():
        return f"a javascript: value in {name}"
    if name == "href":
        return "" if LOCAL_REF.fullmatch(value.strip()) else f"a link to '{value.strip()[:40]}' in href"
    return _css_problem(value)


def _copy(node, parent, problems: list[str]):
    """The allowed part of ``node``, appended to ``parent`` (None: a new root), noting what is
    refused."""
    where = f" (line {node.sourceline})" if node.sourceline else ""
    namespace, name = _local_name(node.tag)
    if namespace in EDITOR_NAMESPACES or (namespace == SVG_NS and name in QUIET_ELEMENTS):
        return
    if namespace != SVG_NS or name not in ELEMENTS:
        link = node.get("href") or node.get(f"{{{XLINK_NS}}}href")
        problems.append(f"<{name}>{where}" + (f" linking to '{link.strip()[:40]}'" if link else ""))
        return
    tag = f"{{{SVG_NS}}}{name}"
    copy = etree.Element(tag, nsmap=NSMAP) if parent is None else etree.SubElement(parent, tag)
    for key, value in node.attrib.items():
        attr_ns, attr = _local_name(key)
        if attr_ns in EDITOR_NAMESPACES:
            continue
        known = (attr_ns == "" and attr in ATTRIBUTES) or (attr_ns == XLINK_NS and attr == "href") \
            or (attr_ns == XML_NS and attr in XML_ATTRIBUTES)
        if not known:
            handler = "an event handler " if attr.lower().startswith("on") else ""
            problems.append(f"{handler}{attr}= on <{name}>{where}")
            continue
        problem = _value_problem(attr, value)
        if problem:
            problems.append(f"{problem} on <{name}>{where}")
            continue
        copy.set(key, value)
    if name == "style" and _css_problem(node.text or ""):
        problems.append(f"{_css_problem(node.text)} in <style>{where}")
    copy.text = node.text
    for child in node:
        if isinstance(child, etree._Entity):
            problems.append(f"entity {child.text}{where}")
            continue
        before = len(copy)
        _copy(child, copy, problems)
        if len(copy) > before:
            copy[-1].tail = child.tail
        elif child.tail and len(copy):
            copy[-1].tail = (copy[-1].tail or "") + child.tail
        elif child.tail:
            copy.text = (copy.text or "") + child.tail
    return copy


def sanitise(data: bytes) -> bytes:
    """The picture rebuilt from the allow-list, or ``SvgRefused`` naming what was not allowed."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             dtd_validation=False, huge_tree=False, remove_comments=True,
                             remove_pis=True, remove_blank_text=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise SvgRefused([f"it is not well-formed XML ({exc.msg})"]) from None
    if root.getroottree().docinfo.internalDTD is not None:
        raise SvgRefused(["a DOCTYPE with its own declarations"])
    namespace, name = _local_name(root.tag)
    if name != "svg":
        raise SvgRefused([f"the file is <{name}>, not an SVG picture"])
    if namespace != SVG_NS:
        raise SvgRefused([f'the <svg> lacks xmlns="{SVG_NS}"'])
    problems: list[str] = []
    clean = _copy(root, None, problems)
    if problems:
        raise SvgRefused(problems)
    return etree.tostring(clean, xml_declaration=True, encoding="utf-8") + b"\n"
