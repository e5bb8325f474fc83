"""The learner player in the preview site, in real headless Chromium.

A learner completes a module with the keyboard alone; axe-core finds no WCAG 2.2 A/AA
violation; the layout holds at 320 px; progress survives a reload (standalone adapter).
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from coursepack.load import require_pack
from coursepack.site import build

from support import AXE_TAGS

REPO = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).parent / "fixtures" / "pack"
AXE = REPO / "tests" / "js" / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    out = {}
    for name, root in (("fixture", FIXTURE), ("content", REPO / "content")):
        folder = tmp_path_factory.mktemp(name)
        build(require_pack(root), folder)
        out[name] = folder
    return out


def axe_violations(page, selector: str = "document") -> list:
    if not AXE.exists():
        pytest.skip("axe-core not installed: run scripts/setup (npm ci in tests/js)")
    page.add_script_tag(path=str(AXE))
    context = "document" if selector == "document" else json.dumps(selector)
    result = page.evaluate(f"""async () => {{
        const r = await axe.run({context}, {{runOnly: {{type: 'tag', values: {json.dumps(AXE_TAGS)}}}}});
        return r.violations.map(v => ({{id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)}}));
    }}""")
    return result


def focused(page) -> dict:
    return page.evaluate("""() => {
        const el = document.activeElement;
        const widget = el.closest('.cg-widget');
        return {tag: el.tagName, type: el.type || '', action: el.getAttribute('data-cg-action') || '',
                kind: widget ? widget.getAttribute('data-cg-kind') : '',
                checked: !!el.checked, disabled: !!el.disabled, choice: el.classList.contains('cg-choice'),
                name: el.name || '', text: (el.textContent || '').trim().slice(0, 40)};
    }""")


def complete_with_keyboard(page, max_keys: int = 3000) -> None:
    """Drive the shell with Tab, Space and Enter only, answering everything on each page."""
    answered_groups: set[str] = set()
    for _ in range(max_keys):
        f = focused(page)
        summary = page.evaluate("() => CommonGround.shell.summary()")
        if summary["complete"]:
            return
        if f["type"] in ("radio", "checkbox") and f["kind"] in ("question", "confidence"):
            if f["name"] not in answered_groups and not f["disabled"]:
                page.keyboard.press("Space")
                answered_groups.add(f["name"])
        elif f["tag"] == "BUTTON" and f["type"] == "submit" and not f["disabled"]:
            page.keyboard.press("Enter")
            page.wait_for_timeout(60)
        elif f["choice"] and not f["disabled"]:
            page.keyboard.press("Enter")
            page.wait_for_timeout(60)
            continue
        elif f["action"] == "continue":
            page.keyboard.press("Enter")
            page.wait_for_timeout(60)
            continue
        elif f["action"] == "next" and not f["disabled"]:
            page.keyboard.press("Enter")
            page.wait_for_timeout(60)
            continue
        page.keyboard.press("Tab")
    raise AssertionError(f"module not completed with the keyboard: {page.evaluate('() => CommonGround.shell.summary()')}")


@pytest.mark.parametrize("pack,module", [("fixture", "every-element"), ("content", "stigma")])
def test_keyboard_only_completion(pack, module, sites, browser, static_server):
    base = static_server(sites[pack])
    page = browser.new_page()
    page.goto(f"{base}/{module}/index.html")
    page.wait_for_function("() => window.CommonGround && CommonGround.shell")
    page.keyboard.press("Tab")
    complete_with_keyboard(page)
    summary = page.evaluate("() => CommonGround.shell.summary()")
    assert summary["complete"] and summary["answered"] == summary["questions"] and summary["seen"] == summary["pages"]
    # The finish message and score follow the last page's content, not the sources under it.
    assert "You have finished this module." in page.text_content("#cg-summary")
    assert page.evaluate("""() => !!(document.getElementById('cg-summary').compareDocumentPosition(
        document.querySelector('.cg-sources')) & Node.DOCUMENT_POSITION_FOLLOWING)""")
    page.close()


def test_axe_every_page_and_state(sites, browser, static_server):
    base = static_server(sites["fixture"])
    page = browser.new_context(bypass_csp=True).new_page()  # the page's CSP would block axe itself
    page.goto(f"{base}/index.html")
    assert axe_violations(page) == []
    page.goto(f"{base}/every-element/index.html")
    page.wait_for_function("() => window.CommonGround && CommonGround.shell")
    pages = page.evaluate("() => CommonGround.shell.key.pages.length")
    for n in range(pages):
        page.evaluate(f"() => CommonGround.shell.goTo({n}, true)")
        assert axe_violations(page) == [], f"page {n}"
    # States with feedback, scenario outcome and the pause dialog open.
    page.evaluate("() => CommonGround.shell.goTo(1, true)")
    page.check("#q-single-b")
    page.click("#q-single button[type=submit]")
    page.evaluate("() => CommonGround.shell.goTo(2, true)")
    page.click(".cg-choice")
    page.wait_for_timeout(100)
    assert axe_violations(page) == []
    page.click("[data-cg-action=pause]")
    assert axe_violations(page) == []
    page.close()


def rate(page, widget: str, value: int = 3) -> None:
    for group in page.locator(f"{widget} .cg-rating").all():
        group.locator("input").nth(value - 1).check()
    page.click(f"{widget} button[type=submit]")
    page.wait_for_function(f"() => document.querySelector('{widget} .cg-feedback').textContent")


# Scroll so that the middle of ``target`` sits on the top edge of the pager's button under it
# (the pager stays in view at the foot of the window, and the page scrolls under it).
AT_THE_PAGER = """(target) => {
  const el = document.querySelector(target), r = el.getBoundingClientRect();
  const button = Array.from(document.querySelectorAll('.cg-pager .cg-button')).find(b => {
    const br = b.getBoundingClientRect(); return br.left < r.right && br.right > r.left; });
  window.scrollBy(0, r.top + r.height / 2 - button.getBoundingClientRect().top);
  const now = el.getBoundingClientRect(), br = button.getBoundingClientRect();
  return now.top < br.top && now.bottom > br.top;
}"""


def test_axe_after_check_once_the_before_check_is_answered(sites, browser, static_server):
    """The "after" confidence check once the "before" one was answered, before and after it is
    rated, and with each of its scales scrolled to the pager's edge: a radio button half under
    the pager's buttons would be a target smaller than 24 px (WCAG 2.2, 2.5.8) wherever a
    learner stops scrolling. A phone's width, where the pager's buttons fill the width."""
    base = static_server(sites["fixture"])
    page = browser.new_context(bypass_csp=True, viewport={"width": 390, "height": 500}).new_page()
    page.goto(f"{base}/every-element/index.html")
    page.wait_for_function("() => window.CommonGround && CommonGround.shell")
    rate(page, "#cf-before")
    page.evaluate("() => CommonGround.shell.goTo(CommonGround.shell.key.pages.length - 1, true)")
    assert axe_violations(page) == []
    for radio in page.locator("#cf-after .cg-rating input[value='3']").all():
        target = f"#{radio.get_attribute('id')}"
        assert page.evaluate(AT_THE_PAGER, target), f"{target} not brought to the pager's edge"
        assert axe_violations(page, "#cf-after") == [], f"{target} at the pager's edge"
    rate(page, "#cf-after")
    assert page.locator("#cf-after .cg-change").first.is_visible()     # "Before: 3. Now: 3."
    assert axe_violations(page) == []
    page.close()


def test_reflows_at_320_px(sites, browser, static_server):
    base = static_server(sites["content"])
    page = browser.new_page(viewport={"width": 320, "height": 640})
    page.goto(f"{base}/stigma/index.html")
    page.wait_for_function("() => window.CommonGround && CommonGround.shell")
    for n in range(page.evaluate("() => CommonGround.shell.key.pages.length")):
        page.evaluate(f"() => CommonGround.shell.goTo({n}, true)")
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 320, f"page {n} scrolls sideways: {width}px"
    page.close()


def test_progress_survives_reload(sites, browser, static_server):
    base = static_server(sites["fixture"])
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{base}/every-element/index.html")
    page.wait_for_function("() => window.CommonGround && CommonGround.shell")
    page.evaluate("() => CommonGround.shell.goTo(1, true)")
    page.check("#q-multi-a")
    page.check("#q-multi-c")
    page.click("#q-multi button[type=submit]")
    page.wait_for_selector("#q-multi .cg-verdict")
    assert "1 attempt left." in page.text_content("#q-multi .cg-attempts")
    page.evaluate("() => CommonGround.shell.goTo(2, true)")
    page.fill("#r-one-text", "Only mine.")
    page.click("#r-one [data-cg-action=save]")
    page.reload()
    page.wait_for_function("() => window.CommonGround && CommonGround.shell")
    assert page.evaluate("() => CommonGround.shell.state().loc") == 2
    assert page.input_value("#r-one-text") == "Only mine."
    assert page.is_checked("#q-multi-a") and page.is_checked("#q-multi-c") and not page.is_checked("#q-multi-b")
    assert "Not quite." in page.text_content("#q-multi .cg-feedback")
    assert "1 attempt left." in page.text_content("#q-multi .cg-attempts")
    context.close()


def test_axe_check_can_fail(browser):
    """The accessibility check itself works: a page with known faults is reported."""
    page = browser.new_page()
    page.set_content("<html><body><img src='x.png'><button></button></body></html>")
    ids = {v["id"] for v in axe_violations(page)}
    assert {"image-alt", "button-name", "html-has-lang"} <= ids
    page.close()


@pytest.mark.parametrize("width,height", [(1366, 667), (390, 500)])
def test_the_pause_panel_keeps_its_way_back_in_view(width, height, sites, browser, static_server):
    """A module in an LMS frame can be short (Moodle's frame at 1366 x 900 is 667 px): "Back to
    the training" is in view as the panel opens, and every link the keyboard reaches in the panel
    is clear of it (WCAG 2.4.11), however far the support lines scroll."""
    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto(f"{static_server(sites['content'])}/stigma/index.html")
    page.wait_for_function("() => window.CommonGround && CommonGround.shell")
    page.click("[data-cg-action=pause]")
    place = """() => { const e = document.activeElement, r = e.getBoundingClientRect();
        const bar = document.querySelector('.cg-dialog-actions').getBoundingClientRect();
        const back = document.querySelector('.cg-dialog [data-cg-action=resume]').getBoundingClientRect();
        return {text: e.textContent.trim(), top: r.top, bottom: r.bottom, bar: bar.top,
                back: [back.top, back.bottom], height: innerHeight,
                scrolls: document.querySelector('.cg-dialog').scrollHeight > document.querySelector('.cg-dialog').clientHeight}; }"""
    opened = page.evaluate(place)
    assert opened["text"] == "Take a pause" and opened["scrolls"], opened
    assert 0 <= opened["back"][0] and opened["back"][1] <= height, opened
    reached = []
    for _ in range(20):
        page.keyboard.press("Tab")
        now = page.evaluate(place)
        if now["text"] == "Back to the training":
            break
        assert now["top"] >= 0 and now["bottom"] <= now["bar"], now
        reached.append(now["text"])
    assert len(reached) >= 5 and "Take a pause" not in reached
    page.keyboard.press("Enter")
    assert page.locator("#cg-pause").is_hidden()
    page.close()
