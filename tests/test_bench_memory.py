"""The bench's memory measure: a process tree's proportional set size counts a page the tree's
processes share once, where adding their resident sizes counts it in each."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from benchmarks import memory

pytestmark = pytest.mark.skipif(not memory.available(), reason="this system reports no proportional set size (Linux's smaps_rollup)")

CHILD = """
import os, sys, time
block = bytearray(64 * 1024 * 1024)
for i in range(0, len(block), 4096):
    block[i] = 1                                  # resident, not just reserved
if os.fork() == 0:                                # a worker sharing the block, writing nothing
    time.sleep(30)
    os._exit(0)
print("ready", flush=True)
time.sleep(30)
"""


def _resident_mb(pid: int) -> float:
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def test_a_page_shared_with_a_forked_worker_counts_once():
    proc = subprocess.Popen([sys.executable, "-c", CHILD], stdout=subprocess.PIPE, text=True)
    worker = None
    try:
        assert proc.stdout.readline().strip() == "ready"
        deadline = time.monotonic() + 10
        while not memory._children(proc.pid) and time.monotonic() < deadline:
            time.sleep(0.01)
        worker = memory._children(proc.pid)[0]
        resident = _resident_mb(proc.pid) + _resident_mb(worker)
        shared = memory.tree_pss_mb(proc.pid)
        assert resident > 128          # each process's resident size holds the whole block
        assert 64 <= shared < 100, (shared, resident)     # the tree holds it once
    finally:
        for pid in [p for p in (worker, *memory._children(proc.pid)) if p]:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        proc.kill()
        proc.wait()
