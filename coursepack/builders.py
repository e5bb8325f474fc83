"""Running a pack's builders: what ``commonground build`` does once the pack is loaded.

Builders plug in as ``commonground.builders`` entry points (a name and a ``build(result,
out_dir)`` callable), so this module never names a delivery. Every module's pages are rendered
once first, for all the builders that show whole modules (``render.shows_modules``), then each
builder writes its own folder, ``out/<name>``.

Given more than one process (a one-shot build: ``commonground build``), the builders run in
forked worker processes, as many at a time as there are cores: each starts from the rendered
pack and writes only its own folder, so the bytes are those of a build in one process. A process
that builds again later (the preview, a warm rebuild) runs them in itself, where their caches
of what they built stay for the next time. A builder that reuses what another makes
(``builds_on``) runs after it, in its process.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator, TypeVar

from .diagnostics import Diagnostic, PackError
from .load import LoadResult
from .processes import fork_map

B = TypeVar("B", bound=Callable)


@dataclass
class Outcome:
    """What one builder did: its summary line and seconds, or the problems that refused it."""
    name: str
    summary: str = ""
    seconds: float = 0.0
    refused: list[Diagnostic] | None = None


def render_first(result: LoadResult, builders: dict[str, Callable], processes: int | None = None) -> tuple[int, int]:
    """Render every module's pages when a builder shows whole modules; (modules, processes)."""
    if not any(getattr(b, "shows_modules", False) for b in builders.values()):
        return 0, 1
    from .render import keep_compiled_templates, render_modules
    keep_compiled_templates()
    return render_modules(result.pack, processes=processes)


def builds_on(name: str) -> Callable[[B], B]:
    """Mark a builder (a ``commonground.builders`` entry point) that reuses what builder ``name``
    makes through that one's caches (the Moodle backup holds the SCORM 1.2 packages): when both
    are built, it runs after ``name`` in the same process and finds the work done. Run apart,
    each made it all: the backup's packages cost the build about 3 s of CPU in 500 modules."""
    def mark(builder: B) -> B:
        builder.builds_on = name
        return builder
    return mark


def _groups(builders: dict[str, Callable]) -> list[tuple[str, ...]]:
    """The builders' names as the pieces of work ``run`` shares out, in name order: each alone,
    but one that ``builds_on`` another being built goes after that one, in its piece."""
    def first(name: str) -> tuple[str, int]:       # the builder it comes after, and how far down
        seen = [name]
        while (base := getattr(builders[seen[-1]], "builds_on", None)) in builders and base not in seen:
            seen.append(base)
        return seen[-1], len(seen)

    groups: dict[str, list[str]] = {}
    for name in sorted(builders, key=lambda n: (first(n)[1], n)):
        groups.setdefault(first(name)[0], []).append(name)
    return [tuple(names) for _, names in sorted(groups.items())]


def run(result: LoadResult, out: Path, builders: dict[str, Callable], processes: int = 1) -> Iterator[Outcome]:
    """Each builder (name → callable) into ``out/<name>``, spread over up to ``processes``
    forked processes (``_groups``); outcomes in name order, each as soon as it and every one
    named before it are known."""
    def one(name: str) -> Outcome:
        started = time.perf_counter()
        try:
            summary = builders[name](result, out / name)
        except PackError as exc:         # a builder's own check (e.g. an image) refused
            return Outcome(name, seconds=time.perf_counter() - started, refused=list(exc.diagnostics))
        return Outcome(name, summary, time.perf_counter() - started)

    waiting = sorted(builders)
    known: dict[str, Outcome] = {}
    for outcomes in fork_map(lambda names: [one(name) for name in names], _groups(builders), processes):
        known.update((o.name, o) for o in outcomes)
        while waiting and waiting[0] in known:
            yield known.pop(waiting.pop(0))
