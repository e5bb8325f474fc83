"""Whole-pack builds through every builder, and the author's edit a warm rebuild follows.

Builders are found the way ``commonground build`` finds them (the ``commonground.builders``
entry points). In a checkout, builders declared in setup.cfg but not yet installed (an editable
install made before they were added) are loaded from their declaration too, so the benchmark
covers every delivery that exists when it runs.

A worker timing a cold build imports this module inside the timed import phase, so it imports
only what finding and running builders needs (the packages and the zip baseline, which only
the parent process needs, are in ``baseline``).
"""
from __future__ import annotations

import configparser
import importlib
import time
from dataclasses import replace
from pathlib import Path

from coursepack.plugins import entry_points

REPO = Path(__file__).resolve().parent.parent


# -- builders ---------------------------------------------------------------------------------

def declared_builders(setup_cfg: Path = REPO / "setup.cfg") -> dict[str, str]:
    """name → 'module:attr' for the builders setup.cfg declares (empty outside a checkout)."""
    if not setup_cfg.is_file():
        return {}
    cfg = configparser.ConfigParser()
    cfg.read(setup_cfg, encoding="utf-8")
    text = cfg.get("options.entry_points", "commonground.builders", fallback="")
    pairs = (line.split("=", 1) for line in text.splitlines() if "=" in line)
    return {name.strip(): target.strip() for name, target in pairs}


def discover_builders() -> tuple[dict[str, str], list[str]]:
    """name → 'module:attr' for every builder, and the names found only in setup.cfg."""
    installed = {ep.name: ep.value for ep in entry_points(group="commonground.builders")}
    declared = declared_builders()
    only_declared = sorted(set(declared) - set(installed))
    return {**declared, **installed}, only_declared


def load_builder(target: str):
    """Import a 'module:attr' builder reference."""
    module, _, attr = target.partition(":")
    obj = importlib.import_module(module)
    for part in attr.split("."):
        obj = getattr(obj, part)
    return obj


def run_builders(result, out: Path, builders: dict, processes: int = 1) -> dict[str, float]:
    """What ``commonground build`` does with a loaded pack (``coursepack.builders``): every
    module's pages rendered once when a builder shows whole modules, then each builder (name →
    callable) into out/<name>, over up to ``processes`` processes (1: in this one, where the
    builders' caches stay for a rebuild); seconds for the rendering ("render") and per builder."""
    from coursepack import builders as runner
    from coursepack.diagnostics import PackError
    started = time.perf_counter()
    runner.render_first(result, builders, processes)
    seconds = {"render": time.perf_counter() - started}
    for outcome in runner.run(result, out, builders, processes):
        if outcome.refused is not None:
            raise PackError(outcome.refused)
        seconds[outcome.name] = outcome.seconds
    return seconds


def only_module(result, module):
    """The load result cut down to one module: what exporting that module alone sees."""
    from coursepack.load import LoadResult
    pack = replace(result.pack, modules=(module,), pathways=())
    return LoadResult(pack, result.diagnostics, result.sources, [])


# -- editing a page ---------------------------------------------------------------------------

def module_file(pack_dir: Path, module_id: str) -> Path:
    """The file of the module with this id that an author edits: the module's own file, or for
    a folder module its middle page file (else its module.md, which may hold a page too)."""
    from coursepack.load import discover_modules, module_files
    for path in discover_modules(pack_dir):
        files = module_files(path)
        if not files[0].is_file():
            continue
        head = files[0].read_text(encoding="utf-8").split("\n", 40)[:40]
        if f"id: {module_id}" not in head:
            continue
        pages = files[1:]
        for page in sorted(pages, key=lambda f: abs(pages.index(f) - len(pages) // 2)) + files[:1]:
            if any(line.startswith("## ") for line in page.read_text(encoding="utf-8").split("\n")):
                return page
    raise LookupError(f"no module with id {module_id} and a page in {pack_dir}")


def prose_line(lines: list[str]) -> int:
    """Index of an ordinary prose line on the module's middle page (outside any ::: block)."""
    pages = [i for i, line in enumerate(lines) if line.startswith("## ")]
    start = pages[len(pages) // 2]
    depth = 0
    for i in range(start + 1, len(lines)):
        line = lines[i]
        if line.startswith(":::"):
            depth += 1 if line.strip() != ":::" else -1
        elif depth == 0 and line[:1].isalpha() and "{" not in line and ":" not in line[:20]:
            return i
    raise LookupError("no prose line on the middle page")


def edit_page(path: Path, marker: str) -> None:
    """Change one sentence on one page, as an author saving a small edit does."""
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    try:
        i = prose_line(lines)
    except LookupError:
        # A page of elements only: the edit is a new sentence under the middle page's heading.
        pages = [n for n, line in enumerate(lines) if line.startswith("## ")]
        i = pages[len(pages) // 2] + 1
        lines[i:i] = ["", "An edited sentence."]
        i += 1
    lines[i] = f"{lines[i].split(' (edit ', 1)[0]} (edit {marker})"
    path.write_text("\n".join(lines), encoding="utf-8")
