"""What the confidence block asks of the table: save one learner's ratings, read them back,
and summarise a check anonymously once enough learners have answered."""
from __future__ import annotations

from django.db import IntegrityError, transaction

from .models import ConfidenceRating


def save_ratings(course: str, check: str, learner: str, ratings: dict[str, int]) -> None:
    """Insert or replace this learner's row (the unique key makes a race an update, not a copy)."""
    for attempt in range(3):
        try:
            with transaction.atomic():
                ConfidenceRating.objects.update_or_create(
                    course_key=course, check_key=check, learner=learner, defaults={"ratings": ratings})
            return
        except IntegrityError:
            # Another request of the same learner inserted the row first: update it instead.
            if attempt == 2:
                raise


def ratings_of(course: str, check: str, learner: str) -> dict[str, int] | None:
    row = ConfidenceRating.objects.filter(course_key=course, check_key=check, learner=learner).first()
    return dict(row.ratings) if row else None


def count(course: str, check: str) -> int:
    return ConfidenceRating.objects.filter(course_key=course, check_key=check).count()


def _mean(values: list[int]) -> float | None:
    return round(sum(values) / len(values), 2) if values else None


def summary(course: str, check: str, statements: list[str], scale: int, minimum: int,
            before_check: str = "") -> dict | None:
    """Anonymous figures for one check, or None while fewer than ``minimum`` learners count.

    A "before" check: per statement, the mean rating and how many chose each point of the scale.
    An "after" check (``before_check`` set): only learners who answered both, with the mean
    before, the mean after and the mean change.
    """
    rows = {r.learner: r.ratings for r in ConfidenceRating.objects.filter(course_key=course, check_key=check)}
    if before_check:
        before = {r.learner: r.ratings for r in ConfidenceRating.objects.filter(
            course_key=course, check_key=before_check, learner__in=list(rows))}
        learners = sorted(set(rows) & set(before))
    else:
        before, learners = {}, sorted(rows)
    if len(learners) < max(int(minimum), 1):
        return None
    out = []
    for sid in statements:
        now = [rows[l][sid] for l in learners if isinstance(rows[l].get(sid), int)]
        item = {"id": sid, "mean": _mean(now),
                "counts": [sum(1 for v in now if v == point) for point in range(1, scale + 1)]}
        if before_check:
            then = [before[l][sid] for l in learners if isinstance(before[l].get(sid), int)]
            item["mean_before"] = _mean(then)
            pairs = [rows[l][sid] - before[l][sid] for l in learners
                     if isinstance(rows[l].get(sid), int) and isinstance(before[l].get(sid), int)]
            item["mean_change"] = _mean(pairs)
        out.append(item)
    return {"learners": len(learners), "statements": out}
