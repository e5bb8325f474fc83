"""What tests share besides fixtures: where things are. Test modules import this, never conftest."""
from __future__ import annotations

import functools
import os
import shutil
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CONTENT = REPO / "content"
SHARED = Path(os.environ.get("COMMONGROUND_SHARED", REPO.parent / "shared"))
CHROMIUM = os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
# axe-core's tags for WCAG 2.0, 2.1 and 2.2, levels A and AA: every axe run in the suite uses these.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# Chromium 156 starts, for every browser window (every browser context a test opens), a renderer
# for the address bar's suggestion popup (chrome://omnibox-popup.top-chrome, a WebUI page): about
# 1 s of CPU per context, more than a SCORM package's launch page and SCO together. No test looks
# at the browser's own address bar. Chromium reads only the last --disable-features, and
# Playwright passes a list of its own: tests/chromium-launcher merges the two.
DISABLED_FEATURES = ["WebUIOmniboxPopup", "WebUIOmniboxAimPopup"]
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync",
                 "--disable-features=" + ",".join(DISABLED_FEATURES)]
CHROMIUM_LAUNCHER = Path(__file__).parent / "chromium-launcher"


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve_in_background(server) -> str:
    """Run a test HTTP server in a daemon thread; returns its base URL. The poll is short because
    shutdown() waits for the loop's next turn (0.5 s by default), and the XSS test alone starts
    and stops fifty servers."""
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    return f"http://127.0.0.1:{server.server_port}"


def serve_directory(directory: Path):
    """Serve a folder on 127.0.0.1 on a free port; returns (base_url, server)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(directory)))
    return serve_in_background(server), server


def kinds_of(module) -> set[str]:
    return {e.kind for p in module.pages for e in p.elements}


def kind_cover(modules) -> list:
    """The fewest modules (chosen greedily, most kinds first) that hold between them every kind of
    element any module holds."""
    chosen, left = [], set().union(*map(kinds_of, modules))
    while left:
        best = max(modules, key=lambda m: (len(kinds_of(m) & left), len(kinds_of(m)), m.id))
        chosen.append(best)
        left -= kinds_of(best)
    return chosen


def version_cases(modules, full: str) -> list[tuple[str, str]]:
    """(SCORM version, module id) pairs: every module in the ``full`` version, and in the other
    one the module with the most kinds of element. For browser tests of behaviour that depends on
    the module's content once and on the SCORM version once.

    What covers what in the SCORM browser tests: a SCO's markup is the same in both versions
    (tests/test_scorm_package.py holds it to that); what a module's content changes in what the
    SCO sends (interaction ids, types and response tokens) the packager writes into the SCO from
    scorm_export.package.interactions, and tests/test_scorm_moodle.py holds every one of them to
    Moodle's rules, for every module in both versions; the largest state of every module
    round-trips through the shipped codec within half of SCORM 1.2's suspend_data
    (tests/test_scorm_state.py). Every module is still played whole through both versions' APIs,
    every call held to SCORM's and Moodle's rules: in 2004 by the learner who fails
    (tests/test_scorm_runtime.py) and by the axe walk, which plays every page's widgets
    (tests/test_scorm_axe.py); in 1.2 by the learner who leaves midway and resumes."""
    other = "1.2" if full == "2004" else "2004"
    richest = max(modules, key=lambda m: (len(kinds_of(m)), m.id))
    return [(full, m.id) for m in modules] + [(other, richest.id)]
