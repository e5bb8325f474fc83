"""A one-module pack in a temp folder, linted through the real ``commonground lint`` CLI."""
from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from coursepack.cli import main

MODULE = Path(__file__).parent / "fixtures" / "pack" / "modules" / "folder-mod" / "module.md"
PACK = """title: Lint test pack
publisher: Test publisher
language: en-GB
course: {org: TestOrg, number: T1, run: "2026"}
pass_mark: 70
support_lines:
  - name: Test line
    contact: 0800 000 000
    offers: Someone to talk to.
"""


def lint_pages(tmp_path: Path, *pages: str, pack_extra: str = "", front_extra: str = "") -> list[dict]:
    """Lint a folder module whose page files are ``pages``; the files are 01-page.md, 02-page.md...

    ``front_extra`` adds lines to the module's front matter."""
    root = tmp_path / "content"
    folder = root / "modules" / "test-mod"
    folder.mkdir(parents=True)
    (root / "pack.yml").write_text(PACK + pack_extra)
    front = MODULE.read_text()
    (folder / "module.md").write_text(front.replace("\n---", "\n" + front_extra + "---", 1) if front_extra else front)
    for n, text in enumerate(pages, 1):
        (folder / f"{n:02d}-page.md").write_text(text)
    return _lint(root)


def lint_modules(tmp_path: Path, *bodies: list[str]) -> list[dict]:
    """Lint single-file modules m1.md, m2.md..., each with the fixture's front matter and one page."""
    root = tmp_path / "content"
    (root / "modules").mkdir(parents=True)
    (root / "pack.yml").write_text(PACK)
    front = MODULE.read_text()
    for n, body in enumerate(bodies, 1):
        text, _ = page(f"Page {n}", f"p{n}", body)
        (root / "modules" / f"m{n}.md").write_text(front.replace("id: folder-mod", f"id: m{n}") + "\n" + text)
    return _lint(root)


def _lint(root: Path) -> list[dict]:
    out = CliRunner().invoke(main, ["lint", str(root), "--format", "json", "--today", "2026-06-01"])
    assert "Traceback" not in out.output, out.output
    return json.loads(out.stdout)


def page(title: str, ident: str, body: list[str]) -> tuple[str, int]:
    """A page file: section and page heading, then ``body``; also the line number of body[0]."""
    head = [f"# Section {ident} {{#s-{ident}}}", "", f"## {title} {{#{ident}}}", ""]
    return "\n".join(head + body) + "\n", len(head) + 1


def one_file_module(ident: str, body: str) -> str:
    """A whole module in one file: valid front matter, one section and page, then ``body``."""
    return f"""---
id: {ident}
title: A module from a partner
summary: A module to test with.
duration: 10
level: informed
audience: [all staff]
outcomes: [Read it., Try it., Find help.]
pass_mark: 70
sources:
  - {{key: S1, title: A source, publisher: Someone, year: 2024}}
reviewed_by: Reviewer
reviewed_on: 2026-01-01
review_due: 2036-01-01
version: 1.0.0
language: en-GB
---
# Pictures {{#pictures}}

## Every picture {{#every}}

{body}
"""
