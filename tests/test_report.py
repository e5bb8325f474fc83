"""``commonground report`` end to end, on Moodle 5.0 downloads GENERATED in Moodle's formats
(benchmarks/moodle_exports.py, from Moodle's code) until real ones are committed: every format
Moodle offers (CSV, ODS, Excel) gives the same figures, the figures equal a count made from the
simulation itself, nothing identifying reaches the output, and bad input is refused with the
file's name, exit 1 and nothing written."""
from __future__ import annotations

import csv
import io
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings, strategies as st

from benchmarks import moodle_exports as mx
from coursepack import cli
from coursepack.elements.confidence import Confidence
from coursepack.load import require_pack
from governance_report import command, decode
from governance_report.exports import Inputs
from governance_report.problems import InputProblem
from scorm_export.package import token

from support import CONTENT

REPO = Path(__file__).resolve().parent.parent
PACK = require_pack(CONTENT).pack
MODULES = ("stigma", "trauma-informed")
LEARNERS = mx.names(60)
TAKINGS = mx.simulate(PACK, 60, MODULES, seed=7)


def run(*args) -> tuple[int, str]:
    result = CliRunner().invoke(cli.main, ["report", *map(str, args), "--pack", str(CONTENT)])
    return result.exit_code, result.output


def figures(out: Path) -> dict[tuple[str, str], str]:
    text = (out / "figures.csv").read_text(encoding="utf-8-sig")
    return {(r["row"], r["column"]): r["value"] for r in csv.DictReader(io.StringIO(text))
            if r["table"].startswith("Learners who started each module, and how many")} | \
           {(r["row"], "pass:" + r["column"]): r["value"] for r in csv.DictReader(io.StringIO(text))
            if r["table"].startswith("Learners with a score")} | \
           {("conf", r["row"] + ":" + r["column"]): r["value"] for r in csv.DictReader(io.StringIO(text))
            if r["table"].startswith("Change in confidence")}


def number(text: str) -> int:
    return int(text.replace(",", ""))


def agrees(shown: str, true: int) -> bool:
    """A figure as the report shows it agrees with the true count: the number itself, "fewer
    than 5" for 0 to 4, or "not shown" (hidden so a smaller one cannot be worked out) for 5 or more."""
    if shown == "fewer than 5":
        return true < 5
    if shown == "not shown":
        return true >= 5
    return number(shown) == true


@pytest.fixture(scope="module")
def exports(tmp_path_factory):
    """The downloads in each format, as a teacher saves them."""
    root = tmp_path_factory.mktemp("moodle")
    return {fmt: mx.write_set(root / fmt, PACK, TAKINGS, LEARNERS, fmt, MODULES) for fmt in ("csv", "ods", "xlsx")}


@pytest.mark.parametrize("fmt", ["csv", "ods", "xlsx"])
def test_report_figures_equal_a_count_from_the_learners(exports, tmp_path, fmt):
    code, output = run(*exports[fmt], "--out", tmp_path / "r")
    assert code == 0, output
    found = figures(tmp_path / "r")
    for module in MODULES:
        title = PACK.module(module).title
        truth = mx.truth(TAKINGS, module)
        assert agrees(found[(title, "Started")], truth["started"])
        assert agrees(found[(title, "Finished")], truth["finished"])
        assert agrees(found[(title, "pass:Passed on the first attempt")], truth["first_pass"])
        passed_later = truth["passed"] - truth["first_pass"]
        assert agrees(found[(title, "pass:Passed on a later attempt")], passed_later)
        pairs = [v for (kind, key), v in found.items() if kind == "conf" and key.startswith(title)
                 and key.endswith(":Rated before and after")]
        assert pairs and all(agrees(v, truth["pairs"] // len(pairs)) for v in pairs)
        assert all(v[0].isdigit() for v in pairs)     # enough learners here to show them all
    html = (tmp_path / "r" / "report.html").read_text()
    assert "<svg" in html and "<table" in html and "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_every_format_gives_the_same_report(exports, tmp_path):
    outputs = []
    for fmt in ("csv", "ods", "xlsx"):
        code, output = run(*exports[fmt], "--out", tmp_path / fmt)
        assert code == 0, output
        outputs.append((tmp_path / fmt / "figures.csv").read_bytes())
    assert outputs[0] == outputs[1] == outputs[2]


def test_no_name_email_or_lms_id_reaches_the_output(exports, tmp_path):
    code, output = run(*exports["csv"], "--out", tmp_path / "r")
    assert code == 0, output
    written = "".join(p.read_text(encoding="utf-8-sig") for p in (tmp_path / "r").iterdir())
    for name in LEARNERS:
        first, _, last = name.partition(" ")
        assert name not in written
        assert not re.search(rf"\b{re.escape(last)}\b", written), last
    assert "@example.org" not in written
    assert sorted(p.name for p in (tmp_path / "r").iterdir()) == ["figures.csv", "report.html"]


def test_small_groups_show_fewer_than_5(tmp_path):
    few = mx.simulate(PACK, 8, ("stigma",), seed=3)
    files = mx.write_set(tmp_path / "in", PACK, few, mx.names(8), "csv", ("stigma",))
    code, output = run(*files, "--out", tmp_path / "r")
    assert code == 0, output
    rows = list(csv.DictReader(io.StringIO((tmp_path / "r" / "figures.csv").read_text(encoding="utf-8-sig"))))
    for row in rows:
        if row["value"].replace(",", "").isdigit():
            assert number(row["value"]) >= 5, row
    assert any(r["value"] == "fewer than 5" for r in rows)


def test_columns_moved_still_read(exports, tmp_path):
    """A teacher who moved columns in Excel: the headers still say what each column is."""
    module = PACK.module("stigma")
    headers, rows = mx.scorm_report(TAKINGS, module, LEARNERS, sheet=True)
    order = list(reversed(range(len(headers))))
    moved = tmp_path / "CG101 Understanding stigma.xlsx"
    moved.write_bytes(mx.xlsx_bytes([headers[i] for i in order], [[r[i] for i in order] for r in rows]))
    code, output = run(moved, "--out", tmp_path / "moved")
    assert code == 0, output
    code, output = run(exports["xlsx"][0], "--out", tmp_path / "plain")
    assert code == 0, output
    assert (tmp_path / "moved" / "figures.csv").read_bytes() == (tmp_path / "plain" / "figures.csv").read_bytes()


def _bad(tmp_path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("case", ["empty", "wrong file", "truncated", "another course", "no question column",
                                  "no response column", "not English", "broken spreadsheet"])
def test_bad_input_is_refused_and_nothing_written(exports, tmp_path, case):
    module = PACK.module("stigma")
    headers, rows = mx.scorm_report(TAKINGS, module, LEARNERS, sheet=False)
    full = mx.csv_bytes(headers, rows)
    if case == "empty":
        bad = _bad(tmp_path, "empty.txt", b"")
        expect = "is empty"
    elif case == "wrong file":
        bad = _bad(tmp_path, "notes.csv", b"date,what\n2026-01-01,a meeting\n")
        expect = "is not a Moodle report"
    elif case == "truncated":
        bad = _bad(tmp_path, "cut.txt", full[: len(full) // 2 + 7])
        expect = "cut short"
    elif case == "another course":
        other = [h.replace(module.title, "Fire safety") for h in headers]
        bad = _bad(tmp_path, "FS101 Fire safety.txt",
                   mx.csv_bytes(other, [[c.replace("q_", "x_").replace("cf_", "y_") for c in r] for r in rows]))
        expect = "another course"
    elif case == "no question column":
        keep = [i for i, h in enumerate(headers) if not h.startswith(("Question", "Result"))]
        bad = _bad(tmp_path, "x.txt", mx.csv_bytes([headers[i] for i in keep], [[r[i] for i in keep] for r in rows]))
        expect = "tick 'Question'"
    elif case == "no response column":
        keep = [i for i, h in enumerate(headers) if not h.startswith("Response")]
        bad = _bad(tmp_path, "y.txt", mx.csv_bytes([headers[i] for i in keep], [[r[i] for i in keep] for r in rows]))
        expect = "no Response columns"
    elif case == "not English":
        french = [{"Name": "Nom", "Attempt": "Tentative", "Started on": "Commencé le"}.get(h, h) for h in headers]
        bad = _bad(tmp_path, "fr.txt", mx.csv_bytes(french, rows))
        expect = "is not a Moodle report"
    else:
        bad = _bad(tmp_path, "broken.xlsx", mx.xlsx_bytes(headers, rows)[:400])
        expect = "damaged or cut-short"
    out = tmp_path / "r"
    code, output = run(exports["csv"][1], bad, "--out", out)
    assert code == 1
    assert bad.name in output and expect in output, output
    assert "Traceback" not in output and "No report was written" in output
    assert not out.exists()


def test_an_earlier_report_is_left_whole_when_a_new_one_fails(exports, tmp_path):
    out = tmp_path / "r"
    assert run(*exports["csv"], "--out", out)[0] == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    bad = _bad(tmp_path, "cut.txt", mx.csv_bytes(["Name", "Attempt"], [["a", "1"]])[:-3])
    assert run(*exports["csv"], bad, "--out", out)[0] == 1
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_two_versions_of_a_module_are_reported_apart(tmp_path):
    """Version 0.9.0 of a module asked one question under another id: its export, read with
    that version's questions.csv, is reported in a row of its own, and the report says so."""
    from coursepack.load import LoadResult
    from scorm_export.coordinator import question_rows, questions_csv
    renamed = token(PACK.module("stigma").graded[0].id)
    rows = [r for r in question_rows(LoadResult(PACK, None, {}, [])) if r["module"] == "stigma"]
    for row in rows:
        row["module_version"] = "0.9.0"
        if row["interaction_id"] == renamed:
            row["interaction_id"] = renamed + "_old"
    old_key = _bad(tmp_path, "questions-0.9.0.csv", questions_csv(rows))
    new_files = mx.write_set(tmp_path / "new", PACK, TAKINGS, LEARNERS, "csv", ("stigma",))
    older = mx.simulate(PACK, 30, ("stigma",), seed=11)
    headers, old_rows = mx.scorm_report(older, PACK.module("stigma"), mx.names(30), sheet=False)
    old_rows = [[renamed + "_old" if c == renamed else c for c in r] for r in old_rows]
    old_file = _bad(tmp_path, "CG101 Understanding stigma (2025).txt", mx.csv_bytes(headers, old_rows))
    code, output = run(new_files[0], old_file, "--questions", old_key, "--out", tmp_path / "r")
    assert code == 0, output
    text = (tmp_path / "r" / "figures.csv").read_text(encoding="utf-8-sig")
    assert "Understanding stigma (version 1.0.0)" in text and "Understanding stigma (version 0.9.0)" in text
    assert "versions 0.9.0 and 1.0.0 of &#39;Understanding stigma&#39;" in (tmp_path / "r" / "report.html").read_text()


@pytest.mark.parametrize("cell", [("weight", "heavy"), ("weight", "0"), ("section", ""), ("pass_mark", "101")])
def test_a_questions_csv_with_an_edited_score_cell_is_refused_at_its_line(exports, tmp_path, cell):
    from coursepack.load import LoadResult
    from scorm_export.coordinator import question_rows, questions_csv
    rows = question_rows(LoadResult(PACK, None, {}, []))
    rows[3][cell[0]] = cell[1]
    edited = _bad(tmp_path, "questions.csv", questions_csv(rows))
    code, output = run(*exports["csv"], "--questions", edited, "--out", tmp_path / "r")
    assert code == 1 and not (tmp_path / "r").exists()
    assert "questions.csv" in output and "line 5" in output and "unedited" in " ".join(output.split()), output


def test_since_until_and_compare(exports, tmp_path):
    code, output = run(*exports["csv"], "--since", "2026-01", "--until", "2026-03", "--compare", "2026-04:2026-06",
                       "--out", tmp_path / "r")
    assert code == 0, output
    html = (tmp_path / "r" / "report.html").read_text()
    assert "Change between two periods" in html and "2026-04 to 2026-06" in html
    code, output = run(*exports["csv"], "--since", "2026-01", "--until", "2026-04", "--compare", "2026-04:2026-06",
                       "--out", tmp_path / "bad")
    assert code != 0 and "overlaps" in output and not (tmp_path / "bad").exists()


def test_the_token_rule_is_the_packages_own():
    for ident in ("q-forms", "cf-before_explain", "a"):
        assert decode.lms_token(ident) == token(ident)


def test_the_report_loads_no_other_delivery():
    probe = ("import json, sys, governance_report.command, governance_report.render; "
             "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=REPO)
    loaded = set(__import__("json").loads(out.stdout.strip().splitlines()[-1]))
    assert "governance_report" in loaded and not loaded & {"xblocks", "xblock", "scorm_export", "olx_export",
                                                            "facilitator_export"}


def test_a_scorm_2004_activity_is_never_reported_as_no_answers(tmp_path):
    """Moodle's Interactions report leaves Question and Response empty for SCORM 2004: the
    attempts still count, and the report says why there are no answers, not that nobody answered."""
    module = PACK.module("stigma")
    headers, rows = mx.scorm_report(TAKINGS, module, LEARNERS, sheet=False)
    empty = [[("" if h.startswith(("Response", "Result")) else c) for h, c in zip(headers, r)] for r in rows]
    path = _bad(tmp_path, "CG101 Understanding stigma (2004).txt", mx.csv_bytes(headers, empty))
    code, output = run(path, "--out", tmp_path / "r")
    assert code == 0, output
    html = (tmp_path / "r" / "report.html").read_text()
    assert "does not mean nobody answered" in html
    assert agrees(figures(tmp_path / "r")[(module.title, "Started")], mx.truth(TAKINGS, "stigma")["started"])


def test_the_basic_report_and_completion_report_give_uptake(tmp_path):
    """Without the Interactions report: the Basic report (Track details on) and the course
    completion report still give starts, finishes and passes."""
    module = PACK.module("trauma-informed")
    headers, rows = mx.scorm_report(TAKINGS, module, LEARNERS, sheet=False, interactions=False, email=True)
    basic = _bad(tmp_path, "CG101 Trauma-informed practice-basic.txt", mx.csv_bytes(headers, rows))
    c_headers, c_rows = mx.completion_report(TAKINGS, [module], LEARNERS)
    completion = _bad(tmp_path, "completion-cg101.csv", mx.csv_bytes(c_headers, c_rows, ",", bom=True))
    code, output = run(basic, completion, "--out", tmp_path / "r")
    assert code == 0, output
    found, truth = figures(tmp_path / "r"), mx.truth(TAKINGS, "trauma-informed")
    assert agrees(found[(module.title, "Started")], truth["started"])
    assert agrees(found[(module.title, "Finished")], truth["finished"])
    assert "example.org" not in (tmp_path / "r" / "report.html").read_text()


def test_an_export_with_no_learner_is_refused(tmp_path):
    module = PACK.module("stigma")
    headers, _ = mx.scorm_report(TAKINGS, module, LEARNERS, sheet=False)
    path = _bad(tmp_path, "CG101 Understanding stigma.txt", mx.csv_bytes(headers, []))
    code, output = run(path, "--out", tmp_path / "r")
    assert code == 1 and "hold no SCORM attempts" in output and path.name in output
    assert not (tmp_path / "r").exists()


def test_the_packs_min_learners_raises_the_floor(exports, tmp_path):
    import shutil
    pack = tmp_path / "pack"
    shutil.copytree(CONTENT, pack)
    (pack / "pack.yml").write_text((pack / "pack.yml").read_text() + "\nmin_learners: 12\n")
    result = CliRunner().invoke(cli.main, ["report", *map(str, exports["csv"]), "--pack", str(pack),
                                           "--out", str(tmp_path / "r")])
    assert result.exit_code == 0, result.output
    values = [r["value"] for r in csv.DictReader(io.StringIO((tmp_path / "r" / "figures.csv").read_text(encoding="utf-8-sig")))]
    assert "fewer than 12" in values and "fewer than 5" not in values
    assert all(number(v) >= 12 for v in values if v.replace(",", "").isdigit())
    (pack / "pack.yml").write_text((pack / "pack.yml").read_text().replace("min_learners: 12", "min_learners: 3"))
    result = CliRunner().invoke(cli.main, ["lint", str(pack)])
    assert result.exit_code == 1 and "min_learners" in result.output


def test_the_pack_and_the_coordinator_kits_questions_csv_decode_alike(tmp_path):
    """Every option of every question, as the coordinator kit lists its 1.2 and 2004 tokens,
    decodes to that option, from the pack and from questions.csv alike; 2004 joins with [,]."""
    from coursepack.load import LoadResult
    from scorm_export.coordinator import question_rows, questions_csv
    rows = question_rows(LoadResult(PACK, None, {}, []))
    path = _bad(tmp_path, "questions.csv", questions_csv(rows))
    for keys in (decode.from_pack(PACK), decode.from_questions_csv(path, PACK)):
        by = {(k.module, q.id): q for k in keys for q in k.questions.values()}
        for row in rows:
            q = by[(row["module"], row["interaction_id"])]
            assert q.decode(row["scorm12_response"]) == (row["option_id"],)
            assert q.decode(row["scorm2004_response"]) == (row["option_id"],)
    q = next(q for k in decode.from_pack(PACK) for q in k.questions.values() if len(q.options) > 2)
    both = list(q.tokens2004)[:2]
    assert q.decode("[,]".join(both)) == tuple(q.tokens2004[t] for t in both)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(st.sampled_from(["Name", "Attempt", "Started on", "Last accessed on", "Score", "Question 0",
                                          "Response 0", "Result 0", "Understanding stigma", "q_x", "-", "3", "",
                                          "7 December 2026, 7:03 AM", "80/100", "Passed", 'a"b', "ID",
                                          "Course complete", "Not completed", "é\\t"]), max_size=9), max_size=6),
       st.sampled_from(["\t", ","]), st.booleans())
def test_any_table_gives_a_report_or_a_message(tmp_path, rows, delimiter, cut):
    """Whatever a download holds, reading it ends in figures or in a message naming the file."""
    data = mx.csv_bytes(rows[0] if rows else [], rows[1:], delimiter)
    path = _bad(tmp_path, "any.txt", data[:-1] if cut and data else data)
    inputs = Inputs(decode.from_pack(PACK))
    try:
        command.read(path, inputs, PACK)
    except InputProblem as exc:
        assert str(exc).startswith(str(path))


def test_confidence_means_equal_the_learners_own(tmp_path):
    """With 100 or more learners rating a statement both times, its mean change is shown, and
    it is the mean of their own 'after' minus 'before' ratings."""
    many = mx.simulate(PACK, 300, ("stigma",), seed=9)
    files = mx.write_set(tmp_path / "in", PACK, many, mx.names(300), "csv", ("stigma",))
    code, output = run(*files, "--out", tmp_path / "r")
    assert code == 0, output
    rows = [r for r in csv.DictReader(io.StringIO((tmp_path / "r" / "figures.csv").read_text(encoding="utf-8-sig")))
            if r["table"].startswith("Change in confidence")]
    statements = {s.id: s for s in PACK.module("stigma").elements(Confidence) if not s.after}
    checked = 0
    for sid, statement in ((s.id, s) for c in statements.values() for s in c.statements):
        pairs = [(t.before[sid], t.after[sid]) for t in many if sid in t.before and sid in t.after]
        change = {r["column"]: r["value"] for r in rows if r["row"].endswith(": " + statement.text)}
        if len(pairs) >= 100:
            assert change["Mean change"] == f"{sum(a - b for b, a in pairs) / len(pairs):+.1f}"
            checked += 1
    assert checked


def test_a_rating_sent_as_the_result_is_read(tmp_path):
    """A likert interaction whose rating is in the Result column (Response empty) counts the same."""
    module = PACK.module("stigma")
    headers, rows = mx.scorm_report(TAKINGS, module, LEARNERS, sheet=False)
    moved = []
    for r in rows:
        r = list(r)
        for n, h in enumerate(headers):
            if h.startswith("Question") and r[n].startswith("cf_"):
                r[n + 1], r[n + 2] = "", r[n + 1]
        moved.append(r)
    files = {"response": mx.csv_bytes(headers, rows), "result": mx.csv_bytes(headers, moved)}
    found = {}
    for name, data in files.items():
        path = _bad(tmp_path, f"CG101 Understanding stigma {name}.txt", data)
        assert run(path, "--out", tmp_path / name)[0] == 0
        found[name] = {k: v for k, v in figures(tmp_path / name).items() if k[0] == "conf"}
    assert found["response"] and found["response"] == found["result"]
