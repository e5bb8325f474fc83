"""The "put in order" kind through every interface: the syntax and its messages, the one
completion rule, SCORM's sequencing interaction within Moodle's rules, the XBlock's grade, and
the learner's widget with the keyboard alone (no dragging), announced, axe-clean."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from coursepack.completion import summarise
from coursepack.elements.order import Order
from coursepack.fragment import parse_fragment
from coursepack.load import load_pack, require_pack

FIXTURE = Path(__file__).parent / "fixtures" / "pack"
ORDER = """::: order {#o-steps attempts=2 weight=2}
Put the steps in order.

1. Ask directly {#ask}
   Asking comes first: it opens the conversation.
2. Listen without judging {#listen}
   Listen once you have asked.
3. Get help the same day {#get-help}
   Help comes after you know what is going on.

Explanation: Ask, listen, then get help.
:::"""
# Moodle 5's SCORM 2004 data model (mod/scorm/datamodels/scorm_13.js): CMIShortIdentifier
SHORT_IDENTIFIER = re.compile(r"^[\w.]{1,250}$", re.ASCII)


def test_the_authored_order_is_the_answer_and_learners_see_it_shuffled():
    found = parse_fragment(ORDER, kind="order")
    assert not found.errors
    order = found.element
    assert isinstance(order, Order) and order.correct_ids == ("ask", "listen", "get-help")
    assert (order.attempts, order.weight) == (2, 2.0)
    assert order.items[0].feedback.startswith("Asking comes first")
    assert [i.id for i in order.shown] != list(order.correct_ids)
    assert sorted(i.id for i in order.shown) == sorted(order.correct_ids)


@pytest.mark.parametrize("change,code", [
    (lambda s: s.replace("3. Get help the same day {#get-help}\n   Help comes after you know what is going on.\n", ""),
     "order-items"),
    (lambda s: s.replace("3. Get help", "4. Get help"), "order-numbers"),
    (lambda s: s.replace(" {#listen}", ""), "missing-id"),
    (lambda s: s.replace("Put the steps in order.\n", ""), "empty-question"),
    (lambda s: s.replace("attempts=2", "attempts=two"), "bad-option"),
])
def test_mistakes_are_messages_with_a_line(change, code):
    found = parse_fragment(change(ORDER), kind="order")
    assert code in {d.code for d in found.errors}
    assert all(d.line >= 1 and (d.hint or d.code == "bad-option") for d in found.errors if d.code == code)


def test_more_than_seven_items_is_refused():
    items = "\n".join(f"{n}. Step {n} {{#s{n}}}" for n in range(1, 9))
    found = parse_fragment(f"::: order {{#o-long}}\nOrder them.\n\n{items}\n:::", kind="order")
    assert [d.code for d in found.errors] == ["order-items"]


@pytest.fixture(scope="module")
def order_pack(tmp_path_factory):
    """The fixture pack with a "put in order" question on its questions page."""
    root = tmp_path_factory.mktemp("order") / "pack"
    shutil.copytree(FIXTURE, root)
    module = root / "modules" / "every-element.md"
    text = module.read_text(encoding="utf-8")
    module.write_text(text.replace("## Questions {#questions}\n", "## Questions {#questions}\n\n" + ORDER + "\n", 1),
                      encoding="utf-8")
    return root


def test_it_counts_in_completion_and_the_score_like_any_knowledge_check(order_pack):
    result = require_pack(order_pack)
    module = result.pack.modules[0]
    assert "o-steps" in {e.id for e in module.graded}
    others = {e.id: True for e in module.graded if e.id != "o-steps"}
    pages = [p.id for p in module.pages]
    assert not summarise(module, pages, others).complete
    weights = {e.id: e.weight for e in module.graded}
    right = summarise(module, pages, {**others, "o-steps": True})
    wrong = summarise(module, pages, {**others, "o-steps": False})
    assert right.complete and wrong.complete and right.score == 100
    assert wrong.score == round(100 * (sum(weights.values()) - 2) / sum(weights.values()), 2)


def test_scorm_records_a_sequencing_interaction_within_moodles_rules(order_pack):
    from scorm_export.package import VERSIONS, interactions
    module = require_pack(order_pack).pack.modules[0]
    v12 = interactions(module, VERSIONS["1.2"])["o-steps"]
    v2004 = interactions(module, VERSIONS["2004"])["o-steps"]
    assert v12 == {"type": "sequencing", "tokens": {"ask": "a", "listen": "b", "get-help": "c"}}
    assert v2004["type"] == "sequencing" and v2004["tokens"]["get-help"] == "get_help"
    assert all(SHORT_IDENTIFIER.match(t) for t in v2004["tokens"].values())
    assert len(set(v2004["tokens"].values())) == 3


def test_lint_accepts_the_pack(order_pack):
    result = load_pack(order_pack)
    assert not result.diagnostics.errors


# -- Open edX --------------------------------------------------------------------------------

def _block(content=ORDER):
    pytest.importorskip("xblock")
    from xblocks.order import PutInOrderBlock
    from xblocks.dev.testing import LearnerRuntime
    runtime = LearnerRuntime()
    return runtime.block(PutInOrderBlock, "b1", content=content, module="mod", module_title="A module")


def _post(block, payload):
    from xblocks.dev.testing import post
    response = post(block, "submit", payload)
    return response.status_code, json.loads(response.body.decode())


def test_the_block_grades_an_order_and_says_which_items_are_out_of_place():
    block = _block()
    status, wrong = _post(block, {"selected": ["listen", "ask", "get-help"]})
    assert status == 200 and wrong["correct"] is False and wrong["correctIds"] == ["get-help"]
    assert set(wrong["feedback"]) == {"listen", "ask"} and wrong["attemptsLeft"] == 1
    status, right = _post(block, {"selected": ["ask", "listen", "get-help"]})
    assert status == 200 and right["correct"] is True
    assert block.get_score() == (2.0, 2.0)
    assert [e[1] for e in block.runtime.events] == ["grade", "completion", "grade"]


@pytest.mark.parametrize("selected", [["ask", "listen"], ["ask", "ask", "listen"], ["ask", "listen", "x"], "ask", [1, 2, 3]])
def test_the_block_refuses_what_is_not_an_order_of_its_items(selected):
    block = _block()
    status, reply = _post(block, {"selected": selected})
    assert status == 400 and "every item" in reply["error"]
    assert block.get_score() == (0.0, 2.0)


def test_the_block_is_a_native_scored_xblock():
    block = _block()
    assert block.has_score and block.max_score() == 2.0
    data = block.student_view_data()
    assert data["graded"] and [i["id"] for i in data["element"]["items"]] == [i.id for i in block.element.shown]
    html = block.student_view().content
    assert 'data-cg-kind="order"' in html and html.count('data-cg-move="up"') == 3


# -- the learner's widget ---------------------------------------------------------------------

def test_keyboard_alone_puts_items_in_order_announced_and_axe_clean(order_pack, tmp_path, browser, static_server):
    from coursepack.site import build
    from test_player import axe_violations
    build(require_pack(order_pack), tmp_path)
    base = static_server(tmp_path)
    page = browser.new_context(bypass_csp=True).new_page()
    page.goto(f"{base}/every-element/index.html")
    page.wait_for_function("() => window.CommonGround && CommonGround.shell")
    page.locator('a[data-cg-goto][href="#page-questions"]').click()
    widget = page.locator(".cg-order")
    widget.scroll_into_view_if_needed()
    assert axe_violations(page, ".cg-order") == []

    def current():
        return widget.locator(".cg-order-item").evaluate_all("els => els.map(e => e.dataset.cgOption)")

    want = ["ask", "listen", "get-help"]
    for n, item in enumerate(want):
        # move the item up with the keyboard until it is in place
        while current().index(item) > n:
            button = widget.locator(f'[data-cg-option="{item}"] [data-cg-move="up"]')
            button.focus()
            page.keyboard.press("Enter")
            assert page.evaluate("() => document.activeElement.closest('.cg-order-item').dataset.cgOption") == item
    assert current() == want
    page.wait_for_timeout(80)
    assert re.search(r": now \d of 3\.", widget.locator(".cg-order-moved").inner_text())
    widget.locator("button[type=submit]").focus()
    page.keyboard.press("Enter")
    page.wait_for_timeout(100)
    assert "Correct." in widget.locator(".cg-feedback").inner_text()
    assert widget.locator(".cg-right").count() == 3
    assert widget.locator('[data-cg-move]:not([disabled])').count() == 0
    assert axe_violations(page, ".cg-order") == []
    summary = page.evaluate("() => CommonGround.shell.summary()")
    assert summary["answered"] == 1 and summary["questions"] == 4
