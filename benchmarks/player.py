"""What the learner's browser downloads of the player, per delivery: each file's bytes and gzip
bytes, then the sum an Open edX unit page loads (the files every block's fragment names, once
per page whatever its blocks) and the sum a SCORM SCO loads (the scripts and styles its built
page names). The Open edX page's baseline is the same page with the module shell as well, which
is what it loaded while the player was one file.
"""
from __future__ import annotations

import gzip
import posixpath
import zipfile
from html.parser import HTMLParser
from pathlib import Path

from coursepack.player import player_file

from .report import Row, ratio, skipped

FILES = ("widgets.js", "shell.js", "player.css")
WHAT = {"widgets.js": "widgets and text enhancements: Open edX and SCORM",
        "shell.js": "scoring, state codec, module shell, device store: SCORM and the preview only",
        "player.css": "one sheet for widgets and the shell"}


def gzipped(data: bytes) -> int:
    """Bytes after gzip at level 6 (what web servers commonly send)."""
    return len(gzip.compress(data, compresslevel=6, mtime=0))


def weight(files: dict[str, bytes]) -> str:
    raw = sum(len(d) for d in files.values())
    return f"{raw:,} B ({sum(gzipped(d) for d in files.values()):,} B gzip)"


def unit_page_files() -> dict[str, bytes]:
    """The files an Open edX unit page loads: ``xblocks.player_files.PLAYER_FILES``, as the
    runtime serves them (``open_local_resource`` of the block whose URL they have)."""
    from xblocks.page import ContentPageBlock
    from xblocks.player_files import PLAYER_FILES
    return {Path(uri).name: ContentPageBlock.open_local_resource(uri).read() for uri in PLAYER_FILES}


class _Loads(HTMLParser):
    """The scripts and style sheets a page names."""

    def __init__(self):
        super().__init__()
        self.refs: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script" and a.get("src"):
            self.refs.append(a["src"])
        elif tag == "link" and a.get("rel") == "stylesheet" and a.get("href"):
            self.refs.append(a["href"])


def sco_files(package: Path) -> tuple[str, dict[str, bytes]]:
    """(the SCO's page, the scripts and styles it loads) from a built SCORM zip."""
    with zipfile.ZipFile(package) as zf:
        page = min((n for n in zf.namelist() if n.endswith("/index.html")), key=len)
        parser = _Loads()
        parser.feed(zf.read(page).decode("utf-8"))
        paths = [posixpath.normpath(posixpath.join(posixpath.dirname(page), ref)) for ref in parser.refs]
        return page, {path: zf.read(path) for path in paths}


def unit_page_row() -> Row:
    measure = "player: what an Open edX unit page loads"
    try:
        unit = unit_page_files()
    except ImportError as exc:
        return skipped(measure, f"xblocks not importable ({exc})")
    before = {**unit, "shell.js": player_file("shell.js")}
    return Row(measure, weight(unit), baseline=weight(before),
               ratio=ratio(sum(map(len, unit.values())), sum(map(len, before.values()))),
               note=f"{', '.join(unit)}, once per page whatever its blocks (a learning review adds "
                    "shared-items.js); baseline: the same with shell.js, as before the split")


def sco_row(packages: list, typical: str) -> Row:
    """The typical module's SCORM package (another module's when it has none)."""
    measure = "player: what a SCORM SCO loads"
    scorm = sorted((p for p in packages if p.module and "scorm" in p.builder and p.path.name.endswith(".zip")),
                   key=lambda p: (p.module != typical, p.label))
    if not scorm:
        return skipped(measure, "no SCORM package was built")
    page, files = sco_files(scorm[0].path)
    return Row(measure, weight(files), note=f"{', '.join(Path(f).name for f in files)}; {scorm[0].label} → {page}")


def rows(packages: list, typical: str) -> list[Row]:
    return [*(Row(f"player: {name}", weight({name: player_file(name)}), note=WHAT[name])
              for name in FILES),
            unit_page_row(), sco_row(packages, typical)]
