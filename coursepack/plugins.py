"""The installed distributions' entry points, read once per process.

Element kinds (``commonground.kinds``), builders (``commonground.builders``) and commands
(``commonground.commands``) plug in as entry points. Reading one group reads every installed
distribution's metadata (about 20 ms in an Open edX virtualenv of a hundred distributions), and
a build asks for two groups: each read them all again. A distribution installed while a process
runs is seen by the next process, as the kinds, read when ``coursepack.elements`` is imported,
always were.
"""
from __future__ import annotations

from functools import cache
from importlib import metadata


@cache
def _every() -> metadata.EntryPoints:
    return metadata.entry_points()


def entry_points(*, group: str) -> metadata.EntryPoints:
    """The entry points of ``group`` (``importlib.metadata.entry_points(group=...)``)."""
    return _every().select(group=group)
