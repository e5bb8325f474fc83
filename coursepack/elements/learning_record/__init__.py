"""Record of learning: a "Save your record of learning" panel an author puts on a module's last
page, where a learner makes a record to take to their regulator (NMC, HCPC, SSSC): a printable
page (A4) and a Word document they can edit.

Once the module is complete the same panel offers a printable certificate of completion (A4),
with a name the learner may type (never saved or sent); it says the learning system's record is
the official one, or that no learning system recorded it.

Syntax: ``::: learning-record``, an optional introduction, then ``:::``; ``scope=pathway`` (the
last module of the pack, "Your learning pathway") adds a record of a whole pathway, and a
certificate for a whole pathway where the host can see that every module of it is complete (the
preview site, which keeps every module's progress in the same browser). A SCORM package or an
Open edX page sees only its own module, so there the panel says that such a certificate comes
from the learning system.

Why a kind and not part of the module shell: the record must be offered in every delivery, and
only a kind reaches them all (the shell is SCORM's and the preview's; Open edX shows a page's
elements in blocks), and an author chooses where it goes like any other element. It keeps no
state of its own, so it is a content kind: it reads what the learner already has. Its widget asks
its host for the record (``ctx.record()``): the module shell builds it on the device from the
state there (nothing is sent), an Open edX page from the learner's own data through a handler
that only that learner may call. The document is written in the browser (``widget.js``, with no
library and no network): the learner's words never travel to be formatted.

What the record holds of the module and the pack (``facts``) is handed to the host beside the
page: the module's id, title and version, its notional learning time, its outcomes, and the
pathways it is in with their levels in the pack's own words (never an NTTP level). What is said
of each regulator is only what the content brief (section 7a) supports, in ``STRINGS``.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..kind import ContentKind, Element

SCOPES = ("module", "pathway")


@dataclass(frozen=True)
class LearningRecord(Element):
    kind = "learning_record"
    intro: str = ""
    scope: str = "module"


def read(p, block, ident, options, line, body):
    scope = options.get("scope", "module")
    if scope not in SCOPES:
        p.diags.error(line.file, line.no, "bad-option", f"'scope' must be one of: {', '.join(SCOPES)}",
                      "scope=pathway adds a record of a whole pathway (for the pack's last module)")
        scope = "module"
    return LearningRecord(p.text(body), scope, line=line.no)


def hours(minutes: int) -> float:
    """Notional learning time in hours, to two places (25 minutes: 0.42)."""
    return round(minutes / 60, 2)


def facts(module, pack) -> dict:
    """What the record says of the module and the pack, for the host to hand the widget (the
    same in every delivery). ``publisher`` and ``preview`` (a build that is not ``--release``) are
    for the certificate of completion. ``pathways``: the pathways the module is in; ``allPathways``, for a
    record of a whole pathway, each pathway of the pack with its modules and their time."""
    by_id = {m.id: m for m in pack.modules}
    data = {"pack": pack.title, "publisher": pack.publisher, "preview": not pack.release, "id": module.id, "title": module.title, "version": module.version,
            "minutes": module.duration, "hours": hours(module.duration), "outcomes": list(module.outcomes),
            "pathways": [{"role": w.role, "level": w.level} for w in pack.pathways if module.id in w.modules]}
    if any(getattr(e, "scope", "") == "pathway" for e in module.elements(LearningRecord)):
        data["allPathways"] = [{
            "role": w.role, "level": w.level,
            "minutes": sum(by_id[m].duration for m in w.modules if m in by_id),
            "hours": hours(sum(by_id[m].duration for m in w.modules if m in by_id)),
            "modules": [{"id": m, "title": by_id[m].title, "version": by_id[m].version,
                         "minutes": by_id[m].duration, "hours": hours(by_id[m].duration)}
                        for m in w.modules if m in by_id]} for w in pack.pathways]
    return data


# The texts the widget script shows and writes into the record (its markup's are in widget.html);
# what each says of a regulator is what the content brief (section 7a) supports, and each points
# to the regulator's own guidance.
STRINGS = (
    "Your record is ready. Open the printable page or download the Word document.",
    "Your record could not be made: {reason}",
    "Record of learning: {title}",
    "Record of learning: the {role} pathway",
    "Training", "Module", "Version", "Dates", "Started on {start}, record made on {end}", "Record made on {end}",
    "Notional learning time", "{minutes} minutes ({hours} hours)",
    "How I took part", "Self-directed e-learning, on my own", "A facilitated session with others",
    "Result", "Completed. Score {score}% (pass mark {pass}%).", "Not finished yet: pages viewed {seen} of {total}, questions answered {answered} of {questions}.",
    "Your learning system holds your result (see its progress page).",
    "Pathway and level", "{role} pathway ({level} level)",
    "The levels are this training's own. They are not levels of the National Trauma Transformation Programme.",
    "Outcomes", "By the end you will be able to:",
    "NMC: CPD log entry", "CPD method", "Topic, and how it relates to my practice",
    "Number of hours", "Participatory hours",
    "0: e-learning on your own is not participatory learning for the NMC.",
    "Up to {hours}, if you learned with one or more other professionals.",
    "Part of the Code most relevant", "Evidence",
    "This record, and the completion record in your learning system.",
    "[Yours to write]",
    "For NMC revalidation, every 3 years, you need 35 hours of CPD. At least 20 of them must be participatory: learning that involves interacting with one or more other professionals, in person or online. E-learning on your own is not participatory. A facilitated session with others can be.",
    "You also need 5 written reflective accounts on the NMC's form, each relating to the Code. Use the NMC's own forms and guidance (How to revalidate with the NMC).",
    "NMC: reflective account (draft)",
    "Drafted from your own reflections in this module, for you to edit. Copy it onto the NMC's reflective account form and use that form's own headings.",
    "How this relates to the Code",
    "Relating your account to the Code is yours to write. Read the Code on the NMC's website.",
    "You did not save any reflections in this module, so there is nothing to draft from. Write your own account on the NMC's form.",
    "HCPC: CPD record entry", "Activity", "Type of learning activity", "What I learned",
    "How it improves the quality of my practice and service delivery", "How it benefits the people who use my service",
    "The HCPC asks you to keep a continuous, up-to-date and accurate record of your CPD, with a mixture of learning activities relevant to your current or future practice. If your record is chosen for audit, you present a written profile with evidence. See the HCPC's Standards of continuing professional development.",
    "SSSC: continuous professional learning (CPL) entry", "Learning activity", "Time spent",
    "How it relates to my role and the core learning elements for it",
    "The SSSC's continuous professional learning (CPL) focuses on the core learning elements for your role and career stage, not a count of hours. You can record it in any way: your employer's system, a learning journal or the SSSC's tools. If you are asked for your CPL details at your annual declaration, your employer verifies them. See the SSSC's own guidance on CPL.",
    "Your reflections", "These are your own words, as you saved them. Reflections you did not write are left out.",
    "You did not save any reflections in this module.",
    "Modules in this pathway", "Total notional learning time", "Completed on",
    "This record can only see this module. Copy the dates you completed the other modules from your learning system.",
    "A whole pathway: {role} ({level} level)",
    "This record was made by the learner from the Common Ground training. It is not a certificate; your learning system's record is the official one.",
    # the certificate of completion (a printable page, only once the module is complete)
    "You can print a certificate once you have finished this module: view every page and answer every knowledge check.",
    "Your learning system gives the certificates for this course. See its progress page.",
    "You have finished this module, so you can print a certificate of completion.",
    "Your certificate is ready. Open it in a new tab to print it.",
    "Certificate of completion", "This is to say that", "completed the training module",
    "Date completed", "Publisher", "Name: ____________________________",
    "This certificate is for your own records. The official record of your learning is the one in your learning system (LMS).",
    "This certificate is for your own records. No learning system recorded this learning: it was done in a copy of the training that runs on its own, so there is no official record of it.",
    # the certificate for a whole pathway (scope=pathway), where the host sees every module's completion
    "completed every module of the pathway",
    "This copy of the training can see the modules you finished in this browser only.",
    "{role} pathway: {done} of {total} modules finished. Still to finish: {modules}.",
    "Make a certificate for the whole {role} pathway",
    "Your certificate for the {role} pathway is ready. Open it in a new tab to print it.",
    "This page cannot see your other modules, so it cannot make a certificate for a whole pathway. Certificates come from your learning system: for example, Moodle gives one for each pathway, and Open edX one for the whole course.",
)


KIND = ContentKind(name="learning_record", model=LearningRecord, texts=lambda e: iter((e.intro,)), read=read,
                   blocks={"learning-record": ("scope",)}, strings=STRINGS, facts=facts)
