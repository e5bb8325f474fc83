"""A module's result as Open edX's grader computes it, so the figure under a knowledge check is
the one the Progress page shows.

The OLX build makes each module an assignment type and each of its sections with knowledge
checks a graded subsection (``olx_export.course.grading_policy``: ``min_count`` = those sections,
``drop_count`` 0). edx-platform scores a subsection as its points earned over points possible,
rounded to two places (``compute_percent``, numpy's ``around``), and an assignment type as the
plain average of its subsections' percentages (``AssignmentFormatGrader``): a one-point
subsection counts as much as a ten-point one. SCORM packages use the weighted share of all the
module's points instead (``coursepack.completion``); the two agree when a module has one graded
section or its sections carry equal points.
"""
from __future__ import annotations


def subsection_fraction(earned: float, possible: float) -> float:
    """earned / possible to two places, as numpy's ``around`` does it (round half to even of x·100)."""
    return round(earned / possible * 100) / 100 if possible > 0 else 0.0


def assignment_type_percent(weights: dict[str, float], sections: dict[str, str], answers: dict[str, bool]) -> float:
    """0-100: the average over graded subsections of their fractions. ``weights``: question id →
    points; ``sections``: question id → subsection (one subsection for ids it does not name);
    ``answers``: question id → answered correctly."""
    totals: dict[str, list[float]] = {}
    for qid, weight in weights.items():
        earned_possible = totals.setdefault(str(sections.get(qid, "")), [0.0, 0.0])
        earned_possible[0] += weight if answers.get(qid) else 0.0
        earned_possible[1] += weight
    if not totals:
        return 100.0
    fractions = [subsection_fraction(e, p) for e, p in totals.values()]
    return round(100 * sum(fractions) / len(fractions), 2)
