"""Branching scenario: steps, choices with feedback, endings. Restartable; completes at an ending.

The learner's path is a list of choice ids from the start. The server walks it through the
scenario (each choice must belong to the step the path has reached), so a path is either a real
walk or refused; whether it reached an ending is worked out here, not taken from the request.
"""
from __future__ import annotations

from xblock.fields import Boolean, List, Scope, String

from coursepack import markdown_html

from .base import CommonGroundBlock, _, display_name_field, markdown_field
from .handlers import Invalid, expect_keys, json_handler

MAX_PATH = 200

EXAMPLE = """::: scenario {#s-example title="A first conversation"}
#### Someone asks for help {#start}
A person at the front desk says they have been drinking and feel low. What do you do?

- [Listen and ask how you can help](#listen) {#c-listen}
      Good. Listening first builds trust.
- [Tell them to come back sober](#away) {#c-away}
      This may turn someone away who needs help now.

#### They stay {#listen .ending}
They tell you what they need. You find support together.

#### They leave {#away .ending}
They leave and do not come back. Next time, try listening first.
:::"""


class ScenarioBlock(CommonGroundBlock):
    """``cg_scenario``: a branching scenario."""

    kind = "scenario"
    complete_on_view = False
    markdown_help = _("One ::: scenario block: steps as '#### Title {#id}', choices as "
                      "'- [What you do](#next-step) {#choice-id}' with feedback indented under them; "
                      "mark endings '{#id .ending}'.")

    display_name = display_name_field(_("Scenario"))
    content = markdown_field(EXAMPLE, _("The scenario in the Common Ground authoring syntax."))

    path = List(scope=Scope.user_state, default=[], enforce_type=True)
    ended = Boolean(scope=Scope.user_state, default=False, enforce_type=True)
    endings = List(scope=Scope.user_state, default=[], enforce_type=True)
    path_fp = String(scope=Scope.user_state, default="", enforce_type=True)

    def walk(self, scenario, path: list) -> str:
        """The step a path leads to; Invalid when it is not a walk through this scenario."""
        step = scenario.start
        for n, choice_id in enumerate(path):
            choice = next((c for c in step.choices if c.id == choice_id), None)
            if choice is None:
                raise Invalid(f"choice {n + 1} of the path is not a choice of step '{step.id}'")
            step = scenario.step(choice.target)
        return step.id

    def learner_state(self):
        scenario = self.element
        if not scenario or self.path_fp != scenario.fingerprint or not (self.path or self.ended):
            return None
        return {"path": list(self.path), "ended": bool(self.ended)}

    def element_data(self) -> dict:
        s = self.element
        return {"id": s.id, "title": s.title, "start": s.start.id, "steps": [{
            "id": step.id, "title": step.title, "html": markdown_html.render(step.text), "ending": step.ending,
            "choices": [{"id": c.id, "html": markdown_html.render_inline(c.text), "target": c.target,
                         "feedback": markdown_html.render(c.feedback)} for c in step.choices],
        } for step in s.steps]}

    @json_handler
    def save_state(self, data, suffix=""):  # pylint: disable=unused-argument
        """``{"path": [choice ids], "ended": bool}``: where the learner is (``[]`` restarts)."""
        scenario = self.element_or_refuse("this scenario cannot be played: its Markdown has problems")
        expect_keys(data, ("path", "ended"), ("path",))
        path = data["path"]
        if not isinstance(path, list) or len(path) > MAX_PATH or not all(isinstance(c, str) for c in path):
            raise Invalid(f"'path' must be a list of at most {MAX_PATH} choice ids")
        if "ended" in data and not isinstance(data["ended"], bool):
            raise Invalid("'ended' must be true or false")
        at = self.walk(scenario, path)
        ended = scenario.step(at).ending
        if not self.records_learner_data():
            return {"step": at, "ended": ended}
        self.path, self.ended, self.path_fp = list(path), ended, scenario.fingerprint
        if ended and at not in self.endings:
            self.endings = [*self.endings, at]
        if ended:
            self.complete()
        return {"step": at, "ended": ended}
