"""The ``coordinator`` builder: what a training coordinator hands on with the packages.

``commonground build`` passes ``dist/coordinator``; it writes
- ``questions.csv``: one row per option of every question, with the values an LMS report shows
  (the interaction id, the SCORM 1.2 letter and the SCORM 2004 token), so a report can be read
  back to the question and option it stands for, and what a score needs (the question's weight,
  the module section it is graded in, the module's pass mark), so the governance report can
  score a version of a module it has no pack for;
- ``catalogue.html``: a printable page, one section per pathway: its modules with minutes,
  outcomes, pathway level in plain words, review status and dates, and the package files.

It lives here, not in coursepack, because it needs the SCORM tokens and file names.
"""
from __future__ import annotations

import csv
import io
from pathlib import Path

from markupsafe import Markup

from coursepack import elements
from coursepack.archive import write_if_changed
from coursepack.catalog import LEVEL_MEANING, NTTP_NOTE
from coursepack.completion import graded_sections
from coursepack.load import LoadResult
from coursepack.model import Module
from coursepack.plaintext import plain_text

from .package import STATIC, TEMPLATES, VERSIONS, interactions, module_zip_name, pack_zip_name, token

STYLE = STATIC / "catalogue.css"

COLUMNS = ("module", "module_version", "question_id", "interaction_id", "question_type",
           "option_id", "scorm12_response", "scorm2004_response", "correct", "question", "option",
           "weight", "section", "pass_mark")

# The pack's pathway levels in plain words: coursepack's own table, so both say the same.
LEVELS = {key: f"{key.capitalize()}: {meaning}" for key, meaning in LEVEL_MEANING.items()}


def _cell(markdown: str) -> str:
    """Author Markdown as a spreadsheet cell: its plain text on one line."""
    return " ".join(plain_text(markdown).split())


def question_rows(result: LoadResult) -> list[dict]:
    """One row per answer id of every knowledge check, module by module (``module_rows``): new
    dicts, the caller's to change."""
    return [dict(row) for module in result.pack.modules for row in module_rows(module)]


# module id → (the module, its rows): see ``module_rows``.
_rows_cache: dict[str, tuple[Module, tuple[dict, ...]]] = {}


def module_rows(module: Module) -> tuple[dict, ...]:
    """One row per answer id of each of the module's knowledge checks, as its kind lists them
    (``Kind.answers``: an option, or an item of a "put in order" question, whose "correct" is
    its place).

    Kept per module until it changes (the model is immutable, and a row shows nothing of the
    pack around it): reading every question and option back to plain text was most of the
    builder's time, and a rebuild after one module's edit now does it for that module only."""
    cached = _rows_cache.get(module.id)
    if cached is not None and cached[0] == module:
        return cached[1]
    rows = []
    t12, t2004 = interactions(module, VERSIONS["1.2"]), interactions(module, VERSIONS["2004"])
    sections = graded_sections(module)
    for q in module.graded:
        kind, question = elements.kind_of(q), _cell(q.prompt)
        for answer in kind.answers(q):
            rows.append({
                "module": module.id, "module_version": module.version, "question_id": q.id,
                "interaction_id": token(q.id), "question_type": kind.type_of(q), "option_id": answer.id,
                "scorm12_response": t12[q.id]["tokens"][answer.id],
                "scorm2004_response": t2004[q.id]["tokens"][answer.id],
                "correct": answer.correct, "question": question, "option": _cell(answer.text),
                "weight": f"{q.weight:g}", "section": sections[q.id], "pass_mark": module.pass_mark,
            })
    _rows_cache[module.id] = (module, tuple(rows))
    return _rows_cache[module.id][1]


def questions_csv(rows: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")      # the BOM lets spreadsheet programs read UTF-8


def catalogue_html(result: LoadResult) -> bytes:
    pack = result.pack
    modules = {m.id: m for m in pack.modules}
    pathways = [{"pathway": p, "modules": [modules[i] for i in p.modules if i in modules]} for p in pack.pathways]
    for entry in pathways:
        entry["minutes"] = sum(m.duration for m in entry["modules"])
    html = TEMPLATES.get_template("catalogue.html").render(
        pack=pack, pathways=pathways, levels=LEVELS, style=Markup(STYLE.read_text(encoding="utf-8")), nttp_note=NTTP_NOTE, zip_name=module_zip_name,
        pack_zip=pack_zip_name(pack), versions=[VERSIONS["1.2"], VERSIONS["2004"]])
    return html.encode("utf-8")


def build(result: LoadResult, out: Path) -> str:
    rows = question_rows(result)
    write_if_changed(out / "questions.csv", questions_csv(rows))
    write_if_changed(out / "catalogue.html", catalogue_html(result))
    return f"questions.csv ({len(rows)} options) and catalogue.html ({len(result.pack.pathways)} pathways) in {out}"
