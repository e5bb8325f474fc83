"""Reading a downloaded file as a header row and data rows, in each format Moodle 5.0 writes.

What Moodle writes (read from its code, Moodle 5.0.6):
- "CSV" of a SCORM report: ``csv_export_writer("tab")``, so tab-separated, ``"`` quoting, no BOM,
  named ``<course> <activity>-<date>-tab_separated.txt``. The course completion report and the
  grader report's "Plain text file" are comma-separated by default (the grader export lets the
  teacher choose the separator; the completion report's "Excel-compatible" CSV adds a UTF-8 BOM).
- "ODS": ``MoodleODSWorkbook``, a zip whose ``content.xml`` holds one ``table:table-row`` per
  row and a ``table:table-cell`` per column (empty ones as ``<table:table-cell/>``), text in
  ``text:p``, every value written as a string.
- "Excel": ``MoodleExcelWorkbook``, which Moodle 5 always writes as .xlsx (PhpSpreadsheet),
  whatever the file is called.
Both spreadsheets are read with python-calamine (the ``report`` extra): on one module's
Interactions report for 20,000 learners it took 1.3 s of CPU for the .xlsx where openpyxl took
16.6 s, and 1.5 s for the .ods where lxml took 13 s and odfpy 82 s (README, "Reporting").

Rows come back as lists of strings (a number cell as Moodle wrote it, "80" not "80.0"), read in
memory from the file; nothing is copied or cached on disk.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from .problems import InputProblem

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"         # Excel 97-2003 (.xls): not what Moodle 5 writes
AGAIN = "download it again from the LMS (Moodle, or the Open edX Instructor Dashboard) and give the file as it was saved"


@dataclass
class Sheet:
    """One downloaded report: its file name, its header row and its data rows, and the path as
    given (what messages name)."""
    name: str
    headers: list[str]
    rows: list[list[str]]
    path: str = ""


def read(path: Path) -> Sheet:
    """The file as a header row and rows, whatever format Moodle wrote it in."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputProblem(path, f"cannot be read ({exc.strerror or exc})", "check the file name") from None
    if not data.strip():
        raise InputProblem(path, "is empty", AGAIN)
    if data.startswith(OLE_MAGIC):
        raise InputProblem(path, "is an old Excel 97-2003 workbook, which Moodle does not write",
                           "download the report again, or save it as .xlsx or .csv")
    if data.startswith(ZIP_MAGIC):
        rows = _zipped(path, data)
    else:
        rows = _delimited(path, data)
    rows = [r for r in rows if any(c.strip() for c in r)]
    if not rows:
        raise InputProblem(path, "holds no rows", AGAIN)
    headers = [h.strip() for h in rows[0]]
    return Sheet(path.name, headers, rows[1:], str(path))


def _zipped(path: Path, data: bytes) -> list[list[str]]:
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except zipfile.BadZipFile:
        raise InputProblem(path, "is a damaged or cut-short spreadsheet", AGAIN) from None
    if "content.xml" not in names and "xl/workbook.xml" not in names:
        raise InputProblem(path, "is a zip file but not a spreadsheet",
                           "give the report Moodle downloads (CSV, ODS or Excel), not a package")
    try:
        from python_calamine import CalamineWorkbook   # pylint: disable=import-outside-toplevel
    except ImportError:
        raise InputProblem(path, "is a spreadsheet, and reading spreadsheets needs the report extra",
                           "pip install 'commonground[report]', or download the report as CSV") from None
    for attempt in (data, _ods_without_layout(data) if "content.xml" in names else None):
        if attempt is None:
            break
        try:
            values = CalamineWorkbook.from_filelike(io.BytesIO(attempt)).get_sheet_by_index(0).to_python(
                skip_empty_area=False)
            return [[_text(v) for v in row] for row in values]
        except Exception:  # noqa: BLE001 (calamine raises its own error types for a damaged workbook)
            continue
    raise InputProblem(path, "is a damaged or cut-short spreadsheet", AGAIN)


def _ods_without_layout(data: bytes) -> bytes | None:
    """An ODS with the line breaks and indents between its XML tags taken out. Moodle 5.0 writes
    its ODS downloads indented, and calamine refuses text between a row's cells (a real Moodle
    download failed so; generated ones had none). A cell's text is inside ``<text:p>``, which
    Moodle never leaves holding only spaces, so no value changes. None if it is no zip."""
    try:
        source = zipfile.ZipFile(io.BytesIO(data))
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as target:
            for info in source.infolist():
                member = source.read(info)
                if info.filename == "content.xml":
                    member = re.sub(rb">\s+<", b"><", member)
                target.writestr(info, member)
        return out.getvalue()
    except (zipfile.BadZipFile, OSError, EOFError):
        return None


def _text(value) -> str:
    """A cell as Moodle wrote it: whole numbers without ".0", dates as ISO text."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    return "" if value is None else str(value)


def _delimited(path: Path, data: bytes) -> list[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputProblem(path, "is not UTF-8 text, nor a spreadsheet Moodle writes",
                           "give the report as Moodle downloaded it (CSV, ODS or Excel)") from None
    if "\x00" in text:
        raise InputProblem(path, "is not a text report", "give the CSV, ODS or Excel file Moodle downloads")
    first = text.split("\n", 1)[0]
    delimiter = "\t" if first.count("\t") >= max(1, first.count(",")) else ","
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quotechar='"',
                           escapechar="\\", strict=False))
    if len(rows) > 1 and not text.endswith(("\n", "\r")):
        raise InputProblem(path, "ends part-way through a row, so it was cut short", AGAIN)
    return rows


def rows_checked(sheet: Sheet) -> Iterator[list[str]]:
    """The data rows, each as long as the header row (Moodle pads missing cells with "")."""
    width = len(sheet.headers)
    for row in sheet.rows:
        if len(row) < width:
            row = row + [""] * (width - len(row))
        yield row
