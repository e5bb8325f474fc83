"""Running a pack's builders: what ``commonground build`` does once the pack is loaded.

Builders plug in as ``commonground.builders`` entry points (a name and a ``build(result,
out_dir)`` callable), so this module never names a delivery. Every module's pages are rendered
once first, for all the builders that show whole modules (``render.shows_modules``), then each
builder writes its own folder, ``out/<name>``.

Given more than one process (a one-shot build: ``commonground build``), the builders run in
forked worker processes, as many at a time as there are cores: each starts from the rendered
pack and writes only its own folder, so the bytes are those of a build in one process. A process
that builds again later (the preview, a warm rebuild) runs them in itself, where their caches
of what they built stay for the next time.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

from .diagnostics import Diagnostic, PackError
from .load import LoadResult
from .processes import fork_map


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


def run(result: LoadResult, out: Path, builders: dict[str, Callable], processes: int = 1) -> Iterator[Outcome]:
    """Each builder (name → callable) into ``out/<name>``, in name order, spread over up to
    ``processes`` forked processes; outcomes in name order, each as soon as it is known."""
    names = sorted(builders)

    def one(name: str) -> Outcome:
        started = time.perf_counter()
        try:
            summary = builders[name](result, out / name)
        except PackError as exc:         # a builder's own check (e.g. an image) refused
            return Outcome(name, seconds=time.perf_counter() - started, refused=list(exc.diagnostics))
        return Outcome(name, summary, time.perf_counter() - started)

    yield from fork_map(one, names, processes)
