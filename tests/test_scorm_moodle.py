"""Moodle's rules in the test LMS, and what the SCO does when an LMS refuses or ends things.

The test LMS holds every SetValue to Moodle 5.0's own data-model rules
(tests/js/scorm_moodle_rules.js, from mod/scorm/datamodels/scorm_12.js and scorm_13.js), so a
value Moodle refuses fails every SCORM runtime test. Here: the rules refuse what Moodle refuses
(the values that broke in a real Moodle among them), every answer of every question is taken,
and the send queue, attempts and "Save and exit" behave as the coordinator guide says.
"""
from __future__ import annotations

import datetime as dt
import json
import re
import time

import pytest

from coursepack.elements.confidence import rating_ids
from coursepack.load import require_pack
from scorm_export.package import VERSIONS, interactions, token

from support import CONTENT
from scorm_checks import call_errors
from scorm_fixtures import scorm_lms, scorm_pack  # noqa: F401,F811 (fixtures)
from scorm_learner import answer, calls, goto, launch, page_with, save_and_exit, state
from scorm_lms import learner_data

PACK = require_pack(CONTENT)
MOD = PACK.pack.modules[0]
QUESTIONS = [(i, el) for i, p in enumerate(MOD.pages) for el in p.elements if el.kind == "question"]
FAILED = "did not work"


def page_of(element) -> int:
    return next(i for i, p in enumerate(MOD.pages) if element in p.elements)


def records(stored: dict) -> list[dict]:
    found: dict[int, dict] = {}
    for k, v in stored.items():
        m = re.match(r"^cmi\.interactions\.(\d+)\.(.+)$", k)
        if m and isinstance(v, str):
            found.setdefault(int(m.group(1)), {})[m.group(2)] = v
    return [found[n] for n in sorted(found)]


# -- the rules themselves ------------------------------------------------------------------------

CASES_2004 = [   # (calls before, element, value, Moodle's code)
    ([], "cmi.completion_status", "completed", "0"),
    ([], "cmi.completion_status", "done", "406"),
    ([], "cmi.score.scaled", "1.5", "407"),
    ([], "cmi.score.raw", "123456", "406"),
    ([], "cmi.session_time", "PT1.125S", "406"),
    ([], "cmi.session_time", "PT1H5M3.25S", "0"),
    ([], "cmi.exit", "suspend", "0"),
    ([], "cmi.entry", "resume", "404"),
    ([], "cmi.interactions.0.type", "choice", "408"),
    ([], "cmi.interactions.1.id", "q1", "351"),
    ([("id", "q_forms"), ("type", "choice")], "learner_response", "st-public", "406"),
    ([("id", "q_forms"), ("type", "choice")], "learner_response", "st_public[,]self", "0"),
    ([("id", "q_forms"), ("type", "choice")], "learner_response", "a[,]a", "406"),
    ([("id", "q_forms"), ("type", "choice")], "correct_responses.0.pattern", "st-public", "406"),
    ([("id", "q_forms"), ("type", "choice"), ("correct_responses.0.pattern", "a")],
     "correct_responses.0.pattern", "a", "351"),
    ([("id", "q_forms")], "learner_response", "a", "408"),
    ([("id", "q_forms"), ("type", "true-false")], "learner_response", "t", "406"),
    ([("id", "q_forms")], "timestamp", "2026-01-01T10:00:00Z", "406"),
    ([("id", "q_forms")], "timestamp", "2026-01-01T10:00:00", "0"),
    ([("id", "q_forms")], "timestamp", "2040-01-01T10:00:00", "406"),
    ([("id", "q_forms")], "result", "wrong", "406"),
    ([("id", "q_forms")], "description", "x" * 252, "406"),       # (Moodle lets it pass after a {lang=})
    ([("id", "q_forms")], "description", "{lang=en}Which of these?", "0"),
]
CASES_12 = [
    ([], "cmi.core.lesson_status", "passed", "0"),
    ([], "cmi.core.lesson_status", "not attempted", "405"),
    ([], "cmi.core.score.raw", "101", "405"),
    ([], "cmi.core.exit", "normal", "405"),
    ([], "cmi.core.session_time", "PT5S", "405"),
    ([], "cmi.core.session_time", "0000:00:05", "0"),
    ([], "cmi.suspend_data", "x" * 4097, "405"),
    ([], "cmi.core.entry", "resume", "403"),
    ([], "cmi.interactions.3.id", "q1", "201"),
    ([("id", "q1")], "result", "incorrect", "405"),
    ([("id", "q1")], "weighting", "101", "405"),
    ([("id", "q1")], "time", "2026-01-01T10:00:00", "405"),
    ([("id", "q1")], "student_response", "x" * 256, "405"),
]


@pytest.fixture(scope="module")
def rules_page(browser, scorm_lms):
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{scorm_lms.url}/tools/scorm_moodle_rules.js")
    page.set_content("<!DOCTYPE html><title>rules</title>")
    page.add_script_tag(url=f"{scorm_lms.url}/tools/scorm_moodle_rules.js")
    yield page
    context.close()


def moodle_codes(page, cases) -> list[str]:
    """Moodle's code for each case ``(v12, before, element, value)``: ``element`` (or
    ``cmi.interactions.0.<element>``) set to ``value`` after the fields ``before``, each case on
    rules of its own. One page call for them all: a call per case was most of the time of the
    tests that check every option and every rating of the pack."""
    return page.evaluate("""(cases) => cases.map(([v12, before, element, value]) => {
        const rules = new MoodleRules(v12, {});
        for (const [f, v] of before) {
            const code = rules.check("cmi.interactions.0." + f, v);
            if (code !== "0") { return "setup " + f + ": " + code; }
        }
        return rules.check(element.startsWith("cmi.") ? element : "cmi.interactions.0." + element, value);
    })""", [list(c) for c in cases])


def moodle_code(page, v12: bool, before, element: str, value: str) -> str:
    return moodle_codes(page, [(v12, before, element, value)])[0]


@pytest.mark.parametrize("before,element,value,code", CASES_2004)
def test_moodle_2004_rules_refuse_what_moodle_refuses(rules_page, before, element, value, code):
    assert moodle_code(rules_page, False, before, element, value) == code


@pytest.mark.parametrize("before,element,value,code", CASES_12)
def test_moodle_12_rules_refuse_what_moodle_refuses(rules_page, before, element, value, code):
    assert moodle_code(rules_page, True, before, element, value) == code


def test_every_option_of_every_question_is_a_value_moodle_takes(rules_page):
    """Each answer of every knowledge check (options; a "put in order" question's items, whose
    sequencing pattern is all of them) as the learner's response and as the correct pattern,
    in both versions."""
    cases, where = [], []
    checked = set()
    for module in PACK.pack.modules:
        for key in ("1.2", "2004"):
            for qid, found in interactions(module, VERSIONS[key]).items():
                kind, tokens = found["type"], list(found["tokens"].values())
                checked.add(kind)
                sep = "," if key == "1.2" else "[,]"
                response = "student_response" if key == "1.2" else "learner_response"
                before = [("id", token(qid)), ("type", kind)]
                values = [sep.join(tokens)] if kind in ("choice", "sequencing") else []
                values += tokens if kind != "sequencing" else []
                for value in values:
                    for element in (response, "correct_responses.0.pattern"):
                        cases.append((key == "1.2", before, element, value))
                        where.append(f"{module.id}/{qid} {key} {element}={value!r}")
    problems = [f"{w}: {code}" for w, code in zip(where, moodle_codes(rules_page, cases)) if code != "0"]
    assert cases and not problems, problems
    assert checked == {"choice", "true-false", "sequencing"}


def test_every_rating_of_every_confidence_check_is_a_value_moodle_takes(rules_page):
    """Each statement's likert record (coursepack.elements.confidence: its id, and every rating
    of the scale as the response, one character), in both versions."""
    cases, where = [], []
    for module in PACK.pack.modules:
        for c in module.confidence_checks:
            for rid in rating_ids(c, token).values():
                for key in ("1.2", "2004"):
                    response = "student_response" if key == "1.2" else "learner_response"
                    for n in range(1, c.scale + 1):
                        before = [("id", rid), ("type", "likert")]
                        for element, value in ((response, "0123456789a"[n]), ("result", "neutral"),
                                               ("weighting", "0")):
                            cases.append((key == "1.2", before, element, value))
                            where.append(f"{module.id}/{c.id} {key} {rid} {element}={value!r}")
    problems = [f"{w}: {code}" for w, code in zip(where, moodle_codes(rules_page, cases)) if code != "0"]
    assert cases and not problems, problems


# -- the send queue ------------------------------------------------------------------------------

@pytest.mark.parametrize("key", ["1.2", "2004"])
def test_a_refused_record_in_the_middle_of_the_queue_is_dropped_and_the_rest_goes_on(browser, scorm_lms, key):
    sid = scorm_lms.new_session(key, scorm_lms.package_for(key, MOD.id), f"{MOD.id}/index.html", learner_data(key))
    ctx = browser.new_context()
    try:
        page, frame = launch(ctx, scorm_lms, sid)
        (i1, q1), (i2, q2), (i3, q3) = QUESTIONS[:3]
        response = "student_response" if key == "1.2" else "learner_response"
        refused = "406" if key == "2004" else "405"
        # The LMS refuses q2's response for good, as Moodle refused hyphenated tokens.
        page.evaluate("""([el, code]) => { window.faults.refuse = {element: el, code: code}; }""",
                      [rf"^cmi\.interactions\.1\.{response}$", refused])
        for index, q in ((i1, q1), (i2, q2), (i3, q3)):
            goto(frame, index)
            answer(frame, q, list(q.correct_ids))
        stored = scorm_lms.stored(sid)
        got = records(stored)
        assert [r["id"] for r in got] == [token(q1.id), token(q2.id), token(q3.id)]
        assert not got[1].get(response), "the refused record ends where the LMS refused it"
        assert got[0][response] and got[2][response], "the records before and after it are whole"
        assert all(q.id in stored["cmi.suspend_data"] for q in (q1, q2, q3)), "every answer is in the progress"
        log = frame.evaluate("() => CommonGround.scormAdapter.refusals")
        assert [(r["element"], r["code"]) for r in log] == [(f"cmi.interactions.1.{response}", refused)]
        assert log[0]["value"]
        assert FAILED not in frame.locator("#cg-status").text_content(), "no warning: nothing that matters failed"
        assert frame.evaluate(f"() => JSON.parse(localStorage.getItem(Object.keys(localStorage)"
                              f".find(k => k.endsWith(':scorm:queue'))))") == []
        assert not call_errors(key, calls(page))
    finally:
        ctx.close()


def test_a_retry_within_the_same_second_is_not_taken_for_sent(browser, scorm_lms):
    """2004 timestamps are whole seconds: two answers to one question in one second, the second's
    commit lost with the window; the next launch on this device still sends it."""
    key = "2004"
    package = scorm_lms.package_for(key, MOD.id)
    sid = scorm_lms.new_session(key, package, f"{MOD.id}/index.html", learner_data(key))
    ctx = browser.new_context()
    ctx.clock.set_fixed_time(dt.datetime(2026, 12, 1, 10, 0, 0))
    try:
        page, frame = launch(ctx, scorm_lms, sid)
        index, q = next((i, q) for i, q in QUESTIONS if q.attempts != 1 and q.type != "multiple")
        goto(frame, index)
        answer(frame, q, [o.id for o in q.options if not o.correct][:1])
        scorm_lms.sessions[sid].fail_commits = True
        answer(frame, q, list(q.correct_ids))
        page.close(run_before_unload=True)
        time.sleep(0.2)
        assert [r["id"] for r in records(scorm_lms.stored(sid))] == [token(q.id)]

        sid2 = scorm_lms.new_session(key, package, f"{MOD.id}/index.html", scorm_lms.resume_data(sid, key))
        page2, frame2 = launch(ctx, scorm_lms, sid2)
        got = records(scorm_lms.stored(sid2))
        assert [r["id"] for r in got] == [token(q.id), token(q.id)], "both tries, the second sent again"
        assert got[0]["timestamp"] == got[1]["timestamp"], "in the same second"
        assert [r["result"] for r in got] == ["incorrect", "correct"]
        assert not call_errors(key, calls(page2))
    finally:
        ctx.close()


def test_a_warning_goes_when_a_later_commit_succeeds(browser, scorm_lms):
    key = "1.2"
    sid = scorm_lms.new_session(key, scorm_lms.package_for(key, MOD.id), f"{MOD.id}/index.html", learner_data(key))
    ctx = browser.new_context()
    try:
        page, frame = launch(ctx, scorm_lms, sid)
        scorm_lms.sessions[sid].fail_commits = True
        (i1, q1), (i2, _) = QUESTIONS[:2]
        goto(frame, i1)
        answer(frame, q1, list(q1.correct_ids))
        frame.wait_for_function(f"() => /{FAILED}/.test(document.getElementById('cg-status').textContent)")
        scorm_lms.sessions[sid].fail_commits = False
        goto(frame, i2)
        frame.wait_for_function(f"() => !/{FAILED}/.test(document.getElementById('cg-status').textContent)")
        assert q1.id in scorm_lms.stored(sid)["cmi.suspend_data"]
    finally:
        ctx.close()


# -- attempts ------------------------------------------------------------------------------------

@pytest.mark.parametrize("key", ["1.2", "2004"])
def test_a_new_attempt_in_a_browser_holding_an_old_device_copy_starts_from_the_lms_alone(browser, scorm_lms, key):
    package = scorm_lms.package_for(key, MOD.id)
    sid = scorm_lms.new_session(key, package, f"{MOD.id}/index.html", learner_data(key))
    ctx = browser.new_context()
    try:
        page, frame = launch(ctx, scorm_lms, sid)
        (i1, q1), (i2, q2) = QUESTIONS[:2]
        goto(frame, i1)
        answer(frame, q1, list(q1.correct_ids))             # reaches the LMS
        reflection = MOD.reflections[0]
        where = page_of(reflection)
        goto(frame, where)
        frame.locator(f'[id="{reflection.id}"] textarea').fill("Kept on this device.")
        frame.locator(f'[id="{reflection.id}"] [data-cg-action=save]').click()
        scorm_lms.sessions[sid].fail_commits = True         # then the LMS stops answering
        goto(frame, i2)
        answer(frame, q2, list(q2.correct_ids))
        page.close(run_before_unload=True)

        # The LMS starts a new attempt (ab-initio, nothing held): the device copy and its queue
        # belong to the old attempt.
        sid2 = scorm_lms.new_session(key, package, f"{MOD.id}/index.html", learner_data(key))
        page2, frame2 = launch(ctx, scorm_lms, sid2)
        fresh = state(frame2)
        assert fresh["q"] == {} and fresh["loc"] == 0 and not any(fresh["pages"][1:])
        assert fresh["r"][reflection.id] == "Kept on this device.", "reflections stay the learner's"
        stored = scorm_lms.stored(sid2)
        assert records(stored) == [], "no answer of the old attempt is sent into the new one"
        assert q1.id not in stored.get("cmi.suspend_data", "") and q2.id not in stored.get("cmi.suspend_data", "")
        assert not call_errors(key, calls(page2))
    finally:
        ctx.close()


@pytest.mark.parametrize("key", ["1.2", "2004"])
def test_a_first_attempt_whose_commits_never_arrived_keeps_its_answers(browser, scorm_lms, key):
    """ab-initio again, but the LMS never held this attempt: the device copy is this attempt."""
    package = scorm_lms.package_for(key, MOD.id)
    sid = scorm_lms.new_session(key, package, f"{MOD.id}/index.html", learner_data(key), fail_commits=True)
    ctx = browser.new_context()
    try:
        page, frame = launch(ctx, scorm_lms, sid)
        i1, q1 = QUESTIONS[0]
        goto(frame, i1)
        answer(frame, q1, list(q1.correct_ids))
        page.close(run_before_unload=True)
        sid2 = scorm_lms.new_session(key, package, f"{MOD.id}/index.html", learner_data(key))
        page2, frame2 = launch(ctx, scorm_lms, sid2)
        assert state(frame2)["q"][q1.id]["sel"] == list(q1.correct_ids)
        assert [r["id"] for r in records(scorm_lms.stored(sid2))] == [token(q1.id)]
    finally:
        ctx.close()


# -- after "Save and exit" -----------------------------------------------------------------------

@pytest.mark.parametrize("key", ["1.2", "2004"])
def test_after_save_and_exit_the_module_is_inert_says_so_and_loses_nothing_typed(browser, scorm_lms, key):
    sid = scorm_lms.new_session(key, scorm_lms.package_for(key, MOD.id), f"{MOD.id}/index.html", learner_data(key))
    ctx = browser.new_context()
    try:
        page, frame = launch(ctx, scorm_lms, sid)
        reflection = MOD.reflections[0]
        where = page_of(reflection)
        goto(frame, where)
        area = frame.locator(f'[id="{reflection.id}"] textarea')
        area.fill("Typed just before leaving.")
        save_and_exit(frame)
        closed = frame.locator("#cg-closed")
        assert closed.is_visible()
        assert "You have left this module" in closed.text_content()
        assert frame.evaluate("() => document.activeElement.id") == "cg-closed-h"
        # Nothing can be typed or answered any more: no control of the module is reachable.
        assert not area.is_visible()
        assert frame.locator(".cg-layout").is_hidden() and frame.locator(".cg-pager").is_hidden()
        with pytest.raises(Exception):
            area.fill("Typed after leaving.", timeout=500)
        assert "Typed just before leaving." in json.dumps(frame.evaluate("() => Object.assign({}, localStorage)"))
        made = calls(page)
        finished = max(n for n, c in enumerate(made) if c[0] == "finish")
        assert not [c for c in made[finished + 1:] if c[0] in ("set", "commit")], "nothing after Finish"
        page.keyboard.press("Tab")
        frame.locator("#cg-closed button").click()
        frame.wait_for_function("() => /Exit or Back link/.test(document.getElementById('cg-status').textContent)")
        assert not call_errors(key, made)
    finally:
        ctx.close()


@pytest.mark.parametrize("key", ["1.2", "2004"])
def test_a_whole_pack_sco_left_through_the_lms_contents_does_not_finish(browser, scorm_lms, key):
    """A SCO the LMS unloads to open the next one saves what is not confirmed and leaves the API
    open. 2004: Moodle keeps one API for every SCO of its player page and refuses all data after a
    Terminate (133). Both: a call that reaches Moodle while its contents list is being clicked
    turns every later save of the page into an unconfirmed background beacon (request.js), and
    those were lost when the browser closed (docs/coordinators.md, section 8)."""
    mod = next(m for m in PACK.pack.modules if any(e.kind == "scenario" for p in m.pages for e in p.elements))
    sid = scorm_lms.new_session(key, scorm_lms.package_for(key, None), f"{mod.id}/index.html", learner_data(key))
    ctx = browser.new_context()
    try:
        page, frame = launch(ctx, scorm_lms, sid)
        q = mod.questions[0]
        goto(frame, page_with(mod, lambda e: e == q))
        answer(frame, q, list(q.correct_ids))
        # then one step of a scenario: a change that is no commit reason of its own
        goto(frame, page_with(mod, lambda e: e.kind == "scenario"))
        frame.locator(".cg-page:not([hidden]) .cg-choice:visible").first.click()
        frame.locator(".cg-page:not([hidden]) [data-cg-action=continue]").click()
        frame.wait_for_function("() => Object.keys(CommonGround.shell.state().s).length > 0")
        before = len(calls(page))
        page.evaluate("() => document.getElementById('sco').remove()")     # the LMS opens another SCO
        made = calls(page)
        assert not [c for c in made[before:] if c[0] in ("commit", "finish")], \
            "everything was confirmed: nothing reaches the LMS's server while its contents list is clicked"
        session = "cmi.core.session_time" if key == "1.2" else "cmi.session_time"
        assert [c for c in made if c[0] == "set" and c[1] == session], "the SCO saw its unload"
        assert not [c for c in made if c[0] == "finish"], "no Finish or Terminate"
        assert [r["id"] for r in records(scorm_lms.stored(sid))] == [token(q.id)]
        assert not call_errors(key, made)
    finally:
        ctx.close()
