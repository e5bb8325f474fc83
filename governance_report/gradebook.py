"""Open edX's own grades: the course's *Grade Report*, which course staff generate and download
from the Instructor Dashboard (Data Download → Reports → Generate Grade Report).

The report's pass figures from the Common Ground data file are worked out from the blocks' own
rows under the platform's grading rule; this file is what the platform's gradebook holds, with
every rescore and instructor override in it. Its layout is edx-platform's ``CourseGradeReport``
(``lms/djangoapps/instructor_task/tasks_helper/grades.py``): "Student ID", "Email", "Username",
"Grade" (the course grade, 0 to 1), then per assignment type (the OLX build makes one per module,
named by its title: ``coursepack.completion.assignment_type``) either one column with the
type's one graded subsection, or a column per subsection ("<type> <n>: <subsection>") and
"<type> (Avg)"; a subsection nobody scored reads "Not Attempted"; the last column, "Enrollment
Status", says "unenrolled" for a learner who left the course (the platform lists them too: they
are not counted). Only counts leave this module: the ids, emails and usernames are read in
memory to tell learners apart and dropped.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from coursepack.completion import assignment_type
from coursepack.model import Pack

from .formats import Sheet, rows_checked
from .problems import InputProblem

HEAD = ["Student ID", "Email", "Username", "Grade"]
NOT_ATTEMPTED = "Not Attempted"
ENROLMENT = "Enrollment Status"
AGAIN = ("generate the Grade Report again on the Instructor Dashboard (Data Download → Reports) of the "
         "course built from this pack, and give the downloaded CSV unedited")
# What each learner's row says of a module (and of the whole course)
PASSED, BELOW, NOT_TRIED = "Passed", "Not passed yet", "Not attempted"
COLUMNS = [PASSED, BELOW, NOT_TRIED]


COURSE = ""     # the key of the course grade's row


@dataclass
class Gradebook:
    """Learners by module id (and ``COURSE`` for the course grade) → PASSED / BELOW / NOT_TRIED."""
    counts: dict[str, Counter] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)


def is_grade_report(sheet: Sheet) -> bool:
    return sheet.headers[:4] == HEAD


def _percent(sheet: Sheet, line: int, header: str, cell: str) -> float | None:
    """A grade cell as 0-100, None for "Not Attempted"; anything else names the file and line."""
    text = cell.strip()
    if text == NOT_ATTEMPTED:
        return None
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0.0 <= value <= 1.0:
        raise InputProblem(f"{sheet.path}:{line}", f"has '{text[:20]}' under '{header[:60]}', where the platform "
                           f"writes a grade from 0 to 1 or '{NOT_ATTEMPTED}'", AGAIN)
    return 100 * value


def _module_columns(sheet: Sheet, pack: Pack) -> dict[str, tuple[int, list[int]]]:
    """Module id → (the column of its assignment type's grade, the columns of its subsections)."""
    headers = sheet.headers
    found = {}
    for module in pack.modules:
        if not module.graded:
            continue
        name = assignment_type(module)
        subsection = re.compile(rf"{re.escape(name)} \d+: ")       # "<type> <n>: <subsection>"
        subsections = [i for i, h in enumerate(headers) if subsection.match(h)]
        average = f"{name} (Avg)" if subsections else name
        if average in headers:
            found[module.id] = (headers.index(average), subsections or [headers.index(average)])
    return found


def read(sheet: Sheet, gradebook: Gradebook, pack: Pack) -> None:
    """One Grade Report into ``gradebook``: per module, learners who passed (the assignment type's
    grade reaches the module's pass mark), who have a grade below it, and who scored nothing in
    it; the course grade against the pack's pass mark (the course's cutoff) alike."""
    columns = _module_columns(sheet, pack)
    if not columns:
        raise InputProblem(sheet.path, "is an Open edX Grade Report with no column for any module of this pack "
                           f"(the modules' titles, e.g. '{pack.modules[0].title}')",
                           "give the Grade Report of the course built from this pack (--pack)")
    seen = set()
    counts = {m: Counter() for m in [COURSE, *columns]}
    modules = {m.id: m for m in pack.modules}
    grade = HEAD.index("Grade")
    status = sheet.headers.index(ENROLMENT) if ENROLMENT in sheet.headers else None
    for line, row in enumerate(rows_checked(sheet), 2):
        learner = row[0].strip()
        if not learner or learner in seen:
            raise InputProblem(f"{sheet.path}:{line}", "repeats a learner or has no Student ID", AGAIN)
        seen.add(learner)
        if status is not None and row[status].strip() == "unenrolled":
            continue
        tried_any = False
        for module_id, (average, subsections) in columns.items():
            tried = [_percent(sheet, line, sheet.headers[c], row[c]) for c in subsections]
            if all(t is None for t in tried):
                counts[module_id][NOT_TRIED] += 1
                continue
            tried_any = True
            score = _percent(sheet, line, sheet.headers[average], row[average]) or 0.0
            counts[module_id][PASSED if score >= modules[module_id].pass_mark else BELOW] += 1
        course = _percent(sheet, line, "Grade", row[grade])
        counts[COURSE][NOT_TRIED if not tried_any else PASSED if (course or 0.0) >= pack.pass_mark else BELOW] += 1
    if not seen:
        raise InputProblem(sheet.path, "lists no learners", AGAIN)
    for key, c in counts.items():
        gradebook.counts.setdefault(key, Counter()).update(c)
    gradebook.files.append(sheet.name)
