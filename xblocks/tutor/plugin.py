"""Tutor plugin ``commonground``: install the Common Ground XBlocks and course on Open edX.

Enable with ``tutor plugins enable commonground``. The plugin

- adds the ``commonground`` package to the ``openedx`` image from ``COMMONGROUND_PIP_SPEC``: by
  default the checkout this plugin runs from, whose wheel it builds into the image's build
  context on ``tutor config save`` (or a wheel file, or a VCS URL; see ``wheel.py``);
- registers a ``MOUNTED_DIRECTORIES`` entry, so ``tutor mounts add /path/to/commonground``
  installs a checkout in development images;
- sets ``XBLOCK_SETTINGS["CommonGround"]`` in the LMS and Studio settings from
  ``COMMONGROUND_*`` configuration values, and lists our block types in Studio's
  ``LIBRARY_ENABLED_BLOCKS`` so they can be added to v2 content libraries;
- adds an init task (lms) that applies our Django app's migrations, safe to repeat;
- adds ``tutor local|k8s do importcommonground``, which builds the OLX course inside a cms
  container and imports it under ``COMMONGROUND_COURSE_KEY``; re-running it updates the course.

Written for the Tutor v21 (Ulmo) and v22 (Verawood) hooks API. It runs in Tutor's environment,
which has neither XBlock nor Django: import nothing from the rest of this distribution but
the standard-library-only ``xblocks.registry`` (our block types).
"""
from __future__ import annotations

import os
import typing as t

import click
from tutor import exceptions, hooks

from ..registry import block_types
from . import wheel

HERE = os.path.dirname(os.path.abspath(__file__))
TEMPLATES = os.path.join(HERE, "templates")
PATCHES = os.path.join(HERE, "patches")

#: The ``XBLOCK_SETTINGS`` bucket the blocks read through the XBlock "settings" service.
XBLOCK_SETTINGS_BUCKET = "CommonGround"
#: Label of our Django app (registered as an Open edX plugin app), migrated by the init task.
DJANGO_APP_LABEL = "commonground"
#: Fewest answers before staff see a confidence-check aggregate; a lower value would let
#: staff read one learner's answers, so the plugin refuses it.
MIN_LEARNERS_FLOOR = 5
#: Used only if the content pack shipped with this package cannot be read.
FALLBACK_COURSE_KEY = "course-v1:CommonGround+CG101+2026"
IMPORT_COMMAND = "importcommonground"


def pack_course_key() -> str:
    """The course key the content pack declares (``course`` in pack.yml)."""
    try:
        from importlib.resources import files

        import yaml

        pack = yaml.safe_load((files("commonground_content") / "pack.yml").read_text(encoding="utf-8"))
        course = pack["course"]
        return f"course-v1:{course['org']}+{course['number']}+{course['run']}"
    except Exception:  # noqa: BLE001 - a missing or odd pack must not stop Tutor from loading
        return FALLBACK_COURSE_KEY


# ---------------------------------------------------------------------------------------------
# Configuration: every value can be changed with `tutor config save --set NAME=value`.
hooks.Filters.CONFIG_DEFAULTS.add_items(
    [
        # What the openedx image installs: a checkout folder (by default this plugin's own), a
        # commonground wheel file, or a VCS URL ("commonground @ git+https://...@v0.1.0").
        ("COMMONGROUND_PIP_SPEC", wheel.checkout_of_plugin()),
        # XBLOCK_SETTINGS["CommonGround"]["CONFIDENCE_MIN_LEARNERS"]
        ("COMMONGROUND_CONFIDENCE_MIN_LEARNERS", 5),
        # The course the import job creates, then updates on every re-run.
        ("COMMONGROUND_COURSE_KEY", pack_course_key()),
    ]
)


# ---------------------------------------------------------------------------------------------
# Template filters: fail `tutor config save` with a plain message rather than render something
# that breaks the platform later.
def install_lines(value: t.Any) -> str:
    """The Dockerfile's RUN instruction installing COMMONGROUND_PIP_SPEC."""
    try:
        return wheel.dockerfile_lines(str(value or ""))
    except wheel.SourceError as exc:
        raise exceptions.TutorError(str(exc)) from None


def min_learners(value: t.Any) -> int:
    """COMMONGROUND_CONFIDENCE_MIN_LEARNERS as a whole number, at least the anonymity floor."""
    number: t.Any = value
    if isinstance(number, str) and number.strip().isdigit():
        number = int(number)
    if isinstance(number, bool) or not isinstance(number, int) or number < MIN_LEARNERS_FLOOR:
        raise exceptions.TutorError(
            f"COMMONGROUND_CONFIDENCE_MIN_LEARNERS must be a whole number of at least "
            f"{MIN_LEARNERS_FLOOR} (fewer answers would let staff see individual learners); "
            f"got {value!r}"
        )
    return number


def course_key(value: t.Any) -> str:
    """COMMONGROUND_COURSE_KEY, checked: ``course-v1:ORG+NUMBER+RUN``."""
    from .olx import OlxError, parse_course_key

    try:
        parse_course_key(value)
    except OlxError as exc:
        raise exceptions.TutorError(f"COMMONGROUND_COURSE_KEY is {exc}") from None
    return str(value).strip()


hooks.Filters.ENV_TEMPLATE_FILTERS.add_items(
    [
        ("commonground_install_lines", install_lines),
        ("commonground_min_learners", min_learners),
        ("commonground_course_key", course_key),
    ]
)
hooks.Filters.ENV_TEMPLATE_VARIABLES.add_items(
    [
        ("COMMONGROUND_DJANGO_APP_LABEL", DJANGO_APP_LABEL),
        ("COMMONGROUND_XBLOCK_SETTINGS_BUCKET", XBLOCK_SETTINGS_BUCKET),
        ("COMMONGROUND_BLOCK_TYPES", block_types()),
    ]
)


# ---------------------------------------------------------------------------------------------
# Templates and patches. The job scripts are also rendered to env/plugins/commonground/jobs/ so
# that operators can read exactly what will run; Tutor itself runs them from the strings below.
hooks.Filters.ENV_TEMPLATE_ROOTS.add_item(TEMPLATES)
hooks.Filters.ENV_TEMPLATE_TARGETS.add_item(("commonground/jobs", "plugins"))


def read_template(*path: str) -> str:
    with open(os.path.join(TEMPLATES, "commonground", *path), encoding="utf-8") as f:
        return f.read()


for _name in sorted(os.listdir(PATCHES)):
    with open(os.path.join(PATCHES, _name), encoding="utf-8") as _f:
        hooks.Filters.ENV_PATCHES.add_item((_name, _f.read()))


@hooks.Actions.ENV_SAVED.add()
def _wheel_into_build_context(env_root: str, config: dict) -> None:
    """After `tutor config save`: the wheel the Dockerfile names, in the openedx build context."""
    try:
        placed = wheel.place(str(config.get("COMMONGROUND_PIP_SPEC") or ""), env_root)
    except wheel.SourceError as exc:
        raise exceptions.TutorError(str(exc)) from None
    if placed:
        click.echo(f"Common Ground: {os.path.relpath(placed, env_root)} is in the openedx image's build context")


# `tutor mounts add /path/to/commonground`: the dev image installs the checkout (pip install -e).
hooks.Filters.MOUNTED_DIRECTORIES.add_item(("openedx", r".*commonground.*"))


@hooks.Filters.IMAGES_BUILD_REQUIRED.add()
def _build_openedx_on_launch(image_names: list[str], context_name: str) -> list[str]:
    """`tutor local launch` builds the openedx image, so that our package is in it (Docker's
    cache makes this quick when nothing changed). `tutor dev` builds openedx-dev from the same
    Dockerfile already; Kubernetes pulls images, so k8s operators build and push them."""
    if context_name == "local" and "openedx" not in image_names:
        image_names.append("openedx")
    return image_names


# ---------------------------------------------------------------------------------------------
# Jobs
hooks.Filters.CLI_DO_INIT_TASKS.add_item(("lms", read_template("jobs", "init", "lms.sh")))


@click.command(name=IMPORT_COMMAND, help=(
    "Import the Common Ground course into Studio, as COMMONGROUND_COURSE_KEY. Builds the OLX "
    "course from the package installed in the openedx image. Running it again updates the same "
    "course (learner state is kept) and replaces any edit made to it in Studio."
))
def import_course() -> t.Iterable[tuple[str, str]]:
    yield ("cms", read_template("jobs", "import-course.sh"))


hooks.Filters.CLI_DO_COMMANDS.add_item(import_course)
