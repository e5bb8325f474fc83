"""``scripts/bench --profile``: where the time of a measured run went, from cProfile.

A worker given ``profile=<file>`` runs its measured part under ``cProfile`` once more (not
counted in the figures: profiling slows everything) and writes the statistics there; the bench
prints the top entries of each after its table. Quote a function's share of the profile, not
its seconds: on a busy machine every second stretches, the shares much less. (cProfile's own
clock is used: a CPU-time clock is a system call per event, which inflates many-call functions.)
"""
from __future__ import annotations

import sys
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TOP = 25

_profiler = None


def start(path: str | None) -> None:
    """Profile the ``measured()`` parts of this process, for ``finish`` to write to ``path``.
    (cProfile is imported only then: a measured cold build must find nothing imported for it.)"""
    global _profiler
    if path:
        import cProfile
        _profiler = cProfile.Profile()


@contextmanager
def measured():
    """The part of a worker's run that its figure measures (no-op unless profiling)."""
    if _profiler is None:
        yield
        return
    _profiler.enable()
    try:
        yield
    finally:
        _profiler.disable()


def finish(path: str | None) -> None:
    if _profiler is not None and path:
        _profiler.dump_stats(path)


def _where(file: str) -> str:
    """A short name for a source file: relative to the checkout or to site-packages."""
    import sysconfig
    for root in (str(REPO), sysconfig.get_paths()["purelib"], sysconfig.get_paths()["stdlib"]):
        if file.startswith(root + "/"):
            return file[len(root) + 1:]
    return file


def label(func: tuple) -> str:
    file, line, name = func
    if file == "~":                      # a built-in: '{method 'join' of 'str' objects}'
        return name
    return f"{_where(file)}:{line}({name})"


def entries(path: str | Path) -> tuple[float, list[tuple[str, int, float, float]]]:
    """(total seconds, [(function, calls, own seconds, cumulative seconds)])."""
    import pstats
    stats = pstats.Stats(str(path))
    rows = [(label(func), nc, tt, ct) for func, (_, nc, tt, ct, _) in stats.stats.items()]
    return stats.total_tt, rows


def share(path: str | Path, match: str, *, cumulative: bool = True) -> float:
    """The share of the profile (0-1) spent in functions whose label contains ``match``
    (the largest cumulative one, or the sum of their own time)."""
    total, rows = entries(path)
    found = [r for r in rows if match in r[0]]
    if not found or not total:
        return 0.0
    return (max(r[3] for r in found) if cumulative else sum(r[2] for r in found)) / total


def top(path: str | Path, title: str, n: int = TOP) -> str:
    """The top ``n`` entries by cumulative and by own time, with their share of the total."""
    total, rows = entries(path)
    lines = [f"profile: {title} — {total:.3f} s under cProfile (shares of that total)"]
    for heading, key in (("cumulative", 3), ("own time", 2)):
        lines.append(f"  by {heading}:")
        lines.append(f"  {'share':>6} {'cum s':>8} {'own s':>8} {'calls':>8}  function")
        for name, calls, own, cum in sorted(rows, key=lambda r: -r[key])[:n]:
            value = cum if key == 3 else own
            lines.append(f"  {value / total:6.1%} {cum:8.3f} {own:8.3f} {calls:8d}  {name}")
    return "\n".join(lines)


if __name__ == "__main__":                  # python -m benchmarks.profile FILE [N]
    print(top(sys.argv[1], sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else TOP))
