"""Every kind of element a module can hold, one module each: read this list to see them all.

Each module defines its model (frozen dataclasses), its ``:::`` syntax and checks, the texts a
learner is shown, its completion role, its widget template and what SCORM records for it, in one
``KIND`` record (``kind.Kind``). Parsing, lint, readability, the glossary, completion, the
catalog, rendering, the OLX build, the XBlocks and the SCORM adapter iterate ``KINDS`` instead of
naming kinds, so a new kind is a new module here, its template and its widget script.
"""
from __future__ import annotations

from typing import Iterator

from .. import markdown_html
from . import callout, confidence, prose, question, reflection, scenario
from .kind import CONTENT, GRADED, PRIVATE, TRACKED, Kind, fingerprint

KINDS: tuple[Kind, ...] = (prose.KIND, callout.KIND, question.KIND, scenario.KIND, confidence.KIND,
                           reflection.KIND)

BY_NAME: dict[str, Kind] = {k.name: k for k in KINDS}
# ':::' block name → the kind that reads it
BLOCKS: dict[str, Kind] = {block: k for k in KINDS for block in k.blocks}
MODELS: tuple[type, ...] = tuple(k.model for k in KINDS)


def kind_of(element) -> Kind:
    return BY_NAME[element.kind]


def stateful() -> tuple[Kind, ...]:
    """The kinds whose elements keep learner state, each of which is one Open edX block."""
    return tuple(k for k in KINDS if k.stateful)


def with_role(role: str) -> tuple[Kind, ...]:
    return tuple(k for k in KINDS if k.role == role)


def learner_texts(element) -> Iterator[str]:
    """Every Markdown text of ``element`` that a learner is shown (non-empty, reading order).

    The one answer to "which texts are shown to learners": the glossary of a page lists the terms
    these texts mark, readability measures them, and a term may be used in any of them.
    """
    return (t for t in kind_of(element).texts(element) if t)


def terms_marked(items) -> list[str]:
    """The glossary terms the learner-visible texts of these elements mark, in order of first
    use, lower-cased: what a page (or an Open edX block) lists under "Words used on this page"."""
    used: list[str] = []
    for e in items:
        for text in learner_texts(e):
            used += [t for t in markdown_html.terms_used(text) if t not in used]
    return used


__all__ = ["KINDS", "BY_NAME", "BLOCKS", "MODELS", "Kind", "kind_of", "stateful", "with_role",
           "learner_texts", "terms_marked", "fingerprint", "CONTENT", "GRADED", "TRACKED", "PRIVATE"]
