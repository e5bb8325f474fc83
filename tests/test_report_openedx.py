"""The governance report from an Open edX course, in the XBlock SDK workbench over HTTP (CSRF
included): ten learners answer a module's knowledge checks (first answers wrong with different
wrong options, most try again, some fail, one stops half-way, one only rates), rate their confidence before and after and send learning reviews and
joint feedback; course staff do all of it too (their rows must count nowhere). Staff download the
course's data file from a confidence check; learners, staff viewing as a learner and Studio's
preview get 403 with the reason; the management command writes the same rows; ``commonground
report`` on the file gives figures equal to a count made here from the database rows and from
the blocks' own module standing (the most-missed questions from each learner's first answer, as
from Moodle), with every figure under 5 suppressed and nobody named; a version 1 file (latest
verdicts only) still reads and says what it cannot show, a version 2 file (no module versions)
reads as the pack's version. A course imported again from a build of the module's next version:
each row names the version of the block that wrote it, and the report keeps the two apart and
says so."""
from __future__ import annotations

import csv
import io
import json
import re
import shutil
import sqlite3
import subprocess
import sys
from collections import Counter
from html import unescape
from pathlib import Path

import pytest
from click.testing import CliRunner

from coursepack import cli
from coursepack.completion import assignment_type_percent, graded_sections
from coursepack.load import require_pack
from governance_report import decode, openedx
from test_report import agrees
from test_xblock_share_workbench import FEEDBACK, REVIEW, loop_scenario, usages_of
from test_xblock_workbench import blocks_on, scenario_ids
from openedx_grades import grade_report
from xblock_support import REPO, Learner, Workbench, migrate, needs_workbench, pack_of, workbench_env

from support import CONTENT

pytestmark = pytest.mark.slow
PACK = require_pack(CONTENT).pack
MODULE = PACK.modules[0]
ELEMENTS = {e.id: e for p in MODULE.pages for e in p.elements if hasattr(e, "id")}
QUESTIONS = [q.id for q in MODULE.graded]
LEARNERS = [f"learner-{n:02d}" for n in range(10)]
# Learner → (the questions they answer, wrong ones (sent wrong and left), the ones they retry,
# which wrong answer they send first)
PLAN = {**{who: (QUESTIONS, (), QUESTIONS[:1], 0) for who in LEARNERS[:5]},  # one wrong, then right
        LEARNERS[5]: (QUESTIONS, (), QUESTIONS[:2], 1),            # two wrong, then right: passes later
        LEARNERS[6]: (QUESTIONS, QUESTIONS[:2], (), 1),            # two wrong: below the pass mark
        LEARNERS[7]: (QUESTIONS, QUESTIONS[:1], (), 1),            # one wrong: still passes
        LEARNERS[8]: (QUESTIONS[:3], (), (), 0),                   # stops half-way
        LEARNERS[9]: ((), (), (), 0)}                              # only rates "before"
AFTER = LEARNERS[:7]                                               # rate before and after
STAFF, MASQ, AUTHOR = "staffer-7", "masquerader-7", "author-7"


def wrong(question, which: int = 0) -> list[str]:
    """A wrong answer, one of two: a wrong option (for several answers, a wrong one and a right
    one), or another wrong option (for several answers, one right option alone)."""
    others = [o.id for o in question.options if o.id not in question.correct_ids]
    if question.type == "multiple":
        return [others[0], question.correct_ids[0]] if which == 0 else [question.correct_ids[0]]
    return [others[which % len(others)]]


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """A workbench where the module was taken, and the data file staff downloaded from it."""
    needs_workbench()
    folder = tmp_path_factory.mktemp("edx-report")
    migrate(folder)
    server = Workbench(folder, cwd=pack_of(folder / "checkout", [MODULE.id]), COMMONGROUND_STAFF=f"{STAFF},{MASQ},{AUTHOR}",
                       COMMONGROUND_MASQUERADE=MASQ, COMMONGROUND_AUTHOR_PREVIEW=AUTHOR).wait()
    try:
        yield _take_the_course(server, folder)
    finally:
        server.stop()


def _take_the_course(server: Workbench, folder: Path) -> dict:
    base = server.base
    sid = next(s for s, t in scenario_ids(Learner(base, "x").get("/")[1]).items() if t.endswith(MODULE.title))
    client = Learner(base, "x")
    blocks = blocks_on(client.scenario(sid))
    checks = {e: u for u, t, e in blocks if t == "cg_question"}
    confidence = {e: u for u, t, e in blocks if t == "cg_confidence"}
    before = next(e for e in confidence if not ELEMENTS[e].after)
    after = next(e for e in confidence if ELEMENTS[e].after)

    def rate(who, element, value):
        ratings = {s.id: value for s in ELEMENTS[element].statements}
        assert who.post(confidence[element], "save_state", {"ratings": ratings})[0] == 200

    standing = {}
    for n, name in enumerate(LEARNERS):
        who = client.as_student(name)
        answers, wrongs, retries, which = PLAN[name]
        for qid in answers:
            q = ELEMENTS[qid]
            if qid in wrongs or qid in retries:
                status, reply = who.post(checks[qid], "submit", {"selected": wrong(q, which)})
                assert status == 200 and reply["correct"] is False, (name, qid, reply)
            if qid not in wrongs:
                status, reply = who.post(checks[qid], "submit", {"selected": list(q.correct_ids)})
                assert status == 200 and reply["correct"] is True, (name, qid, reply)
        rate(who, before, 1 + n % 3)
        if name in AFTER:
            rate(who, after, 2 + n % 4)
        status, text = who.get(f"/handler/{checks[QUESTIONS[0]]}/student_view_user_state/")
        standing[name] = json.loads(text).get("module")
    # staff (trying the course), staff viewing as a learner and an author in Studio's preview
    for name in (STAFF, MASQ, AUTHOR):
        who = client.as_student(name)
        for qid in QUESTIONS:
            who.post(checks[qid], "submit", {"selected": wrong(ELEMENTS[qid])})
        rate(who, before, 5)
        rate(who, after, 1)

    # learning reviews and joint feedback: sent, some approved, one returned; staff's own too
    loop = loop_scenario(base)
    used = usages_of(client.scenario(loop))
    review, feedback = used["cg_learning_review"], used["cg_joint_feedback"]
    for n, name in enumerate(LEARNERS[:7] + [STAFF]):
        who = client.as_student(name)
        assert who.post(feedback, "share", {"fields": {**FEEDBACK, "text": f"Letters late ({n})."},
                                            "confirmed": True})[0] == 200
        if n % 3 == 0:
            assert who.post(review, "share", {"fields": REVIEW, "confirmed": True})[0] == 200
    staff = client.as_student(STAFF)
    page = staff.scenario(loop)
    waiting = [int(i) for i in re.findall(r'data-cg-action="approve" data-cg-item="(\d+)"', page)]
    with sqlite3.connect(folder / "workbench.db") as db:
        kinds = dict(db.execute("SELECT id, kind FROM commonground_shareditem"))
    jf = [i for i in waiting if kinds[i] == "joint_feedback"]
    for pk in jf[:5]:
        assert staff.post(feedback, "moderate", {"item": pk, "action": "approve"})[0] == 200
    assert staff.post(feedback, "moderate", {"item": jf[5], "action": "return", "text": "Say which service."})[0] == 200

    # the download, and who may not have it
    url = f"/handler/{confidence[before]}/governance_data/"
    refused = {name: client.as_student(name).get(url) for name in (LEARNERS[0], MASQ, AUTHOR)}
    assert 'governance_data' in client.as_student(STAFF).scenario(sid)
    assert 'governance_data' not in client.as_student(LEARNERS[0]).scenario(sid)
    assert 'governance_data' not in client.as_student(MASQ).scenario(sid)
    status, text = client.as_student(STAFF).get(url)
    assert status == 200, text
    data = folder / "download.csv"
    data.write_text(text, encoding="utf-8")
    return {"folder": folder, "data": data, "text": text, "refused": refused, "standing": standing,
            "url": url, "staff": client.as_student(STAFF)}


def test_only_course_staff_in_the_course_get_the_data_file(course):
    refused = course["refused"]
    assert refused[LEARNERS[0]] == (403, "only course staff can download the course's data file")
    assert refused[MASQ][0] == 403 and "viewing the course as a learner" in refused[MASQ][1]
    assert refused[AUTHOR][0] == 403 and "Studio's preview" in refused[AUTHOR][1]


def _rows(text: str) -> tuple[str, list[dict]]:
    lines = text.splitlines()
    return lines[0], list(csv.DictReader(io.StringIO("\n".join(lines[1:-1]))))


def test_the_data_file_names_nobody_and_holds_no_staff_rows_or_text(course):
    text = course["text"]
    head, rows = _rows(text)
    assert head.startswith(f"# {openedx.FORMAT} {openedx.VERSION}; course=") and f"modules={MODULE.id}" in head
    assert text.splitlines()[1] == ",".join(openedx.COLUMNS), "the blocks write the columns the report reads"
    assert text.splitlines()[-1] == f"# end of {openedx.FORMAT}: {len(rows)} rows"
    for word in LEARNERS + [STAFF, MASQ, AUTHOR, "Learner ", "anon-", "@example.com", "Letters late",
                            REVIEW["helped"], "Say which service"]:
        assert word not in text, word
    learners = {r["learner"] for r in rows if r["record"] != "shared"}
    assert len(learners) == len(LEARNERS) and all(re.fullmatch(r"[0-9a-f]{16}", p) for p in learners)
    assert not [r for r in rows if r["record"] == "shared" and r["learner"]]
    assert {r["module_version"] for r in rows if r["record"] != "shared"} == {MODULE.version}, \
        "every row names the version of the module whose block wrote it"
    assert Counter(r["record"] for r in rows if r["record"] == "shared")["shared"] == 7 + 3, "staff's item left out"
    with sqlite3.connect(course["folder"] / "workbench.db") as db:
        verdicts = db.execute("SELECT COUNT(*) FROM commonground_checkverdict WHERE staff = 0").fetchone()[0]
        staff_rows = db.execute("SELECT COUNT(*) FROM commonground_checkverdict WHERE staff = 1").fetchone()[0]
    assert staff_rows == len(QUESTIONS), "staff's answers are kept (as staff), masquerade and preview write none"
    assert Counter(r["record"] for r in rows)["verdict"] == verdicts
    # a second download: the same rows under other pseudonyms (they hold for one file only)
    status, second = course["staff"].get(course["url"])
    again = _rows(second)[1]
    assert status == 200 and _canonical(again) == _canonical(rows)
    assert not {r["learner"] for r in again if r["learner"]} & learners


def _canonical(rows: list[dict]) -> Counter:
    """The rows with each learner's pseudonym replaced by what that learner's rows hold."""
    by_learner: dict[str, list] = {}
    for r in rows:
        by_learner.setdefault(r["learner"], []).append(tuple(v for k, v in r.items() if k != "learner"))
    return Counter(tuple(sorted(v)) if k else ("shared", tuple(sorted(v))) for k, v in by_learner.items())


def test_the_management_command_writes_the_same_rows(course, tmp_path):
    head, rows = _rows(course["text"])
    key = re.search(r"course=([^;]*);", head).group(1)
    out = tmp_path / "command.csv"
    env = workbench_env(course["folder"])
    run = subprocess.run([sys.executable, "-m", "django", "commonground_report_data", key, "--out", str(out)],
                         cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    written = out.read_text(encoding="utf-8")
    head2, rows2 = _rows(written)
    assert head2.split("; exported=")[0] == head.split("; exported=")[0]
    assert _canonical(rows2) == _canonical(rows)
    assert {r["learner"] for r in rows2 if r["learner"]}.isdisjoint({r["learner"] for r in rows if r["learner"]}), \
        "pseudonyms hold within one file only"
    # a course with no rows: a clear message, nothing written
    missing = tmp_path / "none.csv"
    run = subprocess.run([sys.executable, "-m", "django", "commonground_report_data", "course-v1:No+Such+Run",
                          "--out", str(missing)], cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode != 0 and "no learner rows for 'course-v1:No+Such+Run'" in run.stderr
    assert key in run.stderr and not missing.exists() and "Traceback" not in run.stderr


def report(path: Path, out: Path) -> tuple[int, str]:
    result = CliRunner().invoke(cli.main, ["report", str(path), "--pack", str(CONTENT), "--out", str(out)])
    return result.exit_code, result.output


def _table(out: Path, caption: str) -> dict[tuple[str, str], str]:
    text = (out / "figures.csv").read_text(encoding="utf-8-sig")
    return {(r["row"], r["column"]): r["value"] for r in csv.DictReader(io.StringIO(text))
            if r["table"].startswith(caption)}


def _truth(folder: Path, standing: dict) -> dict[str, dict[tuple[str, str], int]]:
    """The figures counted from the database rows (staff rows left out) and from the module
    standing each learner's knowledge check showed them."""
    title = MODULE.title
    with sqlite3.connect(folder / "workbench.db") as db:
        verdicts = db.execute("SELECT learner, check_key, correct FROM commonground_checkverdict "
                              "WHERE staff = 0").fetchall()
        tries = db.execute("SELECT learner, check_key, tries FROM commonground_checkverdict WHERE staff = 0").fetchall()
        firsts = db.execute("SELECT learner, check_key, first_answer, first_correct FROM commonground_checkverdict "
                            "WHERE staff = 0 AND first_answer IS NOT NULL").fetchall()
        ratings = db.execute("SELECT learner, check_key, ratings FROM commonground_confidencerating "
                             "WHERE staff = 0").fetchall()
        shared = db.execute("SELECT kind, status, service FROM commonground_shareditem WHERE staff = 0").fetchall()
    started = {who for who, key, _ in verdicts + ratings if key.startswith(MODULE.id + "/")}
    answered = Counter(who for who, _, _ in verdicts)
    finished = {who for who, n in answered.items() if n == len(QUESTIONS)}
    passed = {who for who, s in standing.items() if s and s.get("passed")}
    assert passed <= finished and len(finished) == 8
    # passed first time: the module's score from each learner's first answers reaches the pass mark
    first_right = {(who, key.split("/")[1]): bool(ok) for who, key, _, ok in firsts}
    at_first = {who for who in finished if assignment_type_percent(
        {q.id: float(q.weight) for q in MODULE.graded}, graded_sections(MODULE),
        {qid: first_right[(who, qid)] for qid in QUESTIONS}) >= MODULE.pass_mark}
    truth = {"uptake": {(title, "Started"): len(started), (title, "Finished"): len(finished),
                        (title, "Not finished yet"): len(started) - len(finished)},
             "pass": {(title, "Passed first time"): len(passed & at_first),
                      (title, "Passed after trying again"): len(passed - at_first),
                      (title, "Not passed yet"): len(finished - passed),
                      (title, "Answered every knowledge check"): len(finished)},
             "pass-v1": {(title, "Passed"): len(passed), (title, "Not passed yet"): len(finished - passed),
                         (title, "Answered every knowledge check"): len(finished)}}
    # the most answers a learner who answered every check sent to one of them
    most = Counter(min(max(t for w, _, t in tries if w == who), 3) for who in finished)
    truth["tries"] = {(title, "1 try at each check"): most[1], (title, "2 tries at one check, no more"): most[2],
                      (title, "3 or more tries at one check"): most[3],
                      (title, "Answered every knowledge check"): len(finished)}
    keys = decode.from_pack(PACK)[0]
    truth["questions"], truth["latest"] = {}, {}
    for qid in QUESTIONS:
        q = keys.questions[decode.lms_token(qid)]
        row = f"{title}: {q.text}"
        mine = [c for _, k, c in verdicts if k == f"{MODULE.id}/{qid}"]
        truth["latest"][(row, "Learners who answered")] = len(mine)
        truth["latest"][(row, "Latest answer wrong")] = mine.count(0)
        first = [(tuple(json.loads(a)), ok) for _, k, a, ok in firsts if k == f"{MODULE.id}/{qid}"]
        chosen = Counter(a for a, ok in first if not ok)
        truth["questions"][(row, "Learners who answered")] = len(first)
        truth["questions"][(row, "First answer wrong")] = sum(chosen.values())
        if chosen:      # the most chosen (ties: the first by option ids), in the pack's words
            top, n = min(chosen.items(), key=lambda i: (-i[1], i[0]))
            truth["questions"][(row, "Learners who chose it")] = n
            truth["questions"][(row, "Wrong answer most chosen")] = "; ".join(q.options[o] for o in top)
    by = {(who, key.split("/")[1]): json.loads(r) for who, key, r in ratings}
    truth["confidence"] = {}
    for st in ELEMENTS["cf-before"].statements:
        row = f"{title}: {' '.join(next(s.text for s in keys.statements.values() if s.id == st.id).split())}"
        pairs = [(by[(w, "cf-before")][st.id], by[(w, "cf-after")][st.id]) for w, c in by if c == "cf-after"
                 and (w, "cf-before") in by]
        change = Counter("Higher after" if a > b else "Lower after" if a < b else "Same" for b, a in pairs)
        truth["confidence"].update({(row, c): change[c] for c in ("Lower after", "Same", "Higher after")})
        truth["confidence"][(row, "Rated before and after")] = len(pairs)
    labels = {"pending": "Waiting for moderation", "published": "Approved", "returned": "Returned to the author",
              "withdrawn": "Withdrawn after approval"}
    kinds = {"learning_review": "Learning reviews", "joint_feedback": "Joint feedback"}
    truth["sharing"] = {(kinds[k], labels[s]): n for (k, s), n in Counter((k, s) for k, s, _ in shared).items()}
    truth["sharing"].update({(kinds[k], "Sent"): n for k, n in Counter(k for k, _, _ in shared).items()})
    truth["sharing"][("Both kinds", "Sent")] = len(shared)
    truth["service"] = {(kinds[k], svc): n for (k, svc), n in Counter((k, svc) for k, _, svc in shared).items()}
    return truth


CAPTIONS = {"uptake": "Learners who started each module, and how many",
            "pass": "Learners who answered every knowledge check of each module, by whether they passed",
            "pass-v1": "Learners who answered every knowledge check of each module, by whether they passed",
            "tries": "Learners who answered every knowledge check of each module, by the most tries",
            "questions": "Knowledge checks by how often the first answer was wrong",
            "latest": "Knowledge checks by how often the latest answer is wrong",
            "confidence": "Change in confidence",
            "sharing": "Items sent, by kind and where",
            "service": "Items sent, by the service"}


def _agree(out: Path, truth: dict, names) -> None:
    """Every cell of the named tables agrees with the count from the database (a text, such as
    the wrong answer most chosen, is equal or hidden with its count)."""
    for name in names:
        expected, found = truth[name], _table(out, CAPTIONS[name])
        assert found, name
        for cell, true in expected.items():
            assert cell in found, (name, cell, sorted(found))
            if isinstance(true, str):
                assert found[cell] == true or found[cell] == "" and not re.fullmatch(
                    r"[\d,]+", found[(cell[0], "Learners who chose it")]), (name, cell, found[cell], true)
            else:
                assert agrees(found[cell], true), (name, cell, found[cell], true)
        # every shown count in these tables is one the database gives
        rows = {r for r, _ in expected}
        for (row, column), shown in found.items():
            if row in rows and re.fullmatch(r"[\d,]+", shown) and (row, column) in expected:
                assert int(shown.replace(",", "")) == expected[(row, column)]


def test_the_report_from_the_file_equals_a_count_from_the_database(course, tmp_path):
    out = tmp_path / "report"
    code, output = report(course["data"], out)
    assert code == 0, output
    truth = _truth(course["folder"], course["standing"])
    assert truth["uptake"][(MODULE.title, "Started")] == 10 and truth["pass-v1"][(MODULE.title, "Passed")] == 7
    assert truth["pass"][(MODULE.title, "Passed first time")] == 6, "five with one wrong first answer, and one"
    assert truth["tries"][(MODULE.title, "2 tries at one check, no more")] == 6
    assert truth["sharing"][("Joint feedback", "Approved")] == 5
    first = next(k for k in truth["questions"] if k[1] == "Wrong answer most chosen")
    assert truth["questions"][(first[0], "Learners who chose it")] == 5 and \
        truth["questions"][(first[0], "First answer wrong")] == 8, "two wrong answers: five chose one, three the other"
    _agree(out, truth, [n for n in truth if n not in ("latest", "pass-v1")])
    assert _table(out, CAPTIONS["tries"])[(MODULE.title, "2 tries at one check, no more")] == "6"
    questions = _table(out, CAPTIONS["questions"])
    assert questions[first] == truth["questions"][first], "the wrong answer most chosen first, in the pack's words"
    assert questions[(first[0], "Learners who chose it")] == "not shown", \
        "five chose it, three another wrong answer: hidden so the three cannot be worked out"
    html = (out / "report.html").read_text(encoding="utf-8")
    for word in LEARNERS + [STAFF, "Letters late", REVIEW["helped"]] + \
            [r["learner"] for r in _rows(course["text"])[1] if r["learner"]]:
        assert word not in html and word not in (out / "figures.csv").read_text(encoding="utf-8-sig"), word
    assert "cannot be shown from this file" not in html and "first and latest answer" in html


def test_the_file_holds_each_first_answer_and_the_tries(course):
    """The file's first answers, their verdicts and tries are the database's (staff's left out),
    and the tries are the answers each learner sent."""
    with sqlite3.connect(course["folder"] / "workbench.db") as db:
        held = Counter((key.split("/")[1], " ".join(json.loads(a)), str(ok), str(tries), str(c))
                       for key, a, ok, tries, c in db.execute(
                           "SELECT check_key, first_answer, first_correct, tries, correct "
                           "FROM commonground_checkverdict WHERE staff = 0"))
    rows = [r for r in _rows(course["text"])[1] if r["record"] == "verdict"]
    assert Counter((r["element"], r["first_answer"], r["first_correct"], r["tries"], r["correct"])
                   for r in rows) == held
    sent = Counter()
    for answers, wrongs, retries, _ in PLAN.values():
        for qid in answers:
            sent[(qid, 1 + (qid in retries))] += 1
    assert Counter((r["element"], int(r["tries"])) for r in rows) == sent


def older(text: str, version: int) -> str:
    """The same rows as an earlier version of the file holds them (1: before the blocks kept first
    answers; 2: before they kept module versions)."""
    lines = text.splitlines()
    rows = list(csv.DictReader(io.StringIO("\n".join(lines[1:-1]))))
    out = io.StringIO()
    writer = csv.DictWriter(out, openedx.COLUMNS_OF[version], extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    head = lines[0].replace(f"{openedx.FORMAT} {openedx.VERSION};", f"{openedx.FORMAT} {version};", 1)
    return "\n".join([head, out.getvalue().rstrip("\n"), lines[-1]]) + "\n"


def version_1(text: str) -> str:
    return older(text, 1)


def test_a_version_1_file_still_reads_and_says_what_it_lacks(course, tmp_path):
    path = _variant(course, tmp_path, "v1.csv", version_1)
    assert "first_answer" not in path.read_text(encoding="utf-8")
    out = tmp_path / "report"
    code, output = report(path, out)
    assert code == 0, output
    truth = _truth(course["folder"], course["standing"])
    _agree(out, truth, ["uptake", "pass-v1", "latest", "confidence", "sharing"])
    assert not _table(out, CAPTIONS["questions"])
    assert "Passed first time" not in {c for _, c in _table(out, CAPTIONS["pass"])}
    assert not _table(out, CAPTIONS["tries"])
    html = " ".join(unescape((out / "report.html").read_text(encoding="utf-8")).split())
    assert "cannot be shown from this file" in html and "'passed first time' cannot be shown" in html


def test_a_version_2_file_still_reads_as_the_packs_version(course, tmp_path):
    """A file from before rows named their module version: read as the pack's version (the ids
    all fit it), with the same figures as the version 3 file; a row whose ids do not fit is refused."""
    path = _variant(course, tmp_path, "v2.csv", lambda t: older(t, 2))
    assert "module_version" not in path.read_text(encoding="utf-8")
    out = tmp_path / "report"
    code, output = report(path, out)
    assert code == 0, output
    truth = _truth(course["folder"], course["standing"])
    _agree(out, truth, [n for n in truth if n not in ("latest", "pass-v1")])
    assert "version 1.0.0" not in (out / "figures.csv").read_text(encoding="utf-8-sig"), "one version: no label"
    gone = _variant(course, tmp_path, "v2-gone.csv", lambda t: older(t, 2).replace(f",{QUESTIONS[0]},", ",q-gone,"))
    code, output = report(gone, tmp_path / "gone")
    assert code != 0 and "version 1.0.0 of the module in this pack does not have" in " ".join(output.split())


def test_every_shown_count_is_five_or_more(course, tmp_path):
    out = tmp_path / "report"
    assert report(course["data"], out)[0] == 0
    text = (out / "figures.csv").read_text(encoding="utf-8-sig")
    counts = [(r["table"], r["row"], r["column"], r["value"]) for r in csv.DictReader(io.StringIO(text))
              if re.fullmatch(r"[\d,]+", r["value"]) and not r["column"].startswith("Mean")]
    assert counts and all(int(v.replace(",", "")) >= 5 for *_, v in counts), counts
    assert "fewer than 5" in text


def _variant(course, tmp_path, name: str, change) -> Path:
    path = tmp_path / name
    path.write_text(change(course["text"]), encoding="utf-8")
    return path


@pytest.mark.parametrize("name,change,says", [
    ("cut.csv", lambda t: t[: len(t) // 2], "cut short"),
    ("rows-lost.csv", lambda t: "\n".join(t.splitlines()[:-2] + t.splitlines()[-1:]) + "\n", "rows are missing"),
    ("other-pack.csv", lambda t: t.replace(f",{MODULE.id},", ",no-such-module,"), "which this pack does not have"),
    ("other-version.csv", lambda t: t.replace(f",{QUESTIONS[0]},", ",q-gone,"), "does not have"),
    ("newer.csv", lambda t: t.replace(f"{openedx.FORMAT} 3;", f"{openedx.FORMAT} 4;", 1), "version 4"),
    ("v1-columns.csv", lambda t: t.replace(f"{openedx.FORMAT} 3;", f"{openedx.FORMAT} 1;", 1), "has the columns"),
    ("v2-columns.csv", lambda t: t.replace(f"{openedx.FORMAT} 3;", f"{openedx.FORMAT} 2;", 1), "has the columns"),
    ("unknown-version.csv", lambda t: t.replace(f",{MODULE.id},{MODULE.version},", f",{MODULE.id},9.9.9,", 1),
     "give --questions the coordinator kit's questions.csv of version 9.9.9"),
    ("not-an-option.csv", lambda t: re.sub(rf",{QUESTIONS[1]},,(\d),[a-z-]+,", rf",{QUESTIONS[1]},,\1,no-such-option,",
                                            t, count=1), "does not offer"),
    ("judged-otherwise.csv", lambda t: re.sub(rf",{QUESTIONS[1]},,(\d),([a-z-]+),0,", rf",{QUESTIONS[1]},,\1,\2,1,",
                                               t, count=1), "judges otherwise"),
    ("columns.csv", lambda t: t.replace("record,learner", "learner,record", 1), "has the columns"),
    ("not-ours.csv", lambda t: "# something else\n" + t, None),
    ("binary.csv", lambda t: "\ufffe" + t, None),
])
def test_a_wrong_or_damaged_file_is_refused_with_its_name(course, tmp_path, name, change, says):
    path = _variant(course, tmp_path, name, change)
    if name == "binary.csv":
        path.write_bytes(b"# commonground-openedx-data \xff\xfe")
    out = tmp_path / "report"
    code, output = report(path, out)
    assert code != 0 and str(path.name) in output and "No report was written." in output
    assert says is None or says in " ".join(output.split()), output
    assert "Traceback" not in output and not out.exists()


def test_two_courses_or_a_moodle_export_with_it_are_refused(course, tmp_path):
    other = _variant(course, tmp_path, "other-course.csv", lambda t: re.sub(r"course=[^;]*;", "course=course-v1:A+B+C;", t, 1))
    result = CliRunner().invoke(cli.main, ["report", str(course["data"]), str(other), "--pack", str(CONTENT),
                                           "--out", str(tmp_path / "r")])
    assert result.exit_code != 0 and "report one course at a time" in result.output and not (tmp_path / "r").exists()
    result = CliRunner().invoke(cli.main, ["report", str(course["data"]), str(course["data"]), "--pack", str(CONTENT),
                                           "--out", str(tmp_path / "r")])
    assert result.exit_code != 0 and "second data file" in result.output
    moodle = REPO / "tests/fixtures/moodle-reports/cm2-scorm12-basic.txt"
    result = CliRunner().invoke(cli.main, ["report", str(course["data"]), str(moodle), "--pack", str(CONTENT),
                                           "--out", str(tmp_path / "r")])
    assert result.exit_code != 0 and "report one LMS at a time" in result.output and not (tmp_path / "r").exists()


GRADES = {**{str(100 + n): {m.id: 1.0 for m in PACK.modules} for n in range(5)},         # passed everything
          **{str(200 + n): {MODULE.id: 1.0} for n in range(5)},                            # passed the first module
          **{str(300 + n): {MODULE.id: 0.5} for n in range(5)},                            # below its pass mark
          **{str(400 + n): {} for n in range(5)}}                                          # enrolled, nothing scored


def test_the_platforms_grade_report_is_shown_beside_the_blocks_figures(course, tmp_path):
    """Open edX's own gradebook (its Grade Report, with every override in it): per module and for
    the course grade, who passed, who is below the pass mark, who scored nothing, among the
    learners still enrolled; nobody named."""
    grades = tmp_path / "CommonGround_CG101_2026_grade_report_2026-12-07-1200.csv"
    left = {str(500 + n): {m.id: 1.0 for m in PACK.modules} for n in range(6)}     # unenrolled: not counted
    grades.write_bytes(grade_report(PACK, {**GRADES, **left}, unenrolled=frozenset(left)))
    out = tmp_path / "report"
    result = CliRunner().invoke(cli.main, ["report", str(grades), str(course["data"]), "--pack", str(CONTENT),
                                           "--out", str(out)])
    assert result.exit_code == 0, result.output
    table = _table(out, "Learners in the platform's gradebook")
    expected = {MODULE.title: (10, 5, 5), PACK.modules[1].title: (5, 0, 15),
                "The whole course (course grade)": (5, 10, 5)}
    for row, counts in expected.items():
        for column, n in zip(("Passed", "Not passed yet", "Not attempted"), counts):
            assert agrees(table[(row, column)], n), (row, column, table)
        assert agrees(table[(row, "In the Grade Report")], 20)
    assert table[(MODULE.title, "Passed")] == "10" and table[(MODULE.title, "Not attempted")] == "5"
    written = b"".join(p.read_bytes() for p in out.iterdir())
    assert b"example.org" not in written and b"learner1" not in written and b"Student ID" not in written
    html = " ".join(unescape((out / "report.html").read_text(encoding="utf-8")).split())
    assert f"from the Grade Report ({grades.name})" in html and "instructor override" in html


@pytest.mark.parametrize("case", ["grade out of range", "another course", "without the data file", "same learner twice"])
def test_a_wrong_grade_report_is_refused_with_its_name(course, tmp_path, case):
    text = grade_report(PACK, GRADES).decode()
    files = [course["data"]]
    if case == "grade out of range":     # learner 300 is on line 12
        text, says = grade_report(PACK, {**GRADES, "300": {MODULE.id: 1.7}}).decode(), "grade_report.csv:12: has '1.7'"
    elif case == "another course":
        text, says = text.replace(MODULE.title, "Another course's module"), "no column for any module of this pack"
        for m in PACK.modules[1:]:
            text = text.replace(m.title, "Something else")
    elif case == "without the data file":
        files, says = [], "given without the course's Open edX data file"
    else:
        text, says = text + text.split("\r\n")[1] + "\r\n", "repeats a learner"
    grades = tmp_path / "grade_report.csv"
    grades.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli.main, ["report", *map(str, files), str(grades), "--pack", str(CONTENT),
                                           "--out", str(tmp_path / "r")])
    output = " ".join(result.output.split())
    assert result.exit_code == 1 and says in output and "grade_report.csv" in output, output
    assert not (tmp_path / "r").exists()


def test_two_periods_set_the_sharing_side_by_side(course, tmp_path):
    """A period holds what happened in it: from the file's first month on, everything; an
    earlier year, nothing."""
    this = min(r["month"] for r in _rows(course["text"])[1])
    result = CliRunner().invoke(cli.main, ["report", str(course["data"]), "--pack", str(CONTENT), "--since", this,
                                           "--compare", "2020-01:2020-12", "--out", str(tmp_path / "r")])
    assert result.exit_code == 0, result.output
    found = _table(tmp_path / "r", "Headline figures in the two periods")
    assert found[("Learning reviews and joint feedback sent", "2020-01 to 2020-12")] == "fewer than 5"
    assert found[("Learning reviews and joint feedback sent", f"{this} to now")] == "10"
    assert found[("Module starts", f"{this} to now")] == "10"


def test_answers_from_before_first_answers_were_kept_are_counted_apart(course, tmp_path):
    """A version 2 file whose rows of one learner have no first answer (given before the blocks
    kept them): that learner is out of the questions table, and apart in the pass rate and tries."""
    lines = course["text"].splitlines()
    rows = list(csv.DictReader(io.StringIO("\n".join(lines[1:-1]))))
    right = Counter(r["learner"] for r in rows if r["record"] == "verdict" and r["correct"] == "1")
    old = min(who for who, n in right.items() if n == len(QUESTIONS))      # a learner who passed
    for r in rows:
        if r["learner"] == old and r["record"] == "verdict":
            r.update(first_answer="", first_correct="", tries="")
    out = io.StringIO()
    writer = csv.DictWriter(out, openedx.COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path = _variant(course, tmp_path, "old-rows.csv", lambda t: "\n".join([lines[0], out.getvalue().rstrip("\n"),
                                                                              lines[-1]]) + "\n")
    code, output = report(path, tmp_path / "report")
    assert code == 0, output
    found = _table(tmp_path / "report", CAPTIONS["questions"])
    answered = {row: v for (row, column), v in found.items() if column == "Learners who answered"}
    truth = _truth(course["folder"], course["standing"])["questions"]
    assert all(agrees(v, truth[(row, "Learners who answered")] - 1) for row, v in answered.items()), \
        "the learner without first answers is not counted"
    columns = {c for _, c in _table(tmp_path / "report", CAPTIONS["pass"])}
    tries = {c for _, c in _table(tmp_path / "report", CAPTIONS["tries"])}
    html = " ".join(unescape((tmp_path / "report" / "report.html").read_text(encoding="utf-8")).split())
    assert "Passed (first answers not kept)" in columns and "Tries not kept" in tries
    assert "Answers from before the blocks kept first answers are not counted here." in html


# -- two versions of the module in one course ---------------------------------------------------

NEWER = "1.1.0"
EARLIER_LEARNERS = [f"learner-{n}" for n in range(20, 25)]     # took the module at the pack's version
LATER_LEARNERS = [f"learner-{n}" for n in range(30, 35)]       # after the course was imported again


def _newer_pack(folder: Path) -> Path:
    """The pack with the module's version raised (its questions unchanged): the build a course
    team imports again after an edit."""
    shutil.copytree(CONTENT, folder / "content")
    source = folder / "content" / "modules" / Path(MODULE.path).name
    text = source.read_text(encoding="utf-8")
    assert f"\nversion: {MODULE.version}\n" in text
    source.write_text(text.replace(f"\nversion: {MODULE.version}\n", f"\nversion: {NEWER}\n", 1), encoding="utf-8")
    return folder


def _take_it(server: Workbench, names: list[str]) -> dict:
    """``names`` answer every knowledge check right and rate before and after; the blocks' usages."""
    client = Learner(server.base, "x")
    sid = next(s for s, t in scenario_ids(client.get("/")[1]).items() if t.endswith(MODULE.title))
    blocks = blocks_on(client.scenario(sid))
    checks = {e: u for u, t, e in blocks if t == "cg_question"}
    confidence = {e: u for u, t, e in blocks if t == "cg_confidence"}
    for name in names:
        who = client.as_student(name)
        for qid in QUESTIONS:
            assert who.post(checks[qid], "submit", {"selected": list(ELEMENTS[qid].correct_ids)})[0] == 200
        for element, value in zip(sorted(confidence, key=lambda e: bool(ELEMENTS[e].after)), (2, 4)):
            ratings = {s.id: value for s in ELEMENTS[element].statements}
            assert who.post(confidence[element], "save_state", {"ratings": ratings})[0] == 200
    return {"sid": sid, "before": next(u for e, u in confidence.items() if not ELEMENTS[e].after)}


@pytest.fixture(scope="module")
def two_versions(tmp_path_factory):
    """One course: five learners take the module as built from the pack, then the course is
    imported again from a build of the module's next version and five more take it; staff
    download the data file."""
    needs_workbench()
    folder = tmp_path_factory.mktemp("edx-two-versions")
    migrate(folder)
    newer = _newer_pack(folder / "newer")
    # each server serves the module alone (xblock_support.pack_of), as built from each pack
    earlier_checkout = pack_of(folder / "earlier-checkout", [MODULE.id])
    newer_checkout = pack_of(folder / "newer-checkout", [MODULE.id], source=newer / "content")
    for cwd, names in ((earlier_checkout, EARLIER_LEARNERS), (newer_checkout, LATER_LEARNERS)):
        server = Workbench(folder, cwd=cwd, COMMONGROUND_STAFF=STAFF).wait()
        try:
            used = _take_it(server, names)
            if cwd == newer_checkout:
                status, text = Learner(server.base, "x").as_student(STAFF).get(
                    f"/handler/{used['before']}/governance_data/")
                assert status == 200, text
        finally:
            server.stop()
    from scorm_export.coordinator import question_rows, questions_csv
    (folder / "questions.csv").write_bytes(questions_csv(question_rows(require_pack(newer / "content"))))
    (folder / "data.csv").write_text(text, encoding="utf-8")
    return folder


def test_each_row_names_the_version_of_the_block_that_wrote_it(two_versions):
    """The blocks of each build write their module version; the file holds the database's."""
    with sqlite3.connect(two_versions / "workbench.db") as db:
        held = {table: Counter(v for (v,) in db.execute(f"SELECT module_version FROM commonground_{table}"))
                for table in ("checkverdict", "confidencerating")}
    assert held["checkverdict"] == {MODULE.version: 5 * len(QUESTIONS), NEWER: 5 * len(QUESTIONS)}
    assert held["confidencerating"] == {MODULE.version: 10, NEWER: 10}
    rows = _rows((two_versions / "data.csv").read_text(encoding="utf-8"))[1]
    by_learner = {}
    for r in rows:
        by_learner.setdefault(r["learner"], set()).add(r["module_version"])
    assert sorted(map(sorted, by_learner.values())) == [[MODULE.version]] * 5 + [[NEWER]] * 5
    assert Counter(r["module_version"] for r in rows if r["record"] == "verdict") == \
        {MODULE.version: 5 * len(QUESTIONS), NEWER: 5 * len(QUESTIONS)}


def test_a_report_over_two_versions_of_a_module_keeps_them_apart_and_says_so(two_versions, tmp_path):
    data, questions = two_versions / "data.csv", two_versions / "questions.csv"
    code, output = report(data, tmp_path / "refused")
    assert code != 0 and f"is from version {NEWER} of '{MODULE.id}'" in " ".join(output.split())
    assert "--questions" in output and not (tmp_path / "refused").exists()
    out = tmp_path / "report"
    result = CliRunner().invoke(cli.main, ["report", str(data), "--pack", str(CONTENT), "--questions", str(questions),
                                           "--out", str(out)])
    assert result.exit_code == 0, result.output
    uptake = _table(out, CAPTIONS["uptake"])
    earlier, later = f"{MODULE.title} (version {MODULE.version})", f"{MODULE.title} (version {NEWER})"
    for row in (earlier, later):      # five each (shown, or hidden with the "not finished" 0 beside them)
        assert agrees(uptake[(row, "Started")], 5) and agrees(uptake[(row, "Finished")], 5), (row, uptake)
        assert agrees(uptake[(row, "Not finished yet")], 0), (row, uptake)
    assert (MODULE.title, "Started") not in uptake
    passing = _table(out, CAPTIONS["pass"])
    for row in (earlier, later):     # the pack's version, and the one scored by questions.csv's weights
        assert agrees(passing[(row, "Passed first time")], 5), (row, passing)
        assert agrees(passing[(row, "Answered every knowledge check")], 5), (row, passing)
    confidence = _table(out, CAPTIONS["confidence"])
    assert {row.split(":")[0] for row, column in confidence if column == "Rated before and after"} >= {earlier, later}
    html = " ".join(unescape((out / "report.html").read_text(encoding="utf-8")).split())
    assert (f"These exports hold versions {MODULE.version} and {NEWER} of '{MODULE.title}': each version is "
            "reported in rows of its own") in html
    assert "holds no weights" not in html


def test_a_questions_csv_from_before_it_listed_weights_reads_that_version_unscored(two_versions, tmp_path):
    """A coordinator kit built before questions.csv had weight, section and pass mark still
    decodes its version: read, counted as finished, not scored, and the report says why."""
    from governance_report.decode import SCORE_COLUMNS
    rows = list(csv.DictReader(io.StringIO((two_versions / "questions.csv").read_text(encoding="utf-8-sig"))))
    older = tmp_path / "questions.csv"
    with older.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.DictWriter(f, [c for c in rows[0] if c not in SCORE_COLUMNS], extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    out = tmp_path / "report"
    result = CliRunner().invoke(cli.main, ["report", str(two_versions / "data.csv"), "--pack", str(CONTENT),
                                           "--questions", str(older), "--out", str(out)])
    assert result.exit_code == 0, result.output
    later = f"{MODULE.title} (version {NEWER})"
    passing = _table(out, CAPTIONS["pass"])
    assert agrees(passing[(later, "Answered every knowledge check")], 0), passing
    assert agrees(_table(out, CAPTIONS["uptake"])[(later, "Finished")], 5)
    html = " ".join(unescape((out / "report.html").read_text(encoding="utf-8")).split())
    assert f"'{later}' was read with questions.csv, which holds no weights: its pass rate is not shown" in html
