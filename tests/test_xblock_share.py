"""The learning-review and joint-feedback blocks in-process: the whole loop (refused for an
identifier, fixed, approved, read by another learner without the author), return with a note
and resend, withdraw, replies, counts only from the floor, the CSV with no author identity, no
write from Studio preview or masquerade, staff items never published, retirement, the admin's
counts, and the handlers fuzzed (never a server error, nothing changed on a refusal)."""
from __future__ import annotations

import csv
import io
import json

import pytest

pytest.importorskip("xblock")

from xblock_support import django_db_ready, rows  # noqa: E402,F401  (fixtures)
from xblocks.moderated_sharing import JointFeedbackBlock, LearningReviewBlock  # noqa: E402
from xblocks.dev.testing import LearnerRuntime, post  # noqa: E402

REVIEW = {"happened": "A person waited a long time between two services.",
          "helped": "A phone call between the two team leads.",
          "hindered": "The referral form asked the same questions twice.",
          "changing": "One shared form.", "takeaway": "Pick up the phone early.",
          "service": "Both", "month": "2026-03"}


@pytest.fixture
def items(rows):
    from xblocks.aggregates.models import SharedItem
    SharedItem.objects.all().delete()
    yield SharedItem


def call(block, handler, payload=None, **kw):
    response = post(block, handler, payload, **kw)
    return response.status_code, json.loads(response.body.decode() or "{}")


def blocks(cls, *users, **kw):
    first = LearnerRuntime(users[0], **kw.pop(users[0], {}))
    runtimes = [first] + [first.learner(u, **kw.pop(u, {})) for u in users[1:]]
    return [r.block(cls, "b1", module="mod", module_title="A module") for r in runtimes]


def html(block) -> str:
    return block.student_view().content


def test_the_whole_loop_refused_fixed_approved_and_read_by_another_learner(items):
    a, b, staff = blocks(LearningReviewBlock, "ann", "ben", "sam", sam={"staff": True})
    status, reply = call(a, "share", {"fields": {**REVIEW, "happened": "OK.\nCHI 010 203 4567 was read."},
                                      "confirmed": True})
    assert status == 400 and "line 2: a CHI or NHS number" in reply["error"]
    assert reply["identifiers"][0]["field"] == "happened" and items.objects.count() == 0
    status, reply = call(a, "share", {"fields": {**REVIEW, "hindered": "Staff failed to call."}, "confirmed": True})
    assert status == 200 and reply["status"] == "pending"
    assert reply["prompts"][0]["phrase"] == "failed to"
    assert "Waiting for moderation" in html(a)
    assert "A phone call between" not in html(b), "nothing is shown before moderation"
    page = html(staff)
    assert "waiting for moderation (1)" in page and "Sent by:</strong> ann" in page
    status, reply = call(staff, "moderate", {"item": items.objects.get().pk, "action": "approve"})
    assert status == 200 and reply["status"] == "published"
    seen = html(b)
    assert "A phone call between the two team leads." in seen and "Both" in seen and "2026-03" in seen
    assert "ann" not in seen and "anon-ann" not in seen
    # what B will take back: private, in B's preferences
    item = items.objects.get().pk
    assert call(b, "take_back_save", {"item": item, "text": "Call early."}) == (200, {"saved": True})
    assert "Call early." in html(b) and "Call early." not in html(a)


def test_return_with_a_private_note_then_edit_and_resend_then_withdraw(items):
    a, b, staff = blocks(LearningReviewBlock, "ann", "ben", "sam", sam={"staff": True})
    call(a, "share", {"fields": REVIEW, "confirmed": True})
    item = items.objects.get().pk
    assert call(staff, "moderate", {"item": item, "action": "return"})[0] == 400, "a note is needed"
    status, _ = call(staff, "moderate", {"item": item, "action": "return", "text": "Please say less about the ward."})
    assert status == 200
    assert "Please say less about the ward." in html(a) and "Please say less" not in html(b)
    assert call(b, "share", {"fields": REVIEW, "confirmed": True, "item": item})[0] == 409, "not B's item"
    status, reply = call(a, "share", {"fields": {**REVIEW, "happened": "A person waited."}, "confirmed": True,
                                      "item": item})
    assert status == 200 and items.objects.get().status == "pending" and items.objects.count() == 1
    call(staff, "moderate", {"item": item, "action": "approve"})
    assert "A person waited." in html(b)
    assert call(staff, "moderate", {"item": item, "action": "withdraw"})[0] == 200
    assert "A person waited." not in html(b)
    assert call(staff, "moderate", {"item": item, "action": "approve"})[0] == 409


def test_only_staff_moderate_and_download(items):
    a, = blocks(LearningReviewBlock, "ann")
    call(a, "share", {"fields": REVIEW, "confirmed": True})
    assert call(a, "moderate", {"item": items.objects.get().pk, "action": "approve"})[0] == 403
    assert post(a, "export", method="GET").status_code == 403
    assert "Sent by" not in html(a)


FEEDBACK = {"service": "Substance use", "category": "risk", "text": "Discharge letters arrive late.",
            "month": "2026-02"}


def test_joint_feedback_counts_appear_only_from_five_items_in_a_cell_and_the_csv_names_nobody(items):
    users = [f"l{n}" for n in range(6)]
    learners = blocks(JointFeedbackBlock, *users, "sam", sam={"staff": True})
    staff = learners.pop()
    for n, block in enumerate(learners[:5]):
        assert call(block, "share", {"fields": {**FEEDBACK, "text": f"Letters late ({n})."}, "confirmed": True})[0] == 200
    call(learners[5], "share", {"fields": {**FEEDBACK, "category": "good-practice", "service": "Both"},
                                "confirmed": True})
    ids = [r.pk for r in items.objects.order_by("pk")]

    def cell(page, row):
        part = page[page.index(f'<th scope="row">{row}</th>'):]
        return part[:part.index("</tr>")]
    for pk in ids[:4]:
        call(staff, "moderate", {"item": pk, "action": "approve"})
    assert ">4<" not in cell(html(learners[0]), "A risk") and "fewer than 5" in cell(html(learners[0]), "A risk")
    call(staff, "moderate", {"item": ids[4], "action": "approve"})
    call(staff, "moderate", {"item": ids[5], "action": "approve"})
    row = cell(html(learners[0]), "A risk")
    assert "<td>5</td>" in row
    assert "<td>1</td>" not in cell(html(learners[0]), "Good practice to share")
    # "you said, we did"
    assert call(staff, "moderate", {"item": ids[0], "action": "reply", "text": "We now send letters the same day."})[0] == 200
    assert "We now send letters the same day." in html(learners[3])
    response = post(staff, "export", method="GET")
    assert response.status_code == 200 and response.content_type == "text/csv"
    table = list(csv.reader(io.StringIO(response.body.decode())))
    assert table[0] == ["item", "kind", "service", "month", "status", "reply"] and len(table) == 7
    assert table[1] == ["Letters late (0).", "A risk", "Substance use", "2026-02", "published",
                        "We now send letters the same day."]
    text = response.body.decode()
    assert not any(u in text for u in users) and "anon-" not in text


def test_a_csv_cell_never_starts_a_formula(items):
    a, staff = blocks(JointFeedbackBlock, "ann", "sam", sam={"staff": True})
    call(a, "share", {"fields": {**FEEDBACK, "text": "=HYPERLINK(\"x\")"}, "confirmed": True})
    table = list(csv.reader(io.StringIO(post(staff, "export", method="GET").body.decode())))
    assert table[1][0].startswith("'=")


def test_the_floor_is_the_confidence_setting_never_below_five(items):
    low, = blocks(JointFeedbackBlock, "ann", ann={"settings": {"CommonGround": {"CONFIDENCE_MIN_LEARNERS": 2}}})
    high, = blocks(JointFeedbackBlock, "ben", ben={"settings": {"CommonGround": {"CONFIDENCE_MIN_LEARNERS": 8}}})
    assert (low.min_items(), high.min_items()) == (5, 8)


@pytest.mark.parametrize("where", [{"author_mode": True}, {"masquerade_by": "sam"}])
def test_nothing_is_written_from_studio_preview_or_masquerade(items, where):
    a, = blocks(LearningReviewBlock, "ann", ann=where)
    status, reply = call(a, "share", {"fields": REVIEW, "confirmed": True})
    assert status == 403 and items.objects.count() == 0


def test_staff_items_are_never_published_or_counted(items):
    staff, = blocks(JointFeedbackBlock, "sam", sam={"staff": True})
    assert call(staff, "share", {"fields": FEEDBACK, "confirmed": True})[0] == 200
    row = items.objects.get()
    assert row.staff and "waiting for moderation (0)" in html(staff)
    assert call(staff, "moderate", {"item": row.pk, "action": "approve"})[0] == 409


def test_retirement_removes_the_learners_items_and_the_admin_shows_counts(items):
    from types import SimpleNamespace
    from xblocks.aggregates import retirement
    from xblocks.aggregates.admin import counts
    a, b = blocks(LearningReviewBlock, "ann", "ben")
    call(a, "share", {"fields": REVIEW, "confirmed": True})
    call(b, "share", {"fields": REVIEW, "confirmed": True})
    table = counts(items)
    assert table == [{"course_key": a.course_key(), "check_key": "mod/lr-example", "learners": 2, "staff_rows": 0}]
    retirement.retire_user(user=SimpleNamespace(pk="anon-ann"))
    assert list(items.objects.values_list("learner", flat=True)) == ["anon-ben"]


@pytest.mark.parametrize("payload,status", [
    ({"fields": REVIEW}, 400), ({"fields": REVIEW, "confirmed": False}, 400),
    ({"fields": REVIEW, "confirmed": "yes"}, 400), ({"fields": {**REVIEW, "x": "y"}, "confirmed": True}, 400),
    ({"fields": {**REVIEW, "month": "2026-03-04"}, "confirmed": True}, 400),
    ({"fields": {**REVIEW, "service": "Ward 5"}, "confirmed": True}, 400),
    ({"fields": REVIEW, "confirmed": True, "item": True}, 400),
    ({"fields": REVIEW, "confirmed": True, "item": 99999}, 409),
    ({"fields": [], "confirmed": True}, 400),
])
def test_bad_submissions_are_refused_with_a_reason_and_change_nothing(items, payload, status):
    a, = blocks(LearningReviewBlock, "ann")
    got, reply = call(a, "share", payload)
    assert got == status and reply["error"] and items.objects.count() == 0


# -- fuzzing ------------------------------------------------------------------------------------

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

FUZZ = settings(max_examples=300, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
text = st.one_of(st.text(max_size=60), st.sampled_from(["Both", "risk", "2026-03", "CHI 0102034567", "<script>"]),
                 st.integers(), st.none(), st.booleans())
shaped = st.one_of(
    st.fixed_dictionaries({"fields": st.dictionaries(st.sampled_from([*REVIEW, "text", "category", "x"]), text),
                           "confirmed": st.one_of(st.booleans(), text)},
                          optional={"item": st.one_of(st.integers(-3, 3 ** 40), text)}),
    st.fixed_dictionaries({"item": st.one_of(st.integers(-3, 10), text),
                           "action": st.sampled_from(["approve", "return", "withdraw", "reply", "delete", ""])},
                          optional={"text": text}),
    st.dictionaries(st.text(max_size=8), text, max_size=4))
bodies = st.one_of(shaped.map(lambda v: json.dumps(v).encode()), st.binary(max_size=80))


@FUZZ
@given(handler=st.sampled_from(["share", "moderate", "take_back_save", "shared_views"]), body=bodies,
       method=st.sampled_from(["POST"] * 8 + ["GET"]), staff=st.booleans())
def test_handlers_never_fail_and_change_nothing_when_they_refuse(items, handler, body, method, staff):
    block, = blocks(JointFeedbackBlock if staff else LearningReviewBlock, "fz", fz={"staff": staff})
    before = list(items.objects.values())
    prefs = json.dumps(block.take_back, sort_keys=True)
    response = post(block, handler, body=body, method=method)
    assert response.status_code in (200, 400, 403, 404, 405, 409)
    if response.status_code != 200:
        assert list(items.objects.values()) == before
        assert json.dumps(block.take_back, sort_keys=True) == prefs


def test_a_retry_with_the_same_token_is_the_same_item(items):
    a, = blocks(LearningReviewBlock, "ann")
    first = call(a, "share", {"fields": REVIEW, "confirmed": True, "token": "t-1"})
    again = call(a, "share", {"fields": REVIEW, "confirmed": True, "token": "t-1"})
    other = call(a, "share", {"fields": REVIEW, "confirmed": True, "token": "t-2"})
    assert first[1]["item"] == again[1]["item"] != other[1]["item"] and items.objects.count() == 2
    assert call(a, "share", {"fields": REVIEW, "confirmed": True, "token": "no spaces"})[0] == 400
