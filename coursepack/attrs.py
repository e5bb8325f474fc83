"""The ``{#id .class key=value}`` suffix authors put on headings, blocks, options and choices.

The syntax is attr_list's (mkdocs, Python-Markdown), so the files read the way Markdown authors
already know; we parse it ourselves because the structure around it needs line numbers.
"""
from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field

_SUFFIX = re.compile(r"\s*\{([^{}]*)\}\s*$")


@dataclass(frozen=True)
class Attrs:
    id: str = ""
    classes: tuple[str, ...] = ()
    options: dict = field(default_factory=dict)
    problem: str = ""


def split_attrs(text: str) -> tuple[str, Attrs | None]:
    """Split ``"Title {#id .x k=v}"`` into ``("Title", Attrs)``; ``None`` when there is no suffix."""
    match = _SUFFIX.search(text)
    if not match:
        return text.rstrip(), None
    return text[: match.start()].rstrip(), parse_attrs(match.group(1))


# shlex's word breaks (its whitespace, not str.split's wider set); what has no quote and no
# backslash, shlex splits at these and nowhere else, so it is split here without it (shlex reads
# a character at a time: it was a tenth of loading the pack).
_SHLEX_SPACE = re.compile(r"[ \t\r\n]+")
_SHLEX_SPECIAL = re.compile(r"['\"\\]")


def parse_attrs(body: str) -> Attrs:
    if _SHLEX_SPECIAL.search(body):
        try:
            tokens = shlex.split(body, posix=True)
        except ValueError as exc:
            return Attrs(problem=f"cannot read the options in braces: {exc}")
    else:
        tokens = [token for token in _SHLEX_SPACE.split(body) if token]
    ident, classes, options = "", [], {}
    for token in tokens:
        if token.startswith("#"):
            ident = token[1:]
        elif token.startswith("."):
            classes.append(token[1:])
        elif "=" in token:
            key, _, value = token.partition("=")
            options[key] = value
        else:
            options[token] = ""
    return Attrs(ident, tuple(classes), options)


ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")


def slug(text: str, limit: int = 24) -> str:
    """A short id suggestion from text (used by ``lint --fix``; stable only once written)."""
    words = re.sub(r"[^a-z0-9]+", " ", text.lower()).split()
    out = ""
    for word in words:
        candidate = f"{out}-{word}" if out else word
        if len(candidate) > limit:
            break
        out = candidate
    return out or "x"
