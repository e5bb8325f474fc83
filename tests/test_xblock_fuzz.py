"""Handler fuzzing, in-process: at least 1,000 generated requests per handler.

Requests mix raw bytes, arbitrary JSON and payloads shaped like the real ones with wrong,
unknown, oversized and valid values. Every answer must be 200, 400, 403 or 405 (never a server
error); a refused request must leave everything as it was: the learner's fields (the runtime
saves them after every handler, as the LMS does), the published events and the confidence rows.
"""
from __future__ import annotations

import json
from collections import Counter, defaultdict

import pytest

pytest.importorskip("xblock")
hypothesis = pytest.importorskip("hypothesis")

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from webob import Request  # noqa: E402

from xblock_support import django_db_ready, rows  # noqa: E402,F401  (fixtures)
from xblocks.confidence import ConfidenceBlock  # noqa: E402
from xblocks.page import ContentPageBlock  # noqa: E402
from xblocks.question import KnowledgeCheckBlock  # noqa: E402
from xblocks.reflection import ReflectionBlock  # noqa: E402
from xblocks.scenario import ScenarioBlock  # noqa: E402
from xblocks.dev.testing import LearnerRuntime  # noqa: E402

EXAMPLES = 1000
COUNTS: Counter = Counter()
STATUSES: dict = defaultdict(Counter)
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.function_scoped_fixture, HealthCheck.filter_too_much])

BEFORE = ConfidenceBlock.content.default
AFTER = "::: confidence {#cf-after after=cf-example}\n:::"

# -- request strategies ---------------------------------------------------------------------------

scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**12, 10**12), st.floats(allow_nan=True),
                    st.text(max_size=40), st.sampled_from(["", "a", "b", "c", "start", "c-listen", "explain"]))
json_values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=6), st.dictionaries(st.text(max_size=12), inner, max_size=6)), max_leaves=25)
huge = st.builds(lambda n, c: c * n, st.integers(1000, 70_000), st.sampled_from(["x", "é", "\x00", "\n", "💬"]))


def encoded(value) -> bytes:
    return json.dumps(value, allow_nan=True).encode()


def requests(shaped):
    """Bodies: mostly shaped like the handler's own, some JSON of any shape, some raw bytes."""
    return st.tuples(
        st.sampled_from(["POST"] * 18 + ["GET", "PUT"]),
        st.one_of(shaped.map(encoded), shaped.map(encoded), shaped.map(encoded),
                  json_values.map(encoded), st.binary(max_size=200),
                  st.just(b"[" * 5000 + b"]" * 5000), huge.map(lambda s: encoded({"text": s}))))


def ids(known):
    return st.one_of(st.sampled_from(known), st.text(max_size=45), json_values)


def maybe(value_strategy, key):
    """A dict that has ``key`` most of the time, and sometimes an extra key."""
    return st.builds(lambda v, extra, with_key, extra_key: {
        **({key: v} if with_key else {}), **({extra_key: 1} if extra else {})},
        value_strategy, st.integers(0, 9).map(lambda n: n == 0), st.integers(0, 9).map(lambda n: n > 0),
        st.text(max_size=8))


question_bodies = maybe(st.one_of(st.sampled_from([["a"], ["b"], ["b"]]),
                                  st.lists(st.sampled_from(["a", "b", "zz"]), min_size=1, max_size=3),
                                  st.lists(ids(["a", "b", "zz"]), max_size=5), json_values), "selected")
reflection_bodies = maybe(st.one_of(st.text(max_size=120), huge, json_values), "text")
scenario_bodies = st.builds(lambda path, ended, extra: {"path": path, **({"ended": ended} if ended != "-" else {}),
                                                        **extra},
                            st.one_of(st.lists(ids(["c-listen", "c-away", "x"]), max_size=8),
                                      st.lists(st.just("c-listen"), min_size=150, max_size=260), json_values),
                            st.one_of(st.just("-"), st.booleans(), json_values),
                            st.dictionaries(st.text(max_size=5), scalars, max_size=1))
confidence_bodies = maybe(st.one_of(
    st.fixed_dictionaries({"explain": st.integers(0, 6), "words": st.integers(0, 6)}),
    st.dictionaries(st.one_of(st.sampled_from(["explain", "words", "other"]), st.text(max_size=45)),
                    st.one_of(st.integers(-2, 8), scalars), max_size=4),
    json_values), "ratings")
empty_bodies = st.one_of(st.just({}), st.dictionaries(st.text(max_size=10), scalars, max_size=3))
studio_values = st.fixed_dictionaries({}, optional={
    "display_name": st.one_of(st.text(max_size=40), huge, scalars),
    "content": st.one_of(st.sampled_from([KnowledgeCheckBlock.content.default, BEFORE, "::: question\n:::",
                                          "## heading", "plain *text*", ""]), st.text(max_size=200), json_values),
    "glossary": st.one_of(st.sampled_from(["stigma: words", "- a list", "key: [1, 2]", ": :"]), st.text(max_size=60)),
    "module": st.one_of(st.sampled_from(["mod", "Mod", "a b", "x" * 41]), st.text(max_size=20)),
    "module_title": st.text(max_size=40),
    "support_lines": st.one_of(st.sampled_from(["- name: A\n  contact: '1'\n  offers: B", "- x"]), st.text(max_size=60)),
    "before_source": st.one_of(st.just(BEFORE), st.text(max_size=60)),
    "surprise": scalars,
})
# what StudioEditableXBlockMixin's form sends: the changed fields, and the names to reset
studio_bodies = st.one_of(
    st.fixed_dictionaries({"values": studio_values, "defaults": st.lists(st.one_of(
        st.sampled_from(["display_name", "content", "glossary", "module", "completed", "surprise"]), scalars),
        max_size=3)}),
    maybe(st.one_of(studio_values, json_values), "values"))


# -- the harness --------------------------------------------------------------------------------

def snapshot(runtime, rows_model=None):
    store = {str(k): json.dumps(v, sort_keys=True, default=str) for k, v in runtime.store.db_dict.items()}
    table = sorted(rows_model.objects.values_list("course_key", "check_key", "learner", "ratings")) \
        if rows_model is not None else None
    return store, list(runtime.events), table


def call(runtime, cls, usage, handler, method, body, rows_model=None):
    block = runtime.block(cls, usage)
    request = Request.blank("/", method=method, body=body if method != "GET" else None,
                            content_type="application/json")
    before = snapshot(runtime, rows_model)
    response = block.runtime.handle(block, handler, request)
    status = response.status_code
    assert status in (200, 400, 403, 405), (handler, status, body[:200])
    if status == 200:
        if handler != "download":
            json.loads(response.body)
    else:
        assert json.loads(response.body or b'{"error": ""}').get("error") is not None or status == 405
        assert snapshot(runtime, rows_model) == before, (handler, status, body[:200])
    COUNTS[f"{cls.__name__}.{handler}"] += 1
    STATUSES[f"{cls.__name__}.{handler}"][status] += 1
    return status


def setup(cls, content, **fields):
    runtime = LearnerRuntime("fuzzer", staff=True)
    runtime.block(cls, "fuzzed", content=content, module="mod", module_title="Module", **fields)
    return runtime


def assert_count(key, accepted=True):
    """At least EXAMPLES requests, and (where the handler can accept any) some accepted."""
    assert COUNTS[key] >= EXAMPLES, COUNTS
    if accepted:
        assert STATUSES[key][200] > 0, STATUSES[key]
    print(f"{key}: {COUNTS[key]} requests, by status {dict(sorted(STATUSES[key].items()))}")


# -- the handlers (those that take the same bodies share one generation) -----------------------

def test_fuzz_the_handlers_that_take_no_body(rows):
    """``viewed`` of the page, the question, the reflection and the confidence check, and the
    confidence check's ``aggregates`` (asked by staff and by a learner): each handler gets every
    generated request, each block in a runtime of its own. One generation serves the five
    handlers: they take the same bodies, and drawing a request costs far more than answering it."""
    page = setup(ContentPageBlock, "Some *text*.")
    question = setup(KnowledgeCheckBlock, KnowledgeCheckBlock.content.default)
    reflection = setup(ReflectionBlock, ReflectionBlock.content.default)
    confidence = setup(ConfidenceBlock, BEFORE)

    @FUZZ
    @given(requests(empty_bodies), st.booleans())
    def run(req, staff):
        call(page, ContentPageBlock, "fuzzed", "viewed", *req)
        assert call(question, KnowledgeCheckBlock, "fuzzed", "viewed", *req) != 200
        call(reflection, ReflectionBlock, "fuzzed", "viewed", *req)
        who = confidence.learner("teacher", staff=True) if staff else confidence.learner("learner")
        for handler in ("aggregates", "viewed"):
            call(who, ConfidenceBlock, "fuzzed", handler, *req, rows_model=rows)
    run()
    assert_count("ContentPageBlock.viewed")
    assert_count("KnowledgeCheckBlock.viewed", accepted=False)
    assert_count("ReflectionBlock.viewed")
    assert_count("ConfidenceBlock.aggregates")
    assert_count("ConfidenceBlock.viewed")


def test_fuzz_question_submit():
    runtime = setup(KnowledgeCheckBlock, KnowledgeCheckBlock.content.default.replace("type=single", "type=single attempts=3"))

    @FUZZ
    @given(requests(question_bodies), st.integers(0, 5))
    def run(req, reset):
        if reset == 0:  # now and then a fresh learner, so attempts do not run out for good
            runtime.store.db_dict.clear()
            runtime.block(KnowledgeCheckBlock, "fuzzed", content=KnowledgeCheckBlock.content.default.replace(
                "type=single", "type=single attempts=3"), module="mod")
        call(runtime, KnowledgeCheckBlock, "fuzzed", "submit", *req)
    run()
    assert_count("KnowledgeCheckBlock.submit")


def test_fuzz_reflection_save():
    runtime = setup(ReflectionBlock, ReflectionBlock.content.default)

    @FUZZ
    @given(requests(reflection_bodies))
    def run(req):
        call(runtime, ReflectionBlock, "fuzzed", "save_state", *req)
    run()
    assert_count("ReflectionBlock.save_state")


def test_fuzz_reflection_download():
    runtime = setup(ReflectionBlock, ReflectionBlock.content.default)
    runtime.block(ReflectionBlock, "fuzzed").reflections = {}

    @FUZZ
    @given(st.sampled_from(["GET", "GET", "HEAD", "POST", "DELETE"]), st.binary(max_size=100), reflection_bodies)
    def run(method, body, save):
        if save.get("text") and isinstance(save["text"], str) and len(save["text"]) < 50:
            call(runtime, ReflectionBlock, "fuzzed", "save_state", "POST", encoded(save))
        status = call(runtime, ReflectionBlock, "fuzzed", "download", method, body)
        assert status == (200 if method in ("GET", "HEAD") else 405)
    run()
    assert_count("ReflectionBlock.download")


def test_fuzz_scenario_save():
    from xblocks.scenario import EXAMPLE
    runtime = setup(ScenarioBlock, EXAMPLE.replace("- [Tell them to come back sober](#away) {#c-away}",
                                                   "- [Tell them to come back sober](#away) {#c-away}\n"
                                                   "- [Think again](#start) {#c-again}"))

    @FUZZ
    @given(requests(scenario_bodies))
    def run(req):
        call(runtime, ScenarioBlock, "fuzzed", "save_state", *req)
    run()
    assert_count("ScenarioBlock.save_state")


def test_fuzz_confidence_save(rows):
    runtime = setup(ConfidenceBlock, AFTER, before_source=BEFORE)

    @FUZZ
    @given(requests(confidence_bodies), st.sampled_from(["learner-a", "learner-b", "learner-c"]))
    def run(req, learner):
        call(runtime.learner(learner), ConfidenceBlock, "fuzzed", "save_state", *req, rows_model=rows)
    run()
    assert_count("ConfidenceBlock.save_state")
    assert rows.objects.count() <= 3


def test_fuzz_submit_studio_edits():
    """Studio's save on every block, each in a runtime of its own: each gets every generated
    request (one generation serves the five, as above)."""
    classes = [ContentPageBlock, KnowledgeCheckBlock, ReflectionBlock, ScenarioBlock, ConfidenceBlock]
    runtimes = {cls: setup(cls, cls.content.default or "Some text.") for cls in classes}

    @FUZZ
    @given(requests(studio_bodies))
    def run(req):
        for cls, runtime in runtimes.items():
            call(runtime, cls, "fuzzed", "submit_studio_edits", *req)
    run()
    for cls in classes:
        assert_count(f"{cls.__name__}.submit_studio_edits")
