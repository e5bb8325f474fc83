"""The workbench, started on a free port in a subprocess and driven over HTTP (CSRF included):
a learner completes a whole module through the handlers, with the grade and completion values
the workbench logs; fifty learners rate a confidence check at once through two server processes
sharing one SQLite database, and no count is lost.

Every test here plays the pack's first module, so the server serves that module alone
(``WORKBENCH_MODULES``): starting on the whole pack costs three times as long. That every
scenario of the whole pack renders is checked in tests/test_xblock_browser.py, on the page
loads its axe runs make anyway."""
from __future__ import annotations

import json
import re
import sqlite3
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest

from coursepack.load import require_pack
from xblock_support import (REPO, Learner, Workbench, events, migrate, needs_workbench, pack, pack_of,  # noqa: F401
                            usages, walk_to_ending, workbench)

pytestmark = pytest.mark.slow
# The pack's first module (the blocks' first examples, cg_question.0 and cg_confidence.0, are its).
WORKBENCH_MODULES = [require_pack(REPO / "content").pack.modules[0].id]


def scenario_ids(html: str) -> dict[str, str]:
    return dict(re.findall(r'href="/scenario/([^/"]+)/">([^<]+)<', html))


def blocks_on(html: str) -> list[tuple[str, str, str]]:
    """(usage id, block type, element id or '') of our blocks on a workbench page, in order."""
    parts = re.split(r"(?=<div class='xblock-v1 xblock-v1-student_view')", html)
    out = []
    for part in parts:
        found = usages(part)
        if found and found[0][1].startswith("cg_"):
            element = re.search(r'data-cg-id="([^"]+)"', part)
            out.append((found[0][0], found[0][1], element.group(1) if element else ""))
    return out


def init_args(html: str, usage: str) -> dict:
    part = html[html.index(f"data-usage='{usage}'"):]
    return json.loads(re.search(r'class="xblock_json_init_args">\s*(.*?)\s*</script>', part, re.S).group(1))


def test_the_attempts_left_come_through_the_workbench_i18n_service(workbench):
    """Its i18n service is Django's translation module: ngettext picks each count's form."""
    html = Learner(workbench.base, "plural").scenario("cg_question.0")
    texts = init_args(html, blocks_on(html)[0][0])["strings"]
    assert [texts[f"{{n}} attempts left.|{n}"] for n in (1, 2, 20)] == \
        ["{n} attempt left.", "{n} attempts left.", "{n} attempts left."]


def test_csrf_is_required(workbench):
    learner = Learner(workbench.base, "csrf-check")
    html = learner.scenario("cg_question.0")
    usage = blocks_on(html)[0][0]
    status, _ = learner.post(usage, "submit", {"selected": ["public"]}, csrf=False)
    assert status == 403
    status, reply = learner.post(usage, "submit", {"selected": ["public"]})
    assert status == 200 and reply["correct"] is False


def test_refusals_over_http_say_why(workbench):
    learner = Learner(workbench.base, "refused")
    usage = blocks_on(learner.scenario("cg_question.0"))[0][0]
    assert learner.post(usage, "submit", body=b"{not json") == (400, {"error": "the request is not JSON"})
    assert learner.post(usage, "submit", {"selected": ["nope"]}) == (400, {"error": "unknown option 'nope'"})
    assert learner.post(usage, "submit", {"selected": "public"})[0] == 400
    status, _ = learner.get(f"/handler/{usage}/submit/")
    assert status == 405


def test_studio_saves_over_http_all_or_nothing(workbench):
    """XBlock's Studio handler (submit_studio_edits) behind the workbench's Django request."""
    author = Learner(workbench.base, "author")
    html = author.scenario("cg_page.0")
    usage = blocks_on(html)[0][0]
    saved = init_args(html, usage)
    for raw in (b"[1]", b"{not json", b'{"values": [], "defaults": []}', b'{"values": {"content": 5}, "defaults": []}',
                b'{"values": {"completed": "true"}, "defaults": []}', b'{"values": {}, "defaults": [7]}'):
        status, reply = author.post(usage, "submit_studio_edits", body=raw)
        assert status == 400 and reply["error"], (raw, status, reply)
    status, reply = author.post(usage, "submit_studio_edits", {
        "values": {"display_name": "Renamed", "content": "Words.\n\n::: pause"}, "defaults": []})
    assert status == 400 and "never closed" in reply["error"]["messages"][0]["text"]
    assert "Renamed" not in author.scenario("cg_page.0")
    same = {"display_name": f" {saved['display_name']} ", "module": saved["module"]}   # saved stripped
    assert author.post(usage, "submit_studio_edits", {"values": same, "defaults": []}) == (200, {"result": "success"})
    assert init_args(author.scenario("cg_page.0"), usage)["display_name"] == saved["display_name"]


def test_a_learner_completes_a_whole_module_over_http(workbench, pack):
    module = pack.modules[0]
    elements = {e.id: e for p in module.pages for e in p.elements if hasattr(e, "id")}
    learner = Learner(workbench.base, "module-learner")
    sid = next(s for s, t in scenario_ids(learner.get("/")[1]).items() if t.endswith(module.title))
    html = learner.scenario(sid)
    blocks = blocks_on(html)
    assert Counter(t for _, t, _ in blocks)["cg_question"] == len(module.questions)
    for usage, tag, element_id in blocks:
        element = elements.get(element_id)
        if tag in ("cg_page", "cg_reflection", "cg_confidence"):
            assert learner.post(usage, "viewed") == (200, {"completion": 1.0})
        if tag == "cg_question":
            status, reply = learner.post(usage, "submit", {"selected": list(element.correct_ids)})
            assert status == 200 and reply["correct"] is True, element_id
        elif tag == "cg_reflection":
            assert learner.post(usage, "save_state", {"text": f"My thoughts on {element_id}."})[0] == 200
        elif tag == "cg_scenario":
            status, reply = learner.post(usage, "save_state", {"path": walk_to_ending(element), "ended": True})
            assert status == 200 and reply["ended"] is True
        elif tag == "cg_confidence":
            ratings = {s.id: 3 for s in element.statements}
            status, reply = learner.post(usage, "save_state", {"ratings": ratings})
            assert status == 200
            assert reply["before"] == (ratings if element.after else None)

    logged = [e for e in events(workbench.folder) if e[1] in {u for u, _, _ in blocks}]
    completions = {u: d for kind, u, d in logged if kind == "completion"}
    assert set(completions) == {u for u, _, _ in blocks}
    assert set(map(json.dumps, completions.values())) == {json.dumps({"completion": 1.0})}
    grades = [(u, d) for kind, u, d in logged if kind == "grade"]
    assert len(grades) == len(module.questions)
    assert all(d["value"] == d["max_value"] == 1.0 for _, d in grades)
    assert not [e for e in logged if e[0] not in ("grade", "completion")]
    assert "My thoughts" not in (workbench.folder / "events.log").read_text()

    # on return, every knowledge check shows the learner's answer as right
    again = learner.scenario(sid)
    for usage, tag, element_id in blocks:
        state = init_args(again, usage)["state"]
        if tag == "cg_question":
            assert state["result"]["correct"] is True and sorted(state["selected"]) == sorted(elements[element_id].correct_ids)
        if tag in ("cg_page", "cg_reflection", "cg_confidence", "cg_question", "cg_scenario"):
            assert init_args(again, usage)["completed"] is True

    # the reflections of the course come back as one text file
    reflection = next(u for u, t, _ in blocks if t == "cg_reflection")
    status, text = learner.get(f"/handler/{reflection}/download/")
    assert status == 200
    for element in module.reflections:
        assert f"My thoughts on {element.id}." in text


def test_only_staff_see_the_anonymous_summary(workbench):
    staff, learner = Learner(workbench.base, "staff"), Learner(workbench.base, "not-staff")
    assert "anonymous summary" in staff.scenario("cg_confidence.0")
    assert "anonymous summary" not in learner.scenario("cg_confidence.0")


def test_fifty_learners_at_once_through_two_server_processes(tmp_path, pack):
    """One row per learner with a unique key: concurrent submissions through several processes
    (each with its own threads) sharing one database lose no count. The servers serve the first
    module only (its confidence check is the first one, cg_confidence.0)."""
    needs_workbench()
    migrate(tmp_path)
    checkout = pack_of(tmp_path / "checkout", [pack.modules[0].id])
    first = Workbench(tmp_path, cwd=checkout).wait()
    second = Workbench(tmp_path, cwd=checkout).wait()   # one after the other: each loads the scenarios once
    try:
        servers = [first, second]
        usage = blocks_on(Learner(first.base, "x").scenario("cg_confidence.0"))[0][0]
        clients = [Learner(server.base, "crowd") for server in servers]
        for client in clients:
            client.scenario("cg_confidence.0")    # the page sets the client's CSRF cookie
        learners = [clients[n % 2].as_student(f"crowd-{n:02d}") for n in range(50)]

        def rate(n_learner):
            n, learner = n_learner
            ratings = {"explain": 1 + n % 5, "words": 1 + (n // 5) % 5, "challenge": 1 + (n // 25) % 5}
            # The dev server's listen queue is short (socketserver keeps 5), so the OS may reset a
            # connection before Django sees it. Saving a rating is idempotent (one row per
            # learner), so sending it again is safe and the count must still come out exact.
            for attempt in range(5):
                try:
                    return learner.post(usage, "save_state", {"ratings": ratings})
                except (ConnectionResetError, ConnectionRefusedError):
                    time.sleep(0.2 * (attempt + 1))
            return learner.post(usage, "save_state", {"ratings": ratings})

        with ThreadPoolExecutor(max_workers=50) as pool:
            replies = list(pool.map(rate, enumerate(learners)))
        assert [status for status, _ in replies] == [200] * 50, replies
        with sqlite3.connect(tmp_path / "workbench.db") as db:
            rows = db.execute("SELECT COUNT(*), COUNT(DISTINCT learner) FROM commonground_confidencerating "
                              "WHERE check_key = 'stigma/cf-before'").fetchone()
        assert rows == (50, 50)
        staff = Learner(second.base, "staff")
        staff.scenario("cg_confidence.0")
        status, summary = staff.post(usage, "aggregates")
        assert status == 200 and summary["learners"] == 50
        assert summary["statements"][0]["counts"] == [10, 10, 10, 10, 10]
    finally:
        first.stop()
        second.stop()


def test_the_checks_of_a_module_submitted_at_once_all_count(workbench, pack):
    """Each verdict is a row of its own: answers sent together (two tabs, a quick learner, a
    retried request) never overwrite each other, so the module's standing counts every one."""
    module = pack.modules[0]
    elements = {e.id: e for p in module.pages for e in p.elements if hasattr(e, "id")}
    sid = next(s for s, t in scenario_ids(Learner(workbench.base, "x").get("/")[1]).items()
               if t.endswith(module.title))
    page = Learner(workbench.base, "x").scenario(sid)
    assert page.count("static/widgets.js") == 1, "the shared player is named once on a page of every kind"
    assert "shell.js" not in page, "a unit page never loads the module shell"
    for n in range(3):
        learner = Learner(workbench.base, f"quick-{n}")
        checks = [(u, elements[e]) for u, t, e in blocks_on(learner.scenario(sid)) if t == "cg_question"]
        assert len(checks) == len(module.questions) > 1

        def answer(check):
            usage, question = check
            return learner.post(usage, "submit", {"selected": list(question.correct_ids)})

        with ThreadPoolExecutor(max_workers=len(checks)) as pool:
            replies = list(pool.map(answer, checks))
        assert [status for status, _ in replies] == [200] * len(checks), replies
        status, text = learner.get(f"/handler/{checks[0][0]}/student_view_user_state/")
        standing = json.loads(text)["module"]
        assert status == 200 and standing["answered"] == standing["total"] == len(checks)
        assert standing["score"] == 100.0 and standing["passed"] is True
