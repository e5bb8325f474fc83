"""Confidence ratings in an LMS: each statement's rating is a ``likert`` interaction (SCORM 1.2
and 2004) under ``<before>.<statement>.<phase>``, held to Moodle's rules; the check says who sees
them; ratings the learner keeps on the device are never sent (no record, not in suspend_data)
and come back on that device only. Real Chromium, the test LMS (tests/scorm_lms.py)."""
from __future__ import annotations

import json
import re

import pytest

from coursepack.load import require_pack
from coursepack.plaintext import plain_text
from scorm_export.package import token

from support import CONTENT
from scorm_fixtures import scorm_lms, scorm_pack  # noqa: F401,F811 (fixtures)
from scorm_learner import by_id, goto, launch, page_with, rate, save_and_exit, state
from scorm_lms import TOOL_FILES, learner_data
from test_scorm_axe import violations
from test_scorm_runtime import check_session, interactions, status_of

PACK = require_pack(CONTENT)
MOD = PACK.pack.modules[0]
BEFORE = next(c for c in MOD.confidence_checks if not c.after)
AFTER = next(c for c in MOD.confidence_checks if c.after == BEFORE.id)
NOTICE = "Its staff, such as your trainer, can see them. Reports made from them only show groups of 5 or more people."


def open_check(frame, check) -> None:
    goto(frame, page_with(MOD, lambda e: e == check))


def likert(stored: dict) -> list[dict]:
    return [r for r in interactions(stored) if r.get("type") == "likert"]


def expected_ids(check) -> list[str]:
    phase = "after" if check.after else "before"
    return [f"{token(BEFORE.id)}.{token(s.id)}.{phase}" for s in check.statements]


def axe_ready(frame) -> None:
    frame.add_script_tag(path=str(TOOL_FILES["axe.js"]))


@pytest.mark.parametrize("key", ["1.2", "2004"])
def test_ratings_go_to_the_lms_as_likert_records_that_pair_before_with_after(browser, scorm_lms, key):
    before = {s.id: n % BEFORE.scale + 1 for n, s in enumerate(BEFORE.statements)}
    after = {s.id: BEFORE.scale - n % BEFORE.scale for n, s in enumerate(BEFORE.statements)}
    sid = scorm_lms.new_session(key, scorm_lms.package_for(key, MOD.id), f"{MOD.id}/index.html", learner_data(key))
    ctx = browser.new_context(bypass_csp=True)        # only to inject axe into the SCO's frame
    try:
        page, frame = launch(ctx, scorm_lms, sid)
        axe_ready(frame)
        open_check(frame, BEFORE)
        widget = frame.locator(by_id(BEFORE.id))
        assert NOTICE in widget.locator(".cg-privacy").text_content(), "the check says who sees the ratings"
        assert "Only you see" not in widget.text_content()
        assert not widget.locator(".cg-keep input").is_checked()
        assert violations(frame, "confidence check with the notice") == []
        rate(frame, BEFORE, before)
        open_check(frame, AFTER)
        rate(frame, AFTER, after)
        assert frame.locator(f"{by_id(AFTER.id)} .cg-change").first.is_visible(), "the learner's own change"
        save_and_exit(frame)
        check_session(key, page, scorm_lms, sid)              # SCORM's rules and Moodle's: nothing refused
        assert frame.evaluate("() => CommonGround.scormAdapter.refusals") == []
        records = likert(scorm_lms.stored(sid))
        assert [r["id"] for r in records] == expected_ids(BEFORE) + expected_ids(AFTER)
        response = "student_response" if key == "1.2" else "learner_response"
        assert [r[response] for r in records] == [str(before[s]) for s in before] + [str(after[s]) for s in after]
        assert {(r["result"], r["weighting"]) for r in records} == {("neutral", "0")}
        assert not [r for r in records if "correct_responses.0.pattern" in r], "a rating has no right answer"
        if key == "2004":
            texts = [" ".join(plain_text(s.text).split()) for s in BEFORE.statements]
            assert [re.sub(r"^\{lang=[\w-]+\}", "", r["description"]) for r in records] == texts * 2
    finally:
        ctx.close()


@pytest.mark.parametrize("key", ["1.2", "2004"])
def test_ratings_kept_on_the_device_are_never_sent_and_come_back_there_only(browser, scorm_lms, key):
    package = scorm_lms.package_for(key, MOD.id)
    before = {s.id: 2 for s in BEFORE.statements}
    sid = scorm_lms.new_session(key, package, f"{MOD.id}/index.html", learner_data(key))
    device = browser.new_context(bypass_csp=True)
    try:
        page, frame = launch(device, scorm_lms, sid)
        axe_ready(frame)
        open_check(frame, BEFORE)
        rate(frame, BEFORE, before, on_device=True)
        frame.locator(f"{by_id(BEFORE.id)} .cg-feedback:has-text('saved on this device only')").wait_for()
        assert violations(frame, "ratings kept on the device") == []
        goto(frame, page_with(MOD, lambda e: e == BEFORE) + 1)       # a page change commits
        save_and_exit(frame)
        made = check_session(key, page, scorm_lms, sid)
        sent = json.dumps([c for c in made if c[0] == "set"])
        assert not re.search(rf"{re.escape(BEFORE.id)}:|{re.escape(token(BEFORE.id))}\.", sent), \
            "no rating record, and the check is not in suspend_data"
        assert not likert(scorm_lms.stored(sid))
        assert state(frame)["c"] == {BEFORE.id: before}
    except BaseException:
        device.close()
        raise

    # The same device: the ratings come back from it, the choice with them; the "after" check
    # offers the same choice, and the learner sends these.
    initial = scorm_lms.resume_data(sid, key)
    sid2 = scorm_lms.new_session(key, package, f"{MOD.id}/index.html", initial)
    try:
        page2, frame2 = launch(device, scorm_lms, sid2)
        assert state(frame2)["c"] == {BEFORE.id: before}
        open_check(frame2, BEFORE)
        assert frame2.locator(f"{by_id(BEFORE.id)} .cg-keep input").is_checked()
        open_check(frame2, AFTER)
        assert frame2.locator(f"{by_id(AFTER.id)} .cg-keep input").is_checked(), "the learner's choice is the default"
        rate(frame2, AFTER, {s.id: 4 for s in BEFORE.statements}, on_device=False)
        assert "Before: 2. Now: 4." in frame2.locator(f"{by_id(AFTER.id)} .cg-change").first.text_content()
        save_and_exit(frame2)
        check_session(key, page2, scorm_lms, sid2, held=status_of(key, initial))
        records = likert(scorm_lms.stored(sid2))
        assert [r["id"] for r in records] == expected_ids(AFTER), "only what was not kept back"
        assert f"{AFTER.id}:" in scorm_lms.stored(sid2)["cmi.suspend_data"]
        assert f"{BEFORE.id}:" not in scorm_lms.stored(sid2)["cmi.suspend_data"]
    finally:
        device.close()

    # Another device: only what the LMS holds.
    sid3 = scorm_lms.new_session(key, package, f"{MOD.id}/index.html", scorm_lms.resume_data(sid2, key))
    other = browser.new_context()
    try:
        page3, frame3 = launch(other, scorm_lms, sid3)
        assert set(state(frame3)["c"]) == {AFTER.id}
        open_check(frame3, BEFORE)
        assert not frame3.locator(f"{by_id(BEFORE.id)} .cg-keep input").is_checked()
        assert not frame3.locator(f"{by_id(BEFORE.id)} input[type=radio]:checked").count()
    finally:
        other.close()


def test_no_lms_no_notice(browser, scorm_lms):
    """Standalone (the package opened from its folder) nothing is reported: the check says only
    the learner sees the ratings, and offers no choice."""
    ctx = browser.new_context()
    try:
        page = ctx.new_page()
        page.goto(f"{scorm_lms.url}/pkg/{scorm_lms.package_for('2004', MOD.id)}/{MOD.id}/index.html")
        page.wait_for_function("() => !!(window.CommonGround && CommonGround.shell)")
        widget = page.locator(by_id(BEFORE.id))
        assert widget.locator(".cg-privacy").text_content().strip() == "Only you see your own answers."
        assert widget.locator(".cg-keep").count() == 0
    finally:
        ctx.close()
