"""``commonground preview``: serve the site on 127.0.0.1 and rebuild when a file is saved.

Only loopback is served: the preview is an author's tool, not a web server. After each save
the pack is re-read; problems are printed as ``path:line`` and the last good build stays up.
"""
from __future__ import annotations

import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from .diagnostics import ERROR
from .load import load_pack
from .site import build


def rebuild(root: Path, out: Path) -> None:
    result = load_pack(root)
    errors = [d for d in result.diagnostics.sorted() if d.severity == ERROR]
    for d in errors:
        print(d, flush=True)
    if errors or result.pack is None:
        print(f"{len(errors)} error(s): the preview shows the last good build", flush=True)
        return
    print(build(result, out), flush=True)


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass

    def end_headers(self):
        self.send_header("Cache-Control", "no-store")
        super().end_headers()


def serve(root: Path, out: Path, port: int) -> None:
    root, out = Path(root), Path(out)
    out.mkdir(parents=True, exist_ok=True)
    rebuild(root, out)
    server = ThreadingHTTPServer(("127.0.0.1", port), functools.partial(QuietHandler, directory=str(out)))
    print(f"Preview: http://127.0.0.1:{server.server_port}/ (Ctrl+C to stop)", flush=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        from watchfiles import watch
    except ImportError:
        print("Install the 'preview' extra to rebuild on save; serving without watching.", flush=True)
        threading.Event().wait()
        return
    try:
        for _changes in watch(root):
            rebuild(root, out)
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
