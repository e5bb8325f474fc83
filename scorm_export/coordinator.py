"""The ``coordinator`` builder: what a training coordinator hands on with the packages.

``commonground build`` passes ``dist/coordinator``; it writes
- ``questions.csv``: one row per option of every question, with the values an LMS report shows
  (the interaction id, the SCORM 1.2 letter and the SCORM 2004 token), so a report can be read
  back to the question and option it stands for;
- ``catalogue.html``: a printable page, one section per pathway: its modules with minutes,
  outcomes, practice level in plain words, review status and dates, and the package files.

It lives here, not in coursepack, because it needs the SCORM tokens and file names.
"""
from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from jinja2 import Environment, PackageLoader
from markupsafe import Markup

from coursepack.archive import write_if_changed
from coursepack.catalog import LEVEL_MEANING, NTTP_NOTE
from coursepack.load import LoadResult

from .package import STATIC, VERSIONS, interactions, module_zip_name, pack_zip_name, token

STYLE = STATIC / "catalogue.css"

COLUMNS = ("module", "module_version", "question_id", "interaction_id", "question_type",
           "option_id", "scorm12_response", "scorm2004_response", "correct", "question", "option")

# The pack's practice levels in plain words: coursepack's own table, so both say the same.
LEVELS = {key: f"{key.capitalize()}: {meaning}" for key, meaning in LEVEL_MEANING.items()}


def plain(markdown: str) -> str:
    """Author Markdown as one line of plain text: glossary terms keep their words, citations,
    emphasis marks and links' targets go (a spreadsheet cell, not a page)."""
    text = re.sub(r"\[\[([^\]|]+)\|?([^\]]*)\]\]", lambda m: m.group(2) or m.group(1), markdown)
    text = re.sub(r"\s*\[S\d+[a-z]?(?:\s*[,;]\s*S\d+[a-z]?)*\]", "", text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"[*_`]", "", text)
    return " ".join(text.split())


def question_rows(result: LoadResult) -> list[dict]:
    """One row per answer id of every knowledge check (of any graded kind): an option, or an
    item of a "put in order" question, whose "correct" is then its place in the right order."""
    rows = []
    v12, v2004 = VERSIONS["1.2"], VERSIONS["2004"]
    for module in result.pack.modules:
        t12, t2004 = interactions(module, v12), interactions(module, v2004)
        for q in module.graded:
            for n, oid in enumerate(t12[q.id]["tokens"]):
                option = q.option(oid)
                correct = ("yes" if option.correct else "no") if hasattr(option, "correct") else f"place {n + 1}"
                rows.append({
                    "module": module.id, "module_version": module.version, "question_id": q.id,
                    "interaction_id": token(q.id), "question_type": getattr(q, "type", q.kind), "option_id": oid,
                    "scorm12_response": t12[q.id]["tokens"][oid], "scorm2004_response": t2004[q.id]["tokens"][oid],
                    "correct": correct, "question": plain(q.prompt), "option": plain(option.text),
                })
    return rows


def questions_csv(rows: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")      # the BOM lets spreadsheet programs read UTF-8


_ENV = Environment(loader=PackageLoader("scorm_export", "templates"), autoescape=True,
                   trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)


def catalogue_html(result: LoadResult) -> bytes:
    pack = result.pack
    modules = {m.id: m for m in pack.modules}
    pathways = [{"pathway": p, "modules": [modules[i] for i in p.modules if i in modules]} for p in pack.pathways]
    for entry in pathways:
        entry["minutes"] = sum(m.duration for m in entry["modules"])
    html = _ENV.get_template("catalogue.html").render(
        pack=pack, pathways=pathways, levels=LEVELS, style=Markup(STYLE.read_text(encoding="utf-8")), nttp_note=NTTP_NOTE, zip_name=module_zip_name,
        pack_zip=pack_zip_name(pack), versions=[VERSIONS["1.2"], VERSIONS["2004"]])
    return html.encode("utf-8")


def build(result: LoadResult, out: Path) -> str:
    rows = question_rows(result)
    write_if_changed(out / "questions.csv", questions_csv(rows))
    write_if_changed(out / "catalogue.html", catalogue_html(result))
    return f"questions.csv ({len(rows)} options) and catalogue.html ({len(result.pack.pathways)} pathways) in {out}"
