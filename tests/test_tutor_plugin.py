"""The Tutor plugin (xblocks/tutor): loads, renders, and produces the right jobs, without Docker.

Needs Tutor from PyPI (`pip install "commonground[tutor]"`). The CLI runs as a subprocess with
TUTOR_ROOT and TUTOR_PLUGINS_ROOT in temporary folders. Jobs are captured where Tutor hands them to
Docker Compose or Kubernetes (the task runners' run_task), then the import script is run for real
with `sh -e` against a stand-in `./manage.py`. Nothing here needs a running Open edX.
"""
from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import textwrap
import xml.etree.ElementTree as ET
import zipfile
from importlib.metadata import version
from pathlib import Path

import pytest

pytest.importorskip("tutor", reason='Tutor is not installed: pip install -e ".[tutor]"')

from xblocks.tutor import olx  # noqa: E402  (stdlib only; importable without Tutor too)

VERSION = version("commonground")
# The `tutor` console script of the Python running the tests (the one that has this package).
TUTOR = [str(Path(sys.executable).parent / "tutor")]
DEFAULT_KEY = "course-v1:CommonGround+CG101+2026"
REPO = Path(__file__).resolve().parent.parent
PACK = REPO / "content" / "pack.yml"
WHEEL = f"commonground-{VERSION}-py3-none-any.whl"
LOCAL_INSTALL = ("RUN --mount=type=bind,source=commonground,target=/openedx/commonground-dist \\\n"
                 "    --mount=type=cache,target=/openedx/.cache/pip,sharing=shared \\\n"
                 f"    $PIP_COMMAND install /openedx/commonground-dist/{WHEEL}\n")


# ------------------------------------------------------------------------------------------------
# Helpers

def tutor_env(root: Path, plugins_root: Path) -> dict:
    env = dict(os.environ, TUTOR_ROOT=str(root), TUTOR_PLUGINS_ROOT=str(plugins_root))
    env.pop("TUTOR_IGNORE_ENTRYPOINT_PLUGINS", None)
    return env


class Tutor:
    """The `tutor` CLI on one temporary project root."""

    def __init__(self, root: Path, plugins_root: Path):
        self.root, self.env = root, tutor_env(root, plugins_root)

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        proc = subprocess.run([*TUTOR, *args], env=self.env, capture_output=True, text=True, timeout=120)
        if check and proc.returncode:
            raise AssertionError(f"tutor {' '.join(args)} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
        return proc

    def read(self, *parts: str) -> str:
        return (self.root / "env" / Path(*parts)).read_text(encoding="utf-8")

    def jobs(self, *args: str) -> list[dict]:
        """Run `tutor <args>` with the task runners replaced: return the (service, script) pairs
        Tutor would run in containers, already rendered, for both local and k8s."""
        capture = self.root / "captured-jobs.jsonl"
        capture.unlink(missing_ok=True)
        proc = subprocess.run([sys.executable, "-c", CAPTURE_DRIVER, *args], capture_output=True, text=True,
                              env=dict(self.env, CG_CAPTURE=str(capture)), timeout=120)
        assert proc.returncode == 0, f"{args}: {proc.stdout}\n{proc.stderr}"
        if not capture.exists():
            return []
        return [json.loads(line) for line in capture.read_text(encoding="utf-8").splitlines()]


# Replaces the lowest step of `tutor local|k8s do ...`: the task runner that would start a
# container. Everything above it (plugin loading, rendering, the k8s/local context) is Tutor's.
CAPTURE_DRIVER = textwrap.dedent("""
    import json, os, sys
    from tutor.commands import compose, k8s
    from tutor.commands.cli import main

    def run_task(self, service, command):
        with open(os.environ["CG_CAPTURE"], "a", encoding="utf-8") as f:
            f.write(json.dumps({"runner": type(self).__name__, "service": service, "command": command}) + "\\n")
        return 0

    compose.ComposeTaskRunner.run_task = run_task
    k8s.K8sTaskRunner.run_task = run_task
    k8s.wait_for_deployment_ready = lambda *args, **kwargs: None
    sys.argv = ["tutor", *sys.argv[1:]]
    main()
""")


@pytest.fixture(scope="module")
def tutor(tmp_path_factory) -> Tutor:
    """A project root with the plugin enabled and the configuration saved (all defaults)."""
    t = Tutor(tmp_path_factory.mktemp("tutor-root"), tmp_path_factory.mktemp("tutor-plugins"))
    t.run("plugins", "enable", "commonground")
    t.run("config", "save")
    return t


@pytest.fixture(scope="module")
def enabled_root(tmp_path_factory) -> Path:
    """A project root just after `tutor plugins enable commonground` (which also builds the
    wheel into the image's build context), made once and copied for each test that needs one."""
    root = tmp_path_factory.mktemp("tutor-enabled") / "root"
    Tutor(root, tmp_path_factory.mktemp("tutor-enabled-plugins")).run("plugins", "enable", "commonground")
    return root


@pytest.fixture
def fresh_tutor(enabled_root, tmp_path) -> Tutor:
    """A project root of its own, for tests that change the configuration."""
    shutil.copytree(enabled_root, tmp_path / "root")
    (tmp_path / "plugins").mkdir()
    return Tutor(tmp_path / "root", tmp_path / "plugins")


# ------------------------------------------------------------------------------------------------
# Loading through Tutor's Python API (in this process)

@pytest.fixture(scope="module")
def loaded_plugin(tmp_path_factory):
    saved = os.environ.get("TUTOR_PLUGINS_ROOT")
    os.environ["TUTOR_PLUGINS_ROOT"] = str(tmp_path_factory.mktemp("api-plugins"))
    from tutor import hooks, plugins

    hooks.Actions.CORE_READY.do()  # discovers entry-point plugins
    assert "commonground" in list(plugins.iter_installed())
    plugins.load("commonground")
    yield hooks.Contexts.app("commonground").name
    plugins.unload("commonground")
    if saved is None:
        os.environ.pop("TUTOR_PLUGINS_ROOT", None)
    else:
        os.environ["TUTOR_PLUGINS_ROOT"] = saved


def test_plugin_is_discovered_and_loads_with_the_tutor_api(loaded_plugin):
    from tutor import hooks, plugins

    assert plugins.is_loaded("commonground")
    assert ("commonground", VERSION) in list(plugins.iter_info())
    defaults = dict(hooks.Filters.CONFIG_DEFAULTS.iterate_from_context(loaded_plugin))
    assert defaults["COMMONGROUND_CONFIDENCE_MIN_LEARNERS"] == 5
    assert defaults["COMMONGROUND_COURSE_KEY"] == DEFAULT_KEY
    assert defaults["COMMONGROUND_PIP_SPEC"] == str(REPO)
    patches = dict(hooks.Filters.ENV_PATCHES.iterate_from_context(loaded_plugin))
    assert set(patches) == {"openedx-dockerfile-post-python-requirements", "openedx-common-settings",
                            "openedx-cms-common-settings"}
    commands = [c.name for c in hooks.Filters.CLI_DO_COMMANDS.iterate_from_context(loaded_plugin)]
    assert commands == ["importcommonground"]
    tasks = list(hooks.Filters.CLI_DO_INIT_TASKS.iterate_from_context(loaded_plugin))
    assert [service for service, _ in tasks] == ["lms"]
    # `tutor local launch` builds the openedx image (with our package); `tutor dev` builds its own.
    assert "openedx" in hooks.Filters.IMAGES_BUILD_REQUIRED.apply([], "local")
    assert "openedx" not in hooks.Filters.IMAGES_BUILD_REQUIRED.apply([], "dev")


def test_import_command_yields_the_cms_script_and_it_renders(loaded_plugin):
    """The do command's own output, through the filter, rendered with Tutor's renderer."""
    from tutor import env as tutor_env
    from tutor import hooks

    (command,) = [c for c in hooks.Filters.CLI_DO_COMMANDS.iterate_from_context(loaded_plugin)
                  if c.name == "importcommonground"]
    callback = getattr(command.callback, "__wrapped__", command.callback)  # Tutor may have wrapped it
    ((service, script),) = list(callback())
    assert service == "cms"
    defaults = dict(hooks.Filters.CONFIG_DEFAULTS.iterate_from_context(loaded_plugin))
    # Tutor renders with StrictUndefined: the script may use only these values.
    config = {"COMMONGROUND_COURSE_KEY": defaults["COMMONGROUND_COURSE_KEY"], "ENABLE_HTTPS": True,
              "LMS_HOST": "lms.example.org", "CMS_HOST": "studio.example.org"}
    rendered = tutor_env.render_str(config, script)
    assert BUILD_LINE in rendered
    assert f"python -m xblocks.tutor.olx \"$workdir/data\" '{DEFAULT_KEY}'" in rendered
    assert './manage.py cms import "$(dirname "$course_root")" "$(basename "$course_root")"' in rendered
    assert f"https://studio.example.org/course/{DEFAULT_KEY}" in rendered


def test_plugin_imports_nothing_from_xblock_or_django():
    """Tutor's environment has neither: load the plugin in a Python that cannot import them."""
    code = textwrap.dedent("""
        import sys
        class Block:
            def find_spec(self, name, path=None, target=None):
                if name.split(".")[0] in {"xblock", "django", "web_fragments", "coursepack", "scorm_export"}:
                    raise ImportError("blocked: " + name)
        sys.meta_path.insert(0, Block())
        import xblocks.tutor.plugin, xblocks.tutor.olx
        print("ok")
    """)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0 and proc.stdout.strip() == "ok", proc.stderr


def test_init_task_migrates_the_label_of_our_django_app():
    """The label is read from the app's source, without Django (not importable here)."""
    import ast

    from xblocks.tutor.plugin import DJANGO_APP_LABEL

    apps = Path(__file__).resolve().parent.parent / "xblocks" / "aggregates" / "apps.py"
    if not apps.exists():
        pytest.skip("xblocks/aggregates/apps.py does not exist yet")
    labels = [node.value.value for node in ast.walk(ast.parse(apps.read_text(encoding="utf-8")))
              if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "label" for t in node.targets)]
    assert labels == [DJANGO_APP_LABEL]


def test_default_course_key_comes_from_the_pack():
    import yaml

    course = yaml.safe_load(PACK.read_text(encoding="utf-8"))["course"]
    from xblocks.tutor.plugin import pack_course_key

    assert pack_course_key() == f"course-v1:{course['org']}+{course['number']}+{course['run']}"


# ------------------------------------------------------------------------------------------------
# The CLI: list, enable, save, render

def test_plugins_list_shows_the_plugin(tmp_path):
    proc = Tutor(tmp_path / "root", tmp_path / "plugins").run("plugins", "list")
    line = next(line for line in proc.stdout.splitlines() if line.split() and line.split()[0] == "commonground")
    assert line.split()[1:] == ["installed", VERSION]


def test_enabled_plugin_is_listed_as_enabled(tutor):
    line = next(line for line in tutor.run("plugins", "list", "--enabled").stdout.splitlines()
                if line.split() and line.split()[0] == "commonground")
    assert "enabled" in line.split() and VERSION in line.split()


def test_config_defaults_render(tutor):
    def value(name):
        return tutor.run("config", "printvalue", name).stdout.strip()

    assert value("COMMONGROUND_PIP_SPEC") == str(REPO)    # the checkout the plugin runs from
    assert value("COMMONGROUND_CONFIDENCE_MIN_LEARNERS") == "5"
    assert value("COMMONGROUND_COURSE_KEY") == DEFAULT_KEY
    assert tutor.run("config", "printroot").stdout.strip() == str(tutor.root)


def test_dockerfile_installs_the_wheel_built_from_the_checkout(tutor):
    """No package index has commonground: the wheel goes into the openedx build context."""
    dockerfile = tutor.read("build", "openedx", "Dockerfile")
    assert LOCAL_INSTALL in dockerfile
    # In the python-requirements stage, where edx-platform's own requirements are installed.
    stage = dockerfile.index("AS python-requirements")
    assert stage < dockerfile.index(LOCAL_INSTALL) < dockerfile.index("AS nodejs-requirements")
    wheel = tutor.root / "env" / "build" / "openedx" / "commonground" / WHEEL
    with zipfile.ZipFile(wheel) as built:
        names = set(built.namelist())
        metadata = built.read(f"commonground-{VERSION}.dist-info/METADATA").decode()
    assert {"xblocks/question.py", "xblocks/aggregates/migrations/0002_verdicts_and_staff_rows.py",
            "xblocks/static/xblock-adapter.js", "olx_export/course.py", "commonground_content/pack.yml"} <= names
    # development tooling (the workbench's settings and scenarios, the test runtime) stays out
    assert not [n for n in names if n.startswith("xblocks/dev/") or n.endswith("testing.py")]
    base = [line for line in metadata.splitlines() if line.startswith("Requires-Dist:") and "extra ==" not in line]
    assert any("XBlock" in line for line in base) and not any(n in " ".join(base) for n in ("rich", "textstat"))
    assert [p.name for p in wheel.parent.iterdir()] == [WHEEL]


def test_a_wheel_file_in_the_spec_is_copied_into_the_build_context(fresh_tutor, tutor, tmp_path):
    made = tmp_path / "dist" / WHEEL
    made.parent.mkdir()
    made.write_bytes((tutor.root / "env" / "build" / "openedx" / "commonground" / WHEEL).read_bytes())
    fresh_tutor.run("config", "save", "--set", f"COMMONGROUND_PIP_SPEC={made}")
    assert LOCAL_INSTALL in fresh_tutor.read("build", "openedx", "Dockerfile")
    copied = fresh_tutor.root / "env" / "build" / "openedx" / "commonground" / WHEEL
    assert copied.read_bytes() == made.read_bytes()


@pytest.mark.parametrize("spec, reason", [
    ("/nowhere/commonground-9.9.9-py3-none-any.whl", "names a wheel that does not exist"),
    ("/tmp", "is not a commonground checkout"),
])
def test_a_spec_that_cannot_be_installed_is_refused(fresh_tutor, spec, reason):
    proc = fresh_tutor.run("config", "save", "--set", f"COMMONGROUND_PIP_SPEC={spec}", check=False)
    assert proc.returncode == 1 and reason in proc.stdout + proc.stderr


def test_the_plugin_mounts_a_checkout_for_development(loaded_plugin):
    from tutor import hooks

    assert ("openedx", r".*commonground.*") in list(hooks.Filters.MOUNTED_DIRECTORIES.iterate())


EXPECTED_SETTINGS = textwrap.dedent("""\
    XBLOCK_SETTINGS.setdefault("CommonGround", {})
    XBLOCK_SETTINGS["CommonGround"].update({
        "CONFIDENCE_MIN_LEARNERS": 5,
    })
""")


@pytest.mark.parametrize("service", ["lms", "cms"])
@pytest.mark.parametrize("mode", ["production", "development"])
def test_xblock_settings_reach_lms_and_studio(tutor, service, mode):
    settings = tutor.read("apps", "openedx", "settings", service, f"{mode}.py")
    assert EXPECTED_SETTINGS in settings
    # After edx-platform's settings are imported, so XBLOCK_SETTINGS exists and is not replaced.
    assert settings.index(f"from {service}.envs.") < settings.index(EXPECTED_SETTINGS)
    compile(settings.replace("{{", "").replace("}}", ""), f"{service}/{mode}.py", "exec")


@pytest.mark.parametrize("mode", ["production", "development"])
def test_studio_lists_our_types_for_v2_libraries(tutor, mode):
    settings = tutor.read("apps", "openedx", "settings", "cms", f"{mode}.py")
    line = next(line for line in settings.splitlines() if line.startswith("LIBRARY_ENABLED_BLOCKS = "))
    scope = {"LIBRARY_ENABLED_BLOCKS": ["problem", "video", "html", "cg_page"]}
    exec(line, scope)  # noqa: S102  (our rendered line, on edx-platform's default list)
    assert scope["LIBRARY_ENABLED_BLOCKS"] == ["problem", "video", "html", "cg_page", "cg_confidence",
                                               "cg_joint_feedback", "cg_learning_review", "cg_order",
                                               "cg_question", "cg_reflection", "cg_scenario"]
    assert "LIBRARY_ENABLED_BLOCKS" not in tutor.read("apps", "openedx", "settings", "lms", f"{mode}.py")


def test_rendered_job_scripts_are_in_the_env(tutor):
    init = tutor.read("plugins", "commonground", "jobs", "init", "lms.sh")
    assert "./manage.py lms migrate commonground\n" in init
    job = tutor.read("plugins", "commonground", "jobs", "import-course.sh")
    assert f"python -m xblocks.tutor.olx \"$workdir/data\" '{DEFAULT_KEY}'" in job
    assert "./manage.py cms import" in job
    assert "{{" not in init + job


def test_set_pip_spec_changes_the_requirement(fresh_tutor):
    spec = "commonground @ git+https://github.com/example/commonground@v0.1.0"
    fresh_tutor.run("config", "save", "--set", f"COMMONGROUND_PIP_SPEC={spec}")
    dockerfile = fresh_tutor.read("build", "openedx", "Dockerfile")
    assert f"$PIP_COMMAND install '{spec}'\n" in dockerfile
    assert "commonground-dist" not in dockerfile
    assert not (fresh_tutor.root / "env" / "build" / "openedx" / "commonground").exists()


def test_set_min_learners_changes_xblock_settings(fresh_tutor):
    fresh_tutor.run("config", "save", "--set", "COMMONGROUND_CONFIDENCE_MIN_LEARNERS=12")
    assert '"CONFIDENCE_MIN_LEARNERS": 12,' in fresh_tutor.read("apps", "openedx", "settings", "lms", "production.py")
    assert '"CONFIDENCE_MIN_LEARNERS": 12,' in fresh_tutor.read("apps", "openedx", "settings", "cms", "production.py")


@pytest.mark.parametrize("bad", ["4", "0", "five", "true"])
def test_min_learners_below_the_anonymity_floor_is_refused(fresh_tutor, bad):
    proc = fresh_tutor.run("config", "save", "--set", f"COMMONGROUND_CONFIDENCE_MIN_LEARNERS={bad}", check=False)
    assert proc.returncode == 1
    assert "COMMONGROUND_CONFIDENCE_MIN_LEARNERS must be a whole number of at least 5" in proc.stdout + proc.stderr


def test_bad_course_key_is_refused(fresh_tutor):
    proc = fresh_tutor.run("config", "save", "--set", "COMMONGROUND_COURSE_KEY=CommonGround/CG101/2026", check=False)
    assert proc.returncode == 1
    assert "COMMONGROUND_COURSE_KEY is not a course key" in proc.stdout + proc.stderr


# ------------------------------------------------------------------------------------------------
# Jobs as Tutor would hand them to Docker Compose and Kubernetes

def test_do_command_is_offered_for_local_and_k8s(tutor):
    for mode in ("local", "k8s"):
        assert "importcommonground" in tutor.run(mode, "do", "--help").stdout
        assert "replaces any edit made to it in Studio" in tutor.run(mode, "do", "importcommonground", "--help").stdout


@pytest.mark.parametrize("mode", ["local", "k8s"])
def test_import_job_runs_in_cms_with_the_configured_key(tutor, mode):
    (job,) = tutor.jobs(mode, "do", "importcommonground")
    assert job["runner"] == {"local": "LocalTaskRunner", "k8s": "K8sTaskRunner"}[mode]
    assert job["service"] == "cms"
    assert job["command"] == tutor.read("plugins", "commonground", "jobs", "import-course.sh").strip()
    assert "/openedx/data" not in job["command"] and str(tutor.root) not in job["command"]  # no host paths


@pytest.mark.parametrize("mode", ["local", "k8s"])
def test_init_includes_our_migration_task(tutor, mode):
    jobs = tutor.jobs(mode, "do", "init", "--limit", "commonground")
    assert [(j["service"], j["command"]) for j in jobs] == [
        ("lms", tutor.read("plugins", "commonground", "jobs", "init", "lms.sh").strip())
    ]
    # The full init runs ours as well as Tutor's own.
    services = [j["service"] for j in tutor.jobs(mode, "do", "init")]
    assert services.count("lms") >= 2 and "cms" in services


def test_init_goes_on_when_the_image_lacks_the_package(tutor, tmp_path):
    """An image built before the plugin was enabled: a warning, no migration, and `init` goes on."""
    (job,) = tutor.jobs("local", "do", "init", "--limit", "commonground")
    bindir, platform = tmp_path / "bin", tmp_path / "edx-platform"
    bindir.mkdir()
    platform.mkdir()
    python = bindir / "python"   # a Python without site-packages: no commonground in it
    python.write_text(f"#!/bin/sh\nexec {sys.executable} -I -S \"$@\"\n")
    python.chmod(0o755)
    manage = platform / "manage.py"
    manage.write_text(f"#!/bin/sh\necho \"$@\" >> {tmp_path / 'manage.log'}\n")
    manage.chmod(0o755)
    proc = subprocess.run(["sh", "-e", "-c", job["command"]], cwd=platform, capture_output=True, text=True,
                          env=dict(os.environ, PATH=f"{bindir}:{os.environ['PATH']}"), timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "WARNING: commonground is not installed in this image" in proc.stdout
    assert not (tmp_path / "manage.log").exists()


def test_job_services_exist_in_local_and_k8s(tutor):
    """Tutor runs a job for service S in the 'S-job' compose service or Kubernetes Job."""
    compose_jobs = tutor.read("local", "docker-compose.jobs.yml")
    assert re.search(r"^ +cms-job:$", compose_jobs, re.M) and re.search(r"^ +lms-job:$", compose_jobs, re.M)
    k8s_jobs = tutor.read("k8s", "jobs.yml")
    assert "name: cms-job" in k8s_jobs and "name: lms-job" in k8s_jobs


def test_key_override_reaches_the_import_job(fresh_tutor):
    fresh_tutor.run("config", "save", "--set", "COMMONGROUND_COURSE_KEY=course-v1:Trust+CG101+2027_Q1")
    (job,) = fresh_tutor.jobs("local", "do", "importcommonground")
    assert "'course-v1:Trust+CG101+2027_Q1'" in job["command"]


# ------------------------------------------------------------------------------------------------
# Running the import script (sh -e) against stand-ins for the image's `commonground` and manage.py

FAKE_MANAGE = textwrap.dedent("""\
    #!{python}
    import json, os, sys, xml.etree.ElementTree as ET
    args = sys.argv[1:]
    assert args[:2] == ["cms", "import"], args
    data_dir, course_dir = args[2], args[3]
    root = os.path.join(data_dir, course_dir)
    course = ET.parse(os.path.join(root, "course.xml")).getroot()
    files = sorted(os.path.relpath(os.path.join(d, f), root) for d, _, fs in os.walk(root) for f in fs)
    policy = json.load(open(os.path.join(root, "policies", course.get("url_name"), "policy.json")))
    with open(os.environ["CG_MANAGE_LOG"], "a") as log:
        log.write(json.dumps({{"args": args, "cwd": os.getcwd(), "course": dict(course.attrib),
                              "files": files, "policy_keys": sorted(policy)}}) + "\\n")
""")

BUILD_LINE = 'python -m xblocks.tutor.olx build "$workdir/build"'
FAKE_BUILD = textwrap.dedent("""\
    #!{python}
    # Stand-in for the course builder (`python -m xblocks.tutor.olx build OUT`): one small course
    # tarball in OUT/olx.
    import sys
    sys.path.insert(0, {tests!r})
    from test_tutor_plugin import write_course_tarball
    args = sys.argv[1:]
    assert len(args) == 1, args
    write_course_tarball(args[0] + "/olx/CommonGround-CG101-2026.tar.gz")
""")


def write_course_tarball(path: str, org="CommonGround", number="CG101", run="2026") -> None:
    """A small course in the layout our OLX builder writes (one top folder)."""
    files = {
        "course.xml": f'<course url_name="{run}" org="{org}" course="{number}"/>',
        f"course/{run}.xml": '<course display_name="Common Ground"><chapter url_name="m01"/></course>',
        "chapter/m01.xml": '<chapter display_name="One"><sequential url_name="m01s1"/></chapter>',
        "sequential/m01s1.xml": '<sequential><vertical url_name="m01u1"/></sequential>',
        "vertical/m01u1.xml": '<vertical><cg_page url_name="m01p1"/></vertical>',
        f"policies/{run}/policy.json": json.dumps({f"course/{run}": {"advanced_modules": ["cg_page"]}}),
        f"policies/{run}/grading_policy.json": "{}",
    }
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with tarfile.open(path, "w:gz") as tar:
        for name, text in files.items():
            data = text.encode()
            info = tarfile.TarInfo(f"CG101/{name}")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))


def without_authoring_libraries(folder: Path) -> Path:
    """A folder that, first on PYTHONPATH, makes the authoring extra's libraries unimportable, as
    in an Open edX image that installed only the base package."""
    for name in ("click", "rich", "textstat"):
        (folder / name).mkdir(parents=True)
        (folder / name / "__init__.py").write_text(f"raise ImportError('{name} is not installed', name='{name}')\n")
    return folder


def run_import_script(script: str, tmp_path: Path, fake_build: bool = True) -> list[dict]:
    """Run the script as Tutor does (`sh -e -c`), from a stand-in edx-platform folder."""
    platform, bindir = tmp_path / "edx-platform", tmp_path / "bin"
    platform.mkdir(parents=True)
    bindir.mkdir(parents=True)
    manage = platform / "manage.py"
    manage.write_text(FAKE_MANAGE.format(python=sys.executable))
    manage.chmod(0o755)
    if fake_build:
        fake = bindir / "fake-olx-build"
        fake.write_text(FAKE_BUILD.format(python=sys.executable, tests=str(Path(__file__).parent)))
        fake.chmod(0o755)
        script = script.replace(BUILD_LINE.replace(' "$workdir/build"', ""), str(fake))
    log = tmp_path / "manage.jsonl"
    # `python` is this venv's (as /openedx/venv/bin is first on the image's PATH).
    venv_bin = Path(sys.executable).parent
    env = dict(os.environ, PATH=f"{bindir}:{venv_bin}:{os.environ['PATH']}", CG_MANAGE_LOG=str(log))
    if not fake_build:
        env["PYTHONPATH"] = str(without_authoring_libraries(tmp_path / "blocked"))
    proc = subprocess.run(["sh", "-e", "-c", script], cwd=platform, env=env, capture_output=True, text=True,
                          timeout=600)
    assert proc.returncode == 0, f"{proc.stdout}\n{proc.stderr}"
    return [json.loads(line) for line in log.read_text().splitlines()]


def test_import_script_imports_the_built_course(tutor, tmp_path):
    (job,) = tutor.jobs("local", "do", "importcommonground")
    (call,) = run_import_script(job["command"], tmp_path)
    assert call["args"][:2] == ["cms", "import"] and call["args"][3] == "CG101"
    data_dir = Path(call["args"][2])
    assert data_dir.name == "data" and data_dir.parent.name.startswith("commonground.")
    assert not data_dir.parent.exists()  # the script removes its work folder
    assert call["cwd"] == str(tmp_path / "edx-platform")
    assert call["course"] == {"url_name": "2026", "org": "CommonGround", "course": "CG101"}


def test_import_script_moves_the_course_to_the_configured_key(fresh_tutor, tmp_path):
    fresh_tutor.run("config", "save", "--set", "COMMONGROUND_COURSE_KEY=course-v1:Trust+CG101+2027_Q1")
    (job,) = fresh_tutor.jobs("k8s", "do", "importcommonground")
    (call,) = run_import_script(job["command"], tmp_path)
    assert call["course"] == {"url_name": "2027_Q1", "org": "Trust", "course": "CG101"}
    assert "course/2027_Q1.xml" in call["files"] and "course/2026.xml" not in call["files"]
    assert "policies/2027_Q1/grading_policy.json" in call["files"]
    assert call["policy_keys"] == ["course/2027_Q1"]


def test_import_script_twice_imports_the_same_key_twice(tutor, tmp_path):
    """Idempotence is edx-platform's (an existing key is updated in place); we only make sure the
    second run asks for exactly the same import."""
    (job,) = tutor.jobs("local", "do", "importcommonground")
    first = run_import_script(job["command"], tmp_path / "a")
    second = run_import_script(job["command"], tmp_path / "b")
    assert first[0]["course"] == second[0]["course"] and first[0]["files"] == second[0]["files"]


def test_import_script_fails_loudly_without_a_course(tutor, tmp_path):
    (job,) = tutor.jobs("local", "do", "importcommonground")
    script = job["command"].replace(BUILD_LINE, "true")
    with pytest.raises(AssertionError, match="expected one course tarball"):
        run_import_script(script, tmp_path)


def test_import_script_with_the_real_olx_builder(tutor, tmp_path):
    """The real builder, with the authoring libraries the image lacks made unimportable."""
    (job,) = tutor.jobs("local", "do", "importcommonground")
    (call,) = run_import_script(job["command"], tmp_path, fake_build=False)
    assert call["course"] == {"url_name": "2026", "org": "CommonGround", "course": "CG101"}


# ------------------------------------------------------------------------------------------------
# xblocks.tutor.olx on its own

def test_parse_course_key():
    assert olx.parse_course_key(DEFAULT_KEY) == ("CommonGround", "CG101", "2026")
    for bad in ["", "CommonGround/CG101/2026", "course-v1:A+B", "course-v1:A+B+C D", "course-v1:A+B+C'x"]:
        with pytest.raises(olx.OlxError):
            olx.parse_course_key(bad)


def test_prepare_keeps_a_matching_course_untouched(tmp_path):
    write_course_tarball(str(tmp_path / "c.tar.gz"))
    with tarfile.open(tmp_path / "c.tar.gz") as tar:
        tar.extractall(tmp_path / "data", filter="data")
    before = (tmp_path / "data" / "CG101" / "course.xml").read_bytes()
    assert olx.prepare(str(tmp_path / "data"), DEFAULT_KEY) == str(tmp_path / "data" / "CG101")
    assert (tmp_path / "data" / "CG101" / "course.xml").read_bytes() == before


def test_prepare_refuses_two_courses(tmp_path):
    for name in ("a", "b"):
        (tmp_path / "data" / name).mkdir(parents=True)
        (tmp_path / "data" / name / "course.xml").write_text('<course url_name="r" org="o" course="c"/>')
    assert olx.main([str(tmp_path / "data"), DEFAULT_KEY]) == 1


def test_rekey_changes_only_the_key(tmp_path):
    write_course_tarball(str(tmp_path / "c.tar.gz"))
    with tarfile.open(tmp_path / "c.tar.gz") as tar:
        tar.extractall(tmp_path / "data", filter="data")
    root = tmp_path / "data" / "CG101"
    unit = (root / "vertical" / "m01u1.xml").read_text()
    assert olx.set_course_key(str(root), "course-v1:Other+X1+R1")
    course = ET.parse(root / "course.xml").getroot()
    assert course.attrib == {"url_name": "R1", "org": "Other", "course": "X1"}
    assert (root / "vertical" / "m01u1.xml").read_text() == unit  # block ids untouched
    assert olx.course_key_of(str(root)) == "course-v1:Other+X1+R1"
    assert not olx.set_course_key(str(root), "course-v1:Other+X1+R1")
