"""Governance: content past its review date, or with no sources, must not reach learners."""
from __future__ import annotations

import datetime as dt

WARN_DAYS = 30


def check(ctx) -> None:
    for module in ctx.result.pack.modules:
        lines = ctx.result.sources[module.id].front_lines
        if module.review_due < ctx.today:
            ctx.diags.error(module.path, lines.get("review_due", 1), "review-overdue",
                            f"module '{module.id}' was due for review on {module.review_due}",
                            "have it reviewed, then update reviewed_on and review_due")
        elif module.review_due - ctx.today <= dt.timedelta(days=WARN_DAYS):
            ctx.diags.warn(module.path, lines.get("review_due", 1), "review-due-soon",
                           f"module '{module.id}' is due for review on {module.review_due}",
                           "plan its review now")
        if module.reviewed_on > ctx.today:
            ctx.diags.error(module.path, lines.get("reviewed_on", 1), "review-in-future",
                            f"reviewed_on {module.reviewed_on} is in the future")
        if module.review_due <= module.reviewed_on:
            ctx.diags.error(module.path, lines.get("review_due", 1), "review-dates",
                            "review_due must come after reviewed_on")
        if not module.sources:
            ctx.diags.error(module.path, lines.get("sources", 1), "no-sources",
                            f"module '{module.id}' names no sources",
                            "list every source under 'sources:' with title, publisher and year")
