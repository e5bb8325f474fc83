"""Reading age of learner-facing text, from two US grade formulas (UK reading age ≈ grade + 5).

Flesch-Kincaid counts syllables per word and words per sentence. SMOG counts words of three or
more syllables; it is the one favoured for health materials and aims at full understanding.
Both ignore meaning and layout, so they are prompts for authors, never a gate on their own.
"""
from __future__ import annotations

import re
from functools import lru_cache

import textstat

from .elements import learner_texts
from .model import Module, Page
from .plaintext import plain_text

UK_OFFSET = 5
_ALLOWED = re.compile(r"<!--\s*cg:allow-terms\s*-->.*?<!--\s*cg:end-allow-terms\s*-->", re.S)


def sentences(markdown: str) -> str:
    """A text as the formulas read it: its plain text (``plaintext``), each line one sentence
    (a heading or list item without a full stop still ends one)."""
    # A table of words to avoid lists terms, not sentences: no formula can read it fairly.
    lines = plain_text(_ALLOWED.sub(" ", markdown)).splitlines()
    return " ".join(line if re.search(r"[.!?:]$", line) else line + "." for line in lines)


def page_text(page: Page) -> str:
    """Everything a learner is shown on a page, as plain sentences."""
    return "\n".join(sentences(t) for e in page.elements for t in learner_texts(e))


@lru_cache(maxsize=4096)
def reading_age(text: str) -> float:
    if len(text.split()) < 10:
        return 0.0
    return round(max(textstat.flesch_kincaid_grade(text), 0) + UK_OFFSET, 1)


@lru_cache(maxsize=4096)
def smog_reading_age(text: str) -> float:
    """SMOG needs a few sentences to mean anything (it was made for samples of 30): 0 below three."""
    if len(text.split()) < 10 or textstat.sentence_count(text) < 3:
        return 0.0
    return round(textstat.smog_index(text) + UK_OFFSET, 1)


def module_reading_age(module: Module) -> float:
    return reading_age("\n".join(page_text(p) for p in module.pages))
