"""The learner's record of learning (issue 27 §1), in real headless Chromium and over HTTP.

- SCORM (in the test LMS, which applies Moodle's rules) and the preview site: a learner
  completes a module with two reflections holding a marker, then makes the record for each
  regulator (NMC, HCPC, SSSC) as a printable page and a Word document. The .docx opens with
  python-docx and converts with LibreOffice; the printable page prints on A4; the marker is in
  both, and nowhere in what the LMS stored. axe on each state, and the keyboard reaches it all.
- The preview of the pack's last module makes a record of a whole pathway.
- The certificate of completion, in SCORM and the preview: not offered before the module is
  complete (the reason shown), offered after; the typed name printed as text and nowhere in what
  the LMS stored; the statement about the official record; the preview mark; one A4 page.
- The certificate for a whole pathway: in the preview site of a small pack, offered for a pathway
  once every module of it is complete (with each module's completion date, the total time, the
  level and the statement about the official record; one A4 page), and not offered, saying
  which modules are left, while one is not; a SCORM package does not offer it and says where
  one comes from, and neither does an Open edX page.
- The workbench: the learner's own record over HTTP (and made from it by the widget in
  Chromium); course staff, staff viewing as the learner and Studio's preview get a 403.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from coursepack.load import require_pack
from coursepack.plaintext import plain_text
from coursepack.site import build

from support import AXE_TAGS, CONTENT
from scorm_fixtures import scorm_lms, scorm_pack  # noqa: F401,F811 (fixtures)
from scorm_learner import calls, complete, launch
from scorm_lms import TOOL_FILES, learner_data

PACK = require_pack(CONTENT)
MODULE = PACK.pack.modules[0]
FORMATS = {"nmc": "NMC: CPD log entry", "hcpc": "HCPC: CPD record entry",
           "sssc": "SSSC: continuous professional learning (CPL) entry"}
# Learner text with markup in it: it must arrive as text, never as markup.
MARKER = "ZQX-marker-7731"
TEXTS = [f"{MARKER} one: I <b>will</b> ask & listen.", f"{MARKER} two: next time I'd \"ask\" first."]
AXE_RUN = """async (tags) => {
  const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  return r.violations.map(v => ({id: v.id, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
}"""


def axe(frame) -> list:
    if not TOOL_FILES["axe.js"].exists():
        pytest.skip("axe-core not installed: run scripts/setup (npm ci in tests/js)")
    if not frame.evaluate("() => !!window.axe"):
        frame.add_script_tag(path=str(TOOL_FILES["axe.js"]))
    return frame.evaluate(AXE_RUN, AXE_TAGS)


def write_reflections(frame, module, texts) -> None:
    for reflection, text in zip(module.reflections, texts):
        index = next(i for i, p in enumerate(module.pages) if reflection in p.elements)
        frame.locator(f'[data-cg-goto="{index}"]').click()
        frame.wait_for_function(f"() => CommonGround.shell.state().loc === {index}")
        widget = frame.locator(f'[id="{reflection.id}"]')
        widget.locator("textarea").fill(text)
        widget.locator("[data-cg-action=save]").click()
        frame.wait_for_function(f"() => CommonGround.shell.state().r[{json.dumps(reflection.id)}] === {json.dumps(text)}")


def docx_text(path: Path) -> str:
    import docx
    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    parts += [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join(parts)


def make_record(page, frame, fmt: str, tmp: Path, *, pathway: str = "") -> tuple[Path, str]:
    """Choose ``fmt`` (and a pathway), make the record, download the .docx and open the printable
    page: the .docx file and the page's text (its PDF, printed on A4, beside the .docx)."""
    widget = frame.locator("[data-cg-kind=learning_record]")
    if pathway:
        widget.locator(f'[data-cg-choice=which] input[value="{pathway}"]').check()
    widget.locator(f"[data-cg-choice=format] input[value={fmt}]").check()
    widget.locator("button[type=submit]").click()
    widget.locator(f'.cg-record-docx[data-cg-format="{fmt}"]').wait_for()
    frame.wait_for_function("() => /record is ready/.test(document.querySelector('[data-cg-kind=learning_record] .cg-feedback').textContent)")
    with page.expect_download() as download:
        widget.locator(".cg-record-docx").click()
    stem = fmt + "-" + re.sub(r"\W+", "-", pathway) if pathway else fmt
    target = tmp / f"{stem}.docx"
    download.value.save_as(target)
    return target, open_sheet(page, widget.locator(".cg-record-page"), target.with_suffix(".page.pdf"), fmt)


def open_sheet(page, link, pdf: Path, what: str) -> str:
    """Follow ``link`` to the printable page it opens in a new tab: its text, once axe finds
    nothing on it and no learner text became markup; it is printed to ``pdf`` as on paper."""
    with page.context.expect_page() as opened:
        link.click()
    sheet = opened.value
    sheet.wait_for_load_state()
    text = sheet.locator("main").inner_text()
    assert sheet.locator("main b, main script").count() == 0, f"learner text stays text ({what})"
    assert axe(sheet) == [], f"the printable page ({what})"
    sheet.pdf(path=str(pdf), prefer_css_page_size=True)
    sheet.close()
    return text


def check_docx(path: Path, fmt: str, module) -> str:
    with zipfile.ZipFile(path) as z:
        assert z.testzip() is None
        assert [i.compress_type for i in z.infolist()] == [zipfile.ZIP_STORED] * 5
    text = docx_text(path)
    assert FORMATS[fmt] in text and module.title in text and module.version in text
    assert f"{module.duration} minutes ({round(module.duration / 60, 2):g} hours)" in text
    assert all(o in text for o in module.outcomes)
    assert "National Trauma Transformation Programme" in text      # the levels are said not to be NTTP levels
    return text


def convert_and_look(*paths: Path) -> None:
    """LibreOffice's PDF of each .docx (all in one LibreOffice start, which costs more than a
    conversion), and its first page as a PNG (kept for a person to look at where
    COMMONGROUND_RECORD_OUT names a folder)."""
    soffice = shutil.which("soffice")
    if not soffice:
        pytest.skip("LibreOffice (soffice) is not installed: apt-get install libreoffice-writer")
    folder = paths[0].parent
    profile = folder / "lo-profile"
    subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(folder), *map(str, paths)], check=True, capture_output=True, timeout=180)
    for path in paths:
        pdf = path.with_suffix(".pdf")
        assert pdf.is_file() and pdf.stat().st_size > 2000, f"LibreOffice did not convert {path.name}"
        if shutil.which("pdfinfo"):
            info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
            assert re.search(r"Page size:\s+595\.\d* x 841\.\d* pts \(A4\)", info), info
        if shutil.which("pdftoppm"):
            subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf), str(path.with_suffix(""))],
                           check=True, timeout=60)
        out = os.environ.get("COMMONGROUND_RECORD_OUT")
        if out:
            Path(out).mkdir(parents=True, exist_ok=True)
            for f in path.parent.glob(path.stem + "*"):
                if f.is_file():
                    shutil.copy(f, Path(out) / f.name)


# -- SCORM --------------------------------------------------------------------------------------

@pytest.mark.parametrize("key", ["2004", "1.2"])
def test_a_record_in_each_format_from_a_scorm_package(browser, scorm_lms, key, tmp_path):
    sid = scorm_lms.new_session(key, scorm_lms.package_for(key, MODULE.id), f"{MODULE.id}/index.html",
                                learner_data(key))
    ctx = browser.new_context(bypass_csp=True, accept_downloads=True)   # bypass_csp: only to inject axe
    try:
        page, frame = launch(ctx, scorm_lms, sid)
        write_reflections(frame, MODULE, TEXTS)
        complete(frame, MODULE)
        assert frame.evaluate("() => CommonGround.shell.summary().complete")
        widget = frame.locator("[data-cg-kind=learning_record]")
        assert widget.is_visible()
        assert axe(frame) == [], "the record widget, before"
        # the keyboard reaches the choices, the button and both links, and makes the record
        widget.locator("button[type=submit]").focus()
        page.keyboard.press("Enter")
        widget.locator(".cg-record-links:not([hidden])").wait_for()
        page.keyboard.press("Tab")
        assert frame.evaluate("() => document.activeElement.className") == "cg-record-page"
        page.keyboard.press("Tab")
        assert frame.evaluate("() => document.activeElement.className") == "cg-record-docx"
        assert axe(frame) == [], "the record widget, record ready"
        records = []
        for fmt in FORMATS if key == "2004" else ("nmc",):
            path, sheet = make_record(page, frame, fmt, tmp_path)
            text = check_docx(path, fmt, MODULE)
            for written in TEXTS:
                assert written in text and written in sheet, fmt
            # each under its own prompt, in page order
            prompts = [plain_text(r.prompt)[:30] for r in MODULE.reflections]
            at = [text.index(p) for pair in zip(prompts, TEXTS) for p in pair]
            assert at == sorted(at), "each reflection under its prompt, in page order"
            assert "Completed. Score 100% (pass mark" in text
            if fmt == "nmc":
                assert "0: e-learning on your own is not participatory" in text and "[Yours to write]" in text
            records.append(path)
        convert_and_look(*records)
        sent = json.dumps([scorm_lms.commits[sid], calls(page)])
        assert MARKER not in sent and "ask &" not in sent, "the reflections reached the LMS"
    finally:
        ctx.close()


def test_a_learner_who_wrote_nothing_gets_no_invented_reflection(browser, scorm_lms, tmp_path):
    key = "2004"
    sid = scorm_lms.new_session(key, scorm_lms.package_for(key, MODULE.id), f"{MODULE.id}/index.html",
                                learner_data(key, "learner-quiet"))
    ctx = browser.new_context(bypass_csp=True, accept_downloads=True)
    try:
        page, frame = launch(ctx, scorm_lms, sid)
        frame.locator(f'[data-cg-goto="{len(MODULE.pages) - 1}"]').click()
        frame.locator("[data-cg-kind=learning_record] [data-cg-choice=mode] input[value=facilitated]").check()
        path, sheet = make_record(page, frame, "nmc", tmp_path)
        text = docx_text(path)
        assert "You did not save any reflections in this module, so there is nothing to draft from." in text
        assert "Not finished yet: pages viewed" in text and "A facilitated session with others" in text
        assert "Up to " in text and "if you learned with one or more other professionals" in text
        assert not any(plain_text(r.prompt)[:30] in text for r in MODULE.reflections)
    finally:
        ctx.close()


# -- the preview site --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("site")
    build(PACK, folder)
    return folder


def open_preview(browser, static_server, site, module_id):
    ctx = browser.new_context(bypass_csp=True, accept_downloads=True)
    page = ctx.new_page()
    page.goto(f"{static_server(site)}/{module_id}/index.html")
    page.wait_for_function("() => !!(window.CommonGround && CommonGround.shell)")
    return ctx, page


def test_a_record_in_each_format_from_the_preview(browser, static_server, site, tmp_path):
    ctx, page = open_preview(browser, static_server, site, MODULE.id)
    try:
        frame = page.main_frame
        write_reflections(frame, MODULE, TEXTS)
        complete(frame, MODULE)
        for fmt in FORMATS:
            path, sheet = make_record(page, frame, fmt, tmp_path)
            text = check_docx(path, fmt, MODULE)
            assert all(t in text and t in sheet for t in TEXTS)
            prompts = [plain_text(r.prompt)[:30] for r in MODULE.reflections]
            at = [text.index(p) for pair in zip(prompts, TEXTS) for p in pair]
            assert at == sorted(at), "each reflection under its prompt, in page order"
        assert axe(frame) == []
    finally:
        ctx.close()


def test_a_record_of_a_whole_pathway_from_the_last_module(browser, static_server, site, tmp_path):
    last = PACK.pack.modules[-1]
    ctx, page = open_preview(browser, static_server, site, last.id)
    try:
        frame = page.main_frame
        frame.locator(f'[data-cg-goto="{len(last.pages) - 1}"]').click()
        widget = frame.locator("[data-cg-kind=learning_record]")
        roles = widget.locator("[data-cg-choice=which] input").evaluate_all("els => els.map(e => e.value)")
        assert roles == ["", *(w.role for w in PACK.pack.pathways)]
        assert axe(frame) == [], "the pathway choices"
        pathway = PACK.pack.pathways[1]
        path, sheet = make_record(page, frame, "sssc", tmp_path, pathway=pathway.role)
        text = docx_text(path)
        minutes = sum(PACK.pack.module(m).duration for m in pathway.modules)
        assert f"Record of learning: the {pathway.role} pathway" in text
        assert f"{minutes} minutes ({round(minutes / 60, 2):g} hours)" in text
        assert all(PACK.pack.module(m).title in text for m in pathway.modules)
        assert f"{pathway.role} pathway ({pathway.level} level)" in text
        convert_and_look(path)
    finally:
        ctx.close()


# -- the certificate of completion (SCORM and the preview) ----------------------------------------

# A name typed to print, with markup in it: it must print as text and go nowhere else.
NAME = "Ada <b>Bold</b> & O'Neill"
OFFICIAL = "This certificate is for your own records. The official record of your learning is the one in your learning system (LMS)."
NO_LMS = "No learning system recorded this learning"


def certificate_not_offered(frame) -> None:
    """Before completion: the button says it is unavailable, the reason is in view, and pressing
    it says the reason again instead of making a certificate."""
    box = frame.locator("[data-cg-kind=learning_record] .cg-certificate")
    button = box.locator(".cg-certificate-make")
    frame.wait_for_function("() => /once you have finished this module/.test("
                            "document.querySelector('[data-cg-kind=learning_record] .cg-certificate-reason').textContent)")
    assert button.get_attribute("aria-disabled") == "true"
    assert button.get_attribute("aria-describedby") == box.locator(".cg-certificate-reason").get_attribute("id")
    button.focus()                 # aria-disabled, not disabled: the keyboard still reaches it
    frame.page.keyboard.press("Enter")
    frame.wait_for_function("() => /once you have finished this module/.test("
                            "document.querySelector('[data-cg-kind=learning_record] .cg-feedback').textContent)")
    assert box.locator(".cg-certificate-link").is_hidden()
    assert axe(frame) == [], "the certificate, not offered yet"


def make_certificate(page, frame, tmp: Path) -> str:
    """Once complete: type the name, make the certificate, open it; its text (it is checked
    with axe and printed to PDF on one A4 page)."""
    box = frame.locator("[data-cg-kind=learning_record] .cg-certificate")
    frame.wait_for_function("() => document.querySelector('[data-cg-kind=learning_record] .cg-certificate-make')"
                            ".getAttribute('aria-disabled') === 'false'")
    assert "You have finished this module" in box.locator(".cg-certificate-reason").inner_text()
    box.locator("input").fill(NAME)
    assert axe(frame) == [], "the certificate, offered"
    box.locator(".cg-certificate-make").click()
    box.locator(".cg-certificate-link:not([hidden])").wait_for()
    pdf = tmp / "certificate.pdf"
    text = open_sheet(page, box.locator(".cg-certificate-page"), pdf, "the certificate")
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Pages:\s+1$", info, re.M), info
    assert re.search(r"Page size:\s+59[45]\.\d* x 841\.\d* pts \(A4\)", info), info
    for fact in ("Certificate of completion", NAME, MODULE.title, MODULE.version, PACK.pack.publisher,
                 f"{MODULE.duration} minutes", "Completed. Score 100% (pass mark", "Date completed"):
        assert fact in text, fact
    assert "Preview, not for learners." in text            # the tests build a preview, not --release
    assert "approv" not in text.lower() and "clinical" not in text.lower()
    return text


@pytest.mark.parametrize("key", ["2004", "1.2"])
def test_a_certificate_only_once_the_module_is_complete_in_a_scorm_package(browser, scorm_lms, key, tmp_path):
    if not shutil.which("pdfinfo"):
        pytest.skip("pdfinfo (poppler-utils) is not installed")
    sid = scorm_lms.new_session(key, scorm_lms.package_for(key, MODULE.id), f"{MODULE.id}/index.html",
                                learner_data(key, "learner-certificate"))
    ctx = browser.new_context(bypass_csp=True)   # bypass_csp: only to inject axe
    try:
        page, frame = launch(ctx, scorm_lms, sid)
        frame.locator(f'[data-cg-goto="{len(MODULE.pages) - 1}"]').click()
        certificate_not_offered(frame)
        complete(frame, MODULE)
        text = make_certificate(page, frame, tmp_path)
        assert OFFICIAL in text and NO_LMS not in text
        frame.evaluate("() => CommonGround.shell.goTo(0)")      # a save and a commit after it
        sent = json.dumps([scorm_lms.commits[sid], calls(page)])
        assert "Bold" not in sent and "Ada" not in sent, "the typed name reached the LMS"
    finally:
        ctx.close()


def test_a_certificate_only_once_the_module_is_complete_in_the_preview(browser, static_server, site, tmp_path):
    if not shutil.which("pdfinfo"):
        pytest.skip("pdfinfo (poppler-utils) is not installed")
    ctx, page = open_preview(browser, static_server, site, MODULE.id)
    try:
        frame = page.main_frame
        frame.locator(f'[data-cg-goto="{len(MODULE.pages) - 1}"]').click()
        certificate_not_offered(frame)
        complete(frame, MODULE)
        text = make_certificate(page, frame, tmp_path)
        assert NO_LMS in text and "(LMS)" not in text
        kept = page.evaluate("() => JSON.stringify(Object.assign({}, localStorage))")
        assert "Bold" not in kept and "Ada" not in kept, "the typed name was kept"
    finally:
        ctx.close()


# -- the certificate for a whole pathway ----------------------------------------------------------

# A small pack (tests/fixtures/pathways): "Short" is first, second and last; "Longer" adds third.
PATHWAYS = require_pack(Path(__file__).parent / "fixtures" / "pathways").pack
FROM_THE_LMS = "This page cannot see your other modules, so it cannot make a certificate for a whole pathway."


@pytest.fixture(scope="module")
def pathway_site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pathway-site")
    build(require_pack(Path(__file__).parent / "fixtures" / "pathways"), folder)
    return folder


def finish_on(ctx, base: str, module_id: str, day: str):
    """Open a module of the pathway site on ``day`` and view every page (it has no questions):
    the module is complete, on that day. The page, on the module's last page."""
    ctx.clock.set_fixed_time(f"{day}T10:00:00")
    page = ctx.new_page()
    page.goto(f"{base}/{module_id}/index.html")
    page.wait_for_function("() => !!(window.CommonGround && CommonGround.shell)")
    module = PATHWAYS.module(module_id)
    complete(page.main_frame, module)
    assert page.evaluate("() => CommonGround.shell.summary().complete")
    return page


def pathway_list(frame) -> list[str]:
    """Each pathway's line: its button's text where it is offered, else what is left to do."""
    return frame.locator(".cg-pathway-certificates-list li").all_inner_texts()


def test_a_certificate_for_a_whole_pathway_once_every_module_of_it_is_complete_in_the_preview(
        browser, static_server, pathway_site, tmp_path):
    if not shutil.which("pdfinfo"):
        pytest.skip("pdfinfo (poppler-utils) is not installed")
    days = {"first": "2026-03-02", "second": "2026-03-09", "last": "2026-03-16", "third": "2026-03-23"}
    ctx = browser.new_context(bypass_csp=True)      # bypass_csp: only to inject axe
    base = static_server(pathway_site)
    try:
        for module_id in ("first", "second"):
            finish_on(ctx, base, module_id, days[module_id]).close()
        page = finish_on(ctx, base, "last", days["last"])
        frame = page.main_frame
        # "Longer" has a module not finished: not offered, and the line says which is left
        frame.wait_for_function("() => document.querySelectorAll('.cg-pathway-certificate-make').length === 1")
        assert pathway_list(frame) == ["Make a certificate for the whole Short pathway",
                                       "Longer pathway: 3 of 4 modules finished. Still to finish: Third module."]
        assert "in this browser only" in frame.locator(".cg-pathway-certificates-note").inner_text()
        assert axe(frame) == [], "the pathway certificates: one offered, one not"
        widget = frame.locator("[data-cg-kind=learning_record]")
        widget.locator(".cg-certificate-name input").fill(NAME)
        widget.locator('.cg-pathway-certificate-make[data-cg-role="Short"]').focus()
        page.keyboard.press("Enter")                  # the keyboard makes it
        widget.locator(".cg-pathway-certificate-link:not([hidden])").wait_for()
        frame.wait_for_function("() => /certificate for the Short pathway is ready/.test("
                                "document.querySelector('[data-cg-kind=learning_record] .cg-feedback').textContent)")
        page.keyboard.press("Tab")
        assert frame.evaluate("() => document.activeElement.className") == "cg-pathway-certificate-page"
        assert axe(frame) == [], "the pathway certificate, ready"
        pdf = tmp_path / "pathway-certificate.pdf"
        text = open_sheet(page, widget.locator(".cg-pathway-certificate-page"), pdf, "the pathway certificate")
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        assert re.search(r"^Pages:\s+1$", info, re.M), info
        assert re.search(r"Page size:\s+59[45]\.\d* x 841\.\d* pts \(A4\)", info), info
        short = next(w for w in PATHWAYS.pathways if w.role == "Short")
        minutes = sum(PATHWAYS.module(m).duration for m in short.modules)
        for fact in ("Certificate of completion", NAME, "completed every module of the pathway",
                     "Short pathway (informed level)", PATHWAYS.title, PATHWAYS.publisher,
                     f"Date completed {days['last']}",
                     f"Total notional learning time {minutes} minutes ({round(minutes / 60, 2):g} hours)",
                     "They are not levels of the National Trauma Transformation Programme",
                     "Preview, not for learners.", NO_LMS):
            assert fact in re.sub(r"\s+", " ", text), fact
        rows = [line for line in text.splitlines() if line.count("\t") == 2 and "minutes" in line]
        assert rows == [f"{PATHWAYS.module(m).title}\t{PATHWAYS.module(m).duration} minutes "
                        f"({round(PATHWAYS.module(m).duration / 60, 2):g} hours)\t{days[m]}" for m in short.modules]
        assert "Third module" not in text and "(LMS)" not in text
        kept = page.evaluate("() => JSON.stringify(Object.assign({}, localStorage))")
        assert "Bold" not in kept and "Ada" not in kept, "the typed name was kept"
        page.close()
        # once the last module of "Longer" is finished too, it is offered as well, with its date
        finish_on(ctx, base, "third", days["third"]).close()
        page = finish_on(ctx, base, "last", days["third"])
        frame = page.main_frame
        frame.wait_for_function("() => document.querySelectorAll('.cg-pathway-certificate-make').length === 2")
        assert axe(frame) == [], "the pathway certificates: both offered"
        widget = frame.locator("[data-cg-kind=learning_record]")
        widget.locator('.cg-pathway-certificate-make[data-cg-role="Longer"]').click()
        widget.locator(".cg-pathway-certificate-link:not([hidden])").wait_for()
        text = open_sheet(page, widget.locator(".cg-pathway-certificate-page"), tmp_path / "longer.pdf", "Longer")
        assert "Longer pathway (skilled level)" in text and f"Third module\t40 minutes (0.67 hours)\t{days['third']}" in text
        assert f"Last module\t25 minutes (0.42 hours)\t{days['last']}" in text, "the first day it was complete"
        assert f"Date completed {days['third']}" in re.sub(r"\s+", " ", text) and "Name: ____" in text
    finally:
        ctx.close()


def test_a_scorm_package_says_where_a_certificate_for_a_whole_pathway_comes_from(browser, scorm_lms):
    last = PACK.pack.modules[-1]
    key = "2004"
    sid = scorm_lms.new_session(key, scorm_lms.package_for(key, last.id), f"{last.id}/index.html",
                                learner_data(key, "learner-pathway"))
    ctx = browser.new_context(bypass_csp=True)
    try:
        page, frame = launch(ctx, scorm_lms, sid)
        complete(frame, last)
        assert frame.evaluate("() => CommonGround.shell.summary().complete")
        box = frame.locator("[data-cg-kind=learning_record] .cg-pathway-certificates")
        assert box.is_visible()
        note = box.locator(".cg-pathway-certificates-note").inner_text()
        assert note.startswith(FROM_THE_LMS) and "Moodle" in note and "Open edX" in note
        assert box.locator(".cg-pathway-certificates-list").is_hidden()
        assert box.locator("button").count() == 0, "no pathway certificate where the package sees one module"
        assert axe(frame) == [], "the pathway certificates in SCORM"
    finally:
        ctx.close()


# -- Open edX (the workbench) --------------------------------------------------------------------

def test_only_the_learner_gets_their_record_over_http(tmp_path, browser):
    from xblock_support import Learner, Workbench, migrate, needs_workbench, pack_of, usages
    needs_workbench()
    migrate(tmp_path)
    # the workbench serves the two modules played here, not the whole pack (see pack_of)
    checkout = pack_of(tmp_path / "checkout", [MODULE.id, PACK.pack.modules[-1].id])
    server = Workbench(tmp_path, cwd=checkout, COMMONGROUND_MASQUERADE="masked", COMMONGROUND_AUTHOR_PREVIEW="author").wait()
    try:
        learner = Learner(server.base, "recorder")
        index = learner.get("/")[1]
        sid = next(s for s, title in re.findall(r'href="/scenario/([^/"]+)/">([^<]+)<', index)
                   if title.endswith(MODULE.title))
        html = learner.scenario(sid)
        parts = re.split(r"(?=<div class='xblock-v1 xblock-v1-student_view')", html)
        reflections = [usages(p)[0][0] for p in parts if usages(p) and usages(p)[0][1] == "cg_reflection"]
        [record] = [usages(p)[0][0] for p in parts if 'data-cg-kind="learning_record"' in p]
        assert len(reflections) == 2
        first_check = next(usages(p)[0][0] for p in parts if usages(p) and usages(p)[0][1] == "cg_question")
        status, reply = learner.post(first_check, "submit", {"selected": list(MODULE.questions[0].correct_ids)})
        assert status == 200 and reply["correct"] is True, reply
        for usage, text in zip(reflections, TEXTS):
            assert learner.post(usage, "save_state", {"text": text}) == (200, {"saved": True, "length": len(text)})
        status, reply = learner.post(record, "learning_record", {})
        assert status == 200, reply
        assert [r["text"] for r in reply["reflections"]] == TEXTS
        assert [r["prompt"] for r in reply["reflections"]] == [plain_text(r.prompt) for r in MODULE.reflections]
        assert reply["resultText"] == f"Knowledge checks answered in this module: 1 of {len(MODULE.graded)}."
        init = html[html.index(f"data-usage='{record}'"):]
        args = json.loads(re.search(r'class="xblock_json_init_args">\s*(.*?)\s*</script>', init, re.S).group(1))
        assert args["record"] is True and args["facts"]["learning_record"]["title"] == MODULE.title
        assert MARKER not in json.dumps(args)
        status, reply = learner.as_student("someone-else").post(record, "learning_record", {})
        assert status == 200 and reply["reflections"] == []
        for who in ("staff", "masked", "author"):
            status, reply = learner.as_student(who).post(record, "learning_record", {})
            assert status == 403 and MARKER not in json.dumps(reply), who
        assert learner.post(record, "learning_record", {"who": "staff"})[0] == 400
        assert learner.post(reflections[0], "learning_record", {})[0] != 200
        # ... and in Chromium, the widget on the page makes the learner's record from it
        ctx = browser.new_context(accept_downloads=True)
        try:
            page = ctx.new_page()
            page.goto(f"{server.base}/scenario/{sid}/?student=recorder")
            widget = page.locator("[data-cg-kind=learning_record][data-cg-mounted]")
            widget.locator("[data-cg-choice=format] input[value=hcpc]").check()
            widget.locator("button[type=submit]").click()
            widget.locator('.cg-record-docx[data-cg-format="hcpc"]').wait_for()
            with page.expect_download() as download:
                widget.locator(".cg-record-docx").click()
            target = tmp_path / "openedx-hcpc.docx"
            download.value.save_as(target)
            text = docx_text(target)
            assert FORMATS["hcpc"] in text and all(t in text for t in TEXTS)
            assert f"Knowledge checks answered in this module: 1 of {len(MODULE.graded)}." in text
            # the page of the pack's last module sees no other module: it says where a
            # certificate for a whole pathway comes from, and offers none
            last = PACK.pack.modules[-1]
            last_sid = next(s for s, title in re.findall(r'href="/scenario/([^/"]+)/">([^<]+)<', index)
                            if title.endswith(last.title))
            page.goto(f"{server.base}/scenario/{last_sid}/?student=recorder")
            box = page.locator("[data-cg-kind=learning_record][data-cg-mounted] .cg-pathway-certificates")
            assert box.locator(".cg-pathway-certificates-note").inner_text().startswith(FROM_THE_LMS)
            assert box.locator("button").count() == 0
        finally:
            ctx.close()
    finally:
        server.stop()


# -- the parts ----------------------------------------------------------------------------------

def test_a_wrong_scope_is_a_lint_error_with_a_hint():
    from coursepack.fragment import parse_fragment
    parsed = parse_fragment("::: learning-record {scope=team}\nSave it.\n:::\n")
    assert [(d.code, d.message) for d in parsed.errors] == [("bad-option", "'scope' must be one of: module, pathway")]
    assert "scope=pathway" in parsed.errors[0].hint


def test_the_record_says_what_the_pack_says_of_the_module():
    from coursepack.elements.learning_record import facts
    last = PACK.pack.modules[-1]
    got = facts(MODULE, PACK.pack)
    assert (got["title"], got["version"], got["minutes"], got["hours"]) == (
        MODULE.title, MODULE.version, MODULE.duration, round(MODULE.duration / 60, 2))
    assert got["pathways"] == [{"role": w.role, "level": w.level} for w in PACK.pack.pathways if MODULE.id in w.modules]
    assert "allPathways" not in got                     # only a module with scope=pathway lists them
    assert [w["role"] for w in facts(last, PACK.pack)["allPathways"]] == [w.role for w in PACK.pack.pathways]


def test_the_word_document_is_the_same_bytes_for_the_same_record_and_holds_any_text(browser, tmp_path):
    """Markup, quotes and characters XML cannot hold, in a learner's text: the document still
    opens, with the text as text (the characters XML cannot hold left out)."""
    from coursepack.player import player_file
    page = browser.new_page()
    try:
        page.set_content("<!doctype html><title>record</title><main></main>")
        page.add_script_tag(content=player_file("widgets.js").decode())
        made = page.evaluate("""async () => {
          const blocks = [{type: "title", text: "Record <1> & \\"2\\""},
                          {type: "rows", rows: [["A", "x\\u0001y\\nz ]]> </w:t>"]]},
                          {type: "q", text: "Prompt"}, {type: "p", text: "<script>alert(1)</script>"}];
          const bytes = async () => Array.from(new Uint8Array(await CommonGround.record.toDocx(blocks, "en-GB").arrayBuffer()));
          return [await bytes(), await bytes()];
        }""")
    finally:
        page.close()
    assert made[0] == made[1]
    path = tmp_path / "any.docx"
    path.write_bytes(bytes(made[0]))
    text = docx_text(path)
    assert 'Record <1> & "2"' in text and "<script>alert(1)</script>" in text and "xy\nz ]]> </w:t>" in text
