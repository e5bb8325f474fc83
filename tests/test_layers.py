"""Imports point down at run time too: each delivery loads alone, the CLI loads plugins lazily,
and two plugins can never silently replace one another's command."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib import metadata
from importlib.metadata import EntryPoint
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from coursepack import cli

REPO = Path(__file__).resolve().parent.parent

PROBE = """
import importlib, json, pkgutil, sys
import {package}
for info in pkgutil.walk_packages({package}.__path__, "{package}."):
    if not any(part in info.name for part in {skip!r}):
        importlib.import_module(info.name)
{then}
print(json.dumps(sorted({{m.split(".")[0] for m in sys.modules}})))
"""


def _probe(code: str) -> str:
    """Run ``code`` in a fresh Python from the checkout and return its output; on failure, the
    assertion shows the probe's own error (CI prints only this).

    Without ``DJANGO_SETTINGS_MODULE``: the workbench tests set it in this process, and a probe
    that inherited it would import the blocks under settings nobody has set up (which fails or
    not depending on which tests the worker ran before)."""
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=240, cwd=REPO,
                         env=env)
    assert out.returncode == 0, f"the probe failed (exit {out.returncode}):\n{out.stderr[-4000:]}"
    return out.stdout


def _loaded(package: str, skip=(), then: str = "") -> set[str]:
    """The top-level packages loaded by importing every module of ``package`` in a fresh process
    (run from the checkout, so the shipped pack is found), then running ``then``."""
    out = _probe(PROBE.format(package=package, skip=list(skip), then=then))
    return set(json.loads(out.strip().splitlines()[-1]))


def test_xblocks_never_load_scorm_export():
    # The Tutor plugin and the Django app need their hosts (Tutor, a configured Django) to
    # import; the workbench's hook reads the shipped pack, which once loaded the CLI's plugins.
    loaded = _loaded("xblocks", skip=("tutor", "aggregates"),
                     then="from xblocks.dev.scenarios import scenarios_for; assert scenarios_for('question')")
    assert "xblocks" in loaded and "scorm_export" not in loaded


BLOCK_PROBE = """
import json, sys
from importlib import metadata
from importlib.metadata import EntryPoint
EntryPoint({name!r}, {value!r}, "xblock.v1").load()
print(json.dumps(sorted(sys.modules)))
"""
#: What the LMS process must never load: the exporters, the command line and its tooling
#: (with every builder's and command's own module, below), and development tooling.
NOT_IN_THE_LMS = {"olx_export", "scorm_export", "coursepack.cli", "coursepack.command", "coursepack.lint",
                  "coursepack.preview", "coursepack.fix", "coursepack.catalog", "xblocks.dev"}
OURS = metadata.distribution("commonground").entry_points


def _not_for_the_lms(loaded) -> list[str]:
    """The modules of ``loaded`` that the LMS must never load."""
    plugins = {ep.module for ep in OURS if ep.group in ("commonground.builders", "commonground.commands",
                                                        "console_scripts")}
    return [m for m in loaded if any(m == f or m.startswith(f + ".") for f in NOT_IN_THE_LMS | plugins)]


@pytest.mark.parametrize("entry_point", [ep for ep in OURS if ep.group == "xblock.v1"], ids=lambda ep: ep.name)
def test_a_block_loads_no_builder_and_no_development_tooling(entry_point):
    """What the LMS does with our blocks: load each ``xblock.v1`` entry point, in a fresh process."""
    out = _probe(BLOCK_PROBE.format(name=entry_point.name, value=entry_point.value))
    loaded = json.loads(out.strip().splitlines()[-1])
    assert entry_point.module in loaded
    assert _not_for_the_lms(loaded) == []


APP_PROBE = """
import importlib, json, pkgutil, sys
import django
from django.conf import settings
settings.configure(INSTALLED_APPS=["django.contrib.contenttypes", "django.contrib.auth", "django.contrib.admin",
                                   "xblocks.aggregates.apps.AggregatesConfig"])
django.setup()
import xblocks.aggregates
for info in pkgutil.walk_packages(xblocks.aggregates.__path__, "xblocks.aggregates."):
    importlib.import_module(info.name)
print(json.dumps(sorted(sys.modules)))
"""


def test_our_django_app_loads_no_builder_and_no_development_tooling():
    """The LMS's other way in: our plugin app (models, admin, the retirement receiver, the
    governance report's data file and its management command), which once took its list of block
    types from the OLX builder. The data file is written without the report's reader: the LMS
    never loads ``governance_report``."""
    pytest.importorskip("django")
    loaded = json.loads(_probe(APP_PROBE).strip().splitlines()[-1])
    assert {"xblocks.aggregates.retirement", "xblocks.aggregates.report_data",
            "xblocks.aggregates.management.commands.commonground_report_data"} <= set(loaded)
    assert _not_for_the_lms(loaded) == []
    assert not [m for m in loaded if m.split(".")[0] in ("governance_report", "olx_export", "scorm_export")]


def test_scorm_export_never_loads_xblocks():
    loaded = _loaded("scorm_export")
    assert "scorm_export" in loaded and not loaded & {"xblocks", "xblock", "olx_export"}


def test_olx_export_loads_no_other_delivery():
    loaded = _loaded("olx_export")
    assert "olx_export" in loaded and not loaded & {"xblocks", "xblock", "scorm_export"}


def test_coursepack_loads_no_delivery():
    loaded = _loaded("coursepack")
    assert not loaded & {"xblocks", "xblock", "scorm_export", "olx_export"}


def test_a_plugin_command_is_loaded_only_when_run(monkeypatch):
    calls = []
    monkeypatch.setattr(cli, "entry_points", lambda group: [
        EntryPoint("hello", f"{__name__}:_hello", group)] if group == "commonground.commands" else [])
    monkeypatch.setattr(sys.modules[__name__], "_hello", click.Command("hello", callback=lambda: calls.append(1)),
                        raising=False)
    result = CliRunner().invoke(cli.main, ["hello"])
    assert result.exit_code == 0 and calls == [1]
    assert "hello" in CliRunner().invoke(cli.main, ["--help"]).output


@pytest.mark.parametrize("names", [("export", "export"), ("lint",)])
def test_two_commands_of_one_name_are_refused(monkeypatch, names):
    points = [EntryPoint(n, f"plugin{i}.cli:{n}", "commonground.commands") for i, n in enumerate(names)]
    monkeypatch.setattr(cli, "entry_points", lambda group: points if group == "commonground.commands" else [])
    result = CliRunner().invoke(cli.main, ["--help"])
    assert result.exit_code != 0
    assert f"two commands are called '{names[0]}'" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("only", [(), ("olx",)])
def test_two_builders_of_one_name_are_refused(monkeypatch, tmp_path, only):
    points = [EntryPoint("olx", f"plugin{i}.build:build", "commonground.builders") for i in range(2)]
    monkeypatch.setattr(cli, "entry_points", lambda group: points if group == "commonground.builders" else [])
    result = CliRunner().invoke(cli.main, ["build", str(REPO / "content"), "--out", str(tmp_path),
                                           *(a for name in only for a in ("--only", name))])
    assert result.exit_code != 0
    assert "two builders are called 'olx': plugin0.build:build and plugin1.build:build" in result.output
    assert "Traceback" not in result.output and not any(tmp_path.iterdir())


def test_every_group_of_entry_points_comes_from_one_reading_of_the_installed_distributions(monkeypatch):
    """Kinds, builders and commands are entry points; a build asks for several groups, and each
    reading of every installed distribution's metadata cost about 20 ms: it is read once."""
    from coursepack import plugins
    readings = []

    def every(**selection):
        readings.append(selection)
        return real(**selection)

    real = metadata.entry_points
    monkeypatch.setattr(plugins.metadata, "entry_points", every)
    plugins._every.cache_clear()
    try:
        for group in ("commonground.kinds", "commonground.builders", "commonground.kinds", "no.such.group"):
            assert sorted(plugins.entry_points(group=group)) == sorted(real(group=group))
        assert readings == [{}]
    finally:
        plugins._every.cache_clear()
