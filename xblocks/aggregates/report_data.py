"""One course's rows as a neutral, pseudonymised data file for the governance report.

Course staff download it from a confidence check (``ConfidenceBlock.governance_data``) and an
operator writes it with ``manage.py lms commonground_report_data <course key>``; the
coordinator gives it to ``commonground report``, which reads it with the pack the course was
built from. This module knows nothing of that command (the LMS never loads a builder or a
command): the file format is the contract, documented here and in the coordinator guide.

The file, UTF-8 CSV:

- line 1: ``# commonground-openedx-data 3; course=<course key>; exported=<YYYY-MM-DD>; modules=<ids>``
  (the format, its version, the course, the day and the module ids the rows name);
- line 2: the column names, ``COLUMNS``;
- one line per row, sorted so the order gives nothing away; every row names the ``module`` and
  the ``module_version`` of the block that wrote it (empty where the row does not know it: a row
  written before the blocks kept it, or by a block imported before blocks carried their version):
  ``verdict``: a learner's latest verdict on one knowledge check (``element`` = the question's
  id, ``correct`` = 1 or 0, ``month`` = when it was last answered), with their first answer
  (``first_answer`` = the option ids they sent first, space between them, in the order sent: for
  a "put in order" check, their order of the items), whether it was right (``first_correct`` = 1
  or 0) and how many answers they have sent (``tries``); all three are empty where the blocks
  did not keep them (a row from before version 2, or one made by a rescore);
  ``rating``: a learner's latest ratings of one confidence check, one line per statement
  (``element`` = the check's id, ``statement``, ``rating``, ``month``);
  ``shared``: one learning review or joint-feedback item, with no learner (``element`` = the
  block's element id, ``kind``, ``service``, ``status`` now, ``month`` = the month it was sent);
- last line: ``# end of commonground-openedx-data: <n> rows``, so a file cut short is noticed.

What is left out: names, usernames, emails and LMS ids (a learner is a pseudonym, an HMAC of
their key under a random key made for this one file and then forgotten, so two exports cannot be
joined and nobody can go back from a pseudonym to a person); every row written by course staff;
reflections and the text of shared items (never: only their kind, service, status and month).
Days and times are cut to the month.

Version 1 had no ``first_answer``, ``first_correct`` nor ``tries`` column; the report still reads
it, without the wrong answer most chosen nor "right first time". Version 2 had no
``module_version``: the report reads its rows as the pack's version of each module, when their ids
all fit it.

What the rows cannot tell (say so wherever the file is read): only the first and the latest
answer are kept, not the ones between; tries count the answers sent since the row was made (an
instructor's "Delete learner state" starts it again, "Reset attempts" does not); a month is the
month of the latest change, not of the first visit. The platform's own gradebook stays the
official grade.
"""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
import hmac
import io
import secrets

from .models import CheckVerdict, ConfidenceRating, SharedItem

FORMAT, VERSION = "commonground-openedx-data", 3
COLUMNS = ("record", "learner", "module", "module_version", "element", "statement", "correct", "first_answer", "first_correct", "tries",
           "rating", "kind", "service", "status", "month")
END = f"# end of {FORMAT}: {{n}} rows"


def _month(when: dt.datetime | None) -> str:
    return f"{when.year:04d}-{when.month:02d}" if when else ""


def _split(check_key: str) -> tuple[str, str]:
    """``<module>/<element id>`` → (module, element id)."""
    module, _, element = check_key.partition("/")
    return module, element


class Pseudonyms:
    """Learner key → pseudonym, stable within one file only: an HMAC under a key made for this
    export and never kept."""

    def __init__(self):
        self._key = secrets.token_bytes(32)

    def __call__(self, learner: str) -> str:
        return hmac.new(self._key, str(learner).encode("utf-8"), hashlib.sha256).hexdigest()[:16]


def _first(verdict: CheckVerdict) -> dict:
    """The first answer, its verdict and the tries, or nothing where the row does not know them."""
    answer = verdict.first_answer
    if not (isinstance(answer, list) and answer and verdict.first_correct is not None and verdict.tries):
        return {}
    return {"first_answer": " ".join(str(o) for o in answer), "first_correct": "1" if verdict.first_correct else "0",
            "tries": str(verdict.tries)}


def rows(course: str) -> list[dict]:
    """The course's learner rows (never staff's) as the file's lines, before sorting."""
    name = Pseudonyms()
    out = []
    for v in CheckVerdict.objects.filter(course_key=course, staff=False).iterator():
        module, element = _split(v.check_key)
        out.append({"record": "verdict", "learner": name(v.learner), "module": module,
                    "module_version": v.module_version, "element": element,
                    "correct": "1" if v.correct else "0", **_first(v), "month": _month(v.modified)})
    for r in ConfidenceRating.objects.filter(course_key=course, staff=False).iterator():
        module, element = _split(r.check_key)
        ratings = r.ratings if isinstance(r.ratings, dict) else {}
        for statement, value in ratings.items():
            if isinstance(value, int) and not isinstance(value, bool):
                out.append({"record": "rating", "learner": name(r.learner), "module": module,
                            "module_version": r.module_version, "element": element,
                            "statement": str(statement), "rating": str(value), "month": _month(r.modified)})
    for s in SharedItem.objects.filter(course_key=course, staff=False).iterator():
        module, element = _split(s.check_key)
        out.append({"record": "shared", "module": module, "module_version": s.module_version,
                    "element": element, "kind": s.kind,
                    "service": s.service, "status": s.status, "month": _month(s.created)})
    return out


def export(course: str, today: dt.date | None = None) -> bytes:
    """The whole file for one course, as bytes (UTF-8)."""
    found = sorted(rows(course), key=lambda r: tuple(r.get(c, "") for c in COLUMNS))
    modules = sorted({r["module"] for r in found if r["record"] != "shared"})
    today = today or dt.date.today()
    out = io.StringIO()
    out.write(f"# {FORMAT} {VERSION}; course={course}; exported={today.isoformat()}; modules={','.join(modules)}\n")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in found:
        writer.writerow([row.get(c, "") for c in COLUMNS])
    out.write(END.format(n=len(found)) + "\n")
    return out.getvalue().encode("utf-8")


def file_name(course: str, today: dt.date | None = None) -> str:
    """``commonground-<course>-<day>.csv``, the course key made safe for a file name."""
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in course).strip("-")[:80] or "course"
    return f"commonground-{safe}-{(today or dt.date.today()).isoformat()}.csv"


def courses() -> list[str]:
    """The course keys with learner rows (for an operator who mistyped one)."""
    keys: set[str] = set()
    for model in (CheckVerdict, ConfidenceRating, SharedItem):
        keys.update(model.objects.filter(staff=False).values_list("course_key", flat=True).distinct())
    return sorted(keys)
