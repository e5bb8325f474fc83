"""Bar charts as SVG, drawn when the report is built: one bar per row of a table, the share one
column is of another, only where both figures are shown. The chart is an image with a text
alternative; its table, right below it in the report, holds the same figures for every reader."""
from __future__ import annotations

from dataclasses import dataclass

from .figures import Table
from .suppress import Grid

BAR_HEIGHT, GAP, LINE, BAR_WIDTH = 20, 14, 16, 290


@dataclass
class Bar:
    label: str
    share: float | None          # 0..1, None when a figure is hidden
    text: str
    y: int
    lines: list[str]


def _wrap(text: str, width: int = 48) -> list[str]:
    words, lines, line = text.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return lines[:2] if len(lines) <= 2 else [lines[0], lines[1][: width - 1] + "\u2026"]


def bars(grid: Grid, table: Table) -> dict | None:
    """The chart of a table, as what the template draws; None when it has no chart."""
    if not table.chart or not table.rows:
        return None
    part, whole = table.chart["column"], table.chart["of"]
    out, y = [], 0
    limit = table.chart.get("limit", len(table.rows))
    for label, row in list(zip(table.rows, table.keys))[:limit]:
        a, b = grid.shown(row[part]), grid.shown(row[whole])
        share = a / b if a is not None and b else None
        text = f"{round(100 * share)}%" if share is not None else "not shown (fewer than 5, or would reveal them)"
        lines = _wrap(label)
        out.append(Bar(label, share, text, y, lines))
        y += LINE * len(lines) + 4 + BAR_HEIGHT + GAP
    shown = [b for b in out if b.share is not None]
    desc = "; ".join(f"{b.label}: {b.text}" for b in shown) or "No figure large enough to show."
    return {"id": f"chart-{table.id}", "title": f"{table.chart['label'].capitalize()}, by {table.row_head.lower()}",
            "desc": desc, "bars": out, "height": max(y, BAR_HEIGHT), "line": LINE,
            "bar_width": BAR_WIDTH, "bar_height": BAR_HEIGHT, "width": BAR_WIDTH + 50}
