"""YAML front matter and pack.yml: read with line numbers, checked against a small schema.

Each key has a checker that returns the cleaned value or raises ``ValueError`` with the author's
hint; unknown keys get a "did you mean". YAML syntax errors keep their line number.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Any, Callable

import yaml

from .attrs import ID_PATTERN
from .diagnostics import Diagnostics, did_you_mean
from .model import LEVELS

Checker = Callable[[Any], Any]


def text(value):
    if not isinstance(value, str) or not value.strip():
        raise ValueError("must be some text")
    return value.strip()


def optional_text(value):
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValueError("must be text")
    return value.strip()


def ident(value):
    if not isinstance(value, str) or not ID_PATTERN.match(value):
        raise ValueError("must be a short id: lower-case letters, digits and hyphens, at most 40")
    return value


def whole_number(low: int, high: int) -> Checker:
    def check(value):
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ValueError(f"must be a whole number from {low} to {high}")
        return value
    return check


def date(value):
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise ValueError("must be a date written YYYY-MM-DD")


def optional_date(value):
    return None if value is None else date(value)


def level(value):
    """One of the pack's own levels; the old NTTP-like names get a plain hint."""
    if isinstance(value, str) and value.startswith("trauma-") and value[7:] in LEVELS:
        raise ValueError(f"'{value}' looks like an NTTP level, which this pack does not award: "
                         f"write '{value[7:]}'")
    return one_of(LEVELS)(value)


def one_of(choices) -> Checker:
    def check(value):
        if value not in choices:
            raise ValueError(f"'{value}' is not allowed: {did_you_mean(str(value), choices)}")
        return value
    return check


def list_of(item: Checker, low: int = 0, high: int = 1000) -> Checker:
    def check(value):
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            raise ValueError("must be a list (one '- item' per line)")
        if not low <= len(value) <= high:
            raise ValueError(f"must have {low} to {high} items (it has {len(value)})")
        return tuple(item(v) for v in value)
    return check


def version(value):
    value = str(value)
    if not re.match(r"^\d+(\.\d+){0,2}$", value):
        raise ValueError("must look like 1.0.0")
    return value


def language(value):
    if not isinstance(value, str) or not re.match(r"^[a-z]{2,3}(-[A-Z]{2})?$", value):
        raise ValueError("must be a language tag such as en-GB")
    return value


def url(value):
    if value is None:
        return ""
    if not isinstance(value, str) or not re.match(r"^https?://\S+$", value):
        raise ValueError("must be a web address starting https://")
    return value


def glossary(value):
    if value is None:
        return ()
    if not isinstance(value, dict):
        raise ValueError("must be a list of 'term: definition' lines")
    return tuple((text(str(k)), text(v)) for k, v in value.items())


def mapping(schema: dict[str, tuple[Checker, bool]]) -> Checker:
    """A nested mapping checked against its own schema; problems raise ValueError."""
    def check(value):
        if not isinstance(value, dict):
            raise ValueError("must be a set of 'key: value' lines")
        out, problems = {}, []
        for key in value:
            if key not in schema:
                problems.append(f"unknown key '{key}': {did_you_mean(str(key), schema)}")
        for key, (checker, required) in schema.items():
            if key not in value:
                if required:
                    problems.append(f"'{key}' is missing")
                continue
            try:
                out[key] = checker(value[key])
            except ValueError as exc:
                problems.append(f"'{key}' {exc}")
        if problems:
            raise ValueError("; ".join(problems))
        return out
    return check


SOURCE = mapping({
    "key": (text, True), "title": (text, True), "publisher": (text, True),
    "year": (whole_number(1900, 2100), False), "url": (url, False),
})

MODULE_SCHEMA: dict[str, tuple[Checker, bool]] = {
    "id": (ident, True),
    "title": (text, True),
    "summary": (text, True),
    "duration": (whole_number(1, 600), True),
    "level": (level, True),
    "audience": (list_of(text, 1), True),
    "keywords": (list_of(text), False),
    "outcomes": (list_of(text, 1, 12), True),
    "content_note": (optional_text, False),
    "pass_mark": (whole_number(0, 100), True),
    "sources": (list_of(SOURCE), True),
    "reviewed_by": (text, True),
    "reviewed_on": (date, True),
    "review_due": (date, True),
    "version": (version, True),
    "language": (language, True),
    "glossary": (glossary, False),
}

SUPPORT_LINE = mapping({
    "name": (text, True), "contact": (lambda v: text(str(v)), True), "offers": (text, True),
    "hours": (optional_text, False), "url": (url, False), "textphone": (optional_text, False),
    "source": (optional_text, False),
    "checked_on": (optional_date, False), "check_before_publishing": (optional_text, False),
})
PATHWAY = mapping({
    "role": (text, True), "level": (level, True), "description": (text, True),
    "modules": (list_of(ident, 1), True),
})
COURSE = mapping({"org": (text, True), "number": (text, True), "run": (lambda v: text(str(v)), True)})

PACK_SCHEMA: dict[str, tuple[Checker, bool]] = {
    "title": (text, True),
    "publisher": (text, True),
    "language": (language, True),
    "course": (COURSE, True),
    "pass_mark": (whole_number(0, 100), True),
    "reading_age_target": (whole_number(6, 21), False),
    "support_lines": (list_of(SUPPORT_LINE, 1), True),
    "glossary": (glossary, False),
    "pathways": (list_of(PATHWAY), False),
    # The fewest learners a report figure may be built from (``commonground report``); 5 at least.
    "min_learners": (whole_number(5, 1000), False),
}


def split_front_matter(lines: list[str]) -> tuple[list[str], int] | None:
    """Return (front matter lines, index of the first body line) or None when absent."""
    if not lines or lines[0].strip() != "---":
        return None
    for index in range(1, len(lines)):
        if lines[index].strip() in ("---", "..."):
            return lines[1:index], index + 1
    return None


# libyaml's scanner and parser when PyYAML was built with it (the constructor, and so the values,
# are the same Python code either way); it reads front matter several times faster. libyaml
# accepts a few things the pure-Python loader rejects (tabs between tokens, some control
# characters, '?' inside a [flow, list] or {flow: map}), so text that may hold any of them goes
# to the pure-Python loader (``_pure_only``), and whatever libyaml rejects is read again by it
# for the message: the results are the same either way.
FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
PURE_ONLY = re.compile(r"[\t\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff\ufffe\uffff]")
FLOW = re.compile(r"[\[\]{}]")


def _pure_only(source: str) -> bool:
    """True when the text may read differently with libyaml: a character listed above, a '?' on
    a line with a flow bracket, or a flow collection left open at the end of a line."""
    if PURE_ONLY.search(source):
        return True
    depth = 0
    for line in source.split("\n"):
        brackets = FLOW.findall(line)
        if "?" in line and brackets:
            return True
        for b in brackets:
            depth = depth + 1 if b in "[{" else max(depth - 1, 0)
        if depth:
            return True
    return False


def _compose_and_construct(source: str, loader_class):
    """One pass over the text for both the node tree (key lines) and the data, as
    ``yaml.compose`` followed by ``yaml.safe_load`` would give."""
    loader = loader_class(source)
    try:
        node = loader.get_single_node()
        return node, (loader.construct_document(node) if node is not None else None)
    finally:
        loader.dispose()


def load_mapping(source: str, path: str, first_line: int, diags: Diagnostics):
    """Parse YAML text into (data, {key: line}); syntax errors become diagnostics."""
    try:
        if FAST_LOADER is yaml.SafeLoader or _pure_only(source):
            node, data = _compose_and_construct(source, yaml.SafeLoader)
        else:
            try:
                node, data = _compose_and_construct(source, FAST_LOADER)
            except yaml.YAMLError:
                # libyaml words problems differently: messages come from the pure-Python loader.
                node, data = _compose_and_construct(source, yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = first_line + (mark.line if mark else 0)
        problem = getattr(exc, "problem", None) or str(exc)
        diags.error(path, line, "yaml", f"the YAML cannot be read: {problem}",
                    "check indentation, and put text containing ':' in quotes")
        return None, {}
    if data is None:
        data = {}
    if not isinstance(data, dict):
        diags.error(path, first_line, "yaml", "expected 'key: value' lines")
        return None, {}
    lines = {}
    if isinstance(node, yaml.MappingNode):
        for key_node, _ in node.value:
            lines[key_node.value] = first_line + key_node.start_mark.line
    _merged_items(node, source.split("\n"), path, first_line, diags)
    return data, lines


def _merged_items(node, text: list[str], path: str, first_line: int, diags: Diagnostics) -> None:
    """A list item indented one space too far is not a new item: YAML folds it into the item
    above ('Name three things. - Ask the person...'), silently. Any plain list item whose
    continuation line starts with '- ' is that mistake."""
    if isinstance(node, yaml.MappingNode):
        for _, value in node.value:
            _merged_items(value, text, path, first_line, diags)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            if isinstance(item, yaml.ScalarNode) and not item.style:   # plain (libyaml says "")
                for n in range(item.start_mark.line + 1, item.end_mark.line + 1):
                    if n < len(text) and text[n].lstrip().startswith("- "):
                        diags.error(path, first_line + n, "merged-list-item",
                                    "this line starts with '- ' but joins the item above it, "
                                    f"which now reads '{item.value}'",
                                    "line its '-' up with the '-' of the item above")
                        break
            else:
                _merged_items(item, text, path, first_line, diags)


def check_schema(data: dict, lines: dict, schema, path: str, first_line: int,
                 diags: Diagnostics, what: str) -> dict:
    """Check every key at once; returns the cleaned values of the keys that passed."""
    out = {}
    for key in data:
        if key not in schema:
            diags.error(path, lines.get(key, first_line), "unknown-key",
                        f"unknown {what} key '{key}'", did_you_mean(str(key), schema))
    for key, (checker, required) in schema.items():
        if key not in data:
            if required:
                diags.error(path, first_line, "missing-key", f"{what} is missing '{key}'",
                            f"add a line '{key}: ...'")
            continue
        try:
            out[key] = checker(data[key])
        except ValueError as exc:
            diags.error(path, lines.get(key, first_line), "bad-value", f"'{key}' {exc}")
    return out
