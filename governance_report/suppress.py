"""Small-number suppression that holds when a reader does sums.

A figure about fewer than ``k`` learners (5, or the pack's ``min_learners`` if higher) is not
shown: it reads "fewer than 5". That alone is not enough: where a table shows a total and all
but one of its parts, the missing part is the total minus the others. So the figures of a table
are kept with the sums that hold between them (``Grid.line``: a total and its parts), and more
cells are hidden ("not shown") until no hidden figure can be worked out from the shown ones:
- by one subtraction (a line with one hidden member);
- from the bounds a reader knows (a "fewer than 5" cell is 0 to 4, a "not shown" one is 5 or
  more, since every count under 5 is already hidden): a line whose hidden parts must add up to
  their smallest or largest possible sum pins each of them;
- by any combination of subtractions over several lines (linear algebra: a hidden figure is
  recoverable exactly when it lies in the row space of the lines' equations).
The extra cells hidden are the smallest shown in the line, so the least is lost.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Hashable

FLOOR = 5                       # never fewer: an LMS's staff could otherwise read individuals
PRIME = (1 << 61) - 1           # rank over a large prime field (exact for these 0/±1 equations)


def threshold(min_learners: int | None) -> int:
    """The fewest learners a shown figure may be built from: the pack's, never below 5."""
    return max(FLOOR, int(min_learners or FLOOR))


@dataclass
class Grid:
    """Counts by key, and the lines "total = sum of parts" a reader could use."""
    k: int = FLOOR
    values: dict[Hashable, int] = field(default_factory=dict)
    lines: list[tuple[Hashable, tuple[Hashable, ...]]] = field(default_factory=list)
    small: set = field(default_factory=set)         # fewer than k
    protect: set = field(default_factory=set)       # hidden so that no small one can be worked out

    def add(self, key: Hashable, value: int) -> Hashable:
        self.values[key] = int(value)
        return key

    def line(self, total: Hashable, parts) -> None:
        parts = tuple(parts)
        if parts:
            self.lines.append((total, parts))

    def hidden(self, key: Hashable) -> bool:
        return key in self.small or key in self.protect

    def text(self, key: Hashable) -> str:
        if key in self.small:
            return f"fewer than {self.k}"
        if key in self.protect:
            return "not shown"
        return f"{self.values[key]:,}"

    def shown(self, key: Hashable) -> int | None:
        return None if self.hidden(key) else self.values[key]

    # -- working out what to hide -------------------------------------------------------------

    def suppress(self) -> "Grid":
        self.small = {key for key, v in self.values.items() if v < self.k}
        self.protect = set()
        while True:
            line = next((ln for ln in self.lines if self._exposed(ln)), None)
            if line is None:
                found = self._recoverable()
                if not found:
                    return self
                line = next((ln for ln in self.lines if found in (ln[0], *ln[1]) and self._open(ln)), None) \
                    or next((ln for ln in self.lines if self._open(ln) and any(self.hidden(m) for m in (ln[0], *ln[1]))), None)
                if line is None:
                    return self         # every line touching a hidden figure is hidden whole
            self.protect.add(self._cheapest(line))

    def _open(self, line) -> list:
        total, parts = line
        return [m for m in (*parts, total) if not self.hidden(m)]

    def _cheapest(self, line) -> Hashable:
        """The shown member to hide: the smallest part, or the total if every part is hidden."""
        total, parts = line
        open_parts = [m for m in parts if not self.hidden(m)]
        return min(open_parts, key=lambda m: self.values[m]) if open_parts else total

    def _exposed(self, line) -> bool:
        """Whether one line gives a hidden member away: by one subtraction, or by the bounds."""
        total, parts = line
        hid = [m for m in (total, *parts) if self.hidden(m)]
        if not hid or not self._open(line):
            return False
        if len(hid) == 1:
            return True
        if self.hidden(total):
            return False
        rest = self.values[total] - sum(self.values[m] for m in parts if not self.hidden(m))
        low = sum(self.k for m in hid if m in self.protect)
        high = None if any(m in self.protect for m in hid) else (self.k - 1) * len(hid)
        return rest == low or rest == high

    def _recoverable(self) -> Hashable | None:
        """A hidden member some combination of the lines gives exactly, or None."""
        hidden = [key for key in self.values if self.hidden(key)]
        if not hidden:
            return None
        column = {key: i for i, key in enumerate(hidden)}
        rows = []
        for total, parts in self.lines:
            row = {}
            for key, sign in ((total, -1), *((p, 1) for p in parts)):
                if key in column:
                    row[column[key]] = (row.get(column[key], 0) + sign) % PRIME
            row = {c: v for c, v in row.items() if v}
            if row:
                rows.append(row)
        for c in determined(rows, len(hidden)):
            return hidden[c]
        return None


def determined(rows: list[dict[int, int]], width: int) -> list[int]:
    """The unknowns a set of linear equations (sparse rows over GF(PRIME)) fixes: those whose
    pivot row, once reduced, has no other unknown in it."""
    pivots: dict[int, dict[int, int]] = {}
    for row in rows:
        row = dict(row)
        for c, prow in pivots.items():              # reduce by the pivots found so far
            if c in row:
                factor = row[c]
                for cc, v in prow.items():
                    row[cc] = (row.get(cc, 0) - factor * v) % PRIME
                row = {cc: v for cc, v in row.items() if v}
        if not row:
            continue
        c = min(row)
        inv = pow(row[c], PRIME - 2, PRIME)
        row = {cc: v * inv % PRIME for cc, v in row.items()}
        for other in pivots.values():               # keep the pivot rows fully reduced
            if c in other:
                factor = other[c]
                for cc, v in row.items():
                    other[cc] = (other.get(cc, 0) - factor * v) % PRIME
                for cc in [cc for cc, v in other.items() if not v]:
                    del other[cc]
        pivots[c] = row
    return sorted(c for c, row in pivots.items() if len(row) == 1)
