"""The wheel carries every package the code imports: a package missing from setup.cfg works in
an editable install (as in these tests) and breaks in the LMS, which installs the wheel."""
from __future__ import annotations

import configparser
from pathlib import Path

from setuptools import find_packages

REPO = Path(__file__).resolve().parent.parent
#: Tooling that is deliberately left out of the shipped packages.
NOT_SHIPPED = {"xblocks.dev"}


def test_every_package_of_the_deliveries_is_listed_in_setup_cfg():
    config = configparser.ConfigParser()
    config.read(REPO / "setup.cfg")
    listed = set(config["options"]["packages"].split())
    found = set(find_packages(str(REPO), include=["coursepack*", "xblocks*", "scorm_export*", "olx_export*", "facilitator_export*"]))
    assert found - NOT_SHIPPED <= listed, sorted(found - NOT_SHIPPED - listed)


def test_scripts_start_installs_what_the_commonground_command_needs():
    """scripts/start runs `commonground lint` and `build`: the command refuses to run without the
    authoring extra, and the facilitator kit of a pack with a picture on a slide without the kit
    extra, so the extras scripts/start installs must include both."""
    import re
    start = (REPO / "scripts" / "start").read_text()
    extras = re.search(r"EXTRAS=([\w,]+) scripts/setup", start).group(1).split(",")
    assert "authoring" in extras and {"kit", "workbench", "preview"} <= set(extras), extras


def test_the_wheel_carries_the_open_edx_copy_of_the_player():
    """An LMS that collects static files reads the blocks' widgets.js and player.css from the
    installed package: the wheel's build (setup.py) writes them there, from the kinds' folders,
    the same bytes the blocks serve (coursepack.player, for the registered kinds). The wheel is
    built as the Tutor plugin builds it."""
    import zipfile

    from coursepack import elements
    from coursepack.player import player_file
    from xblocks.tutor.wheel import build_wheel

    with zipfile.ZipFile(build_wheel(str(REPO))) as wheel:
        for name in ("widgets.js", "player.css"):
            assert wheel.read(f"xblocks/static/{name}") == player_file(name), name
        names = set(wheel.namelist())
    for kind in elements.KINDS:
        for part in ("__init__.py", "widget.html", "widget.js", "shell.js", "widget.css"):
            path = kind.folder / part
            if path.is_file():
                assert path.relative_to(REPO).as_posix() in names, path
