"""Confidence check: the learner rates statements before the module and again after it.

Syntax: ``::: confidence {#cf-before scale=5}``, a prompt, statements as ``- I can ... {#id}``,
then ``:::``; the "after" check is ``::: confidence {#cf-after after=cf-before}`` and repeats the
statements of the check it names (``link``, wherever it is read: a whole module, or an Open edX
block given the "before" check's Markdown). Tracked, never graded.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ...diagnostics import did_you_mean
from ..kind import Part, Stateful, TrackedKind, fingerprint

ITEM = re.compile(r"^[-*]\s+(.*)$")


@dataclass(frozen=True)
class Statement(Part):
    """An "I can ..." statement a learner rates."""


@dataclass(frozen=True)
class Confidence(Stateful):
    kind = "confidence"
    prompt: str
    statements: tuple[Statement, ...]
    after: str = ""
    scale: int = 5

    @property
    def fingerprint(self) -> str:
        return fingerprint(str(self.scale), *(s.id for s in self.statements))


def read(p, block, ident, options, line, body):
    lead, items, _ = p.items(body, ITEM, "confidence")
    scope: dict = {}
    statements = []
    for item in items:
        text, sid = p.item_id(item, "statement", None, scope, item["match"].group(1))
        statements.append(Statement(sid, text, line=item["line"].no))
    after = options.get("after", "")
    if after and statements:
        p.diags.error(line.file, line.no, "after-with-statements",
                      "an 'after' confidence check repeats the statements of its 'before' check",
                      "remove the statements here")
    if not after and not statements:
        p.diags.error(line.file, line.no, "no-statements", "the confidence check has no statements",
                      "list them as '- I can ... {#id}'")
    return Confidence(ident, p.text(lead), tuple(statements), after,
                      p.int_option(options, "scale", line, 3, 10, 5), line=line.no)


def texts(c: Confidence):
    yield c.prompt
    for s in c.statements:
        yield s.text


def link(c: Confidence, found, report) -> Confidence:
    """An "after" check, given the statements, scale and (unless it has its own) prompt of the
    "before" check it names."""
    before = found.get(c.after)
    if not isinstance(before, Confidence) or before.after:
        checks = [i for i, e in found.items() if isinstance(e, Confidence) and not e.after]
        report("unknown-before", f"'after={c.after}' names no 'before' confidence check",
               did_you_mean(c.after, checks) if checks else f"add the '::: confidence {{#{c.after}}}' check it repeats")
        return c
    return replace(c, statements=before.statements, scale=before.scale, prompt=c.prompt or before.prompt)


KIND = TrackedKind(
    name="confidence", model=Confidence, texts=texts, read=read, id_prefix="cf",
    blocks={"confidence": ("after", "scale")}, key_group="confidence",
    label=lambda c, n: "Confidence check (after)" if c.after else "Confidence check (before)",
    key=lambda c: {"fp": c.fingerprint, "after": c.after, "statements": [s.id for s in c.statements]},
    needs=lambda c: c.after, link=link,
    codes={"no-statements": "a confidence check has no statements",
           "unknown-before": "an 'after' confidence check names no 'before' check",
           "after-with-statements": "an 'after' confidence check repeats its statements"})
