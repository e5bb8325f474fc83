"""The one line scanner: every line belongs to one token, blocks know their line span, and
nothing inside a code fence is structure."""
from __future__ import annotations

from coursepack.scan import Block, Heading, Line, Stray, Text, scan, unfenced


def lines(text: str, file: str = "m.md") -> list[Line]:
    return [Line(file, n + 1, t) for n, t in enumerate(text.splitlines())]


def test_tokens_cover_every_line_once_with_spans():
    src = lines("# S {#s}\n## P {#p}\ntext\n::: question {#q}\nAsk?\n```\n:::\n## not a heading\n```\n:::\n:::\nmore")
    tokens = list(scan(src))
    kinds = [type(t).__name__ for t in tokens]
    assert kinds == ["Heading", "Heading", "Text", "Block", "Stray", "Text"]
    block = tokens[3]
    assert isinstance(block, Block) and block.closed and block.name == "question"
    assert block.span == (4, 10)            # the fence inside the block hides ':::' and '##'
    covered = [l.no for t in tokens for l in (t.lines if isinstance(t, Block) else [t.line])]
    assert covered == list(range(1, 13))


def test_an_unclosed_block_ends_before_the_next_heading_opener_or_file():
    src = lines("::: key-point\nkept\n## P {#p}\n::: pause") + lines("::: pause\nother file", "n.md")
    blocks = [t for t in scan(src) if isinstance(t, Block)]
    assert [(b.closed, [l.text for l in b.body], b.span) for b in blocks] == [
        (False, ["kept"], (1, 2)), (False, [], (4, 4)), (False, ["other file"], (1, 2))]
    assert any(isinstance(t, Heading) and t.title == "P {#p}" for t in scan(src))


def test_fences_do_not_leak_across_files_and_lint_reads_only_unfenced_lines():
    src = lines("```\n# inside\n") + lines("# outside {#o}\n::: pause\n```\n[x](y)\n```\nafter\n:::", "n.md")
    tokens = list(scan(src))
    assert isinstance(tokens[1], Text) and tokens[1].fenced
    assert isinstance(tokens[2], Heading)
    seen = [(l.file, l.text, inside) for _, l, inside in unfenced(src)]
    assert ("n.md", "[x](y)", True) not in seen
    assert ("n.md", "after", True) in seen and ("n.md", "# outside {#o}", False) in seen
    assert not any(isinstance(t, Stray) for t in tokens)
