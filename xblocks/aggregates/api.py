"""What the blocks ask of the tables: save one learner's confidence ratings, read them back and
summarise a check anonymously once enough learners have answered; keep one knowledge-check
verdict per row and read a module's verdicts; forget a learner (retirement)."""
from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from .models import CheckVerdict, ConfidenceRating, SharedItem


def _atomically(write) -> None:
    """Run ``write`` in a transaction; a unique-key race (another request of the same learner made
    the row first) runs it again, so it becomes an update, never a copy."""
    for attempt in range(3):
        try:
            with transaction.atomic():
                write()
            return
        except IntegrityError:
            if attempt == 2:
                raise


def _upsert(model, defaults: dict, **key) -> None:
    """Insert or replace one row."""
    _atomically(lambda: model.objects.update_or_create(defaults=defaults, **key))


def save_ratings(course: str, check: str, learner: str, ratings: dict[str, int], staff: bool = False,
                 version: str = "") -> None:
    """This learner's row; ``staff``: written by course staff, so never counted in a summary;
    ``version``: the module version of the block (the ratings replace the row's, so it is theirs)."""
    _upsert(ConfidenceRating, {"ratings": ratings, "staff": staff, "module_version": version}, course_key=course,
            check_key=check, learner=learner)


def ratings_of(course: str, check: str, learner: str) -> dict[str, int] | None:
    row = ConfidenceRating.objects.filter(course_key=course, check_key=check, learner=learner).first()
    return dict(row.ratings) if row else None


def count(course: str, check: str) -> int:
    """Learners (not staff) who answered a check."""
    return ConfidenceRating.objects.filter(course_key=course, check_key=check, staff=False).count()


def _mean(values: list[int]) -> float | None:
    return round(sum(values) / len(values), 2) if values else None


def summary(course: str, check: str, statements: list[str], scale: int, minimum: int,
            before_check: str = "") -> dict | None:
    """Anonymous figures for one check, or None while fewer than ``minimum`` learners count.

    Staff rows never count. A "before" check: per statement, the mean rating and how many chose each point of the scale.
    An "after" check (``before_check`` set): only learners who answered both, with the mean
    before, the mean after and the mean change.
    """
    rows = {r.learner: r.ratings for r in ConfidenceRating.objects.filter(
        course_key=course, check_key=check, staff=False)}
    if before_check:
        before = {r.learner: r.ratings for r in ConfidenceRating.objects.filter(
            course_key=course, check_key=before_check, learner__in=list(rows), staff=False)}
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


# -- knowledge-check verdicts ------------------------------------------------------------------

def save_verdict(course: str, check: str, learner: str, correct: bool, staff: bool = False,
                 answer: list[str] | None = None, version: str = "") -> None:
    """One knowledge check's verdict, ``check`` = ``<module>/<question id>``: a row of its own, so
    two checks answered at once both count.

    ``answer``: the option ids the learner just sent (a new try, not a rescore). The row made by
    a learner's first answer keeps that answer and whether it was right, and is never changed
    after; each answer adds one try. A row made before first answers were kept (``tries`` is
    None) gains neither: a later answer is not a first one.

    ``version``: the module version of the block, kept on the row it makes. A row a block of
    another version wrote (a course imported again from a newer build) starts again under this
    one: its first answer and tries were another version's (this answer is the first, a rescore
    leaves none). A row that does not know its version ("", from before rows kept it) keeps not
    knowing it: its first answer may be from any version, so it is never given one."""
    key = {"course_key": course, "check_key": check, "learner": learner}
    now = {"correct": bool(correct), "staff": staff}
    first = {"first_answer": list(answer), "first_correct": bool(correct), "tries": 1} if answer is not None else {}
    unknown = {"first_answer": None, "first_correct": None, "tries": None}

    def write():
        _, made = CheckVerdict.objects.get_or_create(defaults={**now, **first, "module_version": version}, **key)
        if not made:
            rows = CheckVerdict.objects.filter(**key)
            again = rows.exclude(module_version="").exclude(module_version=version).update(
                module_version=version, **{**unknown, **first})
            rows.update(modified=timezone.now(), **now)
            if answer is not None and not again:
                rows.filter(tries__isnull=False).update(tries=F("tries") + 1)
    _atomically(write)


def forget_verdict(course: str, check: str, learner: str) -> None:
    CheckVerdict.objects.filter(course_key=course, check_key=check, learner=learner).delete()


def verdicts_of(course: str, learner: str, module: str) -> dict[str, bool]:
    """question id → answered correctly, for one learner's checks of one module."""
    prefix = f"{module}/"
    rows = CheckVerdict.objects.filter(course_key=course, learner=learner, check_key__startswith=prefix)
    return {key[len(prefix):]: correct for key, correct in rows.values_list("check_key", "correct")}


# -- retirement --------------------------------------------------------------------------------

def forget_learner(learners) -> int:
    """Delete every row of these learner keys (anonymous ids, user ids); how many went."""
    keys = sorted({str(k) for k in learners if k})
    if not keys:
        return 0
    gone = 0
    with transaction.atomic():
        for model in (ConfidenceRating, CheckVerdict, SharedItem):
            gone += model.objects.filter(learner__in=keys).delete()[0]
    return gone
