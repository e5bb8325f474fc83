"""First contentful paint of one built page over emulated 3G, in real headless Chromium.

The page is served over HTTP from 127.0.0.1 (a file:// load is never throttled) with the
browser cache off, and the network is shaped through the DevTools protocol
(``Network.emulateNetworkConditions``), as DevTools' own presets do. With a 2 s round trip on
Slow 3G, anything the first paint waits for beyond the HTML and one stylesheet costs another
2 s, so the bytes and requests made before the paint are reported beside the time.
"""
from __future__ import annotations

import functools
import shutil
import threading
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]


@dataclass(frozen=True)
class Profile:
    """A network shape: latency (round trip, ms) and throughput (bytes per second)."""
    name: str
    latency_ms: float
    down_bps: float
    up_bps: float


# DevTools' presets: Slow 3G 400 kbps / 2 s, Fast 3G 1.44 Mbps / 562.5 ms.
SLOW_3G = Profile("Slow 3G", 2000, 400_000 / 8, 400_000 / 8)
FAST_3G = Profile("Fast 3G", 562.5, 1_440_000 / 8, 675_000 / 8)


@dataclass
class Paint:
    fcp_ms: float
    bytes_before: int
    requests_before: int
    bytes_total: int
    requests_total: int


class _NoStore(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def end_headers(self):
        self.send_header("Cache-Control", "no-store")
        super().end_headers()


def serve(directory: Path) -> tuple[str, ThreadingHTTPServer]:
    """Serve a folder on 127.0.0.1 on a free port; (base URL, server)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_NoStore, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_port}", server


def chromium_missing() -> str:
    """Why the paint rows cannot run here, or '' when they can."""
    if not Path(CHROMIUM).exists():
        return f"chromium not found at {CHROMIUM}"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Python playwright is not installed (the 'test' extra)"
    return ""


def measure_once(browser, url: str, profile: Profile) -> Paint:
    """Load ``url`` in a fresh context under ``profile``; FCP and what was fetched before it."""
    context = browser.new_context()
    try:
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        sent: dict[str, float] = {}
        received: list[tuple[float, int]] = []
        paints: list[float] = []
        cdp.on("Network.requestWillBeSent", lambda e: sent.setdefault(e["requestId"], e["timestamp"]))
        cdp.on("Network.dataReceived", lambda e: received.append((e["timestamp"], e["dataLength"])))
        cdp.on("Page.lifecycleEvent",
               lambda e: paints.append(e["timestamp"]) if e["name"] == "firstContentfulPaint" else None)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        cdp.send("Network.emulateNetworkConditions", {
            "offline": False, "latency": profile.latency_ms,
            "downloadThroughput": profile.down_bps, "uploadThroughput": profile.up_bps})
        cdp.send("Page.enable")
        cdp.send("Page.setLifecycleEventsEnabled", {"enabled": True})
        page.goto(url, wait_until="load", timeout=120_000)
        page.wait_for_function("performance.getEntriesByName('first-contentful-paint').length > 0",
                               timeout=60_000)
        fcp = page.evaluate("performance.getEntriesByName('first-contentful-paint')[0].startTime")
        painted = min(paints) if paints else float("inf")
        return Paint(fcp, sum(n for t, n in received if t <= painted),
                     sum(t <= painted for t in sent.values()),
                     sum(n for _, n in received), len(sent))
    finally:
        context.close()


def measure(directory: Path, path: str, profiles: list[Profile], runs: int) -> dict[str, list[Paint]]:
    """Serve ``directory`` and load ``path`` ``runs`` times per profile (each run cold)."""
    from playwright.sync_api import sync_playwright
    base, server = serve(directory)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            try:
                return {prof.name: [measure_once(browser, f"{base}/{path}", prof) for _ in range(runs)]
                        for prof in profiles}
            finally:
                browser.close()
    finally:
        server.shutdown()
        server.server_close()
