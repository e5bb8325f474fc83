"""GENERATED Moodle 5.0 report downloads, for the report's tests and the scale benchmark, until
real ones from a real Moodle are committed (tests/fixtures/moodle-reports/).

Learners are made up (``simulate``), then written the way Moodle 5.0.6's code writes each
download (read from mod/scorm/report/{basic,interactions}, report/completion, grade/export and
lib/{csvlib,odslib}.class.php): the same header strings, cell values, date formats, delimiters
and quoting. ``truth`` counts what the report should find, straight from the simulation.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import random
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

from coursepack import elements
from coursepack.elements.confidence import Confidence, rating_ids
from scorm_export.package import token

FIRST = ["Ailsa", "Bruce", "Catriona", "Duncan", "Eilidh", "Fraser", "Gillian", "Hamish", "Iona", "Jamie",
         "Kirsty", "Lachlan", "Morag", "Niall", "Orla", "Rory", "Shona", "Tam", "Una", "Wallace"]
LAST = ["Anderson", "Brown", "Campbell", "Douglas", "Fergusson", "Graham", "Hunter", "Irvine", "Kerr",
        "MacLeod", "Murray", "Reid", "Robertson", "Scott", "Stewart", "Thomson", "Watson", "Young"]


@dataclass
class Try:
    number: int
    start: dt.datetime
    last: dt.datetime
    answers: list            # (interaction id, response token, result)
    score: int | None
    status: str              # the SCO's status as Moodle prints it


@dataclass
class Taking:
    learner: str
    module: str
    tries: list[Try] = field(default_factory=list)
    finished: bool = False
    passed: bool = False
    before: dict = field(default_factory=dict)
    after: dict = field(default_factory=dict)
    first: dict = field(default_factory=dict)       # interaction id → first response token


def names(n: int) -> list[str]:
    out = []
    for i in range(n):
        name = f"{FIRST[i % len(FIRST)]} {LAST[(i // len(FIRST)) % len(LAST)]}"
        out.append(name if i < len(FIRST) * len(LAST) else f"{name} {i}")
    return out


def simulate(pack, learners: int, modules=None, seed: int = 1, start=dt.datetime(2026, 1, 5, 9, 0),
             months: int = 6, version: str = "1.2") -> list[Taking]:
    """Made-up learners taking modules: some never start, some stop half-way, some fail and try
    again, some rate their confidence before and after."""
    rng = random.Random(seed)
    chosen = [m for m in pack.modules if modules is None or m.id in modules]
    plans = {m.id: [_plan(q, version) for q in m.graded] for m in chosen}
    out = []
    for name in names(learners):
        skill = rng.random()
        for module in chosen:
            if rng.random() < 0.2:
                continue                                     # enrolled, never started
            taking = Taking(name, module.id)
            day = start + dt.timedelta(days=rng.randrange(months * 30), minutes=rng.randrange(600))
            rates = rng.random() < 0.7
            checks = list(module.elements(Confidence))
            for number in range(1, 4):
                answers, right = [], 0
                stop = rng.random() < 0.15
                for check in checks:
                    if not check.after and rates and number == 1:
                        for s in check.statements:
                            rating = rng.randint(1, 4)
                            taking.before[s.id] = rating
                            answers.append((rating_ids(check, token)[s.id], str(rating), "neutral"))
                graded = plans[module.id]
                for n, (ident, tokens, correct, wrong, order) in enumerate(graded):
                    if stop and n >= len(graded) // 2:
                        break
                    good = rng.random() < 0.45 + 0.5 * skill
                    if good or order:
                        chosen_ids = correct if good else list(reversed(correct))
                    else:
                        chosen_ids = [rng.choice(wrong[:2])]
                    response = ("," if version == "1.2" else "[,]").join(tokens[o] for o in chosen_ids)
                    result = "correct" if good else ("wrong" if version == "1.2" else "incorrect")
                    right += good
                    answers.append((ident, response, result))
                    taking.first.setdefault(ident, response)
                finished = not stop
                if finished and rates and taking.before:
                    for check in checks:
                        if check.after:
                            for s in check.statements:
                                rating = min(5, taking.before.get(s.id, 3) + rng.choice([0, 1, 1, 2]))
                                taking.after[s.id] = rating
                                answers.append((rating_ids(check, token)[s.id], str(rating), "neutral"))
                score = round(100 * right / max(len(graded), 1)) if finished else None
                passed = finished and score >= module.pass_mark
                status = ("Passed" if passed else "Failed") if finished else "Incomplete"
                last = day + dt.timedelta(minutes=rng.randrange(20, 90))
                taking.tries.append(Try(number, day, last, answers, score, status))
                taking.finished = taking.finished or finished
                taking.passed = taking.passed or passed
                if passed or stop or rng.random() < 0.5:
                    break
                day = last + dt.timedelta(days=rng.randrange(1, 10))
            out.append(taking)
    return out


def _plan(q, version: str) -> tuple:
    """A question as the simulation answers it: its interaction id, answer tokens, the right
    answer ids (in order) and the wrong ones, and whether it is a "put in order" question."""
    kind = elements.kind_of(q)
    tokens = {o: t if version == "1.2" else token(t) for o, t in kind.interaction(q, version)["tokens"].items()}
    answers = list(kind.answers(q))
    correct = [a.id for a in answers if a.correct == "yes"] or [a.id for a in sorted(answers, key=lambda a: a.correct)]
    wrong = [a.id for a in answers if a.id not in correct]
    return token(q.id), tokens, correct, wrong, kind.type_of(q) == "order"


def truth(takings: list[Taking], module: str) -> dict:
    """What the report should find for one module, counted from the simulation itself."""
    mine = [t for t in takings if t.module == module]
    pairs = [(t.before[s], t.after[s]) for t in mine for s in t.before if s in t.after]
    return {"started": len(mine), "finished": sum(t.finished for t in mine), "passed": sum(t.passed for t in mine),
            "first_pass": sum(t.tries[0].status == "Passed" for t in mine),
            "pairs": len(pairs), "higher": sum(a > b for b, a in pairs)}


# -- dates as Moodle prints them ----------------------------------------------------------------

def _clock(when: dt.datetime) -> str:
    return f"{when.hour % 12 or 12}:{when.minute:02d} {'AM' if when.hour < 12 else 'PM'}"


def userdate_csv(when: dt.datetime) -> str:
    """strftimedaydatetime, as userdate() prints it (no leading zero on the day or hour)."""
    return f"{when:%A}, {when.day} {when:%B %Y}, {_clock(when)}"


def userdate_sheet(when: dt.datetime) -> str:
    """strftimedatetime, which the SCORM reports use for ODS and Excel."""
    return f"{when.day} {when:%B %Y}, {_clock(when)}"


# -- the reports ------------------------------------------------------------------------------

def scorm_report(takings: list[Taking], module, learners: list[str], sheet: bool, interactions: bool = True,
                 email: bool = False) -> tuple[list[str], list[list[str]]]:
    """A SCORM activity's Basic or Interactions report (every learner, with or without attempts),
    with the Question, Response and Result columns ticked."""
    when = userdate_sheet if sheet else userdate_csv
    mine = {t.learner: t for t in takings if t.module == module.id}
    count = max((len(tr.answers) for t in mine.values() for tr in t.tries), default=0) if interactions else 0
    headers = ["Name"] + (["Email address"] if email else []) + ["Attempt", "Started on", "Last accessed on", "Score",
                                                                  module.title]
    for n in range(count):
        headers += [f"Question {n}", f"Response {n}", f"Result {n}"]
    rows = []
    for name in learners:
        ident = [f"{name.lower().replace(' ', '.')}@example.org"] if email else []
        taking = mine.get(name)
        if taking is None:
            rows.append([name, *ident, "-", "-", "-", "-", "Not attempted"] + [""] * (3 * count))
            continue
        for tr in taking.tries:
            row = [name, *ident, str(tr.number), when(tr.start), when(tr.last), str(tr.score or 0),
                   f"{tr.score}/100" if tr.score is not None else tr.status]
            for n in range(count):
                row += list(tr.answers[n]) if n < len(tr.answers) else ["", "", ""]
            rows.append(row)
    return headers, rows


def completion_report(takings: list[Taking], modules, learners: list[str]) -> tuple[list[str], list[list[str]]]:
    """report/completion's CSV: ID, Name, per activity its state and completion date, Course complete."""
    headers = ["ID", "Name"]
    for m in modules:
        headers += [m.title, f"{m.title} - Completion date"]
    headers.append("Course complete")
    by = {(t.learner, t.module): t for t in takings}
    rows = []
    for n, name in enumerate(learners, start=100):
        row = [str(n), name]
        for m in modules:
            t = by.get((name, m.id))
            if t and t.finished:
                done = next(tr.last for tr in t.tries if tr.score is not None)
                row += ["Completed (achieved pass grade)" if t.passed else "Completed (did not achieve pass grade)",
                        f"{done:%Y-%m-%d %H:%M:%S}"]
            else:
                row += ["Not completed", ""]
        row.append("")
        rows.append(row)
    return headers, rows


def grades_export(takings: list[Taking], modules, learners: list[str]) -> tuple[list[str], list[list[str]]]:
    headers = ["First name", "Last name", "ID number", "Institution", "Department", "Email address"]
    headers += [f"SCORM package: {m.title} (Real)" for m in modules] + ["Course total (Real)",
                                                                          "Last downloaded from this course"]
    by = {(t.learner, t.module): t for t in takings}
    rows = []
    for name in learners:
        first, _, last = name.partition(" ")
        scores = []
        for m in modules:
            t = by.get((name, m.id))
            best = max((tr.score for tr in t.tries if tr.score is not None), default=None) if t else None
            scores.append(f"{best:.2f}" if best is not None else "-")
        rows.append([first, last, "", "", "", f"{first.lower()}@example.org", *scores, "-", "1765094400"])
    return headers, rows


# -- the formats ------------------------------------------------------------------------------

def csv_bytes(headers, rows, delimiter: str = "\t", bom: bool = False) -> bytes:
    """csv_export_writer: PHP's fputcsv (enclosure '"', escape '\\', lines end in "\\n")."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, quotechar='"', escapechar="\\", lineterminator="\n",
                        doublequote=True)
    writer.writerow(headers)
    writer.writerows(rows)
    return (b"\xef\xbb\xbf" if bom else b"") + out.getvalue().encode("utf-8")


def ods_bytes(headers, rows) -> bytes:
    """MoodleODSWorkbook's layout: content.xml with one table, every cell a string in text:p."""
    def cell(value: str) -> str:
        if value == "":
            return "<table:table-cell/>"
        return f'<table:table-cell office:value-type="string"><text:p>{escape(value)}</text:p></table:table-cell>'
    body = "".join("<table:table-row>" + "".join(cell(v) for v in row) + "</table:table-row>\n"
                   for row in [headers, *rows])
    content = ('<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content '
               'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
               '<office:body><office:spreadsheet><table:table table:name="Report">'
               f"{body}</table:table></office:spreadsheet></office:body></office:document-content>")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", compress_type=zipfile.ZIP_STORED)
        z.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
        z.writestr("META-INF/manifest.xml", '<?xml version="1.0" encoding="UTF-8"?>\n<manifest:manifest '
                   'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry '
                   'manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
                   '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                   '</manifest:manifest>')
    return out.getvalue()


def _column(n: int) -> str:
    name = ""
    n += 1
    while n:
        n, r = divmod(n - 1, 26)
        name = chr(65 + r) + name
    return name


def xlsx_bytes(headers, rows) -> bytes:
    """An .xlsx as PhpSpreadsheet writes Moodle's workbook: shared strings, one sheet."""
    strings: dict[str, int] = {}
    sheet_rows = []
    for r, row in enumerate([headers, *rows], start=1):
        cells = []
        for c, value in enumerate(row):
            if value == "":
                continue
            idx = strings.setdefault(value, len(strings))
            cells.append(f'<c r="{_column(c)}{r}" t="s"><v>{idx}</v></c>')
        sheet_rows.append(f'<row r="{r}">{"".join(cells)}</row>')
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    files = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        '</Types>',
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{main}" xmlns:r="{rel}">'
        '<sheets><sheet name="Report" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{main}"><sheetData>'
        + "".join(sheet_rows) + "</sheetData></worksheet>",
        "xl/sharedStrings.xml": f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{main}" count="{len(strings)}" '
        f'uniqueCount="{len(strings)}">' + "".join(f"<si><t xml:space=\"preserve\">{escape(s)}</t></si>" for s in strings) + "</sst>",
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in files.items():
            z.writestr(name, text)
    return out.getvalue()


def write_set(folder: Path, pack, takings: list[Taking], learners: list[str], fmt: str = "csv",
              modules=None) -> list[Path]:
    """One Interactions report per module in ``fmt`` (csv, ods or xlsx), the completion report
    and the grader export (CSV, as Moodle offers them), as a teacher would download them."""
    folder.mkdir(parents=True, exist_ok=True)
    chosen = [m for m in pack.modules if modules is None or m.id in modules]
    written = []
    for m in chosen:
        headers, rows = scorm_report(takings, m, learners, sheet=fmt != "csv")
        stem = f"CG101 {m.title}"
        if fmt == "csv":
            path, data = folder / f"{stem}-20261207_0900-tab_separated.txt", csv_bytes(headers, rows)
        elif fmt == "ods":
            path, data = folder / f"{stem}.ods", ods_bytes(headers, rows)
        else:
            path, data = folder / f"{stem}.xlsx", xlsx_bytes(headers, rows)
        path.write_bytes(data)
        written.append(path)
    headers, rows = completion_report(takings, chosen, learners)
    path = folder / "completion-cg101-20261207_0900-comma_separated.csv"
    path.write_bytes(csv_bytes(headers, rows, delimiter=","))
    written.append(path)
    headers, rows = grades_export(takings, chosen, learners)
    path = folder / "CG101 Grades-20261207_0900-comma_separated.csv"
    path.write_bytes(csv_bytes(headers, rows, delimiter=","))
    written.append(path)
    return written
