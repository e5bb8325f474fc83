"""The coordinator kit from ``commonground build``: questions.csv decodes every value an LMS
report shows, catalogue.html plans each pathway and names the package files that build wrote."""
from __future__ import annotations

import csv
import io
import re

import pytest
from click.testing import CliRunner
from lxml import html as lxml_html

from coursepack.catalog import LEVEL_MEANING
from coursepack.completion import graded_sections
from coursepack.cli import main as cli
from coursepack.load import require_pack
from scorm_export.package import token

from support import CONTENT

PACK = require_pack(CONTENT)


@pytest.fixture(scope="module")
def kit(tmp_path_factory):
    out = tmp_path_factory.mktemp("dist")
    outcome = CliRunner().invoke(cli, ["build", str(CONTENT), "--out", str(out), "--only", "coordinator",
                                       "--only", "scorm12", "--only", "scorm2004"])
    assert outcome.exit_code == 0, outcome.output
    return out


def test_questions_csv_has_every_option_with_its_lms_values(kit):
    text = (kit / "coordinator" / "questions.csv").read_bytes().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    def answers(q):     # an option, or an item of a "put in order" question (in the right order)
        return list(q.correct_ids) if q.kind == "order" else [o.id for o in q.options]

    expected = [(m.id, q.id, a) for m in PACK.pack.modules for q in m.graded for a in answers(q)]
    assert [(r["module"], r["question_id"], r["option_id"]) for r in rows] == expected
    by_key = {(r["module"], r["question_id"], r["option_id"]): r for r in rows}
    for m in PACK.pack.modules:     # what scoring a version with no pack at hand needs
        sections = graded_sections(m)
        for q in m.graded:
            assert {(r["weight"], r["section"], r["pass_mark"]) for r in rows if r["question_id"] == q.id
                    and r["module"] == m.id} == {(f"{q.weight:g}", sections[q.id], str(m.pass_mark))}
    orders = [(m, q) for m in PACK.pack.modules for q in m.graded if q.kind == "order"]
    assert orders, "the shipped pack has a put-in-order question"
    for m, q in orders:
        mine = [by_key[(m.id, q.id, a)] for a in q.correct_ids]
        assert [r["correct"] for r in mine] == [f"place {n}" for n in range(1, len(mine) + 1)]
        assert [r["scorm12_response"] for r in mine] == list("abcdefg")[:len(mine)]
        assert [r["scorm2004_response"] for r in mine] == [token(a) for a in q.correct_ids]
    for m in PACK.pack.modules:
        for q in m.questions:
            mine = [by_key[(m.id, q.id, o.id)] for o in q.options]
            assert {r["interaction_id"] for r in mine} == {token(q.id)}
            assert [r["correct"] == "yes" for r in mine] == [o.correct for o in q.options]
            for key in ("scorm12_response", "scorm2004_response"):
                values = [r[key] for r in mine]
                assert len(set(values)) == len(values), f"{m.id}/{q.id}: {key} decodes to one option"
                assert all(re.fullmatch(r"[A-Za-z0-9_.]{1,250}", v) for v in values)
            if q.type != "truefalse":
                assert [r["scorm12_response"] for r in mine] == list("abcdefghijklmnopqrstuvwxyz")[:len(mine)]
                assert [r["scorm2004_response"] for r in mine] == [o.id.replace("-", "_") for o in q.options]
            assert all(r["question"] and "[S" not in r["question"] and "\n" not in r["question"] for r in mine)
            assert [r["option"] for r in mine] == [o.text.replace("*", "") for o in q.options]
            assert {r["module_version"] for r in mine} == {m.version}


def test_catalogue_has_one_section_per_pathway_with_the_files_build_wrote(kit):
    page = lxml_html.fromstring((kit / "coordinator" / "catalogue.html").read_bytes())
    sections = page.xpath("//section[@class='pathway']")
    assert [s.xpath("string(h2)") for s in sections] == [p.role for p in PACK.pack.pathways]
    written = {p.name for p in (kit / "scorm12").iterdir()} & {p.name for p in (kit / "scorm2004").iterdir()}
    for section, pathway in zip(sections, PACK.pack.pathways):
        modules = [PACK.pack.module(i) for i in pathway.modules]
        text = " ".join(section.text_content().split())
        assert f"about {sum(m.duration for m in modules)} minutes in all" in text
        titles = [h.text_content().split(". ", 1)[1] for h in section.xpath(".//h3")]
        assert titles == [m.title for m in modules]
        for block, m in zip(section.xpath(".//div[@class='module']"), modules):
            words = " ".join(block.text_content().split())
            assert f"about {m.duration} minutes" in words
            assert m.reviewed_by in words and m.reviewed_on.isoformat() in words and m.review_due.isoformat() in words
            assert all(" ".join(o.split()) in words for o in m.outcomes)
            files = block.xpath(".//dt[.='Package file']/following-sibling::dd[1]/code[1]/text()")
            assert files and files[0] in written
            level = block.xpath("string(.//dt[.='Pathway level']/following-sibling::dd[1])")
            assert level.lower().startswith(m.level) and LEVEL_MEANING[m.level] in level
    intro = page.xpath("string(//body/p[2])")
    pack_files = re.findall(r"\S+-all-modules-\S+\.zip", intro)
    assert pack_files and pack_files[0] in written
