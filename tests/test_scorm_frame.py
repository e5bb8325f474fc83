"""The module fits an LMS frame: in Moodle's "current window" player the package's frame is
666 px tall at 1366x900, and a phone is 390 px wide. On every page, at the top and scrolled to
the foot, "Next page", "Previous page" and "Take a pause" are inside the frame's view, and
nothing but the page itself scrolls (no second scrollbar inside the frame)."""
from __future__ import annotations

import pytest

from coursepack.load import require_pack

from support import CONTENT
from scorm_fixtures import scorm_lms, scorm_pack  # noqa: F401,F811 (fixtures)
from scorm_learner import sco_frame
from scorm_lms import learner_data

PACK = require_pack(CONTENT)
LONGEST = max(PACK.pack.modules, key=lambda m: len(m.pages))

IN_VIEW = """() => {
  const h = window.innerHeight, w = window.innerWidth, out = [];
  for (const sel of ["[data-cg-action=next]", "[data-cg-action=prev]", ".cg-pager [data-cg-action=pause]"]) {
    const r = document.querySelector(sel).getBoundingClientRect();
    if (!(r.top >= 0 && r.bottom <= h && r.left >= 0 && r.right <= w && r.height > 0)) {
      out.push(sel + " at " + Math.round(r.top) + ".." + Math.round(r.bottom) + " of " + h);
    }
  }
  for (const el of document.querySelectorAll("body *")) {
    const s = getComputedStyle(el);
    if (el.closest("[hidden]") || el.closest("table")) { continue; }
    if (/(auto|scroll)/.test(s.overflowY) && el.scrollHeight > el.clientHeight + 1) {
      out.push("a scrollbar inside the page: " + el.tagName + "." + el.className);
    }
  }
  if (document.documentElement.scrollWidth > w + 1) { out.push("the page scrolls sideways"); }
  return out;
}"""


@pytest.mark.parametrize("viewport,frame", [((1366, 900), (1366, 666)), ((390, 844), (390, 666))])
def test_pager_and_pause_stay_in_view_inside_a_666_px_frame(browser, scorm_lms, viewport, frame):
    key = "1.2"
    sid = scorm_lms.new_session(key, scorm_lms.package_for(key, LONGEST.id), f"{LONGEST.id}/index.html",
                                learner_data(key), frame=frame)
    ctx = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
    try:
        page = ctx.new_page()
        page.goto(scorm_lms.launch_url(sid))
        sco = sco_frame(page)
        assert sco.evaluate("() => [innerWidth, innerHeight]") == list(frame)
        problems = []
        for n in range(len(LONGEST.pages)):
            sco.evaluate(f"() => CommonGround.shell.goTo({n}, true)")
            for where in ("top", "foot"):
                if where == "foot":
                    sco.evaluate("() => window.scrollTo(0, document.documentElement.scrollHeight)")
                problems += [f"page {n + 1} at the {where}: {p}" for p in sco.evaluate(IN_VIEW)]
        assert not problems, problems
        sco.locator(".cg-pager [data-cg-action=pause]").click()
        assert sco.locator("#cg-pause").is_visible()
    finally:
        ctx.close()
