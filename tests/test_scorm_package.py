"""SCORM packages as files: schema-valid manifests, the right namespaces, nothing missing,
metadata and pass mark, deterministic bytes, size, the builders and the export command.

No browser here: the runtime is played in test_scorm_runtime.py.
"""
from __future__ import annotations

import io
import json
import posixpath
import random
import re
import subprocess
import sys
import time
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from coursepack.archive import ZIP_LEVEL, zip_bytes, zip_members, zip_members_of
from coursepack.cli import main as cli
from coursepack.load import require_pack
from scorm_export.build import build_scorm12, build_scorm2004
from scorm_export.package import (ADAPTER, MANIFEST, VERSIONS, module_zip, module_zip_name, pack_zip,
                                  pack_zip_name)

from support import REPO

CONTENT = REPO / "content"
FIXTURE = Path(__file__).parent / "fixtures" / "pack"
SIZE_LIMIT = 200 * 1024

NS = {
    "1.2": {
        "cp": "http://www.imsproject.org/xsd/imscp_rootv1p1p2",
        "adlcp": "http://www.adlnet.org/xsd/adlcp_rootv1p2",
        "imsmd": "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1",
    },
    "2004": {
        "cp": "http://www.imsglobal.org/xsd/imscp_v1p1",
        "adlcp": "http://www.adlnet.org/xsd/adlcp_v1p3",
        "adlseq": "http://www.adlnet.org/xsd/adlseq_v1p3",
        "adlnav": "http://www.adlnet.org/xsd/adlnav_v1p3",
        "imsss": "http://www.imsglobal.org/xsd/imsss",
        "lom": "http://ltsc.ieee.org/xsd/LOM",
    },
}
XML_NS = "http://www.w3.org/XML/1998/namespace"
DRIVERS = {"1.2": "scorm12/scorm12_manifest.xsd", "2004": "scorm2004_4ed/scorm2004_4ed_manifest.xsd"}


@pytest.fixture(scope="module")
def pack():
    return require_pack(CONTENT)


@pytest.fixture(scope="module")
def fixture_pack():
    return require_pack(FIXTURE)


_built: dict = {}


def built(result, module, version) -> bytes:
    """module_zip, built once per test process (byte-identity is tested on its own)."""
    cache_key = (id(result), module.id, version.key)
    if cache_key not in _built:
        _built[cache_key] = module_zip(result, module, version)
    return _built[cache_key]


def all_packages(result):
    """(label, version, zip bytes, modules) for every single-module package and both whole packs."""
    out = []
    for key, version in VERSIONS.items():
        for module in result.pack.modules:
            out.append((f"{key}/{module.id}", key, built(result, module, version), [module]))
        out.append((f"{key}/pack", key, pack_zip(result, list(result.pack.modules), version),
                    list(result.pack.modules)))
    return out


@pytest.fixture(scope="module")
def packages(pack, fixture_pack):
    return all_packages(pack) + [(f"fixture:{label}", *rest) for label, *rest in all_packages(fixture_pack)]


@pytest.fixture(scope="module")
def schemas(shared_dir):
    root = shared_dir / "scorm-schemas"
    if not root.is_dir():
        pytest.skip(f"SCORM schemas not found in {root}")
    return {key: etree.XMLSchema(etree.parse(str(root / path))) for key, path in DRIVERS.items()}


def read_zip(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {n: z.read(n) for n in z.namelist()}


def manifest_of(data: bytes):
    return etree.fromstring(read_zip(data)[MANIFEST])


# ---------------------------------------------------------------------------------- validity

def test_every_manifest_validates_against_the_official_xsds(packages, schemas):
    failures = {}
    for label, key, data, _ in packages:
        doc = manifest_of(data)
        if not schemas[key].validate(doc):
            failures[label] = [str(e) for e in schemas[key].error_log][:5]
    assert not failures


def test_namespaces_are_exactly_the_versions_own(packages):
    """The XSD extension points are lax: a misspelt namespace would validate and be ignored."""
    for label, key, data, _ in packages:
        doc = manifest_of(data)
        allowed = set(NS[key].values())
        assert doc.tag == f"{{{NS[key]['cp']}}}manifest", label
        for el in doc.iter(etree.Element):
            ns = etree.QName(el).namespace
            assert ns in allowed, f"{label}: element {el.tag} in a namespace {key} does not use"
            for attr in el.attrib:
                attr_ns = etree.QName(attr).namespace
                assert attr_ns in (None, XML_NS, *allowed), f"{label}: attribute {attr}"
        cp, adlcp = NS[key]["cp"], NS[key]["adlcp"]
        assert doc.findtext(f"{{{cp}}}metadata/{{{cp}}}schema") == "ADL SCORM"
        assert doc.findtext(f"{{{cp}}}metadata/{{{cp}}}schemaversion") == \
            ("1.2" if key == "1.2" else "2004 4th Edition")
        scormtype = f"{{{adlcp}}}" + ("scormtype" if key == "1.2" else "scormType")
        wrong = f"{{{adlcp}}}" + ("scormType" if key == "1.2" else "scormtype")
        for res in doc.iter(f"{{{cp}}}resource"):
            assert res.get(scormtype) in ("sco", "asset"), f"{label}: {res.get('identifier')}"
            assert res.get(wrong) is None


def test_identifiers_resolve_and_files_exist(packages):
    """Every identifierref names a resource, every file named is in the zip and every file in
    the zip is named; paths are relative with '/' and match case."""
    for label, key, data, modules in packages:
        files = read_zip(data)
        assert MANIFEST in files, f"{label}: imsmanifest.xml is not at the zip root"
        doc = manifest_of(data)
        cp = NS[key]["cp"]
        resources = {r.get("identifier"): r for r in doc.iter(f"{{{cp}}}resource")}
        items = list(doc.iter(f"{{{cp}}}item"))
        refs = [i.get("identifierref") for i in items if i.get("identifierref")]
        assert set(refs) <= set(resources), label
        assert len(refs) == len(modules), f"{label}: one SCO item per module"
        deps = [d.get("identifierref") for d in doc.iter(f"{{{cp}}}dependency")]
        assert set(deps) <= set(resources), label
        named = set()
        for res in resources.values():
            hrefs = [f.get("href") for f in res.iter(f"{{{cp}}}file")]
            if res.get("href"):
                assert res.get("href") in hrefs, f"{label}: launch file not listed"
            for href in hrefs:
                assert "\\" not in href and not href.startswith("/") and ".." not in href.split("/"), href
                assert href in files, f"{label}: manifest names {href}, which is not in the zip"
                named.add(href)
        assert set(files) - {MANIFEST} == named, f"{label}: files nobody names: {set(files) - named}"
        default = doc.find(f"{{{cp}}}organizations").get("default")
        assert default in {o.get("identifier") for o in doc.iter(f"{{{cp}}}organization")}


class _Refs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.loaded: list[str] = []
        self.scripts_inline = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script" and a.get("src"):
            self.loaded.append(a["src"])
        elif tag == "script" and a.get("type") != "application/json":
            self.scripts_inline += 1
        elif tag == "link" and a.get("href"):
            self.loaded.append(a["href"])
        elif tag in ("img", "source", "audio", "video", "iframe", "embed") and a.get("src"):
            self.loaded.append(a["src"])


def test_nothing_the_sco_loads_is_missing_and_nothing_is_remote(packages):
    for label, key, data, modules in packages:
        files = read_zip(data)
        for module in modules:
            page = f"{module.id}/index.html"
            parser = _Refs()
            parser.feed(files[page].decode("utf-8"))
            assert parser.scripts_inline == 0, f"{label}: inline script (CSP forbids it)"
            assert set(parser.loaded) >= {"../widgets.js", "../shell.js", "../player.css", f"../{ADAPTER}"}
            assert parser.loaded.index("../widgets.js") < parser.loaded.index("../shell.js") < parser.loaded.index(f"../{ADAPTER}")
            for ref in parser.loaded:
                assert not re.match(r"^[a-z]+:|^//", ref), f"{label}: {ref} is loaded from the network"
                target = posixpath.normpath(posixpath.join(posixpath.dirname(page), ref))
                assert target in files, f"{label}: {page} loads {ref}, missing from the package"
            css = files["player.css"].decode()
            assert not re.search(r"url\(\s*['\"]?(https?:)?//", css), "player.css loads from the network"
            assert "@import" not in css


def test_a_module_is_the_same_sco_in_its_own_package_and_in_the_whole_pack(pack):
    """Only scorm-package.js tells the two kinds of package apart (the adapter saves and exits
    differently in a whole pack), so each module's page and pictures are built once per version."""
    modules = list(pack.pack.modules)
    for version in VERSIONS.values():
        whole = read_zip(pack_zip(pack, modules, version))
        assert b'"multi": true' in whole["scorm-package.js"]
        for module in modules:
            own = read_zip(built(pack, module, version))
            assert b'"multi": false' in own["scorm-package.js"]
            sco = {n: data for n, data in own.items() if n.startswith(f"{module.id}/")}
            assert sco and sco == {n: whole[n] for n in sco}, (version.key, module.id)


def test_both_versions_show_the_same_markup(pack):
    """A module's page is the same HTML in SCORM 1.2 and 2004: only the data the shell reads
    (the SCORM tokens and the transport) differs. tests/test_scorm_axe.py relies on this to run
    axe on every module in one version only."""
    data_script = re.compile(r'(<script type="application/json" id="cg-data">)(.*?)(</script>)', re.S)
    for module in pack.pack.modules:
        pages = {}
        for key, version in VERSIONS.items():
            html = read_zip(built(pack, module, version))[f"{module.id}/index.html"].decode()
            data = json.loads(data_script.search(html).group(2))
            assert set(data) == {"facts", "module", "scorm", "strings", "transport"}, (key, module.id, sorted(data))
            pages[key] = (data_script.sub(r"\1\3", html), data["module"], data["strings"], data["facts"])
        assert pages["1.2"] == pages["2004"], module.id


def test_scripts_use_no_network_eval_or_unload():
    from coursepack.player import player_file
    scripts = {name: player_file(name).decode() for name in ("widgets.js", "shell.js")}
    scripts[ADAPTER] = (REPO / "scorm_export" / "static" / ADAPTER).read_text()
    for name, text in scripts.items():
        code = re.sub(r"/\*.*?\*/|//[^\n]*", "", text, flags=re.S)
        for banned in (r"\beval\s*\(", r"new\s+Function\s*\(", r"\bfetch\s*\(", r"XMLHttpRequest",
                       r"sendBeacon", r"WebSocket", r"importScripts", r"[\"']unload[\"']",
                       r"[\"']beforeunload[\"']", r"onunload", r"onbeforeunload", r"setInterval",
                       r"cmi\.mode", r"lesson_mode", r"GetErrorString", r"GetDiagnostic"):
            assert not re.search(banned, code), f"{name} uses {banned}"


# ---------------------------------------------------------------------------------- metadata

def test_metadata_and_pass_mark_come_from_front_matter(pack):
    for key, version in VERSIONS.items():
        for module in pack.pack.modules:
            doc = manifest_of(built(pack, module, version))
            text = etree.tostring(doc, encoding="unicode")
            ns = NS[key]
            if key == "1.2":
                md = ns["imsmd"]
                general = doc.find(f".//{{{md}}}general")
                assert general.findtext(f"{{{md}}}title/{{{md}}}langstring") == module.title
                assert general.findtext(f"{{{md}}}description/{{{md}}}langstring") == module.summary
                assert general.findtext(f"{{{md}}}language") == module.language
                keywords = [k.text for k in general.iterfind(f"{{{md}}}keyword/{{{md}}}langstring")]
                assert doc.findtext(f".//{{{md}}}lifecycle/{{{md}}}version/{{{md}}}langstring") == module.version
                assert doc.findtext(f".//{{{md}}}typicallearningtime/{{{md}}}datetime") == f"PT{module.duration}M"
                mastery = doc.findall(f".//{{{ns['adlcp']}}}masteryscore")
                assert [m.text for m in mastery] == [str(module.pass_mark)]
            else:
                lom = ns["lom"]
                general = doc.find(f".//{{{lom}}}general")
                assert general.findtext(f"{{{lom}}}title/{{{lom}}}string") == module.title
                assert general.findtext(f"{{{lom}}}description/{{{lom}}}string") == module.summary
                assert general.findtext(f"{{{lom}}}language") == module.language
                keywords = [k.text for k in general.iterfind(f"{{{lom}}}keyword/{{{lom}}}string")]
                assert doc.findtext(f".//{{{lom}}}lifeCycle/{{{lom}}}version/{{{lom}}}string") == module.version
                assert doc.findtext(f".//{{{lom}}}typicalLearningTime/{{{lom}}}duration") == f"PT{module.duration}M"
                ss = ns["imsss"]
                objective = doc.find(f".//{{{ss}}}primaryObjective")
                assert objective.get("satisfiedByMeasure") == "true"
                assert float(objective.findtext(f"{{{ss}}}minNormalizedMeasure")) == module.pass_mark / 100
                controls = doc.find(f".//{{{ss}}}deliveryControls")
                assert controls.get("completionSetByContent") == "true"
                assert controls.get("objectiveSetByContent") == "true"
                org = doc.find(f".//{{{ns['cp']}}}organization")
                mode = org.find(f"{{{ss}}}sequencing/{{{ss}}}controlMode")
                assert mode.get("flow") == "true", "the LMS's start launches the module"
            assert keywords == list(module.keywords)
            assert doc.get("version") == module.version
            assert module.id in text


def test_whole_pack_has_one_sco_per_module_under_one_root_and_2004_sequencing(pack):
    modules = list(pack.pack.modules)
    for key, version in VERSIONS.items():
        doc = manifest_of(pack_zip(pack, modules, version))
        cp = NS[key]["cp"]
        org = doc.find(f".//{{{cp}}}organization")
        roots = org.findall(f"{{{cp}}}item")
        assert len(roots) == 1 and roots[0].get("identifierref") is None, "one non-launchable root item"
        leaves = roots[0].findall(f"{{{cp}}}item")
        assert [leaf.findtext(f"{{{cp}}}title") for leaf in leaves] == [m.title for m in modules]
        scos = [r for r in doc.iter(f"{{{cp}}}resource")
                if r.get(f"{{{NS[key]['adlcp']}}}" + ("scormtype" if key == "1.2" else "scormType")) == "sco"]
        assert len(scos) == len(modules)
        if key == "2004":
            ss = NS[key]["imsss"]
            for holder in (org, roots[0]):
                mode = holder.find(f"{{{ss}}}sequencing/{{{ss}}}controlMode")
                assert mode.get("choice") == "true" and mode.get("flow") == "true"
                assert mode.get("forwardOnly") == "false"
                rollup = holder.find(f"{{{ss}}}sequencing/{{{ss}}}rollupRules")
                assert rollup.get("rollupProgressCompletion") == "true"
                assert rollup.get("rollupObjectiveSatisfied") == "true"
                assert holder.find(f".//{{{ss}}}preConditionRule") is None, "no order imposed"
            measures = [float(o.findtext(f"{{{ss}}}minNormalizedMeasure"))
                        for o in doc.iter(f"{{{ss}}}primaryObjective")]
            assert measures == [m.pass_mark / 100 for m in modules]
        else:
            mastery = [int(m.text) for m in doc.iter(f"{{{NS[key]['adlcp']}}}masteryscore")]
            assert mastery == [m.pass_mark for m in modules]


def test_manifest_escapes_author_text(fixture_pack):
    """Front matter reaches the manifest through an autoescaping template: markup stays text."""
    module = fixture_pack.pack.modules[0]
    nasty = "Fish & chips <b>\"quoted\"</b> ]]> &amp;"
    from dataclasses import replace
    changed = replace(module, title=nasty, summary=nasty, keywords=(nasty,))
    result = type(fixture_pack)(replace(fixture_pack.pack, modules=(changed,)), fixture_pack.diagnostics,
                                {changed.id: fixture_pack.sources[module.id]})
    doc = manifest_of(module_zip(result, changed, VERSIONS["2004"]))
    lom = NS["2004"]["lom"]
    assert doc.findtext(f".//{{{lom}}}title/{{{lom}}}string") == nasty
    assert doc.findtext(f".//{{{NS['2004']['cp']}}}organization/{{{NS['2004']['cp']}}}title") == nasty


# ------------------------------------------------------------------------- bytes and sizes

def test_builds_are_byte_identical_and_normalised(pack):
    for version in VERSIONS.values():
        for module in pack.pack.modules:
            first, second = built(pack, module, version), module_zip(pack, module, version)
            assert first == second
        modules = list(pack.pack.modules)
        assert pack_zip(pack, modules, version) == pack_zip(pack, modules, version)
    data = module_zip(pack, pack.pack.modules[0], VERSIONS["1.2"])
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        infos = z.infolist()
    assert [i.filename for i in infos] == sorted(i.filename for i in infos)
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
    assert {i.external_attr >> 16 for i in infos} == {0o100644}
    assert not any(i.filename.endswith("/") for i in infos)
    # Same files in another order: same bytes.
    files = read_zip(data)
    assert zip_bytes(dict(reversed(list(files.items())))) == data


def zipfile_bytes(files: dict[str, bytes], stored=()) -> bytes:
    """What Python's zipfile writes for these files, with the fields zip_bytes promises (those
    named in ``stored``: stored, not deflated)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_STORED if name in stored else zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o100644 << 16
            archive.writestr(info, files[name], compresslevel=ZIP_LEVEL)
    return buffer.getvalue()


def random_files(rng: random.Random) -> dict[str, bytes]:
    """A few files with names from a small alphabet (folders, non-ASCII letters) and contents
    from empty to a few KB, repetitive or not."""
    files = {}
    for _ in range(rng.randint(0, 6)):
        name = "".join(rng.choice("abz019._-/äß") for _ in range(rng.randint(1, 20))).rstrip("/") or "x"
        size = rng.choice((0, 1, 50, 3000))
        files[name] = rng.randbytes(size) if rng.random() < 0.5 else (rng.choice(["a", "<p>", "é"]) * size).encode()
    return files


def test_zips_are_byte_for_byte_what_zipfile_writes():
    """zip_bytes assembles members compressed once (so shared files are not compressed per
    package), some of them stored (a zip in a backup); the bytes must stay exactly those of the
    standard library's zipfile."""
    rng = random.Random(26)
    for _ in range(200):
        files = random_files(rng)
        stored = {name for name in files if rng.random() < 0.3}
        data = zip_bytes(files, stored)
        assert data == zipfile_bytes(files, stored), (sorted(files), sorted(stored))
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            assert z.testzip() is None
            assert {n: z.read(n) for n in z.namelist()} == files


def test_a_zip_another_library_wrote_is_written_again_without_its_clock():
    """zip_members_of keeps the members another library compressed (python-pptx's and
    python-docx's, in the facilitator kit): written again through zip_members, the files are
    the same, their order and time stamps are gone, so the same files saved at another time and
    in another order give the same bytes. Stored members are compressed on the way."""
    rng = random.Random(27)
    for _ in range(100):
        files = random_files(rng)
        again = []
        for when, order in (((2026, 12, 7, 10, 0, 0), list(files)), ((2031, 1, 2, 3, 4, 6), list(reversed(files)))):
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w") as archive:
                for n, name in enumerate(order):
                    info = zipfile.ZipInfo(name, date_time=when)
                    info.compress_type = zipfile.ZIP_STORED if n % 3 == 2 else zipfile.ZIP_DEFLATED
                    archive.writestr(info, files[name])
            again.append(zip_members(zip_members_of(buffer.getvalue())))
        assert again[0] == again[1], sorted(files)
        with zipfile.ZipFile(io.BytesIO(again[0])) as z:
            assert z.testzip() is None
            assert {n: z.read(n) for n in z.namelist()} == files
            assert {i.date_time for i in z.infolist()} <= {(1980, 1, 1, 0, 0, 0)}


def test_every_package_is_what_zipfile_writes_for_its_files(pack):
    for version in VERSIONS.values():
        modules = list(pack.pack.modules)
        for data in (built(pack, modules[0], version), pack_zip(pack, modules, version)):
            assert data == zipfile_bytes(read_zip(data))


def test_every_module_package_is_small(pack):
    for version in VERSIONS.values():
        for module in pack.pack.modules:
            size = len(built(pack, module, version))
            assert size < SIZE_LIMIT, f"{version.name}/{module.id}: {size} bytes"


def test_images_ship_with_their_module(fixture_pack):
    for module in fixture_pack.pack.modules:
        from coursepack.assets import module_images
        images = module_images(fixture_pack, module)
        files = read_zip(module_zip(fixture_pack, module, VERSIONS["2004"]))
        for image in images:
            assert files[image.path] == image.data
            assert image.data == (FIXTURE / "modules" / module.id / image.written).read_bytes()
    assert any(module_images(fixture_pack, m) for m in fixture_pack.pack.modules), "fixture has an image"


# ------------------------------------------------------------------------------ entry points

def test_build_command_writes_one_zip_per_module_per_version(tmp_path, pack):
    runner = CliRunner()
    outcome = runner.invoke(cli, ["build", str(CONTENT), "--out", str(tmp_path),
                                  "--only", "scorm12", "--only", "scorm2004"])
    assert outcome.exit_code == 0, outcome.output
    for version in VERSIONS.values():
        written = sorted(p.name for p in (tmp_path / version.name).iterdir())
        assert written == sorted([f"{m.id}-{m.version}.zip" for m in pack.pack.modules] + [pack_zip_name(pack.pack)])
        for m in pack.pack.modules:
            assert (tmp_path / version.name / module_zip_name(m)).read_bytes() == built(pack, m, version)
        assert (tmp_path / version.name / pack_zip_name(pack.pack)).read_bytes() == \
            pack_zip(pack, list(pack.pack.modules), version), "the whole pack beside the modules"


def test_a_new_module_version_replaces_the_old_zip(tmp_path, pack):
    out = tmp_path / "scorm12"
    out.mkdir()
    module = pack.pack.modules[0]
    for stale in (f"{module.id}.zip", f"{module.id}-0.9.0.zip", "commonground-cg101-all-modules.zip"):
        (out / stale).write_bytes(b"old")
    (out / "notes.zip").write_bytes(b"kept")
    build_scorm12(pack, out)
    names = {p.name for p in out.iterdir()}
    assert module_zip_name(module) in names and "notes.zip" in names
    assert not names & {f"{module.id}.zip", f"{module.id}-0.9.0.zip", "commonground-cg101-all-modules.zip"}


def test_builders_rewrite_nothing_when_nothing_changed(tmp_path, pack):
    build_scorm12(pack, tmp_path / "scorm12")
    build_scorm2004(pack, tmp_path / "scorm2004")
    stamps = {p: p.stat().st_mtime_ns for p in tmp_path.rglob("*.zip")}
    time.sleep(0.01)
    build_scorm12(pack, tmp_path / "scorm12")
    build_scorm2004(pack, tmp_path / "scorm2004")
    assert stamps == {p: p.stat().st_mtime_ns for p in tmp_path.rglob("*.zip")}


def test_export_one_module_one_version(tmp_path, pack):
    module = pack.pack.modules[1]
    outcome = CliRunner().invoke(cli, ["export", str(CONTENT), "--module", module.id, "--version", "1.2",
                                       "--out", str(tmp_path)])
    assert outcome.exit_code == 0, outcome.output
    assert [p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.zip")] == \
        [f"scorm12/{module.id}-{module.version}.zip"]


def test_export_whole_pack_both_versions(tmp_path, pack):
    outcome = CliRunner().invoke(cli, ["export", str(CONTENT), "--pack", "--out", str(tmp_path)])
    assert outcome.exit_code == 0, outcome.output
    name = pack_zip_name(pack.pack)
    for version in VERSIONS.values():
        data = (tmp_path / version.name / name).read_bytes()
        assert data == pack_zip(pack, list(pack.pack.modules), version)


def test_export_some_modules_as_a_pack(tmp_path, pack):
    ids = [pack.pack.modules[2].id, pack.pack.modules[0].id]
    args = ["export", str(CONTENT), "--pack", "--version", "2004", "--out", str(tmp_path)]
    for i in ids:
        args += ["--module", i]
    outcome = CliRunner().invoke(cli, args)
    assert outcome.exit_code == 0, outcome.output
    chosen = [pack.pack.module(i) for i in ids]
    files = read_zip((tmp_path / "scorm2004" / pack_zip_name(pack.pack, chosen)).read_bytes())
    assert {n.split("/")[0] for n in files if n.endswith("/index.html")} == set(ids)


def test_export_unknown_module_is_refused_with_the_list(tmp_path):
    outcome = CliRunner().invoke(cli, ["export", str(CONTENT), "--module", "nope", "--out", str(tmp_path)])
    assert outcome.exit_code != 0
    assert "nope" in outcome.output and "stigma" in outcome.output
    assert not list(tmp_path.rglob("*.zip"))


def test_scorm_export_never_imports_the_xblocks_and_coursepack_never_imports_it():
    code = ("import sys, scorm_export.build, scorm_export.package; "
            "bad = [m for m in sys.modules if m == 'xblocks' or m.startswith('xblocks.')]; "
            "assert not bad, bad")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO)
    for path in (REPO / "coursepack").rglob("*.py"):
        assert "scorm_export" not in path.read_text(), path
    for path in (REPO / "scorm_export").rglob("*.py"):
        assert not re.search(r"^\s*(from|import)\s+xblocks", path.read_text(), re.M), path


def test_a_zip_written_piece_by_piece_is_the_same_and_rewritten_only_when_changed(tmp_path):
    """A large zip (the Moodle backup) is written as it is assembled (``write_parts_if_changed``
    of ``zip_file_parts``): the same bytes as ``zip_bytes``, the file left alone when they are
    already there, replaced when not, and nothing else left in the folder."""
    from coursepack.archive import write_parts_if_changed, zip_file_parts
    rng = random.Random(27)
    path = tmp_path / "backup.mbz"
    for _ in range(20):
        files = random_files(rng)
        stored = {name for name in files if rng.random() < 0.3}
        before = path.read_bytes() if path.exists() else None
        data = zip_bytes(files, stored)
        assert write_parts_if_changed(path, zip_file_parts(files, stored)) == (data != before)
        assert path.read_bytes() == data
        assert [p.name for p in tmp_path.iterdir()] == ["backup.mbz"]
        assert not write_parts_if_changed(path, zip_file_parts(files, stored))
