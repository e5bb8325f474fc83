"""axe-core (WCAG 2.0, 2.1 and 2.2, A and AA rules, none disabled) on every page of every SCORM
package, inside the test LMS's frame as a learner sees it: each page after its questions are
answered (feedback showing), the reflection opt-in, the pause dialog and the start-over prompt.

Every module is checked in SCORM 2004, and in SCORM 1.2 the module with the most kinds of
element (``support.version_cases``): the two versions' pages are the same markup, so a second
full pass would check the same HTML again. The walk answers, plays and rates every widget of
every page, so every call the SCO made in it is held to SCORM's and Moodle's rules too
(test_scorm_runtime.check_session): the walk is how every module's scenarios and ratings reach
the 2004 API (support.version_cases says what covers what)."""
from __future__ import annotations

import json

import pytest

from coursepack.load import require_pack

from support import AXE_TAGS, CONTENT, version_cases
from scorm_fixtures import scorm_lms, scorm_pack  # noqa: F401,F811 (fixtures)
from scorm_learner import sco_frame, work_page
from scorm_lms import TOOL_FILES, learner_data
from test_scorm_runtime import check_session

PACK = require_pack(CONTENT)
RUN = """async (tags) => {
  const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  return r.violations.map(v => ({id: v.id, impact: v.impact,
    nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ': ' + n.failureSummary)}));
}"""


def violations(frame, where: str) -> list:
    found = frame.evaluate(RUN, AXE_TAGS)
    return [dict(v, where=where) for v in found]


@pytest.mark.parametrize("key,module_id", version_cases(PACK.pack.modules, full="2004"))
def test_no_axe_violation_on_any_page_or_state(browser, scorm_lms, key, module_id):
    mod = PACK.pack.module(module_id)
    sid = scorm_lms.new_session(key, scorm_lms.package_for(key, module_id), f"{module_id}/index.html",
                                learner_data(key))
    ctx = browser.new_context(bypass_csp=True)        # only to inject axe into the SCO's frame
    try:
        page = ctx.new_page()
        page.goto(scorm_lms.launch_url(sid))
        frame = sco_frame(page)
        frame.add_script_tag(path=str(TOOL_FILES["axe.js"]))
        found = []
        for i, p in enumerate(mod.pages):
            if i:
                frame.locator("[data-cg-action=next]").click()
                frame.wait_for_function(f"() => CommonGround.shell.state().loc === {i}")
            work_page(frame, p, correct=i % 2 == 0)
            found += violations(frame, f"page {i + 1} ({p.id})")
        frame.locator(".cg-toolbar [data-cg-action=pause]").click()
        found += violations(frame, "pause dialog")
        frame.locator("[data-cg-action=resume]").click()
        frame.locator("[data-cg-action=restart-module]").click()
        found += violations(frame, "start-over prompt")
        frame.locator("[data-cg-action=restart-cancel]").click()
        frame.locator("[data-cg-action=exit]").click()
        frame.locator("#cg-closed").wait_for()
        found += violations(frame, "after Save and exit")
        assert not found, json.dumps(found, indent=1)
        check_session(key, page, scorm_lms, sid)
    finally:
        ctx.close()
