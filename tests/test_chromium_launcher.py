"""The suite's Chromium: tests/chromium-launcher merges the feature lists (Chromium reads only
the last of each), and the browser the tests drive starts no address-bar popup renderer for each
context (support.DISABLED_FEATURES: about 1 s of CPU per context)."""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

from support import CHROMIUM_LAUNCHER, DISABLED_FEATURES


def test_the_launcher_merges_every_feature_list_into_one():
    out = subprocess.run([str(CHROMIUM_LAUNCHER), "--a", "--disable-features=X,Y", "--b c", "--disable-features=Z",
                          "--enable-features=E", "--enable-features=F"],
                         env={**os.environ, "COMMONGROUND_CHROMIUM": "echo"}, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["--a", "--b", "c", "--disable-features=X,Y,Z", "--enable-features=E,F"]


def _command_line(pid: int) -> list[str]:
    return Path(f"/proc/{pid}/cmdline").read_bytes().decode().split("\0")


def test_the_browser_keeps_playwrights_features_off_and_starts_no_popup_renderer(browser):
    context = browser.new_context()
    try:
        context.new_page().goto("data:text/html,<title>t</title><p>a page")
        processes = browser.new_browser_cdp_session().send("SystemInfo.getProcessInfo")["processInfo"]
        [main] = [p["id"] for p in processes if p["type"] == "browser"]
        args = _command_line(main)
        lists = [a.split("=", 1)[1].split(",") for a in args if a.startswith("--disable-features=")]
        assert len(lists) == 1, args
        assert set(DISABLED_FEATURES) < set(lists[0]), "ours and Playwright's, in one list"
        renderers = [_command_line(p["id"]) for p in processes if p["type"] == "renderer"]
        assert renderers and not [r for r in renderers if "--top-chrome-webui" in r]
    finally:
        context.close()
