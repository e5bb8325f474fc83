"""The OLX course: structure, policies, olxcleaner, determinism, and every one of our blocks in
it read back through our XBlock classes; OLX export and import of each block round-trip."""
from __future__ import annotations

import io
import json
import subprocess
import sys
import tarfile
from collections import Counter
from pathlib import Path

import pytest

pytest.importorskip("xblock")

from lxml import etree  # noqa: E402
from xblock.fields import UserScope  # noqa: E402

from coursepack import elements  # noqa: E402
from coursepack.fragment import parse_fragment, without_lines  # noqa: E402
from coursepack.load import require_pack  # noqa: E402
from olx_export import course as course_olx  # noqa: E402
from olx_export.chunks import page_chunks  # noqa: E402
from olx_export.course import ADVANCED_MODULES, BLOCK_TAGS  # noqa: E402
from xblock_support import django_db_ready, rows  # noqa: E402,F401  (fixtures)

REPO = Path(__file__).resolve().parent.parent
CONTENT = REPO / "content"


@pytest.fixture(scope="module")
def result():
    return require_pack(CONTENT)


@pytest.fixture(scope="module")
def built(result, tmp_path_factory):
    out = tmp_path_factory.mktemp("olx")
    message = course_olx.build(result, out)
    path = out / course_olx.tarball_name(result.pack)
    assert str(path) in message
    folder = tmp_path_factory.mktemp("course")
    with tarfile.open(path) as tar:
        tar.extractall(folder, filter="data")
    return path, folder / course_olx.TOP


def xml(folder: Path, name: str) -> etree._Element:
    return etree.parse(str(folder / name)).getroot()


def test_the_cli_writes_the_course_tarball(tmp_path):
    run = subprocess.run([sys.executable, "-m", "coursepack.cli", "build", str(CONTENT), "--out", str(tmp_path),
                          "--only", "olx"], capture_output=True, text=True, cwd=REPO, timeout=300)
    assert run.returncode == 0, run.stderr
    files = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file())
    assert files == ["olx/CommonGround-CG101-2026.tar.gz"]


def test_the_tarball_is_the_same_bytes_every_time(result, built):
    path, _ = built
    again = course_olx.tarball(course_olx.course_files(result))
    assert path.read_bytes() == again
    with tarfile.open(path) as tar:
        members = tar.getmembers()
    names = [m.name for m in members]
    assert names == sorted(names) and all(n == "course" or n.startswith("course/") for n in names)
    assert {(m.mtime, m.uid, m.gid, m.uname, m.gname) for m in members} == {(course_olx.EPOCH, 0, 0, "", "")}


def test_olxcleaner_finds_nothing(result, built):
    olxcleaner = pytest.importorskip("olxcleaner")
    _, folder = built
    course, errors, url_names = olxcleaner.validate(str(folder), steps=8, allowed_xblocks=ADVANCED_MODULES)
    assert course is not None
    assert [f"{type(e).__name__}: {e.description}" for e in errors.errors] == []
    modules = result.pack.modules
    # olxcleaner checks the course, chapters, sequentials and verticals (it skips allowed tags)
    assert len(url_names) == 1 + len(modules) + sum(len(m.sections) + len(m.pages) for m in modules)


def test_structure_follows_the_pack(result, built):
    _, folder = built
    pack = result.pack
    root = xml(folder, "course.xml")
    assert (root.get("org"), root.get("course"), root.get("url_name")) == ("CommonGround", "CG101", "2026")
    course = xml(folder, "course/2026.xml")
    assert [c.get("url_name") for c in course] == [m.id for m in pack.modules]
    for module in pack.modules:
        chapter = xml(folder, f"chapter/{module.id}.xml")
        assert chapter.get("display_name") == module.title
        assert [s.get("url_name") for s in chapter] == [f"{module.id}_{s.id}" for s in module.sections]
        for section in module.sections:
            sequential = xml(folder, f"sequential/{module.id}_{section.id}.xml")
            assert [v.get("url_name") for v in sequential] == [f"{module.id}_{p.id}" for p in section.pages]
            graded = any(e.kind == "question" for p in section.pages for e in p.elements)
            assert (sequential.get("graded"), sequential.get("format")) == \
                (("true", module.title) if graded else (None, None))
            for page in section.pages:
                vertical = xml(folder, f"vertical/{module.id}_{page.id}.xml")
                assert vertical.get("display_name") == page.title
                assert all(child.tag in BLOCK_TAGS.values() for child in vertical)
    # our blocks are inline in the verticals, never in files of their own
    assert not [p for p in folder.rglob("*") if p.name.startswith("cg_")]
    assert sorted(p.name for p in folder.iterdir()) == ["about", "chapter", "course", "course.xml", "policies",
                                                        "sequential", "static", "vertical"]


def test_policies(result, built):
    _, folder = built
    policy = json.loads((folder / "policies/2026/policy.json").read_text())
    assert policy["course/2026"]["advanced_modules"] == ["cg_confidence", "cg_joint_feedback", "cg_learning_review",
                                                        "cg_order", "cg_page", "cg_question", "cg_reflection",
                                                        "cg_scenario"]
    grading = json.loads((folder / "policies/2026/grading_policy.json").read_text())
    assert grading["GRADE_CUTOFFS"] == {"Pass": 0.7}
    graders = grading["GRADER"]
    assert [g["type"] for g in graders] == [m.title for m in result.pack.modules]
    assert abs(sum(g["weight"] for g in graders) - 1.0) < 1e-9
    formats = Counter(xml(folder, f"sequential/{p.name}").get("format") for p in (folder / "sequential").iterdir())
    assert {g["type"]: g["min_count"] for g in graders} == {k: v for k, v in formats.items() if k}
    overview = (folder / "about/overview.html").read_text()
    for module in result.pack.modules:
        assert module.title in overview.replace("&#x27;", "'")
    minutes = sum(m.duration for m in result.pack.modules)
    assert (folder / "about/effort.html").read_text().strip() == f"{minutes // 60}:{minutes % 60:02d}"


def blocks_in(folder: Path):
    for path in sorted((folder / "vertical").iterdir()):
        for node in xml(folder, f"vertical/{path.name}"):
            yield path.name, node


def test_every_block_in_the_tarball_reads_through_our_xblock_classes(result, built, rows):
    from xblock.test.toy_runtime import ToyRuntime
    _, folder = built
    runtime = ToyRuntime("olx-reader")
    seen = Counter()
    chunks = {c.source for m in result.pack.modules for cs in page_chunks(result, m).values() for c in cs}
    url_names = set()
    for vertical, node in blocks_in(folder):
        url_names.add(node.get("url_name"))
        block = runtime.get_block(runtime.parse_xml_string(etree.tostring(node)))
        assert block.problems() == [], (vertical, node.get("url_name"), block.problems())
        assert block.module and block.module_title and block.display_name
        assert block.module_version == result.pack.module(block.module).version, "the rows it writes keep it"
        assert "module_version" not in block.editable_fields, "set by the build, not edited in Studio"
        assert block.element is not None or block.kind == "page"
        if not node.get("url_name").endswith(("_intro", "_sources")):
            assert block.content in chunks, node.get("url_name")
        html = block.student_view().content
        assert "cannot be shown" not in html
        seen[node.tag] += 1
    assert len(url_names) == sum(seen.values())
    questions = sum(len(m.questions) for m in result.pack.modules)
    assert seen["cg_question"] == questions
    assert seen["cg_reflection"] == sum(len(m.reflections) for m in result.pack.modules)
    assert seen["cg_scenario"] == sum(len(m.scenarios) for m in result.pack.modules)
    assert seen["cg_confidence"] == sum(len(m.confidence_checks) for m in result.pack.modules)
    assert seen["cg_page"] >= 3 * len(result.pack.modules)


def test_every_chunk_reparses_to_the_same_elements(result):
    """What a block holds is exactly what the author wrote: reading it alone gives the same model."""
    count = 0
    for module in result.pack.modules:
        chunks = page_chunks(result, module)
        befores = {c.id: c.source for cs in chunks.values() for c in cs if c.kind == "confidence"}
        for page in module.pages:
            # every element learners are shown (a facilitator note is in no block)
            assert tuple(e for c in chunks[page.id] for e in c.elements) == elements.shown(page.elements)
            for chunk in chunks[page.id]:
                after = getattr(chunk.elements[0], "after", "")
                parsed = parse_fragment(chunk.source, kind=chunk.kind, before=befores.get(after, ""))
                assert parsed.errors == ()
                assert without_lines(parsed.elements) == without_lines(chunk.elements)
                count += 1
    assert count > 150


def test_the_first_and_last_pages_carry_the_front_matter(result, built):
    _, folder = built
    module = result.pack.modules[0]
    first = xml(folder, f"vertical/{module.id}_{module.pages[0].id}.xml")[0]
    assert first.get("url_name") == f"{module.id}_intro" and module.outcomes[0] in first.text
    last = xml(folder, f"vertical/{module.id}_{module.pages[-1].id}.xml")[-1]
    assert last.get("url_name") == f"{module.id}_sources" and "### Sources" in last.text
    pauses = [n for _, n in blocks_in(folder) if "::: pause" in (n.text or "")]
    assert pauses and all("Samaritans" in n.get("support_lines") for n in pauses)
    assert all("check_before_publishing" not in (n.get("support_lines") or "") for n in pauses)


# -- each block: OLX export and import ---------------------------------------------------------

def roundtrip(runtime, node_xml: bytes):
    block = runtime.get_block(runtime.parse_xml_string(node_xml))
    out = io.BytesIO()
    runtime.export_to_xml(block, out)
    return block, etree.fromstring(out.getvalue())


@pytest.mark.parametrize("tag", sorted(BLOCK_TAGS.values()))
def test_export_then_import_keeps_every_field(result, built, tag):
    from xblock.test.toy_runtime import ToyRuntime
    _, folder = built
    runtime = ToyRuntime("exporter")
    nodes = [n for _, n in blocks_in(folder) if n.tag == tag]
    for node in nodes[:12]:
        first, exported = roundtrip(runtime, etree.tostring(node))
        assert exported.tag == tag and exported.text == node.text
        second, again = roundtrip(runtime, etree.tostring(exported))
        for name, field in first.fields.items():
            if getattr(field.scope, "user", None) == UserScope.NONE:
                assert getattr(second, name) == getattr(first, name), name
        assert etree.tostring(again) == etree.tostring(exported)
        expected = {k: v for k, v in node.attrib.items() if k != "url_name"}
        assert {k: v for k, v in exported.attrib.items() if k != "xblock-family"} == expected


def graded_subsections(folder: Path) -> dict[str, list[list[etree._Element]]]:
    """Assignment type → its graded subsections, in course order, each as its cg_question nodes."""
    out: dict[str, list[list[etree._Element]]] = {}
    course = xml(folder, "course.xml")
    root = xml(folder, f"course/{course.get('url_name')}.xml")
    for chapter in root:
        for seq in xml(folder, f"chapter/{chapter.get('url_name')}.xml"):
            sequential = xml(folder, f"sequential/{seq.get('url_name')}.xml")
            if sequential.get("graded") != "true":
                continue
            nodes = [n for v in sequential for n in xml(folder, f"vertical/{v.get('url_name')}.xml")
                     if n.tag in GRADED_TAGS]
            out.setdefault(sequential.get("format"), []).append(nodes)
    return out


GRADED_TAGS = ("cg_question", "cg_order")


def open_edx_percent(subsections: list[list[tuple[float, bool]]], grader: dict) -> float:
    """What edx-platform's AssignmentFormatGrader gives one assignment type, written out here from
    its definition: each subsection earned/possible to two places, the lowest ``drop_count``
    dropped, the average over at least ``min_count``."""
    percents = sorted(round(sum(w for w, right in s if right) / sum(w for w, _ in s), 2) for s in subsections)
    kept = percents[grader["drop_count"]:]
    return 100 * sum(kept) / max(grader["min_count"] - grader["drop_count"], len(kept))


def test_the_module_result_is_what_the_open_edx_grader_gives(result, built, rows):
    """For every module, with each one of its knowledge checks answered wrongly in turn, the result
    under the checks equals the grader's score for the module's assignment type, under the grading
    policy the build wrote, and passes against the same cutoff."""
    from xblocks.order import PutInOrderBlock
    from xblocks.question import KnowledgeCheckBlock
    from xblocks.dev.testing import LearnerRuntime
    classes = {"cg_question": KnowledgeCheckBlock, "cg_order": PutInOrderBlock}
    _, folder = built
    run = xml(folder, "course.xml").get("url_name")
    policy = json.loads((folder / "policies" / run / "grading_policy.json").read_text())
    graders = {g["type"]: g for g in policy["GRADER"]}
    cutoff = policy["GRADE_CUTOFFS"]["Pass"]
    differs = 0
    for kind, subsections in graded_subsections(folder).items():
        nodes = [n for s in subsections for n in s]
        assert graders[kind]["min_count"] == len(subsections)
        for n, wrong in enumerate(nodes):
            runtime = LearnerRuntime(f"grader-{n}")
            blocks = []
            for node in nodes:
                blocks.append(runtime.block(
                    classes[node.tag], node.get("url_name"), content=node.text, module=node.get("module"),
                    module_questions=json.loads(node.get("module_questions")),
                    module_sections=json.loads(node.get("module_sections")),
                    module_pass_mark=int(node.get("module_pass_mark"))))
            for node, block in zip(nodes, blocks):
                question = block.element
                if node.tag == "cg_order":    # the authored order is right; reversed is wrong
                    answer = list(question.correct_ids)[::1 if node is not wrong else -1]
                else:
                    answer = list(question.correct_ids) if node is not wrong else \
                        [next(o.id for o in question.options if not o.correct)]
                    if question.type != "multiple":
                        answer = answer[:1]
                assert block.handle("submit", _json_request({"selected": answer})).status_code == 200
            standing = blocks[0].module_result()
            expected = open_edx_percent(
                [[(b.weight, b is not blocks[nodes.index(wrong)]) for b in blocks if
                  any(b.scope_ids.usage_id == m.get("url_name") for m in s)] for s in subsections], graders[kind])
            assert standing["score"] == pytest.approx(expected, abs=0.005), (kind, wrong.get("url_name"))
            assert standing["passed"] is (round(expected / 100, 2) >= cutoff)
            weighted = 100 * sum(b.weight for b in blocks if b is not blocks[nodes.index(wrong)]) / \
                sum(b.weight for b in blocks)
            differs += abs(weighted - expected) > 0.5
    assert differs, "no module where the grader's average differs from the weighted share: the test shows nothing"


def _json_request(payload):
    from webob import Request
    return Request.blank("/", method="POST", body=json.dumps(payload).encode(), content_type="application/json")
