"""The suspend_data codec, property-tested through the shipped JS (shell.js inside a built
SCORM package, in headless Chromium), never through a copy in Python.

Hypothesis generates learner paths over the module whose state encodes longest (pages visited,
answers with retries, scenario walks with restarts, ratings, reflections with awkward
characters); each path's state goes through CommonGround.state.encode/decode in the page.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coursepack.load import require_pack
from coursepack.model import Confidence, Question, Reflection, Scenario

from support import CONTENT
from scorm_checks import DURATION_2004, TIME_12, TIMESPAN_12, TIMESTAMP_2004
from scorm_fixtures import scorm_lms, scorm_pack  # noqa: F401,F811 (fixtures)

PACK = require_pack(CONTENT)
LIMIT_12 = 4096
BUDGET = LIMIT_12 // 2        # the margin: the worst case must use at most half of SCORM 1.2's space

ROUND_TRIP = """([state, withReflections]) => {
  const key = JSON.parse(document.getElementById('cg-data').textContent).module;
  const text = CommonGround.state.encode(key, state, withReflections);
  return [text, CommonGround.state.decode(key, text), CommonGround.state.encode(key, state, withReflections) === text];
}"""


def longest_walk(s: Scenario) -> list[str]:
    """The longest path of choices from the start to an ending that visits no step twice."""
    best: list[str] = []

    def walk(step_id, path, seen):
        nonlocal best
        step = s.step(step_id)
        if step is None:
            return
        if step.ending or not step.choices:
            if len(",".join(path)) > len(",".join(best)):
                best = list(path)
            return
        for c in step.choices:
            if c.target not in seen:
                walk(c.target, path + [c.id], seen | {c.target})
    walk(s.start.id, [], {s.start.id})
    return best


def worst_state(mod) -> dict:
    """Everything seen and answered, the longest selections, many retries, longest walks."""
    q = {}
    for el in mod.graded:
        if el.kind == "order":
            sel = list(el.correct_ids)
        else:
            sel = [o.id for o in el.options] if el.type == "multiple" else [max((o.id for o in el.options), key=len)]
        q[el.id] = {"sel": sel, "n": el.attempts or 99}
    return {"pages": [True] * len(mod.pages), "loc": len(mod.pages) - 1, "q": q,
            "s": {s.id: {"path": longest_walk(s), "ended": True} for s in mod.scenarios},
            "c": {c.id: {st_.id: c.scale for st_ in c.statements} for c in mod.confidence_checks},
            "r": {}}


@pytest.fixture(scope="module")
def codec_page(browser, scorm_lms):
    """A page of each module's SCORM 1.2 package (standalone: only the codec is used)."""
    context = browser.new_context()
    pages = {}
    for mod in PACK.pack.modules:
        page = context.new_page()
        page.goto(f"{scorm_lms.url}/pkg/{scorm_lms.package_for('1.2', mod.id)}/{mod.id}/index.html")
        page.wait_for_function("() => !!(window.CommonGround && CommonGround.state)")
        pages[mod.id] = page
    yield pages
    context.close()


def round_trip(page, state: dict, with_reflections: bool):
    return page.evaluate(ROUND_TRIP, [state, with_reflections])


@pytest.fixture(scope="module")
def largest(codec_page):
    sizes = {}
    for mod in PACK.pack.modules:
        text, back, _ = round_trip(codec_page[mod.id], worst_state(mod), False)
        assert back == worst_state(mod), mod.id
        sizes[mod.id] = len(text)
    module_id = max(sizes, key=sizes.get)
    return PACK.pack.module(module_id), sizes


def test_the_largest_state_of_every_module_fits_scorm_12_with_margin(largest):
    mod, sizes = largest
    print("\nworst-case suspend_data length per module:", json.dumps(sizes))
    assert max(sizes.values()) <= BUDGET, sizes


@st.composite
def learner_paths(draw, mod):
    """A state reached by a random learner path through the module's widgets."""
    pages = [False] * len(mod.pages)
    loc = 0
    q: dict = {}
    s: dict = {}
    c: dict = {}
    r: dict = {}
    elements = [el for p in mod.pages for el in p.elements
                if isinstance(el, (Question, Scenario, Confidence, Reflection))]
    for _ in range(draw(st.integers(0, 60))):
        action = draw(st.sampled_from(["visit", "element"]))
        if action == "visit" or not elements:
            loc = draw(st.integers(0, len(mod.pages) - 1))
            pages[loc] = True
            continue
        el = draw(st.sampled_from(elements))
        if isinstance(el, Question):
            used = q.get(el.id, {"n": 0})["n"]
            if el.attempts and used >= el.attempts:
                continue
            ids = [o.id for o in el.options]
            if el.type == "multiple":
                chosen = draw(st.sets(st.sampled_from(ids), min_size=1))
                sel = [i for i in ids if i in chosen]         # the player lists them in page order
            else:
                sel = [draw(st.sampled_from(ids))]
            q[el.id] = {"sel": sel, "n": used + 1}
        elif isinstance(el, Scenario):
            state = s.get(el.id, {"path": [], "ended": False})
            if state["ended"] or draw(st.booleans()) and draw(st.booleans()):
                state = {"path": [], "ended": False}          # "Start the scenario again"
            step = el.start
            for cid in state["path"]:
                choice = next(ch for ch in step.choices if ch.id == cid)
                step = el.step(choice.target)
            for _ in range(draw(st.integers(1, 4))):
                if step.ending or not step.choices:
                    break
                choice = draw(st.sampled_from(step.choices))
                state = {"path": state["path"] + [choice.id], "ended": False}
                step = el.step(choice.target)
                if step.ending:
                    state["ended"] = True
            s[el.id] = state
        elif isinstance(el, Confidence):
            c[el.id] = {x.id: draw(st.integers(1, el.scale)) for x in el.statements}
        else:
            text = draw(st.text(alphabet=st.one_of(st.sampled_from("%!;:.,\n%21%3A{}[]\"'\\"),
                                                   st.characters()), max_size=el.max_length))
            if text:
                r[el.id] = text
    return {"pages": pages, "loc": loc, "q": q, "s": s, "c": c, "r": r}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                    HealthCheck.too_slow])
@given(data=st.data())
def test_random_learner_paths_round_trip_and_fit(codec_page, largest, data):
    mod, _ = largest
    page = codec_page[mod.id]
    state = data.draw(learner_paths(mod))
    with_r = data.draw(st.booleans())
    text, back, pure = round_trip(page, state, with_r)
    assert pure, "encode is a pure function of the state"
    expected = dict(state, r=state["r"] if with_r else {})
    assert back == expected
    if not with_r:
        assert len(text) <= BUDGET
    assert text.startswith("2!")


def test_the_worst_case_round_trips_in_every_module(codec_page):
    for mod in PACK.pack.modules:
        worst = worst_state(mod)
        worst["r"] = {r.id: ("%!;:" * r.max_length)[: r.max_length] for r in mod.reflections}
        text, back, _ = round_trip(codec_page[mod.id], worst, True)
        assert back == worst
        text_plain, back_plain, _ = round_trip(codec_page[mod.id], worst, False)
        assert back_plain == dict(worst, r={}) and len(text_plain) <= BUDGET


def test_unknown_or_changed_elements_are_dropped_never_remapped(codec_page):
    mod = PACK.pack.modules[0]
    page = codec_page[mod.id]
    q = mod.questions[0]
    state = {"pages": [True] + [False] * (len(mod.pages) - 1), "loc": 0,
             "q": {q.id: {"sel": [q.options[0].id], "n": 1}}, "s": {}, "c": {}, "r": {}}
    text, back, _ = round_trip(page, state, False)
    assert back["q"] == state["q"]
    fp = json.loads(page.evaluate("() => document.getElementById('cg-data').textContent"))["module"]["questions"][q.id]["fp"]
    changed = text.replace(f"{q.id}:{fp}.", f"{q.id}:000000.")
    unknown = text.replace(f"{q.id}:", "q-gone:")
    for variant in (changed, unknown, "9!" + text[2:], "garbage", ""):
        decoded = page.evaluate("""(t) => CommonGround.state.decode(
            JSON.parse(document.getElementById('cg-data').textContent).module, t)""", variant)
        assert decoded["q"] == {}, variant


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_merging_a_device_copy_loses_nothing(codec_page, largest, data):
    mod, _ = largest
    page = codec_page[mod.id]
    lms, device = data.draw(learner_paths(mod)), data.draw(learner_paths(mod))
    merged = page.evaluate("([a, b]) => CommonGround.state.merge(a, b)", [lms, device])
    assert merged["pages"] == [a or b for a, b in zip(lms["pages"], device["pages"])]
    assert merged["loc"] == device["loc"]
    for part in ("q", "s", "c", "r"):
        assert set(merged[part]) == set(lms[part]) | set(device[part])
    for qid, answer in merged["q"].items():
        assert answer["n"] >= max(lms["q"].get(qid, {"n": 0})["n"], device["q"].get(qid, {"n": 0})["n"])


FORMATS = """(values) => values.map((ms) => [
  CommonGround.scormFormats.timespan12(ms), CommonGround.scormFormats.duration2004(ms),
  CommonGround.scormFormats.timestamp2004(new Date(ms * 1000)), CommonGround.scormFormats.time12(new Date(ms))])"""


def _seconds_2004(text: str) -> float:
    m = re.match(r"^PT(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?$", text)
    return int(m.group(1) or 0) * 3600 + int(m.group(2) or 0) * 60 + float(m.group(3) or 0)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=st.lists(st.one_of(st.integers(0, 10 ** 10), st.sampled_from([0, 9, 10, 500, 1500, 994, 995, 59995, 3599995,
                                                                            359999999, 36000000000])),
                       min_size=1, max_size=40))
def test_times_are_written_in_each_versions_format(codec_page, values):
    """Session time, latency and time stamps through the shipped adapter's formatters."""
    page = codec_page[PACK.pack.modules[0].id]
    for ms, (span12, duration, stamp, clock) in zip(values, page.evaluate(FORMATS, values)):
        assert TIMESPAN_12.match(span12), span12
        hours, minutes, seconds = (int(x) for x in span12.split(":"))
        assert hours * 3600 + minutes * 60 + seconds == min(int(ms / 1000 + 0.5), 9999 * 3600 + 3599) or hours == 9999
        assert DURATION_2004.match(duration), duration
        assert abs(_seconds_2004(duration) - ms / 1000) <= 0.005 + 1e-9
        assert TIMESTAMP_2004.match(stamp), stamp
        assert TIME_12.match(clock), clock


V1 = json.loads((Path(__file__).parent / "fixtures" / "suspend_data_v1.json").read_text())

READ_V1 = """([key, text]) => {
  const state = CommonGround.state.decode(key, text);
  const again = CommonGround.state.encode(key, state, true);
  return [state, again, CommonGround.state.decode(key, again)];
}"""


def test_states_saved_by_the_previous_release_resume(codec_page):
    """suspend_data (and device copies) written by the release before the kinds' codec (format
    "1", fixed groups q/s/c/r), kept as that release's shell.js encoded them: each decodes to the
    state that release decoded, and is written again in the current format without a loss."""
    assert V1["format"] == "1" and len(V1["states"]) > 30
    page = next(iter(codec_page.values()))
    for saved in V1["states"]:
        key = V1["keys"][saved["module"]]
        assert saved["suspend_data"].startswith("1!")
        state, again, back = page.evaluate(READ_V1, [key, saved["suspend_data"]])
        assert state == saved["state"], (saved["module"], saved["how"])
        assert again.startswith("2!") and back == state, (saved["module"], saved["how"])
