"""The structure of a module body: sections, pages and ``:::`` blocks, with line numbers.

Python-Markdown renders prose but cannot say on which line a problem is, so the structure (the
part authors get wrong and lint must point at) is read here line by line. Each block kind has a
small reader; every problem is recorded and reading carries on, so an author sees all of them.
Missing ids are recorded as ``Fix`` lines that ``lint --fix`` writes back into the files.
"""
from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass, replace

from .attrs import ID_PATTERN, Attrs, split_attrs, slug
from .diagnostics import Diagnostics, did_you_mean
from .model import (Callout, Choice, Confidence, Option, Page, Prose, Question, QUESTION_TYPES,
                    Reflection, Scenario, Section, Statement, Step)


@dataclass(frozen=True)
class Line:
    file: str
    no: int
    text: str


@dataclass(frozen=True)
class Fix:
    """Replace line ``no`` of ``file`` (whose text was ``old``) by ``new``."""
    file: str
    no: int
    old: str
    new: str


HEADING = re.compile(r"^(#{1,2})\s+(.*?)\s*#*\s*$")
STEP_HEADING = re.compile(r"^####\s+(.*?)\s*$")
OPENER = re.compile(r"^:::\s*([A-Za-z][\w-]*)\s*(\{.*\})?\s*$")
CLOSER = re.compile(r"^:::\s*$")
FENCE = re.compile(r"^\s*(```|~~~)")
OPTION = re.compile(r"^[-*]\s+\[([ xX])\]\s+(.*)$")
CHOICE = re.compile(r"^[-*]\s+\[(.+?)\]\(#([^)\s]*)\)\s*(\{.*\})?\s*$")
ITEM = re.compile(r"^[-*]\s+(.*)$")
EXPLANATION = re.compile(r"^explanation:\s*(.*)$", re.IGNORECASE)
ID_TOKEN = re.compile(r"\{[^{}]*#([a-z0-9][a-z0-9-]*)")

# What options each block accepts (besides its #id). An empty tuple means no id either.
BLOCK_OPTIONS = {
    "question": ("type", "attempts", "weight"),
    "reflection": ("max",),
    "scenario": ("title",),
    "confidence": ("after", "scale"),
    "key-point": ("title",),
    "lived-experience": ("by",),
    "content-note": ("title",),
    "pause": ("title",),
}
STATEFUL_BLOCKS = {"question": "q", "reflection": "r", "scenario": "s", "confidence": "cf"}


def _text(lines: list[Line]) -> str:
    return textwrap.dedent("\n".join(l.text for l in lines)).strip()


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

    def _check_id(self, attrs: Attrs | None, line: Line, what: str, suggest: str,
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
        in_fence = False
        i = 0

        def flush():
            if prose and any(l.text.strip() for l in prose):
                if page is None:
                    first = next(l for l in prose if l.text.strip())
                    self.diags.error(first.file, first.no, "outside-page",
                                     "text before the first page heading",
                                     "start a page with '## Page title {#id}' above it")
                else:
                    first = next(l for l in prose if l.text.strip())
                    page["elements"].append(Prose(_text(prose), first.no))
            prose.clear()

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

        while i < len(self.lines):
            line = self.lines[i]
            if FENCE.match(line.text):
                in_fence = not in_fence
            if not in_fence:
                heading = HEADING.match(line.text)
                if heading:
                    flush()
                    title, attrs = split_attrs(heading.group(2))
                    if len(heading.group(1)) == 1:
                        close_section()
                        ident = self._check_id(attrs, line, "section", slug(title), self.seen_ids)
                        section = {"id": ident, "title": title, "pages": [], "line": line.no,
                                   "file": line.file}
                    else:
                        close_page()
                        ident = self._check_id(attrs, line, "page", slug(title), self.seen_ids)
                        if section is None:
                            self.diags.error(line.file, line.no, "page-outside-section",
                                             f"page '{title}' is not in a section",
                                             "add a section heading '# Section title {#id}' above it")
                            section = {"id": "_", "title": "", "pages": [], "line": line.no,
                                       "file": line.file}
                        page = {"id": ident, "title": title, "elements": [], "line": line.no,
                                "file": line.file}
                    i += 1
                    continue
                opener = OPENER.match(line.text)
                if opener:
                    flush()
                    end, after = self._find_closer(i)
                    element = self._block(opener.group(1), opener.group(2), line,
                                          self.lines[i + 1:end])
                    if element is not None:
                        if page is None:
                            self.diags.error(line.file, line.no, "outside-page",
                                             f"'{opener.group(1)}' block before the first page heading",
                                             "move it under a '## Page title {#id}' heading")
                        else:
                            page["elements"].append(element)
                    i = after
                    continue
                if CLOSER.match(line.text):
                    self.diags.error(line.file, line.no, "stray-closer",
                                     "a ':::' line that closes nothing",
                                     "remove it, or add the block's opening line")
                    i += 1
                    continue
            prose.append(line)
            i += 1
        flush()
        close_section()
        return self.sections

    def _find_closer(self, start: int) -> tuple[int, int]:
        """Where the block opened at ``start`` ends: (index of its closer, index to read on).

        An unclosed block ends before the next heading, opener or file, which are read on as
        usual; every line before them stays in the block's body."""
        in_fence = False
        opener = self.lines[start]
        end = len(self.lines)
        for j in range(start + 1, len(self.lines)):
            line = self.lines[j]
            if line.file != opener.file:
                end = j
                break
            if FENCE.match(line.text):
                in_fence = not in_fence
            if in_fence:
                continue
            if CLOSER.match(line.text):
                return j, j + 1
            if HEADING.match(line.text) or OPENER.match(line.text):
                end = j
                break
        self.diags.error(opener.file, opener.no, "unclosed-block",
                         "this block is never closed", "add a line with just ':::' after it")
        return end, end

    # -- blocks ----------------------------------------------------------------------------
    def _block(self, name: str, raw_attrs: str | None, line: Line, body: list[Line]):
        if name not in BLOCK_OPTIONS:
            self.diags.error(line.file, line.no, "unknown-block", f"unknown block '{name}'",
                             did_you_mean(name, BLOCK_OPTIONS))
            return None
        _, attrs = split_attrs(line.text) if raw_attrs else (line.text, None)
        options = self._check_options(attrs, line, BLOCK_OPTIONS[name])
        if name in STATEFUL_BLOCKS:
            words = next((l.text for l in body if l.text.strip() and not l.text.startswith("#")), name)
            suggest = f"{STATEFUL_BLOCKS[name]}-{slug(words, 16)}"
            ident = self._check_id(attrs, line, name, suggest, self.seen_ids,
                                   new_text=lambda new: self._with_id(line.text, new))
            reader = getattr(self, "_" + name)
            return reader(ident, options, line, body)
        if attrs and attrs.id:
            self.diags.error(line.file, line.no, "unexpected-id", f"a '{name}' block keeps no state",
                             "remove the #id")
        text = _text(body)
        if name == "lived-experience" and not options.get("by"):
            self.diags.error(line.file, line.no, "missing-attribution", "a lived-experience voice needs an attribution",
                             'add by="Sam, peer worker (an illustrative composite)"')
        if not text and name != "pause":
            self.diags.error(line.file, line.no, "empty-block", f"the '{name}' block is empty")
        return Callout(name, text, options.get("by", "") or options.get("title", ""), line.no)

    @staticmethod
    def _with_id(opener: str, new_id: str) -> str:
        """Insert ``#new_id`` into a block opener, keeping any options it has."""
        text, attrs = split_attrs(opener)
        if attrs is None:
            return f"{opener.rstrip()} {{#{new_id}}}"
        inside = opener[opener.rindex("{") + 1: opener.rindex("}")].strip()
        return f"{text} {{#{new_id}{' ' + inside if inside else ''}}}"

    def _int_option(self, options, key, line, low, high, default):
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

    def _items(self, body: list[Line], item_re, kind: str):
        """Split a block body into lead text, list items with their indented text, and a tail."""
        lead, items, tail, current = [], [], [], None
        for line in body:
            stripped = line.text.strip()
            match = item_re.match(stripped) if not line.text.startswith((" ", "\t")) else None
            if match:
                current = {"match": match, "line": line, "more": []}
                items.append(current)
            elif EXPLANATION.match(stripped) and kind == "question" and not line.text.startswith(" "):
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
                                 if kind == "question" else "indent it under the item above")
        return lead, items, tail

    def _question(self, ident, options, line, body):
        qtype = options.get("type", "single")
        if qtype not in QUESTION_TYPES:
            self.diags.error(line.file, line.no, "bad-option", f"question type '{qtype}' is unknown",
                             did_you_mean(qtype, QUESTION_TYPES))
            qtype = "single"
        lead, items, tail = self._items(body, OPTION, "question")
        prompt = _text(lead)
        if not prompt:
            self.diags.error(line.file, line.no, "empty-question", "the question has no text",
                             "write the question on the lines after the opening ':::'")
        scope: dict[str, Line] = {}
        letters = iter("abcdefghijklmnopqrstuvwxyz")
        opts = []
        for item in items:
            text, attrs = split_attrs(item["match"].group(2))
            oid = self._check_id(attrs, item["line"], "option", next(letters, "o"), scope,
                                 new_text=lambda new, t=item["line"].text: f"{t.rstrip()} {{#{new}}}")
            feedback = _text(item["more"])
            if not feedback:
                self.diags.warn(item["line"].file, item["line"].no, "no-feedback",
                                "this option has no feedback", "indent a line under it saying why it is right or wrong")
            opts.append(Option(oid, text, item["match"].group(1) in "xX", feedback, item["line"].no))
        correct = [o for o in opts if o.correct]
        if len(opts) < 2:
            self.diags.error(line.file, line.no, "too-few-options", "a question needs at least two options",
                             "write options as '- [x] right answer {#id}' and '- [ ] wrong answer {#id}'")
        elif not correct:
            self.diags.error(line.file, line.no, "no-correct-option", "no option is marked right",
                             "mark the right option(s) with [x]")
        elif qtype in ("single", "truefalse") and len(correct) > 1:
            self.diags.error(line.file, line.no, "many-correct", f"a '{qtype}' question has {len(correct)} right options",
                             "use type=multiple, or mark only one option with [x]")
        if qtype == "truefalse" and sorted(o.text.lower() for o in opts) != ["false", "true"]:
            self.diags.error(line.file, line.no, "bad-truefalse", "a true/false question needs exactly the options True and False")
        attempts = self._int_option(options, "attempts", line, 0, 20, 0)
        try:
            weight = float(options.get("weight", 1))
            if not 0 < weight <= 100:
                raise ValueError
        except ValueError:
            self.diags.error(line.file, line.no, "bad-option", "'weight' must be a number above 0 and up to 100")
            weight = 1.0
        return Question(ident, qtype, prompt, tuple(opts), _text(tail), attempts, weight, line.no)

    def _reflection(self, ident, options, line, body):
        prompt = _text(body)
        if not prompt:
            self.diags.error(line.file, line.no, "empty-block", "the reflection has no prompt")
        return Reflection(ident, prompt, self._int_option(options, "max", line, 50, 10000, 2000), line.no)

    def _confidence(self, ident, options, line, body):
        lead, items, _ = self._items(body, ITEM, "confidence")
        scope: dict[str, Line] = {}
        statements = []
        for item in items:
            text, attrs = split_attrs(item["match"].group(1))
            sid = self._check_id(attrs, item["line"], "statement", slug(text, 16), scope)
            statements.append(Statement(sid, text, item["line"].no))
        after = options.get("after", "")
        if after and statements:
            self.diags.error(line.file, line.no, "after-with-statements",
                             "an 'after' confidence check repeats the statements of its 'before' check",
                             "remove the statements here")
        if not after and not statements:
            self.diags.error(line.file, line.no, "no-statements", "the confidence check has no statements",
                             "list them as '- I can ... {#id}'")
        return Confidence(ident, _text(lead), tuple(statements), after,
                          self._int_option(options, "scale", line, 3, 10, 5), line.no)

    def _scenario(self, ident, options, line, body):
        steps_raw, current = [], None
        for l in body:
            match = STEP_HEADING.match(l.text)
            if match:
                current = {"line": l, "title": match.group(1), "body": []}
                steps_raw.append(current)
            elif current is None:
                if l.text.strip():
                    self.diags.error(l.file, l.no, "scenario-text-outside-step", "text before the first step",
                                     "start the scenario with '#### Step title {#start}'")
            else:
                current["body"].append(l)
        if not steps_raw:
            self.diags.error(line.file, line.no, "no-steps", "the scenario has no steps",
                             "add steps as '#### Step title {#id}'")
            return Scenario(ident, options.get("title", ""), (), line.no)
        step_scope: dict[str, Line] = {}
        choice_scope: dict[str, Line] = {}
        steps = []
        for raw in steps_raw:
            title, attrs = split_attrs(raw["title"])
            sid = self._check_id(attrs, raw["line"], "scenario step", slug(title, 16), step_scope)
            ending = bool(attrs and "ending" in attrs.classes)
            lead, items, _ = self._items(raw["body"], CHOICE, "choice")
            choices = []
            for item in items:
                m = item["match"]
                _, cattrs = split_attrs(item["line"].text.strip())
                cid = self._check_id(cattrs, item["line"], "choice", "c-" + slug(m.group(1), 14), choice_scope)
                choices.append(Choice(cid, m.group(1).strip(), m.group(2), _text(item["more"]), item["line"].no))
            for l in lead:
                if l.text.lstrip().startswith(("- [", "* [")):
                    self.diags.error(l.file, l.no, "bad-choice", "this choice does not link to a step",
                                     "write choices as '- [What you do](#step-id) {#choice-id}'")
            if ending and choices:
                self.diags.error(raw["line"].file, raw["line"].no, "ending-with-choices",
                                 "an ending step has choices", "remove the choices or the .ending mark")
            if not ending and not choices:
                self.diags.error(raw["line"].file, raw["line"].no, "dead-end",
                                 f"step '{sid}' has no choices and is not an ending",
                                 "add choices, or mark it {#id .ending}")
            steps.append(Step(sid, title, _text(lead), tuple(choices), ending, raw["line"].no))
        known = {s.id for s in steps}
        reached = {steps[0].id}
        for step in steps:
            for choice in step.choices:
                if choice.target not in known:
                    self.diags.error(line.file, choice.line, "choice-leads-nowhere",
                                     f"choice '{choice.id}' leads to '#{choice.target}', which is not a step here",
                                     did_you_mean(choice.target, known))
                reached.add(choice.target)
        for step in steps:
            if step.id not in reached:
                self.diags.error(line.file, step.line, "unreachable-step",
                                 f"no choice leads to step '{step.id}'", "link a choice to it, or remove it")
        if not any(s.ending for s in steps):
            self.diags.error(line.file, line.no, "no-ending", "the scenario has no ending",
                             "mark at least one step {#id .ending}")
        return Scenario(ident, options.get("title", ""), tuple(steps), line.no)


def resolve_confidence_pairs(sections: list[Section], diags: Diagnostics) -> list[Section]:
    """Give each 'after' confidence check the statements of the 'before' check it names."""
    before = {e.id: e for s in sections for p in s.pages for e in p.elements
              if isinstance(e, Confidence) and not e.after}
    out = []
    for section in sections:
        pages = []
        for page in section.pages:
            elements = []
            for e in page.elements:
                if isinstance(e, Confidence) and e.after:
                    source = before.get(e.after)
                    if source is None:
                        diags.error(page.file, e.line, "unknown-before",
                                    f"'after={e.after}' names no 'before' confidence check in this module",
                                    did_you_mean(e.after, before) if before else "add the 'before' check first")
                    else:
                        e = replace(e, statements=source.statements, scale=source.scale,
                                    prompt=e.prompt or source.prompt)
                elements.append(e)
            pages.append(replace(page, elements=tuple(elements)))
        out.append(replace(section, pages=tuple(pages)))
    return out
