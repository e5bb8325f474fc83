"""Author-facing problems: every mistake becomes one ``path:line: message (hint)`` line.

Parsing never stops at the first problem: it collects them all so an author fixes a broken file
in one pass, and a problem is data (never a traceback).
"""
from __future__ import annotations

import difflib
from dataclasses import asdict, dataclass, field
from pathlib import Path

ERROR = "error"
WARNING = "warning"


class KindError(TypeError):
    """An element kind cannot be used: its record breaks the contract of its role, or its name or
    one of its blocks is another kind's too (``coursepack.elements``). Raised as the kinds are
    read, before any pack is; the message names the kind and the entry points."""


@dataclass(frozen=True, order=True)
class Diagnostic:
    file: str
    line: int
    severity: str
    code: str
    message: str
    hint: str = ""

    def __str__(self) -> str:
        hint = f" ({self.hint})" if self.hint else ""
        tag = "" if self.severity == ERROR else f"{self.severity}: "
        return f"{self.file}:{self.line}: {tag}{self.message}{hint} [{self.code}]"

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class Diagnostics:
    """A growing list of problems found in one pass over a pack."""

    items: list[Diagnostic] = field(default_factory=list)

    def add(self, file: str | Path, line: int, code: str, message: str, hint: str = "",
            severity: str = ERROR) -> None:
        self.items.append(Diagnostic(str(file), max(int(line), 1), severity, code, message, hint))

    def error(self, file, line, code, message, hint=""):
        self.add(file, line, code, message, hint, ERROR)

    def warn(self, file, line, code, message, hint=""):
        self.add(file, line, code, message, hint, WARNING)

    def extend(self, other: "Diagnostics") -> None:
        self.items.extend(other.items)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == ERROR]

    def sorted(self) -> list[Diagnostic]:
        """In cause order: by folder, a folder module's front matter (module.md) before its
        pages, then by line. A problem in the front matter is fixed first, because it can
        cause problems further on."""
        return sorted(self.items, key=_cause_order)


FRONT_MATTER_FILE = "module.md"


def _cause_order(d: Diagnostic):
    folder, _, name = d.file.replace("\\", "/").rpartition("/")
    return (folder, name != FRONT_MATTER_FILE, name, d.line, d.code, d.message)


def did_you_mean(word: str, choices) -> str:
    """A "did you mean" hint for a misspelt key, or a list of valid ones."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    if close:
        return f"did you mean '{close[0]}'?"
    return "expected one of: " + ", ".join(sorted(choices))


class PackError(Exception):
    """Raised by loaders when a pack has errors; carries every diagnostic."""

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = diagnostics
        super().__init__("\n".join(str(d) for d in diagnostics))
