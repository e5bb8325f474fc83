"""Our block types as installed: the ``xblock.v1`` entry points of this distribution (setup.cfg).

The one list of our blocks for whoever needs it at run time (the LMS's account retirement, the
Tutor plugin's Studio settings, the workbench's scenarios), read from the installed metadata
rather than from a builder. Standard library only: the Tutor plugin runs in Tutor's environment,
with neither XBlock nor Django.
"""
from __future__ import annotations

import importlib.metadata

DISTRIBUTION = "commonground"


def block_entry_points() -> list[importlib.metadata.EntryPoint]:
    """Our ``xblock.v1`` entry points, by tag; none when the distribution is not installed."""
    try:
        dist = importlib.metadata.distribution(DISTRIBUTION)
    except importlib.metadata.PackageNotFoundError:
        return []
    return sorted((ep for ep in dist.entry_points if ep.group == "xblock.v1"), key=lambda ep: ep.name)


def block_types() -> list[str]:
    """Our XBlock tags, sorted."""
    return [ep.name for ep in block_entry_points()]
