"""The workbench's scenarios for our blocks, given by the workbench's own settings.

The XBlock SDK's workbench lists the scenarios each block class returns from a
``workbench_scenarios`` class method. The shipped blocks carry none (the demos read the whole
content pack and the OLX builder, which the LMS must never load), so this app, installed only by
``xblocks.dev.settings``, gives each of our classes (found through our ``xblock.v1`` entry
points) the scenarios of its kind from ``scenarios.scenarios_for`` when Django starts.
"""
from __future__ import annotations

from django.apps import AppConfig

from ..registry import block_entry_points


def _workbench_scenarios(cls) -> list[tuple[str, str]]:
    from .scenarios import scenarios_for  # pylint: disable=import-outside-toplevel  (reads the pack)
    return scenarios_for(cls.kind)


class WorkbenchScenariosConfig(AppConfig):
    name = "xblocks.dev"
    label = "commonground_workbench"
    verbose_name = "Common Ground workbench scenarios"

    def ready(self):
        for entry_point in block_entry_points():
            entry_point.load().workbench_scenarios = classmethod(_workbench_scenarios)
