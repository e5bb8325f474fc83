"""The course's data file for the governance report, from a confidence check in the in-memory
runtime: only course staff in the course itself get it (403 with the reason to learners, in
Studio's preview and under masquerade), it holds learners' rows under pseudonyms and never
staff's, and ``commonground report`` reads what the blocks write."""
from __future__ import annotations

import csv
import io

import pytest

pytest.importorskip("xblock")

from governance_report import openedx  # noqa: E402
from xblock_support import django_db_ready, rows  # noqa: E402,F401  (fixtures)
from xblocks.confidence import ConfidenceBlock  # noqa: E402
from xblocks.dev.testing import LearnerRuntime, post  # noqa: E402

BEFORE = """::: confidence {#cf1}
How confident do you feel today?

- I can explain what stigma is. {#explain}
- I can choose words that respect people. {#words}
:::"""


def check(runtime):
    return runtime.block(ConfidenceBlock, "cf1", content=BEFORE, module="mod", module_title="A module")


def rate(runtime, value: int) -> None:
    assert post(check(runtime), "save_state", {"ratings": {"explain": value, "words": value}}).status_code == 200


def test_only_course_staff_in_the_course_get_the_data_file(rows):
    from xblocks.aggregates.models import SharedItem
    SharedItem.objects.all().delete()
    staff = LearnerRuntime("staff-1", staff=True)
    for n in range(3):
        rate(staff.learner(f"learner-{n}"), 2 + n)
    rate(staff, 5)                                            # staff trying the course: kept, never exported
    answer = post(check(staff), "governance_data", method="GET")
    assert answer.status_code == 200 and answer.content_type == "text/csv"
    assert answer.headers["Content-Disposition"].startswith('attachment; filename="commonground-course-v1-')
    assert answer.headers["Cache-Control"] == "no-store"
    text = answer.body.decode("utf-8")
    lines = text.splitlines()
    assert lines[0].startswith(f"# {openedx.FORMAT} {openedx.VERSION}; course=course-v1:CommonGround+TEST+2026;")
    assert lines[1] == ",".join(openedx.COLUMNS) and lines[-1] == f"# end of {openedx.FORMAT}: 6 rows"
    found = list(csv.DictReader(io.StringIO("\n".join(lines[1:-1]))))
    assert sorted(int(r["rating"]) for r in found) == [2, 2, 3, 3, 4, 4], "staff's 5s are left out"
    assert {(r["record"], r["module"], r["element"]) for r in found} == {("rating", "mod", "cf1")}
    assert len({r["learner"] for r in found}) == 3
    assert "learner-" not in text and "anon-" not in text and "staff" not in text.split("\n", 1)[1]
    assert "governance_data" in str(check(staff).student_view().content)

    refused = {
        "a learner": (staff.learner("learner-0"), "only course staff"),
        "Studio's preview": (staff.learner("author", staff=True, author_mode=True), "Studio's preview"),
        "masquerade": (staff.learner("learner-1", staff=True, masquerade_by="staff-1"),
                       "viewing the course as a learner"),
    }
    for who, (runtime, reason) in refused.items():
        block = check(runtime)
        answer = post(block, "governance_data", method="GET")
        assert answer.status_code == 403 and reason in answer.body.decode("utf-8"), who
        assert "governance_data" not in str(block.student_view().content), who
    assert post(check(staff), "governance_data", {}).status_code == 405
