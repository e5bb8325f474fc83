"""Counts the authoring guide states: a module has 3 to 5 learning outcomes.

The loader accepts a wider range so that a draft still builds for preview; lint holds the
module to the guide, and says so at the 'outcomes:' line.
"""
from __future__ import annotations

OUTCOMES = (3, 5)


def check(ctx) -> None:
    low, high = OUTCOMES
    for module in ctx.result.pack.modules:
        n = len(module.outcomes)
        if not low <= n <= high:
            line = ctx.result.sources[module.id].front_lines.get("outcomes", 1)
            ctx.diags.error(module.path, line, "outcome-count",
                            f"module '{module.id}' has {n} learning outcome(s); the guide asks for {low} to {high}",
                            "one '- outcome' line each, saying what a learner will be able to do")
