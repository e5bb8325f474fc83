"""Element kinds: one folder and one entry point each.

- Every kind with learner state is in every place a kind must appear (the registry, the entry
  points, the block classes, the README and docs, the OLX build, retirement, the browser's
  registry); one missing anywhere fails with the place named.
- A kind's record is checked against its role's contract when it is made, and a repeated kind
  name is refused with both entry points named.
- A kind from outside the package (``tests/kinds/agree_kind``), registered through entry points
  as another distribution would, parses, lints, renders and reports in SCORM, the preview site,
  the OLX course and the workbench without any product file changed.
"""
from __future__ import annotations

import configparser
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import zipfile
from importlib.metadata import distribution
from pathlib import Path

import pytest

from coursepack import elements
from coursepack.elements import (Check, ContentKind, GradedKind, KindError, Stateful, TrackedKind,
                                 fingerprint)
from coursepack.player import player_file

from support import REPO
from xblock_support import django_db_ready  # noqa: F401  (fixture)

FIXTURE = REPO / "tests" / "fixtures" / "pack"
OUTSIDE = REPO / "tests" / "kinds"
SHIPPED = [k for k in elements.KINDS if k.model.__module__.startswith("coursepack.")]
COMMONGROUND = re.compile(r"`(cg_\w+)`")


def setup_cfg() -> configparser.ConfigParser:
    config = configparser.ConfigParser()
    config.read(REPO / "setup.cfg")
    return config


def entry_point_names(group: str) -> set[str]:
    lines = setup_cfg()["options.entry_points"][group].strip().splitlines()
    return {line.split("=")[0].strip() for line in lines if "=" in line}


def block_type(name: str) -> str:
    return f"cg_{name}"


def places() -> dict[str, set[str]]:
    """Each place a kind with learner state must appear (as ``cg_<kind>``, Open edX's name for
    its block), and the block types found there. A place missing a kind fails the test below."""
    xblock_eps = [ep for ep in distribution("commonground").entry_points if ep.group == "xblock.v1"]
    readme, docs = (REPO / "README.md").read_text(), (REPO / "docs" / "xblocks.md").read_text()
    holds = re.search(r"It holds the XBlocks \(([^)]*)\)", readme).group(1)
    advanced = re.search(r'`\["cg_page", [^`]*\]`', readme).group(0)
    table = [line for line in docs.splitlines() if line.startswith("| `cg_")]
    found = {
        "coursepack.elements.stateful() (the registry)": {block_type(k.name) for k in elements.stateful()},
        "setup.cfg: commonground.kinds entry points": {block_type(n) for n in entry_point_names("commonground.kinds")},
        "setup.cfg: xblock.v1 entry points": entry_point_names("xblock.v1"),
        "the installed xblock.v1 entry points": {ep.name for ep in xblock_eps},
        "the block classes of the xblock.v1 entry points (their kind)": {
            block_type(ep.load().kind) for ep in xblock_eps},
        "README.md: 'It holds the XBlocks (...)'": set(COMMONGROUND.findall(holds)),
        "README.md: the advanced_modules list": set(re.findall(r'"(cg_\w+)"', advanced)),
        "docs/xblocks.md: the table of blocks": {COMMONGROUND.search(line).group(1) for line in table},
    }
    from olx_export.course import ADVANCED_MODULES
    found["the OLX build's advanced modules (olx_export/course.py)"] = set(ADVANCED_MODULES)
    return found


def missing(found: dict[str, set[str]], kinds) -> list[str]:
    return [f"kind '{k.name}' ({block_type(k.name)}) is missing from {place}"
            for k in kinds for place, names in found.items() if block_type(k.name) not in names]


def test_every_kind_with_learner_state_is_in_every_place():
    stateful = [k for k in SHIPPED if k.stateful]
    assert len(stateful) == 7
    found = places()
    assert missing(found, stateful) == []
    # ... and nothing is in a place that is not a kind (cg_page is the content pages' block)
    kinds = {block_type(k.name) for k in stateful} | {"cg_page"}
    assert [f"{place} names {extra}, which is no kind" for place, names in found.items()
            for extra in sorted(names - kinds - {"cg_page"}) if place != "setup.cfg: commonground.kinds entry points"] == []


def test_retirement_forgets_the_preferences_of_every_block_type(django_db_ready):
    from xblocks.aggregates import retirement
    assert missing({"xblocks/aggregates/retirement.py (the block types whose preferences go)":
                    set(retirement.block_types())}, [k for k in SHIPPED if k.stateful]) == []


def test_missing_places_are_named():
    """The check above can fail, and says where."""
    found = places()
    found["docs/xblocks.md: the table of blocks"] -= {"cg_order"}
    assert missing(found, [elements.BY_NAME["order"]]) == [
        "kind 'order' (cg_order) is missing from docs/xblocks.md: the table of blocks"]


def test_every_kind_folder_is_one_entry_point_and_one_package():
    config = setup_cfg()
    packages = set(config["options"]["packages"].split())
    folders = sorted(p for p in (REPO / "coursepack" / "elements").iterdir() if (p / "__init__.py").is_file())
    for folder in folders:
        assert f"coursepack.elements.{folder.name}" in packages, f"{folder.name}: not in setup.cfg's packages"
    registered = {k.model.__module__.split(".")[2] for k in SHIPPED}
    kinds = {f.name for f in folders if "KIND =" in (f / "__init__.py").read_text()}
    assert kinds == registered == entry_point_names("commonground.kinds")


def test_the_browser_registry_has_every_kind_in_its_role(browser):
    page = browser.new_page()
    try:
        page.set_content("<!doctype html><title>kinds</title><main></main>")
        page.add_script_tag(content=player_file("widgets.js").decode())
        page.add_script_tag(content=player_file("shell.js").decode())
        js = {k["name"]: k for k in page.evaluate("""() => CommonGround.kinds.all().map(k => ({
            name: k.name, role: k.role || null, mount: typeof k.mount === "function",
            judge: typeof k.judge === "function", group: k.state ? k.state.group : null,
            code: k.state ? k.state.code : null}))""")}
    finally:
        page.close()
    problems = []
    for kind in SHIPPED:
        if not kind.stateful:
            continue
        widget = re.search(r'data-cg-kind="(\w+)"', (kind.folder / "widget.html").read_text()).group(1)
        got = js.get(widget)
        if got is None or not got["mount"]:
            problems.append(f"kind '{kind.name}': no widget '{widget}' in the browser's registry (its widget.js)")
            continue
        if got["role"] != kind.role:
            problems.append(f"kind '{kind.name}': the browser's registry says role {got['role']}, Python {kind.role}")
        if kind.role == "graded" and not got["judge"]:
            problems.append(f"kind '{kind.name}': no judge in the browser's registry (its shell.js)")
        if kind.role == "tracked" and got["group"] != kind.key_group:
            problems.append(f"kind '{kind.name}': its part of the saved state (its shell.js) is for "
                            f"{got['group']!r}, its module key group is {kind.key_group!r}")
    assert problems == []
    codes = [k["code"] for k in js.values() if k["code"]]
    assert len(codes) == len(set(codes)) and not set(codes) & {"q", "r"}


# -- the contract -------------------------------------------------------------------------------

def test_each_role_says_what_a_kind_must_provide():
    from coursepack.elements.confidence import Confidence
    from coursepack.elements.question import KIND as QUESTION
    base = {"name": "question", "model": QUESTION.model, "texts": QUESTION.texts, "read": QUESTION.read,
            "blocks": {"x": ()}, "id_prefix": "x", "key_group": "questions", "key": QUESTION.key,
            "label": QUESTION.label}
    graded = {"judge": QUESTION.judge, "refuse": QUESTION.refuse, "interaction": QUESTION.interaction,
              "answers": QUESTION.answers, "type_of": QUESTION.type_of}
    assert GradedKind(**base, **graded).role == "graded"
    with pytest.raises(TypeError, match="judge"):
        GradedKind(**base, **{k: v for k, v in graded.items() if k != "judge"})
    with pytest.raises(KindError, match="must provide interaction"):
        GradedKind(**base, **{**graded, "interaction": None})
    with pytest.raises(KindError, match="deriving from coursepack.elements.kind.Check"):
        GradedKind(**{**base, "model": Confidence, "name": "confidence"}, **graded)
    with pytest.raises(KindError, match="must have kind = 'nope'"):
        GradedKind(**{**base, "name": "nope"}, **graded)
    with pytest.raises(KindError, match="'needs' and 'link' go together"):
        TrackedKind(**{**base, "model": Confidence, "name": "confidence"}, needs=lambda c: c.after)
    with pytest.raises(KindError, match="a kind not for learners keeps none"):
        GradedKind(**base, **graded, learners=False)
    with pytest.raises(TypeError, match="id_prefix"):
        TrackedKind(name="confidence", model=Confidence, texts=QUESTION.texts)
    with pytest.raises(KindError, match="no read"):
        ContentKind(name="prose", model=elements.BY_NAME["prose"].model, texts=iter, blocks={"prose": ()})
    assert issubclass(QUESTION.model, Check) and issubclass(Confidence, Stateful)
    assert fingerprint("a") == fingerprint("a") != fingerprint("b")


def run_with(site: Path, *args: str, **kw) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": f"{site}{os.pathsep}{OUTSIDE}", "COLUMNS": "100", "TERM": "dumb"}
    return subprocess.run(args, env=env, capture_output=True, text=True, timeout=600, **kw)


def distribution_on(folder: Path, name: str, entry_points: str) -> Path:
    """A distribution's metadata in ``folder`` (what pip writes), holding only entry points."""
    info = folder / f"{name}-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(entry_points)
    return folder


def test_a_repeated_kind_name_is_refused_with_both_entry_points_named(tmp_path):
    command = str(Path(sys.executable).parent / "commonground")
    site = distribution_on(tmp_path / "site", "commonground_agree", "[commonground.kinds]\nagree = agree_kind:KIND\n")
    distribution_on(site, "commonground_agree_again", "[commonground.kinds]\nagree = agree_kind:AGAIN\n")
    proc = run_with(site, command, "lint", str(FIXTURE))
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert proc.stderr.strip() == ("commonground: two element kinds are called 'agree': agree_kind:AGAIN and "
                                   "agree_kind:KIND (rename one of the 'commonground.kinds' entry points)")
    site = distribution_on(tmp_path / "site2", "commonground_question", "[commonground.kinds]\nquestion = agree_kind:KIND\n")
    proc = run_with(site, command, "lint", str(FIXTURE))
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "question = agree_kind:KIND names the kind 'agree'" in proc.stderr
    proc = run_with(tmp_path, sys.executable, "-c", "import coursepack.elements")    # the same without them
    assert proc.returncode == 0, proc.stderr


# -- a kind from outside -------------------------------------------------------------------------

AGREE = """
::: agree {#a-words right=agree}
Words can change whether someone asks for help.

Agree: Yes. The words we choose shape whether people ask.
Disagree: Not quite. Words shape whether people ask.
:::
"""


@pytest.fixture(scope="module")
def outside(tmp_path_factory):
    """The "agree" kind installed from outside the package, a pack using it, and its build."""
    root = tmp_path_factory.mktemp("outside")
    site = distribution_on(root / "site", "commonground_agree",
                           "[commonground.kinds]\nagree = agree_kind:KIND\n\n[xblock.v1]\ncg_agree = agree_kind.block:AgreeBlock\n")
    pack = root / "pack"
    shutil.copytree(FIXTURE, pack)
    module = pack / "modules" / "every-element.md"
    module.write_text(module.read_text().replace("## Questions {#questions}\n", "## Questions {#questions}\n" + AGREE, 1))
    command = str(Path(sys.executable).parent / "commonground")
    proc = run_with(site, command, "build", str(pack), "--out", str(root / "dist"))
    assert proc.returncode == 0, proc.stderr
    return {"site": site, "pack": pack, "dist": root / "dist", "command": command, "module": module}


def test_an_outside_kind_lints_with_its_own_codes(outside):
    proc = run_with(outside["site"], outside["command"], "lint", str(outside["pack"]), "--format", "json")
    assert proc.returncode == 0 and not [d for d in json.loads(proc.stdout) if d["severity"] == "error"], proc.stdout
    text = outside["module"].read_text()
    line = text.splitlines().index("::: agree {#a-words right=agree}") + 1
    outside["module"].write_text(text.replace("right=agree}", "}"))
    try:
        proc = run_with(outside["site"], outside["command"], "lint", str(outside["pack"]), "--format", "json")
    finally:
        outside["module"].write_text(text)
    assert proc.returncode == 1
    assert [(d["line"], d["code"]) for d in json.loads(proc.stdout) if d["severity"] == "error"] == [(line, "agree-right")]
    proc = run_with(outside["site"], outside["command"], "lint", "--help")
    assert re.search(r"Elements: ::: agree:\n\s+agree-right\s+an 'agree' check does not say", proc.stdout), proc.stdout


def test_an_outside_kind_is_in_the_olx_course(outside):
    with tarfile.open(next((outside["dist"] / "olx").glob("*.tar.gz"))) as tar:
        files = {m.name: tar.extractfile(m).read().decode() for m in tar.getmembers() if m.name.endswith((".xml", ".json"))}
    vertical = files["course/vertical/every-element_questions.xml"]
    assert '<cg_agree url_name="every-element_a-words" display_name="Agree or disagree 1"' in vertical
    assert "right=agree" in vertical and "module_questions=" in vertical
    policy = json.loads(next(v for k, v in files.items() if k.endswith("/policy.json")))
    assert "cg_agree" in next(iter(policy.values()))["advanced_modules"]


def answer_agree(frame) -> None:
    widget = frame.locator('[data-cg-kind="agree"]')
    widget.locator('input[value="agree"]').check()
    widget.locator("button[type=submit]").click()
    frame.wait_for_function("() => (CommonGround.shell.state().q['a-words'] || {n: 0}).n === 1")
    assert widget.locator(".cg-feedback .cg-verdict").inner_text() == "Correct."   # waits for the verdict


def test_an_outside_kind_reports_in_scorm(outside, browser):
    from scorm_lms import LmsServer, learner_data
    from scorm_learner import sco_frame
    lms = LmsServer()
    try:
        for version, folder in (("1.2", "scorm12"), ("2004", "scorm2004")):
            [package] = (outside["dist"] / folder).glob("every-element-*.zip")
            lms.add_package(folder, package.read_bytes())
            sid = lms.new_session(version, folder, "every-element/index.html", learner_data(version))
            page = browser.new_page()
            try:
                page.goto(lms.launch_url(sid))
                frame = sco_frame(page)
                frame.locator('[data-cg-goto="1"]').click()
                answer_agree(frame)
                frame.locator("[data-cg-action=next]").click()
                frame.wait_for_function("() => CommonGround.shell.state().loc === 2")
            finally:
                page.close()
            stored = lms.stored(sid)
            n = next(k.split(".")[2] for k, v in stored.items() if k.endswith(".id") and v == "a_words")
            response = "student_response" if version == "1.2" else "learner_response"
            assert stored[f"cmi.interactions.{n}.type"] == "choice"
            assert stored[f"cmi.interactions.{n}.{response}"] == ("a" if version == "1.2" else "agree")
            assert stored[f"cmi.interactions.{n}.result"] == "correct"
            assert "a-words:" in stored["cmi.suspend_data"]
    finally:
        lms.close()
    with zipfile.ZipFile(next((outside["dist"] / "scorm12").glob("every-element-*.zip"))) as z:
        assert b'CommonGround.kinds.register("agree"' in z.read("widgets.js")
        assert b".cg-agree fieldset" in z.read("player.css")


def test_an_outside_kind_works_in_the_preview_site(outside, browser, static_server):
    url = static_server(outside["dist"] / "site")
    page = browser.new_page()
    try:
        page.goto(f"{url}/every-element/index.html")
        page.wait_for_function("() => !!(window.CommonGround && CommonGround.shell)")
        questions = page.evaluate("() => CommonGround.shell.summary().questions")
        page.locator('[data-cg-goto="1"]').click()
        answer_agree(page.main_frame)
        assert page.evaluate("() => CommonGround.shell.summary().answered") == 1
        assert questions == len([e for e in outside_module(outside).graded])
    finally:
        page.close()


def outside_module(outside):
    proc = run_with(outside["site"], sys.executable, "-c", (
        "import json, sys; from coursepack.load import require_pack; "
        f"m = require_pack({str(outside['pack'])!r}).pack.module('every-element'); "
        "print(json.dumps([e.kind for e in m.graded]))"))
    assert proc.returncode == 0, proc.stderr

    class Module:
        graded = json.loads(proc.stdout)
    return Module


def test_an_outside_kind_works_in_the_workbench(outside, tmp_path):
    from coursepack.load import require_pack
    from xblock_support import Learner, Workbench, migrate, needs_workbench, pack_of, usages
    needs_workbench()
    migrate(tmp_path)
    # The shipped pack has no "agree" check, so its scenario is the block's built-in example; the
    # server serves one module of the pack beside it (see pack_of), from a folder of its own:
    # REPO on the path stands for the checkout it used to run in.
    checkout = pack_of(tmp_path / "checkout", [require_pack(REPO / "content").pack.modules[0].id])
    server = Workbench(tmp_path, cwd=checkout,
                       PYTHONPATH=os.pathsep.join(map(str, (outside["site"], OUTSIDE, REPO)))).wait()
    try:
        learner = Learner(server.base, "agreeable")
        html = learner.scenario("cg_agree.0")
        assert 'data-cg-kind="agree"' in html
        [usage] = [u for u, block in usages(html) if block == "cg_agree"]
        status, reply = learner.post(usage, "submit", {"selected": ["agree"]})
        assert status == 200 and reply["correct"] is True, reply
        status, reply = learner.post(usage, "submit", {"selected": ["maybe"]})
        assert status == 400 and reply["error"] == "choose agree or disagree"
        status, script = learner.get("/resource/cg_page/static/widgets.js")
        assert status == 200 and 'CommonGround.kinds.register("agree"' in script
    finally:
        server.stop()
