"""Facilitator notes: what the people who lead a session should know, which learners never see.

Syntax: ``::: facilitator``, the Markdown inside, then ``:::``, anywhere in a page. The facilitator
kit puts the note in the speaker notes of the slide before it; no e-learning delivery (SCORM,
Open edX, the preview, the site) shows it (``learners=False``), so adding one changes none of them.
A note keeps no state, so it takes no ``#id``.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..kind import ContentKind, Element


@dataclass(frozen=True)
class FacilitatorNote(Element):
    kind = "facilitator"
    markdown: str


def read(p, block, ident, options, line, body):
    text = p.text(body)
    if not text:
        p.diags.error(line.file, line.no, "empty-block", "the 'facilitator' block is empty",
                      "write what the facilitator should know or do here, or remove the block")
    return FacilitatorNote(text, line=line.no)


KIND = ContentKind(name="facilitator", model=FacilitatorNote, texts=lambda e: (), read=read,
                   blocks={"facilitator": ()}, learners=False)
