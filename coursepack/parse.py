"""The structure of a module body: sections, pages and ``:::`` blocks, with line numbers.

Python-Markdown renders prose but cannot say on which line a problem is, so the structure (the
part authors get wrong and lint must point at) is read here line by line. Each ``:::`` block is
read by its kind's ``read`` (``coursepack.elements``), with the helpers below for ids, options
and lists; every problem is recorded and reading carries on, so an author sees all of them.
Missing ids are recorded as ``Fix`` lines that ``lint --fix`` writes back into the files.
"""
from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass, replace

from . import elements
from .attrs import ID_PATTERN, Attrs, split_attrs, slug
from .diagnostics import Diagnostics, did_you_mean
from .model import Page, Prose, Section
from .scan import Block, Heading, Line, Stray, close_seam, scan

MAX_ATTEMPTS = 20   # the most ``attempts=`` a graded question may allow


@dataclass(frozen=True)
class Fix:
    """Replace line ``no`` of ``file`` (whose text was ``old``) by ``new``."""
    file: str
    no: int
    old: str
    new: str


EXPLANATION = re.compile(r"^explanation:\s*(.*)$", re.IGNORECASE)
ID_TOKEN = re.compile(r"\{[^{}]*#([a-z0-9][a-z0-9-]*)")

def _text(lines: list[Line]) -> str:
    return textwrap.dedent("\n".join(l.text for l in lines)).strip()


def _graded_option(options: dict, key: str, default: float) -> float | None:
    try:
        value = float(options.get(key, default))
        return value if 0 < value <= 100 else None
    except ValueError:
        return None


class BodyParser:
    """Reads a module body (one or more files, as numbered lines) into sections."""

    def __init__(self, diags: Diagnostics, lines: list[Line]):
        self.diags = diags
        self.lines = lines
        self.fixes: list[Fix] = []
        self.sections: list[Section] = []
        self.seen_ids: dict[str, Line] = {}
        self.taken = {m for l in lines for m in ID_TOKEN.findall(l.text)}

    # -- ids -------------------------------------------------------------------------------
    def _new_id(self, base: str) -> str:
        candidate, n = base, 2
        while candidate in self.taken:
            candidate, n = f"{base}-{n}", n + 1
        self.taken.add(candidate)
        return candidate

    def check_id(self, attrs: Attrs | None, line: Line, what: str, suggest: str,
                  scope: dict[str, Line], new_text=None) -> str:
        """Validate an element's id; when missing, record an error and a ``Fix``."""
        ident = attrs.id if attrs else ""
        if attrs and attrs.problem:
            self.diags.error(line.file, line.no, "bad-options", attrs.problem)
        if not ident:
            new_id = self._new_id(suggest)
            fixed = new_text(new_id) if new_text else f"{line.text.rstrip()} {{#{new_id}}}"
            self.fixes.append(Fix(line.file, line.no, line.text, fixed))
            self.diags.error(line.file, line.no, "missing-id", f"{what} has no id",
                             f"add {{#{new_id}}} at the end of the line, or run 'commonground lint --fix'")
            return new_id
        if not ID_PATTERN.match(ident):
            self.diags.error(line.file, line.no, "bad-id", f"{what} id '{ident}' is not a short id",
                             "use lower-case letters, digits and hyphens, at most 40")
        if ident in scope:
            first = scope[ident]
            self.diags.error(line.file, line.no, "duplicate-id", f"{what} id '{ident}' is used twice",
                             f"first used at {first.file}:{first.no}; ids must be unique")
        scope[ident] = line
        return ident

    def _check_options(self, attrs: Attrs | None, line: Line, allowed) -> dict:
        options = dict(attrs.options) if attrs else {}
        for key in list(options):
            if key not in allowed:
                hint = did_you_mean(key, allowed) if allowed else "this block takes no options"
                self.diags.error(line.file, line.no, "unknown-option", f"unknown option '{key}'", hint)
                del options[key]
        return options

    # -- the body --------------------------------------------------------------------------
    def parse(self) -> list[Section]:
        section: dict | None = None
        page: dict | None = None
        prose: list[Line] = []
        held: list = []      # elements learners are not shown, placed after the prose around them
        seam: int | None = None   # blank lines read since such a block was left out of the prose

        def flush():
            nonlocal seam
            if prose and any(l.text.strip() for l in prose):
                if page is None:
                    first = next(l for l in prose if l.text.strip())
                    self.diags.error(first.file, first.no, "outside-page",
                                     "text before the first page heading",
                                     "start a page with '## Page title {#id}' above it")
                else:
                    first = next(l for l in prose if l.text.strip())
                    page["elements"].append(Prose(_text(prose), line=first.no))
            prose.clear()
            seam = None
            if page is not None:
                page["elements"].extend(held)
            held.clear()

        def close_page():
            nonlocal page
            if page is not None and section is not None:
                section["pages"].append(Page(page["id"], page["title"], tuple(page["elements"]),
                                             page["file"], page["line"]))
            page = None

        def close_section():
            nonlocal section
            close_page()
            if section is not None:
                if not section["pages"]:
                    self.diags.error(section["file"], section["line"], "empty-section",
                                     f"section '{section['title']}' has no pages",
                                     "add a page with '## Page title {#id}'")
                self.sections.append(Section(section["id"], section["title"],
                                             tuple(section["pages"]), section["line"]))
            section = None

        for token in scan(self.lines):
            line = getattr(token, "line", None) or token.opener
            if isinstance(token, Heading):
                flush()
                title, attrs = split_attrs(token.title)
                if token.level == 1:
                    close_section()
                    ident = self.check_id(attrs, line, "section", slug(title), self.seen_ids)
                    section = {"id": ident, "title": title, "pages": [], "line": line.no,
                               "file": line.file}
                else:
                    close_page()
                    ident = self.check_id(attrs, line, "page", slug(title), self.seen_ids)
                    if section is None:
                        self.diags.error(line.file, line.no, "page-outside-section",
                                         f"page '{title}' is not in a section",
                                         "add a section heading '# Section title {#id}' above it")
                        section = {"id": "_", "title": "", "pages": [], "line": line.no,
                                   "file": line.file}
                    page = {"id": ident, "title": title, "elements": [], "line": line.no,
                            "file": line.file}
            elif isinstance(token, Block):
                unshown = token.name in elements.BLOCKS and not elements.BLOCKS[token.name].learners
                if unshown:
                    seam = 0
                else:
                    flush()
                if not token.closed:
                    self.diags.error(line.file, line.no, "unclosed-block",
                                     "this block is never closed", "add a line with just ':::' after it")
                element = self._block(token.name, token.raw_attrs, line, list(token.body))
                if element is not None:
                    if page is None:
                        self.diags.error(line.file, line.no, "outside-page",
                                         f"'{token.name}' block before the first page heading",
                                         "move it under a '## Page title {#id}' heading")
                    else:
                        (held if unshown else page["elements"]).append(element)
            elif isinstance(token, Stray):
                self.diags.error(line.file, line.no, "stray-closer",
                                 "a ':::' line that closes nothing",
                                 "remove it, or add the block's opening line")
            elif seam is not None and not line.text.strip():
                seam += 1
            else:
                if seam is not None:
                    close_seam(prose, seam)
                    seam = None
                prose.append(line)
        flush()
        close_section()
        return self.sections

    # -- blocks ----------------------------------------------------------------------------
    def _block(self, name: str, raw_attrs: str | None, line: Line, body: list[Line]):
        kind = elements.BLOCKS.get(name)
        if kind is None:
            self.diags.error(line.file, line.no, "unknown-block", f"unknown block '{name}'",
                             did_you_mean(name, elements.BLOCKS))
            return None
        _, attrs = split_attrs(line.text) if raw_attrs else (line.text, None)
        options = self._check_options(attrs, line, kind.blocks[name])
        ident = ""
        if kind.stateful:
            words = next((l.text for l in body if l.text.strip() and not l.text.startswith("#")), name)
            suggest = f"{kind.id_prefix}-{slug(words, 16)}"
            ident = self.check_id(attrs, line, name, suggest, self.seen_ids,
                                  new_text=lambda new: self._with_id(line.text, new))
        elif attrs and attrs.id:
            self.diags.error(line.file, line.no, "unexpected-id", f"a '{name}' block keeps no state",
                             "remove the #id")
        return kind.read(self, name, ident, options, line, body)

    @staticmethod
    def _with_id(opener: str, new_id: str) -> str:
        """Insert ``#new_id`` into a block opener, keeping any options it has."""
        text, attrs = split_attrs(opener)
        if attrs is None:
            return f"{opener.rstrip()} {{#{new_id}}}"
        inside = opener[opener.rindex("{") + 1: opener.rindex("}")].strip()
        return f"{text} {{#{new_id}{' ' + inside if inside else ''}}}"

    # -- helpers for the kinds' readers -----------------------------------------------------
    @staticmethod
    def text(lines: list[Line]) -> str:
        """Lines of a block as one Markdown text (common indent removed)."""
        return _text(lines)

    def int_option(self, options, key, line, low, high, default):
        if key not in options:
            return default
        try:
            value = int(options[key])
            if not low <= value <= high:
                raise ValueError
            return value
        except ValueError:
            self.diags.error(line.file, line.no, "bad-option", f"'{key}' must be a whole number from {low} to {high}")
            return default

    def grading_options(self, options, line) -> tuple[int, float]:
        """A knowledge check's ``attempts=`` (0 = unlimited) and ``weight=``."""
        attempts = self.int_option(options, "attempts", line, 0, MAX_ATTEMPTS, 0)
        weight = _graded_option(options, "weight", 1)
        if weight is None:
            self.diags.error(line.file, line.no, "bad-option", "'weight' must be a number above 0 and up to 100")
            weight = 1.0
        return attempts, weight

    def item_id(self, item, what: str, suggest: str | None, scope: dict, raw: str) -> tuple[str, str]:
        """A list item's text and its ``{#id}`` (checked; suggested from the text if missing)."""
        text, attrs = split_attrs(raw)
        return text, self.check_id(attrs, item["line"], what, suggest or slug(text, 16), scope)

    def items(self, body: list[Line], item_re, kind: str, explanation: bool = False):
        """Split a block body into lead text, list items with their indented text, and a tail
        (the ``Explanation:`` line and what follows it, for kinds that take one)."""
        lead, items, tail, current = [], [], [], None
        for line in body:
            stripped = line.text.strip()
            match = item_re.match(stripped) if not line.text.startswith((" ", "\t")) else None
            if match:
                current = {"match": match, "line": line, "more": []}
                items.append(current)
            elif explanation and EXPLANATION.match(stripped) and not line.text.startswith(" "):
                tail.append(Line(line.file, line.no, EXPLANATION.match(stripped).group(1)))
                current = "tail"
            elif current == "tail":
                tail.append(line)
            elif current is None:
                lead.append(line)
            elif not stripped or line.text.startswith((" ", "\t")):
                current["more"].append(line)
            else:
                self.diags.error(line.file, line.no, "stray-text", f"text after the {kind} list is not indented",
                                 "indent feedback under its item, or start the line with 'Explanation:'"
                                 if explanation else "indent it under the item above")
        return lead, items, tail

    def check_body(self, body: list[Line], item_re, kind: str, line: Line, asks: str):
        """A knowledge check's body: its question (an error at the opening line when there is
        none; ``asks`` says what to write), its list items and its explanation."""
        lead, items, tail = self.items(body, item_re, kind, explanation=True)
        prompt = self.text(lead)
        if not prompt:
            self.diags.error(line.file, line.no, "empty-question", "the question has no text",
                             f"write {asks} on the lines after the opening ':::'")
        return prompt, items, self.text(tail)


def link_elements(sections: list[Section], diags: Diagnostics) -> list[Section]:
    """Complete each element that needs another of its module (``Kind.needs``, e.g. an "after"
    confidence check takes its "before" check's statements), once the whole module is read."""
    found = {e.id: e for s in sections for p in s.pages for e in p.elements if getattr(e, "id", "")}

    def pages(section):
        for page in section.pages:
            def report(e, code, message, hint, file=page.file):
                diags.error(file, e.line, code, f"{message} in this module", hint)
            yield replace(page, elements=tuple(elements.link_all(page.elements, found, report)))
    return [replace(section, pages=tuple(pages(section))) for section in sections]
