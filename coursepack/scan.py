"""One pass over a module's numbered lines: headings, ``:::`` blocks with their line spans, and
what is inside a code fence. The parser, lint and the fragment cutter all read lines through it.

Why not a Markdown library: markdown-it-py with mdit-py-plugins (``container``, ``attrs``) gives
each block token a line map, but it is a second Markdown dialect beside Python-Markdown, which
renders (the two disagree on the indented feedback under list items and on fences in lists), and
it is not among edx-platform's pins. Python-Markdown's block processors see blank-line-separated
chunks with no line numbers, so they cannot say ``file:line``. The structure authors write is
small (two heading levels, ``:::`` blocks that do not nest, code fences), so it is scanned here.

Rules: a ``:::`` line with a name opens a block and a bare ``:::`` closes it. A block that is
never closed ends before the next section or page heading, the next opener or the end of its
file, and keeps every line before them (the parser reports it). Nothing inside a code fence
(```` ``` ```` or ``~~~``) is structure.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator, Union

HEADING = re.compile(r"^(#{1,2})\s+(.*?)\s*#*\s*$")
OPENER = re.compile(r"^:::\s*([A-Za-z][\w-]*)\s*(\{.*\})?\s*$")
CLOSER = re.compile(r"^:::\s*$")
FENCE = re.compile(r"^\s*(```|~~~)")


@dataclass(frozen=True, slots=True)
class Line:
    """One line of a source file, kept with where it came from so every diagnostic says file:line."""
    file: str
    no: int
    text: str


@dataclass(frozen=True)
class Heading:
    """A section (level 1) or page (level 2) heading."""
    level: int
    title: str
    line: Line
    at: int = 0         # index of the line in the scanned list


@dataclass(frozen=True)
class Block:
    """A ``:::`` block: its opener, the lines inside, and its closer (None when never closed)."""
    name: str
    raw_attrs: str | None
    opener: Line
    body: tuple[Line, ...]
    closer: Line | None
    at: int = 0

    @property
    def closed(self) -> bool:
        return self.closer is not None

    @property
    def lines(self) -> tuple[Line, ...]:
        return (self.opener, *self.body, *((self.closer,) if self.closer else ()))

    @property
    def span(self) -> tuple[int, int]:
        """First and last line number of the block (its closer included)."""
        return self.opener.no, self.lines[-1].no


@dataclass(frozen=True)
class Text:
    """A line outside headings and blocks: prose (``fenced`` when inside a code fence)."""
    line: Line
    fenced: bool = False
    at: int = 0


@dataclass(frozen=True)
class Stray:
    """A ``:::`` that closes nothing."""
    line: Line
    at: int = 0


Token = Union[Heading, Block, Text, Stray]


def scan(lines: list[Line]) -> Iterator[Token]:
    """The module's structure, in order; every line belongs to exactly one token."""
    in_fence, i = False, 0
    while i < len(lines):
        line = lines[i]
        if i and line.file != lines[i - 1].file:
            in_fence = False
        if FENCE.match(line.text):
            in_fence = not in_fence
            yield Text(line, True, i)
        elif in_fence:
            yield Text(line, True, i)
        elif (heading := HEADING.match(line.text)):
            yield Heading(len(heading.group(1)), heading.group(2), line, i)
        elif (opener := OPENER.match(line.text)):
            block, i = _block(lines, i, opener)
            yield block
            continue
        elif CLOSER.match(line.text):
            yield Stray(line, i)
        else:
            yield Text(line, False, i)
        i += 1


def close_seam(lines: list[Line], blanks_after: int) -> None:
    """Where a block was left out of ``lines`` (one learners are not shown) and ``blanks_after``
    blank lines followed it, keep as many blank lines at the join as the fewer side had: a block
    an author set off with a blank line above and below leaves the text as it was without it.
    The parser and the OLX build both cut such blocks out, so both join the same way."""
    before = 0
    while before < len(lines) and not lines[len(lines) - 1 - before].text.strip():
        before += 1
    del lines[len(lines) - before + min(before, blanks_after):]


def _block(lines: list[Line], start: int, opener: re.Match) -> tuple[Block, int]:
    """The block opened at ``start`` and the index to read on from."""
    first, in_fence, j = lines[start], False, start + 1
    while j < len(lines):
        line = lines[j]
        if line.file != first.file:
            break
        if FENCE.match(line.text):
            in_fence = not in_fence
        elif not in_fence:
            if CLOSER.match(line.text):
                return Block(opener.group(1), opener.group(2), first, tuple(lines[start + 1:j]), line, start), j + 1
            if HEADING.match(line.text) or OPENER.match(line.text):
                break
        j += 1
    return Block(opener.group(1), opener.group(2), first, tuple(lines[start + 1:j]), None, start), j


def unfenced(lines: list[Line]) -> Iterator[tuple[int, Line, bool]]:
    """(index, line, inside a block) for every line outside code fences: what line-based lint
    checks read. Openers and closers count as inside their block."""
    for token in scan(lines):
        if isinstance(token, Block):
            yield token.at, token.opener, True
            for n, line in _unfenced_body(token.body):
                yield token.at + 1 + n, line, True
        elif not (isinstance(token, Text) and token.fenced):
            yield token.at, token.line, False


def _unfenced_body(body) -> Iterator[tuple[int, Line]]:
    in_fence = False
    for n, line in enumerate(body):
        if FENCE.match(line.text):
            in_fence = not in_fence
        elif not in_fence:
            yield n, line
