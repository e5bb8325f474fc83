"""The packages a build wrote, and the zip baseline they are measured against.

The baseline is what a build costs with no rendering at all: the same output files, already on
disk, written into zips with Python's ``zipfile`` (deflate, default level). A ratio of 3 means
the build costs three times what writing its bytes into zips does.
"""
from __future__ import annotations

import re
import shutil
import tarfile
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

ARCHIVES = (".zip", ".tar.gz", ".tgz", ".tar")


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
