"""What the house knows about one kind of element, as one record.

Every delivery and check asks the registry (``coursepack.elements``) rather than naming kinds, so
adding a kind is one module in this package (plus its widget template and script) instead of an
edit in every package. The record holds data and small functions; it imports no delivery.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator, Mapping, Optional

# Completion roles: how the one completion rule treats an element of the kind.
CONTENT = "content"      # read, never tracked (prose, callouts)
GRADED = "graded"        # a knowledge check: answered for completion, weighted in the score
TRACKED = "tracked"      # saved for the learner, never graded (scenario paths, confidence ratings)
PRIVATE = "private"      # the learner's own words: never counted, sent only with consent


def fingerprint(*parts: str) -> str:
    """A short, stable digest of what an element's saved state means."""
    return hashlib.sha1("|".join(parts).encode()).hexdigest()[:6]


@dataclass(frozen=True)
class Kind:
    """One element kind: its model, syntax, learner-visible texts and what each delivery needs.

    ``read(parser, block, ident, options, line, body)`` builds the element from its ``:::`` block
    (``parser`` is the ``BodyParser``, which records problems); ``texts(element)`` yields every
    Markdown text of the element a learner is shown, in reading order (glossary, readability and
    rendering all use it). ``key(element)`` is the element's entry in the player's module key
    (under ``key_group``); ``interaction(element, version)`` says how a graded answer is written
    as a SCORM interaction (``{"type": ..., "tokens": {answer id: token}}``). A graded kind
    also has ``judge(element, answer)`` → ``{"correct", "right", "feedback"}`` (the ids judged
    right and the Markdown feedback for the answer, for every delivery alike) and
    ``refuse(element, answer)`` → why an answer is not one for this element ("" when it is).
    ``label(element, n)`` names the n-th element of the kind in its module for people (a course
    outline), in English; the host translates it. ``strings`` are the texts its widget script
    shows, which each host translates and hands to the player with the others.
    """
    name: str
    model: type
    texts: Callable[[Any], Iterator[str]]
    blocks: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    read: Optional[Callable] = None
    id_prefix: str = ""
    role: str = CONTENT
    template: str = ""
    key_group: str = ""
    key: Optional[Callable[[Any], dict]] = None
    interaction: Optional[Callable[[Any, str], dict]] = None
    label: Optional[Callable[[Any, int], str]] = None
    strings: tuple[str, ...] = ()
    judge: Optional[Callable[[Any, list], dict]] = None
    refuse: Optional[Callable[[Any, Any], str]] = None

    @property
    def stateful(self) -> bool:
        """Whether elements of the kind carry an author's id and learner state."""
        return bool(self.id_prefix)
