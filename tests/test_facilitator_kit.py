"""The facilitator kit from ``commonground build`` (dist/facilitator): every slide deck and Word
plan opens in python-pptx / python-docx, slides have titles, speaker notes and alt text and never
show what the group should reach itself, the bytes are the same on every build, and LibreOffice
turns the slides and handouts into PDF pages that poppler can render."""
from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import html as lxml_html

from coursepack import elements
from coursepack.archive import zip_bytes
from coursepack.cli import main as cli
from coursepack.load import require_pack
from coursepack.model import Page

from support import CONTENT, REPO

pptx = pytest.importorskip("pptx", reason="python-pptx is missing: pip install -e '.[kit]'")
docx = pytest.importorskip("docx", reason="python-docx is missing: pip install -e '.[kit]'")

from facilitator_export import material  # noqa: E402  (after the extra's check)
from facilitator_export.text import plain  # noqa: E402
from pptx.oxml.ns import qn  # noqa: E402

PACK = require_pack(CONTENT).pack
FIXTURE = REPO / "tests" / "fixtures" / "pack"


def _build(pack_dir: Path, out: Path) -> Path:
    outcome = CliRunner().invoke(cli, ["build", str(pack_dir), "--out", str(out), "--only", "facilitator"])
    assert outcome.exit_code == 0, outcome.output
    return out / "facilitator"


@pytest.fixture(scope="module")
def kit(tmp_path_factory):
    return _build(CONTENT, tmp_path_factory.mktemp("dist"))


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _slide_text(slide) -> str:
    return " ".join(" ".join(sh.text_frame.text.split()) for sh in slide.shapes if sh.has_text_frame)


def _uncited(text: str) -> str:
    """Text without its citation marks ([S21]), as slides and the hidden texts below hold it."""
    return " ".join(re.sub(r"\[S\d+[a-z]?\]", " ", text).split())


def _hidden_texts(module) -> list[str]:
    """What only the facilitator may see: every scenario choice's feedback and ending, every
    question's option feedback and explanation (as plain text, the way slides hold text)."""
    hidden = []
    for e in module.elements():
        if e.kind == "scenario":
            hidden += [plain(c.feedback) for s in e.steps for c in s.choices]
            hidden += [plain(s.text) for s in e.steps if s.ending]
        elif e.kind in ("question", "order"):
            options = e.options if e.kind == "question" else e.items
            hidden += [plain(o.feedback) for o in options] + [plain(e.explanation)]
    return [h for h in hidden if len(h.split()) >= 4]


def test_every_module_gets_its_files_and_the_recurring_sessions(kit):
    names = set(_files(kit))
    per_module = {"slides.pptx", "session-plan-90.html", "session-plan-90.docx", "session-plan-45.html",
                  "session-plan-45.docx", "discussion.html", "handout.html", "co-facilitator-brief.html"}
    for m in PACK.modules:
        assert {f"{m.id}/{n}" for n in per_module} <= names
    assert {"recurring/adverse-event-learning-session.html", "recurring/joint-feedback-meeting.html"} <= names
    index = lxml_html.fromstring((kit / "index.html").read_bytes())
    assert {a.get("href") for a in index.xpath("//a")} == names - {"index.html"}


def test_slides_have_titles_notes_readable_text_and_reveal_no_answer(kit):
    for m in PACK.modules:
        deck = pptx.Presentation(str(kit / m.id / "slides.pptx"))
        hidden = _hidden_texts(m)
        assert hidden, f"{m.id}: the module has answers to keep off the slides"
        notes_all = " ".join(" ".join(s.notes_slide.notes_text_frame.text.split()) for s in deck.slides)
        for n, slide in enumerate(deck.slides, 1):
            title = slide.shapes.title
            assert title is not None and title.text.strip(), f"{m.id} slide {n} has no title"
            assert slide.has_notes_slide and slide.notes_slide.notes_text_frame.text.strip(), f"{m.id} slide {n}: no notes"
            text = _slide_text(slide)
            for h in hidden:
                assert h not in text, f"{m.id} slide {n} ({title.text}) shows what the group should reach: {h!r}"
            for shape in slide.shapes:
                runs = [r for p in shape.text_frame.paragraphs for r in p.runs] if shape.has_text_frame else []
                least = 24 if shape is title else 12 if "· slide" in shape.text_frame.text else 20
                assert all(r.font.size is None or r.font.size.pt >= least for r in runs), \
                    f"{m.id} slide {n}: text under {least} pt"
        # What the slides leave out is in the notes: the group's answers reach the facilitator.
        assert all(h in _uncited(notes_all) for h in hidden), f"{m.id}: an answer is missing from the speaker notes"


def test_scenarios_are_group_decisions_with_outcomes_in_the_notes_only(kit):
    m = PACK.module("adverse-events")
    deck = pptx.Presentation(str(kit / m.id / "slides.pptx"))
    scenario = next(m.elements(elements.BY_NAME["scenario"].model))
    steps = [s for s in deck.slides if s.shapes.title.text.startswith("Scenario:")]
    assert len(steps) == sum(not s.ending for s in scenario.steps)
    for slide, step in zip(steps, [s for s in scenario.steps if not s.ending]):
        text = _slide_text(slide)
        assert all(plain(c.text) in text for c in step.choices) and "Decide together" in text
        assert "leads to" in slide.notes_slide.notes_text_frame.text


def test_pictures_keep_their_alt_text(tmp_path):
    kit = _build(FIXTURE, tmp_path)
    pack = require_pack(FIXTURE).pack
    module = next(m for m in pack.modules if any("![" in getattr(e, "markdown", "") for e in m.elements()))
    deck = pptx.Presentation(str(kit / module.id / "slides.pptx"))
    pictures = [sh for s in deck.slides for sh in s.shapes if sh.shape_type == pptx.enum.shapes.MSO_SHAPE_TYPE.PICTURE]
    assert pictures, "the fixture's PNG is on a slide"
    assert all(p._element.nvPicPr.cNvPr.get("descr") == "A blue square on white" for p in pictures)


def test_word_plans_open_and_their_timings_add_up(kit):
    for m in PACK.modules:
        for minutes in (90, 45):
            doc = docx.Document(str(kit / m.id / f"session-plan-{minutes}.docx"))
            assert doc.core_properties.title == f"{m.title}: {minutes}-minute session plan"
            table = doc.tables[0]
            ends = [int(r.cells[0].text.split(" to ")[1].split()[0]) for r in table.rows[1:]]
            assert ends[-1] == minutes and ends == sorted(ends)
            headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
            assert {"Aims", "Timings", "Ground rules", "Close: signpost support"} <= set(headings)
            section = doc.sections[0]
            assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)


def test_html_plans_discussion_and_handout_say_what_the_module_says(kit):
    for m in PACK.modules:
        plan = lxml_html.fromstring((kit / m.id / "session-plan-90.html").read_bytes())
        words = " ".join(plan.text_content().split())
        assert all(plain(o) in words for o in m.outcomes)
        assert all(line.contact in words for line in PACK.support_lines)
        handout = " ".join(lxml_html.fromstring((kit / m.id / "handout.html").read_bytes()).text_content().split())
        assert all(s.title in handout for s in m.sources)
        discussion = " ".join(lxml_html.fromstring((kit / m.id / "discussion.html").read_bytes()).text_content().split())
        assert all(h in _uncited(discussion) for h in _hidden_texts(m))
    handout = (kit / "adverse-events" / "handout.html").read_text()
    assert "<strong>SAER</strong>" in handout        # the glossary's own spelling


def test_the_co_facilitator_brief_and_recurring_sessions(kit):
    brief = (kit / "working-together" / "co-facilitator-brief.html").read_text()
    for needed in ("preparation meeting", "never have to tell their story", "Debrief", "Payment or recognition",
                   "the brief sets no rate"):
        assert needed in brief
    review = next(e for m in PACK.modules for e in m.elements() if e.kind == "learning_review")
    session = (kit / "recurring" / "adverse-event-learning-session.html").read_text()
    assert all(f.label in lxml_html.fromstring(session).text_content() for f in review.fields if f.type == "text")
    assert "Who was hurt?" in session and "60 minutes" in session
    meeting = lxml_html.fromstring((kit / "recurring" / "joint-feedback-meeting.html").read_bytes()).text_content()
    assert "item, kind, service, month, status and reply" in meeting and "You said, we did" in meeting
    assert all(label in meeting for label in ("A risk", "An improvement idea", "Good practice to share"))


def test_same_bytes_on_every_build(kit, tmp_path):
    again = _build(CONTENT, tmp_path)
    first, second = _files(kit), _files(again)
    assert first.keys() == second.keys()
    assert [n for n in first if first[n] != second[n]] == []


def test_facilitator_notes_go_to_the_speaker_notes_only():
    """Notes of the ``facilitator`` kind join the notes of the slide before them and are never
    shown."""
    note = elements.BY_NAME[material.FACILITATOR_KIND].model("Ask the group what **blame** feels like.", line=3)
    prose = elements.BY_NAME["prose"].model
    page = Page("p", "A page", (prose("Some words on a page for the group.", line=1), note))
    slides, used = material.page_slides(page)
    assert used == 1
    assert "Facilitator's note: Ask the group what blame feels like." in slides[0].notes
    assert all("blame feels" not in l.text for s in slides for l in s.body)


def test_a_pack_without_facilitator_notes_still_gets_a_kit(tmp_path):
    pack = require_pack(FIXTURE).pack
    assert not any(e.kind == material.FACILITATOR_KIND for m in pack.modules for e in m.elements())
    kit = _build(FIXTURE, tmp_path)
    for m in pack.modules:
        assert (kit / m.id / "slides.pptx").is_file() and (kit / m.id / "handout.html").is_file()


def test_a_build_imports_neither_library(tmp_path):
    """The shipped pack's kit, built in a fresh interpreter, imports neither python-pptx nor
    python-docx (nor the Pillow under python-pptx): no slide shows a raster picture, and the
    decks and plans are copied from the shipped prototypes. Importing the libraries and making
    the prototypes with them cost a cold build about a quarter of a second of CPU."""
    code = ("import json, sys; from coursepack.cli import main; "
            f"main(['build', {str(CONTENT)!r}, '--out', {str(tmp_path)!r}, '--only', 'facilitator'], standalone_mode=False); "
            "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, cwd=REPO, check=True)
    loaded = set(json.loads(run.stdout.strip().splitlines()[-1]))
    assert "facilitator_export" in loaded
    assert not loaded & {"pptx", "docx", "PIL"}, f"a cold build of the kit imported {sorted(loaded & {'pptx', 'docx', 'PIL'})}"
    assert all((tmp_path / "facilitator" / m.id / "slides.pptx").is_file() for m in PACK.modules)
    assert all((tmp_path / "facilitator" / m.id / "session-plan-90.docx").is_file() for m in PACK.modules)


def test_a_missing_kit_extra_is_one_clear_line(tmp_path):
    """python-pptx hidden from the process, and a pack with a PNG on a slide (which python-pptx
    sizes): exit 1, a sentence naming the extra, nothing written."""
    code = ("import sys; sys.modules['pptx'] = None; from coursepack.cli import main; "
            f"sys.argv = ['commonground', 'build', {str(FIXTURE)!r}, '--out', {str(tmp_path)!r}, '--only', 'facilitator']; main()")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, cwd=REPO)
    assert run.returncode == 1
    assert "commonground[kit]" in run.stderr and "picture" in run.stderr and "Traceback" not in run.stderr
    assert not (tmp_path / "facilitator").exists()


def test_the_shipped_prototypes_are_what_the_libraries_make(tmp_path):
    """``static/prototype/`` holds what python-pptx and python-docx make today (a library
    upgrade that changes a part fails here, naming the command that makes them again), and the
    kit's constants taken from the libraries are theirs: where the body placeholder sits, the
    picture and text box ``add_picture`` and ``add_textbox`` add, the relationship types and the
    paragraph styles' ids."""
    from lxml import etree
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT
    from pptx.oxml.shapes.autoshape import CT_Shape
    from pptx.oxml.shapes.picture import CT_Picture
    from pptx.util import Inches
    from facilitator_export import documents, prototypes, slides
    from facilitator_export.office import PROTOTYPES
    stale = sorted(prototypes.stale())
    assert not stale, f"{stale} differ from what the installed libraries make: run scripts/kit-prototypes and commit them"
    deck = pptx.Presentation(str(PROTOTYPES / "deck.pptx"))
    body = deck.slides[0].placeholders[1]
    assert slides.FRAME == (body.left, body.top, body.width, body.height)
    picture = etree.fromstring(slides._PICTURE.format(x=1, y=2, cx=3, cy=4))
    assert etree.tostring(picture) == etree.tostring(CT_Picture.new_pic(3, "Picture 2", "", "rId2", 1, 2, 3, 4))
    box = etree.fromstring(slides._TEXT_BOX.format(x=1, y=2, cx=3))
    assert etree.tostring(box) == etree.tostring(CT_Shape.new_textbox_sp(3, "TextBox 2", 1, 2, 3, Inches(1)))
    assert (slides.IMAGE, slides.NOTES_SLIDE, slides.SLIDE_TYPE) == (RT.IMAGE, RT.NOTES_SLIDE, RT.SLIDE)
    plan = docx.Document(str(PROTOTYPES / "plan.docx"))
    assert documents.STYLES == {name: plan.styles[name].style_id for name in documents.STYLES}
    # The check can fail: a prototype with one part changed is stale, one missing too.
    shutil.copyfile(PROTOTYPES / "deck.pptx", tmp_path / "deck.pptx")
    with zipfile.ZipFile(PROTOTYPES / "plan.docx") as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts["word/document.xml"] = parts["word/document.xml"].replace(b"Who leads", b"Who leads it")
    (tmp_path / "plan.docx").write_bytes(zip_bytes(parts))
    assert sorted(prototypes.stale(tmp_path)) == ["plan.docx"]
    (tmp_path / "deck.pptx").unlink()
    assert sorted(prototypes.stale(tmp_path)) == ["deck.pptx", "plan.docx"]


def test_a_fault_in_the_kits_own_code_is_not_reported_as_a_missing_extra(tmp_path):
    """One of the kit's own modules failing to import is a fault to fix, not the extra to install."""
    code = ("import sys; sys.modules['facilitator_export.office'] = None; from coursepack.cli import main; "
            f"sys.argv = ['commonground', 'build', {str(FIXTURE)!r}, '--out', {str(tmp_path)!r}, '--only', 'facilitator']; main()")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, cwd=REPO)
    assert run.returncode != 0
    assert "facilitator_export.office" in run.stderr and "commonground[kit]" not in run.stderr


def test_the_kit_loads_no_other_delivery():
    probe = ("import importlib, pkgutil, sys, json, facilitator_export\n"
             "for i in pkgutil.walk_packages(facilitator_export.__path__, 'facilitator_export.'):\n"
             "    importlib.import_module(i.name)\n"
             "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=240, cwd=REPO)
    loaded = set(__import__("json").loads(out.stdout.strip().splitlines()[-1]))
    assert "facilitator_export" in loaded and not loaded & {"xblocks", "xblock", "scorm_export"}


@pytest.mark.skipif(shutil.which("soffice") is None,
                    reason="LibreOffice is not installed (Debian: apt-get install libreoffice-impress libreoffice-writer)")
@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm is not installed (Debian: apt-get install poppler-utils)")
def test_libreoffice_turns_slides_and_handouts_into_pages(kit, tmp_path):
    sources = []
    for m in PACK.modules:
        for name in ("slides.pptx", "handout.html"):
            target = tmp_path / "in" / f"{m.id}-{name}"
            target.parent.mkdir(exist_ok=True)
            shutil.copyfile(kit / m.id / name, target)
            sources.append(target)
    profile = tmp_path / "profile"      # its own profile: another soffice running elsewhere is no matter
    subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path / "pdf"), *map(str, sources)],
                   capture_output=True, text=True, timeout=900, check=True)
    for source in sources:
        pdf = tmp_path / "pdf" / (source.stem + ".pdf")
        assert pdf.is_file() and pdf.stat().st_size > 2000, f"LibreOffice did not convert {source.name}"
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        pages = int(next(l for l in info.splitlines() if l.startswith("Pages:")).split()[1])
        if source.suffix == ".pptx":
            deck = pptx.Presentation(str(source))
            assert pages == len(deck.slides), f"{source.name}: {pages} pages for {len(deck.slides)} slides"
        else:
            assert "595" in info and "841" in info, f"{source.name} is not A4"   # 595 x 842 pt
        png = tmp_path / "png" / source.stem
        png.parent.mkdir(exist_ok=True)
        subprocess.run(["pdftoppm", "-r", "40", "-png", "-singlefile", "-f", "1", "-l", "1", str(pdf), str(png)],
                       check=True, timeout=120)
        assert png.with_suffix(".png").stat().st_size > 1000


def test_a_rebuild_remakes_the_kit_of_the_edited_module_only(tmp_path, monkeypatch):
    """One page edited: that module's files change and are made again, and no other module's
    are made. A change to what every module shows (the support lines) makes every module's
    files again, and so does a file removed from the folder. Each result is what a build from
    nothing gives."""
    from facilitator_export import build as kit
    made = []
    real = kit.module_files
    monkeypatch.setattr(kit, "module_files", lambda session, *a: made.append(session.module.id) or real(session, *a))
    monkeypatch.setattr(kit, "jobs", lambda: 1)     # in this process, where the spy sees every module
    pack_dir, out = tmp_path / "pack", tmp_path / "dist"
    shutil.copytree(FIXTURE, pack_dir)

    def rebuild() -> tuple[list[str], dict[str, bytes]]:
        made.clear()
        kit.build(require_pack(pack_dir), out)
        return sorted(made), _files(out)

    modules, first = rebuild()
    assert "folder-mod" in modules and "every-element" in modules
    page = pack_dir / "modules" / "every-element.md"
    page.write_text(page.read_text().replace("Plain prose with", "Edited plain prose with", 1))
    remade, second = rebuild()
    assert remade == ["every-element"]
    assert all(data == first[name] for name, data in second.items() if name.startswith("folder-mod/"))
    deck = pptx.Presentation(io.BytesIO(second["every-element/slides.pptx"]))
    assert any("Edited plain prose" in _slide_text(s) for s in deck.slides)
    yml = pack_dir / "pack.yml"
    yml.write_text(yml.read_text().replace("Someone to talk to.", "Someone to talk to, day or night."))
    remade, third = rebuild()
    assert remade == modules
    assert b"day or night" in third["folder-mod/handout.html"]
    assert third["folder-mod/slides.pptx"] != second["folder-mod/slides.pptx"]
    (out / "folder-mod" / "handout.html").unlink()
    remade, again = rebuild()
    assert remade == ["folder-mod"] and again == third
    code = ("import sys; from coursepack.cli import main; "
            f"sys.argv = ['commonground', 'build', {str(pack_dir)!r}, '--out', {str(tmp_path / 'fresh')!r}, "
            "'--only', 'facilitator']; main()")
    subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, cwd=REPO, check=True)
    assert _files(tmp_path / "fresh" / "facilitator") == third


def _odd_session() -> tuple[material.Session, dict]:
    """A session with a picture (twice), a picture a slide cannot embed, one that is missing, an
    empty body, a long title and text XML must escape, and the fixture's PNG to show."""
    from coursepack.assets import Asset
    from facilitator_export.text import Line
    png = (FIXTURE / "modules" / "folder-mod" / "images" / "square.png").read_bytes()
    images = {"images/square.png": Asset("images/square.png", "square.png", "png", png),
              "images/chart.svg": Asset("images/chart.svg", "chart.svg", "svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>")}
    Slide = material.Slide
    slides = [
        Slide("Tom & Jerry <both> at work", [Line("p", "A plain paragraph & more."), Line("li", "A bullet\twith a tab")],
              ["First note.", "Second note <b>."]),
        Slide("A square", [], ["About the square."], image=Line("img", 'A blue "square" on white', "images/square.png")),
        Slide("The same square again", [], ["Again."], image=Line("img", "", "images/square.png")),
        Slide("A chart", [], ["A chart."], image=Line("img", "A chart of visits", "images/chart.svg")),
        Slide("Nothing here yet", [], ["Only notes."], lead=material.PARTNER),
        Slide("A title long enough to be set smaller than the others are set", [Line("p", "x")], ["n"],
              image=Line("img", "Lost", "images/missing.png")),
    ]
    for number, slide in enumerate(slides, 1):
        slide.number = number
    return material.Session(PACK.modules[0], slides), images


def test_decks_and_plans_read_back_as_written():
    """Written without python-pptx and python-docx, read back with them: titles and their sizes,
    bodies, pictures (alt text as the description, fitted to the body's place, one image part for
    a picture shown twice), text boxes for pictures a slide cannot show, speaker notes, the plan's
    styles, table widths and page; and a document written again, after another, has the same
    bytes (nothing of one document stays in what the next is copied from)."""
    from pptx.util import Pt
    from facilitator_export import documents, slides
    from facilitator_export.plan import plan
    session, images = _odd_session()
    data = slides.pptx_bytes(session, images)
    deck = pptx.Presentation(io.BytesIO(data))
    assert [s.shapes.title.text for s in deck.slides] == [s.title for s in session.slides]
    body_place = deck.slide_layouts[1].placeholders[1]
    for slide, spec in zip(deck.slides, session.slides):
        title_run = slide.shapes.title.text_frame.paragraphs[0].runs[0]
        assert title_run.font.size == Pt(26 if len(spec.title) >= 45 else 32) and title_run.font.bold
        assert str(title_run.font.color.rgb) == "005A70"
        notes = slide.notes_slide.notes_text_frame.text
        assert notes == "\n\n".join([f"Led by: {spec.lead}.", *spec.notes])
        assert slide.shapes[-1].text_frame.text == f"{session.module.title} · slide {spec.number} of 6"
        ids = [shape.shape_id for shape in slide.shapes]
        assert len(set(ids)) == len(ids)
    first = deck.slides[0]
    body = first.placeholders[1]
    assert [p.text for p in body.text_frame.paragraphs] == ["A plain paragraph & more.", "A bullet\twith a tab"]
    assert all(r.font.size == Pt(24) for p in body.text_frame.paragraphs for r in p.runs)
    assert body.text_frame.paragraphs[0]._p.pPr.find(qn("a:buNone")) is not None      # a paragraph, not a bullet
    assert body.text_frame.paragraphs[1]._p.pPr.find(qn("a:buNone")) is None
    pictures = [sh for s in deck.slides for sh in s.shapes if sh.shape_type == pptx.enum.shapes.MSO_SHAPE_TYPE.PICTURE]
    assert [p._element.nvPicPr.cNvPr.get("descr") for p in pictures] == ['A blue "square" on white', "A picture"]
    for picture in pictures:
        assert picture.image.blob == images["images/square.png"].data
        assert picture.width <= body_place.width and picture.height == body_place.height
        assert abs(picture.left + picture.width / 2 - (body_place.left + body_place.width / 2)) <= 1
    assert len({p.image.sha1 for p in pictures}) == 1 and sum(
        n.startswith("ppt/media/") for n in __import__("zipfile").ZipFile(io.BytesIO(data)).namelist()) == 1
    for slide, alt in ((deck.slides[3], "A chart of visits"), (deck.slides[5], "Lost")):
        box = slide.shapes[1]
        assert box.text_frame.text == f"Picture (see the e-learning module): {alt}"
        assert box._element.nvSpPr.cNvPr.get("descr") == alt
    assert [len(s.placeholders) for s in deck.slides] == [2, 1, 1, 1, 1, 1]     # no empty body left behind
    assert deck.core_properties.title == f"{session.module.title}: session slides"

    parts = plan(session, 90)
    doc = docx.Document(io.BytesIO(documents.plan_docx(session, PACK, 90, parts)))
    assert doc.paragraphs[0].style.name == "Title" and doc.paragraphs[0].text == f"{session.module.title}: a 90-minute session plan"
    listed = [p.text for p in doc.paragraphs if p.text.startswith(tuple(f"{n}. " for n in range(1, 7)))]
    assert listed[0].startswith("1. Tom & Jerry <both> at work")
    assert {s.font.name for s in (doc.styles["Normal"], doc.styles["Title"], doc.styles["Heading 1"])} == {"Arial"}
    assert doc.styles["Normal"].font.size == docx.shared.Pt(11)
    table = doc.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["Time", "Part", "What it does", "Who leads", "Slides"]
    assert all(r.bold for c in table.rows[0].cells for r in c.paragraphs[0].runs)
    widths = [24, 32, 58, 38, 22]      # millimetres, in the grid (LibreOffice) and in each cell (Word)
    assert [round(g.w.mm) for g in table._tbl.tblGrid.gridCol_lst] == widths
    assert all([round(c.width.mm) for c in row.cells] == widths for row in table.rows)
    assert len(table.rows) == len(parts) + 1
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm), round(section.left_margin.mm)) == (210, 297, 18)

    other = material.session(PACK.modules[1], PACK)
    slides.pptx_bytes(other, {})
    documents.plan_docx(other, PACK, 45, plan(other, 45))
    assert slides.pptx_bytes(session, images) == data
    shorter = pptx.Presentation(io.BytesIO(slides.pptx_bytes(material.Session(session.module, session.slides[:5]), images)))
    assert [s.shapes.title.text for s in shorter.slides] == [s.title for s in session.slides[:5]]
    assert documents.plan_docx(session, PACK, 90, parts) == documents.plan_docx(session, PACK, 90, plan(session, 90))


def test_text_is_escaped_as_lxml_escapes_it():
    """The kit writes its paragraphs as text: escaped as lxml (the libraries' serialiser) escapes
    an element's text, and refused where lxml refuses it."""
    from lxml import etree
    from facilitator_export.office import escape
    for text in ("a & b < c > d", "quote \" and ' apostrophe", "tab\there", "cr\rhere", "nl\nhere", "é’ · ü", "]]>"):
        element = etree.Element("t")
        element.text = text
        assert etree.tostring(element, encoding="UTF-8") == f"<t>{escape(text)}</t>".encode()
    for bad in ("bell\x07", "\ufffe", "nul\x00"):
        with pytest.raises(ValueError):
            escape(bad)
        with pytest.raises(ValueError):
            etree.Element("t").text = bad


@pytest.mark.parametrize("markdown, expected", [
    ("Two  words\nand   more.", [("p", "Two words and more.")]),          # one plain paragraph
    ("Fish & chips, 5 > 3.", [("p", "Fish & chips, 5 > 3.")]),           # escaped by the renderer
    ("Some **bold** and a [[recovery]] term.", [("p", "Some bold and a recovery term.")]),
    ("One.\n\nTwo.", [("p", "One."), ("p", "Two.")]),
    ("- a\n- b", [("li", "a"), ("li", "b")]),
    ("", []),
])
def test_text_lines_read_the_words_learners_see(markdown, expected):
    """The kit's lines, whether read from a paragraph of plain words or parsed out of HTML."""
    from facilitator_export.text import lines
    lines.cache_clear()
    assert [(line.style, line.text) for line in lines(markdown)] == expected
