"""The player in two scripts: widgets.js (all an Open edX unit page loads) and shell.js (the
module shell, codec and store, for SCORM and the preview), which extends it, each put together
from the player's own part and the kinds' parts (coursepack.player). Each function is in one of
the player's parts only, the widgets work without the shell, and the bench reports what each
delivery loads."""
from __future__ import annotations

import gzip
import re
import zipfile
from pathlib import Path

from click.testing import CliRunner

from coursepack import elements
from coursepack.player import player_file

from support import REPO

PLAYER = REPO / "coursepack" / "player"
WIDGETS, SHELL = PLAYER / "widgets.js", PLAYER / "shell.js"
FIXTURE = Path(__file__).parent / "fixtures" / "pack"
SHELL_API = ("startShell", "state", "summarise", "store", "localStore", "fitContents")


def defined(path: Path) -> set[str]:
    """The names a script defines at its top level (two spaces in, inside its wrapper): its
    functions and what it sets on the CommonGround global (closures inside them are their own)."""
    code = path.read_text()
    return (set(re.findall(r"^  function (\w+)\s*\(", code, re.M))
            | {f"CG.{n}" for n in re.findall(r"^  CG\.(\w+)\s*=", code, re.M)})


def test_no_function_is_in_both_scripts():
    both = defined(WIDGETS) & defined(SHELL)
    assert not both, f"defined in widgets.js and shell.js: {sorted(both)}"
    assert {"attemptsText", "verdict", "CG.mountWidget", "CG.enhanceTerms"} <= defined(WIDGETS)
    assert {"encode", "decode", "merge", "CG.startShell", "CG.store", "CG.localStore", "CG.fitContents"} <= defined(SHELL)


def test_the_widgets_stand_alone_and_the_shell_needs_them_first(browser):
    kinds = sorted({m for k in elements.KINDS if k.template
                    for m in re.findall(r'data-cg-kind="(\w+)"', (k.folder / "widget.html").read_text())})
    page = browser.new_page()
    try:
        page.set_content("<!doctype html><title>widgets</title><main></main>")
        page.add_script_tag(content=player_file("widgets.js").decode())
        found = page.evaluate("""shellApi => ({
            widgets: CommonGround.kinds.all().filter(k => k.mount).map(k => k.name).sort(),
            shell: shellApi.filter(name => name in CommonGround)})""", list(SHELL_API))
        assert found == {"widgets": kinds, "shell": []}, "widgets.js alone: every widget, nothing of the shell"
        page.add_script_tag(content=player_file("shell.js").decode())
        assert page.evaluate("shellApi => shellApi.every(name => name in CommonGround)", list(SHELL_API))
    finally:
        page.close()
    page = browser.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.set_content("<!doctype html><title>shell alone</title><main></main>")
        page.evaluate("""code => { const s = document.createElement("script");
                                   s.textContent = code; document.head.appendChild(s); }""", player_file("shell.js").decode())
        assert page.evaluate("() => !window.CommonGround")
        assert any("shell.js needs widgets.js" in e for e in errors), errors
    finally:
        page.close()


def test_the_bench_reports_what_each_delivery_loads(tmp_path):
    from benchmarks import baseline, player
    from coursepack.cli import main
    from coursepack.load import require_pack
    out = tmp_path / "dist"
    result = CliRunner().invoke(main, ["build", str(FIXTURE), "--out", str(out), "--only", "scorm2004"])
    assert result.exit_code == 0, result.output
    ids = {m.id for m in require_pack(FIXTURE).pack.modules}
    rows = {r.measure: r for r in player.rows(baseline.inventory(out, ids), "every-element")}

    for name in ("widgets.js", "shell.js", "player.css"):
        data = player_file(name)
        assert rows[f"player: {name}"].value == f"{len(data):,} B ({len(gzip.compress(data, 6, mtime=0)):,} B gzip)"
    unit = player.unit_page_files()
    assert list(unit) == ["player.css", "xblocks.css", "widgets.js", "xblock-adapter.js"]
    row = rows["player: what an Open edX unit page loads"]
    loaded = sum(map(len, unit.values()))
    assert row.value.startswith(f"{loaded:,} B") and row.baseline.startswith(f"{loaded + len(player_file('shell.js')):,} B")
    sco = rows["player: what a SCORM SCO loads"]
    assert sco.note.startswith("player.css, widgets.js, shell.js, scorm-package.js, scorm-adapter.js;") \
        and "every-element" in sco.note
    [package] = (out / "scorm2004").glob("every-element*.zip")
    with zipfile.ZipFile(package) as z:
        size = sum(len(z.read(n)) for n in ("player.css", "widgets.js", "shell.js", "scorm-package.js",
                                            "scorm-adapter.js"))
    assert sco.value.startswith(f"{size:,} B")

