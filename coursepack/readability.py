"""Reading age of learner-facing text, from the Flesch-Kincaid grade (UK reading age ≈ grade + 5).

The formula ignores meaning and layout, so it is a prompt for authors, never a gate on its own.
"""
from __future__ import annotations

import re
from functools import lru_cache

import textstat

from .elements import learner_texts
from .model import Module, Page

UK_OFFSET = 5
_MARKUP = re.compile(r"(\[\[([^\]|]+)\|?([^\]]*)\]\]|\{[^}]*\}|\[(S\d+[a-z]?)\]|[*_`>#|\[]|!\[[^\]]*\]\([^)]*\)|\]\([^)]*\))")


def plain_text(markdown: str) -> str:
    """Strip Markdown markup so the formula counts words, not syntax."""
    text = _MARKUP.sub(lambda m: m.group(2) if m.group(1).startswith("[[") else " ", markdown)
    text = re.sub(r"<!--.*?-->", " ", text, flags=re.S)
    lines = []
    for line in text.splitlines():
        line = re.sub(r"^\s*([-*+]|\d+\.)\s+", "", line).strip()
        if line and not re.fullmatch(r"[-:\s]+", line):
            lines.append(line if re.search(r"[.!?:]$", line) else line + ".")
    return " ".join(lines)


def page_text(page: Page) -> str:
    """Everything a learner is shown on a page, as plain sentences."""
    return "\n".join(plain_text(t) for e in page.elements for t in learner_texts(e))


@lru_cache(maxsize=4096)
def reading_age(text: str) -> float:
    if len(text.split()) < 10:
        return 0.0
    return round(max(textstat.flesch_kincaid_grade(text), 0) + UK_OFFSET, 1)


def module_reading_age(module: Module) -> float:
    return reading_age("\n".join(page_text(p) for p in module.pages))
