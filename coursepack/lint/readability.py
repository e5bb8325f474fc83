"""Readability: pages whose estimated reading age is above the pack's target.

Each page gets two estimates, Flesch-Kincaid and SMOG (see ``coursepack.readability``); the
warning names both when either is above the target. A warning, not an error: the formulas count
syllables and sentence length, not meaning, so they point an author at the hardest pages rather
than passing or failing them.
"""
from __future__ import annotations

from ..readability import page_text, reading_age, smog_reading_age


def check(ctx) -> None:
    target = ctx.result.pack.reading_age_target
    for module in ctx.result.pack.modules:
        for page in module.pages:
            text = page_text(page)
            age, smog = reading_age(text), smog_reading_age(text)
            if max(age, smog) > target:
                ctx.diags.warn(page.file or module.path, page.line, "reading-age",
                               f"page '{page.id}' has a reading age of about {age:g} by Flesch-Kincaid "
                               f"and {smog:g} by SMOG (the pack aims for {target:g})",
                               "use shorter sentences and common words; one idea per sentence")
