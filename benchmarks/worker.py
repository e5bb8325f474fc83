"""Measurements that need a process of their own: ``python -m benchmarks.worker MODE ARGS-JSON``.

A cold build has to start from nothing (no imports, no render caches, no compiled templates),
and peak memory has to be the build's own, so each runs in a fresh interpreter. The result is
printed as one ``BENCH-RESULT {json}`` line, read back by ``run_worker``.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from contextlib import nullcontext
from pathlib import Path

from benchmarks import memory
from benchmarks.profile import finish, measured, start

MARK = "BENCH-RESULT "
REPO = Path(__file__).resolve().parent.parent


def peak_rss_mb() -> float:
    """This process's peak resident memory (Linux reports ru_maxrss in KiB)."""
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def workers_peak_rss_mb() -> float:
    """The largest peak of the worker processes this one forked and waited for (render workers)."""
    import resource
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def cpu_seconds() -> float:
    """CPU time of this process and of the worker processes it has waited for."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def cold(pack: str, out: str, only: list[str] | None = None, leave_out: list[str] | None = None) -> dict:
    """Import, load and build everything once, as ``commonground build`` does (over every core:
    ``COMMONGROUND_JOBS``); seconds per phase and peak memory. ``only``: these builders;
    ``leave_out``: every builder but these."""
    with measured():
        started, cpu = time.perf_counter(), cpu_seconds()
        from coursepack.load import require_pack
        from coursepack.processes import jobs

        from benchmarks.builds import discover_builders, load_builder, run_builders
        targets, _ = discover_builders()
        builders = {name: load_builder(t) for name, t in targets.items()
                    if (not only or name in only) and name not in (leave_out or ())}
        imported = time.perf_counter()
        result = require_pack(pack)
        loaded = time.perf_counter()
        seconds = run_builders(result, Path(out), builders, jobs())
    return {"total": time.perf_counter() - started, "cpu": cpu_seconds() - cpu, "import": imported - started,
            "load": loaded - imported, "builders": seconds, "peak_rss_mb": peak_rss_mb(),
            "workers_peak_rss_mb": workers_peak_rss_mb(), "modules": len(result.pack.modules)}


def warm(pack: str, out: str, module: str, runs: int, only: list[str] | None = None,
         leave_out: list[str] | None = None) -> dict:
    """Build once, then edit one page and rebuild ``runs`` times (re-reading the pack each
    time, as ``preview`` does after a save); ``only``: these builders (preview: the site);
    ``leave_out``: every builder but these."""
    from coursepack.load import require_pack

    from benchmarks.builds import discover_builders, edit_page, load_builder, module_file, run_builders
    targets, _ = discover_builders()
    builders = {name: load_builder(t) for name, t in targets.items()
                if (not only or name in only) and name not in (leave_out or ())}
    run_builders(require_pack(pack), Path(out), builders)
    path = module_file(Path(pack), module)
    timings = []
    for r in range(runs):
        edit_page(path, f"warm {r}")
        with measured():
            started, cpu = time.perf_counter(), cpu_seconds()
            result = require_pack(pack)
            loaded = time.perf_counter()
            seconds = run_builders(result, Path(out), builders)
        timings.append({"total": time.perf_counter() - started, "cpu": cpu_seconds() - cpu,
                        "load": loaded - started, "builders": seconds})
    return {"runs": timings}


def modules(pack: str, scratch: str, runs: int) -> dict:
    """Each module alone through every builder, into an empty folder, ``runs`` times.

    Before each module the content caches are emptied (``caches``), and before each round every
    module gets a one-sentence edit, so no cache can answer for the builders; round 0 is a
    warm-up (imports, compiled templates), which a batch export pays once, not per module.
    """
    from coursepack.load import require_pack

    from benchmarks.builds import (discover_builders, edit_page, load_builder, module_file,
                                   only_module, run_builders)
    from benchmarks.caches import clear_content_caches
    targets, _ = discover_builders()
    builders = {name: load_builder(t) for name, t in targets.items()}
    ids = [m.id for m in require_pack(pack).pack.modules]
    found: dict[str, list[dict]] = {m: [] for m in ids}   # per round: seconds per builder, CPU
    for r in range(runs + 1):
        for module_id in ids:
            edit_page(module_file(Path(pack), module_id), f"round {r}")
        result = require_pack(pack)
        for module in result.pack.modules:
            out = Path(scratch) / f"r{r}-{module.id}"
            clear_content_caches()
            with measured() if r else nullcontext():
                cpu = cpu_seconds()
                seconds = run_builders(only_module(result, module), out, builders)
            if r:
                found[module.id].append({"builders": seconds, "cpu": cpu_seconds() - cpu})
    return found


def lint(pack: str) -> dict:
    """``commonground lint``'s work once, from a fresh interpreter: seconds and what it found."""
    started, cpu = time.perf_counter(), time.process_time()
    from coursepack.lint import lint as run_lint
    _, found = run_lint(pack)
    return {"total": time.perf_counter() - started, "cpu": time.process_time() - cpu,
            "codes": sorted({d.code for d in found})}


def views(archive: str, module: str, samples: int, scratch: str) -> dict:
    """XBlock student_view of a typical and a long page (see ``views``)."""
    from benchmarks.views import measure_pages
    return measure_pages(archive, module, samples, scratch)


def own_peak_mb() -> float:
    """This process's own peak resident memory (VmHWM): ru_maxrss keeps the parent's peak across
    fork and exec, which for the report row is the bench process that held the simulation."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return peak_rss_mb()


def report(folder: str, out: str, pack: str) -> dict:
    """``commonground report`` over every download in a folder, as the command runs it (the
    pack, the reading, the figures, the two files written), from a fresh interpreter."""
    started, cpu = time.perf_counter(), cpu_seconds()
    from click.testing import CliRunner
    from coursepack import cli
    files = sorted(str(p) for p in Path(folder).iterdir())
    result = CliRunner().invoke(cli.main, ["report", *files, "--pack", pack, "--out", out])
    if result.exit_code:
        raise SystemExit(result.output)
    return {"total": time.perf_counter() - started, "cpu": cpu_seconds() - cpu, "peak_rss_mb": own_peak_mb()}


def csv_read(folder: str) -> dict:
    """The baseline: every row of the same downloads read with the standard csv module."""
    import csv
    started, cpu = time.perf_counter(), cpu_seconds()
    rows = 0
    for path in sorted(Path(folder).iterdir()):
        with path.open(newline="", encoding="utf-8-sig") as f:
            rows += sum(1 for _ in csv.reader(f, delimiter="\t" if path.suffix == ".txt" else ","))
    return {"total": time.perf_counter() - started, "cpu": cpu_seconds() - cpu, "rows": rows,
            "peak_rss_mb": own_peak_mb()}


MODES = {"cold": cold, "warm": warm, "modules": modules, "lint": lint, "views": views, "report": report,
         "csv_read": csv_read}


def run_worker(mode: str, timeout: float = 3600, env: dict | None = None, sample_memory: bool = False,
               **kwargs) -> tuple[dict, float]:
    """Run one mode in a fresh interpreter; (its result, wall seconds including start-up).
    ``env``: more environment variables; ``profile=<file>``: profile the measured part of the
    run into that file; ``sample_memory``: add ``tree_peak_pss_mb``, the peak of the worker's
    process tree's proportional set size (``benchmarks.memory``), where the system reports it."""
    env = {**os.environ, **(env or {}),
           "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}
    sampling = sample_memory and memory.available()
    peak = 0.0
    started = time.perf_counter()
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        proc = subprocess.Popen([sys.executable, "-m", "benchmarks.worker", mode, json.dumps(kwargs)],
                                stdout=out, stderr=err, text=True, cwd=REPO, env=env)
        deadline = started + timeout
        while True:
            if sampling:
                peak = max(peak, memory.tree_pss_mb(proc.pid))
            try:
                proc.wait(memory.INTERVAL if sampling else max(0.0, deadline - time.perf_counter()))
                break
            except subprocess.TimeoutExpired:
                if time.perf_counter() >= deadline:
                    proc.kill()
                    proc.wait()
                    raise RuntimeError(f"benchmark worker '{mode}' took more than {timeout:.0f} s") from None
        wall = time.perf_counter() - started
        out.seek(0), err.seek(0)
        stdout, stderr = out.read(), err.read()
    lines = [line for line in stdout.splitlines() if line.startswith(MARK)]
    if proc.returncode or not lines:
        raise RuntimeError(f"benchmark worker '{mode}' failed ({proc.returncode}):\n{stderr[-3000:]}")
    found = json.loads(lines[-1][len(MARK):])
    if sampling:
        found["tree_peak_pss_mb"] = peak
    return found, wall


def main(argv: list[str]) -> None:
    mode, args = argv[0], json.loads(argv[1])
    profile = args.pop("profile", None)
    start(profile)
    found = MODES[mode](**args)
    finish(profile)
    print(MARK + json.dumps(found), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
