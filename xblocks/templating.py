"""The blocks' own Jinja2 templates (``xblocks/templates``: the student view's frame, staff
summaries, the moderated items' lists), autoescaped."""
from __future__ import annotations

import functools

from jinja2 import Environment, PackageLoader, select_autoescape


@functools.lru_cache(maxsize=1)
def templates() -> Environment:
    return Environment(loader=PackageLoader("xblocks", "templates"),
                       autoescape=select_autoescape(default=True, default_for_string=True),
                       trim_blocks=True, lstrip_blocks=True)
