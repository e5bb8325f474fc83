"""The Moodle course backup from ``commonground build``, checked against what Moodle 5.0's restore
reads (backup/moodle2/restore_*_task.class.php and their steps): every file each task opens, the
fields Moodle 5.0.6 writes for each record, the files by content hash, ids that agree across
files, restrict-access rules that give each pathway its modules in order, and the same bytes
for the same pack. The real restore (CLI and Restore page) is in docs/coordinators.md and
tests/moodle_course_play.py; it needs a Moodle, which CI has not.
"""
from __future__ import annotations

import hashlib
import io
import json
import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from coursepack.cli import main as cli
from coursepack.load import require_pack

from support import CONTENT

PACK = require_pack(CONTENT).pack
FIXTURE = Path(__file__).parent / "fixtures" / "pack"
MARK = "Preview, not for learners"

# What each restore task opens, whatever is in it (restore_structure_step::execute throws
# "missing_moodle_backup_xml_file" otherwise), with the root settings this backup turns on.
ROOT_FILES = {"moodle_backup.xml", "files.xml", "groups.xml", "roles.xml", "scales.xml", "outcomes.xml",
              "questions.xml", "completion.xml", "gradebook.xml", "grade_history.xml"}
COURSE_FILES = {"course.xml", "roles.xml", "competencies.xml", "completiondefaults.xml"}
SECTION_FILES = {"section.xml"}
ACTIVITY_FILES = {"module.xml", "roles.xml", "grades.xml", "grade_history.xml", "competencies.xml"}

# The fields Moodle 5.0.6 writes for each record (read from a backup it made), which restore
# inserts as they are: a field it does not know, or one missing, would fail or lose a setting.
FIELDS = {
    "/activity/scorm": "name scormtype reference intro introformat version maxgrade grademethod whatgrade maxattempt "
                       "forcecompleted forcenewattempt lastattemptlock masteryoverride displayattemptstatus "
                       "displaycoursestructure updatefreq sha1hash md5hash revision launch skipview hidebrowse hidetoc "
                       "nav navpositionleft navpositiontop auto popup options width height timeopen timeclose "
                       "timemodified completionstatusrequired completionscorerequired completionstatusallscos "
                       "autocommit scoes",
    "/module": "modulename sectionid sectionnumber idnumber added score indent visible visibleoncoursepage visibleold "
               "groupmode groupingid completion completiongradeitemnumber completionpassgrade completionview "
               "completionexpected availability showdescription downloadcontent lang tags",
    "/section": "number name summary summaryformat sequence visible availabilityjson component itemid timemodified",
    "/course": "shortname fullname idnumber summary summaryformat format showgrades newsitems startdate enddate marker "
               "maxbytes legacyfiles showreports visible groupmode groupmodeforce defaultgroupingid lang theme "
               "timecreated timemodified requested showactivitydates showcompletionconditions pdfexportfont "
               "enablecompletion completionnotify category tags customfields courseformatoptions",
    "/groups/group": "name idnumber description descriptionformat enrolmentkey picture visibility participation "
                     "timecreated timemodified group_members",
    "/files/file": "contenthash contextid component filearea itemid filepath filename userid filesize mimetype status "
                   "timecreated timemodified source author license sortorder repositorytype repositoryid reference",
    "/activity_gradebook/grade_items/grade_item": "categoryid itemname itemtype itemmodule iteminstance itemnumber "
                   "iteminfo idnumber calculation gradetype grademax grademin scaleid outcomeid gradepass multfactor "
                   "plusfactor aggregationcoef aggregationcoef2 weightoverride sortorder display decimals hidden locked "
                   "locktime needsupdate timecreated timemodified grade_grades",
    "/course_completion/course_completion_criteria": "course criteriatype module moduleinstance courseinstanceshortname "
                   "enrolperiod timeend gradepass role roleshortname course_completion_crit_completions",
    # mod_customcert 5.0 (backup/moodle2/backup_customcert_stepslib.php)
    "/activity/customcert": "templateid name intro introformat requiredtime verifyany deliveryoption usecustomfilename "
                            "customfilenamepattern emailstudents emailteachers emailothers protection language "
                            "timecreated timemodified issues template",
    "/activity/customcert/template/pages/page/element": "pageid name element data font fontsize colour posx posy width "
                            "refpoint sequence alignment timecreated timemodified",
}
NULL = "$@NULL@$"


class Backup:
    """An unpacked .mbz: its files, parsed XML, and the ids that tie them together."""

    def __init__(self, path: Path):
        self.path = path
        with zipfile.ZipFile(path) as z:
            self.files = {n: z.read(n) for n in z.namelist()}
        self.main = self.xml("moodle_backup.xml")
        contents = self.main.find("information/contents")
        self.sections = {s.findtext("sectionid"): s for s in contents.iterfind("sections/section")}
        self.activities = {a.findtext("moduleid"): a for a in contents.iterfind("activities/activity")}

    def xml(self, name: str):
        return etree.fromstring(self.files[name])

    def module(self, cmid: str):
        return self.xml(f"{self.activities[cmid].findtext('directory')}/module.xml")

    def rule(self, xml, tag: str):
        text = xml.findtext(tag)
        return None if text == NULL else json.loads(text)

    def scorm_activities(self) -> dict[str, str]:
        """cmid -> module id, from the activity's ID number (cg-<module id>)."""
        return {cmid: self.module(cmid).findtext("idnumber").removeprefix("cg-")
                for cmid, a in self.activities.items() if a.findtext("modulename") == "scorm"}


def build(pack: Path, out: Path, *extra: str) -> Path:
    result = CliRunner().invoke(cli, ["build", str(pack), "--out", str(out), "--only", "moodle", "--only", "scorm12",
                                      *extra])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def dist(tmp_path_factory):
    return build(CONTENT, tmp_path_factory.mktemp("dist"))


@pytest.fixture(scope="module")
def backup(dist):
    (found,) = (dist / "moodle").glob("*.mbz")
    return Backup(found)


# -- format ----------------------------------------------------------------------------------------

def test_the_build_writes_one_backup_named_for_the_course_and_its_version(dist):
    names = [p.name for p in (dist / "moodle").iterdir()]
    digest = next(p.name for p in (dist / "scorm12").glob("commonground-cg101-all-modules-*.zip")).split("-")[-1][:-4]
    assert names == [f"commonground-cg101-2026-{digest}-preview.mbz"]


def test_every_xml_file_is_well_formed_utf8(backup):
    xml = [n for n in backup.files if n.endswith(".xml")]
    assert len(xml) > 50
    for name in xml:
        assert backup.files[name].startswith(b'<?xml version="1.0" encoding="UTF-8"?>'), name
        etree.fromstring(backup.files[name])      # raises on anything malformed


def test_it_is_a_course_backup_that_moodle_5_0_takes(backup):
    info = backup.main.find("information")
    detail = info.find("details/detail")
    assert (detail.findtext("type"), detail.findtext("format"), detail.findtext("mode")) == ("course", "moodle2", "10")
    assert info.findtext("backup_version") == "2025041400" and info.findtext("backup_release") == "5.0"
    assert info.findtext("name") == backup.path.name
    settings = {s.findtext("name"): s.findtext("value") for s in info.iterfind("settings/setting")
                if s.findtext("level") == "root"}
    assert settings["users"] == "0" and settings["activities"] == "1" and settings["files"] == "1"
    assert settings["groups"] == "1" and settings["filename"] == backup.path.name
    assert settings["filters"] == "1", "the course's filter settings are restored"


def test_module_names_stay_text_in_the_course(backup):
    """Activity names auto-linking would link the pathway lists and certificates to locked modules."""
    active = {f.findtext("filter"): f.findtext("active") for f in backup.xml("course/filters.xml").iterfind(".//filter_active")}
    assert active == {"activitynames": "-1"}


def test_every_file_each_restore_task_opens_is_there(backup):
    names = set(backup.files)
    assert ROOT_FILES <= names
    assert {f"course/{n}" for n in COURSE_FILES} <= names
    assert backup.sections and backup.activities
    for s in backup.sections.values():
        assert {f"{s.findtext('directory')}/{n}" for n in SECTION_FILES} <= names
    for a in backup.activities.values():
        folder, mod = a.findtext("directory"), a.findtext("modulename")
        assert folder == f"activities/{mod}_{a.findtext('moduleid')}"
        assert {f"{folder}/{n}" for n in ACTIVITY_FILES | {f'{mod}.xml'}} <= names


def test_each_record_has_the_fields_moodle_writes(backup):
    found = set()
    for name, data in backup.files.items():
        if not name.endswith(".xml"):
            continue
        root = etree.fromstring(data)
        for path, fields in FIELDS.items():
            parts = path.strip("/").split("/")
            if root.tag != parts[0]:
                continue
            for record in root.xpath("/".join(["."] + parts[1:])) if len(parts) > 1 else [root]:
                assert [c.tag for c in record] and {c.tag for c in record} == set(fields.split()), (name, path)
                found.add(path)
    assert found == set(FIELDS)


def test_sections_activities_and_contents_agree(backup):
    """moodle_backup.xml lists each section and activity once; each activity's module.xml says
    which section holds it; each section's sequence lists exactly those, in the same order; the
    settings name each section and activity by its folder (restore files them by that name)."""
    info = backup.main.find("information")
    sections = {sid: backup.xml(f"{s.findtext('directory')}/section.xml") for sid, s in backup.sections.items()}
    for sid, s in sections.items():
        assert s.get("id") == sid
        assert backup.sections[sid].findtext("directory") == f"sections/section_{sid}"
    numbers = [int(s.findtext("number")) for s in sections.values()]
    assert numbers == list(range(len(numbers)))
    held: dict[str, list[str]] = {sid: [] for sid in sections}
    for cmid, a in backup.activities.items():
        module = backup.module(cmid)
        assert module.get("id") == cmid and module.findtext("modulename") == a.findtext("modulename")
        sid = module.findtext("sectionid")
        assert sid == a.findtext("sectionid") and module.findtext("sectionnumber") == sections[sid].findtext("number")
        held[sid].append(cmid)
        activity = backup.xml(f"{a.findtext('directory')}/{a.findtext('modulename')}.xml")
        assert activity.tag == "activity" and activity.get("moduleid") == cmid
        assert activity.get("modulename") == a.findtext("modulename")
        assert activity[0].get("id") == activity.get("id")
    for sid, s in sections.items():
        sequence = s.findtext("sequence").split(",") if s.findtext("sequence") else []
        assert sorted(sequence) == sorted(held[sid]), sid
    settings = {(s.findtext("level"), s.findtext("section") or s.findtext("activity"), s.findtext("name"))
                for s in info.iterfind("settings/setting")}
    for sid in sections:
        assert {("section", f"section_{sid}", f"section_{sid}_{w}") for w in ("included", "userinfo")} <= settings
    for cmid, a in backup.activities.items():
        key = a.findtext("directory").split("/")[1]
        assert {("activity", key, f"{key}_{w}") for w in ("included", "userinfo")} <= settings


def test_every_file_is_stored_by_its_hash_and_referenced_by_its_activity(backup):
    records = backup.xml("files.xml").findall("file")
    assert records
    referenced = {}
    for cmid, a in backup.activities.items():
        folder = a.findtext("directory")
        context = backup.xml(f"{folder}/{a.findtext('modulename')}.xml").get("contextid")
        for fid in backup.xml(f"{folder}/inforef.xml").xpath("fileref/file/id/text()"):
            referenced[fid] = (context, folder)
    stored = {n for n in backup.files if n.startswith("files/")}
    for f in records:
        digest, data = f.findtext("contenthash"), None
        data = backup.files[f"files/{digest[:2]}/{digest}"]
        assert hashlib.sha1(data).hexdigest() == digest and int(f.findtext("filesize")) == len(data)
        assert f.get("id") in referenced, "restore loads only the files an inforef.xml lists"
        context, folder = referenced.pop(f.get("id"))
        assert f.findtext("contextid") == context
        scorm = backup.xml(f"{folder}/scorm.xml").find("scorm")
        assert (f.findtext("component"), f.findtext("filearea"), f.findtext("filepath")) == ("mod_scorm", "package", "/")
        assert f.findtext("filename") == scorm.findtext("reference")
        stored.discard(f"files/{digest[:2]}/{digest}")
    assert not referenced, "every referenced file is in files.xml"
    assert not stored, "no stored file without its record"


def test_grade_items_and_course_completion_point_at_the_activities(backup):
    for cmid, a in backup.activities.items():
        folder = a.findtext("directory")
        items = backup.xml(f"{folder}/grades.xml").findall("grade_items/grade_item")
        refs = backup.xml(f"{folder}/inforef.xml").xpath("grade_itemref/grade_item/id/text()")
        assert [i.get("id") for i in items] == refs
        if a.findtext("modulename") == "scorm":
            instance = backup.xml(f"{folder}/scorm.xml").get("id")
            (item,) = items
            assert (item.findtext("itemmodule"), item.findtext("iteminstance"), item.findtext("grademax")) == \
                ("scorm", instance, "100.00000")
        else:
            assert items == []
    criteria = backup.xml("completion.xml").findall("course_completion_criteria")
    assert criteria
    for c in criteria:
        assert c.findtext("criteriatype") == "4"
        assert backup.activities[c.findtext("moduleinstance")].findtext("modulename") == c.findtext("module")


def test_each_module_is_one_scorm_activity_holding_the_package_the_scorm12_builder_wrote(backup, dist):
    modules = backup.scorm_activities()
    assert sorted(modules.values()) == sorted(m.id for m in PACK.modules), "every module once, shared or not"
    for cmid, module_id in modules.items():
        folder = backup.activities[cmid].findtext("directory")
        reference = backup.xml(f"{folder}/scorm.xml").findtext("scorm/reference")
        module = PACK.module(module_id)
        assert reference == f"{module.id}-{module.version}.zip"
        digest = hashlib.sha1((dist / "scorm12" / reference).read_bytes()).hexdigest()
        assert f"files/{digest[:2]}/{digest}" in backup.files


def test_the_activities_have_the_settings_the_guide_gives(backup):
    """docs/coordinators.md, section 3: the names are the activity form's."""
    for cmid in backup.scorm_activities():
        folder = backup.activities[cmid].findtext("directory")
        s = backup.xml(f"{folder}/scorm.xml").find("scorm")
        v = {c.tag: c.text for c in s}
        assert v["popup"] == "1" and v["width"] == "100" and v["height"] == "100"     # New window, whole screen
        assert v["skipview"] == "0" and v["hidebrowse"] == "1"     # opens from "Enter"; no Preview button
        assert v["hidetoc"] == "3" and v["nav"] == "0"             # content structure in player: Disabled
        assert v["forcenewattempt"] == "1"                         # When previous attempt completed, passed or failed
        assert (v["grademethod"], v["maxgrade"], v["maxattempt"], v["whatgrade"]) == ("1", "100", "0", "0")
        assert (v["forcecompleted"], v["autocommit"], v["masteryoverride"]) == ("0", "0", "1")
        assert v["completionstatusrequired"] == "2" and v["version"] == "SCORM_1.2"   # Passed only
        assert v["sha1hash"] is None, "Moodle unpacks and reads the package itself on restore"
        module = backup.module(cmid)
        assert module.findtext("completion") == "2", "Completion: automatic, on the conditions above"


# -- pathways: what each learner sees, evaluated as Moodle's core_availability does -----------------

def holds(rule, groups: set[int], done: set[str]) -> bool:
    if "op" not in rule:
        if rule["type"] == "group":
            return rule["id"] in groups
        assert rule["type"] == "completion" and rule["e"] == 1
        return str(rule["cm"]) in done
    results = [holds(c, groups, done) for c in rule["c"]]
    return {"&": all, "|": any}[rule["op"]](results)


def shown(rule, groups: set[int], done: set[str]) -> tuple[bool, bool]:
    """(visible, available) of an activity or section with this rule for this learner."""
    if rule is None:
        return True, True
    if holds(rule, groups, done):
        return True, True
    if rule["op"] == "&":
        hidden = any(not show and not holds(c, groups, done) for c, show in zip(rule["c"], rule["showc"]))
    else:
        hidden = not rule["show"]
    return not hidden, False


def learner_view(backup: Backup, groups: set[int], done: set[str]) -> tuple[list[str], set[str]]:
    """The activities the learner sees (in course order) and those they can open."""
    seen, open_ = [], set()
    order = sorted(backup.sections.values(), key=lambda s: int(backup.xml(f"{s.findtext('directory')}/section.xml")
                                                              .findtext("number")))
    for s in order:
        section = backup.xml(f"{s.findtext('directory')}/section.xml")
        visible, available = shown(backup.rule(section, "availabilityjson"), groups, done)
        if not visible:
            continue
        for cmid in filter(None, section.findtext("sequence").split(",")):
            v, a = shown(backup.rule(backup.module(cmid), "availability"), groups, done)
            if v:
                seen.append(cmid)
            if v and a and available:
                open_.add(cmid)
    return seen, open_


def pathway_groups(backup: Backup) -> dict[str, int]:
    return {g.findtext("name"): int(g.get("id")) for g in backup.xml("groups.xml").iterfind("group")}


def course_complete(backup: Backup, done: set[str]) -> bool:
    """Moodle's course completion on activity criteria: ANY (method 2) or ALL (1) of them."""
    xml = backup.xml("completion.xml")
    criteria = [c.findtext("moduleinstance") for c in xml.iterfind("course_completion_criteria")]
    method = next(m.findtext("method") for m in xml.iterfind("course_completion_aggr_methd")
                  if m.findtext("criteriatype") == "4")
    return bool(criteria) and {"2": any, "1": all}[method](c in done for c in criteria)


def test_each_pathway_sees_its_modules_in_order_one_at_a_time(backup):
    modules = backup.scorm_activities()
    cmid_of = {m: c for c, m in modules.items()}
    groups = pathway_groups(backup)
    assert list(groups) == [p.role for p in PACK.pathways]
    for pathway in PACK.pathways:
        walk_pathway(backup, {groups[pathway.role]}, pathway.modules, cmid_of, in_order=True)


def walk_pathway(backup: Backup, mine: set[int], chain, cmid_of: dict[str, str], in_order: bool) -> None:
    """Take the pathway's modules one by one as the learner sees them: at each step exactly the
    next one is open, and the course is complete after the last one and not before."""
    modules = {c: m for m, c in cmid_of.items()}
    done: set[str] = set()
    for step, module_id in enumerate(chain):
        seen, open_ = learner_view(backup, mine, done)
        shown = [modules[c] for c in seen if c in modules]
        assert shown == list(chain) if in_order else sorted(shown) == sorted(chain), (chain, shown)
        assert open_ & set(modules) - done == {cmid_of[module_id]}, (chain, step)
        assert not course_complete(backup, done), "the course is not complete before the pathway is"
        done.add(cmid_of[module_id])
    assert course_complete(backup, done), f"{chain}: finishing the pathway completes the course"


def test_pathways_that_disagree_on_the_order_still_each_go_in_their_own(tmp_path):
    """Two pathways with the same modules in opposite orders: no one order suits both on the
    course page, but each learner's modules still open in their own pathway's order, and the
    course completes when all the modules both share are done, not at the first one."""
    pack = shutil.copytree(FIXTURE, tmp_path / "pack")
    yml = pack / "pack.yml"
    yml.write_text(yml.read_text() + """  - role: Reversed
    level: skilled
    description: The other way round.
    modules: [folder-mod, every-element]
""")
    (found,) = (build(pack, tmp_path / "dist") / "moodle").iterdir()
    backup = Backup(found)
    cmid_of = {m: c for c, m in backup.scorm_activities().items()}
    groups = pathway_groups(backup)
    walk_pathway(backup, {groups["Everyone"]}, ["every-element", "folder-mod"], cmid_of, in_order=False)
    walk_pathway(backup, {groups["Reversed"]}, ["folder-mod", "every-element"], cmid_of, in_order=False)


def test_a_learner_in_no_pathway_group_sees_no_module(backup):
    seen, _ = learner_view(backup, set(), set())
    assert not set(seen) & set(backup.scorm_activities())


def test_a_shared_module_done_in_one_pathway_counts_in_another(backup):
    """Someone moved from Everyone to Leading change keeps what they passed: the modules are the
    same activities, so the next one of their new pathway is open."""
    modules = backup.scorm_activities()
    cmid_of = {m: c for c, m in modules.items()}
    groups = pathway_groups(backup)
    first, last = PACK.pathways[0], PACK.pathways[-1]
    shared = [m for m in first.modules if m in last.modules]
    prefix = last.modules[:next(i for i, m in enumerate(last.modules) if m not in first.modules)]
    assert shared and set(prefix) <= set(shared)
    done = {cmid_of[m] for m in first.modules}
    _, open_ = learner_view(backup, {groups[last.role]}, done)
    nxt = last.modules[len(prefix)]
    assert open_ & set(modules) - done == {cmid_of[nxt]}
    assert course_complete(backup, done), "what was completed in the first pathway stays complete"


def test_each_pathway_has_its_certificate_once_its_modules_are_complete(backup):
    groups = pathway_groups(backup)
    certificates = {c for c, a in backup.activities.items() if a.findtext("modulename") == "customcert"}
    assert len(certificates) == len(PACK.pathways)
    modules = {m: c for c, m in backup.scorm_activities().items()}
    everything = set(modules.values())
    for pathway in PACK.pathways:
        mine = {groups[pathway.role]}
        seen, open_ = learner_view(backup, mine, set())
        (cert,) = [c for c in seen if c in certificates]
        assert cert not in open_
        almost = {modules[m] for m in pathway.modules[:-1]}
        assert cert not in learner_view(backup, mine, almost)[1]
        assert cert in learner_view(backup, mine, almost | {modules[pathway.modules[-1]]})[1]
        assert cert in learner_view(backup, mine, everything)[1]
        assert learner_view(backup, mine, everything)[0][-1] == cert, "after the modules, in the pathway's section"


def test_a_certificate_names_the_learner_the_pathway_and_a_code(backup):
    for cmid, a in backup.activities.items():
        if a.findtext("modulename") != "customcert":
            continue
        cert = backup.xml(f"{a.findtext('directory')}/customcert.xml")
        elements = {e.findtext("element") for e in cert.iterfind(".//element")}
        assert {"studentname", "text", "date", "code"} <= elements
        texts = " ".join(e.findtext("data") for e in cert.iterfind(".//element") if e.findtext("element") == "text")
        assert a.findtext("title").removeprefix("Certificate: ") in texts and MARK in texts


# -- the same bytes, and the preview stamp --------------------------------------------------------

def test_the_same_pack_gives_the_same_bytes(dist, tmp_path):
    again = build(CONTENT, tmp_path / "again")
    for first in (dist / "moodle").iterdir():
        assert (again / "moodle" / first.name).read_bytes() == first.read_bytes(), first.name


def test_a_rebuild_after_one_edit_writes_again_that_module_s_activity_only(tmp_path):
    """In a process that builds again (the preview, a watcher), an edited module's activity files
    are written again and every other section's and activity's are kept: the backup is the one
    a fresh build of the edited pack writes."""
    from coursepack import builders
    from scorm_export.build import build_scorm12
    from scorm_export.moodle import backup as writer
    pack = tmp_path / "pack"
    shutil.copytree(CONTENT, pack)
    chosen = {"scorm12": build_scorm12, "moodle": writer.build}
    list(builders.run(require_pack(pack), tmp_path / "out", chosen))
    before = dict(writer._parts)
    edited = sorted((pack / "modules").glob("*.md"))[0]
    text = edited.read_text(encoding="utf-8")
    heading = text.index("\n", text.index("\n## ") + 1)         # the end of the first page's heading
    edited.write_text(f"{text[:heading]}\n\nA sentence added by the test.{text[heading:]}", encoding="utf-8")
    result = require_pack(pack)
    list(builders.run(result, tmp_path / "out", chosen))
    module = next(m for m in result.pack.modules if m.path.endswith(edited.name))
    cmid = next(a.cmid for a in writer.plan(result).activities if a.module is not None and a.module.id == module.id)
    again = {path for path, kept in writer._parts.items() if before.get(path) is not kept}
    assert again and all(path.startswith(f"activities/scorm_{cmid}/") for path in again), sorted(again)
    fresh = build(pack, tmp_path / "fresh")
    for made in (fresh / "moodle").iterdir():
        assert (tmp_path / "out" / "moodle" / made.name).read_bytes() == made.read_bytes(), made.name


def test_a_preview_backup_says_so_on_the_course_and_every_page(backup):
    info = backup.main.find("information")
    assert info.findtext("original_course_fullname").endswith("(preview, not for learners)")
    assert MARK in backup.xml("sections/section_1/section.xml").findtext("summary")
    for record in backup.xml("files.xml").iterfind("file"):
        digest = record.findtext("contenthash")
        with zipfile.ZipFile(io.BytesIO(backup.files[f"files/{digest[:2]}/{digest}"])) as package:
            pages = [n for n in package.namelist() if n.endswith("/index.html")]
            html = package.read(pages[0]).decode()
            assert html.count(MARK) == html.count('class="cg-page"') > 0


def test_a_release_backup_has_no_stamp_and_replaces_the_preview(tmp_path):
    pack = shutil.copytree(FIXTURE, tmp_path / "pack")
    (preview,) = (build(pack, tmp_path / "dist") / "moodle").iterdir()
    out = build(pack, tmp_path / "dist", "--release")
    (release,) = (out / "moodle").iterdir()
    assert preview.name == release.name.replace(".mbz", "-preview.mbz"), "the folder holds only the latest"
    backup = Backup(release)
    assert "preview" not in backup.main.findtext("information/original_course_fullname")
    assert not any(MARK.encode() in data for name, data in backup.files.items() if name.endswith(".xml"))
    for name, data in backup.files.items():
        if name.startswith("files/"):
            with zipfile.ZipFile(io.BytesIO(data)) as package:
                assert not any(MARK.encode() in package.read(n) for n in package.namelist() if n.endswith(".html"))
