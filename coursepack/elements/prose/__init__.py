"""Prose: the Markdown between blocks. It has no ``:::`` syntax of its own and keeps no state."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..kind import ContentKind


@dataclass(frozen=True)
class Prose:
    markdown: str
    line: int = 0
    kind: str = field(default="prose", init=False)


KIND = ContentKind(name="prose", model=Prose, texts=lambda e: iter((e.markdown,)))
