"""Files a built module needs besides its HTML: the player and the module's own images."""
from __future__ import annotations

from pathlib import Path

from .load import IMAGE, LoadResult
from .model import Module

PLAYER_FILES = ("player.js", "player.css")
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

