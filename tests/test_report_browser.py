"""The governance report in a real browser: no axe-core violation (WCAG 2.0-2.2 A and AA), no
request to the network, and on a phone's width nothing but its tables' own scroll areas
scrolls sideways. The downloads are GENERATED in Moodle's formats (benchmarks/moodle_exports.py),
and an Open edX data file in its documented format (with the learning review and joint feedback
tables only it has)."""
from __future__ import annotations

import random

import pytest
from click.testing import CliRunner

from benchmarks import moodle_exports as mx
from coursepack import cli
from coursepack.load import require_pack

from openedx_grades import grade_report
from support import AXE_TAGS, CONTENT
from scorm_lms import TOOL_FILES

PACK = require_pack(CONTENT).pack
RUN = """async (tags) => {
  const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  return r.violations.map(v => ({id: v.id, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ': ' + n.failureSummary)}));
}"""


def openedx_file(path, learners: int = 40, seed: int = 3):
    """A course's data file as the blocks write it (xblocks/aggregates/report_data.py)."""
    rnd = random.Random(seed)
    module = PACK.modules[0]
    rows = []
    for n in range(learners):
        who, month = f"{n:016x}", f"2026-0{1 + n % 3}"
        for q in module.graded[: len(module.graded) if n % 5 else 2]:
            rows.append(["verdict", who, module.id, q.id, "", str(int(rnd.random() < 0.8)), "", "", "", "", month])
        for check in ("cf-before", "cf-after"):
            for s in ("explain", "words", "challenge"):
                rows.append(["rating", who, module.id, check, s, "", str(rnd.randint(1, 5)), "", "", "", month])
    for n in range(30):
        rows.append(["shared", "", "sharing", "jf", "", "", "", ("joint_feedback", "learning_review")[n % 2],
                     ("Mental health", "Substance use", "Both")[n % 3],
                     ("pending", "published", "returned", "withdrawn")[n % 4], f"2026-0{1 + n % 3}"])
    lines = ["# commonground-openedx-data 1; course=course-v1:CG+T+1; exported=2026-04-01; modules=" + module.id,
             "record,learner,module,element,statement,correct,rating,kind,service,status,month",
             *(",".join(r) for r in rows), f"# end of commonground-openedx-data: {len(rows)} rows"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module", params=["moodle", "openedx"])
def report_file(tmp_path_factory, request):
    root = tmp_path_factory.mktemp("report")
    if request.param == "openedx":
        data = openedx_file(root / "course.csv")
        grades = root / "grade_report.csv"       # the platform's gradebook table too
        grades.write_bytes(grade_report(PACK, {str(n): {m.id: (n % 4) / 3 or None for m in PACK.modules}
                                               for n in range(40)}))
        result = CliRunner().invoke(cli.main, ["report", str(data), str(grades), "--pack", str(CONTENT), "--out", str(root / "out"),
                                               "--since", "2026-02", "--compare", "2026-01:2026-01"])
        assert result.exit_code == 0, result.output
        html = (root / "out" / "report.html").read_text(encoding="utf-8")
        assert "Items sent, by kind" in html and "platform&#39;s gradebook" in html
        return root / "out" / "report.html"
    takings = mx.simulate(PACK, 40, ("stigma", "co-occurring", "pathway"), seed=5)
    files = mx.write_set(root / "in", PACK, takings, mx.names(40), "csv", ("stigma", "co-occurring", "pathway"))
    result = CliRunner().invoke(cli.main, ["report", *map(str, files), "--pack", str(CONTENT), "--out",
                                           str(root / "out"), "--since", "2026-01", "--until", "2026-03",
                                           "--compare", "2026-04:2026-06"])
    assert result.exit_code == 0, result.output
    return root / "out" / "report.html"


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 900}, {"width": 360, "height": 740}],
                         ids=["desktop", "phone"])
def test_report_has_no_axe_violation_and_fits_a_phone(browser, report_file, viewport):
    ctx = browser.new_context(viewport=viewport)
    requests = []
    try:
        page = ctx.new_page()
        page.on("request", lambda r: requests.append(r.url))
        page.goto(report_file.as_uri())
        assert [u for u in requests if not u.startswith("file:")] == []
        page.add_script_tag(path=str(TOOL_FILES["axe.js"]))
        assert page.evaluate(RUN, AXE_TAGS) == []
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0
        assert page.locator("svg[role=img] title").count() >= 3
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.tagName") == "A"
    finally:
        ctx.close()


def test_report_prints_on_a4(browser, report_file):
    ctx = browser.new_context()
    try:
        page = ctx.new_page()
        page.goto(report_file.as_uri())
        pdf = page.pdf(format="A4", print_background=False)
        assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page") >= 2
    finally:
        ctx.close()
