"""An author's mistakes: all reported at once, each at its file and line, never a traceback."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from coursepack.cli import main
from coursepack.load import load_pack

FIXTURE = Path(__file__).parent / "fixtures" / "pack"

BROKEN = """---
id: broken
title: Broken
summary: Every mistake.
duration: 15
level: informd
audience: [all staff]
outcome: [typo]
pass_mark: 170
sources: []
reviewed_by: R
reviewed_on: 2026-01-01
review_due: someday
version: 1.0.0
language: en-GB
---

Text before any page.

# Section {#sec}

## No id page

::: question {#q1 type=single atempts=2}

- [ ] Wrong {#a}
      No.
- [ ] Also wrong {#a}
      No.
:::

::: question {#q1 type=single}
Two right in a single.

- [x] One {#a}
      Yes.
- [x] Two
      Yes.
:::

::: questoin {#q3}
:::

::: scenario {#s1}
#### Start {#start}
Begin.

- [Go](#nowhere) {#c1}
      Hm.

#### Orphan {#orphan}
Nobody comes here.
:::

::: reflection
Prompt without an id.
:::

![](images/missing.png)

::: confidence {#cf-after after=cf-nope}
:::

Unknown [[no such term]] and [S9].

::: key-point
Never closed.

## Next page {#next}
"""

EXPECTED = {
    (6, "bad-value"),             # level typo
    (8, "unknown-key"),           # outcome → outcomes
    (9, "bad-value"),             # pass mark out of range
    (13, "bad-value"),            # date
    (1, "missing-key"),           # outcomes missing
    (18, "outside-page"),
    (22, "missing-id"),           # page heading
    (24, "unknown-option"),       # atempts
    (24, "empty-question"),
    (24, "no-correct-option"),
    (28, "duplicate-id"),         # option id a twice
    (32, "duplicate-id"),         # question id q1 twice
    (32, "many-correct"),
    (37, "missing-id"),           # option without id
    (41, "unknown-block"),        # questoin
    (44, "no-ending"),
    (48, "choice-leads-nowhere"),
    (51, "unreachable-step"),
    (51, "dead-end"),
    (55, "missing-id"),           # reflection
    (59, "image-no-alt"),
    (59, "image-missing"),
    (61, "unknown-before"),
    (64, "unknown-term"),
    (64, "unknown-source"),
    (66, "unclosed-block"),
}


def make_pack(tmp_path: Path, text: str) -> Path:
    root = tmp_path / "content"
    (root / "modules").mkdir(parents=True)
    shutil.copy(FIXTURE / "pack.yml", root / "pack.yml")
    (root / "modules" / "broken.md").write_text(text)
    (root / "pack.yml").write_text((FIXTURE / "pack.yml").read_text().replace(
        "modules: [every-element, folder-mod]", "modules: [broken]"))
    return root


def test_every_error_with_file_and_line(tmp_path):
    root = make_pack(tmp_path, BROKEN)
    result = load_pack(root)
    found = {(d.line, d.code) for d in result.diagnostics.errors}
    missing = EXPECTED - found
    assert not missing, f"not reported: {sorted(missing)}\nfound: {sorted(found)}"
    for d in result.diagnostics.errors:
        assert d.file in ("content/modules/broken.md", "content/pack.yml"), d
        assert d.message


def test_hints_say_what_to_do(tmp_path):
    result = load_pack(make_pack(tmp_path, BROKEN))
    by_code = {(d.line, d.code): d for d in result.diagnostics.items}
    assert "did you mean 'outcomes'" in by_code[(8, "unknown-key")].hint
    assert "did you mean 'attempts'" in by_code[(24, "unknown-option")].hint
    assert "did you mean 'question'" in by_code[(41, "unknown-block")].hint
    assert "did you mean 'informed'" in by_code[(6, "bad-value")].message
    assert "lint --fix" in by_code[(22, "missing-id")].hint


def test_cli_lint_reports_without_traceback(tmp_path, monkeypatch):
    root = make_pack(tmp_path, BROKEN)
    monkeypatch.chdir(tmp_path)
    out = CliRunner().invoke(main, ["lint", "content"])
    assert out.exit_code == 1
    assert "Traceback" not in out.output
    assert "content/modules/broken.md:48: choice 'c1' leads to '#nowhere'" in out.output


def test_lint_json_is_valid_with_documented_keys(tmp_path, monkeypatch):
    root = make_pack(tmp_path, BROKEN)
    out = CliRunner().invoke(main, ["lint", str(root), "--format", "json"])
    data = json.loads(out.stdout)
    assert data and all(set(d) == {"file", "line", "severity", "code", "message", "hint"} for d in data)
    assert {d["severity"] for d in data} <= {"error", "warning"}


def test_build_refuses_a_broken_pack(tmp_path):
    root = make_pack(tmp_path, BROKEN)
    out = CliRunner().invoke(main, ["build", str(root), "--out", str(tmp_path / "dist")])
    assert out.exit_code == 1 and "nothing was built" in out.output
    assert not (tmp_path / "dist").exists()


def test_broken_copy_of_a_real_module(tmp_path):
    """Damage a real module from content/ in several ways: every damage is reported."""
    real = sorted((Path(__file__).parent.parent / "content" / "modules").glob("*.md"))[0]
    lines = real.read_text().splitlines()
    damaged = []
    for n, line in enumerate(lines):
        if line.startswith("## ") and "{#" in line and not damaged:
            line = line[: line.index("{#")].rstrip()           # drop a page id
            damaged.append((n + 1, "missing-id"))
        elif line.startswith("::: question") and len(damaged) == 1:
            line = line.replace("::: question", "::: quiz")
            damaged.append((n + 1, "unknown-block"))
        lines[n] = line
    root = tmp_path / "content"
    (root / "modules").mkdir(parents=True)
    shutil.copy(real.parent.parent / "pack.yml", root / "pack.yml")
    for other in real.parent.glob("*.md"):
        shutil.copy(other, root / "modules" / other.name)
    (root / "modules" / real.name).write_text("\n".join(lines))
    out = CliRunner().invoke(main, ["lint", str(root), "--format", "json"])
    assert out.exit_code == 1 and "Traceback" not in out.output
    found = {(d["line"], d["code"]) for d in json.loads(out.stdout) if d["file"].endswith(real.name)}
    for expected in damaged:
        assert expected in found, (expected, sorted(found))


def test_lint_fix_writes_missing_ids(tmp_path):
    text = BROKEN
    root = make_pack(tmp_path, text)
    CliRunner().invoke(main, ["lint", str(root), "--fix"])
    fixed = (root / "modules" / "broken.md").read_text().splitlines()
    assert fixed[21] == "## No id page {#no-id-page}"
    assert fixed[54].startswith("::: reflection {#r-")
    assert fixed[36].startswith("- [x] Two {#") and fixed[36] != "- [x] Two {#a}"
    result = load_pack(root)
    assert not {d.code for d in result.diagnostics.errors} & {"missing-id"}


def test_grouped_citations_are_checked(tmp_path):
    text = BROKEN.replace("Unknown [[no such term]] and [S9].", "Cited [S1, S9].")
    result = load_pack(make_pack(tmp_path, text))
    assert (64, "unknown-source") in {(d.line, d.code) for d in result.diagnostics.errors}
    assert any("[S9]" in d.message for d in result.diagnostics.errors)


def test_an_nttp_level_name_gets_a_plain_hint(tmp_path):
    root = make_pack(tmp_path, BROKEN.replace("level: informd", "level: trauma-skilled"))
    [d] = [d for d in load_pack(root).diagnostics.items if d.line == 6 and d.code == "bad-value"]
    assert "looks like an NTTP level, which this pack does not award: write 'skilled'" in d.message


def test_a_second_after_check_of_one_before_check_is_refused(tmp_path):
    """Reports pair a learner's "before" and "after" ratings by the "before" check's id: two
    "after" checks of one "before" check would report under the same ids."""
    text = (FIXTURE / "modules" / "every-element.md").read_text(encoding="utf-8")
    text = text.replace("::: confidence {#cf-after after=cf-before}\n:::",
                        "::: confidence {#cf-after after=cf-before}\n:::\n\n::: confidence {#cf-again after=cf-before}\n:::")
    root = make_pack(tmp_path, text)
    found = [d for d in load_pack(root).diagnostics.errors if d.code == "second-after"]
    assert [d.message for d in found] == ["'cf-after' is already the 'after' check of 'cf-before' in this module"]
    assert "one 'after' check per 'before' check" in found[0].hint
