"""Content page: a run of a page's prose and callouts (content notes, lived experience, key
points, "take a pause" with the support lines), with the page's glossary. Completes on view."""
from __future__ import annotations

from xblock.fields import Boolean, Scope, String

from .base import CommonGroundBlock, _, display_name_field


class ContentPageBlock(CommonGroundBlock):
    """``cg_page``: Markdown prose and callouts, rendered and sanitised by coursepack."""

    kind = "page"
    markdown_help = _("Prose and callouts (::: key-point, ::: lived-experience, ::: content-note, ::: pause). "
                      "Knowledge checks, reflections, scenarios and confidence checks are components of their own.")

    display_name = display_name_field(_("Content"))
    support_lines = String(display_name=_("Support lines"), scope=Scope.content, default="",
                           help=_("Shown in every 'take a pause' panel: a YAML list with name, contact, offers, "
                                  "and optionally hours and url, as in pack.yml."), enforce_type=True,
                           multiline_editor=True)
    show_title = Boolean(display_name=_("Show the display name as a heading"), scope=Scope.settings, default=False,
                         help=_("Open edX shows the unit's own title; use this where nothing else does."),
                         enforce_type=True)

    editable_fields = ("display_name", "content", "glossary", "support_lines", "module", "module_title")
    source_fields = (*CommonGroundBlock.source_fields, "support_lines")

    def heading(self) -> str:
        return self.display_name if self.show_title else ""

    def element_data(self) -> dict:
        return {"html": str(self.body_html())}
