"""Content integrity: one content note per page, one name per made-up person (suicide safety in
scenarios, which also counts a page's content notes, is in ``suicide.py``).

A page that shows two content notes (the module's front-matter note, which the shell shows on the
first page, and a ``::: content-note`` block) says the same warning twice and buries the page.
A composite or scenario character whose name turns up in another module reads as the same
person, so each name belongs to one module.
"""
from __future__ import annotations

import re

from ..model import Callout

# An italic line that says who is made up: "*Morag and Craig are fictional people.*",
# "*This story is fictional. Lewis and Priya are not real people.*"
FICTION = re.compile(r"\*([^*]*(?:fictional|not real people)[^*]*)\*")
COMPOSITE = re.compile(r'\bby="([A-Z][a-z]+)\b[^"]*composite')
NAME = re.compile(r"\b[A-Z][a-z]+\b")
NOT_NAMES = {"This", "The", "These", "Story", "You", "Staff", "All", "People", "They"}


def notes_shown(module, n: int, page) -> int:
    """How many content notes the ``n``-th page of ``module`` shows: its ``::: content-note``
    blocks, and on the first page the front matter's ``content_note``."""
    notes = [e for e in page.elements if isinstance(e, Callout) and e.style == "content-note"]
    return len(notes) + (1 if n == 0 and module.content_note else 0)


def check(ctx) -> None:
    for module in ctx.result.pack.modules:
        for n, page in enumerate(module.pages):
            shown = notes_shown(module, n, page)
            if shown > 1:
                ctx.diags.warn(page.file or module.path, page.line, "two-content-notes",
                               f"page '{page.id}' shows {shown} content notes",
                               "keep one: the front matter's content_note is already shown on the first page"
                               if n == 0 and module.content_note else "keep one content note per page")
    _names(ctx)


def characters(lines) -> dict[str, object]:
    """Made-up people a module introduces, each with the line that introduces them."""
    found: dict[str, object] = {}
    for line in lines:
        spans = [m.group(1) for m in FICTION.finditer(line.text)]
        names = [n for s in spans for n in NAME.findall(s) if n not in NOT_NAMES]
        names += COMPOSITE.findall(line.text)
        for name in names:
            found.setdefault(name, line)
    return found


def _names(ctx) -> None:
    owner: dict[str, str] = {}
    sources = ctx.result.sources
    modules = ctx.result.pack.modules
    for module in modules:
        for name in characters(sources[module.id].lines):
            owner.setdefault(name, module.id)
    for module in modules:
        for name, first in owner.items():
            if first == module.id:
                continue
            word = re.compile(rf"\b{name}\b")
            hit = next((line for line in sources[module.id].lines if word.search(line.text)), None)
            if hit is not None:
                ctx.diags.warn(hit.file, hit.no, "character-name-reused",
                               f"the name '{name}' is already a made-up person in module '{first}'",
                               "give each composite or scenario character a name used in one module only")
