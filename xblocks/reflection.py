"""Reflection: a prompt and the learner's own free text. Always optional: it completes on view, so
nobody is made to write about themselves to finish.

The text is kept in ``Scope.preferences`` (per learner, shared by every reflection block),
keyed by course, so the learner can download all their reflections for the course as one text
file, for a CPD or revalidation record. It never goes into an analytics event, the grade, a
response report (the block has no ``generate_report_data``) or ``user_state`` (what staff
see in per-learner state tools): the only event is ``completion``. The block says truthfully who
can read it: course staff with access to learner data.
"""
from __future__ import annotations

import datetime as dt
import re

from webob import Response
from xblock.core import XBlock
from xblock.fields import Dict, Scope

from coursepack import markdown_html
from coursepack.plaintext import plain_text

from .base import OPENEDX, CommonGroundBlock, _, display_name_field, markdown_field
from .handlers import Invalid, expect_keys, json_handler

EXAMPLE = """::: reflection {#r-example max=1000}
Think about a time you put off asking for help. What made it hard? You do not have to write
anything to finish this module.
:::"""


class ReflectionBlock(CommonGroundBlock):
    """``cg_reflection``: private free text with a length limit and a course-wide download."""

    kind = "reflection"
    has_download = True
    markdown_help = _("One ::: reflection block with the prompt; option max=N sets the length limit (50 to 10000).")

    display_name = display_name_field(_("Reflection"))
    content = markdown_field(EXAMPLE, _("The reflection in the Common Ground authoring syntax."))
    # {course key: {"<module>/<reflection id>": {"module", "prompt", "text", "saved"}}}
    reflections = Dict(scope=Scope.preferences, default={}, enforce_type=True)

    # -- state ------------------------------------------------------------------------------
    def _entries(self, course: str | None = None) -> dict:
        entries = (self.reflections or {}).get(course or self.course_key(), {})
        return entries if isinstance(entries, dict) else {}

    def saved_text(self, course: str | None = None) -> str | None:
        """The learner's text for this reflection, kept under ``course`` (default: this block's).
        A block of the same course that loads this one to read it passes its own course: a
        block loaded that way may not be told its course (the workbench tells only the block
        that answers the request)."""
        entry = self._entries(course).get(self.element_key())
        return entry.get("text") if isinstance(entry, dict) and isinstance(entry.get("text"), str) else None

    def learner_state(self):
        text = self.saved_text()
        return {"text": text} if text is not None else None

    def element_data(self) -> dict:
        r = self.element
        return {"id": r.id, "prompt": markdown_html.render(r.prompt), "max_length": r.max_length,
                "privacy": self._(OPENEDX.privacy)}

    # -- handlers ---------------------------------------------------------------------------
    @json_handler
    def save_state(self, data, suffix=""):  # pylint: disable=unused-argument
        """``{"text": "..."}``: keep (or, when empty, forget) the learner's text. No event."""
        reflection = self.element_or_refuse("this reflection cannot be saved: its Markdown has problems")
        expect_keys(data, ("text",), ("text",))
        text = data["text"]
        if not isinstance(text, str):
            raise Invalid("'text' must be text")
        if len(text) > reflection.max_length:
            raise Invalid(f"the text is longer than {reflection.max_length} characters")
        if "\x00" in text:
            raise Invalid("the text contains a NUL character")
        if not self.records_learner_data():
            return {"saved": False, "length": len(text)}
        course, key = self.course_key(), self.element_key()
        everything = dict(self.reflections or {})
        entries = dict(everything.get(course) or {})
        if text.strip():
            entries[key] = {"module": self.module_title or self.module, "prompt": plain_text(reflection.prompt),
                            "text": text, "saved": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")}
        else:
            entries.pop(key, None)
        everything[course] = entries
        self.reflections = everything
        return {"saved": True, "length": len(text)}

    @XBlock.handler
    def download(self, request, suffix=""):  # pylint: disable=unused-argument
        """All of this learner's reflections in this course, as one plain-text file."""
        if request.method not in ("GET", "HEAD"):
            return Response(status=405, allow=["GET"])
        entries = [e for e in self._entries().values() if isinstance(e, dict) and e.get("text")]
        entries.sort(key=lambda e: (str(e.get("module", "")), str(e.get("saved", ""))))
        lines = [self._("My reflections"), self._("Course: {course}").format(course=self.course_key()),
                 self._("Downloaded: {date}").format(date=dt.date.today().isoformat()), ""]
        if not entries:
            lines.append(self._("You have not saved any reflections in this course yet."))
        module = None
        for entry in entries:
            if entry.get("module") != module:
                module = entry.get("module")
                lines += ["", f"== {module} ==", ""]
            lines += [str(entry.get("prompt", "")), "",
                      self._("Saved {when}").format(when=entry.get("saved", "")), "",
                      str(entry["text"]), "", "----", ""]
        body = "\r\n".join("\n".join(lines).split("\n")) + "\r\n"
        slug = re.sub(r"[^A-Za-z0-9]+", "-", self.course_key()).strip("-")[:60] or "course"
        return Response(body=body.encode("utf-8"), content_type="text/plain", charset="utf-8",
                        content_disposition=f'attachment; filename="reflections-{slug}.txt"',
                        cache_control="no-store")
