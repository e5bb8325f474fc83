"""The ``facilitator`` builder: a kit for sessions people lead together, from the same Markdown.

``commonground build`` passes ``dist/facilitator``; it writes ``index.html`` (what is where) and, per module (a folder named by its
id): session plans for 90 and 45 minutes (printable HTML and Word), slides (PowerPoint), the
discussion material for facilitators, a printable handout and a co-facilitator brief; and, in
``recurring/``, a monthly learning session on adverse event reviews (from the module with a
learning review form) and a joint feedback meeting (from the module with a joint feedback form).

python-pptx and python-docx are the ``kit`` extra: without them the builder stops with one
clear line and writes nothing.
"""
from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, PackageLoader
from markupsafe import Markup

from coursepack import elements
from coursepack.archive import write_if_changed
from coursepack.assets import module_images
from coursepack.load import LoadResult
from coursepack.model import Module, Pack

from . import material
from .plan import LENGTHS, plan, slide_list
from .text import plain

STYLE = Path(__file__).parent / "static" / "kit.css"
# The content brief's section 5 (working alongside people with lived experience) and 9a.
BRIEF_SOURCES = ("S12", "S26", "S27", "S29", "S51")

_ENV = Environment(loader=PackageLoader("facilitator_export", "templates"), autoescape=True,
                   trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)


class KitUnavailable(Exception):
    """The ``kit`` extra (python-pptx, python-docx) is not installed."""


def _office():
    try:
        from . import documents, slides
    except ImportError as exc:
        raise KitUnavailable(
            f"the facilitator kit needs python-pptx and python-docx ({exc.name} is missing): "
            "pip install 'commonground[kit]', or leave the kit out with --only") from None
    return documents, slides


def _page(template: str, pack: Pack, title: str, module: Module | None = None, **ctx) -> bytes:
    html = _ENV.get_template(template).render(pack=pack, module=module, title=title,
                                              style=Markup(STYLE.read_text(encoding="utf-8")), **ctx)
    return html.encode("utf-8")


def key_points(module: Module) -> list[str]:
    return [plain(e.markdown) for e in module.elements()
            if e.kind == "callout" and e.style == "key-point"]


def glossary_used(pack: Pack, module: Module) -> list[tuple[str, str]]:
    """The glossary terms the module's learner texts mark, as the glossary spells them."""
    terms = pack.glossary_for(module)
    spelt = {k.lower(): k for k, _ in (*pack.glossary, *module.glossary)}
    used = elements.terms_marked(module.elements())     # a facilitator note marks none: learners never see it
    return [(spelt.get(t, t), terms[t]) for t in used if t in terms]


def module_files(session: material.Session, pack: Pack, images, office) -> dict[str, bytes]:
    documents, slides = office
    m = session.module
    files = {"slides.pptx": slides.pptx_bytes(session, images)}
    for minutes in LENGTHS:
        parts = plan(session, minutes)
        rows, start = [], 0
        for p in parts:
            rows.append({"part": p, "start": start, "end": start + p.minutes, "slides": slide_list(p.slides),
                         "partner": slide_list(p.partner_slides)})
            start += p.minutes
        used = {n for p in parts for n in p.slides}
        skipped = slide_list(tuple(s.number for s in session.slides if s.number not in used))
        files[f"session-plan-{minutes}.html"] = _page(
            "session_plan.html", pack, f"{m.title}: a {minutes}-minute session plan", m, minutes=minutes,
            parts=rows, skipped=skipped, outcomes=[plain(o) for o in m.outcomes], content_note=plain(m.content_note),
            ground_rules=material.GROUND_RULES, slides=session.slides)
        files[f"session-plan-{minutes}.docx"] = documents.plan_docx(session, pack, minutes, parts)
    files["discussion.html"] = _page("discussion.html", pack, f"{m.title}: discussion material", m,
                                     items=session.discussions())
    files["handout.html"] = _page("handout.html", pack, f"{m.title}: handout", m, key_points=key_points(m),
                                  glossary=glossary_used(pack, m))
    sources = {s.key: s for mod in pack.modules for s in mod.sources}
    files["co-facilitator-brief.html"] = _page(
        "brief.html", pack, f"{m.title}: co-facilitator brief", m,
        partner=[s for s in session.slides if s.lead == material.PARTNER], sources=sources, source_keys=BRIEF_SOURCES)
    return files


def recurring_files(pack: Pack) -> dict[str, bytes]:
    """The two recurring sessions, each from the first module holding the form it builds on."""
    files = {}
    for module in pack.modules:
        kinds = {e.kind: e for e in module.elements()}
        review = kinds.get("learning_review")
        if review is not None and "adverse-event-learning-session.html" not in files:
            headings = [f.label for f in getattr(review, "fields", ()) if getattr(f, "type", "") == "text"]
            files["adverse-event-learning-session.html"] = _page(
                "adverse_events.html", pack, "A monthly learning session on adverse event reviews", module,
                review=review, headings=headings)
        feedback = kinds.get("joint_feedback")
        if feedback is not None and "joint-feedback-meeting.html" not in files:
            fields = {f.name: f for f in getattr(feedback, "fields", ())}
            categories = [label for _, label in getattr(fields.get("category"), "options", ())]
            files["joint-feedback-meeting.html"] = _page(
                "joint_feedback.html", pack, "A joint feedback meeting between mental health and substance use services",
                module, form_title=getattr(feedback, "title", "Feedback between services"), categories=categories)
    return files


def kit_files(result: LoadResult) -> dict[str, bytes]:
    """Every file of the kit, by its path under the kit's folder."""
    office = _office()
    pack = result.pack
    files: dict[str, bytes] = {}
    listed = []
    for module in pack.modules:
        images = {a.written: a for a in module_images(result, module)}
        session = material.session(module, pack)
        mine = module_files(session, pack, images, office)
        files.update({f"{module.id}/{name}": data for name, data in mine.items()})
        listed.append((module, sorted(mine)))
    recurring = recurring_files(pack)
    files.update({f"recurring/{name}": data for name, data in recurring.items()})
    files["index.html"] = _page("index.html", pack, "Facilitator kit", modules=listed, recurring=sorted(recurring))
    return files


def build(result: LoadResult, out: Path) -> str:
    try:
        files = kit_files(result)
    except KitUnavailable as exc:
        import click    # only the command runs builders, and it has click
        raise click.ClickException(str(exc)) from None
    changed = sum(write_if_changed(out / name, data) for name, data in sorted(files.items()))
    return (f"{len(files)} file(s) for {len(result.pack.modules)} module(s) in {out} "
            f"({changed} written)")
