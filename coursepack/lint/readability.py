"""Readability: pages whose estimated reading age is above the pack's target.

A warning, not an error: the formula counts syllables and sentence length, not meaning, so it
points an author at the hardest pages rather than passing or failing them.
"""
from __future__ import annotations

from ..readability import page_text, reading_age


def check(ctx) -> None:
    target = ctx.result.pack.reading_age_target
    for module in ctx.result.pack.modules:
        for page in module.pages:
            age = reading_age(page_text(page))
            if age > target:
                ctx.diags.warn(page.file or module.path, page.line, "reading-age",
                               f"page '{page.id}' has a reading age of about {age:g} (the pack aims for {target:g})",
                               "use shorter sentences and common words; one idea per sentence")
