"""Where the content pack is when no folder is given: ``./content`` in a checkout, otherwise the
pack shipped in the wheel. Needs nothing beyond the standard library, so the LMS (the XBlock
workbench scenarios, the Tutor import job) finds the pack without the authoring tools."""
from __future__ import annotations

import importlib.util
from pathlib import Path


def pack_folder() -> Path | None:
    """The folder holding ``pack.yml``, or None when there is none."""
    local = Path("content")
    if (local / "pack.yml").is_file():
        return local
    # The shipped pack is data in a namespace package: find its folder without a loader.
    spec = importlib.util.find_spec("commonground_content")
    for folder in (spec.submodule_search_locations if spec else None) or ():
        if (Path(folder) / "pack.yml").is_file():
            return Path(folder)
    return None
