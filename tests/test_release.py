"""The release gate: what still needs sign-off stops `build --release`; other builds say "Preview"."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from coursepack.cli import main

REPO = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).parent / "fixtures" / "pack"
MARK = "Preview, not for learners."


def html_files(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): p.read_text() for p in folder.rglob("*.html")}


def test_release_build_of_the_pack_refuses_with_the_list(tmp_path):
    out = tmp_path / "dist"
    result = CliRunner().invoke(main, ["build", str(REPO / "content"), "--release", "--out", str(out)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    text = result.output
    drafts = [line for line in text.splitlines() if "[release-draft-review]" in line]
    assert len(drafts) == len(list((REPO / "content" / "modules").glob("*.md")))
    assert all(":" in line.split(" ")[0] for line in drafts), "each item names file:line"
    assert "support line 'NHS Living Life' is flagged" in text and "[release-unverified-line]" in text
    assert "need sign-off before release: nothing was built" in text
    assert not out.exists()


def test_release_build_refuses_an_overdue_review(tmp_path):
    pack = shutil.copytree(FIXTURE, tmp_path / "pack")
    module = pack / "modules" / "every-element.md"
    module.write_text(module.read_text().replace("reviewed_on: 2026-01-01", "reviewed_on: 2020-01-01")
                      .replace("review_due: 2036-01-01", "review_due: 2021-01-01"))
    result = CliRunner().invoke(main, ["build", str(pack), "--release", "--out", str(tmp_path / "d"), "--only", "site"])
    assert result.exit_code == 1
    assert "every-element.md" in result.output and "[release-review-overdue]" in result.output


def test_a_preview_build_marks_every_page_and_a_release_build_none(tmp_path):
    runner = CliRunner()
    preview = runner.invoke(main, ["build", str(FIXTURE), "--out", str(tmp_path / "p"), "--only", "site"])
    release = runner.invoke(main, ["build", str(FIXTURE), "--release", "--out", str(tmp_path / "r"), "--only", "site"])
    assert preview.exit_code == 0 and release.exit_code == 0, preview.output + release.output
    previews, releases = html_files(tmp_path / "p" / "site"), html_files(tmp_path / "r" / "site")
    assert set(previews) == set(releases) and "every-element/index.html" in previews
    for name, html in previews.items():
        pages = html.count('class="cg-page"')
        assert html.count(MARK) == max(pages, 1), name
    assert not any(MARK in html for html in releases.values())


def test_learners_never_see_a_draft_reviewer(tmp_path):
    result = CliRunner().invoke(main, ["build", str(REPO / "content"), "--out", str(tmp_path), "--only", "site",
                                       "--only", "olx"])
    assert result.exit_code == 0, result.output
    built = [p for p in tmp_path.rglob("*") if p.is_file() and p.suffix in {".html", ".xml", ".json", ".md", ""}]
    assert built
    for path in built:
        text = path.read_text(errors="ignore")
        assert "awaiting clinical review" not in text and "Reviewed by Common Ground" not in text, path


def test_lint_reports_the_gate_as_warnings():
    result = CliRunner().invoke(main, ["lint", str(REPO / "content"), "--format", "json"])
    found = json.loads(result.stdout)
    gate = [d for d in found if d["code"].startswith("release-")]
    assert gate and {d["severity"] for d in gate} == {"warning"}
    assert result.exit_code == 0


def _verticals(tarball: Path) -> list:
    import tarfile
    from lxml import etree
    with tarfile.open(tarball) as tar:
        return [etree.fromstring(tar.extractfile(m).read()) for m in tar.getmembers()
                if m.name.startswith("course/vertical/") and m.isfile()]


def test_the_open_edx_course_marks_every_unit_of_a_preview_build_and_none_of_a_release(tmp_path):
    runner = CliRunner()
    for flags, name in (([], "p"), (["--release"], "r")):
        result = runner.invoke(main, ["build", str(FIXTURE), *flags, "--out", str(tmp_path / name), "--only", "olx"])
        assert result.exit_code == 0, result.output
    [preview_tar], [release_tar] = (list((tmp_path / n / "olx").glob("*.tar.gz")) for n in ("p", "r"))
    preview, release = _verticals(preview_tar), _verticals(release_tar)
    assert preview and len(preview) == len(release)
    for vertical in preview:
        marks = [child.get("preview_mark") for child in vertical]
        assert marks[0] == "true" and not any(marks[1:]), vertical.get("display_name")
    assert not any(child.get("preview_mark") for vertical in release for child in vertical)


def test_an_open_edx_block_marked_as_a_preview_says_so():
    import pytest
    pytest.importorskip("xblock")
    from xblocks.page import ContentPageBlock
    from xblocks.dev.testing import LearnerRuntime
    runtime = LearnerRuntime()
    marked = runtime.block(ContentPageBlock, "b1", content="Words.", module="mod", module_title="A",
                           preview_mark=True)
    plain = runtime.block(ContentPageBlock, "b2", content="Words.", module="mod", module_title="A")
    assert marked.student_view().content.count(MARK) == 1
    assert MARK not in plain.student_view().content
