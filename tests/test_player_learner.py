"""What a learner meets in the player's widgets, in real headless Chromium (the preview site).

Each test is one thing a learner saw wrong before: a scenario's feedback shown twice and no path
at the end; a wrong multiple-answer attempt that did not show what was missed, no right answer
after the last attempt, "1 attempt(s) left"; an unfinished summary with nothing to click;
glossary links that lost focus; citations that went nowhere; wide tables cut off on a phone; the
contents open above the page; the home page flush left; a 404 for /favicon.ico.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from coursepack.load import require_pack
from coursepack.site import build

FIXTURE = Path(__file__).parent / "fixtures" / "pack"
WIDE_TABLE = """
| Form of stigma | What it means in everyday practice | An example a learner might meet at work |
|---|---|---|
| Public stigma | How people in general react to a group of people | Neighbours avoid a person after hearing about a diagnosis |
| Structural stigma | Rules and systems that put a group at a disadvantage | A service rule that turns people away because of a prescribed medicine |
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The fixture pack, with a three-try question that has an explanation and a wide table."""
    pack = tmp_path_factory.mktemp("pack") / "pack"
    shutil.copytree(FIXTURE, pack)
    module = pack / "modules" / "every-element.md"
    text = module.read_text()
    text = text.replace("{#q-multi type=multiple attempts=2 weight=2}", "{#q-multi type=multiple attempts=3 weight=2}")
    text = text.replace("- [ ] Three {#c}\n      Wrong.\n", "- [ ] Three {#c}\n      Wrong.\n\nExplanation: One and two are right.\n")
    text = text.replace("## Thinking {#thinking}\n", "## Thinking {#thinking}\n" + WIDE_TABLE)
    module.write_text(text)
    out = tmp_path_factory.mktemp("site")
    build(require_pack(pack), out)
    return out


@pytest.fixture(scope="module")
def base(site):
    from support import serve_directory
    url, server = serve_directory(site)
    yield url
    server.shutdown()


def open_module(browser, base, width=1024, height=900):
    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto(f"{base}/every-element/index.html")
    page.wait_for_function("() => window.CommonGround && CommonGround.shell")
    return page


def go(page, page_id: str) -> None:
    page.evaluate(f"() => CommonGround.shell.goTo(CommonGround.shell.key.pages.indexOf('{page_id}'), true)")


def test_scenario_feedback_once_path_at_the_end_one_ending_message(browser, base):
    page = open_module(browser, base)
    go(page, "thinking")
    scenario = page.locator("#s-one")
    page.click("[data-cg-choice=c-wait]")
    page.wait_for_timeout(100)
    assert scenario.inner_text().count("Not ideal.") == 1
    described = page.get_attribute("#s-one [data-cg-action=continue]", "aria-describedby")
    assert page.text_content(f"#{described}").strip() == "Not ideal."
    assert page.evaluate("() => document.activeElement.getAttribute('data-cg-action')") == "continue"
    page.click("#s-one [data-cg-action=continue]")
    page.click("[data-cg-choice=c-help-now]")
    page.click("#s-one [data-cg-action=continue]")
    page.wait_for_timeout(100)
    text = scenario.inner_text()
    assert text.count("This is one ending of the scenario.") == 1 and "End of the scenario." not in text
    path = page.locator("[data-cg-step=good] .cg-path li").all_inner_texts()
    assert path == ["Start: Wait", "Later: Help now"]
    # The path is rebuilt from saved state after a reload.
    page.reload()
    page.wait_for_function("() => window.CommonGround && CommonGround.shell")
    assert page.locator("[data-cg-step=good] .cg-path li").all_inner_texts() == path
    page.close()


def test_missed_options_then_the_right_answer_after_the_last_attempt(browser, base):
    page = open_module(browser, base)
    go(page, "questions")

    def attempt(*options):
        for o in ("a", "b", "c"):
            page.set_checked(f"#q-multi-{o}", o in options)
        page.click("#q-multi button[type=submit]")
        page.wait_for_selector("#q-multi .cg-verdict")
        return page.text_content("#q-multi .cg-attempts")

    assert attempt("a", "c") == "2 attempts left."
    missed = page.locator("#q-multi .cg-missed")
    assert missed.count() == 1 and missed.get_attribute("data-cg-option") == "b"
    assert "it is right" in missed.locator(".cg-option-note").inner_text()
    assert page.locator("#q-multi [data-cg-option=c]").get_attribute("class").split().count("cg-wrong") == 1
    assert page.locator("#q-multi .cg-answer").count() == 0
    assert attempt("c") == "1 attempt left."
    assert attempt("b") == "No attempts left."
    assert page.text_content("#q-multi .cg-answer") == "The right answer: One; Two"
    assert "One and two are right." in page.text_content("#q-multi .cg-explanation")
    assert page.is_disabled("#q-multi button[type=submit]")
    page.close()


def test_unfinished_summary_lists_what_is_left_with_links(browser, base):
    page = open_module(browser, base)
    go(page, "end")
    left = page.locator("#cg-summary .cg-left a")
    texts = left.all_inner_texts()
    assert "Read the page “Questions”" in texts and "Read the page “Thinking”" in texts
    answers = [t for t in texts if t.startswith("Answer")]
    assert answers == ["Answer “Pick one.” on “Questions”", "Answer “Pick two.” on “Questions”",
                       "Answer “The sky is green.” on “Questions”"]
    page.locator("#cg-summary .cg-left a", has_text="Pick one.").click()
    assert page.evaluate("() => CommonGround.shell.key.pages[CommonGround.shell.state().loc]") == "questions"
    assert page.evaluate("() => document.activeElement.id") == "q-single-a"
    go(page, "end")
    assert "Read the page “Questions”" not in page.locator("#cg-summary .cg-left a").all_inner_texts()
    page.close()


def test_glossary_term_opens_in_place_and_keeps_focus(browser, base):
    page = open_module(browser, base)
    term = page.locator("#page-welcome button.cg-term", has_text="co-occurrence")
    assert term.get_attribute("aria-expanded") == "false"
    term.focus()
    page.keyboard.press("Enter")
    definition = page.locator("#" + term.get_attribute("aria-controls"))
    assert term.get_attribute("aria-expanded") == "true" and definition.is_visible()
    assert definition.inner_text().startswith("co-occurrence: ")
    assert page.evaluate("() => document.activeElement.classList.contains('cg-term')")
    page.keyboard.press("Escape")
    assert not definition.is_visible() and term.get_attribute("aria-expanded") == "false"
    assert page.evaluate("() => document.activeElement.classList.contains('cg-term')")
    page.close()


def test_citation_links_to_the_source_and_back(browser, base):
    page = open_module(browser, base)
    cite = page.locator("#page-welcome .cg-cite a")
    assert cite.get_attribute("href") == "#cg-source-S1"
    cite.click()
    assert page.evaluate("() => CommonGround.shell.key.pages[CommonGround.shell.state().loc]") == "end"
    assert page.evaluate("() => document.activeElement.id") == "cg-source-S1"
    page.click(".cg-cite-back")
    assert page.evaluate("() => CommonGround.shell.key.pages[CommonGround.shell.state().loc]") == "welcome"
    assert page.evaluate("() => document.activeElement.closest('.cg-cite') !== null")
    page.close()


def test_wide_table_shows_a_scroll_cue_at_360_px_and_contents_start_closed(browser, base):
    page = open_module(browser, base, width=360, height=740)
    assert page.evaluate("() => document.querySelector('.cg-contents-toggle').open") is False
    go(page, "thinking")
    wrap = page.locator("#page-thinking .cg-table-wrap")
    assert page.locator("#page-thinking .cg-table-cue").is_visible()
    assert wrap.get_attribute("tabindex") == "0" and wrap.get_attribute("role") == "region"
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 360
    page.close()
    wide = open_module(browser, base, width=1280)
    assert wide.evaluate("() => document.querySelector('.cg-contents-toggle').open") is True
    go(wide, "thinking")
    assert not wide.locator("#page-thinking .cg-table-cue").is_visible()
    wide.close()


def test_home_page_has_spacing_and_no_request_fails(browser, base):
    page = browser.new_page(viewport={"width": 1024, "height": 800})
    failed = []
    page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
    page.on("console", lambda m: failed.append(m.text) if m.type == "error" else None)
    page.goto(f"{base}/index.html")
    left = page.evaluate("() => document.querySelector('.cg-home h2').getBoundingClientRect().left")
    assert left >= 16
    icon = page.get_attribute("link[rel=icon]", "href")
    assert page.request.get(f"{base}/{icon}").status == 200
    page.goto(f"{base}/every-element/index.html")
    page.wait_for_function("() => window.CommonGround && CommonGround.shell")
    assert page.request.get(f"{base}/every-element/" + page.get_attribute("link[rel=icon]", "href")).status == 200
    page.wait_for_timeout(300)
    assert failed == []
    page.close()
