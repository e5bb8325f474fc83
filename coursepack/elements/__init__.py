"""Every kind of element a module can hold: the ``commonground.kinds`` entry points.

A kind is one folder and one entry point (``name = package.module:KIND``, see ``kind.py`` for
what the folder holds and what each role must provide), whether it ships here or in another
distribution, as builders plug in through ``commonground.builders``. Parsing, lint,
readability, the glossary, completion, the catalog, rendering, the player's files, the OLX build,
the XBlocks and the SCORM packages iterate ``KINDS`` instead of naming kinds.

Kinds are read once, when this package is imported, in name order. Two kinds of one name, or
two kinds reading one ``:::`` block, are refused with both entry points named: one never
silently replaces the other.
"""
from __future__ import annotations

from typing import Iterator

from .. import markdown_html
from ..diagnostics import KindError
from ..plugins import entry_points
from .kind import (CONTENT, GRADED, PRIVATE, TRACKED, Answer, Check, ContentKind, Element, GradedKind, Kind, Part,
                   PrivateKind, Stateful, StatefulKind, TrackedKind, fingerprint)

GROUP = "commonground.kinds"


def _discover() -> tuple[Kind, ...]:
    """The ``KIND`` of every entry point of ``GROUP``, in name order; duplicates refused."""
    found: dict[str, tuple[str, Kind]] = {}
    readers: dict[str, str] = {}
    for ep in sorted(entry_points(group=GROUP), key=lambda ep: (ep.name, ep.value)):
        if ep.name in found and found[ep.name][0] == ep.value:
            continue            # the same distribution seen twice on the path
        kind = ep.load()
        if not isinstance(kind, Kind):
            raise KindError(f"the '{GROUP}' entry point {ep.name} = {ep.value} is not a Kind record")
        if kind.name != ep.name:
            raise KindError(f"the '{GROUP}' entry point {ep.name} = {ep.value} names the kind '{kind.name}': "
                            "give the entry point the kind's name")
        if ep.name in found:
            raise KindError(f"two element kinds are called '{ep.name}': {found[ep.name][0]} and {ep.value} "
                            f"(rename one of the '{GROUP}' entry points)")
        for block in kind.blocks:
            if block in readers:
                raise KindError(f"two element kinds read '::: {block}': {readers[block]} and {ep.value}")
            readers[block] = ep.value
        found[ep.name] = (ep.value, kind)
    return tuple(kind for _, kind in found.values())


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


def shown(items) -> tuple:
    """The elements of ``items`` that learners are shown (``Kind.learners``), in order."""
    return tuple(e for e in items if kind_of(e).learners)


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


def facts_of(items, module, pack) -> dict:
    """What the widgets of ``items`` need of their module and pack (``Kind.facts``), by kind name,
    for each kind among them that has facts: the same for every learner."""
    used = {e.kind for e in items}
    return {k.name: k.facts(module, pack) for k in KINDS if k.facts and k.name in used}


def link_all(items, found: dict, report) -> list:
    """``items`` with each element that needs another (``Kind.needs``) completed from ``found``
    (id → element); ``report(element, code, message, hint)`` records what cannot be."""
    out = []
    for e in items:
        kind = kind_of(e)
        if kind.needs is not None and kind.needs(e):
            e = kind.link(e, found, lambda code, message, hint="", e=e: report(e, code, message, hint))
        out.append(e)
    return out


__all__ = ["KINDS", "BY_NAME", "BLOCKS", "MODELS", "GROUP", "Kind", "ContentKind", "StatefulKind", "GradedKind",
           "TrackedKind", "PrivateKind", "KindError", "Answer", "Element", "Stateful", "Check", "Part", "kind_of", "stateful", "with_role",
           "learner_texts", "terms_marked", "link_all", "facts_of", "shown", "fingerprint", "CONTENT", "GRADED", "TRACKED", "PRIVATE"]
