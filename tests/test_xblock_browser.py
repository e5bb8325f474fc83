"""The blocks in the workbench, in real headless Chromium.

A learner completes a whole module with the keyboard alone (PageDown to read, Tab, arrows,
Space and Enter to answer): every block publishes completion, every knowledge check its full
grade. axe-core (WCAG 2.0, 2.1 and 2.2 A and AA tags, no rule disabled) finds nothing in any
block's student_view, scoped to the block's element (the workbench page around the blocks has
no ``lang`` or ``<title>``, which is not ours to fix), before and after answering.
"""
from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from support import AXE_TAGS
from test_xblock_workbench import blocks_on
from xblock_support import Learner, events, pack, walk_to_ending, workbench  # noqa: F401  (fixtures)

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parent.parent
AXE = REPO / "tests" / "js" / "node_modules" / "axe-core" / "axe.min.js"
BLOCKS = "[data-block-type^='cg_']"


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1024, "height": 700}, accept_downloads=True)
    tab = context.new_page()
    problems = []
    tab.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    tab.on("console", lambda m: problems.append(f"console {m.type}: {m.text}")
           if m.type == "error" and not m.text.startswith("Failed to load resource") else None)
    tab.on("response", lambda r: problems.append(f"HTTP {r.status}: {r.url}")
           if r.status >= 400 and not r.url.endswith("/favicon.ico") else None)
    tab.problems = problems
    yield tab
    context.close()


def axe(page, selectors: list[str]) -> list:
    if not AXE.exists():
        pytest.skip("axe-core not installed: run scripts/setup (npm ci in tests/js)")
    if not page.evaluate("() => !!window.axe"):
        page.add_script_tag(path=str(AXE))
    return page.evaluate("""async ([selectors, tags]) => {
        const r = await axe.run({include: selectors.map(s => [s])}, {runOnly: {type: 'tag', values: tags}});
        return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                       nodes: v.nodes.map(n => n.target.join(' ') + ' ' + n.html.slice(0, 120)).slice(0, 4)}));
    }""", [selectors, AXE_TAGS])


def block_selectors(page) -> list[str]:
    return page.evaluate("""(sel) => Array.from(document.querySelectorAll(sel))
        .map(el => `[data-usage="${el.getAttribute('data-usage')}"]`)""", BLOCKS)


def scenarios(workbench) -> dict[str, str]:
    _, html = Learner(workbench.base, "index").get("/")
    return dict(re.findall(r'href="/scenario/([^/"]+)/">([^<]+)<', html))


# -- accessibility ------------------------------------------------------------------------------

def scenario_ids() -> list[tuple[str, str]]:
    """(id, title) of every workbench scenario, as the workbench names them (``<tag>.<n>``),
    whole modules first (they take longest, so two workers finish together)."""
    from coursepack.fragment import KINDS
    from xblocks.dev.scenarios import scenarios_for
    found = [(f"cg_{kind}.{n}", title) for kind in KINDS for n, (title, _) in enumerate(scenarios_for(kind))]
    return sorted(found, key=lambda s: (not s[1].startswith("Common Ground module"), s[0]))


SCENARIOS = scenario_ids()


def test_the_axe_runs_cover_every_scenario_the_workbench_lists(workbench):
    assert dict(SCENARIOS) == scenarios(workbench)
    assert len(SCENARIOS) > 15


def test_every_scenario_renders(workbench, pack):
    """The workbench's index lists every module and a scenario of every kind of ours, none of the
    SDK's samples; that each scenario's page renders our blocks is checked on the pages that
    test_axe_finds_nothing_in_any_block loads (``rendered``), every one of them."""
    status, index = Learner(workbench.base, "visitor").get("/")
    assert status == 200
    found = dict(re.findall(r'href="/scenario/([^/"]+)/">([^<]+)<', index))
    titles = set(found.values())
    for n, module in enumerate(pack.modules):
        assert f"Common Ground module {n + 1}: {module.title}" in titles
    kinds = Counter(sid.split(".")[0] for sid in found)
    assert {k for k in kinds if k.startswith("cg_")} == {"cg_page", "cg_question", "cg_order", "cg_reflection",
                                                          "cg_scenario", "cg_confidence", "cg_learning_review",
                                                          "cg_joint_feedback"}
    assert not [sid for sid in found if not sid.startswith("cg_")], "the SDK's samples are hidden"
    assert set(found) == {sid for sid, _ in SCENARIOS}, "every scenario is loaded (and checked) below"


def rendered(html: str, sid: str) -> None:
    """A scenario's page as the workbench sent it shows our blocks, none refused, nothing run."""
    assert blocks_on(html), sid
    assert "cannot be shown" not in html, sid
    assert "<script>alert" not in html, sid


@pytest.mark.parametrize("sid,title", SCENARIOS, ids=[s for s, _ in SCENARIOS])
def test_axe_finds_nothing_in_any_block(workbench, page, sid, title):
    """As a learner, and as course staff (their own controls) on each kind's scenarios; a whole
    module holds the same kinds, so staff's views of those are checked there."""
    students = ("axe-learner",) if title.startswith("Common Ground module") else ("axe-learner", "staff")
    for student in students:
        response = page.goto(f"{workbench.base}/scenario/{sid}/?student={student}")
        assert response.status == 200, sid
        rendered(response.text(), sid)
        page.wait_for_selector(BLOCKS + " [data-cg-mounted], " + BLOCKS + " .cg-xblock-page")
        selectors = block_selectors(page)
        assert selectors, sid
        found = axe(page, selectors)              # every block on the page, in one run
        assert found == [], (title, student, found)
    assert page.problems == []


def test_axe_finds_an_unlabelled_field_put_into_a_block(workbench, page):
    """The check can fail: an unlabelled field put into a block is found."""
    page.goto(f"{workbench.base}/scenario/{SCENARIOS[-1][0]}/?student=axe-learner")
    page.wait_for_selector(BLOCKS + " [data-cg-mounted], " + BLOCKS + " .cg-xblock-page")
    page.evaluate("(sel) => document.querySelector(sel).insertAdjacentHTML('beforeend', '<input type=text>')", BLOCKS)
    assert [v["id"] for v in axe(page, block_selectors(page)[:1])] == ["label"]


def test_axe_finds_nothing_after_answering(workbench, page):
    """Feedback, explanations, scenario steps and the learner's change are checked too (the
    scenarios of the kinds a learner answers; every scenario is checked before answering by
    test_axe_finds_nothing_in_any_block)."""
    all_ = scenarios(workbench)
    answerable = ("cg_question", "cg_scenario", "cg_confidence", "cg_reflection")
    for sid in sorted(s for s in all_ if not all_[s].startswith("Common Ground module") and s.startswith(answerable)):
        page.goto(f"{workbench.base}/scenario/{sid}/?student=axe-answers")
        page.wait_for_selector("[data-cg-mounted]", state="attached")
        widget = page.locator(".cg-widget").first
        kind = widget.get_attribute("data-cg-kind")
        if kind == "question":
            widget.locator("input").first.check()
            widget.locator("button[type=submit]").click()
            page.wait_for_selector(".cg-verdict")
        elif kind == "scenario":
            widget.locator(".cg-choice").first.click()
            page.locator("[data-cg-action=continue]").click()
        elif kind == "confidence":
            for group in widget.locator(".cg-rating").all():
                group.locator("input").nth(2).check()
            widget.locator("button[type=submit]").click()
            page.wait_for_function("() => document.querySelector('.cg-confidence .cg-feedback').textContent")
        elif kind == "reflection":
            widget.locator("textarea").fill("Words for the checker.")
            widget.locator("[data-cg-action=save]").click()
            page.wait_for_function("() => document.querySelector('.cg-reflection .cg-feedback').textContent")
        page.wait_for_timeout(100)
        found = axe(page, block_selectors(page))
        assert found == [], (all_[sid], found)
    assert page.problems == []


# -- the keyboard alone -------------------------------------------------------------------------

def focused(page) -> dict:
    return page.evaluate("""() => {
        const el = document.activeElement;
        const widget = el ? el.closest('.cg-widget') : null;
        const block = el ? el.closest('[data-block-type]') : null;
        return {tag: el.tagName, type: el.type || '', value: el.value || '', name: el.name || '',
                checked: !!el.checked, disabled: !!el.disabled,
                action: el.getAttribute('data-cg-action') || '', choice: el.getAttribute('data-cg-choice') || '',
                kind: widget ? widget.getAttribute('data-cg-kind') : '', id: widget ? widget.getAttribute('data-cg-id') : '',
                statement: el.closest('.cg-rating') ? el.closest('.cg-rating').getAttribute('data-cg-statement') : '',
                inBlocks: !!(block && block.getAttribute('data-block-type').startsWith('cg_')),
                afterBlocks: !!el.closest('.debug')};
    }""")


def test_a_learner_completes_a_module_with_the_keyboard_alone(workbench, page, pack):
    module = pack.modules[0]
    elements = {e.id: e for p in module.pages for e in p.elements if hasattr(e, "id")}
    sid = next(s for s, t in scenarios(workbench).items() if t.endswith(module.title) and "module" in t)
    page.goto(f"{workbench.base}/scenario/{sid}/?student=keyboard-learner")
    page.wait_for_selector("[data-cg-mounted]")
    usages = page.evaluate("(sel) => Array.from(document.querySelectorAll(sel)).map(e => e.getAttribute('data-usage'))",
                           BLOCKS)

    # Read the module: PageDown to the end (content pages and reflections complete when seen).
    for _ in range(400):
        page.keyboard.press("PageDown")
        page.wait_for_timeout(80)
        if page.evaluate("() => window.scrollY + window.innerHeight >= document.documentElement.scrollHeight - 2"):
            break
    page.wait_for_timeout(800)      # let the last (smooth) scroll end before going back up
    page.keyboard.press("Home")
    page.wait_for_timeout(800)

    paths = {s.id: walk_to_ending(s) for s in module.scenarios}
    done: set[str] = set()
    for _ in range(3000):
        page.keyboard.press("Tab")
        f = focused(page)
        if f["afterBlocks"]:
            break
        if not f["inBlocks"] or f["disabled"]:
            continue
        element = elements.get(f["id"])
        if f["kind"] == "question" and f["type"] == "radio":
            for _ in range(len(element.options) + 1):
                if f["value"] in element.correct_ids:
                    page.keyboard.press("Space")
                    break
                page.keyboard.press("ArrowDown")
                f = focused(page)
        elif f["kind"] == "question" and f["type"] == "checkbox":
            if f["value"] in element.correct_ids and not f["checked"]:
                page.keyboard.press("Space")
        elif f["kind"] == "confidence" and f["type"] == "radio":
            page.keyboard.press("Space")            # 1
            page.keyboard.press("ArrowRight")       # 2
            page.keyboard.press("ArrowRight")       # 3
        elif f["kind"] in ("question", "confidence") and f["tag"] == "BUTTON" and f["type"] == "submit":
            page.keyboard.press("Enter")
            page.wait_for_timeout(250)
            done.add(f["id"])
        elif f["kind"] == "scenario" and f["choice"]:
            path = paths[f["id"]]
            taken = page.evaluate("(id) => document.querySelectorAll(`[data-cg-id='${id}'] .cg-choice[aria-pressed]`).length",
                                  f["id"])
            if f["choice"] in path and not taken:
                page.keyboard.press("Enter")        # choose: focus moves to Continue
                page.wait_for_timeout(60)
                assert focused(page)["action"] == "continue"
                page.keyboard.press("Enter")        # continue: focus moves to the next step's heading
                page.wait_for_timeout(250)
                if path.index(f["choice"]) == len(path) - 1:
                    done.add(f["id"])
        elif f["kind"] == "reflection" and f["tag"] == "TEXTAREA":
            page.keyboard.type("Typed with the keyboard.")
            page.keyboard.press("Tab")
            assert focused(page)["action"] == "save"
            page.keyboard.press("Enter")
            page.wait_for_timeout(200)
            done.add(f["id"])
    else:
        raise AssertionError("the keyboard walk did not reach the end of the blocks")

    stateful = {e.id for e in elements.values() if e.kind in ("question", "scenario", "confidence", "reflection")}
    assert done == stateful
    page.wait_for_timeout(500)
    logged = [e for e in events(workbench.folder) if e[1] in set(usages)]
    completed = {u for kind, u, d in logged if kind == "completion" and d == {"completion": 1.0}}
    assert completed == set(usages), set(usages) - completed
    grades = [d for kind, _, d in logged if kind == "grade"]
    assert len(grades) == len(module.questions)
    assert all(d["value"] == d["max_value"] for d in grades)
    assert page.problems == []
    # the answered page is still clean for axe
    assert axe(page, block_selectors(page)) == []
    # and after a reload every answer is still there
    page.reload()
    page.wait_for_selector("[data-cg-mounted]")
    verdicts = page.locator(".cg-question .cg-verdict").all_inner_texts()
    assert verdicts == ["Correct."] * len(module.questions)
    standing = page.locator(".cg-module-result").all_inner_texts()
    assert len(standing) == len(module.questions)
    assert all(t.endswith(f"Your score: 100%. Pass mark: {module.pass_mark}%. You passed.") for t in standing)
    assert page.locator(".cg-reflection textarea").first.input_value() == "Typed with the keyboard."
    assert json.dumps(page.locator(".cg-change:not([hidden])").all_inner_texts()).count("Before: 3. Now: 3.") == \
        len(module.confidence_checks[0].statements)


# -- Studio -------------------------------------------------------------------------------------

def studio_save(page, fields: dict):
    """Fill the Studio form's fields, press Save; the handler's answer and the runtime events the
    form sent (the workbench logs each ``runtime.notify`` to the console)."""
    notified = []
    page.on("console", lambda m: notified.append(m.text) if "Runtime event" in m.text else None)
    # Studio's page sends the CSRF token with every jQuery request (cms/static/cms/js/main.js,
    # $.ajaxSetup); the workbench only on global ajax events, which the mixin's form turns off.
    page.evaluate("() => $.ajaxSetup({headers: {'X-CSRFToken': $.cookie('csrftoken')}})")
    for name, value in fields.items():
        page.locator(f"#xb-field-edit-{name}").fill(value)
    with page.expect_response(lambda r: "submit_studio_edits" in r.url) as answer:
        page.locator(".save-button").click()
    page.wait_for_function("() => true")
    page.wait_for_timeout(200)
    return answer.value, notified


def test_studio_says_why_nothing_was_saved_then_saves(workbench, page):
    """XBlock's own Studio form (StudioEditableXBlockMixin): a broken Markdown is refused, with
    its reason in the error the form reports, and nothing saved; a right one is saved."""
    studio = f"{workbench.base}/scenario/cg_question.0/studio_view/?student=author"
    page.goto(studio)
    page.wait_for_selector(".editor-with-buttons .save-button")
    original = page.locator("#xb-field-edit-content").input_value()
    assert "One ::: question block" in page.locator("[data-field-name=content] .setting-help").inner_text()
    assert axe(page, [".editor-with-buttons"]) == []
    answer, notified = studio_save(page, {"content": original.replace("- [x]", "- [ ]"),
                                          "display_name": "Not saved either"})
    assert answer.status == 400
    assert [m["text"] for m in answer.json()["error"]["messages"]] == [
        "Markdown, line 1: no option is marked right (mark the right option(s) with [x])"]
    assert any('"error"' in n for n in notified), notified
    page.goto(f"{workbench.base}/scenario/cg_question.0/?student=author")
    assert "Evidence stigma" in page.content() and "Not saved either" not in page.content()
    page.goto(studio)
    answer, notified = studio_save(page, {"display_name": "Forms of stigma",
                                          "content": original.replace("Evidence stigma", "Made-up stigma")})
    assert answer.status == 200 and any('"save"' in n for n in notified), notified
    page.goto(f"{workbench.base}/scenario/cg_question.0/?student=author")
    assert "Made-up stigma" in page.content() and "Forms of stigma" in page.content()
    page.goto(studio)   # put it back for the other tests
    assert studio_save(page, {"display_name": "Knowledge check 1", "content": original})[0].status == 200
