"""The memory a build's processes use together: their proportional set size, sampled from outside.

A build forks render and builder workers from a process that holds the loaded pack. Each
worker's resident size counts every page it shares with that process (a fork shares them all
until one side writes), so adding the build's peak to a worker's counts the pack twice or more.
Linux's proportional set size (Pss in ``/proc/<pid>/smaps_rollup``) divides each shared page
among the processes sharing it: summed over the process tree, it is the memory the build
occupies. It is sampled by the bench's own process while the build runs (a thread inside the
build would stop it forking, ``coursepack.processes.can_fork``); a peak shorter than the
interval can be missed, so the resident sizes are reported beside it.
"""
from __future__ import annotations

import os
from pathlib import Path

INTERVAL = 0.1      # seconds between samples


def available() -> bool:
    return Path(f"/proc/{os.getpid()}/smaps_rollup").is_file()


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            found += [int(c) for c in task.read_text().split()]
        except (OSError, ValueError):
            pass            # the task ended while it was read
    return found


def tree_pss_mb(pid: int) -> float:
    """The summed Pss of ``pid`` and every process below it, in MB (0 for processes gone)."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        todo += _children(p)
        try:
            for line in Path(f"/proc/{p}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
                    break
        except (OSError, ValueError):
            pass
    return total / 1024
