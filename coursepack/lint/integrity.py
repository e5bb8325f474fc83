"""Content integrity: suicide safety in scenarios, one content note per page, one name per
made-up person.

A scenario in which someone sounds hopeless must show a worker asking directly about suicide
(content brief 9a), on a page with a content note: a pack that models not asking is unsafe.
A page that shows two content notes (the module's front-matter note, which the shell shows on the
first page, and a ``::: content-note`` block) says the same warning twice and buries the page.
A composite or scenario character whose name turns up in another module reads as the same
person, so each name belongs to one module.
"""
from __future__ import annotations

import re

from ..model import Callout, Scenario

# An italic line that says who is made up: "*Morag and Craig are fictional people.*",
# "*This story is fictional. Lewis and Priya are not real people.*"
FICTION = re.compile(r"\*([^*]*(?:fictional|not real people)[^*]*)\*")
COMPOSITE = re.compile(r'\bby="([A-Z][a-z]+)\b[^"]*composite')
NAME = re.compile(r"\b[A-Z][a-z]+\b")
NOT_NAMES = {"This", "The", "These", "Story", "You", "Staff", "All", "People", "They"}
HOPELESS = re.compile(r"hopeless|what[’']s the point|see the point|can[’']t go on", re.I)
ASKS = re.compile(r"are you thinking about suicide", re.I)


def check(ctx) -> None:
    for module in ctx.result.pack.modules:
        for n, page in enumerate(module.pages):
            notes = [e for e in page.elements if isinstance(e, Callout) and e.style == "content-note"]
            shown = len(notes) + (1 if n == 0 and module.content_note else 0)
            for scenario in (e for e in page.elements if isinstance(e, Scenario)):
                _suicide_safety(ctx, module, page, scenario, shown)
            if shown > 1:
                ctx.diags.warn(page.file or module.path, page.line, "two-content-notes",
                               f"page '{page.id}' shows {shown} content notes",
                               "keep one: the front matter's content_note is already shown on the first page"
                               if n == 0 and module.content_note else "keep one content note per page")
    _names(ctx)


def _suicide_safety(ctx, module, page, scenario, notes: int) -> None:
    texts = [scenario.title] + [s.text for s in scenario.steps] + [c.text for s in scenario.steps for c in s.choices]
    if not any(HOPELESS.search(t) for t in texts):
        return
    file = page.file or module.path
    if not any(ASKS.search(t) for t in texts):
        ctx.diags.error(file, scenario.line, "suicide-not-asked",
                        f"in scenario '{scenario.id}' someone sounds hopeless, but no step asks "
                        "\"Are you thinking about suicide?\"",
                        "show the worker asking directly and acting on the answer (content brief 9a)")
    if not notes:
        ctx.diags.warn(file, page.line, "suicide-no-content-note",
                       f"page '{page.id}' has a scenario about hopelessness but no content note",
                       "add a '::: content-note' block at the top of the page")


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
