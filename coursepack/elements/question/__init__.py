"""Knowledge check: single choice, multiple choice or true/false, graded.

Syntax::

    ::: question {#q-id type=single attempts=2 weight=1}
    The question.

    - [x] A right option {#a}
          Feedback on this option, indented under it.
    - [ ] A wrong option {#b}
          Why it is wrong.

    Explanation: shown with the verdict.
    :::
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ...diagnostics import did_you_mean
from ..kind import Answer, Check, GradedKind, Part, fingerprint

QUESTION_TYPES = ("single", "multiple", "truefalse")
OPTION = re.compile(r"^[-*]\s+\[([ xX])\]\s+(.*)$")
# SCORM 1.2 choice responses are single characters 0-9 / a-z (RTE 3.4.4).
SCORM12_TOKENS = "abcdefghijklmnopqrstuvwxyz0123456789"


@dataclass(frozen=True)
class Option(Part):
    correct: bool
    feedback: str = ""


@dataclass(frozen=True)
class Question(Check):
    kind = "question"
    parts_field = "options"
    type: str           # one of QUESTION_TYPES
    prompt: str
    options: tuple[Option, ...]

    @property
    def correct_ids(self) -> tuple[str, ...]:
        return tuple(o.id for o in self.options if o.correct)

    @property
    def fingerprint(self) -> str:
        """What an answer means (option ids and which are right), never the wording."""
        return fingerprint(self.type, *(f"{o.id}{'+' if o.correct else '-'}" for o in self.options))


def read(p, block, ident, options, line, body):
    qtype = options.get("type", "single")
    if qtype not in QUESTION_TYPES:
        p.diags.error(line.file, line.no, "bad-option", f"question type '{qtype}' is unknown",
                      did_you_mean(qtype, QUESTION_TYPES))
        qtype = "single"
    prompt, items, explanation = p.check_body(body, OPTION, "question", line, "the question")
    scope: dict = {}
    letters = iter("abcdefghijklmnopqrstuvwxyz")
    opts = []
    for item in items:
        text, oid = p.item_id(item, "option", next(letters, "o"), scope, item["match"].group(2))
        feedback = p.text(item["more"])
        if not feedback:
            p.diags.warn(item["line"].file, item["line"].no, "no-feedback",
                         "this option has no feedback", "indent a line under it saying why it is right or wrong")
        opts.append(Option(oid, text, item["match"].group(1) in "xX", feedback, line=item["line"].no))
    correct = [o for o in opts if o.correct]
    if len(opts) < 2:
        p.diags.error(line.file, line.no, "too-few-options", "a question needs at least two options",
                      "write options as '- [x] right answer {#id}' and '- [ ] wrong answer {#id}'")
    elif not correct:
        p.diags.error(line.file, line.no, "no-correct-option", "no option is marked right",
                      "mark the right option(s) with [x]")
    elif qtype in ("single", "truefalse") and len(correct) > 1:
        p.diags.error(line.file, line.no, "many-correct", f"a '{qtype}' question has {len(correct)} right options",
                      "use type=multiple, or mark only one option with [x]")
    if qtype == "truefalse" and sorted(o.text.lower() for o in opts) != ["false", "true"]:
        p.diags.error(line.file, line.no, "bad-truefalse", "a true/false question needs exactly the options True and False")
    attempts, weight = p.grading_options(options, line)
    return Question(ident, qtype, prompt, tuple(opts), explanation=explanation, attempts=attempts,
                    weight=weight, line=line.no)


def judge(q: Question, selected) -> dict:
    """Right when exactly the right options are chosen. Only the options the learner chose are
    marked right or wrong, so an unchosen right answer is not given away while attempts remain."""
    return {"correct": set(selected) == set(q.correct_ids),
            "right": [o for o in selected if q.option(o) and q.option(o).correct],
            "feedback": {o: q.option(o).feedback for o in selected if q.option(o)}}


def refuse(q: Question, selection) -> str:
    if not isinstance(selection, list) or not selection:
        return "'selected' must be a non-empty list of option ids"
    if len(selection) > len(q.options) or not all(isinstance(s, str) for s in selection):
        return "'selected' must list option ids of this question"
    if len(set(selection)) != len(selection):
        return "an option is chosen twice"
    unknown = [s for s in selection if q.option(s) is None]
    if unknown:
        return f"unknown option '{unknown[0][:40]}'"
    if q.type in ("single", "truefalse") and len(selection) != 1:
        return "choose exactly one option"
    return ""


def interaction(q: Question, version: str) -> dict:
    """SCORM 1.2 writes an option as its position in the order the learner sees the options (one
    character); 2004 as its id (the packager makes ids short identifiers); Moodle takes at most
    36 choices in either. True/false is its own interaction type."""
    if len(q.options) > len(SCORM12_TOKENS):
        raise ValueError(f"question {q.id} has more than 36 options, which SCORM choice responses cannot express")
    if q.type == "truefalse":
        truth = {o.id: o.text.strip().lower() == "true" for o in q.options}
        words = ("t", "f") if version == "1.2" else ("true", "false")
        return {"type": "true-false", "tokens": {o: words[0] if t else words[1] for o, t in truth.items()}}
    if version == "1.2":
        return {"type": "choice", "tokens": {o.id: SCORM12_TOKENS[n] for n, o in enumerate(q.options)}}
    return {"type": "choice", "tokens": {o.id: o.id for o in q.options}}


def answers(q: Question):
    return (Answer(o.id, o.text, "yes" if o.correct else "no") for o in q.options)


KIND = GradedKind(
    name="question", model=Question, texts=Question.texts, read=read, id_prefix="q",
    blocks={"question": ("type", "attempts", "weight")}, key_group="questions", key=lambda q: q.key(type=q.type),
    label=lambda q, n: f"Knowledge check {n}", interaction=interaction, judge=judge, refuse=refuse,
    answers=answers, type_of=lambda q: q.type,
    codes={"too-few-options": "a knowledge check has fewer than two options",
           "no-correct-option": "a knowledge check has no right answer",
           "many-correct": "a single-answer check has more than one right answer",
           "bad-truefalse": "a true/false check's options are not True and False",
           "no-feedback": "an option has no feedback saying why"})
