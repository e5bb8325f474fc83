"""``lint --fix``: write the ids the parser suggested back into the author's files, and the
lines the loader found control characters in without them."""
from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from .parse import Fix


def apply_fixes(fixes: list[Fix], base: Path | None = None) -> int:
    """Apply fixes whose line still reads as it did; return how many were written."""
    by_file: dict[str, list[Fix]] = defaultdict(list)
    for fix in fixes:
        by_file[fix.file].append(fix)
    written = 0
    for name, file_fixes in by_file.items():
        path = (base / name) if base else Path(name)
        text = path.read_text(encoding="utf-8")
        lines = text.split("\n")
        for fix in file_fixes:
            if 0 < fix.no <= len(lines) and lines[fix.no - 1].rstrip("\r") == fix.old.rstrip("\r"):
                lines[fix.no - 1] = fix.new
                written += 1
        path.write_text("\n".join(lines), encoding="utf-8")
    return written
