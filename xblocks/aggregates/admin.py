"""Django admin for our tables that shows counts, not people: per course and check, how many
learners (and, apart, staff) have a row. No list of rows, no row page, no edits: who answered
what is nobody's business, and the confidence check's anonymity floor must hold here too."""
from __future__ import annotations

from django.contrib import admin
from django.db.models import Count, Q
from django.template.response import TemplateResponse
from django.urls import path

from .models import CheckVerdict, ConfidenceRating, SharedItem


def counts(model) -> list[dict]:
    """Per course and check: learners and staff with a row (no learner keys)."""
    rows = (model.objects.values("course_key", "check_key")
            .annotate(learners=Count("id", filter=Q(staff=False)), staff_rows=Count("id", filter=Q(staff=True)))
            .order_by("course_key", "check_key"))
    return [dict(r) for r in rows]


class CountsOnlyAdmin(admin.ModelAdmin):
    """The changelist becomes a table of counts; every other admin page is gone."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [path("", self.admin_site.admin_view(self.changelist_view), name="%s_%s_changelist" % info)]

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_permission(request):
            from django.core.exceptions import PermissionDenied  # pylint: disable=import-outside-toplevel
            raise PermissionDenied
        context = {**self.admin_site.each_context(request), "opts": self.opts, "rows": counts(self.model),
                   "title": f"{self.opts.verbose_name_plural.capitalize()}: counts"}
        return TemplateResponse(request, "commonground/admin_counts.html", context)


admin.site.register(ConfidenceRating, CountsOnlyAdmin)
admin.site.register(CheckVerdict, CountsOnlyAdmin)
admin.site.register(SharedItem, CountsOnlyAdmin)
