"""Each block on its own: what learners see, what the handlers accept, and the grade and
completion events they publish (their values, not only that they were sent)."""
from __future__ import annotations

import json
import re
from importlib import metadata

import pytest

pytest.importorskip("xblock")

from webob import Request  # noqa: E402
from xblock.fields import Scope  # noqa: E402

from coursepack.player import player_file  # noqa: E402
from xblock_support import django_db_ready, django_templates, rows  # noqa: E402,F401  (fixtures)
from xblocks.cache import RENDERED  # noqa: E402
from xblocks.confidence import ConfidenceBlock  # noqa: E402
from xblocks.page import ContentPageBlock  # noqa: E402
from xblocks.question import KnowledgeCheckBlock  # noqa: E402
from xblocks.reflection import ReflectionBlock  # noqa: E402
from xblocks.scenario import ScenarioBlock  # noqa: E402
from xblocks.sources import parse_sources  # noqa: E402
from xblocks.dev.testing import LearnerRuntime, post  # noqa: E402

#: Our blocks as the LMS finds them.
OURS = [ep for ep in metadata.distribution("commonground").entry_points if ep.group == "xblock.v1"]

SINGLE = """::: question {#q-one type=single}
Which words put the person first? See [[stigma]].

- [x] A person who uses drugs {#a}
      Yes. The person comes first.
- [ ] An addict {#b}
      Not quite. This label sums a person up.
- [ ] A user {#c}
      Not quite. This is still a label.

Explanation: Person-first words describe the person.
:::"""

MULTIPLE = """::: question {#q-many type=multiple weight=2}
Which are forms of stigma?

- [x] Public stigma {#public}
      Yes.
- [x] Self-stigma {#self}
      Yes.
- [ ] Evidence stigma {#evidence}
      No.
:::"""

TWO_TRIES = SINGLE.replace("type=single", "type=single attempts=2")

PAGE = """Some **prose** with a term: [[stigma]].

<script>alert(1)</script>

::: pause
Take a moment.
:::

::: lived-experience {by="Ross, peer worker"}
It helped when someone asked.
:::"""

SUPPORT = """- name: Samaritans
  contact: "116 123"
  offers: Free listening, any time.
  hours: 24 hours, every day"""

REFLECTION = """::: reflection {#r-one max=100}
What made it hard to ask for help?
:::"""

SCENARIO = """::: scenario {#s-one title="Front desk"}
#### Arrival {#start}
Someone arrives. What do you do?

- [Listen](#stay) {#c-listen}
      Good.
- [Send them away](#leave) {#c-away}
      This may turn them away.

#### Stay {#stay}
They talk. Then?

- [Ask what they need](#good) {#c-ask}
      Good.
- [Go back to the start](#start) {#c-back}
      Let us try again.

#### Good ending {#good .ending}
You find support together.

#### They leave {#leave .ending}
They leave.
:::"""

BEFORE = """::: confidence {#cf-before}
How confident are you?

- I can explain stigma. {#explain}
- I can choose words. {#words}
:::"""
AFTER = "::: confidence {#cf-after after=cf-before}\n:::"


@pytest.fixture(autouse=True)
def fresh_caches():
    parse_sources.cache_clear()
    RENDERED.clear()


def make(cls, content, usage="b1", runtime=None, **fields):
    runtime = runtime or LearnerRuntime()
    return runtime.block(cls, usage, content=content, module="mod", module_title="A module", **fields)


def body(response):
    return json.loads(response.body.decode())


def user_state_reply(block) -> dict:
    """What the mobile apps get from the ``student_view_user_state`` handler (a GET)."""
    response = post(block, "student_view_user_state", method="GET")
    assert response.status_code == 200 and response.content_type == "application/json"
    return body(response)


def user_state(runtime) -> dict:
    return {str(k): v for k, v in runtime.store.db_dict.items() if k.scope == Scope.user_state}


# -- every block ----------------------------------------------------------------------------

@pytest.mark.parametrize("cls", [ContentPageBlock, KnowledgeCheckBlock, ReflectionBlock, ScenarioBlock])
def test_student_view_loads_the_shared_player_with_no_inline_script(cls):
    block = make(cls, cls.content.default or PAGE)
    frag = block.student_view()
    urls = [r.data for r in frag.resources if r.kind == "url"]
    # one URL per shared file whatever the block type, so a unit page loads each once
    assert urls == ["/resource/cg_page/static/player.css", "/resource/cg_page/static/xblocks.css",
                    "/resource/cg_page/static/widgets.js", "/resource/cg_page/static/xblock-adapter.js"]
    assert not [r for r in frag.resources if r.kind == "text"], "no inline script or style"
    assert frag.js_init_fn == "CommonGroundXBlock"
    assert "<script" not in frag.content
    assert frag.json_init_args["kind"] == cls.kind and frag.json_init_args["ok"] is True
    assert frag.json_init_args["strings"]["Correct."] == "Correct."


@pytest.mark.parametrize("entry_point", OURS, ids=lambda ep: ep.name)
def test_blocks_support_mobile_and_completion(entry_point):
    """Every block the LMS can load, as it loads it (our ``xblock.v1`` entry points, not the base
    class): the Open edX apps show a block only where its own ``student_view`` says so."""
    cls = entry_point.load()
    block = make(cls, cls.content.default or PAGE)
    # as edx-platform's StudentViewTransformer reads it: on the student_view method
    assert block.has_support(getattr(block, "student_view", None), "multi_device") is True
    assert block.has_support(getattr(block, "studio_view", None), "multi_device") is False
    assert cls.completion_mode == "completable" and cls.has_custom_completion
    # the player's widgets as the registered kinds make them (coursepack.player)
    assert cls.open_local_resource("static/widgets.js").read() == player_file("widgets.js")
    assert b'CommonGround.kinds.register("question"' in player_file("widgets.js")
    assert cls.open_local_resource("static/xblock-adapter.js").read()


def test_the_render_cache_is_keyed_by_the_source():
    runtime = LearnerRuntime()
    a, b = make(ContentPageBlock, PAGE, "p1", runtime), make(ContentPageBlock, PAGE, "p2", runtime)
    a.student_view(), b.student_view()
    assert parse_sources.cache_info().currsize == 1
    b.content = PAGE + "\n\nMore."
    assert "More." in b.student_view().content
    assert parse_sources.cache_info().currsize == 2


# -- content page ---------------------------------------------------------------------------

def test_content_page_renders_callouts_pause_panel_and_glossary_sanitised():
    block = make(ContentPageBlock, PAGE, support_lines=SUPPORT, glossary="stigma: Unfair assumptions about a group.")
    html = block.student_view().content
    assert "<strong>prose</strong>" in html
    assert "<script" not in html and "alert(1)" not in html
    assert 'class="cg-callout cg-pause"' in html and "Samaritans" in html and 'href="tel:116123"' in html
    assert "Ross, peer worker" in html
    prefix = block.dom_prefix
    assert f'href="#{prefix}page-cg-term-stigma"' in html
    assert f'<dt id="{prefix}page-cg-term-stigma">stigma</dt><dd>Unfair assumptions about a group.</dd>' in html


def test_content_page_completes_on_view_once_with_value_one():
    block = make(ContentPageBlock, PAGE)
    assert body(post(block, "viewed")) == {"completion": 1.0}
    assert body(post(block, "viewed")) == {"completion": 1.0}
    assert block.runtime.events == [("b1", "completion", {"completion": 1.0})]
    assert user_state_reply(block)["completed"] is True


def test_content_page_refuses_stateful_blocks_and_headings():
    block = make(ContentPageBlock, "## A page heading\n\nText\n\n" + REFLECTION)
    problems = " ".join(block.problems())
    assert "'#' or '##' heading" in problems and "cannot go in a content page" in problems
    html = block.student_view().content
    assert "cannot be shown yet" in html and "heading" not in html  # learners do not see the details
    staff = make(ContentPageBlock, "## A page heading", runtime=LearnerRuntime(staff=True))
    assert "Markdown, line 1" in staff.student_view().content


# -- knowledge check ------------------------------------------------------------------------

def test_question_grades_each_answer_and_completes_on_the_first():
    block = make(KnowledgeCheckBlock, SINGLE)
    wrong = body(post(block, "submit", {"selected": ["b"]}))
    assert wrong["correct"] is False and wrong["attemptsLeft"] == -1
    assert wrong["feedback"] == {"b": "<p>Not quite. This label sums a person up.</p>"}
    assert wrong["correctIds"] == [] and "Person-first words" in wrong["explanation"]
    right = body(post(block, "submit", {"selected": ["a"]}))
    assert right["correct"] is True and right["correctIds"] == ["a"]
    assert block.runtime.events == [
        ("b1", "grade", {"value": 0.0, "max_value": 1.0, "only_if_higher": None}),
        ("b1", "completion", {"completion": 1.0}),
        ("b1", "grade", {"value": 1.0, "max_value": 1.0, "only_if_higher": None}),
    ]
    assert block.get_score() == (1.0, 1.0)
    # right is final
    before = user_state(block.runtime)
    response = post(block, "submit", {"selected": ["b"]})
    assert response.status_code == 400 and body(response)["error"] == "already answered correctly"
    assert user_state(block.runtime) == before and len(block.runtime.events) == 3


def test_question_weight_comes_from_the_markdown():
    block = make(KnowledgeCheckBlock, MULTIPLE)
    assert block.weight == 2.0 and block.max_score() == 2.0 and block.has_score
    assert body(post(block, "submit", {"selected": ["public"]}))["correct"] is False
    assert body(post(block, "submit", {"selected": ["self", "public"]}))["correct"] is True
    grades = [e[2] for e in block.runtime.events if e[1] == "grade"]
    assert grades == [{"value": 0.0, "max_value": 2.0, "only_if_higher": None},
                      {"value": 2.0, "max_value": 2.0, "only_if_higher": None}]


def test_question_attempts_run_out():
    block = make(KnowledgeCheckBlock, TWO_TRIES)
    assert body(post(block, "submit", {"selected": ["b"]}))["attemptsLeft"] == 1
    last = body(post(block, "submit", {"selected": ["c"]}))
    assert last["attemptsLeft"] == 0 and last["correct"] is False
    response = post(block, "submit", {"selected": ["a"]})
    assert response.status_code == 400 and body(response)["error"] == "no attempts left"
    assert block.get_score() == (0.0, 1.0)
    assert [e[2]["value"] for e in block.runtime.events if e[1] == "grade"] == [0.0, 0.0]


def test_question_gives_the_right_answer_after_the_last_attempt_only():
    """The player marks the right answer once no attempt is left (as in SCORM and the preview);
    while attempts remain, a single-answer check keeps it back."""
    block = make(KnowledgeCheckBlock, TWO_TRIES)
    first = body(post(block, "submit", {"selected": ["b"]}))
    assert "answerIds" not in first and first["correctIds"] == []
    last = body(post(block, "submit", {"selected": ["c"]}))
    assert last["attemptsLeft"] == 0 and last["answerIds"] == ["a"]


def test_question_marks_missed_options_after_a_wrong_multiple_answer():
    block = make(KnowledgeCheckBlock, MULTIPLE)
    wrong = body(post(block, "submit", {"selected": ["public"]}))
    assert wrong["correct"] is False and sorted(wrong["answerIds"]) == ["public", "self"]
    right = body(post(block, "submit", {"selected": ["self", "public"]}))
    assert "answerIds" not in right


def test_question_shows_the_last_answer_and_feedback_on_revisit():
    runtime = LearnerRuntime()
    make(KnowledgeCheckBlock, TWO_TRIES, runtime=runtime)
    post(runtime.block(KnowledgeCheckBlock, "b1"), "submit", {"selected": ["b"]})
    again = runtime.block(KnowledgeCheckBlock, "b1")
    state = again.student_view().json_init_args["state"]
    assert state["selected"] == ["b"]
    assert state["result"]["correct"] is False and state["result"]["attemptsLeft"] == 1
    assert state["result"]["feedback"]["b"].startswith("<p>Not quite.")
    # another learner sees nothing of it
    other = runtime.learner("learner-2").block(KnowledgeCheckBlock, "b1")
    assert other.student_view().json_init_args["state"] is None


def test_question_drops_an_answer_whose_meaning_changed():
    block = make(KnowledgeCheckBlock, SINGLE)
    post(block, "submit", {"selected": ["b"]})
    block.content = SINGLE.replace("{#b}", "{#b2}")
    block.save()
    assert block.learner_state() is None and not block.has_submitted_answer()
    assert body(post(block, "submit", {"selected": ["a"]}))["correct"] is True


@pytest.mark.parametrize("payload, reason", [
    ({"selected": ["zz"]}, "unknown option 'zz'"),
    ({"selected": ["a", "b"]}, "choose exactly one option"),
    ({"selected": []}, "'selected' must be a non-empty list of option ids"),
    ({"selected": "a"}, "'selected' must be a non-empty list of option ids"),
    ({"selected": [1]}, "'selected' must list option ids of this question"),
    ({"selected": ["a", "a"]}, "an option is chosen twice"),
    ({"selected": ["a"], "extra": 1}, "unknown field(s): extra"),
    ({}, "missing field(s): selected"),
])
def test_question_refuses_bad_answers_and_keeps_state(payload, reason):
    block = make(KnowledgeCheckBlock, SINGLE)
    response = post(block, "submit", payload)
    assert response.status_code == 400 and body(response) == {"error": reason}
    assert user_state(block.runtime) == {} and block.runtime.events == []


def test_question_data_for_mobile_holds_no_answers():
    data = make(KnowledgeCheckBlock, SINGLE).student_view_data()
    assert data["element"]["options"][0] == {"id": "a", "html": "A person who uses drugs"}
    text = json.dumps(data)
    assert "correct" not in text and "Yes. The person comes first." not in text


def test_question_rescore():
    block = make(KnowledgeCheckBlock, SINGLE)
    post(block, "submit", {"selected": ["a"]})
    block.runtime.events.clear()
    block.rescore(only_if_higher=False)
    assert block.runtime.events == [("b1", "grade", {"value": 1.0, "max_value": 1.0, "only_if_higher": False})]


def test_question_does_not_complete_on_view():
    response = post(make(KnowledgeCheckBlock, SINGLE), "viewed")
    assert response.status_code == 400


# -- reflection -----------------------------------------------------------------------------

def test_reflection_completes_on_view_and_saves_without_any_event():
    block = make(ReflectionBlock, REFLECTION)
    assert body(post(block, "viewed")) == {"completion": 1.0}
    secret = "I was ashamed to ask my GP."
    assert body(post(block, "save_state", {"text": secret})) == {"saved": True, "length": len(secret)}
    assert block.runtime.events == [("b1", "completion", {"completion": 1.0})]
    assert secret not in json.dumps(user_state(block.runtime))
    prefs = [v for k, v in block.runtime.store.db_dict.items() if k.scope == Scope.preferences]
    assert secret in json.dumps(prefs)
    again = block.runtime.block(ReflectionBlock, "b1")
    assert again.student_view().json_init_args["state"] == {"text": secret}
    assert secret not in json.dumps(again.student_view_data()["element"])


def test_reflection_says_who_can_read_it_and_shows_the_limit():
    html = make(ReflectionBlock, REFLECTION).student_view().content
    assert "Course staff with access to learner data can read what you save" in html
    assert 'maxlength="100"' in html and "0 of 100 characters" in html


def test_reflection_refuses_text_over_the_limit_and_keeps_the_old_text():
    block = make(ReflectionBlock, REFLECTION)
    post(block, "save_state", {"text": "first"})
    before = dict(block.runtime.store.db_dict)
    for payload in ({"text": "x" * 101}, {"text": 5}, {"text": "a\x00b"}, {"words": "hi"}):
        response = post(block, "save_state", payload)
        assert response.status_code == 400, payload
    assert block.runtime.store.db_dict == before


def test_reflections_download_as_one_file_for_the_course():
    runtime = LearnerRuntime()
    first = make(ReflectionBlock, REFLECTION, "r1", runtime)
    second = runtime.block(ReflectionBlock, "r2", content=REFLECTION.replace("r-one", "r-two").replace(
        "What made it hard", "What helped"), module="other", module_title="Another module")
    del first, second  # each request gets a block of its own, as in the LMS

    def request(usage, handler, payload=None, on=runtime):
        block = on.block(ReflectionBlock, usage)
        if handler == "download":
            return block.runtime.handle(block, "download", Request.blank("/"))
        return post(block, handler, payload)

    request("r1", "save_state", {"text": "Shame, mostly."})
    request("r2", "save_state", {"text": "A kind nurse."})
    elsewhere = LearnerRuntime(store=runtime.store, course="course-v1:Other+X+1")
    request("r1", "save_state", {"text": "Not in this course."}, on=elsewhere)
    response = request("r2", "download")
    assert response.status_code == 200
    assert response.content_type == "text/plain" and response.charset.lower() == "utf-8"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="reflections-')
    text = response.body.decode("utf-8")
    assert "Shame, mostly." in text and "A kind nurse." in text and "Not in this course." not in text
    assert "== A module ==" in text and "== Another module ==" in text
    assert "What made it hard to ask for help?" in text
    # emptying a reflection removes it from the file
    request("r1", "save_state", {"text": "  "})
    text = request("r2", "download").body.decode()
    assert "Shame, mostly." not in text and "A kind nurse." in text


# -- scenario -------------------------------------------------------------------------------

def test_scenario_completes_at_an_ending_and_restarts():
    block = make(ScenarioBlock, SCENARIO)
    assert body(post(block, "save_state", {"path": ["c-listen"], "ended": False})) == {"step": "stay", "ended": False}
    assert block.runtime.events == []
    # the client says "not ended", but the path reaches an ending: the server decides
    assert body(post(block, "save_state", {"path": ["c-listen", "c-ask"], "ended": False}))["ended"] is True
    assert block.runtime.events == [("b1", "completion", {"completion": 1.0})]
    assert body(post(block, "save_state", {"path": [], "ended": False})) == {"step": "start", "ended": False}
    assert body(post(block, "save_state", {"path": ["c-away"], "ended": True}))["ended"] is True
    assert block.runtime.events == [("b1", "completion", {"completion": 1.0})]
    assert block.endings == ["good", "leave"]
    assert block.learner_state() == {"path": ["c-away"], "ended": True}


def test_scenario_paths_may_loop_but_must_be_walks():
    block = make(ScenarioBlock, SCENARIO)
    assert body(post(block, "save_state", {"path": ["c-listen", "c-back", "c-listen"]}))["step"] == "stay"
    before = dict(block.runtime.store.db_dict)
    for payload in ({"path": ["c-ask"]}, {"path": ["c-listen", "c-away"]}, {"path": "c-listen"},
                    {"path": ["c-listen"] * 201}, {"path": [], "ended": "yes"}, {"path": [None]}):
        assert post(block, "save_state", payload).status_code == 400, payload
    assert block.runtime.store.db_dict == before


# -- confidence -----------------------------------------------------------------------------

def confidence_pair(runtime):
    before = runtime.block(ConfidenceBlock, "cf1", content=BEFORE, module="mod", module_title="A module")
    after = runtime.block(ConfidenceBlock, "cf2", content=AFTER, before_source=BEFORE, module="mod",
                          module_title="A module")
    return before, after


def test_confidence_shows_the_learners_own_change(rows):
    runtime = LearnerRuntime()
    before, after = confidence_pair(runtime)
    assert body(post(before, "save_state", {"ratings": {"explain": 2, "words": 3}})) == \
        {"before": None, "saved": True}
    assert body(post(after, "save_state", {"ratings": {"explain": 4, "words": 3}})) == \
        {"before": {"explain": 2, "words": 3}, "saved": True}
    state = runtime.block(ConfidenceBlock, "cf2").student_view().json_init_args["state"]
    assert state == {"ratings": {"explain": 4, "words": 3}, "before": {"explain": 2, "words": 3}}
    assert rows.objects.count() == 2
    assert set(rows.objects.values_list("learner", flat=True)) == {"anon-learner-1"}
    # the after check asks the before check's statements
    html = after.student_view().content
    assert "I can explain stigma." in html and "after the module" in html
    # saving again replaces the row
    post(before, "save_state", {"ratings": {"explain": 1, "words": 1}})
    assert rows.objects.count() == 2


def test_confidence_completes_on_view(rows):
    before, _ = confidence_pair(LearnerRuntime())
    assert body(post(before, "viewed")) == {"completion": 1.0}
    assert before.runtime.events == [("cf1", "completion", {"completion": 1.0})]


@pytest.mark.parametrize("payload", [
    {"ratings": {"explain": 2}}, {"ratings": {"explain": 2, "words": 6}}, {"ratings": {"explain": 0, "words": 1}},
    {"ratings": {"explain": True, "words": 1}}, {"ratings": {"explain": 2.5, "words": 1}},
    {"ratings": {"explain": 2, "words": 1, "other": 3}}, {"ratings": [2, 1]}, {"rating": {}},
])
def test_confidence_refuses_bad_ratings(rows, payload):
    before, _ = confidence_pair(LearnerRuntime())
    assert post(before, "save_state", payload).status_code == 400
    assert rows.objects.count() == 0


def test_staff_see_anonymous_figures_only_from_five_learners(rows):
    staff = LearnerRuntime("teacher", staff=True)
    before, after = confidence_pair(staff)
    for n in range(4):
        learner = staff.learner(f"l{n}")
        b, a = learner.block(ConfidenceBlock, "cf1"), learner.block(ConfidenceBlock, "cf2")
        post(b, "save_state", {"ratings": {"explain": 1, "words": 2}})
        post(a, "save_state", {"ratings": {"explain": 3, "words": 2}})
    assert body(post(before, "aggregates")) == {"learners": None, "minimum": 5}
    html = before.student_view().content
    assert "Figures appear once at least 5 learners have answered" in html and "<table" not in html
    fifth = staff.learner("l4")
    post(fifth.block(ConfidenceBlock, "cf1"), "save_state", {"ratings": {"explain": 2, "words": 2}})
    summary = body(post(before, "aggregates"))
    assert summary["learners"] == 5
    assert summary["statements"][0] == {"id": "explain", "mean": 1.2, "counts": [4, 1, 0, 0, 0]}
    # the after check counts only learners who answered both: 4 so far
    assert body(post(after, "aggregates"))["learners"] is None
    post(fifth.block(ConfidenceBlock, "cf2"), "save_state", {"ratings": {"explain": 4, "words": 2}})
    paired = body(post(after, "aggregates"))
    assert paired["learners"] == 5
    assert paired["statements"][0] == {"id": "explain", "mean": 3.2, "counts": [0, 0, 4, 1, 0],
                                       "mean_before": 1.2, "mean_change": 2.0}
    assert "<table" in after.student_view().content and "+2.00" in after.student_view().content
    # learners never see the figures
    learner = staff.learner("l1").block(ConfidenceBlock, "cf1")
    assert "anonymous summary" not in learner.student_view().content
    assert post(learner, "aggregates").status_code == 403


def test_the_minimum_number_of_learners_is_a_setting_never_below_five(rows):
    runtime = LearnerRuntime("teacher", staff=True, settings={"CommonGround": {"CONFIDENCE_MIN_LEARNERS": 7}})
    before, _ = confidence_pair(runtime)
    assert before.min_learners() == 7
    for n in range(7):
        post(runtime.learner(f"l{n}").block(ConfidenceBlock, "cf1"), "save_state", {"ratings": {"explain": 5, "words": 5}})
        assert body(post(before, "aggregates"))["learners"] == (7 if n == 6 else None)
    for bad in (0, 2, 4, "3", None, True):
        odd = LearnerRuntime(settings={"CommonGround": {"CONFIDENCE_MIN_LEARNERS": bad}})
        assert confidence_pair(odd)[0].min_learners() == 5


def test_an_after_check_needs_its_before_check():
    runtime = LearnerRuntime()
    block = runtime.block(ConfidenceBlock, "cf2", content=AFTER, module="mod")
    [problem] = block.problems()
    assert "'after=cf-before' names no 'before' confidence check" in problem
    assert "paste the Markdown of 'cf-before' into this field" in problem and "Before check" in problem
    wrong = runtime.block(ConfidenceBlock, "cf3", content=AFTER, before_source=BEFORE.replace("cf-before", "cf-x"))
    assert wrong.problems()


# -- Studio ---------------------------------------------------------------------------------

def studio_save(block, values, defaults=()):
    """What StudioEditableXBlockMixin's form posts: the changed fields and the names to reset."""
    return post(block, "submit_studio_edits", {"values": values, "defaults": list(defaults)})


def refusals(response) -> list[str]:
    return [m["text"] for m in body(response)["error"]["messages"]]


def test_studio_saves_nothing_when_the_markdown_has_problems():
    block = make(KnowledgeCheckBlock, SINGLE)
    before = dict(block.runtime.store.db_dict)
    broken = SINGLE.replace("- [x] A person who uses drugs {#a}", "- [ ] A person who uses drugs {#a}")
    response = studio_save(block, {"display_name": "New name", "content": broken, "glossary": "",
                                   "module": "mod", "module_title": "A module"})
    assert response.status_code == 400
    assert refusals(response) == ["Markdown, line 1: no option is marked right (mark the right option(s) with [x])"]
    assert block.runtime.store.db_dict == before          # not even the display name
    fresh = block.runtime.block(KnowledgeCheckBlock, "b1")
    assert fresh.display_name == "Knowledge check" and fresh.content == SINGLE


def test_studio_saves_every_field_when_all_are_right():
    block = make(ContentPageBlock, PAGE)
    response = studio_save(block, {"display_name": " Words ", "content": "New *text*.\n\n",
                                   "glossary": "stigma: A definition.", "support_lines": SUPPORT,
                                   "module": "mod-2"}, defaults=["module_title"])
    assert response.status_code == 200 and body(response) == {"result": "success"}
    fresh = block.runtime.block(ContentPageBlock, "b1")
    assert (fresh.display_name, fresh.content, fresh.module) == ("Words", "New *text*.", "mod-2")
    assert fresh.glossary == "stigma: A definition." and fresh.module_title == ""


@pytest.mark.parametrize("values, reason", [
    ({"module": "Not An Id"}, "Module id must be a short id: lower-case letters, digits and hyphens"),
    ({"display_name": "two\nlines"}, "Display name must be one line"),
    ({"display_name": "x" * 300}, "Display name is too long"),
    ({"glossary": "- not a mapping"}, "Glossary, line 1:"),
    ({"support_lines": "- name: Only a name"}, "Support lines, line 1:"),
    ({"content": "Words.\n\n::: pause"}, "never closed"),
])
def test_studio_refuses_a_broken_field_with_its_reason(values, reason):
    block = make(ContentPageBlock, PAGE)
    before = dict(block.runtime.store.db_dict)
    response = studio_save(block, {"display_name": "A new name", **values})
    assert response.status_code == 400
    assert any(reason in text for text in refusals(response)), refusals(response)
    assert block.runtime.store.db_dict == before


@pytest.mark.parametrize("raw", [
    b"[1, 2]", b'"text"', b"{not json", b'{"values": []}', b'{"values": {"content": 5}}',
    b'{"values": {"display_name": null}}', b'{"values": {"completed": "true"}}', b'{"values": {"unknown": "x"}}',
    b'{"values": {}, "defaults": ["completed"]}', b'{"values": {}, "defaults": "content"}', b'{"defaults": []}',
    b'{"values": {}, "surprise": 1}', b"[" * 5000 + b"]" * 5000,
])
def test_studio_refuses_hostile_requests_with_a_reason(raw):
    block = make(ContentPageBlock, PAGE)
    before = dict(block.runtime.store.db_dict)
    response = post(block, "submit_studio_edits", body=raw)
    assert response.status_code == 400 and body(response)["error"]
    assert block.runtime.store.db_dict == before
    assert post(block, "submit_studio_edits", method="GET").status_code == 405


def test_studio_view_is_the_mixins_form_with_the_markdown_help(django_templates):
    block = make(ScenarioBlock, SCENARIO.replace("{#good .ending}", "{#good}"))
    frag = block.studio_view(None)
    assert frag.js_init_fn == "StudioEditableXBlockMixin"
    for name in ("display_name", "content", "glossary", "module", "module_title"):
        assert f'data-field-name="{name}"' in frag.content
    assert frag.content.count("<textarea") == 2                     # content, glossary
    assert "One ::: scenario block: steps as" in frag.content      # the block's syntax, under the Markdown
    messages = [m.text for m in block.validate().messages]
    assert any("step 'good' has no choices and is not an ending" in m for m in messages)
    assert not make(ScenarioBlock, SCENARIO, "ok").validate().messages


# -- translation ----------------------------------------------------------------------------

class Pirate:
    """An i18n service with a made-up language: the runtime's translations must be used."""
    WORDS = {"Knowledge check": "Test o' wits", "Check answer": "Fire!", "Correct.": "Aye.",
             "Reflection (optional)": "Ponderin' (if ye please)"}

    def gettext(self, text):
        return self.WORDS.get(text, text)

    ugettext = gettext

    def ngettext(self, singular, plural, n):
        return self.gettext(singular if n == 1 else plural)

    def get_language(self):
        return "x-pirate"


def test_blocks_translate_through_the_runtime_i18n_service():
    runtime = LearnerRuntime(i18n=Pirate())
    frag = make(KnowledgeCheckBlock, SINGLE, runtime=runtime).student_view()
    assert "Test o&#39; wits" in frag.content and "Fire!" in frag.content
    assert frag.json_init_args["strings"]["Correct."] == "Aye."
    english = make(KnowledgeCheckBlock, SINGLE, "other").student_view()
    assert "Check answer" in english.content
    assert "Ponderin&#39; (if ye please)" in make(ReflectionBlock, REFLECTION, runtime=runtime).student_view().content


def test_the_studio_form_translates_through_the_runtime_i18n_service(django_templates):
    class GettextOnly:   # edx-platform's service has gettext; XBlock's mixin asks for ugettext
        WORDS = {"Markdown": "Scribblins", "Glossary": "Wordhoard", "The name shown in the course outline.": "Yer name",
                 ScenarioBlock.markdown_help: "Steps an' choices"}

        def gettext(self, text):
            return self.WORDS.get(text, text)

    frag = make(ScenarioBlock, SCENARIO, runtime=LearnerRuntime(i18n=GettextOnly())).studio_view(None)
    for word in ("Scribblins", "Wordhoard", "Yer name", "Steps an&#39; choices"):
        assert word in frag.content, word
    assert ">Markdown<" not in frag.content


# -- OLX: no learner data -------------------------------------------------------------------

def test_export_leaves_out_learner_data():
    from lxml import etree
    block = make(ReflectionBlock, REFLECTION)
    post(block, "viewed")
    post(block, "save_state", {"text": "private words"})
    node = etree.Element("x")
    block.runtime.block(ReflectionBlock, "b1").add_xml_to_node(node)
    xml = etree.tostring(node, encoding="unicode")
    assert "private words" not in xml and "completed" not in xml and "reflections" not in xml
    assert node.tag == "cg_reflection" and node.text == REFLECTION and node.get("module") == "mod"
    q = make(KnowledgeCheckBlock, SINGLE, "q")
    post(q, "submit", {"selected": ["b"]})
    node = etree.Element("x")
    q.runtime.block(KnowledgeCheckBlock, "q").add_xml_to_node(node)
    assert not set(node.attrib) & {"selected", "attempts_used", "answered_fp", "raw_earned", "completed"}
    assert re.search(r"\{#q-one type=single\}", node.text)


def test_each_knowledge_check_shows_where_the_learner_stands_in_the_module(rows):
    """The module's own pass mark (Open edX has one cutoff for the whole course)."""
    runtime = LearnerRuntime()
    weights = {"q-one": 1.0, "q-many": 2.0, "q-three": 1.0}
    settings = {"module": "mod", "module_questions": weights, "module_pass_mark": 70}
    one = runtime.block(KnowledgeCheckBlock, "q1", content=SINGLE, **settings)
    many = runtime.block(KnowledgeCheckBlock, "q2", content=MULTIPLE, **settings)
    three = runtime.block(KnowledgeCheckBlock, "q3", content=SINGLE.replace("q-one", "q-three"), **settings)
    assert "Knowledge checks answered in this module: 0 of 3." in one.student_view().content
    first = body(post(one, "submit", {"selected": ["a"]}))["module"]
    assert first == {"answered": 1, "total": 3, "complete": False,
                     "text": "Knowledge checks answered in this module: 1 of 3."}
    post(runtime.block(KnowledgeCheckBlock, "q2"), "submit", {"selected": ["public"]})    # wrong: 2 of 4 points lost
    last = body(post(runtime.block(KnowledgeCheckBlock, "q3"), "submit", {"selected": ["a"]}))["module"]
    assert last["complete"] is True and last["score"] == 50.0 and last["passed"] is False
    assert last["text"].endswith("Your score: 50%. Pass mark: 70%. You have not reached the pass mark yet. "
                                 "You can go back and try again.")
    # answering the weighty one right on a second try passes the module
    again = body(post(runtime.block(KnowledgeCheckBlock, "q2"), "submit", {"selected": ["public", "self"]}))
    assert again["module"]["score"] == 100.0 and again["module"]["text"].endswith("You passed.")
    assert "You passed." in runtime.block(KnowledgeCheckBlock, "q1").student_view().content
    # another module's checks and another learner are separate
    other = runtime.block(KnowledgeCheckBlock, "q9", content=SINGLE, module="mod-2",
                          module_questions={"q-one": 1.0}, module_pass_mark=70)
    assert "0 of 1" in other.student_view().content
    assert "0 of 3" in runtime.learner("learner-2").block(KnowledgeCheckBlock, "q1").student_view().content
    del many, three


def test_the_js_gets_the_student_view_data_payload_and_the_learners_state():
    block = make(ReflectionBlock, REFLECTION)
    post(block, "save_state", {"text": "mine"})
    block = block.runtime.block(ReflectionBlock, "b1")
    data = block.student_view_data()
    args = block.student_view().json_init_args
    assert args == {**{k: v for k, v in data.items() if k != "element"}, **user_state_reply(block)}
    assert data["element"]["max_length"] == 100 and args["state"] == {"text": "mine"}
    assert "mine" not in json.dumps(data)
    assert json.loads(json.dumps(data)) == data


@pytest.mark.parametrize("cls", [ContentPageBlock, KnowledgeCheckBlock, ReflectionBlock, ScenarioBlock, ConfidenceBlock])
def test_every_field_enforces_its_type(cls):
    """A value of the wrong type (a bad import, a hand-edited OLX attribute) is refused, not kept."""
    assert all(field.enforce_type for field in cls.fields.values() if field.name in vars(cls) or
               any(field.name in vars(base) for base in cls.__mro__ if base.__module__.startswith("xblocks."))), \
        [n for n, f in cls.fields.items() if not f.enforce_type]
    block = make(cls, cls.content.default or PAGE)
    with pytest.raises(TypeError):
        block.display_name = 42
