"""A loaded module cut back into the fragments our Open edX blocks hold, for the OLX build.

Open edX shows each stateful element as a block of its own and a run of prose and callouts as
one ``cg_page``; each block keeps the exact Markdown the author wrote, so Studio edits it as
written. How a page is cut is Open edX's business, so it lives here and not in ``coursepack``.
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from coursepack import elements
from coursepack.load import LoadResult
from coursepack.model import Element, Module, Page
from coursepack.scan import Block, Heading, Line, close_seam, scan


@dataclass(frozen=True)
class Chunk:
    """A page's elements as one block holds them, with the author's Markdown for them."""
    kind: str                       # one of coursepack.fragment.KINDS
    elements: tuple[Element, ...]
    source: str
    index: int                      # position on the page, from 1

    @property
    def id(self) -> str:
        """The element id of a stateful chunk; empty for content."""
        return getattr(self.elements[0], "id", "") if self.kind != "page" else ""


def _page_lines(files: dict[str, list[Line]], page: Page) -> list[Line]:
    """The lines after a page's heading, up to the next section or page heading, without the
    blocks of kinds learners are not shown (no block holds them), joined as the parser joins
    the prose around them (``close_seam``). ``files``: the module's lines by file, in order."""
    lines = files.get(page.file, [])
    body = lines[bisect_right(lines, page.line, key=lambda l: l.no):]
    out: list[Line] = []
    seam, after = False, 0          # a block was left out; blank lines read since
    for token in scan(body):
        if isinstance(token, Heading):
            break
        if isinstance(token, Block) and not _shown(token):
            seam = True
            continue
        if seam and not isinstance(token, Block) and not token.line.text.strip():
            after += 1
            continue
        if seam:
            close_seam(out, after)
            seam, after = False, 0
        out += token.lines if isinstance(token, Block) else [token.line]
    return out


def _shown(block: Block) -> bool:
    kind = elements.BLOCKS.get(block.name)
    return kind is None or kind.learners


def _span(lines: list[Line], start: int, stop: int | None) -> str:
    text = "\n".join(l.text for l in lines if l.no >= start and (stop is None or l.no < stop))
    return text.strip("\n").rstrip()


def page_chunks(result: LoadResult, module: Module) -> dict[str, list[Chunk]]:
    """Each page's blocks: runs of prose and callouts as one content chunk, each stateful
    element as a chunk of its own, each with the exact Markdown the author wrote."""
    files: dict[str, list[Line]] = {}
    for line in result.sources[module.id].lines:
        files.setdefault(line.file, []).append(line)
    out: dict[str, list[Chunk]] = {}
    for page in module.pages:
        body = _page_lines(files, page)
        shown = elements.shown(page.elements)
        starts = [e.line for e in shown]
        pieces = [(e, _span(body, start, starts[i + 1] if i + 1 < len(starts) else None))
                  for i, (e, start) in enumerate(zip(shown, starts))]
        chunks: list[Chunk] = []
        run: list = []

        def close_run():
            if run:
                chunks.append(Chunk("page", tuple(e for e, _ in run), "\n\n".join(s for _, s in run),
                                    len(chunks) + 1))
                run.clear()

        for element, source in pieces:
            if not elements.kind_of(element).stateful:
                run.append((element, source))
            else:
                close_run()
                chunks.append(Chunk(element.kind, (element,), source, len(chunks) + 1))
        close_run()
        out[page.id] = chunks
    return out
