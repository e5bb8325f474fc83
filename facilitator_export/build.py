"""The ``facilitator`` builder: a kit for sessions people lead together, from the same Markdown.

``commonground build`` passes ``dist/facilitator``; it writes ``index.html`` (what is where) and, per module (a folder named by its
id): session plans for 90 and 45 minutes (printable HTML and Word), slides (PowerPoint), the
discussion material for facilitators, a printable handout and a co-facilitator brief; and, in
``recurring/``, a monthly learning session on adverse event reviews (from the module with a
learning review form) and a joint feedback meeting (from the module with a joint feedback form).

The slides and Word plans are copied from prototype documents python-pptx and python-docx made
once, shipped with the kit (``prototypes``, ``office``): a build imports neither library, but
for python-pptx to size a picture a slide shows (``slides.picture_reader``). Without it (the
``kit`` extra), a pack with such a picture stops with one clear line and writes nothing.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from markupsafe import Markup

from coursepack import elements, markdown_html
from coursepack.archive import file_stamp, write_if_changed
from coursepack.assets import Asset, module_images
from coursepack.load import LoadResult
from coursepack.model import Module, Pack
from coursepack.processes import fork_map, jobs
from coursepack.render import builder_templates, pack_identity

from . import documents, material, slides
from .plan import LENGTHS, plan, slide_list
from .text import plain

STYLE = Path(__file__).parent / "static" / "kit.css"
# The content brief's section 5 (working alongside people with lived experience) and 9a.
BRIEF_SOURCES = ("S12", "S26", "S27", "S29", "S51")

_ENV = builder_templates("facilitator_export", autoescape=True)


@lru_cache(maxsize=1)
def _style() -> Markup:
    """The kit's style sheet, read once per process (every page holds it)."""
    return Markup(STYLE.read_text(encoding="utf-8"))


def _page(template: str, pack: Pack, title: str, module: Module | None = None, **ctx) -> bytes:
    html = _ENV.get_template(template).render(pack=pack, module=module, title=title, style=_style(), **ctx)
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


def module_files(session: material.Session, pack: Pack, images, cited: dict) -> dict[str, bytes]:
    """A module's files (``cited``: ``brief_sources``, listed once for the whole pack)."""
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
    files["co-facilitator-brief.html"] = _page(
        "brief.html", pack, f"{m.title}: co-facilitator brief", m,
        partner=[s for s in session.slides if s.lead == material.PARTNER], sources=cited,
        source_keys=BRIEF_SOURCES)
    return files


def brief_sources(pack: Pack) -> dict:
    """The sources the co-facilitator brief cites, as the pack's modules list them."""
    listed = {s.key: s for mod in pack.modules for s in mod.sources}
    return {k: listed[k] for k in BRIEF_SOURCES if k in listed}


# module id → (what its files were made from, each file's name → its size and time stamp as
# written): see ``write_module_kits``. Only stamps: the files themselves are on disk.
_written: dict[str, tuple[tuple, dict[str, tuple[int, int]]]] = {}


def _made_from(result: LoadResult, module: Module, cited: dict) -> tuple[tuple, tuple[Asset, ...]]:
    """Everything a module's kit files are made from, as the SCORM builders key a module's SCO
    (``scorm_export.package.sco_members``): the module (the model is immutable, so equal
    modules mean equal bytes), what of the pack shows on its pages (``pack_identity``), its
    pictures (checked again on every build) and the sources the brief cites from any module."""
    images = tuple(module_images(result, module))
    return (module, pack_identity(result.pack), images, tuple(cited.items())), images


def _module_kit(result: LoadResult, module: Module, images: tuple[Asset, ...], cited: dict) -> dict[str, bytes]:
    session = material.session(module, result.pack)
    return module_files(session, result.pack, {a.written: a for a in images}, cited)


# Fewest modules worth forking for. A module's kit takes 50 to 120 ms of CPU (its deck about
# 9 ms and its Word plans 1 ms each since they are written from prototypes; most of the rest is
# its text's Markdown, rendered here unless a builder rendered the pages first), and forking a
# process about 30 ms: two modules a process still gain, so 8 modules on 2 cores are shared.
MODULES_PER_PROCESS = 2


def _still_written(folder: Path, stamps: dict[str, tuple[int, int] | None]) -> bool:
    """Every file as this process wrote it (a build into another folder, or after a file was
    removed or changed, makes the module's files again)."""
    return all(stamp is not None and file_stamp(folder / name) == stamp for name, stamp in stamps.items())


def write_module_kits(result: LoadResult, out: Path) -> tuple[list[tuple[Module, list[str]]], int]:
    """Each module's files, written to ``out/<module id>/`` as soon as they are made; (each
    module with its file names, how many files changed). A module whose inputs are unchanged
    since this process wrote its files, and whose files are still as written, is not made again
    (a rebuild after one page's edit makes one module's kit). The rest are shared among the
    machine's cores (``coursepack.processes``): the same bytes as in one process, since each
    module's files are a function of that module's inputs alone. Files are written as each
    module comes back, so the kit of a catalogue of hundreds of modules (a third of a megabyte
    each) is never all in memory."""
    cited = brief_sources(result.pack)
    keys = {m.id: _made_from(result, m, cited) for m in result.pack.modules}
    todo = [m for m in result.pack.modules
            if _written.get(m.id, (None,))[0] != keys[m.id][0] or not _still_written(out / m.id, _written[m.id][1])]
    count = min(jobs(), len(todo) // MODULES_PER_PROCESS)
    if todo:
        for writer in (documents, slides):        # the prototypes, read here once, not in every forked process
            writer.prototype()
    if count > 1:       # likewise the Markdown converter (its extensions' imports) and the templates
        markdown_html.prepare()
        for name in _ENV.list_templates(extensions=["html"]):
            _ENV.get_template(name)
    if any(a.media in slides.RASTER for m in todo for a in keys[m.id][1]):
        slides.picture_reader()     # likewise python-pptx, or KitUnavailable before anything is written
    made = fork_map(lambda m: _module_kit(result, m, keys[m.id][1], cited), todo, count)
    changed = 0
    for module, files in zip(todo, made):
        folder = out / module.id
        changed += sum(write_if_changed(folder / name, data) for name, data in sorted(files.items()))
        _written[module.id] = (keys[module.id][0], {name: file_stamp(folder / name) for name in files})
    return [(m, sorted(_written[m.id][1])) for m in result.pack.modules], changed


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


def build(result: LoadResult, out: Path) -> str:
    try:
        listed, changed = write_module_kits(result, out)
    except slides.KitUnavailable as exc:
        import click    # only the command runs builders, and it has click
        raise click.ClickException(str(exc)) from None
    pack = result.pack
    recurring = recurring_files(pack)
    files = {f"recurring/{name}": data for name, data in recurring.items()}
    files["index.html"] = _page("index.html", pack, "Facilitator kit", modules=listed, recurring=sorted(recurring))
    changed += sum(write_if_changed(out / name, data) for name, data in sorted(files.items()))
    count = len(files) + sum(len(names) for _, names in listed)
    return f"{count} file(s) for {len(pack.modules)} module(s) in {out} ({changed} written)"
