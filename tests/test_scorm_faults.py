"""Fault injection: the SCORM adapter loses no answer when the LMS misbehaves.

No API at all (standalone, with a note; at once when opened from its folder, after saying it
is looking when in a frame); an API that appears late or lives in the opener;
SetValue returning "false"; Commit failing (the LMS's server answers 500); the window closed
while commits fail, then a new session on the same device.
"""
from __future__ import annotations

import io
import re
import time
import zipfile
from datetime import datetime

from coursepack.load import require_pack
from scorm_export.package import VERSIONS, module_zip, token

from support import CONTENT
from scorm_checks import call_errors
from scorm_fixtures import scorm_lms, scorm_pack  # noqa: F401,F811 (fixtures)
from scorm_learner import READY, answer, calls, go_next, goto, launch, state
from scorm_lms import learner_data

PACK = require_pack(CONTENT)
MOD = PACK.pack.modules[0]
QUESTIONS = [(i, el) for i, p in enumerate(MOD.pages) for el in p.elements if el.kind == "question"]
FAILED = "did not work"


def stored_ids(stored: dict) -> list[str]:
    return [v for k, v in sorted(stored.items()) if re.match(r"^cmi\.interactions\.\d+\.id$", k)]


def status_text(frame) -> str:
    return frame.locator("#cg-status").text_content()


def test_no_api_runs_standalone_says_so_and_keeps_answers_on_the_device(browser, scorm_lms):
    url = f"{scorm_lms.url}/pkg/{scorm_lms.package_for('1.2', MOD.id)}/{MOD.id}/index.html"
    ctx = browser.new_context()
    try:
        page = ctx.new_page()
        page.goto(url)
        frame = page.main_frame
        frame.wait_for_function(READY, timeout=10000)
        frame.wait_for_function("() => /on its own/.test(document.getElementById('cg-status').textContent)")
        index, q = QUESTIONS[0]
        goto(frame, index)
        answer(frame, q, list(q.correct_ids))
        assert FAILED not in status_text(frame)
        page.reload()
        frame = page.main_frame
        frame.wait_for_function(READY, timeout=10000)
        assert state(frame)["q"][q.id]["sel"] == list(q.correct_ids)
        assert state(frame)["loc"] == index
    finally:
        ctx.close()


def opened_on(frame, index: int, mod=MOD) -> bool:
    """The shell is on page ``index``, that page alone shows, and the focus is on its heading."""
    return frame.evaluate("""([n, heading]) => CommonGround.shell.state().loc === n &&
        !document.querySelectorAll('.cg-page')[n].hidden &&
        document.querySelectorAll('.cg-page:not([hidden])').length === 1 &&
        document.activeElement.id === heading""", [index, f"h-{mod.pages[index].id}"])


def test_a_package_opened_from_its_folder_runs_at_once_and_every_link_works(browser, scorm_pack, tmp_path):
    """A reviewer double-clicks index.html in an unzipped package (file://, no frame, no window
    that opened it): no LMS can appear, so the module runs on its own from the start (by the
    load event, not after a search), and the contents list, "Next page" and the "Still to do"
    links each open their page with the focus on its heading."""
    with zipfile.ZipFile(io.BytesIO(module_zip(scorm_pack, MOD, VERSIONS["1.2"]))) as z:
        z.extractall(tmp_path)
    ctx = browser.new_context()
    try:
        page = ctx.new_page()
        page.goto((tmp_path / MOD.id / "index.html").as_uri())
        frame = page.main_frame
        assert frame.evaluate(READY), "not running when the page had loaded"
        frame.wait_for_function("() => /on its own/.test(document.getElementById('cg-status').textContent)")
        frame.locator('[data-cg-goto="2"]').click()
        assert opened_on(frame, 2)
        frame.locator("[data-cg-action=next]").click()
        assert opened_on(frame, 3)
        last = len(MOD.pages) - 1
        frame.locator(f'[data-cg-goto="{last}"]').click()
        assert opened_on(frame, last)
        frame.locator(".cg-left a", has_text="Read the page").first.click()     # page 2 was skipped
        assert opened_on(frame, 1)
    finally:
        ctx.close()


def test_in_a_frame_with_no_lms_it_says_it_is_looking_and_keeps_a_link_followed_meanwhile(browser, scorm_lms):
    """In a frame an LMS may still be setting up its API, so the package looks for a while and
    says so; a contents link followed meanwhile opens its page once the module runs on its own.
    The page's clock is held still while looking, so the search cannot end before the click."""
    sid = scorm_lms.new_session("1.2", scorm_lms.package_for("1.2", MOD.id), f"{MOD.id}/index.html",
                                learner_data("1.2"), api_delay_ms=-1)
    ctx = browser.new_context()
    try:
        ctx.clock.install()
        ctx.clock.pause_at(datetime(2026, 1, 1))
        page = ctx.new_page()
        page.goto(scorm_lms.launch_url(sid))
        frame = page.wait_for_selector("#sco").content_frame()
        frame.wait_for_function("() => /Looking for your learning system/.test(document.getElementById('cg-status').textContent)")
        assert not frame.evaluate(READY)
        frame.locator('[data-cg-goto="2"]').click()
        ctx.clock.resume()
        frame.wait_for_function(READY, timeout=10000)
        assert opened_on(frame, 2)
        frame.wait_for_function("() => /on its own/.test(document.getElementById('cg-status').textContent)")
        frame.locator("[data-cg-action=next]").click()
        assert opened_on(frame, 3)
    finally:
        ctx.close()


def test_api_that_appears_late_is_found(browser, scorm_lms):
    key = "2004"
    sid = scorm_lms.new_session(key, scorm_lms.package_for(key, MOD.id), f"{MOD.id}/index.html",
                                learner_data(key), api_delay_ms=700)
    ctx = browser.new_context()
    try:
        page, frame = launch(ctx, scorm_lms, sid)
        assert "on its own" not in status_text(frame)
        assert len(scorm_lms.commits[sid]) == 1
    finally:
        ctx.close()


def test_api_in_the_opener_window_is_found(browser, scorm_lms):
    key = "1.2"
    sid = scorm_lms.new_session(key, scorm_lms.package_for(key, MOD.id), f"{MOD.id}/index.html",
                                learner_data(key), popup=True)
    ctx = browser.new_context()
    try:
        opener = ctx.new_page()
        with ctx.expect_page() as popup_info:
            opener.goto(scorm_lms.launch_url(sid))
        popup = popup_info.value
        frame = popup.main_frame
        frame.wait_for_function(READY, timeout=10000)
        index, q = QUESTIONS[0]
        goto(frame, index)
        answer(frame, q, list(q.correct_ids))
        assert stored_ids(scorm_lms.stored(sid)) == [token(q.id)]
        assert not call_errors(key, calls(opener))
    finally:
        ctx.close()


def test_setvalue_returning_false_loses_no_answer(browser, scorm_lms):
    for key in ("1.2", "2004"):
        sid = scorm_lms.new_session(key, scorm_lms.package_for(key, MOD.id), f"{MOD.id}/index.html",
                                    learner_data(key))
        ctx = browser.new_context()
        try:
            page, frame = launch(ctx, scorm_lms, sid)
            page.evaluate(r"() => { window.faults.setValue = '^cmi\\.(interactions|suspend_data)'; }")
            (i1, q1), (i2, q2) = QUESTIONS[0], QUESTIONS[1]
            goto(frame, i1)
            answer(frame, q1, list(q1.correct_ids))
            frame.wait_for_function(f"() => /{FAILED}/.test(document.getElementById('cg-status').textContent)")
            goto(frame, i2)
            answer(frame, q2, list(q2.correct_ids))
            stored = scorm_lms.stored(sid)
            assert stored_ids(stored) == [] and q1.id not in stored.get("cmi.suspend_data", "")
            page.evaluate("() => { window.faults.setValue = null; }")
            go_next(frame)                                    # the next commit sends everything
            stored = scorm_lms.stored(sid)
            assert stored_ids(stored) == [token(q1.id), token(q2.id)]
            assert q1.id in stored["cmi.suspend_data"] and q2.id in stored["cmi.suspend_data"]
            assert not call_errors(key, calls(page))
        finally:
            ctx.close()


def test_commit_failing_then_recovering_loses_no_answer(browser, scorm_lms):
    key = "2004"
    sid = scorm_lms.new_session(key, scorm_lms.package_for(key, MOD.id), f"{MOD.id}/index.html", learner_data(key))
    ctx = browser.new_context()
    try:
        page, frame = launch(ctx, scorm_lms, sid)
        scorm_lms.sessions[sid].fail_commits = True
        index, q = QUESTIONS[0]
        goto(frame, index)
        answer(frame, q, list(q.correct_ids))
        frame.wait_for_function(f"() => /{FAILED}/.test(document.getElementById('cg-status').textContent)")
        assert stored_ids(scorm_lms.stored(sid)) == []
        scorm_lms.sessions[sid].fail_commits = False
        go_next(frame)
        stored = scorm_lms.stored(sid)
        assert stored_ids(stored) == [token(q.id)] and q.id in stored["cmi.suspend_data"]
    finally:
        ctx.close()


def test_window_closed_while_commits_fail_then_next_session_on_the_same_device(browser, scorm_lms):
    """The LMS never received the answers; the device copy brings them back, merged with what
    the LMS holds, and the next launch's one commit sends them (and their interactions)."""
    for key in ("1.2", "2004"):
        package = scorm_lms.package_for(key, MOD.id)
        sid = scorm_lms.new_session(key, package, f"{MOD.id}/index.html", learner_data(key))
        ctx = browser.new_context()
        try:
            page, frame = launch(ctx, scorm_lms, sid)
            (i1, q1), (i2, q2) = QUESTIONS[0], QUESTIONS[1]
            goto(frame, i1)
            answer(frame, q1, list(q1.correct_ids))          # this one reaches the LMS
            scorm_lms.sessions[sid].fail_commits = True
            goto(frame, i2)
            answer(frame, q2, [o.id for o in q2.options if not o.correct][:1])
            before = state(frame)
            page.close(run_before_unload=True)
            time.sleep(0.2)
            stored = scorm_lms.stored(sid)
            assert stored_ids(stored) == [token(q1.id)] and q2.id not in stored["cmi.suspend_data"]

            sid2 = scorm_lms.new_session(key, package, f"{MOD.id}/index.html", scorm_lms.resume_data(sid, key))
            page2, frame2 = launch(ctx, scorm_lms, sid2)      # same browser: the device copy is there
            again = state(frame2)
            assert again["q"] == before["q"], "both answers, after a merge"
            assert again["loc"] == i2, "the device's place (newer than the LMS's bookmark)"
            assert len(scorm_lms.commits[sid2]) == 1
            stored2 = scorm_lms.stored(sid2)
            assert q2.id in stored2["cmi.suspend_data"]
            assert stored_ids(stored2) == [token(q1.id), token(q2.id)], "the unsent interaction is sent again, once"
            assert not call_errors(key, calls(page2))
        finally:
            ctx.close()


def test_another_learner_on_the_same_device_never_gets_the_device_copy(browser, scorm_lms):
    key = "2004"
    package = scorm_lms.package_for(key, MOD.id)
    sid = scorm_lms.new_session(key, package, f"{MOD.id}/index.html", learner_data(key, "alice"))
    ctx = browser.new_context()
    try:
        page, frame = launch(ctx, scorm_lms, sid)
        scorm_lms.sessions[sid].fail_commits = True
        index, q = QUESTIONS[0]
        goto(frame, index)
        answer(frame, q, list(q.correct_ids))
        page.close(run_before_unload=True)
        sid2 = scorm_lms.new_session(key, package, f"{MOD.id}/index.html", learner_data(key, "bob"))
        page2, frame2 = launch(ctx, scorm_lms, sid2)
        assert state(frame2)["q"] == {} and state(frame2)["loc"] == 0
        keys = page2.evaluate("() => Object.keys(localStorage)")
        assert keys and not [k for k in keys if "alice" in k or "bob" in k], "no learner id in storage keys"
    finally:
        ctx.close()


STUB_API = """
(() => {
  // Like openedx-scorm-xblock's stub: in the SCO's own window, every GetValue answers "",
  // every error code is "0", no cmi.mode, no _count; it keeps what it is sent.
  const sent = window.stubSent = [];
  const ok = () => "true";
  window.%s = {
    %s: ok, %s: ok, %s: ok,
    %s: (el) => "", %s: (el, v) => { sent.push([el, String(v)]); return "true"; },
    %s: () => "0", %s: () => "", %s: () => ""
  };
})();
"""


def test_an_api_in_the_sco_window_that_knows_nothing_still_gets_status_score_and_answers(browser, scorm_lms):
    for key in ("1.2", "2004"):
        names = (("API", "LMSInitialize", "LMSCommit", "LMSFinish", "LMSGetValue", "LMSSetValue",
                  "LMSGetLastError", "LMSGetErrorString", "LMSGetDiagnostic") if key == "1.2" else
                 ("API_1484_11", "Initialize", "Commit", "Terminate", "GetValue", "SetValue",
                  "GetLastError", "GetErrorString", "GetDiagnostic"))
        ctx = browser.new_context()
        try:
            ctx.add_init_script(STUB_API % names)
            page = ctx.new_page()
            page.goto(f"{scorm_lms.url}/pkg/{scorm_lms.package_for(key, MOD.id)}/{MOD.id}/index.html")
            frame = page.main_frame
            frame.wait_for_function(READY, timeout=10000)
            assert "on its own" not in status_text(frame)
            for index, q in QUESTIONS:
                goto(frame, index)
                answer(frame, q, list(q.correct_ids))
            sent = dict(frame.evaluate("() => window.stubSent"))
            raw = "cmi.core.score.raw" if key == "1.2" else "cmi.score.raw"
            assert sent[raw] == "100"
            if key == "1.2":
                assert sent["cmi.core.lesson_status"] == "incomplete"      # not every page seen yet
            else:
                assert sent["cmi.success_status"] == "passed" and sent["cmi.completion_status"] == "incomplete"
            ids = [v for k, v in frame.evaluate("() => window.stubSent") if k.endswith(".id")]
            assert ids == [token(q.id) for _, q in QUESTIONS]
        finally:
            ctx.close()
