"""Confidence check: the learner rates statements before the module and again after it.

Syntax: ``::: confidence {#cf-before scale=5}``, a prompt, statements as ``- I can ... {#id}``,
then ``:::``; the "after" check is ``::: confidence {#cf-after after=cf-before}`` and repeats the
statements of the check it names (``link``, wherever it is read: a whole module, or an Open edX
block given the "before" check's Markdown). Tracked, never graded.

In a SCORM package each rating a learner saves also goes to the LMS, for reports, as a
``likert`` interaction (the same in SCORM 1.2 and 2004), unless the learner ticked "Keep my
ratings on this device": then the check's ratings stay out of the LMS altogether (no
interaction, and not in ``cmi.suspend_data`` either). The check says who can see them. Each
statement's rating is reported under the id

    <before check>.<statement>.<phase>

where ``<before check>`` is the id of the "before" check (for an "after" check, the one its
``after=`` names), ``<statement>`` the statement's id, each with ``-`` written ``_`` (as every
interaction id is in the SCORM packages), and ``<phase>`` is ``before`` or ``after``.
So ``cf-before`` / ``cf-after after=cf-before`` with the statement ``{#explain}`` report
``cf_before.explain.before`` and ``cf_before.explain.after``: a report pairs a learner's two
records by the first two parts, in one module (one activity, or one SCO of a whole-pack
activity). Our ids never hold a ``.``, so no knowledge check's interaction id has one. The
response is the rating as one character, ``1`` to ``9`` and ``a`` for 10 (SCORM 1.2 allows one
character for a likert response), the result ``neutral``, the weighting 0 and no correct
response; SCORM 2004 adds the statement as the description. A learner who saves a check again
sends its statements again: the last record of an id is the learner's rating. One "after" check
per "before" check, so that the pair is unambiguous.
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
    # ``found`` may hold the "before" check only (an Open edX block given its Markdown)
    first = next((e for e in found.values() if isinstance(e, Confidence) and e.after == c.after), c)
    if first.id != c.id:
        report("second-after", f"'{first.id}' is already the 'after' check of '{c.after}'",
               "keep one 'after' check per 'before' check: reports pair their ratings")
    return replace(c, statements=before.statements, scale=before.scale, prompt=c.prompt or before.prompt)


def rating_ids(c: Confidence, token=lambda ident: ident) -> dict[str, str]:
    """Statement id → the id its rating is reported under (see the module docstring), each id
    written by ``token`` (a delivery's form of an id)."""
    before, phase = (c.after, "after") if c.after else (c.id, "before")
    return {s.id: f"{token(before)}.{token(s.id)}.{phase}" for s in c.statements}


KIND = TrackedKind(
    name="confidence", model=Confidence, texts=texts, read=read, id_prefix="cf",
    blocks={"confidence": ("after", "scale")}, key_group="confidence",
    label=lambda c, n: "Confidence check (after)" if c.after else "Confidence check (before)",
    key=lambda c: {"fp": c.fingerprint, "after": c.after, "statements": [s.id for s in c.statements]},
    needs=lambda c: c.after, link=link,
    codes={"no-statements": "a confidence check has no statements",
           "unknown-before": "an 'after' confidence check names no 'before' check",
           "after-with-statements": "an 'after' confidence check repeats its statements",
           "second-after": "two 'after' confidence checks name one 'before' check"},
    strings=("Your ratings go to your learning system with your name. Its staff, such as your trainer, "
             "can see them. Reports made from them only show groups of 5 or more people.",
             "Keep my ratings on this device (they are not sent)",
             "Your ratings are saved on this device only."))
