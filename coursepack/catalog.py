"""The coordinator's view of a pack: one row per module, for planning training.

The ``level`` column is the pack's own pathway level, explained in plain words beside it so
nobody reads it as a National Trauma Transformation Programme (NTTP) level: the pack awards none.
"""
from __future__ import annotations

import csv
import io
import json

from .model import Pack

COLUMNS = ("id", "title", "level", "duration", "outcomes", "questions", "reflections",
           "scenarios", "reading_age", "review_due", "level_means")

LEVEL_MEANING = {
    "informed": "For everyone, whatever their job: the basics every member of staff needs.",
    "skilled": "For staff who are likely to meet people with these needs in their daily work.",
    "enhanced": "For staff who lead teams, run reviews or plan services.",
}
NTTP_NOTE = ("These are this pack's own pathway levels. Finishing a module does not give you a level of the "
             "National Trauma Transformation Programme (NTTP). NTTP training is listed at "
             "https://traumatransformation.scot")


def rows(pack: Pack) -> list[dict]:
    # Imported here: the coordinator builder reads this module's tables, and a build has no use
    # for the readability library (lint's) that reading ages need.
    from .readability import module_reading_age
    return [{
        "id": m.id, "title": m.title, "level": m.level, "duration": m.duration,
        "outcomes": list(m.outcomes), "questions": len(m.graded),
        "reflections": len(m.reflections), "scenarios": len(m.scenarios),
        "reading_age": module_reading_age(m), "review_due": m.review_due.isoformat(),
        "level_means": LEVEL_MEANING[m.level],
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
    lines += ["", "**Pathway levels**", ""] + [f"- **{k}**: {v}" for k, v in LEVEL_MEANING.items()]
    lines += ["", NTTP_NOTE + "."]
    return "\n".join(lines) + "\n"
