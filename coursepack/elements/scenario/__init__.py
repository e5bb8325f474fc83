"""Branching scenario: steps (``#### Step title {#id}``) with choices that link to other steps.

Syntax::

    ::: scenario {#s-id title="Meeting Sam"}
    #### The first step {#start}
    What happens.

    - [What you do](#next-step) {#c-do}
          Feedback on that choice.

    #### An ending {#next-step .ending}
    How it ends.
    :::

Every step is reachable, every step that is not an ending has choices, and at least one step is
an ending. Tracked (the path is kept so a learner comes back where they were), never graded.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from ...attrs import slug, split_attrs
from ...diagnostics import did_you_mean
from ..kind import Part, Stateful, TrackedKind, fingerprint

STEP_HEADING = re.compile(r"^####\s+(.*?)\s*$")
CHOICE = re.compile(r"^[-*]\s+\[(.+?)\]\(#([^)\s]*)\)\s*(\{.*\})?\s*$")


@dataclass(frozen=True)
class Choice(Part):
    target: str         # the step it leads to
    feedback: str = ""


@dataclass(frozen=True)
class Step(Part):
    title: str
    choices: tuple[Choice, ...] = ()    # none at an ending
    ending: bool = False


@dataclass(frozen=True)
class Scenario(Stateful):
    kind = "scenario"
    steps: tuple[Step, ...]
    title: str = ""     # optional: 'title="..."' on the opening line

    @property
    def start(self) -> Step:
        return self.steps[0]

    def step(self, step_id: str) -> Optional[Step]:
        return next((s for s in self.steps if s.id == step_id), None)

    @property
    def fingerprint(self) -> str:
        return fingerprint(*(f"{s.id}:{','.join(c.id + '>' + c.target for c in s.choices)}"
                             for s in self.steps))


def read(p, block, ident, options, line, body):
    steps_raw, current = [], None
    for l in body:
        match = STEP_HEADING.match(l.text)
        if match:
            current = {"line": l, "title": match.group(1), "body": []}
            steps_raw.append(current)
        elif current is None:
            if l.text.strip():
                p.diags.error(l.file, l.no, "scenario-text-outside-step", "text before the first step",
                              "start the scenario with '#### Step title {#start}'")
        else:
            current["body"].append(l)
    if not steps_raw:
        p.diags.error(line.file, line.no, "no-steps", "the scenario has no steps",
                      "add steps as '#### Step title {#id}'")
        return Scenario(ident, (), options.get("title", ""), line=line.no)
    step_scope: dict = {}
    choice_scope: dict = {}
    steps = []
    for raw in steps_raw:
        title, attrs = split_attrs(raw["title"])
        sid = p.check_id(attrs, raw["line"], "scenario step", slug(title, 16), step_scope)
        ending = bool(attrs and "ending" in attrs.classes)
        lead, items, _ = p.items(raw["body"], CHOICE, "choice")
        choices = []
        for item in items:
            m = item["match"]
            _, cattrs = split_attrs(item["line"].text.strip())
            cid = p.check_id(cattrs, item["line"], "choice", "c-" + slug(m.group(1), 14), choice_scope)
            choices.append(Choice(cid, m.group(1).strip(), m.group(2), p.text(item["more"]), line=item["line"].no))
        for l in lead:
            if l.text.lstrip().startswith(("- [", "* [")):
                p.diags.error(l.file, l.no, "bad-choice", "this choice does not link to a step",
                              "write choices as '- [What you do](#step-id) {#choice-id}'")
        if ending and choices:
            p.diags.error(raw["line"].file, raw["line"].no, "ending-with-choices",
                          "an ending step has choices", "remove the choices or the .ending mark")
        if not ending and not choices:
            p.diags.error(raw["line"].file, raw["line"].no, "dead-end",
                          f"step '{sid}' has no choices and is not an ending",
                          "add choices, or mark it {#id .ending}")
        steps.append(Step(sid, p.text(lead), title, tuple(choices), ending, line=raw["line"].no))
    _check_paths(p, line, steps)
    return Scenario(ident, tuple(steps), options.get("title", ""), line=line.no)


def _check_paths(p, line, steps) -> None:
    known = {s.id for s in steps}
    reached = {steps[0].id}
    for step in steps:
        for choice in step.choices:
            if choice.target not in known:
                p.diags.error(line.file, choice.line, "choice-leads-nowhere",
                              f"choice '{choice.id}' leads to '#{choice.target}', which is not a step here",
                              did_you_mean(choice.target, known))
            reached.add(choice.target)
    for step in steps:
        if step.id not in reached:
            p.diags.error(line.file, step.line, "unreachable-step",
                          f"no choice leads to step '{step.id}'", "link a choice to it, or remove it")
    if not any(s.ending for s in steps):
        p.diags.error(line.file, line.no, "no-ending", "the scenario has no ending",
                      "mark at least one step {#id .ending}")


def texts(s: Scenario):
    for step in s.steps:
        yield step.text
        for c in step.choices:
            yield c.text
            yield c.feedback


KIND = TrackedKind(
    name="scenario", model=Scenario, texts=texts, read=read, id_prefix="s", blocks={"scenario": ("title",)},
    key_group="scenarios", label=lambda s, n: f"Scenario: {s.title}" if s.title else "Scenario",
    key=lambda s: {"fp": s.fingerprint},
    codes={"no-steps": "a scenario has no '#### step'",
           "scenario-text-outside-step": "scenario text before its first step",
           "bad-choice": "a choice is not '- [text](#step) {#id}'",
           "choice-leads-nowhere": "a choice links to a step that does not exist",
           "unreachable-step": "no choice leads to a step",
           "dead-end": "a step that is not an ending has no choices",
           "ending-with-choices": "an ending step has choices",
           "no-ending": "a scenario has no ending"})
