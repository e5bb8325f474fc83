"""``manage.py lms commonground_report_data <course key> --out <file>``: the course's data file for
the governance report (``xblocks.aggregates.report_data``), the same file course staff download
from a confidence check. Written whole or not at all."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ... import report_data


class Command(BaseCommand):
    help = ("Write one course's Common Ground data file for 'commonground report': pseudonymised learner "
            "rows (no names, no ids, no staff rows, no free text).")

    def add_arguments(self, parser):
        parser.add_argument("course_key", help="The course, e.g. course-v1:Org+Course+Run.")
        parser.add_argument("--out", help="The file to write (default: commonground-<course>-<day>.csv here).")

    def handle(self, *args, **options):
        course = options["course_key"].strip()
        known = report_data.courses()
        if course not in known:
            listed = ", ".join(known[:10]) + (" ..." if len(known) > 10 else "") if known else "none"
            raise CommandError(f"no learner rows for '{course}': check the course key (courses with rows: {listed}). "
                               "Nothing was written.")
        out = Path(options["out"] or report_data.file_name(course))
        body = report_data.export(course)
        folder = out.parent if str(out.parent) else Path(".")
        if not folder.is_dir():
            raise CommandError(f"{folder} is not a folder: give --out a file in a folder that exists. Nothing was written.")
        handle, temp = tempfile.mkstemp(prefix=".commonground-", dir=folder)
        try:
            with os.fdopen(handle, "wb") as f:
                f.write(body)
            os.replace(temp, out)
        except OSError as exc:
            Path(temp).unlink(missing_ok=True)
            raise CommandError(f"{out}: cannot be written ({exc.strerror or exc}). Nothing was written.") from None
        rows = body.count(b"\n") - 3
        self.stdout.write(f"{out}: {rows} row(s) of {course} (pseudonymised; staff rows and free text left out)")
