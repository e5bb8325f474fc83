"""One piece of a module on its own: a fragment of Markdown outside any module file.

A delivery that edits and shows elements one at a time (the Open edX blocks do) keeps a
fragment of a module as its source: one ``::: question`` block, or a run of prose and callouts.
``parse_fragment`` reads such a fragment with the same ``BodyParser`` as whole modules, so the
syntax and the messages are the same. Glossary and support lines travel with a fragment as
small YAML texts.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import yaml

from . import elements
from . import frontmatter as fm
from .diagnostics import ERROR, Diagnostic, Diagnostics
from .model import Element, SupportLine
from .parse import BodyParser
from .scan import Line

# The parser reads sections and pages; a fragment sits on one page of its own.
_SECTION_ID = "cg-fragment-section"
_PAGE_ID = "cg-fragment-page"
# What a block may hold: "page" prose and callouts (any number), or one element of a stateful kind.
KINDS = ("page", *(k.name for k in elements.stateful()))


@dataclass(frozen=True)
class Fragment:
    elements: tuple[Element, ...]
    diagnostics: tuple[Diagnostic, ...]

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if d.severity == ERROR)

    @property
    def element(self) -> Element | None:
        """The one element of a stateful block (None when the fragment is not exactly one)."""
        return self.elements[0] if len(self.elements) == 1 else None


def _read(source: str, file: str, diags: Diagnostics) -> list[Element]:
    lines = [Line(file, 0, f"# Fragment {{#{_SECTION_ID}}}"), Line(file, 0, f"## Fragment {{#{_PAGE_ID}}}")]
    lines += [Line(file, n + 1, text) for n, text in enumerate(source.splitlines())]
    found = Diagnostics()
    sections = BodyParser(found, lines).parse()
    pages = [p for s in sections for p in s.pages]
    headings = {h.line for h in [*sections[1:], *pages[1:]]}
    for line in sorted(headings):
        diags.error(file, line, "heading-in-block",
                    "a '#' or '##' heading starts a section or page of a module, not part of one block",
                    "use '###' or a smaller heading inside a block")
    # What the parser says about such a heading itself (its id, an empty section) adds nothing.
    diags.items += [d for d in found.items if not (d.line in headings and d.code in (
        "missing-id", "bad-id", "duplicate-id", "empty-section"))]
    return [e for p in pages for e in p.elements]


def parse_fragment(source: str, *, kind: str = "page", before: str = "", file: str = "") -> Fragment:
    """Parse one block's Markdown.

    ``kind`` says what the block may hold: ``"page"`` prose and callouts, any other of ``KINDS``
    exactly one element of that kind. ``before`` is the Markdown of the element it needs, if its
    kind needs one (``Kind.needs``: the "before" check an "after" confidence check repeats),
    which completes it as in a whole module.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown fragment kind {kind!r}")
    diags = Diagnostics()
    file = file or "source"
    if not isinstance(source, str):
        source = ""
    found_elements = _read(source, file, diags)
    if kind == "page":
        for e in found_elements:
            if elements.kind_of(e).stateful:
                diags.error(file, e.line, "wrong-block",
                            f"a '{e.kind}' block cannot go in a content page",
                            f"give it a block of its own (the '{e.kind}' component)")
    else:
        found = [e for e in found_elements if e.kind == kind]
        others = [e for e in found_elements if e.kind != kind]
        if len(found) != 1 or others:
            where = (others or found[1:] or [None])[0]
            diags.error(file, where.line if where else 1, "one-element",
                        f"this component holds exactly one '{kind}' block and nothing else",
                        f"start with '::: {kind} {{#id}}' and end with ':::'; put other text in a content page")
        else:
            found_elements = _link(found[0], before, diags)
    return Fragment(tuple(found_elements), tuple(diags.sorted()))


def _link(element: Element, before: str, diags: Diagnostics) -> list[Element]:
    """An element that needs another (``Kind.needs``: an "after" confidence check) completed from
    the block's "before" field, the Markdown of the element it names."""
    kind = elements.kind_of(element)
    if kind.needs is None or not kind.needs(element):
        return [element]
    found = {e.id: e for e in _read(before or "", "before", diags) if getattr(e, "id", "")}

    def report(e, code, message, hint):
        diags.error("before", 1, code, message,
                    f"paste the Markdown of '{kind.needs(e)}' into this field")
    return elements.link_all([element], found, report)


def without_lines(value):
    """A model object with every ``line`` set to 0: what two parses of the same text share."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: without_lines(getattr(value, f.name)) for f in dataclasses.fields(value) if f.init}
        if "line" in changes:
            changes["line"] = 0
        return dataclasses.replace(value, **changes)
    if isinstance(value, tuple):
        return tuple(without_lines(v) for v in value)
    return value


# -- glossary and support lines as YAML text -------------------------------------------------

def parse_glossary(text: str, file: str = "glossary") -> tuple[dict[str, str], tuple[Diagnostic, ...]]:
    """``term: definition`` lines → {term (lower case): definition}."""
    diags = Diagnostics()
    data, _ = fm.load_mapping(text or "", file, 1, diags)
    terms: dict[str, str] = {}
    if data is not None:
        try:
            terms = {k.lower(): v for k, v in fm.glossary(data or None)}
        except ValueError as exc:
            diags.error(file, 1, "bad-value", f"the glossary {exc}")
    return terms, tuple(diags.sorted())


def parse_support_lines(text: str, file: str = "support lines") -> tuple[tuple[SupportLine, ...], tuple[Diagnostic, ...]]:
    """A YAML list of support lines, with the keys pack.yml uses."""
    diags = Diagnostics()
    lines: tuple[SupportLine, ...] = ()
    if text and text.strip():
        try:
            data = yaml.safe_load(text)
            lines = tuple(SupportLine(**s) for s in fm.list_of(fm.SUPPORT_LINE)(data))
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            diags.error(file, 1 + (mark.line if mark else 0), "yaml",
                        f"the YAML cannot be read: {getattr(exc, 'problem', None) or exc}")
        except ValueError as exc:
            diags.error(file, 1, "bad-value", f"the support lines {exc}")
    return lines, tuple(diags.sorted())


def _dump(data) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100).strip() if data else ""


def glossary_yaml(terms: dict[str, str]) -> str:
    return _dump(dict(terms))


def support_lines_yaml(lines) -> str:
    """Support lines as YAML for learners' pages (publisher-only notes are left out)."""
    keep = ("name", "contact", "offers", "hours", "textphone", "url")
    return _dump([{k: getattr(s, k) for k in keep if getattr(s, k)} for s in lines])
