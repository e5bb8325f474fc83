"""What the ``openedx`` image installs Common Ground from, and getting it into the build context.

``commonground`` is not on any package index, so the image installs it from one of:

- a checkout (the default: the one this plugin was loaded from, or a folder named in
  ``COMMONGROUND_PIP_SPEC``): the plugin builds its wheel when ``tutor config save`` runs;
- a wheel file named in ``COMMONGROUND_PIP_SPEC`` (e.g. one built in CI);

either way the wheel is copied to ``env/build/openedx/commonground/`` (Tutor's build context for
the image) and the Dockerfile installs it from there through a bind mount, so no index is asked
for it. Anything else in ``COMMONGROUND_PIP_SPEC`` (a VCS URL such as
``commonground @ git+https://...@v0.1.0``) is handed to pip as it is.

Standard library only, as the rest of the plugin: Tutor's environment has no XBlock or Django.
"""
from __future__ import annotations

import configparser
import glob
import hashlib
import importlib.util
import os
import shlex
import shutil
import subprocess
import sys
import tempfile

#: The folder, inside the openedx image's build context, that holds the wheel.
CONTEXT_DIR = "commonground"
#: Where the Dockerfile mounts that folder while it installs.
MOUNT = "/openedx/commonground-dist"


class SourceError(Exception):
    """COMMONGROUND_PIP_SPEC cannot be installed from; the message says why and what to do."""


def checkout_of_plugin() -> str:
    """The checkout this plugin was loaded from (two folders up, holding setup.cfg), or ""."""
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    return root if is_checkout(root) else ""


def is_checkout(path: str) -> bool:
    return os.path.isfile(os.path.join(path, "setup.cfg")) and os.path.isdir(os.path.join(path, "xblocks"))


def checkout_version(path: str) -> str:
    """The version in the checkout's setup.cfg: the one source of the package's version."""
    parser = configparser.ConfigParser()
    parser.read(os.path.join(path, "setup.cfg"), encoding="utf-8")
    return parser.get("metadata", "version", fallback="").strip()


def source(spec: str) -> tuple[str, str]:
    """``(kind, value)``: ("checkout", folder), ("wheel", file) or ("pip", requirement)."""
    text = str(spec or "").strip()
    if not text:
        raise SourceError("COMMONGROUND_PIP_SPEC is empty and this plugin does not run from a checkout: set it "
                          "to a commonground wheel file, a checkout folder or a VCS URL "
                          "(commonground @ git+https://...)")
    path = os.path.abspath(os.path.expanduser(text))
    if text.endswith(".whl"):
        if not os.path.isfile(path):
            raise SourceError(f"COMMONGROUND_PIP_SPEC names a wheel that does not exist: {path}")
        if not os.path.basename(path).startswith("commonground-"):
            raise SourceError(f"COMMONGROUND_PIP_SPEC names a wheel that is not commonground's: {path}")
        return "wheel", path
    if os.path.isdir(path):
        if not is_checkout(path):
            raise SourceError(f"COMMONGROUND_PIP_SPEC names a folder that is not a commonground checkout: {path}")
        return "checkout", path
    return "pip", text


def wheel_name(kind: str, value: str) -> str:
    """The file the image installs, as the Dockerfile names it."""
    if kind == "wheel":
        return os.path.basename(value)
    version = checkout_version(value)
    if not version:
        raise SourceError(f"no version in {os.path.join(value, 'setup.cfg')}")
    return f"commonground-{version}-py3-none-any.whl"


def dockerfile_lines(spec: str) -> str:
    """The RUN instruction that installs Common Ground in the image."""
    kind, value = source(spec)
    cache = "--mount=type=cache,target=/openedx/.cache/pip,sharing=shared"
    if kind == "pip":
        return f"RUN {cache} \\\n    $PIP_COMMAND install {shlex.quote(value)}"
    return (f"RUN --mount=type=bind,source={CONTEXT_DIR},target={MOUNT} \\\n    {cache} \\\n"
            f"    $PIP_COMMAND install {MOUNT}/{wheel_name(kind, value)}")


#: What a wheel is built from (setup.cfg's packages and metadata files); the rest stays out.
SOURCES = ("setup.cfg", "setup.py", "pyproject.toml", "README.md", "coursepack", "xblocks", "scorm_export",
           "olx_export", "facilitator_export", "governance_report", "content")
_SKIP = shutil.ignore_patterns("__pycache__", "*.pyc", "build", "*.egg-info", "node_modules")


def _source_digest(checkout: str) -> str:
    """Names, sizes and times of the files a wheel is built from: same digest, same wheel."""
    h = hashlib.sha256()
    for name in SOURCES:
        top = os.path.join(checkout, name)
        paths = [top] if os.path.isfile(top) else sorted(
            os.path.join(d, f) for d, dirs, files in os.walk(top) for f in files
            if "__pycache__" not in d and not f.endswith(".pyc"))
        for path in paths:
            st = os.stat(path)
            h.update(f"{os.path.relpath(path, checkout)}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return h.hexdigest()[:20]


def build_wheel(checkout: str) -> str:
    """The checkout's wheel (no dependencies), built once per state of its sources; its path.

    Built from a private copy of the sources, so builds for several Tutor roots at once do not
    share a ``build/`` folder; without build isolation where setuptools can build wheels here,
    so no index is needed (otherwise pip fetches the build backend as it always does)."""
    cache = os.path.join(os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"),
                         "commonground-tutor", _source_digest(checkout))
    built = glob.glob(os.path.join(cache, "commonground-*.whl"))
    if len(built) == 1:
        return built[0]
    offline = importlib.util.find_spec("setuptools") is not None and (
        importlib.util.find_spec("wheel") is not None or _setuptools_builds_wheels())
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "src")
        os.makedirs(src)
        for name in SOURCES:
            path = os.path.join(checkout, name)
            if os.path.isdir(path):
                shutil.copytree(path, os.path.join(src, name), ignore=_SKIP)
            elif os.path.isfile(path):
                shutil.copyfile(path, os.path.join(src, name))
        command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", os.path.join(tmp, "out"), src]
        if offline:
            command.insert(5, "--no-build-isolation")
        proc = subprocess.run(command, capture_output=True, text=True, check=False)
        built = glob.glob(os.path.join(tmp, "out", "commonground-*.whl"))
        if proc.returncode or len(built) != 1:
            raise SourceError(f"could not build the commonground wheel from {checkout}:\n{proc.stderr[-2000:]}")
        os.makedirs(cache, exist_ok=True)
        final = os.path.join(cache, os.path.basename(built[0]))
        partial = final + f".{os.getpid()}.part"
        shutil.copyfile(built[0], partial)
        os.replace(partial, final)
    return final


def _setuptools_builds_wheels() -> bool:
    import setuptools  # pylint: disable=import-outside-toplevel

    parts = setuptools.__version__.split(".")
    return len(parts) >= 2 and parts[0].isdigit() and (int(parts[0]), int(parts[1] if parts[1].isdigit() else 0)) >= (70, 1)


def place(spec: str, env_root: str) -> str | None:
    """Put the wheel in the openedx build context (replacing any older one); its path there, or
    None when pip installs from a requirement instead."""
    kind, value = source(spec)
    target = os.path.join(env_root, "build", "openedx", CONTEXT_DIR)
    if kind == "pip":
        shutil.rmtree(target, ignore_errors=True)
        return None
    os.makedirs(target, exist_ok=True)
    wheel = value if kind == "wheel" else build_wheel(value)
    name = wheel_name(kind, value)
    if os.path.basename(wheel) != name:
        raise SourceError(f"built {os.path.basename(wheel)}, but the Dockerfile names {name}")
    for old in glob.glob(os.path.join(target, "*.whl")):
        os.remove(old)
    shutil.copyfile(wheel, os.path.join(target, name))
    return os.path.join(target, name)
