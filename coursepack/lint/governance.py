"""Governance: content past its review date, or with no sources, must not reach learners.

The release gate lives here too. ``release_problems`` lists what still needs a person's
sign-off before learners may see the pack: a module whose reviewer is still a draft, a review
date that has passed, a support line flagged for checking. ``commonground lint`` reports them
as warnings (an author can keep working); ``commonground build --release`` refuses to build
while any remain.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..diagnostics import Diagnostic, Diagnostics
from ..load import LoadResult, _display

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
    # An overdue review is already an error above; the rest of the gate is a warning here.
    for d in release_problems(ctx.result, ctx.today):
        if d.code != "release-review-overdue":
            ctx.diags.warn(d.file, d.line, d.code, d.message, d.hint)


def release_problems(result: LoadResult, today: dt.date) -> list[Diagnostic]:
    """Everything that must be signed off before a release build, one diagnostic each."""
    found = Diagnostics()
    pack = result.pack
    for module in pack.modules:
        lines = result.sources[module.id].front_lines
        if module.review_is_draft:
            found.error(module.path, lines.get("reviewed_by", 1), "release-draft-review",
                        f"module '{module.id}' has no named clinical reviewer yet (reviewed_by says draft)",
                        "a named reviewer must approve it; then write their name and role in reviewed_by")
        if module.review_due < today:
            found.error(module.path, lines.get("review_due", 1), "release-review-overdue",
                        f"module '{module.id}' was due for review on {module.review_due}",
                        "have it reviewed, then update reviewed_on and review_due")
    pack_file = Path(pack.root) / "pack.yml"
    flag_lines = _flag_lines(pack_file)
    flagged = [s for s in pack.support_lines if s.check_before_publishing]
    display = _display(pack_file, Path(pack.root))
    for n, line in enumerate(flagged):
        found.error(display, flag_lines[n] if n < len(flag_lines) else 1, "release-unverified-line",
                    f"support line '{line.name}' is flagged: {line.check_before_publishing}",
                    "check it with the service, update checked_on, then remove check_before_publishing")
    return found.sorted()


def _flag_lines(pack_file: Path) -> list[int]:
    """Line numbers of the publisher flags in pack.yml, in file order (for file:line messages)."""
    try:
        text = pack_file.read_text(encoding="utf-8").splitlines()
    except OSError:
        return []
    return [n for n, t in enumerate(text, 1) if t.strip().startswith("check_before_publishing:")]

