"""The pack's scenarios where someone may be thinking about suicide model asking and acting (brief 9a)."""
from __future__ import annotations

from pathlib import Path

import pytest

from coursepack.lint.suicide import sign
from coursepack.load import load_pack
from coursepack.model import Callout, Scenario

REPO = Path(__file__).resolve().parent.parent
PACK = load_pack(REPO / "content").pack


def find(scenario_id: str):
    for module in PACK.modules:
        for page in module.pages:
            for e in page.elements:
                if isinstance(e, Scenario) and e.id == scenario_id:
                    return module, page, e
    raise AssertionError(scenario_id)


def best_path(scenario: Scenario):
    """Follow the choices whose feedback starts "Good" from the start to an ending."""
    steps = {s.id: s for s in scenario.steps}
    path, step = [], scenario.start
    while not step.ending:
        path.append(step)
        [good] = [c for c in step.choices if c.feedback.startswith("Good")]
        step = steps[good.target]
        assert step not in path, "the best path loops"
    return path + [step]


SUICIDE_SCENARIOS = ["s-morag", "s-lewis", "s-kyle"]


def about_suicide():
    """Every scenario of the pack in which lint's own table finds someone who may be thinking
    about suicide."""
    return [e for m in PACK.modules for e in m.scenarios
            if any(sign(t) for t in [e.title] + [s.text for s in e.steps] + [c.text for s in e.steps for c in s.choices])]


def test_the_scenarios_checked_here_are_all_the_packs_scenarios_about_suicide():
    assert sorted(s.id for s in about_suicide()) == sorted(SUICIDE_SCENARIOS)


@pytest.mark.parametrize("scenario_id", SUICIDE_SCENARIOS)
def test_the_best_path_asks_directly_and_acts(scenario_id):
    module, page, scenario = find(scenario_id)
    path = best_path(scenario)
    text = " ".join(" ".join(s.text.split()) for s in path)
    choices = " ".join(c.text for s in path for c in s.choices)
    assert "Are you thinking about suicide?" in text + choices
    for must in ("111", "999", "GP", "procedure", "stay"):
        assert must.lower() in (text + choices).lower(), must
    assert any(isinstance(e, Callout) and e.style == "content-note" for e in page.elements)


@pytest.mark.parametrize("scenario_id", SUICIDE_SCENARIOS)
def test_paths_that_skip_asking_or_acting_say_why_they_are_unsafe(scenario_id):
    _, _, scenario = find(scenario_id)
    path = best_path(scenario)
    asked = next(n for n, s in enumerate(path) if "Are you thinking about suicide?" in " ".join(s.text.split()))
    # Up to the step where the worker has asked and must act on the answer, every other
    # choice skips asking or acting, and its feedback must say that is not safe.
    for step in path[:asked + 1]:
        for choice in step.choices:
            if not choice.feedback.startswith("Good"):
                assert "not safe" in choice.feedback, (step.id, choice.id)


@pytest.mark.parametrize("scenario_id", SUICIDE_SCENARIOS)
def test_unsafe_endings_name_the_risk_and_offer_the_restart(scenario_id):
    # An ending that only choices marked "not safe" lead to is an unsafe ending: it must not
    # leave the learner on the harm, but say why it is not safe and point to the restart.
    _, _, scenario = find(scenario_id)
    into: dict[str, list] = {}
    for step in scenario.steps:
        for choice in step.choices:
            into.setdefault(choice.target, []).append(choice)
    unsafe = [s for s in scenario.steps if s.ending and all("not safe" in c.feedback for c in into[s.id])]
    assert unsafe, "every suicide scenario has at least one unsafe ending"
    for step in unsafe:
        text = " ".join(step.text.split())
        assert "not safe" in text and "Start the scenario again" in text, step.id


def test_no_absolute_share_only_with_agreement_rule():
    for module in PACK.modules:
        source = Path(PACK.root, "modules").glob(f"*{module.id}*")
        for path in source:
            assert "only with their agreement" not in path.read_text().replace("\n", " ")
