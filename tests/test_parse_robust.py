"""Half-written modules: lint (the function, the CLI and a Studio save) answers with diagnostics,
never a traceback, and an unclosed block keeps every line it holds."""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from coursepack.cli import main
from coursepack.diagnostics import Diagnostic
from coursepack.fragment import parse_fragment
from coursepack.lint import lint
from coursepack.load import load_pack
from lintpack import one_file_module

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

CONTENT = Path(__file__).parent.parent / "content"
MODULES = sorted((CONTENT / "modules").glob("*.md"))
FRONT = one_file_module("cut", "Some words.")


def _pack(folder: Path, text: str) -> Path:
    root = folder / "content"
    (root / "modules").mkdir(parents=True)
    shutil.copy(CONTENT / "pack.yml", root / "pack.yml")
    (root / "modules" / "cut.md").write_text(text, encoding="utf-8")
    return root


def _codes(root: Path) -> list[tuple[int, str]]:
    _, found = lint(root)
    return [(d.line, d.code) for d in found if d.file == "content/modules/cut.md"]


@pytest.mark.parametrize("ending", ["::: question {#q1}", "::: pause", "::: scenario {#s1}",
                                    "::: reflection", "::: confidence {#cf-a}", "::: key-point"])
def test_an_opener_on_the_last_line_is_an_unclosed_block(tmp_path, ending):
    text = FRONT + ending
    root = _pack(tmp_path, text)
    line = text.count("\n") + 1
    assert (line, "unclosed-block") in _codes(root)
    outcome = CliRunner().invoke(main, ["lint", str(root)])
    assert outcome.exit_code == 1 and isinstance(outcome.exception, SystemExit), outcome.output
    assert f"content/modules/cut.md:{line}: this block is never closed" in outcome.output
    fragment = parse_fragment(ending + "\n", kind="page")
    assert any(d.code == "unclosed-block" for d in fragment.diagnostics)


def test_studio_answers_400_for_an_opener_on_the_last_line():
    pytest.importorskip("xblock")
    from xblock_support import django_db_ready  # noqa: F401  (the workbench's settings)
    from xblocks.page import ContentPageBlock
    from xblocks.dev.testing import LearnerRuntime, post
    block = LearnerRuntime().block(ContentPageBlock, "b1", content="Words.", module="mod", module_title="A")
    response = post(block, "submit_studio_edits", {"values": {"display_name": "Words", "content": "Words.\n\n::: pause",
                                                              "glossary": "", "module": "mod", "module_title": "A"},
                                                   "defaults": []})
    assert response.status_code == 400
    assert "never closed" in response.body.decode()


def test_an_unclosed_block_keeps_its_last_line_before_the_next_heading(tmp_path):
    root = _pack(tmp_path, FRONT + "\n::: key-point\nThe first point.\nThe last point.\n\n## Next {#next}\n\nMore.\n")
    result = load_pack(root)
    page, following = result.pack.modules[0].pages
    assert page.elements[-1].markdown == "The first point.\nThe last point."
    assert [e.markdown for e in following.elements] == ["More."]
    root2 = _pack(tmp_path / "2", FRONT + "\n::: key-point\nOnly line.\n## Next {#next}\n")
    assert load_pack(root2).pack.modules[0].pages[0].elements[-1].markdown == "Only line."


@st.composite
def broken_modules(draw):
    """A shipped module truncated at a random line, or pieces of it and of another spliced."""
    first = draw(st.sampled_from(MODULES)).read_text(encoding="utf-8").splitlines()
    other = draw(st.sampled_from(MODULES)).read_text(encoding="utf-8").splitlines()
    cut = draw(st.integers(0, len(first)))
    if draw(st.booleans()):
        return "\n".join(first[:cut])
    start = draw(st.integers(0, len(other)))
    end = draw(st.integers(start, len(other)))
    resume = draw(st.integers(cut, len(first)))
    return "\n".join(first[:cut] + other[start:end] + first[resume:])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=broken_modules())
def test_lint_never_raises_on_a_cut_or_spliced_module(text):
    with tempfile.TemporaryDirectory() as folder:
        root = _pack(Path(folder), text)
        _, found = lint(root)
        assert all(isinstance(d, Diagnostic) and d.line >= 1 and d.message for d in found)
        outcome = CliRunner().invoke(main, ["lint", str(root), "--format", "json"])
        assert outcome.exit_code in (0, 1) and isinstance(outcome.exception, (SystemExit, type(None))), \
            outcome.output


def test_braces_split_as_shlex_splits_them():
    """``{...}`` options without quotes or backslashes are split without shlex, at exactly the
    places shlex splits them (its whitespace, not every Unicode space); with them, by shlex."""
    import random
    import shlex

    from coursepack.attrs import parse_attrs
    alphabet = " \t\r\n\x0b\x0c\xa0\u2003ab#.=-_é:;,/'\"\\"
    rng = random.Random(26)
    for _ in range(20000):
        body = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 16)))
        try:
            tokens = shlex.split(body, posix=True)
        except ValueError:
            assert parse_attrs(body).problem
            continue
        got = parse_attrs(body)
        assert not got.problem
        assert (got.id, list(got.classes)) == (
            next((t[1:] for t in reversed(tokens) if t.startswith("#")), ""),
            [t[1:] for t in tokens if t.startswith(".")]), repr(body)
        assert got.options == {k: v for t in tokens if not t.startswith(("#", "."))
                               for k, _, v in [t.partition("=")]}, repr(body)
