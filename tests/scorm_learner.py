"""Scripted learners for SCORM packages: they use the page as a person would (click options,
"Check answer", "Next page", "Save and exit") inside the test LMS's frame."""
from __future__ import annotations

import json

from coursepack.elements import GRADED, kind_of
from coursepack.elements.order import Order
from coursepack.model import Confidence, Module, Scenario

READY = "() => !!(window.CommonGround && CommonGround.shell)"


def sco_frame(page, timeout: float = 15000):
    handle = page.wait_for_selector("#sco", timeout=timeout)
    frame = handle.content_frame()
    frame.wait_for_function(READY, timeout=timeout)
    return frame


def launch(context, lms, sid):
    page = context.new_page()
    page.goto(lms.launch_url(sid))
    return page, sco_frame(page)


def calls(page) -> list:
    return page.evaluate("() => window.calls")


def state(frame) -> dict:
    return frame.evaluate("() => CommonGround.shell.state()")


def current_page(frame) -> int:
    return frame.evaluate("() => CommonGround.shell.state().loc")


def by_id(element_id: str) -> str:
    return f'[id="{element_id}"]'


def wrong_choice(q) -> list[str]:
    """A wrong answer to a knowledge check of any graded kind."""
    if isinstance(q, Order):
        return list(reversed(q.correct_ids))
    wrong = [o.id for o in q.options if not o.correct]
    return wrong[:1]


def put_in_order(widget, ids: list[str]) -> None:
    """Move each item up with its "Move up" button until the items are in the order ``ids``."""
    for n, item in enumerate(ids):
        while widget.locator(".cg-order-item").evaluate_all("els => els.map(e => e.dataset.cgOption)").index(item) > n:
            widget.locator(f'[data-cg-option="{item}"] [data-cg-move="up"]').click()


def answer(frame, q, option_ids: list[str]) -> None:
    """Answer a knowledge check: tick the options, or put the items in the given order."""
    before = frame.evaluate(f"() => (CommonGround.shell.state().q[{json.dumps(q.id)}] || {{n: 0}}).n")
    widget = frame.locator(by_id(q.id))
    if isinstance(q, Order):
        put_in_order(widget, option_ids)
    for oid in option_ids if not isinstance(q, Order) else ():
        widget.locator(by_id(f"{q.id}-{oid}")).check()
    widget.locator("button[type=submit]").click()
    frame.wait_for_function(
        f"() => (CommonGround.shell.state().q[{json.dumps(q.id)}] || {{n: 0}}).n === {before + 1}")


def play_scenario(frame, s: Scenario) -> None:
    """Always the first choice, to an ending."""
    widget = frame.locator(by_id(s.id))
    for _ in range(len(s.steps) + 1):
        if frame.evaluate(f"() => !!(CommonGround.shell.state().s[{json.dumps(s.id)}] || {{}}).ended"):
            return
        widget.locator(".cg-step:not([hidden]) .cg-choice").first.click()
        widget.locator("[data-cg-action=continue]").click()


def rate(frame, c: Confidence, value: int | dict = 3, on_device: bool | None = None) -> None:
    """Rate every statement ``value`` (or each ``value[statement id]``) and save; ``on_device``:
    tick (or clear) "Keep my ratings on this device" first (a package in an LMS offers it)."""
    values = value if isinstance(value, dict) else {st.id: value for st in c.statements}
    widget = frame.locator(by_id(c.id))
    if on_device is not None:
        widget.locator(".cg-keep input").set_checked(on_device)
    for sid, v in values.items():
        widget.locator(by_id(f"{c.id}-{sid}-{v}")).check()
    widget.locator("button[type=submit]").click()
    frame.wait_for_function(f"(want) => JSON.stringify(CommonGround.shell.state().c[{json.dumps(c.id)}]) === want",
                            arg=json.dumps(values, separators=(",", ":")))


def go_next(frame) -> None:
    at = current_page(frame)
    frame.locator("[data-cg-action=next]").click()
    frame.wait_for_function(f"() => CommonGround.shell.state().loc === {at + 1}")


def work_page(frame, page, *, correct: bool, extras: bool = True, first_right: bool = False,
              answered: set | None = None, rating=rate) -> None:
    """Answer every question on the page; with ``extras``, play its scenarios and rate its
    confidence checks with ``rating(frame, check)``."""
    answered = answered if answered is not None else set()
    graded = {e.id for e in page.elements if kind_of(e).role == GRADED}
    for el in page.elements:
        if getattr(el, "id", None) in graded and el.id not in answered:
            right = correct or (first_right and not answered)
            answer(frame, el, list(el.correct_ids) if right else wrong_choice(el))
            answered.add(el.id)
        elif extras and isinstance(el, Scenario):
            play_scenario(frame, el)
        elif extras and isinstance(el, Confidence):
            rating(frame, el)


def complete(frame, module: Module, *, correct: bool = True, extras: bool = True, start: int = 0,
             stop: int | None = None, first_right: bool = False, rating=rate) -> None:
    """Work through pages start..stop (exclusive), answering every question on each."""
    pages = module.pages
    stop = len(pages) if stop is None else stop
    answered: set = set(state(frame)["q"])
    for i in range(start, stop):
        if current_page(frame) != i:
            if current_page(frame) == i - 1:
                go_next(frame)
            else:
                frame.locator(f'[data-cg-goto="{i}"]').click()
                frame.wait_for_function(f"() => CommonGround.shell.state().loc === {i}")
        work_page(frame, pages[i], correct=correct, extras=extras, first_right=first_right, answered=answered,
                  rating=rating)


def save_and_exit(frame) -> None:
    frame.locator("[data-cg-action=exit]").click()
    frame.wait_for_function("() => /close this window/i.test(document.getElementById('cg-status').textContent)")


def goto(frame, index: int) -> None:
    """Open a page through the contents list and wait until the shell is on it."""
    frame.locator(f'[data-cg-goto="{index}"]').click()
    frame.wait_for_function(f"() => CommonGround.shell.state().loc === {index}")


def page_with(mod, found) -> int:
    """The index of the first page with an element for which ``found(element)`` is true."""
    return next(i for i, p in enumerate(mod.pages) if any(found(e) for e in p.elements))

