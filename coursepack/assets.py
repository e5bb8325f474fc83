"""Files a built module needs besides its HTML: the player and the module's own images."""
from __future__ import annotations

from pathlib import Path

from .load import IMAGE, LoadResult
from .model import Module

# favicon.svg: every page links it, so no browser asks the host for a /favicon.ico it lacks.
PLAYER_FILES = ("player.js", "player.css", "favicon.svg")
STATIC = Path(__file__).parent / "static"


def static_file(name: str) -> bytes:
    return (STATIC / name).read_bytes()


def module_images(result: LoadResult, module: Module) -> list[tuple[str, Path]]:
    """(path as written in the Markdown, file on disk) for each image the module shows."""
    source = result.sources[module.id]
    base = source.path if source.path.is_dir() else source.path.parent
    seen: dict[str, Path] = {}
    for line in source.lines:
        for match in IMAGE.finditer(line.text):
            target = match.group(2)
            if target not in seen and (base / target).is_file():
                seen[target] = base / target
    return sorted(seen.items())


def write_if_changed(path: Path, data: bytes) -> bool:
    """Write only when the bytes differ, so rebuilds touch only what changed."""
    if path.is_file() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return True
