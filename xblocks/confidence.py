"""Confidence check: a short self-rating before a module and again after it.

Ratings live in one row per learner per check (``xblocks.aggregates``), keyed by the author's
ids, so the "after" check finds the learner's own "before" ratings and shows the change, and
counts stay exact however many server processes answer at once. Course staff see anonymous
figures only once at least ``XBLOCK_SETTINGS["CommonGround"]["CONFIDENCE_MIN_LEARNERS"]``
learners (default 5, and never fewer than 5) have answered; with fewer, nothing. Rows of course
staff are kept apart and never count (staff could otherwise rate, then subtract their own
ratings to read one learner's), and Studio's preview and masquerading staff write no row. The check is optional, like a
reflection: it completes on view.

Its staff summary also offers the course's data file for the governance report
(``governance_data``: ``xblocks.aggregates.report_data``), to course staff in the course itself
only: never to learners, in Studio's preview or while viewing the course as a learner.
"""
from __future__ import annotations

from markupsafe import Markup
from webob import Response
from xblock.core import XBlock

from coursepack import markdown_html

from .base import CommonGroundBlock, _, display_name_field, markdown_field, source_text_field
from .handlers import Invalid, expect_keys, expect_map, json_handler
from .templating import templates

DEFAULT_MIN_LEARNERS = 5

EXAMPLE = """::: confidence {#cf-example}
How confident do you feel today?

- I can explain what stigma is. {#explain}
- I can choose words that respect people. {#words}
:::"""


def _api():
    from .aggregates import api  # pylint: disable=import-outside-toplevel  (needs Django set up)
    return api


def _report_data():
    from .aggregates import report_data  # pylint: disable=import-outside-toplevel  (needs Django set up)
    return report_data


class ConfidenceBlock(CommonGroundBlock):
    """``cg_confidence``: before/after self-rating with the learner's own change."""

    kind = "confidence"
    markdown_help = _("One ::: confidence block: statements as '- I can ... {#id}'; option scale=N (3 to 10). "
                      "An 'after' check is '::: confidence {#id after=before-id}' with no statements, and the "
                      "'before' field holds the Markdown of the check it repeats.")

    display_name = display_name_field(_("Confidence check"))
    content = markdown_field(EXAMPLE, _("The confidence check in the Common Ground authoring syntax."))
    before_source = source_text_field(_("Before check (for an 'after' check)"),
                                      _("For an 'after' check only: the Markdown of the 'before' check it repeats, "
                                        "so both ask the same statements."))

    editable_fields = ("display_name", "content", "before_source", "glossary", "module", "module_title")
    source_fields = (*CommonGroundBlock.source_fields, "before_source")

    # -- settings ---------------------------------------------------------------------------
    def min_learners(self) -> int:
        """The operator's setting; never below 5, where staff could pick out one learner's answers."""
        value = self.setting("CONFIDENCE_MIN_LEARNERS", DEFAULT_MIN_LEARNERS)
        if isinstance(value, bool) or not isinstance(value, int):
            return DEFAULT_MIN_LEARNERS
        return max(value, DEFAULT_MIN_LEARNERS)

    # -- state ------------------------------------------------------------------------------
    def _valid(self, ratings, check) -> dict | None:
        """Stored ratings, if they still fit the check's statements and scale."""
        if not isinstance(ratings, dict):
            return None
        ids = {s.id for s in check.statements}
        if set(ratings) != ids or not all(isinstance(v, int) and 1 <= v <= check.scale for v in ratings.values()):
            return None
        return ratings

    def learner_state(self):
        check = self.element
        if not check:
            return None
        api, course, learner = _api(), self.course_key(), self.learner_key()
        mine = self._valid(api.ratings_of(course, self.element_key(), learner), check)
        if mine is None:
            return None
        before = self._valid(api.ratings_of(course, self.element_key(check.after), learner), check) \
            if check.after else None
        return {"ratings": mine, "before": before}

    def element_data(self) -> dict:
        c = self.element
        return {"id": c.id, "prompt": markdown_html.render(c.prompt), "after": c.after, "scale": c.scale,
                "statements": [{"id": s.id, "html": markdown_html.render_inline(s.text)} for s in c.statements]}

    def summary(self) -> dict | None:
        check = self.element
        return _api().summary(self.course_key(), self.element_key(), [s.id for s in check.statements], check.scale,
                              self.min_learners(), self.element_key(check.after) if check.after else "")

    def extra_html(self, state: dict) -> Markup:
        if not self.is_staff():
            return Markup("")
        check = self.element
        return Markup(templates().get_template("confidence_summary.html").render(
            check=check, summary=self.summary(), minimum=self.min_learners(), prefix=self.dom_prefix,
            md_inline=lambda s: Markup(markdown_html.render_inline(s)), _=self._,
            data_url="" if self.governance_refusal() else self.runtime.handler_url(self, "governance_data")))

    # -- handlers ---------------------------------------------------------------------------
    @json_handler
    def save_state(self, data, suffix=""):  # pylint: disable=unused-argument
        """``{"ratings": {statement id: 1..scale}}`` for every statement → ``{"before": ...}``."""
        check = self.element_or_refuse("this confidence check cannot be saved: its Markdown has problems")
        expect_keys(data, ("ratings",), ("ratings",))
        ids = [s.id for s in check.statements]
        ratings = expect_map(data["ratings"], "ratings", "statement id: rating", "statement", ids)
        missing = [k for k in ids if k not in ratings]
        if missing:
            raise Invalid(f"rate every statement ('{missing[0]}' has no rating)")
        for sid, value in ratings.items():
            if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= check.scale:
                raise Invalid(f"the rating of '{sid}' must be a whole number from 1 to {check.scale}")
        if not self.records_learner_data():
            return {"before": None, "saved": False}
        api, course, learner = _api(), self.course_key(), self.learner_key()
        api.save_ratings(course, self.element_key(), learner, {sid: ratings[sid] for sid in ids},
                         staff=self.is_staff(), version=self.module_version)
        before = self._valid(api.ratings_of(course, self.element_key(check.after), learner), check) \
            if check.after else None
        return {"before": before, "saved": True}

    @json_handler
    def aggregates(self, data, suffix=""):  # pylint: disable=unused-argument
        """Course staff only: the anonymous summary, or ``{"learners": null}`` below the minimum."""
        expect_keys(data, ())
        if not self.is_staff():
            raise Invalid("only course staff can see the summary", status=403)
        self.element_or_refuse("this confidence check has problems in its Markdown")
        return self.summary() or {"learners": None, "minimum": self.min_learners()}

    def governance_refusal(self) -> str:
        """Why this request may not have the course's data file, or "" when it may."""
        if self.in_studio_preview():
            return "the course's data file is not given in Studio's preview: download it from the course itself"
        if self.masquerading():
            return "the course's data file is not given while viewing the course as a learner: stop viewing as a learner"
        if not self.is_staff():
            return "only course staff can download the course's data file"
        return ""

    @XBlock.handler
    def governance_data(self, request, suffix=""):  # pylint: disable=unused-argument
        """Course staff, GET: the course's pseudonymised data file for ``commonground report``
        (every module's rows, not only this check's). 403 with the reason for anyone else."""
        if request.method not in ("GET", "HEAD"):
            return Response("use GET", status=405, allow=["GET"], content_type="text/plain", charset="utf-8")
        refusal = self.governance_refusal()
        if refusal:
            return Response(refusal, status=403, content_type="text/plain", charset="utf-8",
                            cache_control="no-store")
        data = _report_data()
        course = self.course_key()
        return Response(body=data.export(course), content_type="text/csv", charset="utf-8",
                        content_disposition=f'attachment; filename="{data.file_name(course)}"',
                        cache_control="no-store")
