"""``commonground preview``: serve the site on 127.0.0.1, rebuild when a file is saved, and
show the author the outcome in the page they are looking at.

Only loopback is served (and only to a Host naming it): the preview is an author's tool, not a
web server. After each save the pack is re-read. A good build makes the open page reload
itself (the player keeps the learner's page); a broken one leaves the last good build up and
the page shows the problems over it, as ``file:line`` with the message and hint, until they are
fixed. The page learns this from a long-poll on this server (``/_preview/events``), so nothing
goes beyond 127.0.0.1. The script and styles that do it are added to HTML as it is served:
they are never written into the site, so no build (SCORM, XBlocks, the site) carries them.
"""
from __future__ import annotations

import functools
import json
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from .assets import static_file
from .diagnostics import ERROR
from .load import load_pack
from .site import build

PREFIX = "/_preview/"
FILES = {"preview.js": "text/javascript; charset=utf-8", "preview.css": "text/css; charset=utf-8"}
INJECT = (f'<link rel="stylesheet" href="{PREFIX}preview.css">'
          f'<script src="{PREFIX}preview.js"></script>').encode()
WAIT_SECONDS = 25
# Shown while no build has succeeded yet, so the errors still have a page to appear on.
WAITING_PAGE = (b'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Preview</title>'
                b'</head><body><main><h1>Preview</h1><p>No good build yet.</p></main></body></html>')


class BuildState:
    """The outcome of the latest rebuild, for pages waiting to hear of the next one."""

    def __init__(self):
        self.version = 0      # changes on every rebuild
        self.build = 0        # changes on every good build
        self.errors: list[dict] = []
        self.changed = threading.Condition()

    def publish(self, errors: list[dict]) -> None:
        with self.changed:
            self.version += 1
            if not errors:
                self.build += 1
            self.errors = errors
            self.changed.notify_all()

    def wait(self, since: int, timeout: float) -> dict:
        """The state once its version is not ``since`` (or after ``timeout`` seconds)."""
        with self.changed:
            self.changed.wait_for(lambda: self.version != since, timeout)
            return {"version": self.version, "build": self.build, "errors": self.errors}


def rebuild(root: Path, out: Path, state: BuildState | None = None) -> None:
    result = load_pack(root)
    errors = [d for d in result.diagnostics.sorted() if d.severity == ERROR]
    for d in errors:
        print(d, flush=True)
    if errors or result.pack is None:
        print(f"{len(errors)} error(s): the preview shows the last good build", flush=True)
    else:
        print(build(result, out), flush=True)
    if state is not None:
        state.publish([d.as_dict() for d in errors])


class PreviewHandler(SimpleHTTPRequestHandler):
    state: BuildState

    def log_message(self, format, *args):
        pass

    def end_headers(self):
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def do_GET(self):
        host = (self.headers.get("Host") or "").rsplit(":", 1)[0]
        if host not in ("127.0.0.1", "localhost"):
            # A page from another site cannot reach the preview through a name that points here.
            self.send_error(403, "the preview answers only to 127.0.0.1")
            return
        url = urlsplit(self.path)
        if url.path.startswith(PREFIX):
            self._preview(url)
            return
        html = self._html_file(url.path)
        if html is None:
            super().do_GET()
            return
        body = html.read_bytes() if html.is_file() else WAITING_PAGE
        if html.is_file():
            # Served pages may also talk to this server, and get the preview's own script.
            body = body.replace(b"connect-src 'none'", b"connect-src 'self'")
        body = body.replace(b"</body>", INJECT + b"</body>", 1)
        self._send(200, "text/html; charset=utf-8", body)

    def _html_file(self, path: str) -> Path | None:
        """The HTML file a request is for (it may not exist yet), or None for anything else."""
        if path.endswith("/"):
            path += "index.html"
        if not path.endswith(".html"):
            return None
        target = Path(self.translate_path(path))
        if not target.is_file() and path != "/index.html":
            return None
        return target

    def _preview(self, url) -> None:
        name = url.path[len(PREFIX):]
        if name in FILES:
            self._send(200, FILES[name], static_file(name))
        elif name == "events":
            try:
                since = int(parse_qs(url.query).get("since", ["-1"])[0])
            except ValueError:
                self.send_error(400, "since must be a whole number")
                return
            reply = self.state.wait(since, WAIT_SECONDS)
            self._send(200, "application/json", json.dumps(reply).encode())
        else:
            self.send_error(404)

    def _send(self, status: int, kind: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True     # a page still waiting on a long-poll does not hold up Ctrl+C

    def handle_error(self, request, client_address):
        """A tab closed (or reloaded) while its page waited for the next build or loaded a file:
        the answer has no one to go to, which is no news for the author. Anything else is one
        line in the terminal, never a traceback."""
        error = sys.exc_info()[1]
        if not isinstance(error, ConnectionError):      # broken pipe, reset, aborted
            print(f"preview: a request failed: {error!r}", file=sys.stderr, flush=True)


def preview_server(out: Path, state: BuildState, port: int) -> PreviewServer:
    """The server for the site in ``out``, telling its pages about ``state`` (port 0: any free one)."""
    handler = type("Handler", (PreviewHandler,), {"state": state})
    return PreviewServer(("127.0.0.1", port), functools.partial(handler, directory=str(out)))


def serve(root: Path, out: Path, port: int) -> None:
    """Build, serve, and rebuild on every save. The watch starts before the first build, so a
    save made while the server starts (or the moment it answers) is never missed."""
    root, out = Path(root), Path(out)
    out.mkdir(parents=True, exist_ok=True)
    try:
        from watchfiles import watch
    except ImportError:
        watch = None
    changes = None
    if watch is not None:
        # Yield every second with or without news: the first yield says the watch is in place.
        changes = watch(root, yield_on_timeout=True, rust_timeout=1000)
        next(changes)
    state = BuildState()
    rebuild(root, out, state)
    server = preview_server(out, state, port)
    print(f"Preview: http://127.0.0.1:{server.server_port}/ (Ctrl+C to stop)", flush=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    if changes is None:
        print("Install the 'preview' extra to rebuild on save; serving without watching.", flush=True)
        threading.Event().wait()
        return
    try:
        for found in changes:
            if found:
                rebuild(root, out, state)
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
