"""Helpers for the XBlock tests: Django for the confidence rows, and a workbench in a subprocess.

Django is set up here, once per test process, with ``xblocks.dev.settings`` on a SQLite
file of its own (the suite runs under pytest-xdist; each worker gets its own file). The
workbench runs as ``python -m django runserver`` on a free loopback port with its own database,
event log and server log, and is driven over HTTP like a browser: a GET of a scenario page sets
the CSRF cookie, which POSTs send back as ``X-CSRFToken``.
"""
from __future__ import annotations

import atexit
import functools
import http.cookiejar
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SETTINGS = "xblocks.dev.settings"


def needs_workbench():
    """Skip when the workbench extra (xblock-sdk, Django) is not installed."""
    pytest.importorskip("django")
    pytest.importorskip("workbench")


def django_setup(folder: Path) -> None:
    """Set up Django with our app and migrate a fresh database in ``folder`` (once per process)."""
    needs_workbench()
    import django
    from django.conf import settings
    if settings.configured:
        if "xblocks.aggregates.apps.AggregatesConfig" not in settings.INSTALLED_APPS:
            pytest.skip("Django is already set up without the Common Ground app")
        return
    folder.mkdir(parents=True, exist_ok=True)
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS
    os.environ["COMMONGROUND_WORKBENCH_DB"] = str(folder / "db.sqlite3")
    os.environ["COMMONGROUND_EVENTS_LOG"] = str(folder / "events.log")
    os.environ["COMMONGROUND_WORKBENCH_LOG"] = str(folder / "workbench.log")
    django.setup()
    from django.core.management import call_command
    call_command("migrate", run_syncdb=True, verbosity=0, interactive=False)


@pytest.fixture(scope="session")
def django_db_ready(tmp_path_factory):
    django_setup(tmp_path_factory.mktemp("django"))


@pytest.fixture(scope="session")
def django_templates(tmp_path_factory):
    """Django set up far enough for XBlock's Studio form (a Django template), as it always is in
    Studio: the workbench's settings where the workbench extra is installed, a bare configuration
    where it is not (the venv on edx-platform's pinned XBlock)."""
    pytest.importorskip("django")
    try:
        import workbench  # noqa: F401
    except ImportError:
        import django
        from django.conf import settings
        if not settings.configured:
            settings.configure()
            django.setup()
        return
    django_setup(tmp_path_factory.mktemp("django"))


@pytest.fixture
def rows(django_db_ready, request):
    """Database access for one test (pytest-django, if present, may block it otherwise); the
    confidence rows and knowledge-check verdicts are emptied before each test."""
    blocker = None
    try:
        blocker = request.getfixturevalue("django_db_blocker")
    except pytest.FixtureLookupError:
        pass
    if blocker is not None:
        blocker.unblock()
    from xblocks.aggregates.models import CheckVerdict, ConfidenceRating
    ConfidenceRating.objects.all().delete()
    CheckVerdict.objects.all().delete()
    yield ConfidenceRating
    if blocker is not None:
        blocker.restore()


# -- the workbench in a subprocess --------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def workbench_env(folder: Path, **extra) -> dict:
    env = dict(os.environ)
    env.update({
        "DJANGO_SETTINGS_MODULE": SETTINGS, "EXCLUDE_SAMPLE_XBLOCKS": "yes",
        "COMMONGROUND_WORKBENCH_DB": str(folder / "workbench.db"),
        "COMMONGROUND_EVENTS_LOG": str(folder / "events.log"),
        "COMMONGROUND_WORKBENCH_LOG": str(folder / "workbench.log"),
        "PYTHONUNBUFFERED": "1",
    })
    env.update(extra)
    return env


@functools.cache
def _migrated_database() -> Path:
    """A freshly migrated workbench database, made once per test process."""
    template = Path(tempfile.mkdtemp(prefix="workbench-template-"))
    atexit.register(shutil.rmtree, template, True)
    subprocess.run([sys.executable, "-m", "django", "migrate", "--run-syncdb", "--noinput", "-v", "0"],
                   cwd=REPO, env=workbench_env(template), check=True, timeout=300)
    return template / "workbench.db"


def pack_of(folder: Path, module_ids, source: Path = REPO / "content") -> Path:
    """``folder``, holding ``content/``: ``source`` with only the modules ``module_ids`` (its
    pathways cut to them; a pathway left with none goes). A workbench run there
    (``Workbench(cwd=...)``) serves those modules' scenarios and the built-in ones: parsing every
    module's blocks into the workbench's database is most of a server's start (about 6 s of 7
    for the whole pack), and a test that plays one module needs only that one. The pack must
    load: the workbench would show its built-in examples instead, and say so only in its log."""
    import yaml
    from benchmarks.synthetic import original_id, read_module
    from coursepack.load import discover_modules, require_pack
    dest = folder / "content"
    shutil.copytree(source, dest)
    kept = set()
    for path in discover_modules(dest):
        module_id = original_id(read_module(path).front)
        if module_id in module_ids:
            kept.add(module_id)
        elif path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink()
    assert kept == set(module_ids), f"no module {sorted(set(module_ids) - kept)} in {source}"
    pack = yaml.safe_load((dest / "pack.yml").read_text(encoding="utf-8"))
    pack["pathways"] = [dict(p, modules=[m for m in p["modules"] if m in kept]) for p in pack.get("pathways", ())]
    pack["pathways"] = [p for p in pack["pathways"] if p["modules"]]     # a pathway names 1 module or more
    (dest / "pack.yml").write_text(yaml.safe_dump(pack, allow_unicode=True, sort_keys=False), encoding="utf-8")
    require_pack(dest)
    return folder


def migrate(folder: Path) -> None:
    """Give ``folder`` a migrated workbench database: a copy of one migrated per test process
    (migrating is a Django process of its own, about as long as a server's start)."""
    shutil.copyfile(_migrated_database(), folder / "workbench.db")


class Workbench:
    """One workbench server process; ``cwd``: where it runs (its scenarios are built from the
    ``content`` pack there)."""

    def __init__(self, folder: Path, port: int | None = None, cwd: Path = REPO, **extra):
        self.folder, self.port = folder, port or free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = open(folder / f"server-{self.port}.out", "wb")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "django", "runserver", f"127.0.0.1:{self.port}", "--noreload"],
            cwd=cwd, env=workbench_env(folder, **extra), stdout=self.log, stderr=subprocess.STDOUT)

    def wait(self, timeout: float = 120) -> "Workbench":
        """Wait for the server, then load the scenarios (the first request of a process does)."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"workbench exited: {(self.folder / f'server-{self.port}.out').read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(self.base + "/", timeout=60) as response:
                    if response.status == 200:
                        return self
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.05)        # not listening yet: a refused connection costs nothing
        raise RuntimeError("workbench did not start")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        self.log.close()


class Learner:
    """A browser-like HTTP client for one student id: cookies, CSRF header, JSON handlers."""

    def __init__(self, base: str, student: str, jar: http.cookiejar.CookieJar | None = None,
                 opener: urllib.request.OpenerDirector | None = None):
        self.base, self.student = base, student
        self.jar = jar if jar is not None else http.cookiejar.CookieJar()
        # an opener costs ~35 ms (its HTTPS handler loads the CA certificates): one per client
        self.opener = opener or urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path: str) -> tuple[int, str]:
        sep = "&" if "?" in path else "?"
        try:
            with self.opener.open(f"{self.base}{path}{sep}student={self.student}", timeout=60) as r:
                return r.status, r.read().decode("utf-8")
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode("utf-8", "replace")

    def as_student(self, student: str) -> "Learner":
        """Another student id on this client's cookies (and CSRF token): the workbench takes the
        student from the query string, so many learners need only one page load between them."""
        return Learner(self.base, student, self.jar, self.opener)

    def scenario(self, scenario_id: str) -> str:
        status, html = self.get(f"/scenario/{scenario_id}/")
        assert status == 200, html[-500:]
        return html

    @property
    def csrf(self) -> str | None:
        return next((c.value for c in self.jar if c.name == "csrftoken"), None)

    def post(self, usage: str, handler: str, payload=None, *, body: bytes | None = None,
             csrf: bool = True) -> tuple[int, dict | str]:
        data = body if body is not None else json.dumps(payload if payload is not None else {}).encode()
        request = urllib.request.Request(f"{self.base}/handler/{usage}/{handler}/?student={self.student}",
                                         data=data, method="POST", headers={"Content-Type": "application/json"})
        if csrf and self.csrf:
            request.add_header("X-CSRFToken", self.csrf)
            request.add_header("Referer", self.base + "/")
        try:
            with self.opener.open(request, timeout=120) as r:
                status, text = r.status, r.read().decode("utf-8")
        except urllib.error.HTTPError as e:
            status, text = e.code, e.read().decode("utf-8", "replace")
        try:
            return status, json.loads(text)
        except ValueError:
            return status, text


@pytest.fixture(scope="module")
def workbench(tmp_path_factory, request):
    """One workbench server for a test module, on its own database and logs: on the whole pack,
    or on the modules a test module names in ``WORKBENCH_MODULES`` (see ``pack_of``)."""
    needs_workbench()
    folder = tmp_path_factory.mktemp("workbench")
    migrate(folder)
    modules = getattr(request.module, "WORKBENCH_MODULES", None)
    cwd = pack_of(folder / "checkout", modules) if modules else REPO
    server = Workbench(folder, cwd=cwd).wait()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def pack():
    from coursepack.load import require_pack
    return require_pack(REPO / "content").pack


def walk_to_ending(scenario) -> list[str]:
    """The shortest list of choice ids from a scenario's start to an ending."""
    queue, seen = [(scenario.start.id, [])], {scenario.start.id}
    while queue:
        step_id, path = queue.pop(0)
        step = scenario.step(step_id)
        if step.ending:
            return path
        for choice in step.choices:
            if choice.target not in seen:
                seen.add(choice.target)
                queue.append((choice.target, path + [choice.id]))
    raise AssertionError("no ending")


USAGE = re.compile(r"""data-usage=['"]([^'"]+)['"] data-block-type=['"]([^'"]+)['"]""")


def usages(html: str) -> list[tuple[str, str]]:
    """(usage id, block type) of every block on a workbench page, in order (containers too)."""
    return USAGE.findall(html)


def events(folder: Path) -> list[tuple[str, str, dict]]:
    """(event type, usage id, data) of every event the workbench published (our settings log them)."""
    path = folder / "events.log"
    if not path.exists():
        return []
    out, pending = [], None
    for line in path.read_text().splitlines():
        _pid, _, text = line.partition(" ")
        head = re.match(r"XBlock event (\S+) for \S+ \(usage_id=(.+)\):$", text)
        if head:
            pending = (head.group(1), head.group(2))
        elif pending:
            import ast
            try:
                data = ast.literal_eval(text)
            except (ValueError, SyntaxError):
                data = text
            out.append((pending[0], pending[1], data))
            pending = None
    return out
