"""Download, as the course's teacher, every report a programme report needs from the real Moodle
of ../shared/moodle, through Moodle's own pages in a browser (not part of CI).

    .venv/bin/python tests/moodle_reports.py criteria COURSE CMID [CMID ...] [--shots DIR]
    .venv/bin/python tests/moodle_reports.py download OUT COURSE CMID [CMID ...] [--shots DIR]
    .venv/bin/python tests/moodle_reports.py grades OUT COURSE [--shots DIR]
    .venv/bin/python tests/moodle_reports.py counts COURSE
    .venv/bin/python tests/moodle_reports.py anonymise IN OUT

``criteria`` sets the course's completion, as teacher1 on "Course completion" (Course >
More > Course completion): complete when ANY of the named activities is complete. ``download``
logs in as teacher1 and, for each SCORM activity, opens Reports, the Basic report and the
Interactions report (its preferences set to show the question, the response, the right answer
and the result) and downloads each in ODS, Excel and text format; then the course completion
report (both its downloads), the activity completion report (both), and the grader report's
export in each format Moodle offers (Excel, OpenDocument, plain text); with --shots, a
screenshot of each place. ``counts`` prints an independent count from Moodle's tables: per
activity, learners with an attempt, completed and passed (mdl_course_modules_completion),
and per confidence statement the ratings sent (mdl_scorm_scoes_value), as SQL and its output.
``anonymise`` copies the downloads with every learner's and the teacher's name, username and
email replaced by made-up ones (``PEOPLE``), whole cells only, everything else as it was: text
files byte for byte; in .xlsx and .ods only the XML members that held a name are rewritten
(the zip written again, members in their order; the XML otherwise unchanged).

MOODLE_URL (default http://127.0.0.1:8600) and MOODLE_WORK (as for setup.sh) say which Moodle.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parent.parent))

from playwright.sync_api import TimeoutError as PlaywrightTimeout, sync_playwright  # noqa: E402

from moodle_course_play import BASE, browser, sql  # noqa: E402

TEACHER, TEACHER_PASSWORD = "teacher1", "Teacher#12345"
SCORM_DOWNLOADS = (("ODS", "Download in ODS format"), ("Excel", "Download in Excel format"),
                   ("CSV", "Download in text format"))
GRADE_EXPORTS = (("xls", "Excel spreadsheet"), ("ods", "OpenDocument spreadsheet"), ("txt", "Plain text file"))


def login_teacher(context):
    page = context.new_page()
    page.goto(BASE + "/login/index.php")
    page.fill("#username", TEACHER)
    page.fill("#password", TEACHER_PASSWORD)
    page.click("#loginbtn")
    page.wait_for_load_state("networkidle")
    return page


def shot(page, shots: str, name: str, locator: str = "") -> None:
    if shots:
        target = page.locator(locator).first if locator else page
        target.screenshot(path=str(Path(shots) / f"moodle-report-{name}.png"))


def save(download, out: Path, name: str) -> dict:
    suffix = Path(download.suggested_filename).suffix
    target = out / f"{name}{suffix}"
    download.save_as(target)
    return {"file": target.name, "moodle named it": download.suggested_filename, "bytes": target.stat().st_size}


def nav(page, text: str) -> None:
    """A link of the secondary navigation, or of its "More" menu when it is folded there (after
    Moodle's first-visit user tour, if it shows)."""
    end_tour(page)
    link = page.locator(f".secondary-navigation a:text-is({json.dumps(text)})").first
    if not link.is_visible():
        page.locator(".secondary-navigation .moremenu .dropdown-toggle:has-text('More')").first.click()
    link.click()
    page.wait_for_load_state("networkidle")
    end_tour(page)


def end_tour(page) -> None:
    """Close a Moodle user tour shown on a first visit (it covers the page)."""
    tour = page.locator("[data-role=end]")
    if tour.count() and tour.first.is_visible():
        tour.first.click()


def activity_reports(page, out: Path, shots: str, cmid: int, label: str) -> list[dict]:
    got = []
    page.goto(f"{BASE}/mod/scorm/view.php?id={cmid}")
    page.wait_for_load_state("networkidle")
    nav(page, "Reports")
    for mode in ("basic", "interactions"):
        select = page.locator("select.urlselect, .urlselect select").first
        chosen = select.evaluate("s => s.options[s.selectedIndex].value")
        if f"mode={mode}" not in chosen:        # the drop-down at the top: Basic report, ..., Interactions report
            value = select.evaluate("(s, m) => [...s.options].find(o => o.value.includes('mode=' + m)).value", mode)
            select.select_option(value=value)
            try:
                page.wait_for_url(f"**mode={mode}**", timeout=15000)
            except PlaywrightTimeout:       # the drop-down's own script did not go: go where it points
                page.goto(value if value.startswith("http") else BASE + value)
            page.wait_for_load_state("networkidle")
        if mode == "interactions":
            for box in ("qtext", "resp", "right", "result"):
                page.locator(f"#id_{box}").check()
            page.locator("#id_submitbutton").click()
            page.wait_for_load_state("networkidle")
        shot(page, shots, f"{label}-{mode}")
        for kind, text in SCORM_DOWNLOADS:
            page.locator("#dropdownMenuLink").click()
            if kind == "ODS":
                shot(page, shots, f"{label}-{mode}-download-menu")
            with page.expect_download() as d:
                page.locator(f".dropdown-item:has-text({json.dumps(text)})").click()
            got.append({"activity": cmid, "report": mode, "format": kind, "where": page.url.split(BASE)[-1],
                        **save(d.value, out, f"{label}-{mode}")})
    return got


def course_reports(page, out: Path, shots: str, course: int) -> list[dict]:
    got = []
    page.goto(f"{BASE}/course/view.php?id={course}")
    page.wait_for_load_state("networkidle")
    nav(page, "Reports")
    shot(page, shots, "course-reports")
    for name, link, downloads in (
            ("course-completion", "Course completion", ("Download in spreadsheet format (UTF-8 .csv)",
                                                        "Download in Excel-compatible format (.csv)")),
            ("activity-completion", "Activity completion", ("Download in spreadsheet format (UTF-8 .csv)",
                                                            "Download in Excel-compatible format (.csv)"))):
        page.goto(f"{BASE}/course/view.php?id={course}")
        nav(page, "Reports")
        page.locator(f"#region-main a:text-is({json.dumps(link)})").first.click()
        page.wait_for_load_state("networkidle")
        shot(page, shots, name)
        for n, text in enumerate(downloads):
            with page.expect_download() as d:
                page.locator(f"a:has-text({json.dumps(text)})").first.click()
            got.append({"report": name, "format": ["csv", "excel-csv"][n], "where": page.url.split(BASE)[-1],
                        **save(d.value, out, f"{name}-{['utf8', 'excel'][n]}")})
    return got + grade_exports(page, out, shots, course)


def grade_exports(page, out: Path, shots: str, course: int) -> list[dict]:
    got = []
    for kind, text in GRADE_EXPORTS:
        page.goto(f"{BASE}/course/view.php?id={course}")
        nav(page, "Grades")
        # the gradebook's drop-down at the top (Grader report ...), its "Export" part
        page.locator(".tertiary-navigation [role=combobox][aria-haspopup=listbox]").first.click()
        if kind == "xls":
            shot(page, shots, "grades-menu")
        page.locator(".tertiary-navigation [role=option]:text-is('Export')").first.click()
        page.wait_for_url("**/grade/export/**")
        end_tour(page)
        if f"/grade/export/{kind}/" not in page.url:     # the export page's own drop-down: the format
            # (its options are the formats; the script goes where the option points, as choosing it does)
            option = page.locator(f".tertiary-navigation [role=option]:has-text({json.dumps(text)})").first
            page.goto(option.get_attribute("data-value"))
        page.wait_for_load_state("networkidle")
        if kind == "xls":
            shot(page, shots, "grades-export")
        with page.expect_download() as d:
            page.locator("#id_submitbutton, input[type=submit][value=Download], button:has-text('Download')").first.click()
        got.append({"report": "grader report export", "format": kind, "where": page.url.split(BASE)[-1],
                    **save(d.value, out, f"grades-{kind}")})
    return got


def criteria(p, course: int, cmids: list[int], shots: str) -> dict:
    b, context = browser(p)
    try:
        page = login_teacher(context)
        page.goto(f"{BASE}/course/completion.php?id={course}")
        page.wait_for_load_state("networkidle")
        expand = page.locator("a.collapseexpand:has-text('Expand all')")
        if expand.count() and expand.first.is_visible():
            expand.first.click()
        for cmid in cmids:
            page.locator(f"#id_criteria_activity_{cmid}").check()
        page.locator("#id_activity_aggregation").select_option(label="ANY selected activities to be completed")
        shot(page, shots, "course-completion-settings")
        page.locator("#id_submitbutton").click()
        page.wait_for_load_state("networkidle")
        return {"criteria": sql(f"select criteriatype, moduleinstance from mdl_course_completion_criteria where course = {course}")}
    finally:
        b.close()


def download(p, out: Path, course: int, cmids: list[int], shots: str) -> list[dict]:
    out.mkdir(parents=True, exist_ok=True)
    b, context = browser(p)
    try:
        page = login_teacher(context)
        got = []
        for cmid in cmids:
            name, version = sql(f"""select s.name, s.version from mdl_scorm s join mdl_course_modules cm on cm.instance = s.id
                                    where cm.id = {cmid}""")[0]
            label = f"cm{cmid}-" + ("scorm12" if version == "SCORM_1.2" else "scorm2004")
            got += activity_reports(page, out, shots, cmid, label)
        got += course_reports(page, out, shots, course)
        return got
    finally:
        b.close()


# A learner's kept rating of each statement and phase (the CTEs the rating counts share).
RATED = """
with records as (
  select s.id as scormid, a.userid, a.attempt, sc.identifier as sco,
         substring(e.element from '^cmi\\.interactions[._]([0-9]+)\\.')::int as n, e.element, v.value
  from mdl_scorm s
  join mdl_course_modules cm on cm.instance = s.id and cm.course = {course}
  join mdl_modules m on m.id = cm.module and m.name = 'scorm'
  join mdl_scorm_attempt a on a.scormid = s.id
  join mdl_scorm_scoes_value v on v.attemptid = a.id
  join mdl_scorm_scoes sc on sc.id = v.scoid
  join mdl_scorm_element e on e.id = v.elementid
  where e.element ~ '^cmi\\.interactions[._][0-9]+\\.'     -- 1.2: interactions_N, 2004: interactions.N
), likert as (
  select r.scormid, r.userid, r.attempt, r.sco, r.n,
         max(case when r.element like '%.id' then r.value end) as id,
         max(case when r.element like '%.student_response' or r.element like '%.learner_response' then r.value end) as rating
  from records r group by r.scormid, r.userid, r.attempt, r.sco, r.n
  having max(case when r.element like '%.type' then r.value end) = 'likert'
), latest as (
  select distinct on (scormid, userid, sco, id) scormid, userid, sco, id, rating
  from likert order by scormid, userid, sco, id,
       case when id like '%.before' then attempt else -attempt end, case when id like '%.before' then n else -n end
)
"""

PASS_MARK = 70          # content/pack.yml's pass_mark (every module of the pack)

COUNTS = {
    "activities": """
select cm.id as cmid, s.name, s.version,
       count(distinct a.userid) as learners_with_an_attempt,
       (select count(*) from mdl_course_modules_completion c where c.coursemoduleid = cm.id
          and c.completionstate in (1, 2)) as activity_complete,
       -- passed / failed: the status the package sent (1.2 lesson_status, 2004 success_status),
       -- per learner over their attempts (and a whole pack's SCOs: passed in any counts)
       (select count(distinct a2.userid) from mdl_scorm_attempt a2 join mdl_scorm_scoes_value v on v.attemptid = a2.id
          join mdl_scorm_element e on e.id = v.elementid where a2.scormid = s.id
          and e.element in ('cmi.core.lesson_status', 'cmi.success_status') and v.value = 'passed') as passed,
       (select count(distinct a2.userid) from mdl_scorm_attempt a2 join mdl_scorm_scoes_value v on v.attemptid = a2.id
          join mdl_scorm_element e on e.id = v.elementid where a2.scormid = s.id
          and e.element in ('cmi.core.lesson_status', 'cmi.success_status') and v.value = 'failed') as failed_once
from mdl_course_modules cm
join mdl_modules m on m.id = cm.module and m.name = 'scorm'
join mdl_scorm s on s.id = cm.instance
left join mdl_scorm_attempt a on a.scormid = s.id
where cm.course = {course}
group by cm.id, s.id, s.name, s.version order by cm.id""",
    # What the report's uptake and pass tables count, per activity, worked out here from the tables
    # by the report's own rules (docs/coordinators.md): started = an attempt; finished = an attempt
    # with status passed, failed or completed, or the module's activity in any version (same name
    # before " (SCORM") complete in mdl_course_modules_completion; passed on attempt N = the first
    # attempt with status passed, else (attempt count) when any version is complete-pass
    # (completionstate 2) or graded at or over the pass mark ({pass_mark}, the pack's) in
    # mdl_grade_grades; not passed yet = has a score (cmi.core.score.raw / cmi.score.raw), no pass.
    "progress": """
with act as (
  select cm.id as cmid, s.id as scormid, split_part(s.name, ' (SCORM', 1) as module
  from mdl_course_modules cm join mdl_modules m on m.id = cm.module and m.name = 'scorm'
  join mdl_scorm s on s.id = cm.instance where cm.course = {course}
), tries as (
  select act.cmid, act.module, a.userid, a.attempt,
         coalesce(bool_or(e.element in ('cmi.core.lesson_status', 'cmi.completion_status', 'cmi.success_status')
                          and v.value in ('passed', 'failed', 'completed')), false) as finished,
         coalesce(bool_or(e.element in ('cmi.core.lesson_status', 'cmi.success_status') and v.value = 'passed'), false) as passed,
         coalesce(bool_or(e.element in ('cmi.core.score.raw', 'cmi.score.raw')), false) as scored
  from act join mdl_scorm_attempt a on a.scormid = act.scormid
  left join mdl_scorm_scoes_value v on v.attemptid = a.id left join mdl_scorm_element e on e.id = v.elementid
  group by act.cmid, act.module, a.userid, a.attempt
), learners as (
  select cmid, module, userid, count(*) as attempts, bool_or(finished) as finished, bool_or(scored) as scored,
         min(attempt) filter (where passed) as passed_on
  from tries group by cmid, module, userid
), any_version as (
  select act.module, c.userid, true as complete, c.completionstate = 2 as passed
  from mdl_course_modules_completion c join act on act.cmid = c.coursemoduleid where c.completionstate in (1, 2, 3)
  union all
  select act.module, g.userid, false, g.finalgrade >= {pass_mark}
  from mdl_grade_grades g join mdl_grade_items i on i.id = g.itemid and i.itemtype = 'mod' and i.itemmodule = 'scorm'
  join act on act.scormid = i.iteminstance where g.finalgrade is not null
), elsewhere as (
  select module, userid, bool_or(complete) as complete, bool_or(passed) as passed from any_version group by module, userid
), judged as (
  select l.cmid, l.finished or coalesce(o.complete, false) as finished, l.scored,
         coalesce(l.passed_on, case when o.passed then l.attempts end) as passed_on, l.attempts
  from learners l left join elsewhere o on o.module = l.module and o.userid = l.userid
)
select cmid, count(*) as started, count(*) filter (where finished) as finished,
       count(*) filter (where not finished) as not_finished_yet,
       count(*) filter (where passed_on = 1) as passed_on_the_first_attempt,
       count(*) filter (where passed_on > 1) as passed_on_a_later_attempt,
       count(*) filter (where scored and passed_on is null) as not_passed_yet,
       count(*) filter (where scored or passed_on is not null) as had_a_score,
       count(*) filter (where attempts = 1) as one_attempt, count(*) filter (where attempts = 2) as two_attempts,
       count(*) filter (where attempts > 2) as three_or_more
from judged group by cmid order by cmid""",
    # One learner's rating of a statement, as the report pairs them: the first "before" record
    # (earliest attempt) and the last "after" record (latest attempt) of its id (a learner who
    # saves a check again sends its statements again).
    "ratings": RATED + """
select cm.id as cmid, l.sco, split_part(l.id, '.', 1) || '.' || split_part(l.id, '.', 2) as statement,
       split_part(l.id, '.', 3) as phase, count(*) as learners, round(avg(l.rating::numeric), 2) as mean,
       string_agg(l.rating, ',' order by l.rating) as ratings
from latest l join mdl_course_modules cm on cm.instance = l.scormid
join mdl_modules m on m.id = cm.module and m.name = 'scorm'
group by cm.id, l.sco, statement, phase order by cm.id, l.sco, statement, phase desc""",
    # The report's change table: per statement, learners who rated it before and after, by whether
    # their "after" rating is lower, the same or higher.
    "confidence_change": RATED + """
, pairs as (
  select b.scormid, b.sco, split_part(b.id, '.', 1) || '.' || split_part(b.id, '.', 2) as statement,
         b.rating::numeric as before, a.rating::numeric as after
  from latest b join latest a on a.scormid = b.scormid and a.userid = b.userid and a.sco = b.sco
   and a.id = split_part(b.id, '.', 1) || '.' || split_part(b.id, '.', 2) || '.after'
  where b.id like '%.before'
)
select cm.id as cmid, p.sco, p.statement, count(*) filter (where after < before) as lower_after,
       count(*) filter (where after = before) as same, count(*) filter (where after > before) as higher_after,
       count(*) as rated_before_and_after
from pairs p join mdl_course_modules cm on cm.instance = p.scormid
join mdl_modules m on m.id = cm.module and m.name = 'scorm'
group by cm.id, p.sco, p.statement order by cm.id, p.sco, p.statement""",
    "course_completion": """
select count(*) filter (where timecompleted is not null) as completed_the_course,
       count(*) as learners_with_a_row
from mdl_course_completions where course = {course}""",
}


def counts(course: int) -> dict:
    return {name: sql(query.format(course=course, pass_mark=PASS_MARK)) for name, query in COUNTS.items()}


# setup.sh's people (scripts/course.php: student1..student24 and teacher1; it names student21 on like
# student1 on, so those four were renamed in mdl_user first) → made-up ones.
SETUP_FIRST = ["Sam", "Aileen", "Rory", "Morven", "Callum", "Iona", "Fraser", "Kirsty", "Euan", "Shona",
               "Lachlan", "Mhairi", "Duncan", "Catriona", "Ewan", "Isla", "Hamish", "Eilidh", "Angus", "Fiona",
               "Gordon", "Ailsa", "Ruaridh", "Kenneth"]
SETUP_LAST = ["Student", "Baird", "Cowan", "Dunlop", "Fyfe", "Gilchrist", "Hendry", "Imrie", "Jardine", "Kerr",
              "Lennie", "Muir", "Napier", "Orr", "Pirie", "Quarrie", "Rennie", "Sinclair", "Tulloch", "Urquhart",
              "Sutherland", "Tait", "Wallace", "Young"]
MADE_UP_FIRST = ["Ash", "Blair", "Corrie", "Dale", "Eden", "Finlay", "Glen", "Harper", "Islay", "Jude",
                 "Kelsey", "Lindsay", "Marley", "Nairn", "Orla", "Perrin", "Quinn", "Robin", "Sorley", "Tamsin",
                 "Umber", "Vale", "Wren", "Yarrow"]
MADE_UP_LAST = [f"Learner{n:02d}" for n in range(1, 25)]


def people() -> list[tuple[str, str]]:
    """(what setup.sh wrote, what the fixture says), longest first so a full name goes whole."""
    pairs = [("teacher1@example.com", "coordinator@example.org"), ("teacher1", "coordinator"),
             ("Tess Teacher", "Casey Coordinator"), ("Tess", "Casey")]
    for n, (first, last, new_first, new_last) in enumerate(zip(SETUP_FIRST, SETUP_LAST, MADE_UP_FIRST, MADE_UP_LAST), 1):
        pairs += [(f"student{n}@example.com", f"learner{n:02d}@example.org"), (f"student{n}", f"learner{n:02d}"),
                  (f"{first} {last}", f"{new_first} {new_last}"), (first, new_first), (last, new_last)]
    return sorted(pairs, key=lambda p: -len(p[0]))


def replace_cells(text: str, escape=lambda t: t) -> str:
    """Each whole cell (between delimiters of CSV, TSV or XML text) that is a name, username or
    email of ``people()``, replaced; nothing else changes."""
    for old, new in people():
        text = re.sub(rf'(?<=[>",\t\n]){re.escape(escape(old))}(?=[<",\t\r\n])|^{re.escape(escape(old))}(?=[,\t\r\n])',
                      escape(new), text, flags=re.M)
    return text


def anonymise_file(source: Path, target: Path) -> None:
    data = source.read_bytes()
    if zipfile.is_zipfile(source):
        from xml.sax.saxutils import escape
        with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w") as zout:
            for info in zin.infolist():
                raw = zin.read(info.filename)
                if info.filename.endswith(".xml"):
                    text = raw.decode("utf-8")
                    changed = replace_cells(text, escape)
                    raw = changed.encode("utf-8") if changed != text else raw
                zout.writestr(info, raw)
        return
    codec, bom = ("utf-16-le", data[:2]) if data[:2] == b"\xff\xfe" else ("utf-8", b"")   # Moodle's "Excel-compatible" CSV: UTF-16
    target.write_bytes(bom + replace_cells(data[len(bom):].decode(codec)).encode(codec))


def leftovers(folder: Path) -> list[str]:
    """Names, usernames or emails of setup.sh's people still in any file (inside zips too)."""
    found = []
    words = [old for old, _ in people() if not old.startswith(("Teacher", "Student"))] + ["Tess Teacher", "Sam Student"]
    for path in sorted(folder.iterdir()):
        texts = []
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as z:
                texts = [z.read(n).decode("utf-8", "replace") for n in z.namelist()]
        elif path.suffix not in (".md", ".png"):
            texts = [path.read_bytes().decode("utf-8", "replace")]
        for word in words:
            if any(re.search(rf"\b{re.escape(word)}\b", t) for t in texts):
                found.append(f"{path.name}: {word}")
    return found


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("command", choices=["criteria", "download", "grades", "counts", "anonymise"])
    ap.add_argument("args", nargs="+")
    ap.add_argument("--shots", default="", help="folder for the screenshots (moodle-report-*.png)")
    a = ap.parse_args()
    if a.command == "anonymise":
        source, target = Path(a.args[0]), Path(a.args[1])
        target.mkdir(parents=True, exist_ok=True)
        for path in sorted(source.iterdir()):
            if path.is_file():
                anonymise_file(path, target / path.name)
        print(json.dumps({"left over": leftovers(target)}, indent=1))
        return 0
    if a.command == "counts":
        result = counts(int(a.args[0]))
        for name, query in COUNTS.items():
            print(f"-- {name}{query.format(course=a.args[0], pass_mark=PASS_MARK)};")
            print("\n".join("\t".join(row) for row in result[name]))
        return 0
    with sync_playwright() as p:
        if a.command == "criteria":
            result = criteria(p, int(a.args[0]), [int(c) for c in a.args[1:]], a.shots)
        elif a.command == "grades":         # the grader report's exports only
            b, context = browser(p)
            try:
                Path(a.args[0]).mkdir(parents=True, exist_ok=True)
                result = grade_exports(login_teacher(context), Path(a.args[0]), a.shots, int(a.args[1]))
            finally:
                b.close()
        else:
            result = download(p, Path(a.args[0]), int(a.args[1]), [int(c) for c in a.args[2:]], a.shots)
    print(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
