"""Check a restored Common Ground course in the real Moodle of ../shared/moodle (not part of CI).

    .venv/bin/python tests/moodle_course_play.py view USER COURSEID [--shot FILE]
    .venv/bin/python tests/moodle_course_play.py play USER CMID [--wrong] [--shot FILE]
    .venv/bin/python tests/moodle_course_play.py layout USER CMID [--shot PREFIX]
    .venv/bin/python tests/moodle_course_play.py certificate USER CMID [--shot FILE]
    .venv/bin/python tests/moodle_course_play.py records COURSEID USER [USER ...]

``view`` prints the course page as USER sees it: each activity shown, and whether it is open,
locked (with Moodle's "Not available unless" text) or done. ``play`` opens a module the way a
learner does (the activity's page, "Enter", Moodle's new window), works through every page and
question (the CI tests' scripted learner), then "Save and exit" and "Close this window"; it
prints the attempt Moodle opened (a learner coming back after passing must get a new one, not
"Review mode") and what Moodle refused. ``layout`` measures the player at 1366x900 and 390x844:
scroll areas, where the page buttons are, and the "Take a pause" panel. ``certificate`` opens
a certificate and asks for it (with --shot, the PDF is saved beside the screenshot). ``records`` prints, per user and module, what Moodle stored
(answers with response and result, status, score, grade, completion) and course completion.

MOODLE_URL (default http://127.0.0.1:8600) and MOODLE_WORK (as for setup.sh) say which Moodle.
Passwords are setup.sh's and the guide's CSV's: Student#12345.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parent.parent))

from playwright.sync_api import sync_playwright  # noqa: E402

from coursepack.load import require_pack  # noqa: E402
from scorm_learner import READY, complete, save_and_exit  # noqa: E402

BASE = os.environ.get("MOODLE_URL", "http://127.0.0.1:8600")
WORK = Path(os.environ.get("MOODLE_WORK", Path(os.environ.get("TMPDIR", "/tmp")) / "moodle"))
CONTENT = Path(__file__).parent.parent / "content"
PASSWORD = "Student#12345"
SIZES = ((1366, 900), (390, 844))


def sql(query: str) -> list[list[str]]:
    env = dict(l.split("=", 1) for l in (WORK / "moodle.env").read_text().split())
    out = subprocess.run(["psql", "-X", "-tA", "-F", "\t", "-h", "127.0.0.1", "-p", env["PGPORT"], "-U", "moodleuser",
                          "-d", env["DB"], "-c", query], capture_output=True, text=True, check=True,
                         env={**os.environ, "PGPASSWORD": "moodlepass"})
    return [line.split("\t") for line in out.stdout.splitlines() if line]


def browser(p, width=1366, height=900):
    # Chromium's own pop-up blocker stays on (Playwright turns it off): a window Moodle opens
    # by itself is blocked here as in a learner's browser.
    b = p.chromium.launch(executable_path="/usr/lib/chromium/chromium", args=["--no-sandbox"],
                          ignore_default_args=["--disable-popup-blocking"],
                          proxy={"server": "http://127.0.0.1:9", "bypass": "127.0.0.1,localhost"})
    context = b.new_context(viewport={"width": width, "height": height})
    context.set_default_timeout(120000)
    context.set_default_navigation_timeout(120000)
    return b, context


def login(context, user: str):
    page = context.new_page()
    page.goto(BASE + "/login/index.php")
    page.fill("#username", user)
    page.fill("#password", PASSWORD)
    page.click("#loginbtn")
    page.wait_for_load_state("networkidle")
    return page


COURSE_PAGE = """() => [...document.querySelectorAll('li.activity')].map(li => ({
    cmid: +li.dataset.id, name: (li.querySelector('.instancename, .activityname') || li).innerText.split('\\n')[0].trim(),
    locked: !!li.querySelector('.availabilityinfo'),
    restriction: (li.querySelector('.availabilityinfo') || {innerText: ''}).innerText.replace(/\\s+/g, ' ').trim(),
    done: !!li.querySelector('[data-region="completion-info"] .badge.bg-success, .completion-info .badge.bg-success, .completion-dialog .badge-success')
        || /\\bDone\\b/.test((li.querySelector('[data-region="completion-info"], .activity-completion') || {innerText: ''}).innerText)
}))"""


def view(context, user: str, course: int, shot: str = "") -> list[dict]:
    page = login(context, user)
    page.goto(f"{BASE}/course/view.php?id={course}")
    page.wait_for_load_state("networkidle")
    tour = page.locator("[data-role=end]")          # Moodle's first-visit user tour
    if tour.count() and tour.first.is_visible():
        tour.first.click()
    sections = page.evaluate("() => [...document.querySelectorAll('li.section, [data-for=section]')]"
                             ".map(s => (s.querySelector('.sectionname, h3') || {innerText: ''}).innerText.trim())"
                             ".filter(Boolean)")
    found = page.evaluate(COURSE_PAGE)
    if shot:
        page.screenshot(path=shot, full_page=True)
    return [{"sections": sections}] + found


def open_player(context, page, cmid: int):
    """The activity's page, then "Enter": Moodle opens the player in a new window (display "New
    window"), or in this one ("Current window"; straight away when the activity skips its page)."""
    popup = sql(f"select s.popup from mdl_scorm s join mdl_course_modules cm on cm.instance = s.id where cm.id = {cmid}")[0][0]
    page.goto(f"{BASE}/mod/scorm/view.php?id={cmid}")
    page.wait_for_load_state("networkidle")
    if popup == "1":
        with context.expect_page() as opened:
            page.locator("#scormviewform button[name=mode][value=normal]").click()
        player = opened.value
    else:
        if "player.php" not in page.url:
            page.locator("#scormviewform button[name=mode][value=normal]").click()
        page.wait_for_url("**/mod/scorm/player.php**")
        player = page
    player.wait_for_load_state()
    frame = player.wait_for_selector("#scorm_object").content_frame()
    frame.wait_for_function(READY)
    return player, frame


def play(context, user: str, cmid: int, wrong: bool = False, shot: str = "") -> dict:
    module_id = sql(f"select idnumber from mdl_course_modules where id = {cmid}")[0][0].removeprefix("cg-")
    module = require_pack(CONTENT).pack.module(module_id)
    page = login(context, user)
    attempts_before = sql(f"""select count(*) from mdl_scorm_attempt a join mdl_course_modules cm on cm.instance = a.scormid
                              join mdl_user u on u.id = a.userid where cm.id = {cmid} and u.username = '{user}'""")[0][0]
    player, frame = open_player(context, page, cmid)
    opened = {"url": player.url.split("/mod/scorm/")[-1], "review mode": player.locator("#scormmode").count() > 0,
              "starts on page": frame.evaluate("() => CommonGround.shell.state().loc"),
              "answers held": len(frame.evaluate("() => CommonGround.shell.state().q"))}
    complete(frame, module, correct=not wrong)
    summary = frame.evaluate("() => CommonGround.shell.summary()")
    refusals = frame.evaluate("() => CommonGround.scormAdapter.refusals")
    if shot:
        player.screenshot(path=shot)
    save_and_exit(frame)
    with player.expect_event("close"):
        frame.locator("#cg-closed button").click()
    page.wait_for_url(f"**/course/view.php**")
    return {"module": module_id, "attempts before": int(attempts_before), "opened": opened, "summary": summary,
            "refusals": refusals, "back on": page.url.split(BASE)[-1]}


PLAYER_BOX = """() => { const f = document.getElementById('scorm_object'); const r = f.getBoundingClientRect();
    return {window: [innerWidth, innerHeight], page_height: document.documentElement.scrollHeight,
            frame: [Math.round(r.top), Math.round(r.bottom)]}; }"""
SCO_BOX = """() => { const d = document.documentElement, box = s => { const e = document.querySelector(s);
        if (!e) return null; const r = e.getBoundingClientRect(); return [Math.round(r.top), Math.round(r.bottom)]; };
    return {module_height: [d.scrollHeight, d.clientHeight], pager: box('.cg-pager'),
            pause_panel: box('.cg-dialog:not([hidden])'), back: box('.cg-dialog:not([hidden]) [data-cg-action=resume]')}; }"""


def layout(p, user: str, cmid: int, shot: str = "") -> list[dict]:
    """Where things are at launch, in the player window's own coordinates (the SCO's are offset by
    the frame's top): one scroll area means the Moodle page does not scroll (page height = window)."""
    found = []
    for width, height in SIZES:
        b, context = browser(p, width, height)
        try:
            page = login(context, user)
            if shot and width == SIZES[0][0]:       # the activity's page, with "Enter"
                page.goto(f"{BASE}/mod/scorm/view.php?id={cmid}")
                page.wait_for_load_state("networkidle")
                page.locator("#region-main").screenshot(path=f"{shot}-entry.png")
            player, frame = open_player(context, page, cmid)
            player.wait_for_timeout(1000)
            outer = player.evaluate(PLAYER_BOX)
            inner = frame.evaluate(SCO_BOX)
            top = outer["frame"][0]
            row = {**outer, "page_scrolls": outer["page_height"] > height,
                   "module_scrolls": inner["module_height"][0] > inner["module_height"][1],
                   "pager": [v + top for v in inner["pager"]]}
            row["pager_in_view_at_launch"] = row["pager"][1] <= min(height, outer["frame"][1])
            if shot:
                player.screenshot(path=f"{shot}-{width}.png")
            # the toolbar's "Take a pause" (the pager's is below the window in "Current window")
            frame.locator(".cg-toolbar [data-cg-action=pause]").click()
            frame.wait_for_selector(".cg-dialog:not([hidden])")
            inner = frame.evaluate(SCO_BOX)
            row["pause_panel"] = [v + top for v in inner["pause_panel"]]
            row["pause_panel_fits"] = row["pause_panel"][1] <= outer["frame"][1]
            # "Back to the training" ends the panel's content: in view only if the panel need not scroll
            row["back_button_in_view"] = inner["back"][1] <= min(inner["pause_panel"][1], outer["frame"][1] - top)
            # ... and inside the browser window, where the Moodle page around the frame scrolls too
            row["back_button"] = [v + top for v in inner["back"]]
            row["back_button_in_window"] = row["back_button"][1] <= height
            if shot:
                player.screenshot(path=f"{shot}-{width}-pause.png")
            found.append(row)
        finally:
            b.close()
    return found


def certificate(context, user: str, cmid: int, shot: str = "") -> dict:
    page = login(context, user)
    page.goto(f"{BASE}/mod/customcert/view.php?id={cmid}")
    page.wait_for_load_state("networkidle")
    if "customcert/view.php" not in page.url:
        return {"opened": False, "sent to": page.url.split(BASE)[-1]}
    if shot:
        page.screenshot(path=shot)
    button = page.locator("a:has-text('View certificate'), button:has-text('View certificate')").first
    with page.expect_response(lambda r: "customcert/view.php" in r.url and "downloadown" in r.url) as got:
        button.click()
    response = got.value
    if shot:         # fetched again with the learner's session: the navigation's body is the PDF viewer
        Path(shot).with_suffix(".pdf").write_bytes(context.request.get(response.url).body())
    issued = sql(f"""select i.code from mdl_customcert_issues i join mdl_customcert c on c.id = i.customcertid
                     join mdl_course_modules cm on cm.instance = c.id and cm.id = {cmid}
                     join mdl_user u on u.id = i.userid where u.username = '{user}'""")
    return {"opened": True, "pdf": response.headers.get("content-type", ""), "issued codes": [r[0] for r in issued]}


def records(course: int, users: list[str]) -> list[dict]:
    rows = []
    for user in users:
        for cmid, name, scormid in sql(f"""select cm.id, s.name, s.id from mdl_course_modules cm
                                          join mdl_modules m on m.id = cm.module and m.name = 'scorm'
                                          join mdl_scorm s on s.id = cm.instance where cm.course = {course} order by cm.id"""):
            values = sql(f"""select a.attempt, e.element, v.value from mdl_scorm_attempt a
                             join mdl_scorm_scoes_value v on v.attemptid = a.id join mdl_scorm_element e on e.id = v.elementid
                             join mdl_user u on u.id = a.userid where a.scormid = {scormid} and u.username = '{user}'""")
            if not values:
                continue
            # one answer record per interaction and attempt: Moodle stores cmi.interactions.N.x as cmi.interactions_N.x
            answers = {(a, e.split(".")[1]) for a, e, _ in values if e.startswith("cmi.interactions_") and e.endswith(".id")}
            with_response = {(a, e.split(".")[1]) for a, e, v in values if e.endswith(".student_response") and v}
            with_result = {(a, e.split(".")[1]) for a, e, v in values if e.endswith(".result") and v}
            grade = sql(f"""select g.finalgrade from mdl_grade_items gi join mdl_grade_grades g on g.itemid = gi.id
                            join mdl_user u on u.id = g.userid where gi.itemmodule = 'scorm' and gi.iteminstance = {scormid}
                            and u.username = '{user}'""")
            state = sql(f"""select c.completionstate from mdl_course_modules_completion c join mdl_user u on u.id = c.userid
                            where c.coursemoduleid = {cmid} and u.username = '{user}'""")
            rows.append({"user": user, "cmid": int(cmid), "module": name,
                         "attempts": sorted({int(a) for a, _, _ in values}),
                         "answers/response/result": [len(answers), len(with_response), len(with_result)],
                         "status": sorted({v for _, e, v in values if e == "cmi.core.lesson_status"}),
                         "score": sorted({v for _, e, v in values if e == "cmi.core.score.raw"}),
                         "grade": grade[0][0] if grade else None, "completion": int(state[0][0]) if state else None})
        done = sql(f"""select cc.timecompleted from mdl_course_completions cc join mdl_user u on u.id = cc.userid
                       where cc.course = {course} and u.username = '{user}'""")
        rows.append({"user": user, "course complete": bool(done and done[0][0])})
    return rows


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("command", choices=["view", "play", "layout", "certificate", "records"])
    ap.add_argument("args", nargs="+")
    ap.add_argument("--wrong", action="store_true", help="answer every question wrongly")
    ap.add_argument("--shot", default="", help="screenshot file (layout: a prefix)")
    a = ap.parse_args()
    if a.command == "records":
        print(json.dumps(records(int(a.args[0]), a.args[1:]), indent=1))
        return 0
    user, number = a.args[0], int(a.args[1])
    with sync_playwright() as p:
        if a.command == "layout":
            result = layout(p, user, number, a.shot)
        else:
            b, context = browser(p)
            try:
                if a.command == "view":
                    result = view(context, user, number, a.shot)
                elif a.command == "play":
                    result = play(context, user, number, a.wrong, a.shot)
                else:
                    result = certificate(context, user, number, a.shot)
            finally:
                b.close()
    print(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
