"""A reporting period: whole months, from ``--since`` to ``--until`` (either may be open)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Period:
    since: dt.date | None = None      # the first day of the first month
    until: dt.date | None = None      # the last day of the last month
    label: str = "all dates"

    def holds(self, day: dt.date | None) -> bool:
        """Whether a day is in the period; an undated record only counts when all dates do."""
        if day is None:
            return self.since is None and self.until is None
        return (self.since is None or day >= self.since) and (self.until is None or day <= self.until)

    def overlaps(self, other: "Period") -> bool:
        lo = max(self.since or dt.date.min, other.since or dt.date.min)
        hi = min(self.until or dt.date.max, other.until or dt.date.max)
        return lo <= hi
