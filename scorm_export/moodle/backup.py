"""Write a planned course (``course.Course``) as a Moodle 5.0 course backup, and the ``moodle`` builder.

A backup is a zip (Moodle's restore opens zip and tar.gz ``.mbz`` files alike: ``mbz_packer``)
holding, as ``backup/moodle2/restore_*_task.class.php`` read them:

    moodle_backup.xml  files.xml  groups.xml  completion.xml  gradebook.xml  ...   the root task
    course/course.xml  course/inforef.xml  ...                                    the course task
    sections/section_<id>/section.xml, inforef.xml                                one per section
    activities/<mod>_<cmid>/module.xml, <mod>.xml, inforef.xml, grades.xml ...    one per activity
    files/<hash[:2]>/<sha1>                                                       each file, by content

Every restore step opens its file whether it has anything in it or not, so the empty ones are
written too. Ids are small numbers local to the backup; restore maps each to a new one. The
bytes depend only on the pack: times are the newest review date, ids follow the pack's order.
The SCORM packages under ``files/`` are stored in the backup as they are, not deflated again:
they are zips already, so a second deflate would cost about what the first did and save nothing.
"""
from __future__ import annotations

import hashlib
import json
import re
from html import escape
from pathlib import Path

from jinja2 import StrictUndefined

from coursepack.archive import write_parts_if_changed, zip_file_parts
from coursepack.builders import builds_on
from coursepack.load import LoadResult
from coursepack.render import builder_templates, shows_modules

from ..package import pack_version
from .course import SCORM, VERSION, Activity, Course, plan, slug

# The Moodle the backup says it comes from: 5.0's version numbers, so 5.0 and every later release
# restores it (restore refuses a backup newer than the site).
MOODLE = {"version": "2025041400", "release": "5.0", "wwwroot": "https://commonground.invalid"}

ROOT_SETTINGS = (     # moodle_backup.xml's root settings: no users, no logs; what is not in it is 0
    ("filename", None), ("imscc11", 0), ("users", 0), ("anonymize", 0), ("role_assignments", 0),
    ("activities", 1), ("blocks", 0), ("files", 1), ("filters", 1), ("comments", 0), ("badges", 0),
    ("calendarevents", 0), ("userscompletion", 0), ("logs", 0), ("grade_histories", 0), ("groups", 1),
    ("competencies", 0), ("customfield", 0), ("contentbankcontent", 0), ("xapistate", 0), ("legacyfiles", 0),
)

# The files each restore task opens (backup/moodle2/restore_{root,course,section,activity}_task and
# restore_final_task), each with the template that writes it ("shared/" ones are the same empty
# structure in the course and in each activity).
ROOT = {n: f"root/{n}" for n in ("moodle_backup.xml", "files.xml", "groups.xml", "roles.xml", "scales.xml",
                                 "outcomes.xml", "questions.xml", "completion.xml", "gradebook.xml", "badges.xml")}
ROOT["grade_history.xml"] = "shared/grade_history.xml"
SHARED = {n: f"shared/{n}" for n in ("roles.xml", "filters.xml", "comments.xml", "calendar.xml")}
COURSE = {**SHARED, **{n: f"course/{n}" for n in ("course.xml", "inforef.xml", "enrolments.xml", "competencies.xml",
                                                  "completiondefaults.xml", "contentbank.xml", "filters.xml")}}
SECTION = {n: f"section/{n}" for n in ("section.xml", "inforef.xml")}
ACTIVITY = {**{n: f"activity/{n}" for n in ("module.xml", "inforef.xml", "grades.xml", "competencies.xml",
                                            "completion.xml", "xapistate.xml")},
            **SHARED, "grade_history.xml": "shared/grade_history.xml"}

FILES = "files/"                  # the activities' files: the SCORM packages, zips already
COURSE_CONTEXT = 2
CONTEXT_BASE = 100                # an activity's context id: CONTEXT_BASE + its cmid


def _rule(rule: dict | None) -> str:
    return "$@NULL@$" if rule is None else json.dumps(rule, separators=(",", ":"))


# Every value goes through ``finalize``: XML-escaped as Moodle's own writer escapes text
# (``&``, ``<``, ``>``; the templates put no pack text in attributes), numbers as they are. A
# name a template uses and its context lacks is an error, not an empty string: each section's
# and activity's files are kept by what they are given (``_part``).
_ENV = builder_templates("scorm_export.moodle", autoescape=False, undefined=StrictUndefined,
                         finalize=lambda value: escape(str(value), quote=False))
_ENV.filters["rule"] = _rule

# A section's or activity's file (by path in the backup) → what it was written from, its bytes.
# A rebuild after one module's edit writes again only that module's activity: the rest of the
# course's 185 files took two thirds of the builder's time on every build.
_parts: dict[str, tuple[tuple, bytes]] = {}


def _part(path: str, template: str, context: dict) -> bytes:
    """``template`` written with ``context`` (every name it uses), or as it was for the same."""
    key = (template, tuple(context.items()))
    kept = _parts.get(path)
    if kept is None or kept[0] != key:
        kept = _parts[path] = (key, _ENV.get_template(template).render(**context).encode("utf-8"))
    return kept[1]


def file_name(result: LoadResult) -> str:
    """``<org>-<number>-<run>-<digest>[-preview].mbz``: the digest changes with any module's
    version, as in the whole-pack SCORM package's name."""
    pack = result.pack
    parts = [slug(f"{pack.course.org}-{pack.course.number}"), slug(pack.course.run), pack_version(list(pack.modules))]
    parts += [] if pack.release else ["preview"]
    return "-".join(parts) + ".mbz"


def backup_files(course: Course, name: str, author: str) -> dict[str, bytes]:
    """Every file of the backup (path → bytes)."""
    stored = []
    for a in course.activities:
        if a.data:
            stored.append({"id": len(stored) + 1, "hash": hashlib.sha1(a.data).hexdigest(), "cmid": a.cmid,
                           "contextid": CONTEXT_BASE + a.cmid, "component": f"mod_{a.modname}", "filearea": "package",
                           "name": a.package, "size": len(a.data), "mimetype": "application/zip", "data": a.data})
    grade_items = {a.cmid: n for n, a in enumerate((a for a in course.activities if a.modname == "scorm"), start=2)}
    ids = {"course": 1, "course_context": COURSE_CONTEXT}
    digest = hashlib.md5(f"{name}\n{course.version}\n{course.fullname}".encode()).hexdigest()
    common = {"course": course, "ids": ids, "moodle": MOODLE, "author": author, "scorm": SCORM}
    files: dict[str, bytes] = {}

    def write(path: str, template: str, **context) -> None:
        files[path] = _ENV.get_template(template).render(**common, **context).encode("utf-8")

    settings = [(k, name if v is None else v) for k, v in ROOT_SETTINGS]
    for path, template in ROOT.items():
        write(path, template, name=name, backup_id=digest, site_hash=hashlib.md5(digest.encode()).hexdigest(),
              root_settings=settings, files=stored, grade_total=100 * len(grade_items))
    for path, template in COURSE.items():
        write(f"course/{path}", template)
    for section in course.sections:
        for path, template in SECTION.items():
            path = f"sections/section_{section.number + 1}/{path}"
            files[path] = _part(path, template, {"section": section, "time": course.time})
    for a in course.activities:
        folder = f"activities/{a.modname}_{a.cmid}"
        context = {"a": a, "time": course.time, "moodle": MOODLE, "scorm": SCORM, "contextid": CONTEXT_BASE + a.cmid,
                   "grade_item": grade_items.get(a.cmid), "file_ids": tuple(f["id"] for f in stored if f["cmid"] == a.cmid),
                   "idnumber": _idnumber(a), "scorm_version": "SCORM_1.2" if VERSION.key == "1.2" else "SCORM_1.3"}
        for path, template in {**ACTIVITY, f"{a.modname}.xml": f"activity/{a.modname}.xml"}.items():
            files[f"{folder}/{path}"] = _part(f"{folder}/{path}", template, context)
    for f in stored:
        files[f"{FILES}{f['hash'][:2]}/{f['hash']}"] = f["data"]
    return files


def _idnumber(a: Activity) -> str:
    """The activity's ID number: the module id (or the pathway's), so reports and the gradebook
    can be matched to questions.csv and the catalogue."""
    return f"cg-{a.module.id}" if a.module else f"cg-certificate-{slug(a.pathway.role)}"


@shows_modules
@builds_on("scorm12")
def build(result: LoadResult, out: Path) -> str:
    """The ``moodle`` builder: the course backup (its SCORM packages show whole modules, and are
    the ``scorm12`` builder's: ``package.sco_members`` keeps them). Older backups of this course
    are removed, so the folder holds exactly the one to restore."""
    name = file_name(result)
    files = backup_files(plan(result), name, result.pack.publisher)
    # Written as it is assembled: the backup holds every module's package (32 MB for 500
    # modules), which the process held twice more, joined into one archive and read back.
    write_parts_if_changed(out / name, zip_file_parts(files, stored={path for path in files if path.startswith(FILES)}))
    del files
    stem = re.escape(slug(f"{result.pack.course.org}-{result.pack.course.number}"))
    for old in out.glob("*.mbz"):
        if old.name != name and re.match(rf"^{stem}-", old.name):
            old.unlink()
    return f"course backup {out / name} ({(out / name).stat().st_size / 1024:.0f} KB)"
