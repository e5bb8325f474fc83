"""The one table ``scripts/bench`` prints: a Markdown table, so the README can quote it as is.

Every row has a measure, a value (always with a number, or "skipped: why"), and where there is
one the baseline measured in the same run, the ratio to it, the target and whether it was met.
"""
from __future__ import annotations

import os
import platform
import statistics
from dataclasses import dataclass
from pathlib import Path

COLUMNS = ("measure", "value", "baseline", "ratio", "target", "met", "notes")


@dataclass
class Row:
    measure: str
    value: str
    baseline: str = ""
    ratio: str = ""
    target: str = ""
    met: bool | None = None     # None: no target, or skipped
    note: str = ""

    def cells(self) -> list[str]:
        met = "" if self.met is None else ("yes" if self.met else "**no**")
        return [self.measure, self.value, self.baseline, self.ratio, self.target, met, self.note]


def skipped(measure: str, reason: str, target: str = "") -> Row:
    return Row(measure, f"skipped: {reason}", target=target)


def table(rows: list[Row]) -> str:
    """A Markdown table with padded columns (readable as plain text too)."""
    cells = [list(COLUMNS)] + [[c.replace("|", "\\|") for c in r.cells()] for r in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(COLUMNS))]
    lines = ["| " + " | ".join(c.ljust(w) for c, w in zip(row, widths)) + " |" for row in cells]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


# -- formatting -------------------------------------------------------------------------------

def secs(s: float) -> str:
    """Milliseconds below a second, seconds above."""
    if s < 0.01:
        return f"{s * 1000:.2f} ms"
    if s < 1:
        return f"{s * 1000:.0f} ms"
    return f"{s:.2f} s"


def size(n: float) -> str:
    return f"{n / 1024:.1f} KB" if n < 1024 * 1024 else f"{n / 1024 / 1024:.2f} MB"


def ratio(a: float, b: float) -> str:
    return f"{a / b:.1f}×" if b else "n/a"


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100), the plain definition for small samples."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * p // 100))
    return ordered[int(rank) - 1]


def median(values) -> float:
    return statistics.median(list(values))


# -- the machine ------------------------------------------------------------------------------

def machine() -> str:
    """Cores, CPU model, memory, OS and Python: figures mean little without them."""
    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        model = next((line.split(":", 1)[1].strip() for line in cpuinfo.read_text().splitlines()
                      if line.startswith("model name")), "")
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.is_file():
        kb = int(meminfo.read_text().split()[1])
        memory = f", {kb / 1024 / 1024:.0f} GB RAM"
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return (f"{cores} cores{f' ({model})' if model else ''}{memory}, "
            f"{platform.system()} {platform.release()}, Python {platform.python_version()}")


def load() -> str:
    """The 1-minute load average: other work on the machine skews every figure."""
    return f"{os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else "n/a"


def busy(load_at_start: str) -> str:
    """A warning when other work had the machine busy: wall times then mean little."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    peak = max(float(x) for x in (load_at_start, load()) if x != "n/a") if hasattr(os, "getloadavg") else 0
    if peak <= cores:
        return ""
    return (f"note: the machine was busy (load average up to {peak:.1f} on {cores} cores): wall times "
            "include waiting for a CPU; the CPU times in the notes are what the work itself took.")
