"""``commonground lint``: the loader's structural problems plus the authoring checks.

Each check module exposes ``check(ctx)`` and adds diagnostics with its own codes. They read the
raw numbered lines kept by the loader, so every finding has a file and a line. Every code, the
loader's too, is listed with its meaning in ``codes.CODES``, which ``lint --help`` prints.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from ..diagnostics import Diagnostic, Diagnostics
from ..load import MODULE_DIR, LoadResult, discover_modules, display_base, load_pack, module_files
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


class NotAModule(ValueError):
    """A path given to lint as one module that is no module of any pack (the message says why)."""


def pack_of(path: str | Path) -> Path | None:
    """The pack a module's file or folder is in: the nearest folder above it holding pack.yml."""
    return next((f for f in Path(path).resolve().parents if (f / "pack.yml").is_file()), None)


def lint_module(path: str | Path, today: dt.date | None = None) -> tuple[Path, LoadResult, list[Diagnostic]]:
    """One module (its file, or a folder module or one of its files), checked in its pack's
    context (glossary, sources, ids across modules): (pack folder, result, the module's own
    problems, its fixes alone). When the pack itself does not load, every problem is kept:
    those come first."""
    root = pack_of(path)
    if root is None:
        raise NotAModule(f"{path} is not in a pack: no pack.yml in its folder or any folder above "
                         "(give the pack folder, or put the module in a pack's modules folder)")
    target = Path(path).resolve()
    module = next((m for m in discover_modules(root)
                   if target == m.resolve() or target in {f.resolve() for f in module_files(m)}), None)
    if module is None:
        raise NotAModule(f"{path} is not a module of the pack in {root} "
                         f"(its modules are the .md files and folders in {root / MODULE_DIR})")
    result, found = lint(root, today)
    if result.pack is None:
        return root, result, found
    base = display_base(root)
    mine = {f.resolve() for f in module_files(module)}
    fixes = [f for f in result.fixes if (base / f.file).resolve() in mine]
    return root, dataclasses.replace(result, fixes=fixes), [d for d in found if (base / d.file).resolve() in mine]
