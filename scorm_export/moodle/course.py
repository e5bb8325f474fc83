"""The Moodle course a pack becomes, as data: sections, activities, pathway groups and the rules
that show each learner their own modules in order. ``backup`` writes it as Moodle's XML.

- Section 0 says what the course is, how the pathways work and, in a preview build, that it is
  not for learners.
- Section 1 holds every module once, in an order that agrees with every pathway. A module that
  several pathways share is one activity, so completing it counts for each of them.
- One section per pathway (its description, its modules in order, its certificate), seen only by
  the members of that pathway's group. The certificates are Custom certificate (mod_customcert)
  activities: a site without that plugin restores everything else and leaves them out (restore
  plans only the activities whose plugin the site has: restore_plan_builder::build_section_plan).

Restrict access: a module is hidden from a learner whose group's pathway does not list it, and
greyed out until they have completed the module before it in their own pathway. Course
completion: the last module of the learner's pathway, which opens only once all the others are
complete (``completion_rule`` says what happens when the pathways make that ambiguous). Each SCORM activity has the settings the coordinator guide recommends (``SCORM``).
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from markupsafe import escape

from coursepack.load import LoadResult
from coursepack.markdown_html import render_inline
from coursepack.model import Module, Pack, Pathway

from ..package import VERSIONS, module_zip, module_zip_name, pack_version, shared_members

# The SCORM package each activity holds: the guide's recommended route (one module per package).
VERSION = VERSIONS["1.2"]

# Each activity's settings (mdl_scorm columns), as docs/coordinators.md section 2 sets them in the
# activity form; the comments give the form's names. Checked in Moodle 5.0.6+.
SCORM = {
    # Appearance. "New window" at 100 % x 100 % is the only display with one scroll area and the
    # module's page buttons in view at launch (in "Current window" Moodle's frame is at least
    # 680 px tall under a 288 px header). The window opens from the learner's click on "Enter":
    # browsers block a window that opens by itself, so the structure page is never skipped.
    "popup": 1,                      # Display package: New window
    "width": 100,                    # Width: 100 (per cent of the screen)
    "height": 100,                   # Height: 100 (per cent of the screen)
    "options": "scrollbars=0,directories=0,location=0,menubar=0,toolbar=0,status=0",  # the form's defaults
    "skipview": 0,                   # Student skip content structure page: Never
    "hidebrowse": 1,                 # Disable preview mode: Yes (a "Preview" records nothing)
    "hidetoc": 3,                    # Display content structure in player: Disabled (no ">" toggle)
    "nav": 0,                        # Show Navigation: No (the module has its own page buttons)
    "navpositionleft": -100,
    "navpositiontop": -100,
    "displayattemptstatus": 1,       # Display attempt status: Dashboard and entry page
    "displaycoursestructure": 0,     # Display content structure on entry page: No
    # Grade
    "grademethod": 1,                # Grading method: Highest grade
    "maxgrade": 100,                 # Maximum grade: 100
    # Attempts management
    "maxattempt": 0,                 # Number of attempts: Unlimited
    "whatgrade": 0,                  # Attempts grading: Highest attempt
    "forcenewattempt": 1,            # Force new attempt: When previous attempt completed, passed or failed
    "lastattemptlock": 0,            # Lock after final attempt: No
    # Compatibility settings
    "forcecompleted": 0,             # Force completed: No
    "auto": 0,                       # Auto-continue: No
    "autocommit": 0,                 # Auto-commit: No
    "masteryoverride": 1,            # Mastery score overrides status: Yes
    # Completion conditions: Passed (bit 2 of completionstatusrequired; Completed, bit 4, unticked)
    "completionstatusrequired": 2,
    "completionstatusallscos": 0,
    "updatefreq": 0,                 # Auto-update frequency: Never
}


@dataclass(frozen=True)
class Group:
    """A course group per pathway: a teacher puts staff in it, and its section and certificate open to them."""
    id: int
    pathway: Pathway
    idnumber: str


@dataclass(frozen=True)
class Activity:
    """One course module: a module's SCORM package, or a pathway's certificate."""
    cmid: int
    instance: int
    modname: str                     # "scorm" or "customcert"
    name: str
    section: int                     # the section's number
    intro: str                       # HTML
    availability: dict | None
    module: Module | None = None
    pathway: Pathway | None = None
    package: str = ""                # the SCORM zip's file name
    data: bytes = b""                # the SCORM zip's bytes
    elements: tuple[dict, ...] = ()  # a certificate's design (mod_customcert elements)


@dataclass(frozen=True)
class Section:
    """A course section: the welcome (0), every module (1), then one per pathway, shown to its group."""
    number: int
    name: str
    summary: str                     # HTML
    availability: dict | None
    cmids: tuple[int, ...]


@dataclass(frozen=True)
class Course:
    fullname: str
    shortname: str
    summary: str
    time: int                        # every timestamp in the backup
    groups: tuple[Group, ...]
    sections: tuple[Section, ...]
    activities: tuple[Activity, ...]
    completion: tuple[int, ...]      # cmids whose completion completes the course
    completion_any: bool             # ANY of them (else ALL)
    version: str                     # the pack's digest (scorm_export.package.pack_version)

    def activity(self, cmid: int) -> Activity:
        return next(a for a in self.activities if a.cmid == cmid)


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def module_order(pack: Pack) -> list[Module]:
    """Every module once, in an order that keeps each pathway's own order (the modules of the
    longer pathways slot in between); the pack's order where the pathways leave it open or
    disagree (each learner's restrictions still follow their own pathway)."""
    modules = {m.id: m for m in pack.modules}
    after = {m: set() for m in modules}
    for p in pack.pathways:
        chain = [i for i in p.modules if i in modules]
        for before, later in zip(chain, chain[1:]):
            after[later].add(before)
    ordered: list[str] = []
    placed: set[str] = set()
    while len(ordered) < len(modules):
        ready = next((m for m in modules if m not in placed and after[m] <= placed), None)
        if ready is None:                                 # the pathways disagree: keep the pack's order
            return list(pack.modules)
        ordered.append(ready)
        placed.add(ready)
    return [modules[i] for i in ordered]


def _group(group_id: int) -> dict:
    return {"type": "group", "id": group_id}


def _done(cmid: int) -> dict:
    return {"type": "completion", "cm": cmid, "e": 1}


def _any(conditions: list[dict]) -> dict:
    return conditions[0] if len(conditions) == 1 else {"op": "|", "c": conditions}


def module_rule(module: Module, pathways: list[tuple[Group, list[str]]], cmids: dict[str, int]) -> dict | None:
    """Hidden unless the learner's group has this module; then greyed out until the module before
    it in their pathway is complete (several pathways with different modules before it: one
    branch per module before it)."""
    having = [(g, chain) for g, chain in pathways if module.id in chain]
    if not having:
        return None                                       # in no pathway: open to everyone
    members = _any([_group(g.id) for g, _ in having])
    before: dict[str | None, list[Group]] = {}
    for g, chain in having:
        at = chain.index(module.id)
        before.setdefault(chain[at - 1] if at else None, []).append(g)
    if set(before) == {None}:
        return {"op": "&", "showc": [False], "c": [members]}
    if len(before) == 1:
        order = _done(cmids[next(iter(before))])
    else:
        order = _any([{"op": "&", "c": [_any([_group(g.id) for g in groups]), _done(cmids[prev])]}
                      if prev else _any([_group(g.id) for g in groups]) for prev, groups in before.items()])
    return {"op": "&", "showc": [False, True], "c": [members, order]}


def completion_rule(pathways: list[tuple[Group, list[str]]], order: list[Module],
                    cmids: dict[str, int]) -> tuple[tuple[int, ...], bool]:
    """The modules whose completion completes the course, and whether ANY of them does (else
    ALL): the last module of each pathway, any of them, as each opens only when the rest of its
    pathway is complete. When the last module of one pathway comes earlier in another (so
    completing it would not mean that the other pathway is done): all the modules every pathway
    shares (none shared: no rule, the coordinator sets one). Without pathways: every module."""
    chains = [chain for _, chain in pathways if chain]
    if not chains:
        return tuple(cmids[m.id] for m in order), False
    last = {chain[-1] for chain in chains}
    if not any(m in chain[:-1] for chain in chains for m in last):
        return tuple(cmids[m.id] for m in order if m.id in last), True
    shared = set.intersection(*(set(c) for c in chains))
    return tuple(cmids[m.id] for m in order if m.id in shared), False


def _timestamp(pack: Pack) -> int:
    """Every time in the backup: the day of the newest review, so the same pack gives the same
    bytes (Moodle shows it as the backup's date)."""
    day = max(m.reviewed_on for m in pack.modules)
    return int(dt.datetime.combine(day, dt.time(), dt.timezone.utc).timestamp())


def _module_intro(module: Module) -> str:
    return f"<p>{render_inline(module.summary)}</p><p>About {module.duration} minutes.</p>"


def plan(result: LoadResult) -> Course:
    pack = result.pack
    order = module_order(pack)
    cmids = {m.id: n for n, m in enumerate(order, start=1)}
    known = set(cmids)
    groups = tuple(Group(n, p, f"cg-pathway-{slug(p.role)}") for n, p in enumerate(pack.pathways, start=1))
    pathways = [(g, [i for i in g.pathway.modules if i in known]) for g in groups]
    player = shared_members()
    activities = [Activity(cmids[m.id], cmids[m.id], "scorm", m.title, 1, _module_intro(m), module_rule(m, pathways, cmids),
                           module=m, package=module_zip_name(m), data=module_zip(result, m, VERSION, player)) for m in order]
    titles = {m.id: m.title for m in order}
    sections = [Section(0, "", _welcome(pack, groups), None, ()),
                Section(1, "Modules", "", None, tuple(cmids[m.id] for m in order))]
    for n, (g, chain) in enumerate(pathways):
        cert = []
        if chain:
            cmid = len(order) + n + 1
            rule = {"op": "&", "showc": [False, True],
                    "c": [_group(g.id), {"op": "&", "c": [_done(cmids[i]) for i in chain]}]}
            activities.append(Activity(cmid, n + 1, "customcert", f"Certificate: {g.pathway.role}", n + 2,
                                       f"<p>For completing the {escape(g.pathway.role)} pathway.</p>", rule,
                                       pathway=g.pathway, elements=certificate(pack, g.pathway, [titles[i] for i in chain])))
            cert = [cmid]
        summary = _pathway_summary(g.pathway, [titles[i] for i in chain], sum(pack.module(i).duration for i in chain))
        sections.append(Section(n + 2, f"Pathway: {g.pathway.role}", summary,
                                {"op": "&", "showc": [False], "c": [_group(g.id)]}, tuple(cert)))
    stamp = "" if pack.release else " (preview, not for learners)"
    completion, completion_any = completion_rule(pathways, order, cmids)
    return Course(
        fullname=pack.title + stamp, shortname=f"{pack.course.number}-{pack.course.run}",
        summary=_welcome(pack, groups), time=_timestamp(pack), groups=groups, sections=tuple(sections),
        activities=tuple(activities), completion=completion, completion_any=completion_any,
        version=pack_version(list(pack.modules)))


def _welcome(pack: Pack, groups: tuple[Group, ...]) -> str:
    parts = []
    if not pack.release:
        parts.append("<p><strong>Preview, not for learners.</strong> This course was built from content that has "
                     "not been approved for release. Every page of every module says so.</p>")
    if groups:
        roles = ", ".join(str(escape(g.pathway.role)) for g in groups)
        parts.append(f"<p>Each member of staff follows one pathway ({roles}). Under Modules you see the modules "
                     "of your pathway, in order: each one opens when you have passed the one before it. A module "
                     "that two pathways share is taken once and counts for both.</p>"
                     "<p>If you see no modules, ask your training coordinator to add you to your pathway's group.</p>")
    return "".join(parts)


def _pathway_summary(pathway: Pathway, titles: list[str], minutes: int) -> str:
    items = "".join(f"<li>{escape(t)}</li>" for t in titles)
    return (f"<p>{render_inline(pathway.description)}</p>"
            f"<p>Your modules, in order (about {minutes} minutes):</p><ol>{items}</ol>")


def certificate(pack: Pack, pathway: Pathway, titles: list[str]) -> tuple[dict, ...]:
    """A certificate's elements, top to bottom, centred on an A4 landscape page (mod_customcert's
    element types; a date item of -1 is the date of issue). A preview build's says so."""
    def text(name, words, y, size=14, font="freesans", colour="#000000", element="text", data=None):
        return {"name": name, "element": element, "data": words if data is None else data, "y": y,
                "size": size, "font": font, "colour": colour}
    parts = [text("Title", "Certificate of completion", 30, 30, "freesansb"),
             text("Learner", "", 62, 26, "freesansb", element="studentname"),
             text("Pathway", f"has completed the {pathway.role} pathway of", 82),
             text("Course", pack.title, 92, 16, "freesansb"),
             text("Modules", "Modules: " + "; ".join(titles) + ".", 108, 11),
             text("Date", "", 140, 12, element="date", data='{"dateitem":"-1","dateformat":"strftimedate"}'),
             text("Publisher", pack.publisher, 150, 12),
             text("Code", "", 180, 10, element="code")]
    if not pack.release:
        parts.append(text("Preview", "Preview, not for learners: this content has not been approved for release.",
                          192, 11, "freesansb", "#b00020"))
    return tuple(parts)
