"""An Open edX Grade Report (Instructor Dashboard → Data Download → Generate Grade Report) for a
course the OLX build made from a pack, laid out as edx-platform's ``CourseGradeReport`` writes
it (``lms/djangoapps/instructor_task/tasks_helper/grades.py``): the learner's id, email and
username, the course grade, then per assignment type (one per module) a column per graded
subsection and "<type> (Avg)" where it has several, or one column where it has one; "Not
Attempted" for a subsection nobody scored; then enrolment and certificate columns."""
from __future__ import annotations

import csv
import io

from coursepack.completion import assignment_type, graded_sections

TAIL = ["Enrollment Track", "Verification Status", "Certificate Eligible", "Certificate Delivered",
        "Certificate Type", "Enrollment Status"]


def grade_report(pack, learners: dict[str, dict[str, float | None]], unenrolled: frozenset = frozenset()) -> bytes:
    """``learners``: Student ID → module id → the module's grade (0 to 1; None: not attempted);
    ``unenrolled``: the Student IDs of learners who left the course.
    The course grade is the plain average over the modules with knowledge checks (the OLX
    grading policy's weights are equal)."""
    layout, head = [], ["Student ID", "Email", "Username", "Grade"]
    for module in pack.modules:
        graded = set(graded_sections(module).values())
        subsections = [s for s in module.sections if s.id in graded]
        if not subsections:
            continue
        name = assignment_type(module)
        if len(subsections) > 1:
            head += [f"{name} {n}: {s.title}" for n, s in enumerate(subsections, 1)] + [f"{name} (Avg)"]
        else:
            head.append(name)
        layout.append((module.id, len(subsections)))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(head + TAIL)
    for sid, grades in learners.items():
        course = sum(grades.get(m) or 0.0 for m, _ in layout) / len(layout)
        row = [sid, f"learner{sid}@example.org", f"learner{sid}", round(course, 2)]
        for module_id, n in layout:
            grade = grades.get(module_id)
            row += ["Not Attempted" if grade is None else grade] * n
            if n > 1:
                row.append(0.0 if grade is None else grade)
        writer.writerow(row + ["audit", "Not ID Verified", "N", "N", "N/A",
                               "unenrolled" if sid in unenrolled else "enrolled"])
    return out.getvalue().encode("utf-8")
