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


# -- the first answer, kept for the report --------------------------------------------------------

MODULE = {"module_questions": {"q-one": 1.0, "o-steps": 2.0}, "module_pass_mark": 70}


def _verdicts():
    from xblocks.aggregates.models import CheckVerdict
    return {(v.learner, v.check_key): (v.correct, v.first_answer, v.first_correct, v.tries, v.staff)
            for v in CheckVerdict.objects.all()}


def test_a_verdict_keeps_the_first_answer_as_sent_and_counts_the_tries(rows):
    from test_order import ORDER
    from test_xblock_blocks import SINGLE
    from xblocks.aggregates import report_data
    from xblocks.aggregates.models import CheckVerdict
    from xblocks.dev.testing import COURSE
    from xblocks.order import PutInOrderBlock
    from xblocks.question import KnowledgeCheckBlock

    def block(runtime, cls=KnowledgeCheckBlock, content=SINGLE, usage="q1"):
        return runtime.block(cls, usage, content=content, module="mod", module_title="A module", **MODULE)

    learner = LearnerRuntime("learner-1")
    for answer in (["b"], ["c"], ["a"]):                   # wrong, wrong again, right
        assert post(block(learner), "submit", {"selected": answer}).status_code == 200
    one = block(learner)
    one.rescore(only_if_higher=False)                       # a rescore is no try and no first answer
    order = block(learner, PutInOrderBlock, ORDER, "o1")
    assert post(order, "submit", {"selected": ["listen", "ask", "get-help"]}).status_code == 200
    # a row from before first answers were kept: a later answer is not its first
    CheckVerdict.objects.create(course_key=COURSE, check_key="mod/q-one", learner="anon-learner-2", correct=False)
    assert post(block(learner.learner("learner-2")), "submit", {"selected": ["a"]}).status_code == 200
    staff = LearnerRuntime("staff-1", staff=True)
    assert post(block(staff), "submit", {"selected": ["c"]}).status_code == 200
    for who in ({"author_mode": True}, {"masquerade_by": "staff-1"}):
        runtime = staff.learner("learner-3", staff=True, **who)
        assert post(block(runtime), "submit", {"selected": ["b"]}).status_code == 200

    found = _verdicts()
    keys = {who for who, _ in found}
    assert found[(next(k for k in keys if k.endswith("learner-1")), "mod/q-one")] == (True, ["b"], False, 3, False)
    assert found[(next(k for k in keys if k.endswith("learner-1")), "mod/o-steps")] == \
        (False, ["listen", "ask", "get-help"], False, 1, False), "an order is kept in the order sent"
    assert found[("anon-learner-2", "mod/q-one")] == (True, None, None, None, False)
    assert found[(next(k for k in keys if k.endswith("staff-1")), "mod/q-one")] == (False, ["c"], False, 1, True)
    assert not [k for k in keys if k.endswith("learner-3")], "preview and masquerade write no row"

    text = report_data.export(COURSE).decode("utf-8")
    lines = text.splitlines()
    verdicts = {(r["element"], r["first_answer"], r["first_correct"], r["tries"], r["correct"])
                for r in csv.DictReader(io.StringIO("\n".join(lines[1:-1])))}
    assert verdicts == {("q-one", "b", "0", "3", "1"), ("o-steps", "listen ask get-help", "0", "1", "0"),
                        ("q-one", "", "", "", "1")}, "staff's row is left out; an old row has no first answer"


def _django(tmp_path):
    """``manage.py`` for a workbench database in ``tmp_path``: each call must succeed."""
    import subprocess
    import sys

    from xblock_support import REPO, needs_workbench, workbench_env
    needs_workbench()
    env = workbench_env(tmp_path)

    def django(*args):
        run = subprocess.run([sys.executable, "-m", "django", *args], cwd=REPO, env=env, capture_output=True,
                             text=True, timeout=300)
        assert run.returncode == 0, run.stdout + run.stderr
        return run
    return django


def test_the_migrations_make_the_models(tmp_path):
    """The migrations (with the fields they share) and the models agree: nothing to make."""
    assert "No changes detected" in _django(tmp_path)("makemigrations", "commonground", "--check", "--dry-run").stdout


def test_the_migration_keeps_existing_verdicts_with_no_first_answer(tmp_path):
    """A database at 0003 with a verdict row, migrated to 0004: the row is kept, with no first
    answer, no verdict of it and no tries (not known), and the data file leaves those cells empty."""
    import sqlite3
    django = _django(tmp_path)
    django("migrate", "commonground", "0003", "--noinput", "-v", "0")
    with sqlite3.connect(tmp_path / "workbench.db") as db:
        assert "tries" not in {c[1] for c in db.execute("PRAGMA table_info(commonground_checkverdict)")}
        db.execute("INSERT INTO commonground_checkverdict (course_key, check_key, learner, staff, modified, correct) "
                   "VALUES ('course-v1:A+B+C', 'mod/q-one', 'anon-1', 0, '2026-11-30 10:00:00', 1)")
    django("migrate", "commonground", "--noinput", "-v", "0")
    with sqlite3.connect(tmp_path / "workbench.db") as db:
        assert db.execute("SELECT learner, correct, first_answer, first_correct, tries "
                          "FROM commonground_checkverdict").fetchall() == [("anon-1", 1, None, None, None)]
    out = tmp_path / "data.csv"
    django("commonground_report_data", "course-v1:A+B+C", "--out", str(out))
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith(f"# {openedx.FORMAT} {openedx.VERSION};")
    [row] = csv.DictReader(io.StringIO("\n".join(lines[1:-1])))
    assert (row["record"], row["correct"], row["first_answer"], row["first_correct"], row["tries"], row["month"]) == \
        ("verdict", "1", "", "", "", "2026-11")


def test_the_migration_keeps_every_row_with_no_module_version(tmp_path):
    """A database at 0004 holding a row of each table, migrated to 0005: every row and every value
    is kept as it was, with "" (not known) as its module version, and the data file leaves the
    cell empty."""
    import sqlite3
    django = _django(tmp_path)
    django("migrate", "commonground", "0004", "--noinput", "-v", "0")
    tables = ("checkverdict", "confidencerating", "shareditem")
    with sqlite3.connect(tmp_path / "workbench.db") as db:
        assert "module_version" not in {c[1] for c in db.execute("PRAGMA table_info(commonground_checkverdict)")}
        db.execute("INSERT INTO commonground_checkverdict (course_key, check_key, learner, staff, modified, correct, "
                   "first_answer, first_correct, tries) VALUES ('course-v1:A+B+C', 'mod/q-one', 'anon-1', 0, "
                   "'2026-11-30 10:00:00', 1, '[\"b\"]', 0, 2)")
        db.execute("INSERT INTO commonground_confidencerating (course_key, check_key, learner, staff, modified, "
                   "ratings) VALUES ('course-v1:A+B+C', 'mod/cf1', 'anon-1', 0, '2026-11-30 10:00:00', "
                   "'{\"explain\": 3}')")
        db.execute("INSERT INTO commonground_shareditem (course_key, check_key, kind, learner, author_name, staff, "
                   "\"values\", service, category, month, status, note, reply, created, modified, token) VALUES "
                   "('course-v1:A+B+C', 'sharing/lr', 'learning_review', 'anon-1', 'Ann', 0, '{}', 'Ward 3', '', "
                   "'2026-11', 'published', '', '', '2026-11-29 09:00:00', '2026-11-30 10:00:00', 't1')")
        columns = {t: ", ".join(f'"{c[1]}"' for c in db.execute(f"PRAGMA table_info(commonground_{t})"))
                   for t in tables}
        before = {t: db.execute(f"SELECT {columns[t]} FROM commonground_{t}").fetchall() for t in tables}
    django("migrate", "commonground", "--noinput", "-v", "0")
    with sqlite3.connect(tmp_path / "workbench.db") as db:
        for table in tables:
            assert db.execute(f"SELECT {columns[table]} FROM commonground_{table}").fetchall() == before[table]
            assert db.execute(f"SELECT module_version FROM commonground_{table}").fetchall() == [("",)], table
    out = tmp_path / "data.csv"
    django("commonground_report_data", "course-v1:A+B+C", "--out", str(out))
    lines = out.read_text(encoding="utf-8").splitlines()
    found = list(csv.DictReader(io.StringIO("\n".join(lines[1:-1]))))
    assert {(r["record"], r["module_version"]) for r in found} == {("verdict", ""), ("rating", ""), ("shared", "")}
    assert [(r["first_answer"], r["tries"]) for r in found if r["record"] == "verdict"] == [("b", "2")]


def test_each_row_keeps_the_module_version_of_the_block_that_wrote_it(rows):
    """A row keeps its block's module version; a block of another version answering again starts
    the row again under its own (the first answer and tries were the other version's); a row
    that does not know its version keeps not knowing it, and its first answer."""
    from test_xblock_blocks import SINGLE
    from xblocks.aggregates.models import CheckVerdict, ConfidenceRating
    from xblocks.dev.testing import COURSE
    from xblocks.question import KnowledgeCheckBlock

    def block(runtime, version):      # the course imported again: the newer block is another usage
        return runtime.block(KnowledgeCheckBlock, f"q1-{version}", content=SINGLE, module="mod", module_title="A module",
                             module_version=version, **MODULE)

    learner = LearnerRuntime("learner-1")
    assert post(block(learner, "1.0.0"), "submit", {"selected": ["b"]}).status_code == 200
    assert post(block(learner, "1.0.0"), "submit", {"selected": ["a"]}).status_code == 200
    mine = CheckVerdict.objects.get(course_key=COURSE, check_key="mod/q-one", learner__endswith="learner-1")
    assert (mine.module_version, mine.first_answer, mine.tries, mine.correct) == ("1.0.0", ["b"], 2, True)
    assert post(block(learner, "1.1.0"), "submit", {"selected": ["c"]}).status_code == 200
    mine.refresh_from_db()
    assert (mine.module_version, mine.first_answer, mine.first_correct, mine.tries, mine.correct) == \
        ("1.1.0", ["c"], False, 1, False), "the newer version's first answer"
    CheckVerdict.objects.create(course_key=COURSE, check_key="mod/q-one", learner="anon-learner-2", correct=False,
                                first_answer=["b"], first_correct=False, tries=1)
    assert post(block(learner.learner("learner-2"), "1.1.0"), "submit", {"selected": ["a"]}).status_code == 200
    old = CheckVerdict.objects.get(learner="anon-learner-2")
    assert (old.module_version, old.first_answer, old.tries, old.correct) == ("", ["b"], 2, True), "never a guess"
    check = LearnerRuntime("learner-3").block(ConfidenceBlock, "cf1", content=BEFORE, module="mod",
                                              module_title="A module", module_version="1.1.0")
    assert post(check, "save_state", {"ratings": {"explain": 2, "words": 3}}).status_code == 200
    assert ConfidenceRating.objects.get(learner__endswith="learner-3").module_version == "1.1.0"
