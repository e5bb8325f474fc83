"""Every kind of element a module can hold, one module each: the files of this folder are the list.

Each module defines its model (frozen dataclasses), its ``:::`` syntax and checks, the texts a
learner is shown, its completion role, its widget template and what SCORM records for it, in one
``KIND`` record (``kind.Kind``). Parsing, lint, readability, the glossary, completion, the
catalog, rendering, the OLX build, the XBlocks and the SCORM adapter iterate ``KINDS`` instead of
naming kinds, so a new kind is a new module here, its widget template and its widget script
(and, for Open edX, its block class).
"""
from __future__ import annotations

import importlib
import pkgutil
from typing import Iterator

from .. import markdown_html
from .kind import CONTENT, GRADED, PRIVATE, TRACKED, Kind, fingerprint


def _discover() -> tuple[Kind, ...]:
    """The ``KIND`` of every module in this package, in module name order."""
    found = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        if isinstance(getattr(module, "KIND", None), Kind):
            found.append(module.KIND)
    return tuple(found)


KINDS: tuple[Kind, ...] = _discover()

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
