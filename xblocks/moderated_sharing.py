"""Share the learning from an event (``cg_learning_review``) and feedback between services
(``cg_joint_feedback``): what one learner writes, others read, after moderation.

A learner fills in the element's form (``coursepack.elements.share``); the server checks it
again with the same rules as the browser (every field, the tick, no likely identifier) and
keeps it as one ``SharedItem`` row waiting for course staff. Staff approve it, return it with a
private note (the author edits and sends it again) or withdraw a published one. Every learner
then sees approved items, newest first, with the kind of service and the month, never the
author: only moderators' lists name who wrote what. A learning review's reader can keep "what I
will take back" privately, in their preferences like reflections. Joint feedback shows counts by
kind and service only for cells of at least the confidence check's floor (5, never lower), staff
post a "you said, we did" reply, and download a CSV with no author identity.

Nothing is written from Studio's preview or under masquerade (``records_learner_data``); staff
items are kept for their author but never published or counted.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import re

from markupsafe import Markup
from webob import Response
from xblock.core import XBlock
from xblock.fields import Dict, Scope

from coursepack import markdown_html
from coursepack.elements import joint_feedback, share

from .base import CommonGroundBlock, _, display_name_field, markdown_field
from .handlers import Invalid, expect_keys, expect_map, json_handler
from .templating import templates
from .confidence import ConfidenceBlock

MAX_NOTE = 2000
STATUSES = {"pending": _("Waiting for moderation"), "returned": _("Returned to you: edit it and send it again"),
            "published": _("Published: everyone on the course can read it, without your name"),
            "withdrawn": _("Withdrawn by course staff")}
# A spreadsheet runs a cell that starts like a formula: such cells get a leading apostrophe.
FORMULA = re.compile(r"^[=+\-@\t\r]")
TOKEN = re.compile(r"^[A-Za-z0-9-]{1,64}$")


def _api():
    from .aggregates import shared_items  # pylint: disable=import-outside-toplevel  (needs Django set up)
    return shared_items


def _number(value, what: str = "'item'") -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value < 2 ** 63:
        raise Invalid(f"{what} must be an item number")
    return value


def _text(value, what: str, limit: int, required: bool) -> str:
    if not isinstance(value, str):
        raise Invalid(f"{what} must be text")
    if len(value) > limit:
        raise Invalid(f"{what} is longer than {limit} characters")
    if "\x00" in value:
        raise Invalid(f"{what} contains a NUL character")
    if required and not value.strip():
        raise Invalid(f"write {what} first")
    return value.strip()


class ModeratedSharingBlock(CommonGroundBlock):
    """What both blocks share; ``replies`` says whether staff post "you said, we did"."""

    replies = False
    counted = False
    library_title = ""
    # {course key: {"<module>/<element id>#<item>": {"text", "saved"}}}: private, like reflections
    take_back = Dict(scope=Scope.preferences, default={})

    def min_items(self) -> int:
        """The confidence check's floor (``CONFIDENCE_MIN_LEARNERS``, never below 5)."""
        return ConfidenceBlock.min_learners(self)

    def author_name(self) -> str:
        user = self.current_user()
        if not user:
            return self.learner_key()
        return str(user.full_name or user.opt_attrs.get("edx-platform.username") or self.learner_key())[:255]

    def _take_back(self) -> dict:
        entries = (self.take_back or {}).get(self.course_key(), {})
        prefix = self.element_key() + "#"
        return {k[len(prefix):]: v.get("text", "") for k, v in entries.items()
                if isinstance(k, str) and k.startswith(prefix) and isinstance(v, dict)}

    # -- views ------------------------------------------------------------------------------
    def _item(self, row, author: bool = False, note: bool = False) -> dict:
        """An item for a view: the author's name only for moderators, the private note only
        for the author."""
        item = {"id": row.pk, "values": row.values if isinstance(row.values, dict) else {}, "service": row.service,
                "category": row.category, "month": row.month, "status": row.status, "reply": row.reply}
        if author:
            item["author"] = row.author_name or row.learner
        if note:
            item["note"] = row.note
        return item

    def views_html(self) -> Markup:
        e = self.element
        api, course, check = _api(), self.course_key(), self.element_key()
        staff = self.is_staff() and not self.in_studio_preview()
        library = [self._item(r) for r in api.published(course, check)]
        categories = dict(joint_feedback.CATEGORIES)
        services = list(e.services)
        counts = api.counts(course, check, list(categories), services, self.min_items()) if self.counted else None
        return Markup(templates().get_template("shared_items.html").render(
            kind=self.kind, prefix=self.dom_prefix, _=self._, staff=staff, library=library,
            library_title=self.library_title, mine=[self._item(r, note=True) for r in api.mine(course, check, self.learner_key())],
            queue=[self._item(r, author=True) for r in api.waiting(course, check)] if staff else [],
            text_fields=[f for f in e.fields if f.type == "text"], categories=categories,
            category_list=list(joint_feedback.CATEGORIES), services=services, counts=counts,
            minimum=self.min_items(), statuses=STATUSES, reply_field=self.replies, max_length=e.max_length,
            take_back=None if self.replies else self._take_back(),
            export_url=self.runtime.handler_url(self, "export") if staff else ""))

    def extra_html(self, state: dict) -> Markup:
        return self.views_html() if self.element else Markup("")

    @XBlock.supports("multi_device")
    def student_view(self, context=None):
        """The base block's view and the moderated items' script. The decorator again: the Open
        edX apps read ``multi_device`` from this method, and an override does not inherit it."""
        frag = super().student_view(context)
        frag.add_javascript_url(self.runtime.local_resource_url(self, "static/shared-items.js"))
        return frag

    def element_data(self) -> dict:
        e = self.element
        return {"id": e.id, "type": self.kind, "prompt": markdown_html.render(e.prompt), "max_length": e.max_length,
                "fields": [{"name": f.name, "label": self._(f.label), "type": f.type,
                            "options": [{"value": v, "label": self._(l)} for v, l in f.options]} for f in e.fields]}

    def _refuse_writes(self) -> None:
        if not self.records_learner_data():
            raise Invalid("nothing is saved from Studio's preview or while viewing the course as a learner", status=403)

    # -- handlers ---------------------------------------------------------------------------
    @json_handler
    def share(self, data, suffix=""):  # pylint: disable=unused-argument
        """``{"fields": {name: text}, "confirmed": true, "item": null | n, "token": "..."}``: send an
        item for moderation (or, with ``item``, send the author's returned item again); ``token``
        (optional) makes a retry of the same sending the same item."""
        e = self.element_or_refuse("this form cannot be sent: its Markdown has problems")
        expect_keys(data, ("fields", "confirmed", "item", "token"), ("fields", "confirmed"))
        token = data.get("token", "")
        if not isinstance(token, str) or (token and not TOKEN.match(token)):
            raise Invalid("'token' must be up to 64 letters, digits and hyphens")
        fields = expect_map(data["fields"], "fields", "field name: text", "field", [f.name for f in e.fields])
        confirmed, item = data["confirmed"], data.get("item")
        if not isinstance(confirmed, bool):
            raise Invalid("'confirmed' must be true or false")
        if item is not None:
            item = _number(item)
        checked = share.check(e, fields, confirmed)
        if checked.refused:
            raise Invalid(checked.refused[0][1], problems=[r for _, r in checked.refused])
        if checked.identifiers:
            found = [{**f.as_dict(), "text": share.describe(e, f)} for f in checked.identifiers]
            raise Invalid(found[0]["text"] + ". Remove it and send again: your text is kept.", identifiers=found)
        self._refuse_writes()
        try:
            row = _api().send(self.course_key(), self.element_key(), self.kind, self.learner_key(), self.author_name(),
                              self.is_staff(), checked.values, item, token, version=self.module_version)
        except _api().Refused as exc:
            raise Invalid(str(exc), status=409) from exc
        return {"item": row.pk, "status": row.status, "prompts": [p.as_dict() for p in checked.prompts],
                "html": str(self.views_html())}

    @json_handler
    def shared_views(self, data, suffix=""):  # pylint: disable=unused-argument
        """``{}`` → the shared side again, as HTML (escaped on the server)."""
        expect_keys(data, ())
        self.element_or_refuse("this block has problems in its Markdown")
        return {"html": str(self.views_html())}

    @json_handler
    def moderate(self, data, suffix=""):  # pylint: disable=unused-argument
        """Course staff: ``{"item": n, "action": "approve" | "return" | "withdraw" | "reply", "text": ...}``;
        returning needs a note for the author, replying needs the reply."""
        if not self.is_staff():
            raise Invalid("only course staff can moderate", status=403)
        if self.in_studio_preview() or self.masquerading():
            raise Invalid("moderate in the course itself, not in Studio's preview or while viewing as a learner",
                          status=403)
        self.element_or_refuse("this block has problems in its Markdown")
        expect_keys(data, ("item", "action", "text"), ("item", "action"))
        item, action = _number(data["item"]), data["action"]
        actions = ("approve", "return", "withdraw", "reply") if self.replies else ("approve", "return", "withdraw")
        if action not in actions:
            raise Invalid(f"'action' must be one of: {', '.join(actions)}")
        needs_text = action in ("return", "reply")
        text = _text(data.get("text", ""), "the note" if action == "return" else "the reply", MAX_NOTE, needs_text)
        try:
            row = _api().moderate(self.course_key(), self.element_key(), item, action, text if needs_text else "")
        except _api().Refused as exc:
            raise Invalid(str(exc), status=409) from exc
        return {"item": row.pk, "status": row.status, "html": str(self.views_html())}

    @json_handler
    def take_back_save(self, data, suffix=""):  # pylint: disable=unused-argument
        """``{"item": n, "text": "..."}``: the learner's private "what I will take back" from a
        published item (empty text forgets it). No event; nobody else sees it."""
        e = self.element
        if e is None or self.replies:
            raise Invalid("this block keeps no 'what I will take back'")
        expect_keys(data, ("item", "text"), ("item", "text"))
        item = _number(data["item"])
        text = _text(data["text"], "the text", e.max_length, False)
        if item not in {r.pk for r in _api().published(self.course_key(), self.element_key())}:
            raise Invalid("there is no published item with that number here", status=404)
        self._refuse_writes()
        course, key = self.course_key(), f"{self.element_key()}#{item}"
        everything = dict(self.take_back or {})
        entries = dict(everything.get(course) or {})
        if text:
            entries[key] = {"text": text, "saved": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")}
        else:
            entries.pop(key, None)
        everything[course] = entries
        self.take_back = everything
        return {"saved": True}

    @XBlock.handler
    def export(self, request, suffix=""):  # pylint: disable=unused-argument
        """Course staff: every item as CSV (item, kind, service, month, status, reply), no author."""
        if request.method not in ("GET", "HEAD"):
            return Response(status=405, allow=["GET"])
        if not self.is_staff() or self.element is None:
            return Response("only course staff can download this", status=403, content_type="text/plain",
                            charset="utf-8")
        e = self.element
        labels = dict(joint_feedback.CATEGORIES)
        texts = [f for f in e.fields if f.type == "text"]
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["item", "kind", "service", "month", "status", "reply"])
        for row in _api().export_rows(self.course_key(), self.element_key()):
            values = row.values if isinstance(row.values, dict) else {}
            item = "\n\n".join(f"{f.label}: {values.get(f.name, '')}" for f in texts) if len(texts) > 1 \
                else str(values.get(texts[0].name, ""))
            cells = [item, labels.get(row.category, self.display_name or self.kind), row.service, row.month,
                     row.status, row.reply]
            writer.writerow(["'" + c if FORMULA.match(c) else c for c in map(str, cells)])
        slug = re.sub(r"[^A-Za-z0-9]+", "-", self.element_key()).strip("-")[:60] or "items"
        return Response(body=out.getvalue().encode("utf-8"), content_type="text/csv", charset="utf-8",
                        content_disposition=f'attachment; filename="{slug}.csv"', cache_control="no-store")


LEARNING_REVIEW = """::: learning-review {#lr-example}
Has your team reviewed an event, or a near miss? Share what you learned, so other teams can learn too.
:::"""

JOINT_FEEDBACK = """::: joint-feedback {#jf-example}
Is there a risk, an idea or some good practice the other service should hear about?
:::"""


class LearningReviewBlock(ModeratedSharingBlock):
    """``cg_learning_review``: a moderated, no-blame learning review and the course's library."""

    kind = "learning_review"
    library_title = _("The learning library: what teams have learned")
    markdown_help = _("One ::: learning-review block with an optional introduction. Options: max=N (200 to 5000 "
                      "characters per answer), services=\"Mental health|Substance use|Both|Other\".")
    display_name = display_name_field(_("Share the learning from an event"))
    content = markdown_field(LEARNING_REVIEW, _("The learning review in the Common Ground authoring syntax."))


class JointFeedbackBlock(ModeratedSharingBlock):
    """``cg_joint_feedback``: moderated feedback between services, counts and replies."""

    kind = "joint_feedback"
    replies = True
    counted = True
    library_title = _("Feedback between services")
    markdown_help = _("One ::: joint-feedback block with an optional introduction. Options: max=N (200 to 5000 "
                      "characters), services=\"Mental health|Substance use|Both|Other\".")
    display_name = display_name_field(_("Feedback between services"))
    content = markdown_field(JOINT_FEEDBACK, _("The joint feedback in the Common Ground authoring syntax."))
