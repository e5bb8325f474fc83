"""The ``olx`` builder: the pack as an Open edX course tarball, ``dist/olx/<org>-<number>-<run>.tar.gz``.

Module → chapter, section → sequential, page → vertical, and in each vertical our blocks inline
(custom blocks cannot live in files of their own): each stateful element as its own block, each
run of prose and callouts as a ``cg_page``, every block holding the author's Markdown as written
(``chunks.page_chunks``). ``url_name``s come from the author's ids, so re-importing
a new version keeps learner state. The policy lists our blocks in ``advanced_modules`` and turns
on the platform's course certificate (``certificates``: active only in a ``--release`` build); the
grading policy has one assignment type per module (its sections with knowledge checks are its
assignments) and the pack's pass mark as the course's one cutoff; about/overview comes from the
pack's and modules' front matter; ``static/`` holds the modules' pictures as the asset policy
passed them. Same pack, same bytes: sorted entries, fixed times and owners.

Nothing here imports XBlock or Django: the builder runs in the ``commonground`` CLI.
"""
from __future__ import annotations

import dataclasses
import html
import json
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from lxml import etree

from coursepack import elements as kinds
from coursepack.archive import tar_gz_bytes, write_if_changed
from coursepack.assets import module_images
from coursepack.completion import assignment_type, graded_sections
from coursepack.fragment import glossary_yaml, parse_fragment, support_lines_yaml
from coursepack.load import LoadResult
from coursepack.model import Element, Module, Pack, Page, SupportLine
from coursepack.render import pack_identity

from .certificates import certificate_policy, learning_time
from .chunks import Chunk, page_chunks

# A run of prose and callouts is a cg_page; each stateful element is a block of its kind's own.
BLOCK_TAGS = {"page": "cg_page", **{k.name: f"cg_{k.name}" for k in kinds.stateful()}}
ADVANCED_MODULES = sorted(BLOCK_TAGS.values())
TOP = "course"                      # the one folder in the tarball
START = "2020-01-01T00:00:00Z"      # the course is open from the start ...
END = "2099-12-31T00:00:00Z"        # ... and does not close
EPOCH = 1767225600                  # 2026-01-01: the time stamped on every file (SOURCE_DATE_EPOCH wins)


def _md_escape(text: str) -> str:
    return re.sub(r"([\\\[\]*_`<>])", r"\\\1", text)


# -- blocks -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Block:
    """One of our blocks in a vertical: its tag and attributes, and its Markdown as text."""
    tag: str
    url_name: str
    attrs: dict
    source: str

    def element(self, with_url_name: bool = True) -> etree._Element:
        node = etree.Element(self.tag)
        if with_url_name:
            node.set("url_name", self.url_name)
        for key, value in self.attrs.items():
            if value not in ("", None):
                node.set(key, str(value))
        node.text = self.source
        return node


def intro_markdown(module: Module) -> str:
    """The module's front matter for learners, as the shell shows it on the first page (its
    content note only when the first page does not open with one of its own)."""
    parts = [module.summary, f"About {module.duration} minutes. You can stop at any time and come back: "
             "your place is kept.", "### By the end you will be able to",
             "\n".join(f"- {o}" for o in module.outcomes)]
    first = kinds.shown(module.pages[0].elements)[:1]
    opens_with_note = bool(first) and getattr(first[0], "style", "") == "content-note"
    if module.content_note and not opens_with_note:
        parts.append(f"::: content-note\n{module.content_note}\n:::")
    return "\n\n".join(parts)


def sources_markdown(module: Module) -> str:
    """The module's sources and review details, as the shell shows them after the last page."""
    items = []
    for s in module.sources:
        title = f"[{_md_escape(s.title)}]({s.url})" if s.url else f"*{_md_escape(s.title)}*"
        year = f" ({s.year})" if s.year else ""
        items.append(f"- [{s.key}] {_md_escape(s.publisher)}{year}. {title}.")
    return "\n\n".join(["### Sources", "\n".join(items), _md_escape(module.review_line)])


def _common(module: Module, pack: Pack, elements) -> dict:
    terms = pack.glossary_for(module)
    used = tuple((t, terms[t]) for t in kinds.terms_marked(elements) if t in terms)
    return {"module": module.id, "module_title": module.title, "module_version": module.version,
            "glossary": _glossary_yaml(used)}


# Writing YAML is slow Python, and many blocks hold the same few texts (every block with a pause
# holds the pack's support lines; blocks share glossary terms): each text is written once.
@lru_cache(maxsize=1024)
def _glossary_yaml(terms: tuple[tuple[str, str], ...]) -> str:
    return glossary_yaml(dict(terms))


@lru_cache(maxsize=8)
def _support_lines_yaml(lines: tuple[SupportLine, ...]) -> str:
    return support_lines_yaml(lines)


def page_blocks(result: LoadResult, module: Module) -> dict[str, list[Block]]:
    """Every page's blocks, in order; the first page opens with the module's introduction and the
    last closes with its sources."""
    pack = result.pack
    chunks = page_chunks(result, module)
    sources = {c.id: c.source for cs in chunks.values() for c in cs if c.id}
    counts: dict[str, int] = {}
    out: dict[str, list[Block]] = {}
    pages = module.pages
    for n, page in enumerate(pages):
        blocks = []
        if n == 0:
            blocks.append(_content_block(module, pack, page, intro_markdown(module), f"{module.id}_intro",
                                         module.title))
        for chunk in chunks[page.id]:
            counts[chunk.kind] = counts.get(chunk.kind, 0) + 1
            blocks.append(_chunk_block(module, pack, page, chunk, sources, counts[chunk.kind]))
        if n == len(pages) - 1:
            blocks.append(_content_block(module, pack, page, sources_markdown(module), f"{module.id}_sources",
                                         "Sources"))
        if not pack.release and blocks:    # a build that is not a release says so on every unit
            blocks[0] = dataclasses.replace(blocks[0], attrs={**blocks[0].attrs, "preview_mark": "true"})
        out[page.id] = blocks
    return out


def _content_block(module: Module, pack: Pack, page: Page, source: str, url_name: str, title: str,
                   elements: tuple[Element, ...] | None = None) -> Block:
    """A ``cg_page`` of ``source``; ``elements``: its elements where the module's own parse has
    them (a chunk's), else (the introduction and sources written here) parsed from ``source``."""
    if elements is None:
        elements = parse_fragment(source).elements
    attrs = {"display_name": title, **_common(module, pack, elements)}
    facts = kinds.facts_of(elements, module, pack)
    if facts:       # as XBlock writes a Dict field
        attrs["facts"] = json.dumps(facts, indent=2, sort_keys=True, separators=(",", ": "))
    if any(getattr(e, "style", "") == "pause" for e in elements):
        attrs["support_lines"] = _support_lines_yaml(pack.support_lines)
    return Block("cg_page", url_name, attrs, source)


#: The element kinds that are knowledge checks (questions, put in order): they make a section graded.
_GRADED = frozenset(k.name for k in kinds.with_role(kinds.GRADED))


def _chunk_block(module: Module, pack: Pack, page: Page, chunk: Chunk, sources: dict, n: int) -> Block:
    """``n``: the chunk's number among the module's chunks of its kind (for its outline name);
    ``sources``: each element's Markdown by id, for a block whose element needs another's
    (``Kind.needs``), which it holds in ``before_source``."""
    element = chunk.elements[0]
    if chunk.kind == "page":
        return _content_block(module, pack, page, chunk.source, f"{module.id}_{page.id}_{chunk.index}",
                              page.title, chunk.elements)
    kind = kinds.BY_NAME[chunk.kind]
    attrs = {"display_name": kind.label(element, n), **_common(module, pack, chunk.elements)}
    if kind.role == kinds.GRADED:
        # as XBlock writes a Dict field, so an export from Open edX gives the same attribute
        attrs["module_questions"] = json.dumps({q.id: q.weight for q in module.graded}, indent=2,
                                               sort_keys=True, separators=(",", ": "))
        attrs["module_sections"] = json.dumps(
            graded_sections(module),
            indent=2, sort_keys=True, separators=(",", ": "))
        attrs["module_pass_mark"] = module.pass_mark
    if kind.needs is not None and kind.needs(element):
        attrs["before_source"] = sources.get(kind.needs(element), "")
    return Block(BLOCK_TAGS[chunk.kind], f"{module.id}_{element.id}", attrs, chunk.source)


# -- the course -------------------------------------------------------------------------------

def _xml(node: etree._Element) -> bytes:
    return etree.tostring(node, pretty_print=True, encoding="utf-8")


def _element(tag: str, children=(), **attrs) -> etree._Element:
    node = etree.Element(tag)
    for key, value in attrs.items():
        node.set(key, str(value))
    for child in children:
        node.append(child)
    return node


def _pointer(tag: str, url_name: str) -> etree._Element:
    return _element(tag, url_name=url_name)


def grading_policy(pack: Pack, graded: dict[str, int]) -> dict:
    """One assignment type per module with knowledge checks; the pack's pass mark as the cutoff."""
    modules = [m for m in pack.modules if graded.get(m.id)]
    graders, left = [], 1.0
    for n, module in enumerate(modules):
        weight = round(1.0 / len(modules), 4) if n < len(modules) - 1 else round(left, 4)
        left -= weight
        graders.append({"type": assignment_type(module), "short_label": f"M{n + 1:02d}",
                        "min_count": graded[module.id], "drop_count": 0, "weight": weight})
    return {"GRADER": graders, "GRADE_CUTOFFS": {"Pass": round(pack.pass_mark / 100, 4)}}


def overview_html(pack: Pack) -> str:
    e = html.escape
    modules = "\n".join(
        f"    <li><strong>{e(m.title)}</strong> (about {m.duration} minutes; {e(m.level)}). {e(m.summary)}</li>"
        for m in pack.modules)
    pathways = "\n".join(
        f"    <li><strong>{e(p.role)}</strong> ({e(p.level)}): {e(p.description)} Modules: "
        f"{e(', '.join(pack.module(mid).title for mid in p.modules if pack.module(mid)))}.</li>"
        for p in pack.pathways)
    minutes = sum(m.duration for m in pack.modules)
    parts = [
        '<section class="about">',
        "  <h2>About this course</h2>",
        f"  <p>{e(pack.title)}. Published by {e(pack.publisher)}. {len(pack.modules)} modules, "
        f"about {learning_time(minutes)} in all.</p>",
        f"  <p>Each module has knowledge checks; the course pass mark is {pack.pass_mark}%. "
        "Reflections are always optional and never graded.</p>",
        "</section>",
        '<section class="modules">',
        "  <h2>Modules</h2>",
        "  <ol>", modules, "  </ol>",
        "</section>",
    ]
    if pack.pathways:
        parts += ['<section class="pathways">', "  <h2>Pathways</h2>", "  <ul>", pathways, "  </ul>", "</section>"]
    return "\n".join(parts) + "\n"


_module_files: dict[str, tuple[tuple, dict[str, bytes], int]] = {}


def module_files(result: LoadResult, module: Module) -> tuple[dict[str, bytes], int]:
    """One module's chapter, sequentials and verticals, and how many sections are graded.

    Kept per module while its source lines and the pack details its blocks show stay the same,
    so a rebuild after one edit redoes only the edited module."""
    pack = result.pack
    key = (tuple(line.text for line in result.sources[module.id].lines), module, pack_identity(pack))
    cached = _module_files.get(module.id)
    if cached is not None and cached[0] == key:
        return cached[1], cached[2]
    files, graded = {}, 0
    blocks = page_blocks(result, module)
    sequentials = []
    for section in module.sections:
        has_questions = any(e.kind in _GRADED for p in section.pages for e in p.elements)
        verticals = []
        for page in section.pages:
            name = f"{module.id}_{page.id}"
            files[f"vertical/{name}.xml"] = _xml(_element(
                "vertical", [b.element() for b in blocks[page.id]], display_name=page.title))
            verticals.append(_pointer("vertical", name))
        attrs = {"display_name": section.title}
        if has_questions:
            attrs.update(format=assignment_type(module), graded="true")
            graded += 1
        name = f"{module.id}_{section.id}"
        files[f"sequential/{name}.xml"] = _xml(_element("sequential", verticals, **attrs))
        sequentials.append(_pointer("sequential", name))
    files[f"chapter/{module.id}.xml"] = _xml(_element("chapter", sequentials, display_name=module.title))
    _module_files[module.id] = (key, files, graded)
    return files, graded


def course_files(result: LoadResult) -> dict[str, bytes]:
    """Every file of the course folder, by path inside the tarball's one top folder."""
    pack = result.pack
    run, files = pack.course.run, {}
    chapters, graded = [], {}
    for module in pack.modules:
        own, sections_graded = module_files(result, module)
        files.update(own)
        # Course assets (Studio's Files & Uploads, served on the LMS's origin): only pictures
        # that coursepack's asset policy passed, an SVG as its rebuilt allow-listed copy.
        files.update((f"static/{image.path}", image.data) for image in module_images(result, module))
        if sections_graded:
            graded[module.id] = sections_graded
        chapters.append(_pointer("chapter", module.id))

    files["course.xml"] = _xml(_element("course", url_name=run, org=pack.course.org, course=pack.course.number))
    files[f"course/{run}.xml"] = _xml(_element("course", chapters, display_name=pack.title))
    policy = {f"course/{run}": {
        "language": pack.language.split("-")[0].lower(),
        "start": START,
        "end": END,
        "course_image": "",
        "advanced_modules": ADVANCED_MODULES,
        **certificate_policy(pack),
    }}
    files[f"policies/{run}/policy.json"] = (json.dumps(policy, indent=2, ensure_ascii=False) + "\n").encode()
    files[f"policies/{run}/grading_policy.json"] = (
        json.dumps(grading_policy(pack, graded), indent=2, ensure_ascii=False) + "\n").encode()
    files["policies/assets.json"] = b"{}\n"
    files["about/overview.html"] = overview_html(pack).encode()
    files["about/short_description.html"] = (html.escape(pack.title) + "\n").encode()
    minutes = sum(m.duration for m in pack.modules)
    files["about/effort.html"] = f"{minutes // 60}:{minutes % 60:02d}\n".encode()
    return files


def tarball(files: dict[str, bytes], top: str = TOP) -> bytes:
    """The course as a gzipped tar (``coursepack.archive``: the same bytes for the same files)."""
    return tar_gz_bytes(files, top, int(os.environ.get("SOURCE_DATE_EPOCH", EPOCH)), dirs=("static",))


def tarball_name(pack: Pack) -> str:
    return f"{pack.course.org}-{pack.course.number}-{pack.course.run}.tar.gz"


def build(result: LoadResult, out: Path) -> str:
    """``commonground build --only olx``: write ``<out>/<org>-<number>-<run>.tar.gz``."""
    out = Path(out)
    files = course_files(result)
    path = out / tarball_name(result.pack)
    changed = write_if_changed(path, tarball(files))
    blocks = sum(data.count(b"<cg_") for name, data in files.items() if name.startswith("vertical/"))
    state = "written" if changed else "unchanged"
    return f"{path} ({len(result.pack.modules)} chapters, {blocks} blocks; {state})"
