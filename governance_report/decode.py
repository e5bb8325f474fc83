"""Reading an LMS's answer tokens back to questions and options, per module version.

A SCORM package reports a knowledge check under its interaction id and an answer as a token:
in SCORM 1.2 a letter (the option's place), in 2004 the option's id made a short identifier
(``scorm_export``'s rule, ``lms_token`` here). The keys come from the pack itself
(``from_pack``) or from the coordinator kit's ``questions.csv`` of any version
(``from_questions_csv``), so exports of an older version can still be read.

Confidence ratings arrive as ``likert`` interactions, one per statement of a check, named as
the confidence kind names them (``rating_ids``, through ``confidence_ids``), with the rating as
the response (``rating``: ``1`` to ``9``, ``a`` for 10), or as the result when the response is
not a rating.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field, replace
from pathlib import Path

from coursepack import elements
from coursepack.completion import graded_sections
from coursepack.elements.confidence import Confidence, rating_ids
from coursepack.model import Pack
from coursepack.plaintext import plain_text

from .problems import InputProblem

QUESTIONS_COLUMNS = ("module", "module_version", "question_id", "interaction_id", "question_type",
                     "option_id", "scorm12_response", "scorm2004_response", "correct", "question", "option")
# Written since the report scores Open edX rows of a version it has no pack for; older files lack them.
SCORE_COLUMNS = ("weight", "section", "pass_mark")


def lms_token(ident: str) -> str:
    """An id as the SCORM packages write it in interaction data (scorm_export.package.token:
    ``-`` becomes ``_``; a test checks the two agree)."""
    return ident.replace("-", "_")


def _line(markdown: str) -> str:
    return " ".join(plain_text(markdown).split())


@dataclass
class Question:
    """One knowledge check of one module version: its answers and how each version writes them."""
    id: str
    text: str
    type: str
    options: dict[str, str] = field(default_factory=dict)          # option id → text
    correct: dict[str, str] = field(default_factory=dict)          # option id → "yes"/"no"/"place n"
    tokens12: dict[str, str] = field(default_factory=dict)         # SCORM 1.2 letter → option id
    tokens2004: dict[str, str] = field(default_factory=dict)       # SCORM 2004 token → option id

    def decode(self, response: str) -> tuple[str, ...] | None:
        """The option ids of a response, in order; None if any token is not this question's.
        Read as SCORM 1.2 first (the only version whose answers Moodle's Interactions report
        shows), then as 2004 (``[,]`` between tokens)."""
        if "[,]" not in response:
            found = tuple(self.tokens12.get(p.strip()) for p in response.split(",") if p.strip())
            if found and None not in found:
                return found
        found = tuple(self.tokens2004.get(p.strip()) for p in response.split("[,]") if p.strip())
        return None if not found or None in found else found

    def right(self, options: tuple[str, ...]) -> bool:
        """Whether these options (in this order) are the right answer."""
        if self.type == "order":
            return list(options) == sorted(self.options, key=lambda o: self.correct[o])
        return set(options) == {o for o, c in self.correct.items() if c == "yes"}

    def label(self, options: tuple[str, ...]) -> str:
        return "; ".join(self.options.get(o, o) for o in options)


@dataclass
class Statement:
    check: str          # the "before" check's id
    id: str
    text: str
    when: str           # "before" or "after"


@dataclass
class ModuleKey:
    """What one version of a module needs to read its exports."""
    module: str
    version: str
    title: str
    pass_mark: int | None
    questions: dict[str, Question] = field(default_factory=dict)     # interaction id → question
    statements: dict[str, Statement] = field(default_factory=dict)   # likert id → statement
    source: str = ""
    # What a score needs (``coursepack.completion``): question id → weight and → graded section.
    # Empty for a questions.csv written before it listed them: that version is not scored.
    weights: dict[str, float] = field(default_factory=dict)
    sections: dict[str, str] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return f"{self.title} (version {self.version})"


def confidence_ids(check: Confidence, before: Confidence | None = None) -> dict[str, tuple[str, str]]:
    """The likert interaction id of each statement of a (linked) confidence check, in the
    packages' token form, → (the "before" check's id, the statement's id). The naming is the
    confidence kind's own (``rating_ids``: ``<before check>.<statement>.<phase>``)."""
    if before is not None and check.after:
        check = replace(check, statements=before.statements)
    return {ident: (check.after or check.id, sid) for sid, ident in rating_ids(check, lms_token).items()}


def rating(response: str) -> int | None:
    """A likert response as the packages send it: ``1`` to ``9``, ``a`` for 10 (SCORM 1.2 allows
    one character); None for anything else."""
    text = response.strip()
    if text.isdigit():
        return int(text)
    return 10 if text == "a" else None


def from_pack(pack: Pack) -> list[ModuleKey]:
    keys = []
    for module in pack.modules:
        key = ModuleKey(module.id, module.version, module.title, module.pass_mark, source="the pack",
                        weights={q.id: float(q.weight) for q in module.graded}, sections=graded_sections(module))
        for check in module.graded:
            kind = elements.kind_of(check)
            q = Question(lms_token(check.id), _line(check.prompt), kind.type_of(check))
            for answer in kind.answers(check):
                q.options[answer.id] = _line(answer.text)
                q.correct[answer.id] = answer.correct
            q.tokens12 = {t: o for o, t in kind.interaction(check, "1.2")["tokens"].items()}
            q.tokens2004 = {lms_token(t): o for o, t in kind.interaction(check, "2004")["tokens"].items()}
            key.questions[q.id] = q
        key.statements = _statements(module)
        keys.append(key)
    return keys


def _statements(module) -> dict[str, Statement]:
    """The module's confidence statements by likert interaction id, before and after."""
    checks = {c.id: c for c in module.elements(Confidence)}
    found = {}
    for check in checks.values():
        before = checks.get(check.after) if check.after else check
        texts = {s.id: _line(s.text) for s in (before or check).statements}
        for ident, (first, sid) in confidence_ids(check, before).items():
            found[ident] = Statement(first, sid, texts.get(sid, sid), "after" if check.after else "before")
    return found


def from_questions_csv(path: Path, pack: Pack) -> list[ModuleKey]:
    """The keys a coordinator kit's questions.csv gives (any version of the pack's modules).
    Titles and confidence statements are the pack's, for the module of that id; weights,
    sections and the pass mark are the file's (``SCORE_COLUMNS``), where it lists them."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputProblem(path, f"cannot be read as the coordinator kit's questions.csv ({exc})",
                           "give dist/coordinator/questions.csv as 'commonground build' wrote it") from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    missing = [c for c in QUESTIONS_COLUMNS if c not in (reader.fieldnames or ())]
    if missing:
        raise InputProblem(path, f"is not a questions.csv: it has no {', '.join(missing)} column(s)",
                           "give dist/coordinator/questions.csv as 'commonground build' wrote it")
    scored = set(SCORE_COLUMNS) <= set(reader.fieldnames or ())
    modules = {m.id: m for m in pack.modules}
    keys: dict[tuple[str, str], ModuleKey] = {}
    for line, row in enumerate(reader, 2):
        module = modules.get(row["module"])
        ident = (row["module"], row["module_version"])
        if ident not in keys:
            keys[ident] = ModuleKey(row["module"], row["module_version"],
                                    module.title if module else row["module"],
                                    module.pass_mark if module else None, source=path.name)
            if module:
                keys[ident].statements = _statements(module)
        if scored:
            _score_cells(path, line, row, keys[ident])
        q = keys[ident].questions.setdefault(row["interaction_id"], Question(
            row["interaction_id"], row["question"], row["question_type"]))
        q.options[row["option_id"]] = row["option"]
        q.correct[row["option_id"]] = row["correct"]
        q.tokens12[row["scorm12_response"]] = row["option_id"]
        q.tokens2004[row["scorm2004_response"]] = row["option_id"]
    if not keys:
        raise InputProblem(path, "lists no questions", "give the questions.csv of the version the LMS ran")
    return list(keys.values())


def _score_cells(path: Path, line: int, row: dict, key: ModuleKey) -> None:
    """A row's weight, section and pass mark into its module version's key."""
    try:
        weight, pass_mark = float(row["weight"]), int(row["pass_mark"])
    except (TypeError, ValueError):
        weight = pass_mark = -1
    if not (0 < weight < 1e6 and 0 <= pass_mark <= 100 and row["section"]):
        raise InputProblem(path, f"line {line}: weight '{row['weight']}', section '{row['section']}' or pass mark "
                           f"'{row['pass_mark']}' is not one 'commonground build' writes",
                           "give dist/coordinator/questions.csv as 'commonground build' wrote it, unedited")
    key.weights[row["question_id"]] = weight
    key.sections[row["question_id"]] = row["section"]
    key.pass_mark = pass_mark


def match_score(key: ModuleKey, answers: list[tuple[str, str]]) -> float:
    """The share of (interaction id, response) pairs this module version can read."""
    if not answers:
        return 0.0
    good = 0
    for ident, response in answers:
        if ident in key.statements:
            good += response.strip() in {"1", "2", "3", "4", "5", "6", "7", "8", "9", "10"}
        elif ident in key.questions:
            good += key.questions[ident].decode(response) is not None
    return good / len(answers)
