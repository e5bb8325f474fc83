"""A synthetic pack of N modules, made from the real ones so its size and element mix are real.

Module ``i`` is a copy of real module ``i % len(real)`` with its own id and title, and with about
half its ordinary words swapped for other words of the pack's own vocabulary. The swap matters:
Markdown rendering is cached by source text, so exact copies would be rendered once and make a
big pack look cheaper than it is. Ids, glossary terms, citations, links, attributes and the
block syntax are never touched, so every copy loads exactly as its original does.
"""
from __future__ import annotations

import random
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

WORD = re.compile(r"\b[a-z]{5,}\b")
# Markup whose inside must survive: [[terms]], [S1] / [x] / [link](#target), {#ids and attrs},
# `code` and <html>.
PROTECTED = re.compile(r"\[\[.*?\]\]|\[[^\]]*\]|\{[^}]*\}|\([^)]*\)|`[^`]*`|<[^>]*>")
BLOCK_LINE = re.compile(r"^\s*(:::|```|~~~|\||---)")
AVOID = {"explanation"}
PATHWAY_MODULES = re.compile(r"^(\s+modules:\s*)\[([^\]]*)\]", re.M)


def real_modules(root: Path) -> list[Path]:
    """The real pack's modules, files and folders, in name order (the shapes the copies take)."""
    from coursepack.load import discover_modules
    return discover_modules(root)


def split_module(text: str) -> tuple[list[str], list[str]]:
    """Front-matter lines (with both '---' lines) and body lines."""
    lines = text.split("\n")
    end = lines.index("---", 1)
    return lines[:end + 1], lines[end + 1:]


@dataclass
class Original:
    """A real module: its front matter, and the body lines of each of its Markdown files (a
    single-file module has one, named None); ``folder`` is set for a folder module."""
    front: list[str]
    files: list[tuple[str | None, list[str]]]
    folder: Path | None = None


def read_module(path: Path) -> Original:
    from coursepack.load import module_files
    files = module_files(path)
    front, body = split_module(files[0].read_text(encoding="utf-8"))
    if not path.is_dir():
        return Original(front, [(None, body)])
    pages = [(f.name, f.read_text(encoding="utf-8").split("\n")) for f in files[1:]]
    return Original(front, [(files[0].name, body), *pages], path)


def write_module(dest: Path, name: str, original: Original, front: list[str], bodies: list[list[str]]) -> None:
    """A copy as a file, or as a folder with the original's other files (its images) beside."""
    if original.folder is None:
        (dest / f"{name}.md").write_text("\n".join(front + bodies[0]), encoding="utf-8")
        return
    folder = dest / name
    shutil.copytree(original.folder, folder, ignore=shutil.ignore_patterns("*.md"))
    for n, ((file_name, _), body) in enumerate(zip(original.files, bodies)):
        (folder / file_name).write_text("\n".join((front if n == 0 else []) + body), encoding="utf-8")


def vocabulary(bodies: list[list[str]]) -> list[str]:
    """Every ordinary word the real modules use, sorted so a seed gives the same pack."""
    words = {w for body in bodies for line in body if not BLOCK_LINE.match(line)
             for w in WORD.findall(PROTECTED.sub(" ", line))}
    return sorted(words - AVOID)


def vary_line(line: str, rng: random.Random, vocab: list[str]) -> str:
    """Swap about half the ordinary words of one body line, leaving markup and the first word."""
    if BLOCK_LINE.match(line) or not line.strip():
        return line
    keep = [m.span() for m in PROTECTED.finditer(line)]
    first = WORD.search(line)

    def swap(m: re.Match) -> str:
        inside = any(a <= m.start() < b for a, b in keep)
        if inside or (first and m.start() == first.start()) or rng.random() < 0.5:
            return m.group(0)
        return rng.choice(vocab)
    return WORD.sub(swap, line)


def vary_front(front: list[str], module_id: str, copy: int) -> list[str]:
    """The original front matter with a new id and a numbered title."""
    out = []
    for line in front:
        if line.startswith("id: "):
            line = f"id: {module_id}"
        elif line.startswith("title: ") and copy:
            line = f"{line} ({copy + 1})"
        out.append(line)
    return out


def original_id(front: list[str]) -> str:
    return next(line[4:].strip() for line in front if line.startswith("id: "))


def keep_pathways(pack_yml: str, kept: set[str]) -> str:
    """pack.yml with pathways naming only the modules a small synthetic pack has."""
    def cut(m: re.Match) -> str:
        names = [n.strip() for n in m.group(2).split(",") if n.strip() in kept]
        return f"{m.group(1)}[{', '.join(names)}]"
    return PATHWAY_MODULES.sub(cut, pack_yml)


def generate(source: Path, dest: Path, count: int, seed: int = 1) -> Path:
    """Write a pack of ``count`` modules to ``dest`` (replaced if present); returns ``dest``.

    The first copy of each real module keeps its id, so pack.yml's pathways still resolve.
    """
    if dest.exists():
        shutil.rmtree(dest)
    (dest / "modules").mkdir(parents=True)
    originals = [read_module(p) for p in real_modules(source)]
    if not originals:
        raise LookupError(f"no modules in {source / 'modules'} to copy")
    kept = {original_id(o.front) for o in originals[:count]}
    (dest / "pack.yml").write_text(keep_pathways((source / "pack.yml").read_text(encoding="utf-8"), kept),
                                   encoding="utf-8")
    vocab = vocabulary([body for o in originals for _, body in o.files])
    for i in range(count):
        original = originals[i % len(originals)]
        copy = i // len(originals)
        base = original_id(original.front)
        module_id = base if copy == 0 else f"{base}-{copy + 1}"
        rng = random.Random(f"{seed}:{i}")
        bodies = [body if copy == 0 else [vary_line(line, rng, vocab) for line in body]
                  for _, body in original.files]
        write_module(dest / "modules", f"{i:03d}-{module_id}", original,
                     vary_front(original.front, module_id, copy), bodies)
    return dest
