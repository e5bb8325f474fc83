"""A block's Markdown sources, read through ``coursepack``: the one parser, shared by every block
with the same texts (a pure function of them, cached)."""
from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass

from coursepack import fragment as cpf


def digest(*parts: str) -> str:
    return hashlib.sha256("\x00".join(parts).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Parsed:
    """A block's sources, read: the elements, the glossary, support lines and every problem."""
    fragment: cpf.Fragment
    glossary: dict
    support_lines: tuple
    problems: tuple  # (field name, Diagnostic)

    @property
    def ok(self) -> bool:
        return not self.problems


@functools.lru_cache(maxsize=4096)
def parse_sources(kind: str, content: str, before: str, glossary: str, support_lines: str) -> Parsed:
    """A block's sources, read: a pure function of the texts, so every block with the same
    Markdown (and every request for it) shares one parse."""
    fragment = cpf.parse_fragment(content, kind=kind, file="content", before=before)
    problems = [("before_source" if d.file == "before" else "content", d) for d in fragment.errors]
    terms, diags = cpf.parse_glossary(glossary, file="glossary")
    problems += [("glossary", d) for d in diags]
    lines, diags = cpf.parse_support_lines(support_lines, file="support_lines")
    problems += [("support_lines", d) for d in diags]
    return Parsed(fragment, terms, lines, tuple(problems))
