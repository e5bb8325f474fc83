"""The Open edX block of the "agree" kind: a knowledge check block of its own kind."""
from __future__ import annotations

from xblock.fields import Scope, String

from coursepack import markdown_html
from xblocks.question import KnowledgeCheckBlock

EXAMPLE = """::: agree {#a-example right=agree}
Words can change whether someone asks for help.

Agree: Yes. The words we choose shape whether people ask.
Disagree: Not quite. Words shape whether people ask.
:::"""


class AgreeBlock(KnowledgeCheckBlock):
    """``cg_agree``: agree or disagree, graded."""

    kind = "agree"
    display_name = String(display_name="Display name", scope=Scope.settings, default="Agree or disagree")
    content = String(display_name="Markdown", scope=Scope.content, default=EXAMPLE, multiline_editor=True)

    def element_data(self) -> dict:
        a = self.element
        return {"id": a.id, "prompt": markdown_html.render(a.prompt), "sides": [s.id for s in a.sides],
                "attempts": a.attempts, "weight": a.weight}
