"""``commonground lint``: the loader's structural problems plus the authoring checks.

Each check module exposes ``check(ctx)`` and adds diagnostics with its own codes. They read the
raw numbered lines kept by the loader, so every finding has a file and a line. Every code, the
loader's too, is listed with its meaning in ``codes.CODES``, which ``lint --help`` prints.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from ..diagnostics import Diagnostic, Diagnostics
from ..load import LoadResult, load_pack
from . import accessibility, governance, guide, integrity, language, readability, suicide

CHECKS = [governance, guide, language, readability, accessibility, integrity, suicide]


@dataclass
class LintContext:
    result: LoadResult
    diags: Diagnostics
    today: dt.date


def lint(root: str | Path, today: dt.date | None = None) -> tuple[LoadResult, list[Diagnostic]]:
    result = load_pack(root)
    diags = Diagnostics()
    diags.extend(result.diagnostics)
    if result.pack is not None:
        ctx = LintContext(result, diags, today or dt.date.today())
        for check in CHECKS:
            check.check(ctx)
    return result, diags.sorted()
