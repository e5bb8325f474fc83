"""Spreading a build's independent pieces of work over the machine's cores.

A build is a pure function of the loaded pack, so pieces that do not depend on each other (each
module's pages, each builder's output) can be computed in other processes and give the same
bytes. Python runs one thread at a time per process, and rendering Markdown and templates is
Python code, so the pieces go to forked worker processes: a fork starts from this process as it
is (imports, the loaded pack, compiled templates), and only each piece's result travels back.

``COMMONGROUND_JOBS`` sets how many processes (1: everything in this one, e.g. to profile it);
the default is one per core this process may run on. Forking is used only where it is safe:
on systems that have it, and from a process running a single thread (a fork copies one thread,
and a lock held by another at that moment would stay locked in the child for ever).
"""
from __future__ import annotations

import gc
import os
import threading
import time
from contextlib import contextmanager
from typing import Callable, Iterator, Sequence, TypeVar

T = TypeVar("T")
R = TypeVar("R")
ENV = "COMMONGROUND_JOBS"

# The work of the pool being run, read by the forked workers (never pickled: they inherit it).
_work: tuple[Callable, Sequence] | None = None


def usable_cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def jobs(requested: int | None = None) -> int:
    """How many processes to use: ``requested``, else ``COMMONGROUND_JOBS``, else one per core."""
    if requested:
        return max(1, requested)
    value = os.environ.get(ENV, "").strip()
    if value:
        try:
            return max(1, int(value))
        except ValueError:
            raise ValueError(f"{ENV} must be a whole number of processes, not {value!r}") from None
    return usable_cores()


@contextmanager
def jobs_set(requested: int | None) -> Iterator[None]:
    """Within it, ``jobs()`` answers ``requested`` (when given), in this process and those it
    forks: a builder that shares its own work among processes keeps to ``build --jobs``."""
    if not requested:
        yield
        return
    before = os.environ.get(ENV)
    os.environ[ENV] = str(requested)
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(ENV, None)
        else:
            os.environ[ENV] = before


def threads() -> int:
    """Threads of this process, as the system counts them (a library's threads too, which
    Python's ``threading`` may not know of), where it says; else as ``threading`` does."""
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:
        return threading.active_count()


def can_fork() -> bool:
    return hasattr(os, "fork") and threads() == 1


def _run(index: int):
    fn, items = _work
    return fn(items[index])


def fork_map(fn: Callable[[T], R], items: Sequence[T], processes: int) -> Iterator[R]:
    """``fn(item)`` for each item, in order, each as soon as it is known, shared among up to
    ``processes`` forked workers (here, in this process, when that is 1, when there is one item
    or when forking is not safe; then a caller that stops early stops the work too). ``fn`` may
    be any callable (it is inherited, not sent); its results must pickle."""
    global _work
    processes = min(processes, len(items))
    if processes < 2 or not can_fork():
        for item in items:
            yield fn(item)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    outer, _work = _work, (fn, items)       # a worker of another pool may fork a pool of its own
    before = threads()
    # The workers share this process's memory (the loaded pack, the rendered pages) until they
    # write to it, and the collector writes to every object it examines: a full collection in a
    # worker made a private copy of each page of the pack it touched. Frozen objects are never
    # examined (``gc.freeze``); this process takes them back when its outermost pool is done.
    gc.freeze()
    try:
        with ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("fork")) as pool:
            yield from pool.map(_run, range(len(items)), chunksize=max(1, len(items) // (processes * 4)))
    finally:
        if outer is None:
            gc.unfreeze()
        _work = outer
        _settle(before)


def _settle(count: int, seconds: float = 1.0) -> None:
    """Wait (up to ``seconds``) until the system lists ``count`` threads again, as before a pool.

    Python counts a pool's threads ended once joined, but the system still lists each for about
    a millisecond while it exits; the next ``fork_map`` (the builders, after the modules are
    rendered) then found two threads, refused to fork and ran every builder in this one process."""
    deadline = time.monotonic() + seconds
    while threads() > count and time.monotonic() < deadline:
        time.sleep(0.001)
