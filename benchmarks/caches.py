"""Emptying the project's content caches, so a "cold" measurement pays for parsing and rendering.

The project caches rendered Markdown (``functools.lru_cache``), rendered pages and parsed blocks
(module-level dictionaries and cache objects). Rather than name them, which would tie the
benchmark to other people's code, every cache found in the project's own modules is emptied,
except the one-off set-up ones (``lru_cache(maxsize=1)``: Jinja environments), which a running
process builds once and never again. (``scorm_export.package._player``, the player's own files
compressed once per process while their bytes are the same, is left too: a batch export pays for
it once, not per module; the content's compressed members, ``coursepack.archive._member_cache``,
are emptied with the rest.)
"""
from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def project_modules():
    """Imported modules whose source is in this checkout (not the virtualenv, not benchmarks)."""
    for name, module in list(sys.modules.items()):
        file = getattr(module, "__file__", None) or ""
        if file.startswith(str(REPO)) and "site-packages" not in file and not name.startswith("benchmarks"):
            yield module


def clear_content_caches() -> int:
    """Empty every content cache of the project; how many were emptied."""
    emptied = 0
    for module in project_modules():
        for name, value in list(vars(module).items()):
            if isinstance(value, type):
                continue
            if callable(getattr(value, "cache_clear", None)) and callable(getattr(value, "cache_info", None)):
                if (value.cache_info().maxsize or 2) > 1:
                    value.cache_clear()
                    emptied += 1
            elif type(value).__name__.endswith("Cache") and callable(getattr(value, "clear", None)):
                value.clear()
                emptied += 1
            elif isinstance(value, dict) and "cache" in name.lower():
                value.clear()
                emptied += 1
    return emptied
