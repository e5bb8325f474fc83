"""Timings: a session of 90 or 45 minutes as parts, each with its minutes, slides and leads.

The minutes follow what the room does on each slide (a discussion takes longer than a slide
that is read), shared out so the parts add up to the session's length exactly.
"""
from __future__ import annotations

from dataclasses import dataclass

from .material import BOTH, PARTNER, STAFF, Session, Slide

LENGTHS = (90, 45)
# Relative time a slide of each role takes in the room.
WEIGHTS = {"open": 3, "teach": 2, "voice": 3, "scenario": 5, "question": 4, "pair": 6, "check": 1,
           "pause": 1, "close": 4}
MIN_PART = 2
WHAT = {"teach": ("slide to talk through", "slides to talk through"),
        "voice": ("lived-experience voice", "lived-experience voices"),
        "scenario": ("scenario step decided as a group", "scenario steps decided as a group"),
        "question": ("discussion question", "discussion questions"),
        "pair": ("pair-work prompt (nobody has to share)", "pair-work prompts (nobody has to share)"),
        "check": ("private confidence check", "private confidence checks"),
        "pause": ("pause or content note", "pauses or content notes")}


@dataclass(frozen=True)
class Part:
    title: str
    minutes: int
    does: str
    lead: str
    slides: tuple[int, ...]
    partner_slides: tuple[int, ...] = ()


def _share(weights: list[int], total: int) -> list[int]:
    """``total`` minutes in proportion to ``weights`` (largest remainders), each at least MIN_PART."""
    whole = sum(weights) or 1
    raw = [max(MIN_PART, total * w / whole) for w in weights]
    scale = total / sum(raw)
    raw = [r * scale for r in raw]
    minutes = [int(r) for r in raw]
    for i in sorted(range(len(raw)), key=lambda i: (minutes[i] - raw[i], i))[:total - sum(minutes)]:
        minutes[i] += 1
    return minutes


def _does(slides: list[Slide]) -> str:
    counts = {}
    for s in slides:
        if s.role in WHAT:
            counts[s.role] = counts.get(s.role, 0) + 1
    parts = [f"{n} {WHAT[r][n != 1]}" for r, n in counts.items()]
    return (", ".join(parts[:-1]) + " and " + parts[-1]) if len(parts) > 1 else (parts[0] if parts else "")


def plan(s: Session, minutes: int) -> list[Part]:
    short = minutes < 90
    kept = [x for x in s.slides if x.core or not short]
    groups: list[tuple[str, list[Slide]]] = [("Welcome, ground rules and aims", [x for x in kept if x.role == "open"])]
    for section in s.module.sections:
        mine = [x for x in kept if x.section == section.title and x.role != "open" and x.role != "close"]
        if mine:
            groups.append((section.title, mine))
    groups.append(("Close and support", [x for x in kept if x.role == "close"]))
    shares = _share([sum(WEIGHTS.get(x.role, 2) for x in g) for _, g in groups], minutes)
    parts = []
    for (title, group), mins in zip(groups, shares):
        partner = tuple(x.number for x in group if x.lead == PARTNER)
        if title.startswith("Welcome"):
            does = "Welcome, introductions, ground rules, the content note and the session's aims"
        elif title.startswith("Close"):
            does = "What people take back, where to find support, and thanks"
        else:
            does = _does(group)
        lead = BOTH if any(x.lead == BOTH for x in group) else STAFF
        parts.append(Part(title, mins, does, lead, tuple(x.number for x in group), partner))
    return parts


def slide_list(numbers: tuple[int, ...]) -> str:
    """1, 2, 3, 5 → "1-3, 5"."""
    runs: list[list[int]] = []
    for n in numbers:
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    return ", ".join(f"{r[0]}-{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs)
