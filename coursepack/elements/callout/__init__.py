"""Callouts: a key point, a lived-experience voice, a content note, or a "take a pause" panel.

Syntax: ``::: key-point`` (or another style) with ``title="..."`` (``by="..."`` for a voice), the
Markdown inside, then ``:::``. A callout keeps no state, so it takes no ``#id``.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..kind import ContentKind, Element

CALLOUT_KINDS = ("key-point", "lived-experience", "content-note", "pause")


@dataclass(frozen=True)
class Callout(Element):
    kind = "callout"
    style: str          # one of CALLOUT_KINDS
    markdown: str
    by: str = ""        # attribution of a lived-experience voice, or a panel's title


def read(p, block, ident, options, line, body):
    text = p.text(body)
    if block == "lived-experience" and not options.get("by"):
        p.diags.error(line.file, line.no, "missing-attribution", "a lived-experience voice needs an attribution",
                      'add by="Sam, peer worker (an illustrative composite)"')
    if not text and block != "pause":
        p.diags.error(line.file, line.no, "empty-block", f"the '{block}' block is empty")
    return Callout(block, text, options.get("by", "") or options.get("title", ""), line=line.no)


KIND = ContentKind(name="callout", model=Callout, texts=lambda e: iter((e.markdown,)), read=read,
                   blocks={"key-point": ("title",), "lived-experience": ("by",), "content-note": ("title",),
                           "pause": ("title",)},
                   codes={"missing-attribution": "a lived-experience callout does not say who is speaking"})
