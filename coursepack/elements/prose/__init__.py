"""Prose: the Markdown between blocks. It has no ``:::`` syntax of its own and keeps no state."""
from __future__ import annotations

from dataclasses import dataclass

from ..kind import ContentKind, Element


@dataclass(frozen=True)
class Prose(Element):
    kind = "prose"
    markdown: str


KIND = ContentKind(name="prose", model=Prose, texts=lambda e: iter((e.markdown,)))
