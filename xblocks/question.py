"""Knowledge check: single choice, multiple choice or true/false, graded.

Each option has its own feedback and the question an explanation. The Markdown sets the number of
attempts (``attempts=``, 0 = unlimited) and the weight (``weight=``). Every answer publishes the
grade (value = the weight when right, 0 when not; max_value = the weight) and the first answer
publishes completion: "every knowledge check answered" is part of the one completion rule. Once
right, or out of attempts, the answer is final. The learner's last answer and its feedback come
back on revisit. A stored answer whose question has since changed meaning (option ids or which are
right: the fingerprint) is dropped, never re-mapped.

Open edX has one pass cutoff for the whole course, so each module's own result shows under every
knowledge check of the module: the score Open edX's grader gives the module's assignment type
(the average of its graded subsections' percentages, ``coursepack.completion``), against its pass mark. The
OLX build gives each block its module's checks, their subsections and the pass mark. Each check
keeps its own answer, ``attempts`` and score in its own ``user_state``; for the module's standing
every verdict is also one row of its own (``xblocks.aggregates``), so checks answered at the same
moment never overwrite each other; that row also keeps the learner's first answer, whether it was
right and the tries so far, for the governance report's "wrong answer most chosen".

The instructor dashboard works as on a native problem: "Reset attempts" sets ``attempts`` to 0,
"Delete state" calls ``clear_student_state`` (the verdict row goes with the state) and rescoring
goes through ``ScorableXBlockMixin``. The course's settings are honoured where the LMS gives them
(inherited fields): no answer after the due date (and grace period), ``show_correctness`` and
``showanswer`` (the explanation).
"""
from __future__ import annotations

import datetime as dt

from markupsafe import Markup
from xblock.fields import Dict, Float, Integer, List, Scope, String
from xblock.scorable import ScorableXBlockMixin, Score

from coursepack import elements, markdown_html
from coursepack.completion import assignment_type_percent, is_correct

from .base import CommonGroundBlock, _, display_name_field, markdown_field
from .handlers import Invalid, expect_keys, json_handler
from .templating import templates


def _api():
    from .aggregates import api  # pylint: disable=import-outside-toplevel  (needs Django set up)
    return api

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

    display_name = display_name_field(_("Knowledge check"),
                                      _("The name shown in the course outline and the progress page."))
    content = markdown_field(EXAMPLE, _("The knowledge check in the Common Ground authoring syntax."))

    selected = List(scope=Scope.user_state, default=[], enforce_type=True)
    # Named as edx-platform's "Reset attempts" (instructor dashboard) names it: it sets it to 0.
    attempts = Integer(scope=Scope.user_state, default=0, enforce_type=True)
    answered_fp = String(scope=Scope.user_state, default="", enforce_type=True)
    raw_earned = Float(scope=Scope.user_state, default=None, enforce_type=True)
    module_questions = Dict(display_name=_("Knowledge checks of the module"), scope=Scope.settings, default={},
                            enforce_type=True,
                            help=_("Set by the course build: each knowledge check of the module and its weight."))
    module_sections = Dict(display_name=_("Subsections of the module's knowledge checks"), scope=Scope.settings,
                           default={}, enforce_type=True,
                           help=_("Set by the course build: the graded subsection of each knowledge check, "
                                  "so the module's score is the one Open edX's grader gives."))
    module_pass_mark = Integer(display_name=_("Module pass mark"), scope=Scope.settings, default=None,
                               enforce_type=True,
                               help=_("Set by the course build: the module's pass mark, in percent."))

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
        """Keep the score; rescoring (``ScorableXBlockMixin.rescore``) also updates the verdict
        the module's standing counts."""
        self.raw_earned = score.raw_earned
        self._save_verdict(score)

    def _save_verdict(self, score: Score, answer: list[str] | None = None) -> None:
        """The module's verdict row; ``answer``: the options the learner just sent (the row keeps
        the first, and counts the tries), None for a rescore."""
        question = self.element
        if question and self._answer() and self.records_learner_data() and self._weights():
            _api().save_verdict(self.course_key(), self.element_key(question.id), self.learner_key(),
                                score.raw_earned >= score.raw_possible > 0, staff=self.is_staff(), answer=answer,
                                version=self.module_version)

    def rescore(self, only_if_higher):
        """ScorableXBlockMixin publishes the new grade; keep the block's own score and the module's
        verdict in step with it (the instructor task saves the block afterwards)."""
        super().rescore(only_if_higher)
        new = self.calculate_score()
        if not only_if_higher or new.raw_earned > float(self.raw_earned or 0.0):
            self.set_score(new)

    def clear_student_state(self, *args, **kwargs):  # pylint: disable=unused-argument
        """edx-platform's "Delete learner state" calls this (with the learner's anonymous id as
        ``user_id``) before it deletes the block's state: the verdict row goes with it."""
        learner = kwargs.get("user_id")
        question = self.element
        if learner and question:
            _api().forget_verdict(str(kwargs.get("course_id") or self.course_key()),
                                  self.element_key(question.id), str(learner))

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
        return max(int(self.attempts or 0), 0) if self._answer() else 0

    # -- course settings (inherited fields in the LMS; absent elsewhere) ----------------------
    def course_setting(self, name: str):
        """A course setting the LMS gives every block as an inherited field (its InheritanceMixin),
        or None where the runtime has no such field (a plain attribute, as the workbench patches
        onto blocks, is no setting)."""
        return getattr(self, name, None) if name in self.fields else None

    def is_past_due(self) -> bool:
        """After the due date plus the grace period, as a native problem counts it."""
        due = self.course_setting("due")
        if not isinstance(due, dt.datetime):
            return False
        grace = self.course_setting("graceperiod")
        close = due + grace if isinstance(grace, dt.timedelta) else due
        if close.tzinfo is None:
            close = close.replace(tzinfo=dt.timezone.utc)
        return dt.datetime.now(dt.timezone.utc) > close

    def correctness_shown(self) -> bool:
        """``show_correctness``: always (the default), never, or once past due."""
        setting = self.course_setting("show_correctness") or "always"
        return setting == "always" or (setting == "past_due" and self.is_past_due())

    def answer_shown(self, right: bool, used: int, attempts: int) -> bool:
        """``showanswer`` for the explanation; where the runtime gives no such setting, the
        explanation comes with every answer."""
        setting = self.course_setting("showanswer")
        if setting is None:
            return True
        out_of_attempts = bool(attempts) and used >= attempts
        past_due = self.is_past_due()
        return {
            "always": True, "never": False,
            "answered": used > 0, "attempted": used > 0, "attempted_no_past_due": used > 0 and not past_due,
            "closed": out_of_attempts or past_due,
            "finished": out_of_attempts or past_due or right,
            "correct_or_past_due": right or past_due,
            "past_due": past_due,
            "after_attempts": out_of_attempts, "after_all_attempts": out_of_attempts,
            "after_all_attempts_or_correct": out_of_attempts or right,
        }.get(setting, out_of_attempts or past_due or right)

    def _html(self, source: str) -> str:
        """Author Markdown for the widget, its term links pointing at this block's word list."""
        return markdown_html.anchor_terms(markdown_html.render(source),
                                          markdown_html.term_prefix(self.dom_prefix, self.kind))

    def _result(self, question, selection: list[str], used: int) -> dict:
        # The kind judges (coursepack.elements): what is right and which feedback to show.
        verdict = elements.kind_of(question).judge(question, selection)
        left = max(question.attempts - used, 0) if question.attempts else -1
        right = verdict["correct"]
        result = {"correct": None, "feedback": {}, "explanation": "", "correctIds": [], "attemptsLeft": left}
        if self.correctness_shown():
            result.update(correct=right, correctIds=verdict["right"],
                          feedback={o: self._html(text) for o, text in verdict["feedback"].items()})
        shown = self.answer_shown(right, used, question.attempts)
        if shown:
            result["explanation"] = self._html(question.explanation)
        # The whole right answer, as the shell gives it: after the last attempt, and after a wrong
        # multiple-answer attempt (so the player marks the right options the learner missed); only
        # where the course shows correctness and its ``showanswer`` allows the answer now.
        out_of_attempts = bool(question.attempts) and used >= question.attempts
        if (shown and not right and self.correctness_shown()
                and (out_of_attempts or getattr(question, "type", "") == "multiple")):
            result["answerIds"] = list(question.correct_ids)
        return result

    def learner_state(self):
        question, answer = self.element, self._answer()
        if not question or not answer:
            return None
        return {"selected": answer, "result": self._result(question, answer, self._attempts_used())}

    def user_state(self) -> dict:
        result = self.module_result()
        return {**super().user_state(), **({"module": result} if result is not None else {})}

    # -- the module's result ----------------------------------------------------------------
    def _module_answers(self) -> dict:
        return _api().verdicts_of(self.course_key(), self.learner_key(), self.module or "-")

    def _weights(self) -> dict[str, float]:
        """The module's knowledge checks and their weights, when the block knows them."""
        if self.module_pass_mark is None:
            return {}
        return {k: float(v) for k, v in (self.module_questions or {}).items()
                if isinstance(v, (int, float)) and not isinstance(v, bool) and v > 0}

    def module_result(self, answers: dict | None = None) -> dict | None:
        """How the learner stands in this block's module, or None when the block does not know
        its module's knowledge checks."""
        weights = self._weights()
        if not weights:
            return None
        answers = self._module_answers() if answers is None else answers
        answered = sum(1 for qid in weights if qid in answers)
        result = {"answered": answered, "total": len(weights), "complete": answered == len(weights)}
        if result["complete"] and self.correctness_shown():
            sections = self.module_sections if isinstance(self.module_sections, dict) else {}
            score = assignment_type_percent(weights, sections, answers)
            result.update(score=score, passMark=self.module_pass_mark, passed=score >= self.module_pass_mark)
        result["text"] = self.module_text(result)
        return result

    def module_text(self, result: dict) -> str:
        text = self._("Knowledge checks answered in this module: {answered} of {total}.").format(
            answered=result["answered"], total=result["total"])
        if "score" in result:
            text += " " + self._("Your score: {score}%. Pass mark: {pass}%.").format(
                score=round(result["score"]), **{"pass": result["passMark"]})
            text += " " + (self._("You passed.") if result["passed"] else
                           self._("You have not reached the pass mark yet. You can go back and try again."))
        return text

    def extra_html(self, state: dict) -> Markup:
        result = state.get("module")     # ``user_state``'s, read once for the widget and this
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
        question = self.element_or_refuse("this knowledge check cannot be answered: its Markdown has problems")
        expect_keys(data, ("selected",), ("selected",))
        selection = data["selected"]
        reason = elements.kind_of(question).refuse(question, selection)
        if reason:
            raise Invalid(reason)
        if self.is_past_due():
            raise Invalid(self._("The due date for this knowledge check has passed: answers are no longer accepted."),
                          status=403)
        previous, used = self._answer(), self._attempts_used()
        if previous and is_correct(question, previous):
            raise Invalid("already answered correctly")
        if question.attempts and used >= question.attempts:
            raise Invalid("no attempts left")

        used += 1
        result = self._result(question, selection, used)
        if not self.records_learner_data():
            # Studio preview or staff viewing as a learner: the verdict, and nothing recorded.
            result["module"] = None
            return result
        self.selected, self.attempts, self.answered_fp = list(selection), used, question.fingerprint
        score = Score(self.weight if is_correct(question, selection) else 0.0, self.weight)
        self.raw_earned = score.raw_earned
        self._save_verdict(score, answer=list(selection))
        self._publish_grade(score)
        self.complete()
        result["module"] = self.module_result()
        return result
