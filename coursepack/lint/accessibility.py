"""Accessibility: what a screen-reader user meets that a sighted reader may not notice.

Screen readers list a page's links and headings out of context, so link text must make sense on
its own and headings must not skip a level; a table needs a header row to announce each cell;
alt text must describe the picture (a missing one is already reported by the loader). A page
over 1 MB of Markdown is a long wait on a slow connection before anything can be read.
"""
from __future__ import annotations

import re
from pathlib import Path

from ..assets import IMAGE, PAGE_WARN_BYTES, download_cost
from ..scan import unfenced

LINK = re.compile(r"(?<!!)\[([^\]]+)\]\([^)]*\)")
VAGUE = {"click here", "here", "read more", "more", "this link", "link", "click", "learn more",
         "find out more"}
HEADING = re.compile(r"^(#{1,6})\s+\S")
TABLE_ROW = re.compile(r"^\s*\|")
SEPARATOR = re.compile(r"^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$")
POOR_ALT = {"image", "picture", "photo", "photograph", "figure", "diagram", "graphic", "screenshot", "img"}
FILENAME = re.compile(r"^[\w.-]+\.(png|jpe?g|gif|svg|webp|bmp|tiff?)$", re.I)


def _check_line(line, diags) -> None:
    for match in LINK.finditer(line.text):
        words = re.sub(r"[^\w\s]", "", match.group(1)).strip().lower()
        if words in VAGUE:
            diags.error(line.file, line.no, "vague-link-text", f"link text '{match.group(1)}' does not say where it goes",
                        "use words that make sense on their own, e.g. [Breathing Space](https://breathingspace.scot)")
    for match in IMAGE.finditer(line.text):
        alt, target = match.group(1).strip(), match.group(2)
        if alt and (alt.lower() in POOR_ALT or FILENAME.match(alt) or alt.lower() == Path(target).stem.lower()):
            diags.warn(line.file, line.no, "poor-alt-text", f"alt text '{alt}' does not say what the picture shows",
                       "describe it: ![Four boxes: low and high mental health need against substance use](file.png)")


def _page_sizes(module, lines, diags) -> None:
    """Warn about each page whose Markdown (heading to the next page) is over the limit."""
    index = {(line.file, line.no): n for n, line in enumerate(lines)}
    starts = sorted((index[(p.file, p.line)], p) for p in module.pages if (p.file, p.line) in index)
    for (start, page), (end, _) in zip(starts, [*starts[1:], (len(lines), None)]):
        size = sum(len(line.text.encode("utf-8")) + 1 for line in lines[start:end])
        if size > PAGE_WARN_BYTES:
            diags.warn(page.file, page.line, "page-too-large",
                       f"page '{page.id}' is large: {download_cost(size)}",
                       "split it into shorter pages; keep a page well under 1 MB")


def check(ctx) -> None:
    for module in ctx.result.pack.modules:
        lines = ctx.result.sources[module.id].lines
        _page_sizes(module, lines, ctx.diags)
        level = 0
        for i, line, in_block in unfenced(lines):
            _check_line(line, ctx.diags)
            if TABLE_ROW.match(line.text) and not (i and line.file == lines[i - 1].file
                                                   and TABLE_ROW.match(lines[i - 1].text)):
                following = lines[i + 1].text if i + 1 < len(lines) and lines[i + 1].file == line.file else ""
                if not SEPARATOR.match(following):
                    ctx.diags.error(line.file, line.no, "table-no-header", "this table has no header row",
                                    "make the first row the headings and put a '|---|---|' line under it")
            heading = HEADING.match(line.text)
            if heading and not in_block:
                n = len(heading.group(1))
                if n >= 3 and n > level + 1:
                    ctx.diags.error(line.file, line.no, "heading-order",
                                    f"a level-{n} heading follows a level-{level} heading",
                                    f"use '{'#' * (level + 1)}' here: inside a page, headings start at '###' and never skip a level")
                level = n
