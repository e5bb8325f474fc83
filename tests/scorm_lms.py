"""A tiny LMS for the SCORM tests: scorm-again in a launch page, a loopback commit store.

``LmsServer`` serves, on 127.0.0.1 only:
- ``/pkg/<name>/<path>``: a package's files straight from its zip bytes (a request for a file
  the zip lacks is recorded in ``missing`` and answered 404);
- ``/tools/<file>``: scorm-again's browser builds and axe-core from tests/js/node_modules;
- ``/lms/<sid>``: the launch page of one LMS session: scorm-again's ``Scorm12API`` or
  ``Scorm2004API`` as ``window.API`` / ``window.API_1484_11``, loaded with that session's initial
  data, committing to ``/commit/<sid>``, and the SCO in an iframe (or a popup window). Every
  SetValue is first held to Moodle's own rules (``tests/js/scorm_moodle_rules.js``): what Moodle
  would refuse is refused here with Moodle's error code, and the call log says so;
- ``/commit/<sid>``: stores each commit (scorm-again's flattened JSON) in ``commits[sid]``.

Only what ``/commit`` received counts as stored: ``stored(sid)`` is the last commit, and
``resume_data(sid, version)`` builds the next session's initial data from it alone, as an LMS
would (entry ``resume`` after exit ``suspend``; in 2004 any other exit starts a new attempt).
"""
from __future__ import annotations

import io
import json
import re
import threading
import uuid
import zipfile
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlparse

from support import serve_in_background

TOOLS = Path(__file__).parent / "js" / "node_modules"
TOOL_FILES = {
    "scorm12.js": TOOLS / "scorm-again" / "dist" / "scorm12.min.js",
    "scorm2004.js": TOOLS / "scorm-again" / "dist" / "scorm2004.min.js",
    "axe.js": TOOLS / "axe-core" / "axe.min.js",
    "scorm_moodle_rules.js": TOOLS.parent / "scorm_moodle_rules.js",
}
TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
         ".css": "text/css; charset=utf-8", ".png": "image/png", ".jpg": "image/jpeg",
         ".svg": "image/svg+xml", ".xml": "application/xml"}

LAUNCH_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Test LMS</title>
<script src="/tools/{tool}"></script><script src="/tools/scorm_moodle_rules.js"></script></head>
<body>
<script>
(function () {{
  var cfg = {config};
  // faults.setValue: a pattern; SetValue on a matching element returns "false" (error code
  // unchanged) while it is set. faults.refuse: {{element: pattern, value: pattern, code}}; a
  // matching SetValue is refused with that error code, as an LMS refuses a value it rejects.
  // Every other SetValue is held to Moodle's rules (MoodleRules) first: a value Moodle refuses
  // is refused here too, with Moodle's error code.
  // calls: every call the SCO made, [name, element, value, result, refusal], as the SCO sent it
  // (refusal: "" or "fault" or the Moodle error code; scorm-again rewrites some invalid values
  // before storing them, so vocabulary checks read these).
  var faults = window.faults = {{ setValue: null, refuse: null }};
  var calls = window.calls = [];
  var rules = cfg.moodle ? new window.MoodleRules(cfg.v12, cfg.initial) : null;
  var refused = null;
  function make() {{
    var api = new window[cfg.apiClass]({{
      lmsCommitUrl: "/commit/" + cfg.sid, dataCommitFormat: "flattened", autocommit: false,
      logLevel: 5, sendFullCommit: true
    }});
    if (cfg.initial) {{ api.loadFromFlattenedJSON(cfg.initial, ""); }}
    var names = cfg.v12 ? ["LMSInitialize", "LMSGetValue", "LMSSetValue", "LMSCommit", "LMSFinish",
                           "LMSGetLastError", "LMSGetErrorString", "LMSGetDiagnostic"]
                        : ["Initialize", "GetValue", "SetValue", "Commit", "Terminate",
                           "GetLastError", "GetErrorString", "GetDiagnostic"];
    var tags = ["init", "get", "set", "commit", "finish", "error", "error", "error"];
    names.forEach(function (name, n) {{
      var real = api[name].bind(api);
      api[name] = function (a, b) {{
        var result, why = "";
        var r = faults.refuse;
        if (n === 5 && refused) {{ result = refused; }}
        else if (n === 2 && faults.setValue && new RegExp(faults.setValue).test(a)) {{ result = "false"; why = "fault"; refused = null; }}
        else if (n === 2 && r && new RegExp(r.element).test(a) && new RegExp(r.value || "").test(String(b))) {{
          result = "false"; why = "fault"; refused = r.code;
        }} else if (n === 2 && rules && (why = rules.check(a, b)) !== "0") {{ result = "false"; refused = why; }}
        else {{ why = ""; result = n === 2 ? real(a, b) : real(a); }}
        if (n !== 5 && !(n === 2 && result === "false" && refused)) {{ refused = null; }}
        calls.push([tags[n], a === undefined ? null : a, b === undefined ? null : String(b), String(result), why]);
        return result;
      }};
    }});
    return api;
  }}
  function install() {{ window[cfg.v12 ? "API" : "API_1484_11"] = make(); }}
  if (cfg.apiDelayMs > 0) {{ setTimeout(install, cfg.apiDelayMs); }} else if (cfg.apiDelayMs === 0) {{ install(); }}
  if (cfg.popup) {{
    window.launched = window.open(cfg.sco, "sco");
  }} else {{
    var frame = document.createElement("iframe");
    frame.id = "sco"; frame.title = "Course"; frame.src = cfg.sco;
    frame.style.cssText = "width:" + cfg.frame[0] + "px;height:" + cfg.frame[1] + "px;border:0";
    document.body.style.margin = "0";
    document.body.appendChild(frame);
  }}
}})();
</script>
</body></html>
"""


@dataclass
class Session:
    version: str
    sco: str
    initial: dict = field(default_factory=dict)
    fail_commits: bool = False
    popup: bool = False
    api_delay_ms: int = 0       # 0: at once; -1: never (no LMS)
    moodle: bool = True         # hold every SetValue to Moodle's rules (tests/js/scorm_moodle_rules.js)
    frame: tuple[int, int] = (1000, 700)    # the SCO's iframe, in CSS pixels


class LmsServer:
    def __init__(self):
        self.packages: dict[str, dict[str, bytes]] = {}
        self.sessions: dict[str, Session] = {}
        self.commits: dict[str, list[dict]] = {}
        self.missing: list[str] = []
        self.lock = threading.Lock()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.httpd.daemon_threads = True
        self.url = serve_in_background(self.httpd)

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()

    # -- set-up ------------------------------------------------------------------------------
    def add_package(self, name: str, zip_data: bytes) -> None:
        with zipfile.ZipFile(io.BytesIO(zip_data)) as z:
            self.packages[name] = {n: z.read(n) for n in z.namelist()}

    def new_session(self, version: str, package: str, href: str, initial: dict | None = None,
                    **options) -> str:
        sid = uuid.uuid4().hex[:12]
        self.sessions[sid] = Session(version, f"/pkg/{package}/{href}", dict(initial or {}), **options)
        self.commits[sid] = []
        return sid

    def launch_url(self, sid: str) -> str:
        return f"{self.url}/lms/{sid}"

    # -- what the LMS stored -------------------------------------------------------------------
    def stored(self, sid: str) -> dict:
        with self.lock:
            return dict(self.commits[sid][-1]) if self.commits[sid] else {}

    def resume_data(self, sid: str, version: str, learner: str = "learner-1") -> dict:
        """The next session's data, from the last commit received and nothing else."""
        last = self.stored(sid)
        v12 = version == "1.2"
        exit_key = "cmi.core.exit" if v12 else "cmi.exit"
        suspended = last.get(exit_key) == "suspend"
        data = learner_data(version, learner)
        keep_prefixes = ("cmi.interactions.",)
        if v12:
            keep = ["cmi.core.lesson_status", "cmi.core.score.raw", "cmi.core.score.min",
                    "cmi.core.score.max", "cmi.core.lesson_location", "cmi.suspend_data"]
            data["cmi.core.entry"] = "resume" if suspended else ""
        else:
            if not suspended:        # 2004: any other exit ends the attempt; the next is ab-initio
                data["cmi.entry"] = "ab-initio"
                return data
            keep = ["cmi.completion_status", "cmi.success_status", "cmi.score.raw", "cmi.score.min",
                    "cmi.score.max", "cmi.score.scaled", "cmi.location", "cmi.suspend_data"]
            data["cmi.entry"] = "resume"
        for k, v in last.items():
            if k in keep or (k.startswith(keep_prefixes) and not k.endswith("._count")
                             and not k.endswith("._children")):
                if v not in ("", None) and not isinstance(v, dict):
                    data[k] = v
        return data

    # -- HTTP ------------------------------------------------------------------------------------
    def _handler(self):
        lms = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _send(self, status: int, body: bytes, ctype: str = "text/plain; charset=utf-8"):
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Cache-Control", "no-store")
                try:
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    # The window closed while the LMS answered (a test closes it mid-commit): what
                    # was sent is stored already, as a real LMS would have it.
                    self.close_connection = True

            def do_GET(self):
                path = unquote(urlparse(self.path).path)
                m = re.match(r"^/pkg/([^/]+)/(.+)$", path)
                if m:
                    files = lms.packages.get(m.group(1), {})
                    if m.group(2) in files:
                        ext = Path(m.group(2)).suffix
                        return self._send(200, files[m.group(2)], TYPES.get(ext, "application/octet-stream"))
                    with lms.lock:
                        lms.missing.append(path)
                    return self._send(404, b"not in the package")
                m = re.match(r"^/tools/(.+)$", path)
                if m and m.group(1) in TOOL_FILES:
                    return self._send(200, TOOL_FILES[m.group(1)].read_bytes(), TYPES[".js"])
                m = re.match(r"^/lms/([0-9a-f]+)$", path)
                if m and m.group(1) in lms.sessions:
                    s = lms.sessions[m.group(1)]
                    v12 = s.version == "1.2"
                    config = {"sid": m.group(1), "v12": v12, "apiClass": "Scorm12API" if v12 else "Scorm2004API",
                              "initial": s.initial, "sco": s.sco, "popup": s.popup, "apiDelayMs": s.api_delay_ms,
                              "moodle": s.moodle, "frame": list(s.frame)}
                    page = LAUNCH_PAGE.format(tool="scorm12.js" if v12 else "scorm2004.js",
                                              config=json.dumps(config).replace("</", "<\\/"))
                    return self._send(200, page.encode(), TYPES[".html"])
                if path == "/favicon.ico":
                    return self._send(204, b"")
                return self._send(404, b"unknown")

            def do_POST(self):
                path = urlparse(self.path).path
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                m = re.match(r"^/commit/([0-9a-f]+)$", path)
                if not m or m.group(1) not in lms.sessions:
                    return self._send(404, b"unknown")
                session = lms.sessions[m.group(1)]
                if session.fail_commits:
                    return self._send(500, b'{"result": false, "errorCode": 101}', "application/json")
                try:
                    payload = json.loads(body or b"{}")
                except ValueError:
                    return self._send(400, b'{"result": false, "errorCode": 101}', "application/json")
                with lms.lock:
                    lms.commits[m.group(1)].append(payload)
                return self._send(200, b'{"result": true, "errorCode": 0}', "application/json")

            def do_OPTIONS(self):
                self._send(204, b"")

        return Handler


def learner_data(version: str, learner: str = "learner-1") -> dict:
    """A first launch: the learner, and entry ab-initio (a new attempt), as Moodle sends it."""
    if version == "1.2":
        return {"cmi.core.student_id": learner, "cmi.core.student_name": "Learner, Test",
                "cmi.core.entry": "ab-initio"}
    return {"cmi.learner_id": learner, "cmi.learner_name": "Test Learner", "cmi.entry": "ab-initio"}
