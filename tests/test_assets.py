"""A pack from someone else is safe to build: nothing outside the pack gets in, no active content
gets out. A hostile copy of the fixture pack (links to a file outside it, fake and scripted
pictures, paths out of the pack) goes through lint, the CLI build and every builder called
directly; a marker written into the outside file must appear in no output."""
from __future__ import annotations

import gzip
import io
import os
import shutil
import tarfile
import uuid
import zipfile
from importlib.metadata import entry_points
from pathlib import Path

import pytest
from click.testing import CliRunner

from coursepack import assets, svg
from coursepack.cli import main
from coursepack.diagnostics import PackError
from coursepack.lint import lint
from coursepack.load import load_pack, require_pack
from lintpack import one_file_module

FIXTURE = Path(__file__).parent / "fixtures" / "pack"
PNG = (FIXTURE / "modules" / "folder-mod" / "images" / "square.png").read_bytes()
SCRIPTED_SVG = b"""<svg xmlns="http://www.w3.org/2000/svg" onload="alert(document.cookie)" viewBox="0 0 4 4">
<script>fetch('/login/token')</script>
<rect width="4" height="4"/>
</svg>
"""
XLINK_SVG = b"""<?xml version="1.0"?>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 4 4">
<a xlink:href="javascript:alert(1)"><rect width="4" height="4"/></a>
</svg>
"""
STYLE_SVG = b"""<svg xmlns="http://www.w3.org/2000/svg"><style>rect{fill:url(https://tracker.example/x)}</style>
<foreignObject><p xmlns="http://www.w3.org/1999/xhtml">hi</p></foreignObject></svg>"""
# Inert, with the bookkeeping a drawing program adds: shipped without it.
PLAIN_SVG = b"""<?xml version="1.0" encoding="UTF-8"?>
<!-- Created with Inkscape -->
<svg xmlns="http://www.w3.org/2000/svg" xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape"
     xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 40 20" inkscape:version="1.3">
  <metadata><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/></metadata>
  <title>Two boxes</title>
  <defs><linearGradient id="fade"><stop offset="0" stop-color="#036"/></linearGradient></defs>
  <rect width="18" height="18" fill="url(#fade)" inkscape:label="left"/>
  <use xlink:href="#fade" x="20"/>
  <text x="2" y="19">Need <tspan font-weight="bold">and</tspan> use</text>
</svg>
"""

# (the line's text, the lint code expected on it)
HOSTILE_LINES = [
    ("![A chart of referrals](link.png)", "image-link"),
    ("![A chart of referrals](linked/secret.png)", "image-link"),
    ("![A chart of referrals](hard.png)", "image-link"),
    ("![A chart of referrals](fake.png)", "image-type"),
    ("![A chart of referrals](png-named.gif)", "image-type"),
    ("![A diagram of four boxes](diagram.svg)", "image-unsafe-svg"),
    ("![A diagram of four boxes](xlink.svg)", "image-unsafe-svg"),
    ("![A diagram of four boxes](styled.svg)", "image-unsafe-svg"),
    ("![A chart of referrals](../../../../etc/passwd)", "image-outside-pack"),
    ("![A chart of referrals](images/../../outside/secret.png)", "image-outside-pack"),
    ("![A chart of referrals](/etc/hostname)", "image-outside-pack"),
    ("![A chart of referrals](file:///etc/passwd)", "image-outside-pack"),
    ("![A chart of referrals](FILE:../outside/secret.png)", "image-outside-pack"),
    ("![A chart of referrals](images\\..\\..\\..\\outside\\secret.png)", "image-bad-path"),
    ("![A chart of referrals](%2e%2e/%2e%2e/outside/secret.png)", "image-bad-path"),
    ("![A chart of referrals](pipe.png)", "image-not-file"),
]


def _pack(tmp_path: Path, body: str, ident: str = "hostile") -> tuple[Path, bytes]:
    """The fixture pack plus one module, beside a folder outside it holding a marked file."""
    marker = f"CG-OUTSIDE-{uuid.uuid4().hex}".encode()
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.png").write_bytes(PNG + marker)       # a real PNG: only the links betray it
    root = tmp_path / "content"
    shutil.copytree(FIXTURE, root)
    (root / "pack.yml").write_text((FIXTURE / "pack.yml").read_text().replace(
        "modules: [every-element, folder-mod]", f"modules: [every-element, folder-mod, {ident}]"))
    (root / "modules" / f"{ident}.md").write_text(one_file_module(ident, body))
    return root, marker


def hostile_pack(tmp_path: Path) -> tuple[Path, bytes]:
    root, marker = _pack(tmp_path, "\n\n".join(text for text, _ in HOSTILE_LINES))
    modules = root / "modules"
    secret = tmp_path / "outside" / "secret.png"
    (modules / "link.png").symlink_to(secret)
    (modules / "linked").symlink_to(tmp_path / "outside", target_is_directory=True)
    os.link(secret, modules / "hard.png")
    (modules / "fake.png").write_bytes(b"<html><script>alert(1)</script></html>" + marker)
    (modules / "png-named.gif").write_bytes(PNG)
    (modules / "diagram.svg").write_bytes(SCRIPTED_SVG)
    (modules / "xlink.svg").write_bytes(XLINK_SVG)
    (modules / "styled.svg").write_bytes(STYLE_SVG)
    os.mkfifo(modules / "pipe.png")
    return root, marker


def _line_of(root: Path, text: str, module: str = "hostile") -> int:
    lines = (root / "modules" / f"{module}.md").read_text().splitlines()
    return lines.index(text) + 1


def _output_bytes(out: Path):
    """Every file a build wrote, with zips and tarballs opened: (name, bytes)."""
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        data = path.read_bytes()
        yield str(path), data
        if path.suffix == ".zip":
            with zipfile.ZipFile(path) as archive:
                for name in archive.namelist():
                    yield f"{path}!{name}", archive.read(name)
        elif path.name.endswith(".tar.gz"):
            yield f"{path}!raw", gzip.decompress(data)
            with tarfile.open(path) as tar:
                for member in tar.getmembers():
                    if member.isfile():
                        yield f"{path}!{member.name}", tar.extractfile(member).read()


def _assert_no_leak(out: Path, marker: bytes) -> None:
    for name, data in _output_bytes(out):
        assert marker not in data, f"the outside file leaked into {name}"
        for part in (b"onload", b"<script", b"javascript:"):
            if name.endswith(".svg"):
                assert part not in data, f"{name} ships {part!r}"


def test_lint_reports_each_hostile_picture_at_its_line(tmp_path):
    root, _ = hostile_pack(tmp_path)
    _, found = lint(root)
    errors = {(d.line, d.code) for d in found if d.severity == "error" and d.file.endswith("hostile.md")}
    expected = {(_line_of(root, text), code) for text, code in HOSTILE_LINES}
    assert errors == expected
    by_line = {d.line: d for d in found if d.file == "content/modules/hostile.md"}
    for text, _ in HOSTILE_LINES:
        d = by_line[_line_of(root, text)]
        assert d.hint, d
    svg_error = by_line[_line_of(root, "![A diagram of four boxes](diagram.svg)")].message
    assert "onload" in svg_error and "<script>" in svg_error
    assert "javascript:" in by_line[_line_of(root, "![A diagram of four boxes](xlink.svg)")].message
    styled = by_line[_line_of(root, "![A diagram of four boxes](styled.svg)")].message
    assert "url(https://tracker.example/x)" in styled and "<foreignObject>" in styled
    assert "hard link" in by_line[_line_of(root, "![A chart of referrals](hard.png)")].message


def test_lint_cli_and_build_cli_refuse_without_a_traceback(tmp_path):
    root, marker = hostile_pack(tmp_path)
    runner = CliRunner()
    linted = runner.invoke(main, ["lint", str(root)])
    assert linted.exit_code == 1 and linted.exception is None or isinstance(linted.exception, SystemExit)
    line = _line_of(root, "![A chart of referrals](link.png)")
    assert f"content/modules/hostile.md:{line}: image 'link.png' is reached through a link" in linted.output
    built = runner.invoke(main, ["build", str(root), "--out", str(tmp_path / "dist")])
    assert built.exit_code == 1 and isinstance(built.exception, SystemExit)
    assert "Traceback" not in built.output and f"content/modules/hostile.md:{line}:" in built.output
    exported = runner.invoke(main, ["export", str(root), "--out", str(tmp_path / "dist")])
    assert exported.exit_code == 1 and isinstance(exported.exception, SystemExit)
    _assert_no_leak(tmp_path / "dist", marker)


@pytest.mark.parametrize("builder", sorted(ep.name for ep in entry_points(group="commonground.builders")))
def test_every_builder_applies_the_policy_itself(tmp_path, builder):
    """A builder handed the pack without lint's refusal (or after a file was swapped) refuses the
    same pictures at the same lines, or ships no picture at all (the coordinator kit, say), and
    writes nothing from outside the pack."""
    root, marker = hostile_pack(tmp_path)
    result = load_pack(root)
    assert result.pack is not None and result.diagnostics.errors
    build = next(ep for ep in entry_points(group="commonground.builders") if ep.name == builder).load()
    try:
        build(result, tmp_path / "dist" / builder)
    except PackError as refused:
        found = {(d.file, d.line, d.code) for d in refused.diagnostics}
        expected = {("content/modules/hostile.md", _line_of(root, text), code) for text, code in HOSTILE_LINES}
        assert found == expected
    else:
        pictures = [name for name, data in _output_bytes(tmp_path / "dist")
                    if name.rsplit(".", 1)[-1].lower() in {"png", "jpg", "jpeg", "gif", "webp", "svg"}]
        assert not pictures, f"{builder} shipped pictures without the asset policy: {pictures}"
    _assert_no_leak(tmp_path / "dist", marker)


def test_a_link_swapped_in_after_lint_is_refused_by_the_build(tmp_path):
    root, marker = _pack(tmp_path, "![A chart of referrals](images/chart.png)")
    (root / "modules" / "images").mkdir()
    (root / "modules" / "images" / "chart.png").write_bytes(PNG)
    result = require_pack(root)
    (root / "modules" / "images" / "chart.png").unlink()
    (root / "modules" / "images" / "chart.png").symlink_to(tmp_path / "outside" / "secret.png")
    build = next(ep for ep in entry_points(group="commonground.builders") if ep.name == "scorm2004").load()
    with pytest.raises(PackError, match="reached through a link"):
        build(result, tmp_path / "dist")
    _assert_no_leak(tmp_path / "dist", marker)


def test_safe_pictures_ship_to_every_output_and_svg_ships_rebuilt(tmp_path):
    root, _ = _pack(tmp_path, "![Two boxes side by side](images/boxes.svg)\n\n"
                              "![A blue square on white](images/square.png)", "pictures")
    shared = root / "modules" / "images"
    shared.mkdir()
    (shared / "boxes.svg").write_bytes(PLAIN_SVG)
    (shared / "square.png").write_bytes(PNG)
    # a folder module may use the pack's shared images folder too
    page = root / "modules" / "folder-mod" / "01-first.md"
    page.write_text(page.read_text() + "\n![Two boxes side by side](../images/boxes.svg)\n")
    _, found = lint(root)
    assert not [d for d in found if d.severity == "error"], found
    outcome = CliRunner().invoke(main, ["build", str(root), "--out", str(tmp_path / "dist")])
    assert outcome.exit_code == 0, outcome.output
    files = dict(_output_bytes(tmp_path / "dist"))
    clean = svg.sanitise(PLAIN_SVG)
    assert b"inkscape" not in clean and b"<title>Two boxes</title>" in clean and b'xlink:href="#fade"' in clean
    site = tmp_path / "dist" / "site"
    assert (site / "pictures" / "images" / "boxes.svg").read_bytes() == clean
    assert (site / "pictures" / "images" / "square.png").read_bytes() == PNG
    assert (site / "images" / "boxes.svg").read_bytes() == clean          # folder-mod/../images
    zips = {name.split("!")[-1]: data for name, data in files.items() if ".zip!" in name
            and "scorm2004/pictures.zip" in name}
    assert zips["pictures/images/boxes.svg"] == clean and zips["pictures/images/square.png"] == PNG
    olx = {name.split("!")[-1]: data for name, data in files.items() if ".tar.gz!course/" in name}
    assert olx["course/static/pictures/images/boxes.svg"] == clean
    assert olx["course/static/images/boxes.svg"] == clean


def test_sizes_warn_with_what_they_cost_on_a_slow_connection(tmp_path):
    big_png = PNG + b"\0" * (assets.IMAGE_WARN_BYTES + 1)
    # a page just over 1 MB, most of it a comment (cheap for the language and reading checks)
    body = "![A big chart of referrals](big.png)\n\nPlain words.\n\n<!--\n" + ("notes " * 20 + "\n") * 8300 + "-->"
    root, _ = _pack(tmp_path, body, "sizes")
    (root / "modules" / "big.png").write_bytes(big_png)
    _, found = lint(root)
    warnings = {d.code: d for d in found if d.file == "content/modules/sizes.md" and d.severity == "warning"}
    image = warnings["image-too-large"]
    assert image.line == _line_of(root, "![A big chart of referrals](big.png)", "sizes")
    assert "2.0 MB takes about 40 s to load at 400 kbit/s" in image.message
    page = warnings["page-too-large"]
    assert page.line == _line_of(root, "## Every picture {#every}", "sizes") and "page 'every'" in page.message and "at 400 kbit/s" in page.message
    assert not [d for d in found if d.severity == "error"]


def test_a_huge_page_is_refused_quickly_not_read(tmp_path):
    """A 20 MB page: one clear error, and the linters never see it (it took 48 s before)."""
    root, _ = _pack(tmp_path, "Plain words for a long page.\n" * 700_000, "huge")
    _, found = lint(root)
    errors = [d for d in found if d.file == "content/modules/huge.md"]
    assert [(d.line, d.code) for d in errors] == [(1, "file-too-large")]
    assert "20.3 MB" in errors[0].message and "split it" in errors[0].hint


@pytest.mark.parametrize("data, media", [
    (PNG, "png"), (b"\xff\xd8\xff\xe0JFIF", "jpeg"), (b"GIF89a....", "gif"), (b"RIFF\0\0\0\0WEBPVP8 ", "webp"),
    (PLAIN_SVG, "svg"), (b"<html><body>hi</body></html>", ""), (b"%PDF-1.7", ""), (b"", ""),
])
def test_the_type_comes_from_the_first_bytes(data, media):
    assert assets.media_type(data) == media


@pytest.mark.parametrize("picture, named", [
    (b'<svg xmlns="http://www.w3.org/2000/svg"><animate onbegin="alert(1)" attributeName="x"/></svg>', "animate"),
    (b'<svg xmlns="http://www.w3.org/2000/svg"><rect onclick="alert(1)"/></svg>', "onclick"),
    (b'<svg xmlns="http://www.w3.org/2000/svg"><image href="data:image/svg+xml;base64,PHN2Zz4="/></svg>', "image"),
    (b'<svg xmlns="http://www.w3.org/2000/svg"><use href="https://example.org/a.svg#x"/></svg>', "https://"),
    (b'<svg xmlns="http://www.w3.org/2000/svg"><style>@import "x.css";</style></svg>', "@import"),
    (b'<svg xmlns="http://www.w3.org/2000/svg"><rect style="fill:url(\'http://x/y\')"/></svg>', "url("),
    (b'<svg xmlns="http://www.w3.org/2000/svg"><rect fill="java&#x09;script:alert(1)"/></svg>', "javascript:"),
    (b'<!DOCTYPE svg [<!ENTITY e SYSTEM "file:///etc/passwd">]><svg xmlns="http://www.w3.org/2000/svg">&e;</svg>',
     "DOCTYPE"),
    (b'<svg><rect/></svg>', "xmlns"),
    (b'<html xmlns="http://www.w3.org/1999/xhtml"><script>1</script></html>', "not an SVG"),
])
def test_svg_outside_the_allow_list_is_refused(picture, named):
    with pytest.raises(svg.SvgRefused) as refused:
        svg.sanitise(picture)
    assert named in str(refused.value)


@pytest.mark.parametrize("where", ["modules/linked.md", "modules/linked-folder", "modules/folder-mod/03-linked.md"])
def test_markdown_reached_through_a_link_is_not_read(tmp_path, where):
    """The same rule for the pack's own Markdown: a linked module, module folder or page file
    could pull in any text file the builder can read."""
    root, marker = _pack(tmp_path, "Words.", "own")
    outside = tmp_path / "outside"
    (outside / "module.md").write_text(one_file_module("linked", f"Secret words {marker.decode()}."))
    (outside / "page.md").write_text(f"## Secret page {{#secret}}\n\n{marker.decode()}\n")
    target = {"modules/linked.md": outside / "module.md", "modules/linked-folder": outside,
              "modules/folder-mod/03-linked.md": outside / "page.md"}[where]
    (root / where).symlink_to(target)
    _, found = lint(root)
    shown = f"content/{where}" + ("/module.md" if where.endswith("folder") else "")
    assert ("linked-file", 1) in {(d.code, d.line) for d in found if d.file == shown}
    assert not any(marker.decode() in str(d) for d in found)
    outcome = CliRunner().invoke(main, ["build", str(root), "--out", str(tmp_path / "dist")])
    assert outcome.exit_code == 1 and "Traceback" not in outcome.output and "linked-file" in outcome.output
    _assert_no_leak(tmp_path / "dist", marker)
