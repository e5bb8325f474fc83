"""What a learner may share with other learners: the identifier check and the no-blame prompts.

Learning reviews and joint feedback are read by other staff, so before anything is sent the text
is checked for likely identifiers (CHI or NHS numbers, dates, phone numbers, email addresses,
postcodes, a title followed by a name). A match refuses the text, saying which field, which line
and why; the text itself is never changed or dropped. Blame-laden phrasing gets a gentle prompt
with an alternative and is never refused. The rules are data (``rules.yml``): the Open edX
handlers use this module, the browser gets the same rules through ``browser_rules()``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable

import yaml

RULES_FILE = Path(__file__).with_name("rules.yml")


@dataclass(frozen=True)
class Rule:
    id: str
    pattern: re.Pattern
    message: str          # "why" for identifiers, "say" (the alternative) for no-blame rules


@dataclass(frozen=True)
class Finding:
    """One problem in one field: ``line`` counts from 1 within the field's text."""
    field: str
    line: int
    rule: str
    message: str
    phrase: str = ""      # the blame-laden words (never set for identifiers: no need to repeat one)

    def as_dict(self) -> dict:
        return {"field": self.field, "line": self.line, "rule": self.rule, "message": self.message,
                **({"phrase": self.phrase} if self.phrase else {})}


@lru_cache(maxsize=1)
def _data() -> dict:
    return yaml.safe_load(RULES_FILE.read_text(encoding="utf-8"))


def _compile(spec: dict, whole_words: bool = False) -> re.Pattern:
    source = rf"\b(?:{spec['match']})\b" if whole_words else spec["match"]
    flags = re.ASCII | (re.I if spec.get("ignore_case") or whole_words else 0)
    return re.compile(source, flags)


@lru_cache(maxsize=1)
def identifier_rules() -> tuple[Rule, ...]:
    return tuple(Rule(s["id"], _compile(s), s["why"]) for s in _data()["identifiers"])


@lru_cache(maxsize=1)
def no_blame_rules() -> tuple[Rule, ...]:
    return tuple(Rule(f"no-blame-{n}", _compile(s, whole_words=True), s["say"])
                 for n, s in enumerate(_data()["no_blame"], 1))


def browser_rules() -> dict:
    """The same rules for the share widget (widgets.js): sources and flags, as JSON-ready data."""
    data = _data()
    return {"identifiers": [{"id": s["id"], "why": s["why"], "match": s["match"],
                             "flags": "gi" if s.get("ignore_case") else "g"} for s in data["identifiers"]],
            "noBlame": [{"match": rf"\b(?:{s['match']})\b", "say": s["say"], "flags": "gi"}
                        for s in data["no_blame"]]}


def _lines(text: str) -> Iterable[tuple[int, str]]:
    return enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), 1)


def identifiers(fields: dict[str, str]) -> list[Finding]:
    """Likely identifiers in these texts (field name → text): one finding per rule per line."""
    found = []
    for name, text in fields.items():
        for no, line in _lines(text or ""):
            for rule in identifier_rules():
                if rule.pattern.search(line):
                    found.append(Finding(name, no, rule.id, rule.message))
                    line = rule.pattern.sub(" ", line)   # a stretch is named by the first rule only
    return found


def blame_prompts(fields: dict[str, str]) -> list[Finding]:
    """Blame-laden phrases in these texts, each with a no-blame alternative (never a refusal)."""
    found = []
    for name, text in fields.items():
        for no, line in _lines(text or ""):
            for rule in no_blame_rules():
                for match in rule.pattern.finditer(line):
                    found.append(Finding(name, no, rule.id, rule.message, match.group(0)))
    return found
