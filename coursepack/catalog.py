"""The coordinator's view of a pack: one row per module, for planning training."""
from __future__ import annotations

import csv
import io
import json

from .model import Pack
from .readability import module_reading_age

COLUMNS = ("id", "title", "level", "duration", "outcomes", "questions", "reflections",
           "scenarios", "reading_age", "review_due")


def rows(pack: Pack) -> list[dict]:
    return [{
        "id": m.id, "title": m.title, "level": m.level, "duration": m.duration,
        "outcomes": list(m.outcomes), "questions": len(m.graded),
        "reflections": len(m.reflections), "scenarios": len(m.scenarios),
        "reading_age": module_reading_age(m), "review_due": m.review_due.isoformat(),
    } for m in pack.modules]


def render(pack: Pack, fmt: str) -> str:
    table = rows(pack)
    if fmt == "json":
        return json.dumps(table, indent=2, ensure_ascii=False)
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        for row in table:
            writer.writerow({**row, "outcomes": " | ".join(row["outcomes"])})
        return out.getvalue()
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    for row in table:
        cells = [str(row[c]) if c != "outcomes" else "<br>".join(row[c]) for c in COLUMNS]
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines) + "\n"
