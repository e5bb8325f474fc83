"""Knowledge check: single choice, multiple choice or true/false, graded.

Each option has its own feedback and the question an explanation. The Markdown sets the number of
attempts (``attempts=``, 0 = unlimited) and the weight (``weight=``). Every answer publishes the
grade (value = the weight when right, 0 when not; max_value = the weight) and the first answer
publishes completion: "every knowledge check answered" is part of the one completion rule. Once
right, or out of attempts, the answer is final. The learner's last answer and its feedback come
back on revisit. A stored answer whose question has since changed meaning (option ids or which are
right: the fingerprint) is dropped, never re-mapped.
"""
from __future__ import annotations

from xblock.fields import Float, Integer, List, Scope, String
from xblock.scorable import ScorableXBlockMixin, Score

from coursepack import markdown_html
from coursepack.completion import is_correct

from .common import CommonGroundBlock, Invalid, _, expect_keys, json_handler

EXAMPLE = """::: question {#q-example type=single}
Which words put the person first?

- [x] A person who uses drugs {#a}
      Yes. The person comes before the behaviour.
- [ ] An addict {#b}
      Not quite. This label sums a person up by one thing.

Explanation: Person-first words describe the person, not a label.
:::"""


class KnowledgeCheckBlock(ScorableXBlockMixin, CommonGroundBlock):
    """``cg_question``: a graded knowledge check."""

    kind = "question"
    complete_on_view = False
    has_score = True
    icon_class = "problem"
    markdown_help = _("One ::: question block: options as '- [x] right {#id}' or '- [ ] wrong {#id}' with "
                      "feedback indented under each, then 'Explanation:'. Options: type=single|multiple|truefalse, "
                      "attempts=N (0 = unlimited), weight=N.")

    display_name = String(display_name=_("Display name"), scope=Scope.settings, default=_("Knowledge check"),
                          help=_("The name shown in the course outline and the progress page."))
    content = String(display_name=_("Markdown"), scope=Scope.content, default=EXAMPLE,
                     help=_("The knowledge check in the Common Ground authoring syntax."))

    selected = List(scope=Scope.user_state, default=[])
    attempts_used = Integer(scope=Scope.user_state, default=0)
    answered_fp = String(scope=Scope.user_state, default="")
    raw_earned = Float(scope=Scope.user_state, default=None)

    # -- grading ----------------------------------------------------------------------------
    @property
    def weight(self) -> float:
        """The question's weight from its Markdown (what edx-platform scales the grade to)."""
        question = self.element
        return float(question.weight) if question else 1.0

    def max_score(self) -> float:
        return self.weight

    def has_submitted_answer(self) -> bool:
        return bool(self._answer())

    def get_score(self) -> Score:
        return Score(float(self.raw_earned or 0.0), self.max_score())

    def set_score(self, score: Score) -> None:
        self.raw_earned = score.raw_earned

    def calculate_score(self) -> Score:
        question, answer = self.element, self._answer()
        right = bool(question and answer and is_correct(question, answer))
        return Score(self.weight if right else 0.0, self.weight)

    # -- state ------------------------------------------------------------------------------
    def _answer(self) -> list[str]:
        """The stored answer, if it still means what it meant when given."""
        question = self.element
        if not question or not self.selected or self.answered_fp != question.fingerprint:
            return []
        return [s for s in self.selected if question.option(s)]

    def _attempts_used(self) -> int:
        return self.attempts_used if self._answer() else 0

    def _result(self, question, selection: list[str], used: int) -> dict:
        right = is_correct(question, selection)
        left = max(question.attempts - used, 0) if question.attempts else -1
        return {
            "correct": right,
            "feedback": {o: markdown_html.render(question.option(o).feedback) for o in selection},
            "explanation": markdown_html.render(question.explanation),
            # Only the options the learner chose are marked right or wrong: an unchosen right
            # answer is not given away while attempts remain.
            "correctIds": [o for o in selection if question.option(o).correct],
            "attemptsLeft": left,
        }

    def learner_state(self):
        question, answer = self.element, self._answer()
        if not question or not answer:
            return None
        return {"selected": answer, "result": self._result(question, answer, self._attempts_used())}

    def element_data(self) -> dict:
        q = self.element
        return {"id": q.id, "type": q.type, "prompt": markdown_html.render(q.prompt),
                "options": [{"id": o.id, "html": markdown_html.render_inline(o.text)} for o in q.options],
                "attempts": q.attempts, "weight": q.weight}

    # -- the learner answers ----------------------------------------------------------------
    @json_handler
    def submit(self, data, suffix=""):  # pylint: disable=unused-argument
        """``{"selected": [option ids]}`` → the verdict with feedback for the chosen options."""
        question = self.element
        if question is None:
            raise Invalid("this knowledge check cannot be answered: its Markdown has problems")
        expect_keys(data, ("selected",), ("selected",))
        selection = data["selected"]
        if not isinstance(selection, list) or not selection:
            raise Invalid("'selected' must be a non-empty list of option ids")
        if len(selection) > len(question.options) or not all(isinstance(s, str) for s in selection):
            raise Invalid("'selected' must list option ids of this question")
        if len(set(selection)) != len(selection):
            raise Invalid("an option is chosen twice")
        unknown = [s for s in selection if question.option(s) is None]
        if unknown:
            raise Invalid(f"unknown option '{unknown[0][:40]}'")
        if question.type in ("single", "truefalse") and len(selection) != 1:
            raise Invalid("choose exactly one option")
        previous, used = self._answer(), self._attempts_used()
        if previous and is_correct(question, previous):
            raise Invalid("already answered correctly")
        if question.attempts and used >= question.attempts:
            raise Invalid("no attempts left")

        used += 1
        result = self._result(question, selection, used)
        self.selected, self.attempts_used, self.answered_fp = list(selection), used, question.fingerprint
        score = Score(self.weight if result["correct"] else 0.0, self.weight)
        self.set_score(score)
        self._publish_grade(score)
        if not self.completed:
            self.completed = True
            self.emit_completion(1.0)
        return result
