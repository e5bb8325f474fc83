"""Suicide safety in scenarios (content brief 9a): a scenario in which someone may be thinking
about suicide must show a worker asking them directly, on a page with a content note. A pack that
models not asking is unsafe.

What counts as a sign (hopelessness, or saying they want to end their life) and what counts as
asking directly are data in ``suicide_rules.yml``, like the language rules, so reviewers can widen
them without reading code. Asking is judged as a question put to the person about suicide, in
any words ("Are you having thoughts of ending your life?"), not as one fixed sentence.
"""
from __future__ import annotations

import re
from pathlib import Path

import yaml

from ..model import Scenario
from .integrity import notes_shown

RULES_FILE = Path(__file__).with_name("suicide_rules.yml")
PLAIN = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "*": None, "_": None, "`": None})
PART = re.compile(r"\{([a-z]+)\}")


def _fill(pattern: str, parts: dict[str, str]) -> str:
    """``pattern`` with every {part} filled in, parts inside parts too."""
    for _ in range(len(parts) + 1):
        if not PART.search(pattern):
            return pattern
        pattern = PART.sub(lambda m: parts[m.group(1)], pattern)
    raise ValueError(f"{RULES_FILE.name}: a part refers to itself: {pattern}")


def _compile(patterns: list[str], parts: dict[str, str]) -> re.Pattern:
    """One regex for a list of phrases: whole words only, case-insensitive."""
    filled = "|".join(_fill(p, parts) for p in patterns)
    return re.compile(r"(?<![\w-])(?:" + filled + r")(?![\w-])", re.I)


def load_rules() -> tuple[re.Pattern, re.Pattern]:
    data = yaml.safe_load(RULES_FILE.read_text(encoding="utf-8"))
    return _compile(data["signs"], data["parts"]), _compile(data["asks"], data["parts"])


SIGNS, ASKS = load_rules()


def plain(text: str) -> str:
    """Text as the rules read it: one line, straight quotes, no emphasis marks."""
    return " ".join(text.translate(PLAIN).split())


def sign(text: str) -> str:
    """The first phrase in ``text`` that says someone may be thinking about suicide, or ""."""
    found = SIGNS.search(plain(text))
    return found.group() if found else ""


def asks(text: str) -> bool:
    """Whether ``text`` has someone asking the person directly about suicide."""
    return ASKS.search(plain(text)) is not None


def check(ctx) -> None:
    for module in ctx.result.pack.modules:
        for n, page in enumerate(module.pages):
            for scenario in (e for e in page.elements if isinstance(e, Scenario)):
                _scenario(ctx, module, page, scenario, notes_shown(module, n, page))


def _scenario(ctx, module, page, scenario, notes: int) -> None:
    texts = [scenario.title] + [s.text for s in scenario.steps] + [c.text for s in scenario.steps for c in s.choices]
    phrase = next(filter(None, map(sign, texts)), "")
    if not phrase:
        return
    file = page.file or module.path
    if not any(asks(t) for t in texts):
        ctx.diags.error(file, scenario.line, "suicide-not-asked",
                        f"in scenario '{scenario.id}' someone may be thinking about suicide "
                        f"(\"{phrase}\"), but nobody asks them directly",
                        "show the worker asking directly, for example \"Are you thinking about "
                        "suicide?\", and acting on the answer (content brief 9a)")
    if not notes:
        ctx.diags.warn(file, page.line, "suicide-no-content-note",
                       f"page '{page.id}' has a scenario in which someone may be thinking about "
                       "suicide, but no content note",
                       "add a '::: content-note' block at the top of the page")
