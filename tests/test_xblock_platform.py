"""The blocks as edx-platform runs them, beyond a learner's page: the mobile Course Blocks API
(``multi_device`` on ``student_view``, ``student_view_data`` collected with no learner, the
``student_view_user_state`` handler), Studio's preview and staff masquerade (nothing recorded),
the instructor dashboard ("Reset attempts" sets ``attempts``, "Delete state" calls
``clear_student_state``, rescoring), the course's due date, ``show_correctness`` and
``showanswer``, user retirement and the Django admin (counts, not people)."""
from __future__ import annotations

import datetime as dt
import json

import pytest

pytest.importorskip("xblock")

from xblock.fields import Scope, UserScope  # noqa: E402

from test_xblock_blocks import (BEFORE, MULTIPLE, PAGE, REFLECTION, SCENARIO, SINGLE, TWO_TRIES,  # noqa: E402
                                body)
from xblock_support import django_db_ready, rows  # noqa: E402,F401  (fixtures)
from xblocks.confidence import ConfidenceBlock  # noqa: E402
from xblocks.page import ContentPageBlock  # noqa: E402
from xblocks.question import KnowledgeCheckBlock  # noqa: E402
from xblocks.reflection import ReflectionBlock  # noqa: E402
from xblocks.scenario import ScenarioBlock  # noqa: E402
from xblocks.dev.testing import COURSE, LearnerRuntime, post  # noqa: E402

KINDS = [(ContentPageBlock, PAGE), (KnowledgeCheckBlock, SINGLE), (ReflectionBlock, REFLECTION),
         (ScenarioBlock, SCENARIO), (ConfidenceBlock, BEFORE)]
MODULE = {"module_questions": {"q-one": 1.0, "q-many": 2.0}, "module_pass_mark": 70}


def block_for(runtime, cls, content, usage="b1", **fields):
    return runtime.block(cls, usage, content=content, module="mod", module_title="A module", **fields)


def use(block):
    """What a learner does with each kind of block."""
    answers = {"question": ("submit", {"selected": ["a"]}), "reflection": ("save_state", {"text": "mine"}),
               "scenario": ("save_state", {"path": ["c-away"], "ended": True}),
               "confidence": ("save_state", {"ratings": {"explain": 2, "words": 3}}),
               "page": ("viewed", {})}
    handler, payload = answers[block.kind]
    if block.complete_on_view and handler != "viewed":
        assert post(block, "viewed").status_code == 200
    return post(block, handler, payload)


def user_state_reply(block) -> dict:
    response = post(block, "student_view_user_state", method="GET")
    assert response.status_code == 200 and response.content_type == "application/json"
    return body(response)


# -- mobile ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("cls, content", KINDS)
def test_student_view_data_is_the_same_for_every_learner_and_for_none(rows, cls, content):
    """edx-platform collects it at publish time with no learner bound and serves it to all."""
    first = LearnerRuntime("learner-1")
    second = first.learner("learner-2")
    nobody = LearnerRuntime(None, store=first.store, user=False)
    assert use(block_for(first, cls, content)).status_code == 200
    data = [block_for(r, cls, content).student_view_data() for r in (first, second, nobody)]
    assert data[0] == data[1] == data[2]
    assert "mine" not in json.dumps(data[0]) and "state" not in data[0] and "completed" not in data[0]
    assert data[0]["ok"] is True and data[0]["strings"] and data[0]["element"]


@pytest.mark.parametrize("cls, content", KINDS)
def test_the_learners_state_comes_from_the_user_state_handler(rows, cls, content):
    runtime = LearnerRuntime()
    block = block_for(runtime, cls, content)
    assert user_state_reply(block)["completed"] is False
    use(block)
    mine = user_state_reply(block_for(runtime, cls, content))
    assert mine["completed"] is True
    if cls is not ContentPageBlock:
        assert mine["state"]
    assert user_state_reply(block_for(runtime.learner("learner-2"), cls, content))["state"] is None


# -- Studio preview and masquerade ----------------------------------------------------------------

@pytest.mark.parametrize("who", [{"author_mode": True}, {"masquerade_by": "staff-1"}])
@pytest.mark.parametrize("cls, content", KINDS)
def test_preview_and_masquerade_record_nothing(rows, cls, content, who):
    runtime = LearnerRuntime("learner-1", **who)
    block = block_for(runtime, cls, content, **(MODULE if cls is KnowledgeCheckBlock else {}))
    response = use(block)
    assert response.status_code == 200
    assert runtime.events == []
    assert rows.objects.count() == 0
    from xblocks.aggregates.models import CheckVerdict
    assert CheckVerdict.objects.count() == 0
    assert {k: v for k, v in runtime.store.db_dict.items() if k.scope.user != UserScope.NONE} == {}
    if cls is KnowledgeCheckBlock:
        assert body(response)["correct"] is True     # the author still sees the verdict


def test_staff_ratings_never_count_toward_the_floor(rows):
    staff = LearnerRuntime("teacher", staff=True)
    check = block_for(staff, ConfidenceBlock, BEFORE, "cf1")
    post(check, "save_state", {"ratings": {"explain": 5, "words": 5}})    # staff try the course
    for n in range(4):
        post(block_for(staff.learner(f"l{n}"), ConfidenceBlock, BEFORE, "cf1"), "save_state",
             {"ratings": {"explain": 1, "words": 1}})
    assert body(post(check, "aggregates")) == {"learners": None, "minimum": 5}
    post(block_for(staff.learner("l4"), ConfidenceBlock, BEFORE, "cf1"), "save_state",
         {"ratings": {"explain": 2, "words": 1}})
    summary = body(post(check, "aggregates"))
    assert summary["learners"] == 5 and summary["statements"][0]["counts"] == [4, 1, 0, 0, 0]
    assert rows.objects.filter(staff=True).count() == 1


# -- instructor dashboard -------------------------------------------------------------------------

def student_module_state(runtime, usage: str) -> dict:
    """The block's user_state as edx-platform's StudentModule.state holds it: field name → value."""
    return {k.field_name: v for k, v in runtime.store.db_dict.items()
            if k.scope == Scope.user_state and k.block_scope_id == usage}


def test_reset_attempts_as_the_instructor_dashboard_does_it():
    runtime = LearnerRuntime()
    block = block_for(runtime, KnowledgeCheckBlock, TWO_TRIES)
    post(block, "submit", {"selected": ["b"]})
    post(block, "submit", {"selected": ["c"]})
    assert post(block, "submit", {"selected": ["a"]}).status_code == 400
    # lms/djangoapps/instructor/enrollment.py _reset_module_attempts: state["attempts"] = 0
    state = student_module_state(runtime, "b1")
    assert state["attempts"] == 2
    for key in list(runtime.store.db_dict):
        if key.scope == Scope.user_state and key.block_scope_id == "b1" and key.field_name == "attempts":
            runtime.store.db_dict[key] = 0
    again = runtime.block(KnowledgeCheckBlock, "b1")
    reply = body(post(again, "submit", {"selected": ["a"]}))
    assert reply["correct"] is True and reply["attemptsLeft"] == 1


def test_delete_state_forgets_the_verdict_the_module_counts(rows):
    runtime = LearnerRuntime()
    one = block_for(runtime, KnowledgeCheckBlock, SINGLE, "q1", **MODULE)
    many = block_for(runtime, KnowledgeCheckBlock, MULTIPLE, "q2", **MODULE)
    post(one, "submit", {"selected": ["a"]})
    assert body(post(many, "submit", {"selected": ["public", "self"]}))["module"]["score"] == 100.0
    # edx-platform calls it before deleting the StudentModule, with the anonymous id
    one.clear_student_state(user_id="anon-learner-1", course_id=COURSE, item_id="q1", requesting_user_id="anon-x")
    assert user_state_reply(runtime.block(KnowledgeCheckBlock, "q2"))["module"]["answered"] == 1


def test_rescore_keeps_the_module_verdict_in_step(rows):
    runtime = LearnerRuntime()
    one = block_for(runtime, KnowledgeCheckBlock, SINGLE, "q1", **MODULE)
    post(one, "submit", {"selected": ["b"]})
    from xblocks.aggregates.models import CheckVerdict
    CheckVerdict.objects.update(correct=True)     # a verdict out of step with the answer
    runtime.events.clear()
    one.rescore(only_if_higher=False)
    assert runtime.events == [("q1", "grade", {"value": 0.0, "max_value": 1.0, "only_if_higher": False})]
    assert list(CheckVerdict.objects.values_list("correct", flat=True)) == [False]


def test_no_answer_after_the_due_date_and_grace_period():
    block = block_for(LearnerRuntime(course_settings=True), KnowledgeCheckBlock, SINGLE)
    now = dt.datetime.now(dt.timezone.utc)
    block.due, block.graceperiod = now - dt.timedelta(hours=2), dt.timedelta(hours=3)
    assert body(post(block, "submit", {"selected": ["b"]}))["correct"] is False
    block.graceperiod = dt.timedelta(hours=1)
    response = post(block, "submit", {"selected": ["a"]})
    assert response.status_code == 403
    assert body(response)["error"] == ("The due date for this knowledge check has passed: "
                                       "answers are no longer accepted.")
    assert block.get_score() == (0.0, 1.0)


def test_a_due_attribute_that_is_no_course_setting_is_ignored():
    """The workbench patches a ``due`` of "now" onto every block it runs a handler on."""
    block = block_for(LearnerRuntime(), KnowledgeCheckBlock, SINGLE)
    block.due = dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=1)
    assert body(post(block, "submit", {"selected": ["a"]}))["correct"] is True


def test_show_correctness_never_hides_the_verdict(rows):
    runtime = LearnerRuntime(course_settings=True)
    block = block_for(runtime, KnowledgeCheckBlock, SINGLE, **{**MODULE, "module_questions": {"q-one": 1.0}})
    block.show_correctness = "never"
    reply = body(post(block, "submit", {"selected": ["b"]}))
    assert reply["correct"] is None and reply["feedback"] == {} and reply["correctIds"] == []
    assert "answerIds" not in reply
    assert "score" not in reply["module"] and "%" not in reply["module"]["text"]
    assert [e[2]["value"] for e in runtime.events if e[1] == "grade"] == [0.0]   # still graded


@pytest.mark.parametrize("setting, shown_after_wrong, shown_after_right", [
    ("always", True, True), ("never", False, False), ("finished", False, True),
    ("attempted", True, True), ("correct_or_past_due", False, True), ("past_due", False, False),
])
def test_showanswer_decides_when_the_explanation_shows(setting, shown_after_wrong, shown_after_right):
    block = block_for(LearnerRuntime(course_settings=True), KnowledgeCheckBlock, TWO_TRIES)
    block.showanswer = setting
    wrong = body(post(block, "submit", {"selected": ["b"]}))
    right = body(post(block, "submit", {"selected": ["a"]}))
    assert bool(wrong["explanation"]) is shown_after_wrong
    assert bool(right["explanation"]) is shown_after_right


# -- retirement and admin -------------------------------------------------------------------------

def test_retirement_removes_the_learners_rows_only(rows):
    from django.contrib.auth.models import User
    from xblocks.aggregates import apps, retirement
    from xblocks.aggregates.models import CheckVerdict
    receiver = apps.AggregatesConfig.plugin_app["signals_config"]["lms.djangoapp"]
    assert receiver["relative_path"] == "retirement"
    assert receiver["receivers"][0]["signal_path"].endswith("accounts.signals.USER_RETIRE_LMS_MISC")
    assert getattr(retirement, receiver["receivers"][0]["receiver_func_name"]) is retirement.retire_user
    User.objects.filter(username__in=["leaving", "staying"]).delete()
    leaving, staying = User.objects.create(username="leaving"), User.objects.create(username="staying")
    for user in (leaving, staying):   # runtimes with no anonymous ids key rows by user id
        runtime = LearnerRuntime(str(user.pk))
        runtime._services["user"].get_current_user().opt_attrs.pop("edx-platform.anonymous_user_id")
        post(block_for(runtime, ConfidenceBlock, BEFORE), "save_state", {"ratings": {"explain": 1, "words": 2}})
        post(block_for(runtime, KnowledgeCheckBlock, SINGLE, "q1", **MODULE), "submit", {"selected": ["a"]})
    assert rows.objects.count() == 2 and CheckVerdict.objects.count() == 2
    retirement.retire_user(sender=None, user=leaving)
    assert list(rows.objects.values_list("learner", flat=True)) == [str(staying.pk)]
    assert list(CheckVerdict.objects.values_list("learner", flat=True)) == [str(staying.pk)]


def test_the_admin_shows_counts_not_people(rows):
    from django.contrib import admin
    from django.contrib.auth.models import User
    from django.test import RequestFactory
    from xblocks.aggregates import admin as ours  # noqa: F401  (registers the admin)
    staff = LearnerRuntime("teacher", staff=True)
    for n in range(3):
        post(block_for(staff.learner(f"secret-{n}"), ConfidenceBlock, BEFORE, "cf1"), "save_state",
             {"ratings": {"explain": 1, "words": 1}})
    post(block_for(staff, ConfidenceBlock, BEFORE, "cf1"), "save_state", {"ratings": {"explain": 1, "words": 1}})
    model_admin = admin.site._registry[rows]
    request = RequestFactory().get("/admin/commonground/confidencerating/")
    request.user = User(username="admin", is_staff=True, is_superuser=True)
    page = model_admin.changelist_view(request).render().content.decode()
    assert "<td>mod/cf-before</td><td>3</td><td>1</td>" in page
    assert "secret" not in page and "anon-" not in page
    assert [p.name for p in model_admin.get_urls()] == ["commonground_confidencerating_changelist"]
    assert not model_admin.has_change_permission(request) and not model_admin.has_delete_permission(request)


# -- the gradebook's result -----------------------------------------------------------------------

def test_the_module_result_averages_subsections_as_the_progress_page_does(rows):
    """A learner who misses only the one-point subsection of three: the weighted share would be
    6 of 7 points (86%, passed); Open edX averages the subsections: (0 + 100 + 100) / 3."""
    runtime = LearnerRuntime()
    heavy = MULTIPLE.replace("weight=2", "weight=3")
    module = {"module_questions": {"q-one": 1.0, "q-many": 3.0, "q-more": 3.0},
              "module_sections": {"q-one": "s1", "q-many": "s2", "q-more": "s3"}, "module_pass_mark": 70}
    one = block_for(runtime, KnowledgeCheckBlock, SINGLE, "q1", **module)
    many = block_for(runtime, KnowledgeCheckBlock, heavy, "q2", **module)
    more = block_for(runtime, KnowledgeCheckBlock, heavy.replace("q-many", "q-more"), "q3", **module)
    post(one, "submit", {"selected": ["b"]})
    post(many, "submit", {"selected": ["public", "self"]})
    standing = body(post(more, "submit", {"selected": ["public", "self"]}))["module"]
    assert standing["score"] == 66.67 and standing["passed"] is False
    assert "Your score: 67%." in standing["text"]


# -- platform fit ---------------------------------------------------------------------------------

def test_a_unit_of_every_kind_loads_the_player_once(rows):
    """The unit page gathers its blocks' resources (web_fragments keeps each distinct one once)."""
    from web_fragments.fragment import Fragment
    runtime = LearnerRuntime()
    unit = Fragment()
    for n, (cls, content) in enumerate(KINDS):
        unit.add_fragment_resources(block_for(runtime, cls, content, f"b{n}").student_view())
    scripts = [r.data for r in unit.resources if r.kind == "url" and r.data.endswith(".js")]
    assert scripts == ["/resource/cg_page/static/widgets.js", "/resource/cg_page/static/xblock-adapter.js"]
    assert not [r for r in unit.resources if "shell.js" in str(r.data)], "no block loads the module shell"
    assert all(cls.open_local_resource("static/widgets.js").read(20) for cls, _ in KINDS)
