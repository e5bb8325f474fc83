"""Content page: a run of a page's prose and callouts (content notes, lived experience, key
points, "take a pause" with the support lines), with the page's glossary. Completes on view.

A page that holds a record of learning (``::: learning-record``) also gives its learner their
record (``learning_record``): what the module is (``facts``, the same for everyone, written by
the course build) and their own reflections in the module, which the widget turns into a
printable page and a Word document in their browser. Only that learner gets it: course staff,
staff viewing as a learner and Studio's preview get a 403, so nobody reads another person's
reflections through it. Reflections are kept by the reflection blocks, in one per-learner
preference shared by all of them (``reflection.py``), so the page reads them through the
module's reflection blocks, in course order.
"""
from __future__ import annotations

from xblock.fields import Boolean, Dict, Scope

from coursepack.plaintext import plain_text

from .base import CommonGroundBlock, _, display_name_field, source_text_field
from .handlers import Invalid, expect_keys, json_handler

RECORD = "learning_record"        # the kind whose widget asks for the learner's record


class ContentPageBlock(CommonGroundBlock):
    """``cg_page``: Markdown prose and callouts, rendered and sanitised by coursepack."""

    kind = "page"
    markdown_help = _("Prose and callouts (::: key-point, ::: lived-experience, ::: content-note, ::: pause, "
                      "::: learning-record). Knowledge checks, reflections, scenarios and confidence checks are "
                      "components of their own.")

    display_name = display_name_field(_("Content"))
    support_lines = source_text_field(_("Support lines"),
                                      _("Shown in every 'take a pause' panel: a YAML list with name, contact, "
                                        "offers, and optionally hours and url, as in pack.yml."))
    show_title = Boolean(display_name=_("Show the display name as a heading"), scope=Scope.settings, default=False,
                         help=_("Open edX shows the unit's own title; use this where nothing else does."),
                         enforce_type=True)
    # {kind name: what its widget needs of the module and pack}: coursepack.elements.facts_of
    facts = Dict(scope=Scope.settings, default={}, enforce_type=True)

    editable_fields = ("display_name", "content", "glossary", "support_lines", "module", "module_title")
    source_fields = (*CommonGroundBlock.source_fields, "support_lines")

    def heading(self) -> str:
        return self.display_name if self.show_title else ""

    def element_data(self) -> dict:
        return {"html": str(self.body_html())}

    def holds_record(self) -> bool:
        return self.parsed.ok and any(e.kind == RECORD for e in self.parsed.fragment.elements)

    def student_view_data(self, context=None):
        data = super().student_view_data(context)
        if self.holds_record():
            data.update(facts=dict(self.facts or {}), record=True)
        return data

    # -- the learner's record -----------------------------------------------------------------
    def module_blocks(self, wanted) -> list:
        """The blocks of this block's module for which ``wanted(block)`` is true, in course
        order: under its chapter in a course (the top of the tree elsewhere, as in the workbench)."""
        top = self
        for _step in range(8):
            parent = top.get_parent()
            if parent is None or top.scope_ids.block_type == "chapter":
                break
            top = parent
        found, todo = [], [top]
        while todo:
            block = todo.pop(0)
            if getattr(block, "module", None) == self.module and wanted(block):
                found.append(block)
            todo[:0] = [block.runtime.get_block(child) for child in getattr(block, "children", None) or ()]
        return found

    @json_handler
    def learning_record(self, data, suffix=""):  # pylint: disable=unused-argument
        """``{}``: this learner's record of the module, for their eyes only: the reflections
        they saved in it (in course order, each with its prompt; none invented for those they
        left blank) and where they stand in its knowledge checks (``resultText``, as a knowledge
        check of the module says it under itself; the LMS's progress page holds the grade)."""
        expect_keys(data, ())
        if not self.holds_record():
            raise Invalid("this page has no record of learning")
        if not self.records_learner_data() or self.is_staff():
            raise Invalid("a record of learning is only for the learner themselves: not in Studio's preview, "
                          "nor for course staff, nor when viewing the course as a learner", 403)
        reflections, checks = [], []
        for block in self.module_blocks(lambda b: b.scope_ids.block_type == "cg_reflection"
                                        or callable(getattr(b, "module_result", None))):
            if block.scope_ids.block_type != "cg_reflection":
                checks.append(block)
                continue
            text = block.saved_text(self.course_key()) if block.element is not None else None
            if text and text.strip():
                reflections.append({"prompt": plain_text(block.element.prompt), "text": text})
        result = None
        if checks:
            from .aggregates.api import verdicts_of  # pylint: disable=import-outside-toplevel  (needs Django set up)
            result = checks[0].module_result(verdicts_of(self.course_key(), self.learner_key(), self.module or "-"))
        return {"summary": None, "started": "", "reflections": reflections,
                "resultText": result["text"] if result else ""}
