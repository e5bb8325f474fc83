"""The XSS corpus in every author-controlled field renders inert in the real player.

One synthetic module carries each payload in every field an author controls (front matter,
headings, prose, callouts, every part of every widget, glossary, pack metadata). The built
preview site is loaded in headless Chromium, page by page, with widgets exercised so that
feedback is inserted too: no dialog may open, no payload may run, and no dangerous markup may
survive in the DOM. (The shell's CSP would also block inline script: the DOM checks are what
prove the sanitiser, since they do not depend on the CSP.)
"""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from coursepack.diagnostics import PackError
from coursepack.load import require_pack
from coursepack.markdown_html import render
from coursepack.site import build
from xss_payloads import PAYLOADS

DANGER = """() => {
  const bad = [];
  for (const el of document.querySelectorAll('*')) {
    for (const a of el.attributes) {
      if (/^on/i.test(a.name)) bad.push(el.tagName + ' ' + a.name);
      if (a.name === 'style') bad.push(el.tagName + ' style');
      if (/^(href|src|action|formaction|xlink:href|data)$/i.test(a.name) && /^\\s*(javascript|data|vbscript):/i.test(a.value))
        bad.push(el.tagName + ' ' + a.name + '=' + a.value);
    }
    if (/^(svg|math|iframe|object|embed|style|link|meta|base|form|input|video|audio|marquee|template|noscript|details)$/i.test(el.tagName)
        && !el.closest('.cg-reflection, .cg-question, .cg-confidence, head, .cg-contents'))
      bad.push('element ' + el.tagName);
  }
  const scripts = [...document.scripts].filter(s => !(s.type === 'application/json' || /(widgets|shell|adapter-local)\\.js$/.test(s.src)));
  scripts.forEach(s => bad.push('script ' + (s.src || s.textContent.slice(0, 40))));
  return bad;
}"""


def hostile_pack(root: Path, payload: str) -> None:
    one_line = payload.replace("\n", " ")
    (root / "modules").mkdir(parents=True)
    pack = {
        "title": f"Pack {one_line}", "publisher": one_line, "language": "en-GB",
        "course": {"org": "X", "number": "X1", "run": "2026"}, "pass_mark": 50,
        "support_lines": [{"name": one_line, "contact": "0800 1", "offers": one_line, "hours": one_line}],
        "glossary": {"danger": one_line},
    }
    (root / "pack.yml").write_text(yaml.safe_dump(pack))
    front = {
        "id": "hostile", "title": one_line, "summary": one_line, "duration": 15,
        "level": "informed", "audience": [one_line], "keywords": [one_line],
        "outcomes": [one_line], "content_note": one_line, "pass_mark": 50,
        "sources": [{"key": "S1", "title": one_line, "publisher": one_line, "year": 2020,
                     "url": "https://example.org/x"}],
        "reviewed_by": one_line, "reviewed_on": "2026-01-01", "review_due": "2036-01-01",
        "version": "1.0.0", "language": "en-GB", "glossary": {"own": one_line},
    }
    q = one_line.replace('"', "'").replace("{", "(").replace("}", ")")  # option values hold no braces
    body = f"""
# {one_line} {{#sec}}

## {one_line} {{#p1}}

{payload}

A [[danger]] word and [[{one_line[:20].replace(']', '').replace('[', '').replace('|', '')}|own]].

::: key-point {{title="{q}"}}
{one_line}
:::

::: lived-experience {{by="{q}"}}
{one_line}
:::

::: content-note
{one_line}
:::

::: pause
{one_line}
:::

::: confidence {{#cf-before}}
{one_line}

- {one_line} {{#s1}}
:::

## Check {{#p2}}

::: question {{#q1 type=single}}
{one_line}

- [x] {one_line} {{#a}}
      {one_line}
- [ ] other {{#b}}
      {one_line}

Explanation: {one_line}
:::

::: reflection {{#r1}}
{one_line}
:::

::: scenario {{#sc title="{q}"}}
#### {one_line} {{#start}}
{one_line}

- [{one_line.replace('[', '(').replace(']', ')')}](#end) {{#c1}}
      {one_line}

#### End {{#end .ending}}
{one_line}
:::

::: confidence {{#cf-after after=cf-before}}
:::
"""
    text = "---\n" + yaml.safe_dump(front) + "---\n" + body
    (root / "modules" / "hostile.md").write_text(text)


@pytest.fixture(scope="module")
def page(browser):
    """One tab for the fifty payloads: each site is served from a port (an origin) of its own,
    so nothing one payload's pages store is seen by the next."""
    context = browser.new_context()
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("index", range(len(PAYLOADS)))
def test_payload_is_inert(index, tmp_path, page, static_server):
    payload = PAYLOADS[index]
    hostile_pack(tmp_path / "content", payload)
    page.goto("about:blank")
    try:
        result = require_pack(tmp_path / "content")
    except PackError as refused:
        # Lint refuses images that point outside the pack (javascript:, data:, remote):
        # the build stops, and the renderer alone must still make the text inert.
        assert {d.code for d in refused.diagnostics if d.severity == "error"} == {"image-remote"}
        page.set_content(f"<!DOCTYPE html><html><body>{render(payload)}</body></html>")
        assert not page.evaluate(DANGER) and page.evaluate("() => window.__xss") is None
        return
    build(result, tmp_path / "site")
    base = static_server(tmp_path / "site")
    dialogs, external = [], []

    def on_dialog(dialog):
        dialogs.append(dialog.message)
        dialog.dismiss()

    def on_request(request):
        if not request.url.startswith((base, "data:", "blob:")):
            external.append(request.url)
    page.on("dialog", on_dialog)
    page.on("request", on_request)
    try:
        visit(page, base, payload)
    finally:
        page.remove_listener("dialog", on_dialog)
        page.remove_listener("request", on_request)
    assert not dialogs, (payload, dialogs)
    assert not external, (payload, external)


def visit(page, base: str, payload: str) -> None:
    """Both pages of the hostile site, with the widgets used so that feedback is inserted too."""
    for url in (f"{base}/index.html", f"{base}/hostile/index.html"):
        page.goto(url)
        page.wait_for_load_state("load")
        if url.endswith("hostile/index.html"):
            page.wait_for_function("() => window.CommonGround && window.CommonGround.shell")
            for n in range(2):
                page.evaluate(f"() => window.CommonGround.shell.goTo({n}, true)")
                page.wait_for_function(f"() => CommonGround.shell.state().loc === {n}")
            page.check("#q1-a")
            page.click("#q1 button[type=submit]")
            page.click(".cg-choice")
            page.click("[data-cg-action=continue]")
            page.click("[data-cg-action=pause]")
            page.wait_for_timeout(100)
        assert page.evaluate("() => window.__xss") is None, (payload, url)
        bad = page.evaluate(DANGER)
        assert not bad, (payload, url, bad)
