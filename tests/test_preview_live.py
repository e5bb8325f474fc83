"""``commonground preview`` as an author uses it, in real headless Chromium: edit a file and the
open page shows the change (on the same learner's page); break it and the page shows the
problems, escaped, over the last good build; fix it and the page comes back. Nothing is
fetched from anywhere but 127.0.0.1, and no build carries the preview's script."""
from __future__ import annotations

import json
import os
import shutil
import socket
import struct
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from coursepack.preview import WAIT_SECONDS

FIXTURE = Path(__file__).parent / "fixtures" / "pack"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def preview(tmp_path):
    pack = tmp_path / "content"
    shutil.copytree(FIXTURE, pack)
    port = _free_port()
    log = tmp_path / "preview.log"
    proc = subprocess.Popen([sys.executable, "-m", "coursepack.cli", "preview", str(pack), "--port", str(port),
                             "--out", str(tmp_path / "site")], stdout=log.open("w"), stderr=subprocess.STDOUT,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while True:
        try:
            urllib.request.urlopen(f"{base}/index.html", timeout=5).read()
            break
        except OSError:
            assert proc.poll() is None and time.time() < deadline, log.read_text()
            time.sleep(0.2)
    yield base, pack, tmp_path / "site", log
    proc.terminate()
    proc.wait(timeout=10)


def _get(url: str, timeout: float = 5) -> str:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.read().decode()


HUNG_POLLS = 8      # long-polls of WAIT_SECONDS each with no rebuild: the preview hangs


def _state(base: str, since: int = -1) -> dict:
    """The preview's state; with ``since``, once a rebuild after that version was published
    (the events long-poll answers as a rebuild ends, or after WAIT_SECONDS with no news)."""
    return json.loads(_get(f"{base}/_preview/events?since={since}", timeout=WAIT_SECONDS + 30))


def _rebuilt_until(base: str, state: dict, done) -> dict:
    """Wait on the rebuilds' own signal, however long a loaded machine takes over each, until
    ``done(state)``; the bound (HUNG_POLLS long-polls with no news in all) only stops a preview
    that never rebuilds from holding up the run."""
    quiet = 0
    while not done(state):
        since = state["version"]
        state = _state(base, since)
        if state["version"] == since:          # no news in WAIT_SECONDS
            quiet += 1
            assert quiet < HUNG_POLLS, "the preview stopped rebuilding"
    return state


def test_preview_rebuilds_on_save_and_reports_a_broken_save(preview):
    """Without a browser: the files served, the terminal's report and the events endpoint."""
    base, pack, _, log = preview
    url = f"{base}/every-element/index.html"
    first = _state(base)
    assert first["errors"] == [] and "/_preview/preview.js" in _get(url)
    page = pack / "modules" / "every-element.md"
    page.write_text(page.read_text().replace("Plain prose", "Edited prose"))
    edited = _rebuilt_until(base, first, lambda s: "Edited prose" in _get(url))
    assert edited["errors"] == []
    # A broken save keeps the last good build up and says why, in the terminal and to pages.
    page.write_text(page.read_text().replace("## Questions {#questions}", "## Questions {#welcome}"))
    _rebuilt_until(base, edited, lambda s: s["errors"])
    assert "last good build" in log.read_text()          # printed before the rebuild's news went out
    assert "Edited prose" in _get(url) and "duplicate-id" in log.read_text()
    state = _state(base)
    assert state["build"] == first["build"] + 1
    assert [d["code"] for d in state["errors"]] == ["duplicate-id"]
    assert state["errors"][0]["file"].endswith("every-element.md") and state["errors"][0]["hint"]


def test_edit_break_fix_in_the_open_page(preview, browser):
    base, pack, site, _ = preview
    module = pack / "modules" / "every-element.md"
    original = module.read_text()
    page = browser.new_page()
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    # The page's second poll goes out once the first has answered: it knows the build it shows.
    with page.expect_request(lambda r: "/_preview/events?since=" in r.url and "since=-1" not in r.url):
        page.goto(f"{base}/every-element/index.html")
    page.wait_for_function("() => window.CommonGround && CommonGround.shell")
    page.evaluate("() => CommonGround.shell.goTo(1, true)")     # the learner is on page 2
    state = _state(base)

    # Edit: the page reloads itself with the change, on the same page (after the rebuild's news).
    module.write_text(original.replace("Pick one.", "Pick one, edited."))
    state = _rebuilt_until(base, state, lambda s: "Pick one, edited." in _get(f"{base}/every-element/index.html"))
    page.wait_for_function("() => document.querySelector('#q-single') && "
                           "document.querySelector('#q-single').textContent.includes('Pick one, edited.')",
                           timeout=30000)
    page.wait_for_function("() => window.CommonGround && CommonGround.shell")
    assert page.evaluate("() => CommonGround.shell.state().loc") == 1
    assert page.is_visible("#q-single")

    # Break: the problems show in the page, escaped, over the last good build.
    broken = original.replace("Pick one.", "Pick one, edited.").replace(
        "Plain prose with", "Plain prose [[<img src=x>]] with").replace("## Questions {#questions}", "## Questions {#welcome}")
    module.write_text(broken)
    state = _rebuilt_until(base, state, lambda s: s["errors"])
    page.wait_for_selector(".cg-preview-errors", timeout=30000)
    panel = page.locator(".cg-preview-errors")
    text = panel.inner_text()
    assert "modules/every-element.md:" in text and "duplicate-id" in text
    assert "glossary term '<img src=x>' is not defined" in text
    assert page.locator(".cg-preview-errors img").count() == 0
    assert panel.get_attribute("role") == "alert"
    assert "Pick one, edited." in page.text_content("#q-single")     # the last good build

    # Fix: the problems go and the page shows the new build.
    module.write_text(original.replace("Pick one.", "Pick one, fixed."))
    _rebuilt_until(base, state, lambda s: not s["errors"])
    page.wait_for_function("() => document.querySelector('#q-single') && "
                           "document.querySelector('#q-single').textContent.includes('Pick one, fixed.')",
                           timeout=30000)
    page.wait_for_function("() => window.CommonGround && CommonGround.shell")
    assert page.locator(".cg-preview-errors").count() == 0
    assert page.evaluate("() => CommonGround.shell.state().loc") == 1

    assert requests and all(url.startswith(base + "/") for url in requests), requests
    # The preview's script is added as pages are served; the built files never hold it.
    built = (site / "every-element" / "index.html").read_text()
    assert "preview.js" not in built and "connect-src 'none'" in built
    page.close()


def test_a_tab_closed_while_its_page_waits_prints_no_traceback(tmp_path, capfd):
    """A page waits on the events long-poll for the next build; its tab closes (the connection
    is reset); the next build's answer then has no one to go to. The terminal stays quiet."""
    from coursepack.preview import BuildState, preview_server
    state = BuildState()
    state.publish([])
    server = preview_server(tmp_path, state, 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    try:
        waiting = socket.create_connection(("127.0.0.1", server.server_port))
        waiting.sendall(f"GET /_preview/events?since={state.version} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
        assert _get(f"{base}/_preview/preview.js")      # served once the waiting page's connection was taken
        waiting.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        waiting.close()                                  # reset, as a closing tab's connection is
        state.publish([])                                # the next build: its answer meets the reset
    finally:
        server.shutdown()
        server.server_close()                            # waits for every request's thread to end
    err = capfd.readouterr().err
    assert "Traceback" not in err and "Error" not in err, err


def test_preview_answers_only_to_loopback_names(preview):
    base, _, _, _ = preview
    request = urllib.request.Request(f"{base}/index.html", headers={"Host": "attacker.example"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=5)
    assert refused.value.code == 403
    with pytest.raises(urllib.error.HTTPError) as bad:
        urllib.request.urlopen(f"{base}/_preview/events?since=x", timeout=5)
    assert bad.value.code == 400


def test_no_build_carries_the_preview_script(tmp_path):
    """SCORM packages, the site and the XBlocks' static files hold the player, never preview.js."""
    import zipfile

    from click.testing import CliRunner

    from coursepack.cli import main
    out = tmp_path / "dist"
    result = CliRunner().invoke(main, ["build", str(FIXTURE), "--out", str(out), "--only", "scorm12", "--only", "site"])
    assert result.exit_code == 0, result.output
    packages = list((out / "scorm12").rglob("*.zip"))
    assert packages
    for package in packages:
        with zipfile.ZipFile(package) as z:
            assert {"widgets.js", "shell.js"} <= set(z.namelist())
            assert not any(b"_preview/" in z.read(n) or n.startswith("preview.") for n in z.namelist())
    for path in (out / "site").rglob("*"):
        assert path.name not in ("preview.js", "preview.css")
        assert not path.is_file() or b"_preview/" not in path.read_bytes()
    xblock_static = Path(__file__).resolve().parent.parent / "xblocks" / "static"
    assert not list(xblock_static.glob("preview.*"))
