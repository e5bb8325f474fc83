"""Knowledge check: single choice, multiple choice or true/false, graded.

Each option has its own feedback and the question an explanation. The Markdown sets the number of
attempts (``attempts=``, 0 = unlimited) and the weight (``weight=``). Every answer publishes the
grade (value = the weight when right, 0 when not; max_value = the weight) and the first answer
publishes completion: "every knowledge check answered" is part of the one completion rule. Once
right, or out of attempts, the answer is final. The learner's last answer and its feedback come
back on revisit. A stored answer whose question has since changed meaning (option ids or which are
right: the fingerprint) is dropped, never re-mapped.

Open edX has one pass cutoff for the whole course, so each module's own result (the one rule of
``coursepack.completion``: the weighted share of its knowledge checks answered correctly, against
its pass mark) shows under every knowledge check of the module. The OLX build gives each block its
module's checks and pass mark; the learner's verdicts are shared by all knowledge checks through
``Scope.preferences``, keyed by course and module.
"""
from __future__ import annotations

from markupsafe import Markup
from xblock.fields import Dict, Float, Integer, List, Scope, String
from xblock.scorable import ScorableXBlockMixin, Score

from coursepack import elements, markdown_html
from coursepack.completion import is_correct, weighted_score

from .common import CommonGroundBlock, Invalid, _, expect_keys, json_handler, templates

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
    module_questions = Dict(display_name=_("Knowledge checks of the module"), scope=Scope.settings, default={},
                            help=_("Set by the course build: each knowledge check of the module and its weight."))
    module_pass_mark = Integer(display_name=_("Module pass mark"), scope=Scope.settings, default=None,
                               help=_("Set by the course build: the module's pass mark, in percent."))
    # {course key: {module id: {question id: answered correctly}}}, shared by every knowledge check
    module_answers = Dict(scope=Scope.preferences, default={})

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

    def _html(self, source: str) -> str:
        """Author Markdown for the widget, its term links pointing at this block's word list."""
        return markdown_html.anchor_terms(markdown_html.render(source),
                                          markdown_html.term_prefix(self.dom_prefix, self.kind))

    def _result(self, question, selection: list[str], used: int) -> dict:
        # The kind judges (coursepack.elements): what is right and which feedback to show.
        verdict = elements.kind_of(question).judge(question, selection)
        left = max(question.attempts - used, 0) if question.attempts else -1
        return {
            "correct": verdict["correct"],
            "feedback": {o: self._html(text) for o, text in verdict["feedback"].items()},
            "explanation": self._html(question.explanation),
            "correctIds": verdict["right"],
            "attemptsLeft": left,
        }

    def learner_state(self):
        question, answer = self.element, self._answer()
        if not question or not answer:
            return None
        return {"selected": answer, "result": self._result(question, answer, self._attempts_used())}

    # -- the module's result ----------------------------------------------------------------
    def _module_answers(self) -> dict:
        answers = ((self.module_answers or {}).get(self.course_key()) or {}).get(self.module) or {}
        return answers if isinstance(answers, dict) else {}

    def module_result(self, answers: dict | None = None) -> dict | None:
        """How the learner stands in this block's module, or None when the block does not know
        its module's knowledge checks."""
        weights = {k: float(v) for k, v in (self.module_questions or {}).items()
                   if isinstance(v, (int, float)) and not isinstance(v, bool) and v > 0}
        if not weights or self.module_pass_mark is None:
            return None
        answers = self._module_answers() if answers is None else answers
        answered = sum(1 for qid in weights if qid in answers)
        result = {"answered": answered, "total": len(weights), "complete": answered == len(weights)}
        if result["complete"]:
            score = weighted_score(weights, answers)
            result.update(score=score, passMark=self.module_pass_mark, passed=score >= self.module_pass_mark)
        result["text"] = self.module_text(result)
        return result

    def module_text(self, result: dict) -> str:
        text = self._("Knowledge checks answered in this module: {answered} of {total}.").format(
            answered=result["answered"], total=result["total"])
        if result["complete"]:
            text += " " + self._("Your score: {score}%. Pass mark: {pass}%.").format(
                score=round(result["score"]), **{"pass": result["passMark"]})
            text += " " + (self._("You passed.") if result["passed"] else
                           self._("You have not reached the pass mark yet. You can go back and try again."))
        return text

    def extra_html(self) -> Markup:
        result = self.module_result()
        if result is None:
            return Markup("")
        return Markup(templates().get_template("module_result.html").render(result=result))

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
        reason = elements.kind_of(question).refuse(question, selection)
        if reason:
            raise Invalid(reason)
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
        if self.module_result() is not None:
            everything = dict(self.module_answers or {})
            course = dict(everything.get(self.course_key()) or {})
            answers = {**self._module_answers(), question.id: result["correct"]}
            course[self.module] = answers
            everything[self.course_key()] = course
            self.module_answers = everything
            result["module"] = self.module_result(answers)
        return result
