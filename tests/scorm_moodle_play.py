"""Play a package as the student in the real Moodle of ../shared/moodle (not part of CI).

    .venv/bin/python tests/scorm_moodle_play.py CMID MODULE_ID [MODULE_ID ...] [--wrong] [--stop N]
        [--shot FILE] [--exit] [--user USER] [--rate BEFORE,AFTER] [--keep before,after] [--skip after]

Logs in as student1 (or --user), opens the activity, and works through each named module's SCO the way a
person would (the same scripted learner as the CI tests: every page, every question), then
"Save and exit" (--exit) or Moodle's own "Exit activity" link. For a whole-pack activity name
several modules: each is opened from Moodle's table of contents. Confidence checks are rated
--rate (default 3,3: before, after), kept on the device where --keep names the phase, left
unrated where --skip does. Prints what the SCO was refused (CommonGround.scormAdapter.refusals)
so an empty list means Moodle took every SetValue. MOODLE_URL says which Moodle.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parent.parent))

from playwright.sync_api import sync_playwright  # noqa: E402

from coursepack.load import require_pack  # noqa: E402
from scorm_learner import READY, complete, rate, save_and_exit  # noqa: E402

BASE = os.environ.get("MOODLE_URL", "http://127.0.0.1:8600")
CONTENT = Path(__file__).parent.parent / "content"


def sco(page):
    handle = page.wait_for_selector("#scorm_object", timeout=120000)
    frame = handle.content_frame()
    frame.wait_for_function(READY, timeout=120000)
    return frame


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("cmid", type=int)
    ap.add_argument("modules", nargs="+")
    ap.add_argument("--wrong", action="store_true", help="answer every question wrongly")
    ap.add_argument("--stop", type=int, default=None, help="stop after this many pages")
    ap.add_argument("--shot", default="", help="save a screenshot of the player page here")
    ap.add_argument("--exit", action="store_true", help="leave with the module's Save and exit")
    ap.add_argument("--viewport", default="1366x900")
    ap.add_argument("--new-attempt", action="store_true",
                    help="first open the activity (this browser then holds a device copy of the attempt "
                         "Moodle has), leave, then start a new attempt in the same browser and print the "
                         "state the module starts from")
    ap.add_argument("--user", default="student1")
    ap.add_argument("--password", default="Student#12345")
    ap.add_argument("--rate", default="3,3", help="the rating given to every statement: before,after")
    ap.add_argument("--keep", default="", help="phases whose ratings stay on the device: before,after")
    ap.add_argument("--skip", default="", help="phases left unrated: before,after")
    args = ap.parse_args()
    values = dict(zip(("before", "after"), (int(v) for v in args.rate.split(","))))

    def rating(frame, check):
        phase = "after" if check.after else "before"
        if phase not in args.skip.split(","):
            rate(frame, check, values[phase], on_device=phase in args.keep.split(","))

    pack = require_pack(CONTENT).pack
    width, height = (int(v) for v in args.viewport.split("x"))
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path="/usr/lib/chromium/chromium", args=["--no-sandbox"],
                              proxy={"server": "http://127.0.0.1:9", "bypass": "127.0.0.1,localhost"})
        page = b.new_page(viewport={"width": width, "height": height})
        page.set_default_timeout(120000)
        page.set_default_navigation_timeout(120000)
        page.goto(BASE + "/login/index.php")
        page.fill("#username", args.user)
        page.fill("#password", args.password)
        page.click("#loginbtn")
        page.wait_for_load_state("networkidle")
        page.goto(f"{BASE}/mod/scorm/view.php?id={args.cmid}")
        if "player.php" not in page.url:
            page.click("#n, input[type=submit][value=Enter], button:has-text('Enter')")
        page.wait_for_url("**/mod/scorm/player.php**")
        if args.new_attempt:
            held = sco(page).evaluate("() => CommonGround.shell.state()")
            player = page.url
            page.locator("a:has-text('Exit activity')").first.click()
            page.wait_for_load_state("networkidle")
            page.goto(player + ("&" if "?" in player else "?") + "newattempt=on")
            fresh = sco(page).evaluate("() => CommonGround.shell.state()")
            print(json.dumps({"before": {"answers": len(held["q"]), "page": held["loc"]},
                              "new attempt": {"answers": len(fresh["q"]), "page": fresh["loc"],
                                              "reflections": len(fresh["r"])}}))
        for n, module_id in enumerate(args.modules):
            module = pack.module(module_id)
            if n or len(args.modules) > 1:
                link = page.locator(f"#scorm_toc a:has-text({json.dumps(module.title)})").first
                if link.count():
                    link.click()
                    page.wait_for_timeout(1500)
            frame = sco(page)
            start = frame.evaluate("() => CommonGround.shell.state().loc")
            stop = args.stop if args.stop is not None else len(module.pages)
            complete(frame, module, correct=not args.wrong, start=start, stop=max(stop, start), rating=rating)
            refusals = frame.evaluate("() => CommonGround.scormAdapter.refusals")
            summary = frame.evaluate("() => CommonGround.shell.summary()")
            print(json.dumps({"module": module_id, "summary": summary, "refusals": refusals}))
            if args.shot:
                page.screenshot(path=args.shot)
            if args.exit and n == len(args.modules) - 1:
                save_and_exit(frame)
                page.wait_for_timeout(2000)
        if not args.exit:
            page.locator("a:has-text('Exit activity')").first.click()
            page.wait_for_load_state("networkidle")
        b.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
