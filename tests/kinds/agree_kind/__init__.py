"""A kind from outside the package, for tests/test_kinds.py: "agree or disagree", graded.

Syntax::

    ::: agree {#a-words right=agree}
    Words can change whether someone asks for help.

    Agree: Yes. The words we choose shape whether people ask.
    Disagree: Not quite. Words shape whether people ask.
    :::

It is registered the way any other distribution would register a kind: a ``commonground.kinds``
entry point naming ``KIND`` (and, for Open edX, an ``xblock.v1`` entry point naming
``block:AgreeBlock``); nothing in the product names it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from coursepack.elements import Answer, Check, GradedKind, Part, fingerprint

SIDES = (("agree", "Agree"), ("disagree", "Disagree"))
FEEDBACK = re.compile(r"^(agree|disagree):\s*(.*)$", re.IGNORECASE)


@dataclass(frozen=True)
class Side(Part):
    feedback: str = ""


@dataclass(frozen=True)
class Agree(Check):
    kind = "agree"
    prompt: str
    sides: tuple[Side, ...]
    right: str

    @property
    def parts(self):
        return self.sides

    @property
    def correct_ids(self):
        return (self.right,)

    @property
    def fingerprint(self) -> str:
        return fingerprint("agree", self.right)


def read(p, block, ident, options, line, body):
    feedback, prompt = {}, []
    for l in body:
        m = FEEDBACK.match(l.text.strip())
        if m:
            feedback[m.group(1).lower()] = m.group(2)
        else:
            prompt.append(l)
    right = options.get("right", "")
    if right not in dict(SIDES):
        p.diags.error(line.file, line.no, "agree-right", "an 'agree' check says neither right=agree nor right=disagree",
                      "add right=agree or right=disagree after its #id")
        right = "agree"
    attempts, weight = p.grading_options(options, line)
    sides = tuple(Side(i, text, feedback.get(i, "")) for i, text in SIDES)
    return Agree(ident, p.text(prompt), sides, right, attempts=attempts, weight=weight, line=line.no)


def judge(a: Agree, answer) -> dict:
    return {"correct": list(answer) == [a.right], "right": [x for x in answer if x == a.right],
            "feedback": {x: a.option(x).feedback for x in answer if a.option(x)}}


def refuse(a: Agree, answer) -> str:
    return "" if isinstance(answer, list) and len(answer) == 1 and answer[0] in dict(SIDES) else "choose agree or disagree"


KIND = GradedKind(
    name="agree", model=Agree, texts=Agree.texts, read=read, id_prefix="a",
    blocks={"agree": ("right", "attempts", "weight")}, key_group="questions", key=lambda a: a.key(type="agree"),
    label=lambda a, n: f"Agree or disagree {n}", judge=judge, refuse=refuse,
    interaction=lambda a, version: {"type": "choice", "tokens": {"agree": "a", "disagree": "b"} if version == "1.2"
                                    else {"agree": "agree", "disagree": "disagree"}},
    answers=lambda a: (Answer(i, text, "yes" if i == a.right else "no") for i, text in SIDES),
    type_of=lambda a: "agree", codes={"agree-right": "an 'agree' check does not say which side is right"})

# The same record under a second name, for the test that two entry points of one kind name are
# refused (tests/test_kinds.py): a distribution cannot replace another's kind by accident.
AGAIN = KIND
