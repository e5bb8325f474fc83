"""Our block types as installed: the ``xblock.v1`` entry points of this distribution (setup.cfg).

The one list of our tags for whoever needs it at run time (the LMS's account retirement, the
Tutor plugin's Studio settings), read from the installed metadata rather than from a builder.
Standard library only: the Tutor plugin runs in Tutor's environment, with neither XBlock nor Django.
"""
from __future__ import annotations

import importlib.metadata

DISTRIBUTION = "commonground"


def block_types() -> list[str]:
    """Our XBlock tags, sorted; empty when the distribution is not installed."""
    try:
        dist = importlib.metadata.distribution(DISTRIBUTION)
    except importlib.metadata.PackageNotFoundError:
        return []
    return sorted(ep.name for ep in dist.entry_points if ep.group == "xblock.v1")
