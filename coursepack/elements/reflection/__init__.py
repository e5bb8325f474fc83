"""Reflection: a private free-text answer. Never graded, never counted: nobody is made to disclose.

Syntax: ``::: reflection {#r-id max=2000}``, the prompt, then ``:::``.
"""
from __future__ import annotations

from dataclasses import dataclass

from ... import markdown_html as md
from ..kind import PrivateKind, Stateful


@dataclass(frozen=True)
class Reflection(Stateful):
    kind = "reflection"
    prompt: str
    max_length: int = 2000


def read(p, block, ident, options, line, body):
    prompt = p.text(body)
    if not prompt:
        p.diags.error(line.file, line.no, "empty-block", "the reflection has no prompt")
    return Reflection(ident, prompt, p.int_option(options, "max", line, 50, 10000, 2000), line=line.no)


KIND = PrivateKind(name="reflection", model=Reflection, texts=lambda e: iter((e.prompt,)), read=read, id_prefix="r",
                   blocks={"reflection": ("max",)}, key_group="reflections", label=lambda r, n: "Reflection",
                   key=lambda r: {"max": r.max_length, "prompt": md.render(r.prompt)})
