"""The learner's player as the browser loads it, put together from this folder and the kinds.

Each file of the player is this folder's part followed by the part in each element kind's
folder, in the folders' path order:

- ``widgets.js``: the kinds' registry, shared helpers and text enhancements, then every kind's
  ``widget.js`` (its widget). All an Open edX unit page loads of the player.
- ``shell.js``: the module shell of SCORM packages and the preview, then every kind's
  ``shell.js`` (its judge, its part of the saved state).
- ``player.css``: the shell's and the shared widget styles, then every kind's ``widget.css``.

The sources explain themselves at length; a learner on a slow connection need not download
that, so the lines that are only a comment are left out (``code_lines``). Every line of code ships
exactly as written, so what runs is what was reviewed, line for line; each part is marked with
its file name. The bytes are a pure function of the files: the same kinds give the same player.
Standard library only: the wheel's build (``setup.py``) writes the Open edX copy with it.
"""
from __future__ import annotations

import re
from pathlib import Path

HERE = Path(__file__).parent
#: Each file of the player → the file each kind's folder adds to it.
PARTS = {"widgets.js": "widget.js", "shell.js": "shell.js", "player.css": "widget.css"}


_OPENS = re.compile(r"^\s*/\*")
_LINE = re.compile(r"^\s*//")


class PlayerSourceError(ValueError):
    """A player source has a comment the assembly cannot leave out safely."""


def code_lines(text: str, where: str) -> str:
    """``text`` without its lines that are only a comment: a ``// ...`` line, or a ``/* ... */``
    that starts a line and ends one. A block comment that shares a line with code is refused
    (``PlayerSourceError``, naming ``where`` and the line): without parsing the script, which
    part of such a line is code cannot be told, and no line of code may be lost."""
    kept, inside = [], False
    for no, line in enumerate(text.split("\n"), 1):
        if inside or _OPENS.match(line):
            rest = line if inside else line[line.index("/*") + 2:]
            inside = "*/" not in rest
            if not inside and rest.index("*/") + 2 != len(rest.rstrip()):
                raise PlayerSourceError(f"{where}:{no}: code after a comment on one line; give the code a line of its own")
            continue
        if not _LINE.match(line):
            kept.append(line)
    return "\n".join(kept).strip("\n") + "\n"


def assemble(name: str, folders) -> bytes:
    """Player file ``name`` (a key of ``PARTS``): this folder's part, then the part in each of
    ``folders`` (kinds' folders; each once, in path order) that has one, each without its
    comment lines and marked with its name."""
    parts = [HERE / name, *(f / PARTS[name] for f in sorted({Path(f) for f in folders}, key=str))]
    return "".join(f"/* {p.parent.name}/{p.name} */\n" + code_lines(p.read_text(encoding="utf-8"), str(p))
                   for p in parts if p.is_file()).encode("utf-8")


def _kind_folders() -> list[Path]:
    from ..elements import KINDS  # pylint: disable=import-outside-toplevel  (setup.py has no kinds)
    return [kind.folder for kind in KINDS]


_files: dict[str, bytes] = {}


def player_file(name: str) -> bytes:
    """One file of the player for the registered kinds (made once per process)."""
    if name not in _files:
        _files[name] = assemble(name, _kind_folders())
    return _files[name]


def files() -> dict[str, bytes]:
    """Every file of the player, by name."""
    return {name: player_file(name) for name in PARTS}
