"""Language: stigmatising words in learner-facing text, each with the kinder alternative.

The rules are data (``language_rules.yml``, one rule per row of the pack's language table) so
that reviewers can change them without reading code. A word is judged by its context ("childhood
abuse" is right, "drug abuse" is not), so rules match phrases, and a module's lines are joined
before matching so a phrase wrapped over two lines is still found. Text a learner never reads
(link targets, URLs, ids, HTML comments) is hidden first, and authors can fence off a deliberate
"words to avoid" table between ``<!-- cg:allow-terms -->`` and ``<!-- cg:end-allow-terms -->``.
"""
from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

RULES_FILE = Path(__file__).with_name("language_rules.yml")
ALLOW_START = re.compile(r"^\s*<!--\s*cg:allow-terms\s*-->\s*$")
ALLOW_END = re.compile(r"^\s*<!--\s*cg:end-allow-terms\s*-->\s*$")
# What a learner never reads: whole comments, link targets, bare URLs, and the #ids and .classes
# inside {...} (a title="..." there is shown, so it stays). PLAIN drops emphasis marks and
# straightens quotes, so "**clean**" and "he’s" read as words.
HIDDEN = re.compile(r"<!--.*?-->|\]\([^)]*\)|<?(?:https?://|www\.)[^\s)>\]]*>?")
ATTRS = re.compile(r"\{[^{}]*\}")
ATTR_NAME = re.compile(r"(?<![^\s{])[#.][\w-]+")
PLAIN = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "*": None, "_": None, "`": None})


@dataclass(frozen=True)
class Rule:
    pattern: re.Pattern
    contested: bool
    hint: str


def _compile(patterns: list[str], parts: dict[str, str]) -> re.Pattern:
    """One regex for a list of phrases: whole words only, case-insensitive, {part}s filled in."""
    filled = [re.sub(r"\{([a-z]+)\}", lambda m: parts[m.group(1)], p) for p in patterns]
    return re.compile(r"(?<![\w-])(?:" + "|".join(filled) + r")(?![\w-])", re.I | re.M)


def _hint(spec: dict) -> str:
    say = spec.get("say")
    advice = spec.get("advice") or "say " + " or ".join(
        f"'{s}'" for s in ([say] if isinstance(say, str) else say)) + " instead"
    if spec.get("contested"):
        advice = "people disagree about this word: ask the person, or " + advice
    return f"{advice} (source {spec['source']})"


def load_rules() -> tuple[list[Rule], re.Pattern]:
    data = yaml.safe_load(RULES_FILE.read_text(encoding="utf-8"))
    parts = data["parts"]
    rules = [Rule(_compile(spec["match"], parts), bool(spec.get("contested")), _hint(spec))
             for spec in data["rules"]]
    return rules, _compile(data["allow"], parts)


RULES, ALLOWED = load_rules()


def _visible(text: str, in_comment: bool) -> tuple[str, bool]:
    """The words a learner reads on one line, and whether an HTML comment runs on past it."""
    if in_comment:
        end = text.find("-->")
        if end < 0:
            return "", True
        text = text[end + 3:]
    text, opens, _ = HIDDEN.sub(" ", text).partition("<!--")
    text = ATTRS.sub(lambda m: ATTR_NAME.sub(" ", m.group()), text)
    return " ".join(text.translate(PLAIN).split()), bool(opens)


def _joined(lines, diags) -> tuple[str, list[int]]:
    """A file's visible text as one string (a blank line becomes a line break) and where each
    line starts in it; lines between allow markers are left out."""
    texts, opened, in_comment = [], None, False
    for line in lines:
        if ALLOW_START.match(line.text):
            opened, text = opened or line, ""
        elif ALLOW_END.match(line.text):
            opened, text = None, ""
        elif opened:
            text = ""
        else:
            text, in_comment = _visible(line.text, in_comment)
        texts.append(text or "\n")
    if opened:
        diags.error(opened.file, opened.no, "unclosed-allow-marker",
                    "'<!-- cg:allow-terms -->' is never closed, so no word after it is checked",
                    "add a line '<!-- cg:end-allow-terms -->' after the words to allow")
    starts = list(itertools.accumulate((len(t) + 1 for t in texts[:-1]), initial=0))
    return " ".join(texts), starts


def find_terms(text: str) -> list[tuple[re.Match, Rule]]:
    """Every flagged phrase in ``text``: where two rules match the same words, the longer match
    wins, then the non-contested rule; anything inside an allowed official name is left alone."""
    allowed = [m.span() for m in ALLOWED.finditer(text)]
    found = [(m, rule, i) for i, rule in enumerate(RULES) for m in rule.pattern.finditer(text)
             if not any(a <= m.start() and m.end() <= b for a, b in allowed)]
    found.sort(key=lambda f: (f[0].start(), -f[0].end(), f[1].contested, f[2]))
    kept, end = [], -1
    for match, rule, _ in found:
        if match.start() >= end:
            kept.append((match, rule))
            end = match.end()
    return kept


def check(ctx) -> None:
    for module in ctx.result.pack.modules:
        lines = ctx.result.sources[module.id].lines
        for _, file_lines in itertools.groupby(lines, key=lambda l: l.file):
            file_lines = list(file_lines)
            text, starts = _joined(file_lines, ctx.diags)
            for match, rule in find_terms(text):
                line = file_lines[bisect.bisect_right(starts, match.start()) - 1]
                phrase = " ".join(match.group().split()).lower()
                if rule.contested:
                    ctx.diags.warn(line.file, line.no, "contested-term", f"contested term '{phrase}'", rule.hint)
                else:
                    ctx.diags.error(line.file, line.no, "stigmatising-term", f"stigmatising term '{phrase}'", rule.hint)
