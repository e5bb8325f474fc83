"""Whole-pack builds through every builder, the packages they write, and the zip baseline.

Builders are found the way ``commonground build`` finds them (the ``commonground.builders``
entry points). In a checkout, builders declared in setup.cfg but not yet installed (an editable
install made before they were added) are loaded from their declaration too, so the benchmark
covers every delivery that exists when it runs.

The baseline is what a build costs with no rendering at all: the same output files, already on
disk, written into zips with Python's ``zipfile`` (deflate, default level). A ratio of 3 means
the build costs three times what writing its bytes into zips does.
"""
from __future__ import annotations

import configparser
import importlib
import shutil
import statistics
import re
import tarfile
import time
import zipfile
from dataclasses import dataclass, field, replace
from importlib.metadata import entry_points
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ARCHIVES = (".zip", ".tar.gz", ".tgz", ".tar")


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


def run_builders(result, out: Path, builders: dict) -> dict[str, float]:
    """Run each builder (name → callable) into out/<name>; seconds per builder."""
    seconds = {}
    for name in sorted(builders):
        started = time.perf_counter()
        builders[name](result, out / name)
        seconds[name] = time.perf_counter() - started
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


# -- packages ---------------------------------------------------------------------------------

@dataclass
class Package:
    """One delivered thing: an archive, or a builder's loose files (the preview site)."""
    builder: str
    name: str               # e.g. "stigma-1.0.0.zip", or "site/" for loose files
    path: Path              # the archive, or the builder's folder
    size: int               # bytes on disk (archive) or the sum of the loose files
    files: int              # members of the archive, or loose files
    module: str = ""        # the module id when the package holds one module only
    loose: list[Path] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{self.builder}/{self.name}" if not self.name.endswith("/") else self.name


def archive_members(path: Path) -> int:
    if path.name.endswith(".zip"):
        with zipfile.ZipFile(path) as zf:
            return sum(not i.is_dir() for i in zf.infolist())
    with tarfile.open(path) as tf:
        return sum(m.isfile() for m in tf.getmembers())


def stem(name: str) -> str:
    for ext in ARCHIVES:
        if name.endswith(ext):
            return name[: -len(ext)]
    return name


def inventory(out: Path, module_ids: set[str]) -> list[Package]:
    """Every package under out/<builder>/, with its size and file count."""
    found = []
    for folder in sorted(p for p in out.iterdir() if p.is_dir()):
        loose = []
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            if path.name.endswith(ARCHIVES):
                name = stem(path.name)
                versioned = name.rsplit("-", 1)[0] if re.search(r"-\d[\w.]*$", name) else name
                module = name if name in module_ids else versioned if versioned in module_ids else ""
                found.append(Package(folder.name, str(path.relative_to(folder)), path,
                                     path.stat().st_size, archive_members(path), module))
            else:
                loose.append(path)
        if loose:
            found.append(Package(folder.name, f"{folder.name}/", folder,
                                 sum(p.stat().st_size for p in loose), len(loose), "", loose))
    return found


def module_share(packages: list[Package], module_id: str) -> list[Package]:
    """What must be rewritten when one module changes: its own packages, its folder of any
    loose output, and every whole-pack archive (which holds it)."""
    share = []
    for p in packages:
        if p.loose:
            mine = [f for f in p.loose if f.relative_to(p.path).parts[0] == module_id]
            if mine:
                share.append(Package(p.builder, f"{p.builder}/{module_id}/", p.path,
                                     sum(f.stat().st_size for f in mine), len(mine), module_id, mine))
        elif p.module == module_id or not p.module:
            share.append(p)
    return share


# -- the zip baseline -------------------------------------------------------------------------

def stage(packages: list[Package], where: Path) -> list[tuple[Path, list[Path]]]:
    """Unpack archives to disk (not timed); (root, files) per package, ready to zip again."""
    staged = []
    for i, p in enumerate(packages):
        if p.loose:
            staged.append((p.path, p.loose))
            continue
        root = where / str(i)
        if p.path.name.endswith(".zip"):
            with zipfile.ZipFile(p.path) as zf:
                zf.extractall(root)
        else:
            with tarfile.open(p.path) as tf:
                tf.extractall(root, filter="data")
        staged.append((root, sorted(f for f in root.rglob("*") if f.is_file())))
    return staged


def zip_baseline(packages: list[Package], scratch: Path) -> float:
    """Seconds to write every package's files, from disk, into one zip each with zipfile."""
    scratch.mkdir(parents=True, exist_ok=True)
    staged = stage(packages, scratch / "staged")
    started = time.perf_counter()
    for i, (root, files) in enumerate(staged):
        with zipfile.ZipFile(scratch / f"baseline-{i}.zip", "w", zipfile.ZIP_DEFLATED) as zf:
            for f in files:
                zf.write(f, f.relative_to(root).as_posix())
    seconds = time.perf_counter() - started
    shutil.rmtree(scratch, ignore_errors=True)
    return seconds


def median(values) -> float:
    return statistics.median(list(values))
