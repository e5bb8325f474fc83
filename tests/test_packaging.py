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
    found = set(find_packages(str(REPO), include=["coursepack*", "xblocks*", "scorm_export*", "facilitator_export*"]))
    assert found - NOT_SHIPPED <= listed, sorted(found - NOT_SHIPPED - listed)


def test_scripts_start_installs_what_the_commonground_command_needs():
    """scripts/start runs `commonground lint` and `build`: the command refuses to run without the
    authoring extra, and the build's facilitator kit without the kit extra, so the extras
    scripts/start installs must include both."""
    import re
    start = (REPO / "scripts" / "start").read_text()
    extras = re.search(r"EXTRAS=([\w,]+) scripts/setup", start).group(1).split(",")
    assert "authoring" in extras and {"kit", "workbench", "preview"} <= set(extras), extras
