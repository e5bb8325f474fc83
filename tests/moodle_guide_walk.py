"""Walk the coordinator guide's Moodle steps as the site administrator, in the real Moodle of
../shared/moodle, with a screenshot of each screen the guide shows (not part of CI).

    .venv/bin/python tests/moodle_guide_walk.py restore FILE.mbz [--shots DIR]
    .venv/bin/python tests/moodle_guide_walk.py settings CMID [--shots DIR]
    .venv/bin/python tests/moodle_guide_walk.py upload-users FILE.csv [--shots DIR]
    .venv/bin/python tests/moodle_guide_walk.py cohort-sync COURSEID COHORT_IDNUMBER GROUP [--shots DIR]
    .venv/bin/python tests/moodle_guide_walk.py self-enrol COURSEID GROUP KEY [--shots DIR]
    .venv/bin/python tests/moodle_guide_walk.py join COURSEID KEY USER [--shots DIR]

``restore``: Site administration > Courses > Restore course, upload the backup, and take every
stage with what it offers (Restore as a new course, in the first category); Moodle 5.0 restores
in the background, so the site's cron must run. Prints the new course's id. ``settings``: the
Appearance and Attempts management of an activity's settings. ``upload-users``: Site administration > Users > Accounts > Upload users with the
guide's CSV (course1, group1, cohort1). ``cohort-sync``: the course's Enrolment methods > Add
method > Cohort sync, with "Add to group". ``self-enrol``: turn on Self enrolment with a key and
group enrolment keys, and give GROUP the key KEY. ``join``: as USER, enrol with KEY.

MOODLE_URL (default http://127.0.0.1:8600) says which Moodle; admin / Admin#12345 as setup.sh.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

BASE = os.environ.get("MOODLE_URL", "http://127.0.0.1:8600")
ADMIN = ("admin", "Admin#12345")


class Walk:
    def __init__(self, page, shots: Path | None):
        self.page, self.shots, self.busy = page, shots, 0
        page.on("request", lambda r: self._count(r, 1))
        page.on("requestfinished", lambda r: self._count(r, -1))
        page.on("requestfailed", lambda r: self._count(r, -1))

    def _count(self, request, step):
        if "repository_ajax.php" in request.url or "service.php" in request.url:
            self.busy += step

    def settle(self, quiet=0.7, timeout=30):
        """Until no file-picker or web-service request has been in flight for ``quiet`` seconds."""
        start = last = time.time()
        while time.time() - start < timeout:
            if self.busy > 0:
                last = time.time()
            elif time.time() - last > quiet:
                return
            self.page.wait_for_timeout(100)

    def shot(self, name: str, selector: str = "#region-main, [role=main]"):
        """A screenshot of the main region only (small files for the guide)."""
        if self.shots:
            # Moodle's fixed top bar would cover the top of a region scrolled into view
            self.page.add_style_tag(content="nav.navbar.fixed-top, #page-header .sticky-top {display: none !important}")
            self.page.locator(selector).first.screenshot(path=str(self.shots / f"{name}.png"))

    def login(self, user: str, password: str):
        self.page.goto(BASE + "/login/index.php")
        self.page.fill("#username", user)
        self.page.fill("#password", password)
        self.page.click("#loginbtn")
        try:
            self.page.wait_for_url(lambda url: "login/index.php" not in url)
        except Exception:
            sys.exit(f"login as {user} failed")
        self.page.wait_for_load_state("networkidle")
        tour = self.page.locator("[data-role=end], button:has-text('Got it')")
        if tour.count() and tour.first.is_visible():
            tour.first.click()

    def click(self, text: str):
        self.page.locator(f"input[type=submit][value='{text}'], button:has-text('{text}')").first.click()
        self.page.wait_for_load_state("networkidle")

    def choose_file(self, path: Path):
        """A form's file picker: "Choose a file...", "Upload a file", the file, "Upload this file"."""
        p = self.page
        p.locator(".fp-btn-choose, .filemanager .fp-btn-add").first.click()
        picker = p.locator(".file-picker:has(.fp-repo):visible").last
        picker.wait_for()
        self.settle()
        repo = picker.locator(".fp-repo:has-text('Upload a file')")
        if "active" not in (repo.get_attribute("class") or "").split():
            repo.click()
            self.settle()
        field = picker.locator(".fp-file input[type=file]")
        field.set_input_files(str(path))
        self.settle()
        picker.locator(".fp-upload-btn").click()
        p.wait_for_function(f"() => [...document.querySelectorAll('.filepicker-filename, .fp-filename')]"
                            f".some(e => e.innerText.includes({path.name!r}))", timeout=120000)
        self.settle()


def restore(w: Walk, file: Path) -> str:
    p = w.page
    p.goto(BASE + "/backup/restorefile.php?contextid=1")
    w.choose_file(file)
    w.shot("moodle-restore-upload", "form.mform:has(input[name=backupfile])")
    w.click("Restore")
    p.wait_for_url("**/backup/restore.php**")
    w.shot("moodle-restore-confirm")
    w.click("Continue")                                           # confirm: the backup's details
    new = p.locator(".bcs-new-course")
    new.locator("input[name=target]").check()
    new.locator("input[name=targetid]").first.check()             # the first category listed
    w.shot("moodle-restore-destination", ".bcs-new-course")
    new.locator("input[type=submit][value=Continue]").click()
    p.wait_for_load_state("networkidle")
    w.shot("moodle-restore-settings")
    w.click("Next")                                               # settings: as offered
    w.shot("moodle-restore-schema")
    w.click("Next")                                               # schema: as offered
    w.click("Perform restore")
    # Moodle 5.0 restores in the background by default (its cron runs the restore): the page
    # says so, then says when it has finished. Without background restores it finishes here.
    w.shot("moodle-restore-pending")
    p.wait_for_selector("text=/The restore process has completed|The course was restored successfully/",
                        timeout=900000)
    w.shot("moodle-restore-done")
    p.locator("a:has-text('Continue'), button:has-text('Continue'), input[value=Continue]").first.click()
    p.wait_for_url("**/course/view.php**")
    return p.url.split("id=")[-1].split("&")[0]


def settings(w: Walk, cmid: str):
    """A restored activity's settings: what the backup set, in the form the guide describes."""
    p = w.page
    p.goto(f"{BASE}/course/modedit.php?update={cmid}")
    p.wait_for_load_state("networkidle")
    expand = p.locator("a.collapseexpand, [data-toggle=collapseall]").first
    if expand.count() and "expand" in expand.inner_text().lower():
        expand.click()
    for more in p.locator("a.moreless-toggler:visible, button.moreless-toggler:visible").all():
        if "more" in more.inner_text().lower():
            more.click()
    p.wait_for_timeout(500)
    for legend, name in (("Appearance", "moodle-module-appearance"), ("Attempts management", "moodle-module-attempts")):
        w.shot(name, f"fieldset:has(legend:has-text('{legend}')), fieldset:has(h3:has-text('{legend}'))")


def upload_users(w: Walk, csv: Path):
    p = w.page
    p.goto(BASE + "/admin/tool/uploaduser/index.php")
    w.choose_file(csv)
    w.click("Upload users")
    w.shot("moodle-upload-users-preview")
    p.select_option("select[name=uutype]", label="Add new only, skip existing users")
    w.click("Upload users")
    p.wait_for_selector("text=Users created")
    w.shot("moodle-upload-users-done")


def cohort_sync(w: Walk, course: str, cohort: str, group: str):
    p = w.page
    p.goto(f"{BASE}/enrol/editinstance.php?type=cohort&courseid={course}")
    p.wait_for_load_state("networkidle")
    field = p.locator("[data-fieldtype=autocomplete] input[type=text], input[placeholder='Search']").first
    field.fill(cohort)
    p.locator(f"[role=option]:has-text('{cohort}')").first.click()
    p.select_option("select[name=customint2]", label=group)
    w.shot("moodle-cohort-sync")
    w.click("Add method")
    p.wait_for_url("**/enrol/instances.php**")


def fill_secret(page, name: str, value: str):
    """A Moodle password field (shown as "Click to enter text" until its pencil is clicked)."""
    field = page.locator(f"input[name={name}]")
    if not field.is_visible():
        page.locator(f"[data-passwordunmask=edit][data-passwordunmaskid=id_{name}], "
                     f"[data-passwordunmaskid=id_{name}] [data-passwordunmask=edit]").first.click()
    field.fill(value)


def self_enrol(w: Walk, course: str, group: str, key: str):
    p = w.page
    p.goto(f"{BASE}/enrol/instances.php?id={course}")
    p.locator("a[href*='editinstance.php'][href*='type=self']").first.click()
    p.wait_for_load_state("networkidle")
    p.select_option("select[name=status]", "0")                   # Allow existing enrolments: Yes
    p.select_option("select[name=customint6]", "1")               # Allow new self enrolments: Yes
    fill_secret(p, "password", key + "-course")                   # group keys need a course key too
    p.select_option("select[name=customint1]", "1")               # Use group enrolment keys: Yes
    w.shot("moodle-self-enrol")
    w.click("Save changes")
    p.goto(f"{BASE}/group/index.php?id={course}")
    option = p.locator("select#groups option").filter(has_text=group).first
    p.goto(f"{BASE}/group/group.php?courseid={course}&id={option.get_attribute('value')}")
    fill_secret(p, "enrolmentkey", key)
    w.shot("moodle-group-key")
    w.click("Save changes")


def join(w: Walk, course: str, key: str):
    """The course's link, as staff are sent it: Moodle shows "Enrolment options", where "Enrol me"
    opens a window asking for the key. (Opened at enrol/index.php directly, Moodle 5.0.6+ enrols
    the learner and then sends them to ".../enrol/[object Object]", an error page.)"""
    p = w.page
    p.goto(f"{BASE}/course/view.php?id={course}")
    p.wait_for_url("**/enrol/index.php**")
    p.wait_for_load_state("networkidle")
    p.locator("button:has-text('Enrol me'), input[value='Enrol me']").first.click()
    field = p.locator("input[name=enrolpassword]")
    field.fill(key)
    w.shot("moodle-self-enrol-learner", ".modal-dialog")
    p.locator(".modal-dialog button:has-text('Enrol me'), .modal-dialog input[value='Enrol me']").first.click()
    p.wait_for_url("**/course/view.php**")
    p.wait_for_load_state("networkidle")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("command", choices=["restore", "settings", "upload-users", "cohort-sync", "self-enrol", "join"])
    ap.add_argument("args", nargs="+")
    ap.add_argument("--shots", type=Path, default=None)
    a = ap.parse_args()
    if a.shots:
        a.shots.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path="/usr/lib/chromium/chromium", args=["--no-sandbox"],
                               proxy={"server": "http://127.0.0.1:9", "bypass": "127.0.0.1,localhost"})
        context = b.new_context(viewport={"width": 1280, "height": 900})
        context.set_default_timeout(120000)
        context.set_default_navigation_timeout(300000)
        w = Walk(context.new_page(), a.shots)
        try:
            if a.command == "join":
                w.login(a.args[2], "Student#12345")
                join(w, a.args[0], a.args[1])
                print("after Enrol me:", w.page.url)
                return 0
            w.login(*ADMIN)
            if a.command == "restore":
                print("restored course id", restore(w, Path(a.args[0]).resolve()))
            elif a.command == "settings":
                settings(w, a.args[0])
            elif a.command == "upload-users":
                upload_users(w, Path(a.args[0]).resolve())
            elif a.command == "cohort-sync":
                cohort_sync(w, *a.args[:3])
            else:
                self_enrol(w, *a.args[:3])
        finally:
            b.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
