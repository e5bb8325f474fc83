"""Shared fixtures: where things are, a real headless Chromium, a loopback file server."""
from __future__ import annotations

import fcntl
import os
import shutil
from pathlib import Path

import pytest

# Playwright's sync API keeps an asyncio loop running in the test thread; Django then takes
# every database call in that worker for one made from async code and refuses it. Nothing here
# is async: the check is a false alarm when browser and database tests share an xdist worker.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from support import CHROMIUM, CHROMIUM_ARGS, CHROMIUM_LAUNCHER, SHARED, serve_directory


def pytest_report_header(config):
    """At the top of the run: where the shared reference folder is, or that it is missing and
    which test files have tests that are then skipped (those using ``shared_dir``)."""
    if SHARED.is_dir():
        return f"shared reference folder: {SHARED}"
    users = sorted(p.name for p in Path(__file__).parent.glob("test_*.py") if "shared_dir" in p.read_text())
    return (f"shared reference folder NOT FOUND at {SHARED} (set COMMONGROUND_SHARED): the tests that need "
            f"it are skipped, in {', '.join(users)} (the summary at the end lists them)")


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip(f"shared reference folder not found at {SHARED} (set COMMONGROUND_SHARED)")
    return SHARED


@pytest.fixture(scope="session")
def browser():
    """One real headless Chromium (Debian's) for the session, started through
    tests/chromium-launcher (see support.DISABLED_FEATURES)."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"chromium not found at {CHROMIUM}: apt-get install -y chromium")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM_LAUNCHER), args=CHROMIUM_ARGS, headless=True,
                              env={**os.environ, "COMMONGROUND_CHROMIUM": CHROMIUM})
        yield b
        b.close()


@pytest.fixture(scope="session")
def once_per_run(tmp_path_factory):
    """``once_per_run(name, make)``: the folder ``make(folder)`` filled, made once for the whole
    run and shared by every xdist worker (a session fixture runs once per worker: an expensive
    build or benchmark would otherwise be made again by each worker that runs one of its
    tests). The first worker to ask makes it while holding a lock; the others wait for it and
    reuse it. A ``make`` that raises leaves nothing behind, so the next worker to ask tries
    again and fails the same way."""
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent          # the run's folder, shared by its workers (popen-gw0 ... beside)
    root = root / "once-per-run"
    root.mkdir(exist_ok=True)

    def once(name: str, make) -> Path:
        folder = root / name
        with open(root / f"{name}.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not (root / f"{name}.done").exists():
                shutil.rmtree(folder, ignore_errors=True)
                folder.mkdir()
                try:
                    make(folder)
                except BaseException:
                    shutil.rmtree(folder, ignore_errors=True)
                    raise
                (root / f"{name}.done").touch()
        return folder
    return once


@pytest.fixture
def static_server():
    servers = []

    def start(directory: Path) -> str:
        url, server = serve_directory(directory)
        servers.append(server)
        return url
    yield start
    for server in servers:
        server.shutdown()


def pytest_collection_modifyitems(config, items):
    """Tests that drive a real browser carry the 'browser' mark (CI's 3.11 run skips them)."""
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)
