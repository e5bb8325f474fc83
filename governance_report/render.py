"""The report's two files: ``report.html`` (self-contained: styles and charts inline, no
network) and ``figures.csv`` (every figure as shown, hidden ones as their words). Both are put
together in memory and written only when everything has worked (``write``)."""
from __future__ import annotations

import csv
import datetime as dt
import io
import os
import tempfile
from pathlib import Path

from jinja2 import Environment, PackageLoader
from markupsafe import Markup

from .charts import bars
from .figures import Figures, Section, Table

_ENV = Environment(loader=PackageLoader("governance_report", "templates"), autoescape=True,
                   trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
_ENV.filters["zip"] = zip
HTML, CSV = "report.html", "figures.csv"


def cell_text(figures: Figures, key) -> str:
    grid = figures.grid
    if key in grid.values:
        return grid.text(key)
    return str(key[1]) if isinstance(key, tuple) and len(key) > 1 else ""


def comparison(main: Figures, other: Figures, labels: tuple[str, str]) -> Section:
    """The two periods' headline figures side by side (each suppressed in its own period)."""
    rows, keys = [], []
    for label, key in main.summary.items():
        rows.append(label)
        keys.append([("text", cell_text(other, _key(key))), ("text", cell_text(main, _key(key)))])
    table = Table("compare", "Headline figures in the two periods", "Measure", rows, [labels[1], labels[0]], keys)
    a, b = main.grid.shown(("finished", "all")), other.grid.shown(("finished", "all"))
    headline = (f"Modules finished: {b:,} in {labels[1]}, {a:,} in {labels[0]}." if a is not None and b is not None
                else "Too few learners in one of the periods to compare modules finished.")
    section = Section("compare", "Change between two periods", headline,
                      "The same figures for the two periods, each counting what happened in it (a start in "
                      "the period, the first answer given in it). Each period is suppressed on its own.",
                      "A change can come from who was sent on the training as much as from the training. The "
                      "periods must not overlap, so no figure can be worked out by subtracting one from the other.",
                      [table])
    return section


def _key(name: str):
    measure, scope = name.split(":")
    return (measure, scope)


def html(figures: Figures, sections: list[Section], meta: dict) -> bytes:
    charts = {}
    for s in sections:
        for t in s.tables:
            chart = bars(figures.grid, t)
            charts[t.id] = Markup(_ENV.get_template("chart.svg").render(c=chart)) if chart else None
    k = figures.grid.k
    page = _ENV.get_template("report.html").render(
        sections=sections, charts=charts, cell=lambda key: cell_text(figures, key),
        hidden={f"fewer than {k}", "not shown"}, k=k,
        style=Markup(_ENV.loader.get_source(_ENV, "report.css")[0]), **meta)
    return page.encode("utf-8")


def figures_csv(figures: Figures, sections: list[Section]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["section", "table", "row", "column", "value"])
    for s in sections:
        for t in s.tables:
            for label, row in zip(t.rows, t.keys):
                for column, key in zip(t.columns, row):
                    writer.writerow([s.title, t.caption, label, column, cell_text(figures, key)])
    return out.getvalue().encode("utf-8-sig")


def write(out: Path, files: dict[str, bytes]) -> None:
    """Every file to a temporary name in ``out``, then each renamed into place: a failure part-way
    leaves no half-written report (and an earlier report as it was)."""
    out.mkdir(parents=True, exist_ok=True)
    temps = {}
    try:
        for name, data in files.items():
            fd, temp = tempfile.mkstemp(prefix=f".{name}.", dir=out)
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            temps[name] = temp
        for name, temp in temps.items():
            os.replace(temp, out / name)
    finally:
        for temp in temps.values():
            if os.path.exists(temp):
                os.unlink(temp)


def built_on() -> str:
    today = dt.date.today()
    return f"{today.day} {today:%B %Y}"
