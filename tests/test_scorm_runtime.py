"""Every module's SCORM 1.2 and 2004 packages, played in headless Chromium with scorm-again as
the LMS. Only what the test LMS's server received counts as stored, and a resumed session is
built from that alone (in a new browser context: no device copy).

Scripted learners: one completes and passes (and relaunches: nothing is lowered), one fails, and
one leaves midway by closing the window and resumes. The one who fails plays every module in 2004
and the richest in 1.2; the one who leaves plays every module in 1.2 (the whole module, over two
sessions) and the richest in 2004 (``support.version_cases``, which says what covers what: with
the axe walk of tests/test_scorm_axe.py, every module is played whole through both versions'
APIs). The one who completes plays, in both versions, the modules that hold every kind of element
between them (``support.kind_cover``): what the complete-and-relaunch checks look at beyond the
calls is the adapter's and the codec's own work, the same code for every module, on data the
packager writes and other tests hold for every module. Every call the SCO made is held to the
SCORM rules by scorm_checks (scorm-again alone is more lenient than SCORM 1.2).
"""
from __future__ import annotations

import re
import time

import pytest

from coursepack.completion import summarise
from coursepack.load import require_pack
from scorm_export.package import token

from support import CONTENT, kind_cover, version_cases
from scorm_checks import call_errors, status_sequence_errors, stored_errors
from scorm_learner import answer, calls, complete, current_page, goto, launch, page_with, save_and_exit, state
from scorm_fixtures import scorm_lms, scorm_pack  # noqa: F401,F811 (fixtures)
from scorm_lms import learner_data

PACK = require_pack(CONTENT)
VERSION_KEYS = ["1.2", "2004"]


def module(module_id):
    return PACK.pack.module(module_id)


def rating_ids(mod) -> list[str]:
    """The ids of the likert records a learner who rates every confidence check sends, in page
    order (coursepack.elements.confidence: ``<before>.<statement>.<phase>``)."""
    return [f"{token(c.after or c.id)}.{token(s.id)}.{'after' if c.after else 'before'}"
            for c in mod.confidence_checks for s in c.statements]


def answers_only(records: list[dict]) -> list[dict]:
    return [r for r in records if r["type"] != "likert"]


def interactions(stored: dict) -> list[dict]:
    found: dict[int, dict] = {}
    for k, v in stored.items():
        m = re.match(r"^cmi\.interactions\.(\d+)\.(.+)$", k)
        if m and isinstance(v, str):
            found.setdefault(int(m.group(1)), {})[m.group(2)] = v
    return [found[n] for n in sorted(found)]


def status_of(key: str, stored: dict) -> dict:
    if key == "1.2":
        return {"cmi.core.lesson_status": stored.get("cmi.core.lesson_status", "")}
    return {"cmi.completion_status": stored.get("cmi.completion_status", ""),
            "cmi.success_status": stored.get("cmi.success_status", "")}


def raw_score(key: str, stored: dict) -> str:
    return stored.get("cmi.core.score.raw" if key == "1.2" else "cmi.score.raw", "")


def check_session(key: str, page, lms, sid, held: dict | None = None) -> list:
    made = calls(page)
    problems = call_errors(key, made) + status_sequence_errors(key, made, held or {})
    problems += stored_errors(key, lms.stored(sid))
    assert not problems, problems
    assert not lms.missing, f"the SCO asked for files its package lacks: {lms.missing}"
    return made


def wait_for_commits(lms, sid, count: int, timeout: float = 5.0) -> None:
    end = time.monotonic() + timeout
    while len(lms.commits[sid]) < count and time.monotonic() < end:
        time.sleep(0.02)


def expected_summary(mod, answers: dict[str, bool], pages_seen=None):
    return summarise(mod, pages_seen if pages_seen is not None else [p.id for p in mod.pages], answers)


@pytest.mark.parametrize("key,module_id", [(key, m.id) for key in VERSION_KEYS for m in kind_cover(PACK.pack.modules)])
def test_learner_completes_passes_then_relaunches(browser, scorm_lms, key, module_id):
    mod = module(module_id)
    package = scorm_lms.package_for(key, module_id)
    sid = scorm_lms.new_session(key, package, f"{module_id}/index.html", learner_data(key))
    ctx = browser.new_context()
    try:
        page, frame = launch(ctx, scorm_lms, sid)
        assert len(scorm_lms.commits[sid]) == 1, "exactly one commit at launch"
        assert frame.locator("#cg-status").text_content().strip() == "", "no standalone note in an LMS"
        complete(frame, mod, correct=True)
        summary = frame.evaluate("() => CommonGround.shell.summary()")
        assert summary["complete"] and summary["passed"] and summary["score"] == 100
        save_and_exit(frame)
        made = calls(page)
        # Commits: one at launch, one per page change, one per answer, and at exit one more only
        # if something (a scenario step, a rating) was not committed yet; then Finish, which
        # scorm-again sends as a beacon (it may land a moment later).
        commit_calls = sum(1 for c in made if c[0] == "commit")
        assert commit_calls <= 1 + (len(mod.pages) - 1) + len(mod.graded) + 1
        wait_for_commits(scorm_lms, sid, commit_calls + 1)
        time.sleep(0.05)
        assert len(scorm_lms.commits[sid]) == commit_calls + 1
        check_session(key, page, scorm_lms, sid)
        stored = scorm_lms.stored(sid)
        assert sum(1 for c in made if c[0] == "finish") == 1
        if key == "1.2":
            assert stored["cmi.core.lesson_status"] == "passed"
            assert stored["cmi.core.exit"] == "suspend"
            assert stored["cmi.core.lesson_location"] == mod.pages[-1].id
            assert (stored["cmi.core.score.raw"], stored["cmi.core.score.min"], stored["cmi.core.score.max"]) == \
                ("100", "0", "100")
        else:
            assert (stored["cmi.completion_status"], stored["cmi.success_status"]) == ("completed", "passed")
            assert stored["cmi.exit"] == "suspend"
            assert stored["cmi.location"] == mod.pages[-1].id
            assert (stored["cmi.score.raw"], stored["cmi.score.scaled"]) == ("100", "1")
            assert [c[2] for c in made if c[0] == "set" and c[1] == "adl.nav.request"] == ["suspendAll"]
        records = interactions(stored)
        answered = answers_only(records)
        assert [r["id"] for r in answered] == [token(q.id) for q in mod.graded], "one interaction per answer"
        assert {r["result"] for r in answered} == {"correct"}
        response = "student_response" if key == "1.2" else "learner_response"
        assert all(r[response] == r["correct_responses.0.pattern"] for r in answered)
        ratings = [r for r in records if r["type"] == "likert"]
        assert [r["id"] for r in ratings] == rating_ids(mod), "one likert record per statement rated"
        assert {(r[response], r["result"]) for r in ratings} <= {("3", "neutral")}
        if key == "2004":
            assert all(r["description"].startswith("{lang=") for r in records)
        suspend = stored["cmi.suspend_data"]
        assert 0 < len(suspend) < 4096 // 2
        texts = " ".join(str(v) for c in scorm_lms.commits[sid] for v in c.values())
        for r in mod.reflections:
            assert not re.search(rf"(?<![\w-]){re.escape(r.id)}(?![\w-])", texts), \
                "no reflection, and no reflection id, reaches the LMS by default"
        first_state = state(frame)
    finally:
        ctx.close()

    # A new browser (no device copy), from what the LMS stored only.
    initial = scorm_lms.resume_data(sid, key)
    sid2 = scorm_lms.new_session(key, package, f"{module_id}/index.html", initial)
    ctx2 = browser.new_context()
    try:
        page2, frame2 = launch(ctx2, scorm_lms, sid2)
        again = state(frame2)
        assert again["loc"] == len(mod.pages) - 1, "same page"
        assert again["q"] == first_state["q"] and again["s"] == first_state["s"] and again["c"] == first_state["c"]
        assert frame2.evaluate("() => CommonGround.shell.summary()") == summary
        assert len(scorm_lms.commits[sid2]) == 1, "exactly one commit at launch"
        stored2 = scorm_lms.stored(sid2)
        assert status_of(key, stored2) == status_of(key, stored), "no status change on relaunch"
        assert raw_score(key, stored2) == raw_score(key, stored)
        assert len(interactions(stored2)) == len(records), "relaunch reports no answer twice"
        check_session(key, page2, scorm_lms, sid2, held=status_of(key, initial))
    finally:
        ctx2.close()


@pytest.mark.parametrize("key,module_id", version_cases(PACK.pack.modules, full="2004"))
def test_learner_fails(browser, scorm_lms, key, module_id):
    mod = module(module_id)
    sid = scorm_lms.new_session(key, scorm_lms.package_for(key, module_id), f"{module_id}/index.html",
                                learner_data(key))
    ctx = browser.new_context()
    try:
        page, frame = launch(ctx, scorm_lms, sid)
        complete(frame, mod, correct=False, extras=False, first_right=True)
        answers = {q.id: n == 0 for n, q in enumerate(mod.graded)}
        expected = expected_summary(mod, answers)
        assert expected.complete and not expected.passed
        summary = frame.evaluate("() => CommonGround.shell.summary()")
        assert summary["score"] == pytest.approx(expected.score) and not summary["passed"]
        assert "not reached the pass mark" in frame.locator("#cg-summary").text_content()
        check_session(key, page, scorm_lms, sid)
        stored = scorm_lms.stored(sid)
        assert float(raw_score(key, stored)) == pytest.approx(expected.score, abs=0.005)
        if key == "1.2":
            assert stored["cmi.core.lesson_status"] == "failed"
        else:
            assert (stored["cmi.completion_status"], stored["cmi.success_status"]) == ("completed", "failed")
            assert float(stored["cmi.score.scaled"]) == pytest.approx(expected.score / 100, abs=0.0001)
        results = [r["result"] for r in interactions(stored)]
        wrong = "wrong" if key == "1.2" else "incorrect"
        assert results == ["correct"] + [wrong] * (len(mod.graded) - 1)
    finally:
        ctx.close()


@pytest.mark.parametrize("key,module_id", version_cases(PACK.pack.modules, full="1.2"))
def test_learner_closes_the_window_midway_and_resumes(browser, scorm_lms, key, module_id):
    mod = module(module_id)
    package = scorm_lms.package_for(key, module_id)
    midway = max(2, len(mod.pages) // 2)
    sid = scorm_lms.new_session(key, package, f"{module_id}/index.html", learner_data(key))
    ctx = browser.new_context()
    try:
        page, frame = launch(ctx, scorm_lms, sid)
        complete(frame, mod, correct=True, stop=midway)
        before = state(frame)
        summary = frame.evaluate("() => CommonGround.shell.summary()")
        assert not summary["complete"]
        made = calls(page)
        page.close(run_before_unload=True)            # the window is closed: no Exit button
    finally:
        ctx.close()
    problems = call_errors(key, made) + stored_errors(key, scorm_lms.stored(sid))
    assert not problems, problems
    stored = scorm_lms.stored(sid)
    assert status_of(key, stored)[("cmi.core.lesson_status" if key == "1.2" else "cmi.completion_status")] == "incomplete"

    initial = scorm_lms.resume_data(sid, key)
    assert initial.get("cmi.core.entry" if key == "1.2" else "cmi.entry") == "resume", \
        "a closed window still leaves the attempt suspended"
    sid2 = scorm_lms.new_session(key, package, f"{module_id}/index.html", initial)
    ctx2 = browser.new_context()
    try:
        page2, frame2 = launch(ctx2, scorm_lms, sid2)
        again = state(frame2)
        assert again["loc"] == midway - 1 == current_page(frame2), "same page"
        assert again["q"] == before["q"], "same answers"
        assert again["pages"] == before["pages"]
        assert frame2.evaluate("() => CommonGround.shell.summary()") == summary, "same score and progress"
        stored2 = scorm_lms.stored(sid2)
        assert status_of(key, stored2) == status_of(key, stored), "no downgrade, no change at launch"
        complete(frame2, mod, correct=True, start=midway - 1)
        save_and_exit(frame2)
        check_session(key, page2, scorm_lms, sid2, held=status_of(key, initial))
        final = scorm_lms.stored(sid2)
        if key == "1.2":
            assert final["cmi.core.lesson_status"] == "passed"
        else:
            assert (final["cmi.completion_status"], final["cmi.success_status"]) == ("completed", "passed")
        records = interactions(final)
        assert sorted(r["id"] for r in answers_only(records)) == sorted(token(q.id) for q in mod.graded), \
            "answers of both sessions reported once each, none overwritten"
        assert {r["id"] for r in records if r["type"] == "likert"} == set(rating_ids(mod)), \
            "ratings of both sessions reported"
    finally:
        ctx2.close()


@pytest.mark.parametrize("key", VERSION_KEYS)
def test_a_sco_in_the_whole_pack_package_plays(browser, scorm_lms, key):
    mod = PACK.pack.modules[1]
    sid = scorm_lms.new_session(key, scorm_lms.package_for(key, None), f"{mod.id}/index.html", learner_data(key))
    ctx = browser.new_context()
    try:
        page, frame = launch(ctx, scorm_lms, sid)
        q = mod.questions[0]
        goto(frame, page_with(mod, lambda e: e == q))
        answer(frame, q, list(q.correct_ids))
        save_and_exit(frame)
        stored = scorm_lms.stored(sid)
        assert interactions(stored)[0]["id"] == token(q.id)
        navs = [c[2] for c in calls(page) if c[0] == "set" and c[1] == "adl.nav.request"]
        assert navs == ([] if key == "1.2" else ["suspendAll"])
        check_session(key, page, scorm_lms, sid)
        assert not [m for m in scorm_lms.missing if "pack" in m]
    finally:
        ctx.close()


@pytest.mark.parametrize("key", VERSION_KEYS)
def test_start_over_clears_the_attempt_without_lowering_status(browser, scorm_lms, key):
    mod = PACK.pack.modules[0]
    package = scorm_lms.package_for(key, mod.id)
    sid = scorm_lms.new_session(key, package, f"{mod.id}/index.html", learner_data(key))
    ctx = browser.new_context()
    try:
        page, frame = launch(ctx, scorm_lms, sid)
        complete(frame, mod, correct=True, extras=False, stop=3)
        frame.locator("[data-cg-action=restart-module]").click()
        frame.locator("[data-cg-action=restart-confirm]").click()
        frame.wait_for_function("() => /start over/i.test(document.getElementById('cg-status').textContent)")
        assert frame.locator(".cg-layout").is_hidden()
        made = check_session(key, page, scorm_lms, sid)
        stored = scorm_lms.stored(sid)
        exits = [c[2] for c in made if c[0] == "set" and c[1] in ("cmi.core.exit", "cmi.exit")]
        if key == "1.2":
            assert exits[-1] == "" and stored["cmi.suspend_data"] == "" and stored["cmi.core.lesson_location"] == ""
            assert stored["cmi.core.lesson_status"] == "incomplete"
        else:
            assert exits[-1] == "normal"
            assert [c[2] for c in made if c[1] == "adl.nav.request"] == ["exitAll"]
        commits = len(scorm_lms.commits[sid])
        frame.locator(".cg-page:not([hidden])").evaluate("el => el")   # the page is still there
        assert len(scorm_lms.commits[sid]) == commits
    finally:
        ctx.close()
    initial = scorm_lms.resume_data(sid, key)
    sid2 = scorm_lms.new_session(key, package, f"{mod.id}/index.html", initial)
    ctx2 = browser.new_context()
    try:
        page2, frame2 = launch(ctx2, scorm_lms, sid2)
        fresh = state(frame2)
        assert fresh["q"] == {} and fresh["loc"] == 0 and fresh["pages"][1:] == [False] * (len(mod.pages) - 1)
        check_session(key, page2, scorm_lms, sid2, held=status_of(key, initial))
    finally:
        ctx2.close()


def test_reflections_reach_the_lms_only_after_opting_in(browser, scorm_lms):
    key = "2004"
    mod = PACK.pack.modules[0]
    reflection = mod.reflections[0]
    page_index = next(i for i, p in enumerate(mod.pages) if reflection in p.elements)
    text = "Private: I once avoided a colleague; 100% sure! ok:yes"
    sid = scorm_lms.new_session(key, scorm_lms.package_for(key, mod.id), f"{mod.id}/index.html", learner_data(key))
    ctx = browser.new_context()
    try:
        page, frame = launch(ctx, scorm_lms, sid)
        frame.locator(f'[data-cg-goto="{page_index}"]').click()
        widget = frame.locator(f'[id="{reflection.id}"]')
        widget.locator("textarea").fill(text)
        widget.locator("[data-cg-action=save]").click()
        frame.locator("[data-cg-action=next]").click()
        frame.locator("[data-cg-action=prev]").click()
        sent = " ".join(str(v) for c in scorm_lms.commits[sid] for v in c.values())
        assert "Private" not in sent and not re.search(rf"(?<![\w-]){re.escape(reflection.id)}:", sent)
        assert not [c for c in calls(page) if c[0] == "set" and "interactions" in c[1]]
        widget.locator(".cg-optin-box").check()
        frame.locator("[data-cg-action=next]").click()
        stored = scorm_lms.stored(sid)
        assert reflection.id in stored["cmi.suspend_data"]
        save_and_exit(frame)
    finally:
        ctx.close()
    sid2 = scorm_lms.new_session(key, scorm_lms.package_for(key, mod.id), f"{mod.id}/index.html",
                                 scorm_lms.resume_data(sid, key))
    ctx2 = browser.new_context()
    try:
        page2, frame2 = launch(ctx2, scorm_lms, sid2)
        assert state(frame2)["r"][reflection.id] == text, "opted-in reflection resumes on another device"
        assert frame2.locator(".cg-optin-box").first.is_checked()
    finally:
        ctx2.close()


def test_long_opted_in_reflections_stay_on_the_device_in_scorm_12(browser, scorm_lms, tmp_path):
    key = "1.2"
    mod = max(PACK.pack.modules, key=lambda m: sum(r.max_length for r in m.reflections))
    sid = scorm_lms.new_session(key, scorm_lms.package_for(key, mod.id), f"{mod.id}/index.html", learner_data(key))
    ctx = browser.new_context(accept_downloads=True)
    try:
        page, frame = launch(ctx, scorm_lms, sid)
        texts = {}
        for r in mod.reflections:
            index = next(i for i, p in enumerate(mod.pages) if r in p.elements)
            frame.locator(f'[data-cg-goto="{index}"]').click()
            frame.locator(f'[id="{r.id}"] .cg-optin-box').check()
            texts[r.id] = ("%!;:" * r.max_length)[: r.max_length]     # escapes to 3 characters each
            frame.locator(f'[id="{r.id}"] textarea').fill(texts[r.id])
            frame.locator(f'[id="{r.id}"] [data-cg-action=save]').click()
        frame.locator('[data-cg-goto="0"]').click()
        frame.wait_for_function("() => /too long/.test(document.getElementById('cg-status').textContent)")
        stored = scorm_lms.stored(sid)
        assert len(stored["cmi.suspend_data"]) <= 4096
        assert "%25%21" not in stored["cmi.suspend_data"], "no reflection text went to the LMS"
        check_session(key, page, scorm_lms, sid)
        assert state(frame)["r"] == texts, "every reflection kept"
        frame.locator(f'[data-cg-goto="{index}"]').click()
        with page.expect_download() as download:
            frame.locator(f'[id="{mod.reflections[-1].id}"] [data-cg-action=download]').click()
        target = tmp_path / "reflections.txt"
        download.value.save_as(target)
        saved = target.read_text(encoding="utf-8")
        assert all(t in saved for t in texts.values())
    finally:
        ctx.close()
