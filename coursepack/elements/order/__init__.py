"""Put in order: the learner puts 3 to 7 items in order. Graded, like a knowledge check.

Syntax (the authored order is the right one; the learner first sees the items shuffled)::

    ::: order {#o-id attempts=2 weight=1}
    Put these steps in the order you would take them.

    1. The first step {#first}
       Why it comes first (shown if the learner puts it somewhere else).
    2. The second step {#second}
       Why it comes next.
    3. The third step {#third}

    Explanation: shown with the verdict.
    :::

The learner moves items with "Move up" and "Move down" buttons (no dragging: keyboard, touch and
switch users alike), each move announced. An answer is the learner's order of all the item ids;
it is right when every item is in its place. SCORM records a ``sequencing`` interaction.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from ..kind import Answer, Check, GradedKind, Part, fingerprint

ITEM = re.compile(r"^(\d+)[.)]\s+(.*)$")
MIN_ITEMS, MAX_ITEMS = 3, 7
# SCORM 1.2 sequencing responses are single characters, like choice responses (RTE 3.4.4).
SCORM12_TOKENS = "abcdefg"


@dataclass(frozen=True)
class Item(Part):
    feedback: str = ""      # shown when the learner puts it somewhere else


@dataclass(frozen=True)
class Order(Check):
    """Items whose authored order is the right answer (learners first see them ``shown``)."""
    kind = "order"
    parts_field = "items"
    prompt: str
    items: tuple[Item, ...]

    @property
    def correct_ids(self) -> tuple[str, ...]:
        return tuple(i.id for i in self.items)

    @property
    def fingerprint(self) -> str:
        """What an answer means (the items and their right order), never the wording."""
        return fingerprint("order", *self.correct_ids)

    @property
    def shown(self) -> tuple[Item, ...]:
        """The order a learner first sees: shuffled the same way on every build, never right."""
        mixed = sorted(self.items, key=lambda i: hashlib.sha1(f"{self.id}/{i.id}".encode()).hexdigest())
        if tuple(mixed) == self.items:
            mixed = mixed[1:] + mixed[:1]
        return tuple(mixed)


def read(p, block, ident, options, line, body):
    prompt, items, explanation = p.check_body(body, ITEM, "order", line, "what to put in order")
    scope: dict = {}
    found = []
    for n, item in enumerate(items, 1):
        if int(item["match"].group(1)) != n:
            p.diags.error(item["line"].file, item["line"].no, "order-numbers",
                          f"item {n} is numbered {item['match'].group(1)}",
                          "number the items 1, 2, 3 ... in the right order: that order is the answer")
        text, iid = p.item_id(item, "item", None, scope, item["match"].group(2))
        found.append(Item(iid, text, p.text(item["more"]), line=item["line"].no))
    if not MIN_ITEMS <= len(found) <= MAX_ITEMS:
        p.diags.error(line.file, line.no, "order-items", f"the question has {len(found)} item(s)",
                      f"put {MIN_ITEMS} to {MAX_ITEMS} items in order, one per line: '1. First step {{#id}}'")
    attempts, weight = p.grading_options(options, line)
    return Order(ident, prompt, tuple(found), explanation=explanation, attempts=attempts, weight=weight, line=line.no)


def judge(o: Order, answer) -> dict:
    """Right when every item is in its place; the feedback is that of the items out of place."""
    answer = list(answer)
    placed = [a for n, a in enumerate(answer) if n < len(o.items) and o.items[n].id == a]
    return {"correct": tuple(answer) == o.correct_ids, "right": placed,
            "feedback": {a: o.option(a).feedback for a in answer if a not in placed and o.option(a)}}


def refuse(o: Order, answer) -> str:
    if (not isinstance(answer, list) or not all(isinstance(a, str) for a in answer)
            or sorted(answer) != sorted(o.correct_ids)):
        return "'selected' must list every item of this question once, in the learner's order"
    return ""


def interaction(o: Order, version: str) -> dict:
    """A ``sequencing`` interaction. 1.2 writes an item as one character (its place in the right
    order); 2004 as the item's id (the packager makes ids short identifiers)."""
    if version == "1.2":
        return {"type": "sequencing", "tokens": {i.id: SCORM12_TOKENS[n] for n, i in enumerate(o.items)}}
    return {"type": "sequencing", "tokens": {i.id: i.id for i in o.items}}


def answers(o: Order):
    """Each item, "correct" being its place in the right order."""
    return (Answer(i.id, i.text, f"place {n}") for n, i in enumerate(o.items, 1))


KIND = GradedKind(
    name="order", model=Order, texts=Order.texts, read=read, id_prefix="o", blocks={"order": ("attempts", "weight")},
    key_group="questions", key=lambda o: o.key(type="order", ordered=True), interaction=interaction, judge=judge, refuse=refuse, answers=answers,
    type_of=lambda o: "order", label=lambda o, n: f"Put in order {n}",
    strings=("In the right place.", "Not in the right place.", "{item}: now {n} of {total}."),
    codes={"order-items": "a 'put in order' question has fewer than 3 or more than 7 items",
           "order-numbers": "a 'put in order' question's items are not numbered 1, 2, 3 and so on, "
                            "in the right order"})
