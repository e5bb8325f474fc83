"""The immutable content model: Pack → Module → Section → Page → elements.

Every delivery reads these objects; none parses Markdown itself. Text fields hold the author's
Markdown source; ``markdown_html.render`` turns it into sanitised HTML. Stateful elements carry
the author's explicit ids, which are the spine of learner state (see ``completion``).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from typing import Iterator, Optional, Union

QUESTION_TYPES = ("single", "multiple", "truefalse")
CALLOUT_KINDS = ("key-point", "lived-experience", "content-note", "pause")
# The pack's own practice levels. They echo the NTTP's first three levels in name only: the pack
# awards no NTTP level, so the values must never read as one (no "trauma-" prefix).
LEVELS = ("informed", "skilled", "enhanced")
_DRAFT = re.compile(r"\bdraft\b", re.I)


@dataclass(frozen=True)
class Prose:
    markdown: str
    line: int = 0
    kind: str = field(default="prose", init=False)


@dataclass(frozen=True)
class Callout:
    style: str          # one of CALLOUT_KINDS
    markdown: str
    by: str = ""        # attribution of a lived-experience voice
    line: int = 0
    kind: str = field(default="callout", init=False)


@dataclass(frozen=True)
class Option:
    id: str
    text: str
    correct: bool
    feedback: str = ""
    line: int = 0


@dataclass(frozen=True)
class Question:
    id: str
    type: str           # one of QUESTION_TYPES
    prompt: str
    options: tuple[Option, ...]
    explanation: str = ""
    attempts: int = 0   # 0 = unlimited
    weight: float = 1.0
    line: int = 0
    kind: str = field(default="question", init=False)

    @property
    def correct_ids(self) -> tuple[str, ...]:
        return tuple(o.id for o in self.options if o.correct)

    def option(self, option_id: str) -> Optional[Option]:
        return next((o for o in self.options if o.id == option_id), None)

    @property
    def fingerprint(self) -> str:
        """What an answer means (option ids and which are right), never the wording."""
        return fingerprint(self.type, *(f"{o.id}{'+' if o.correct else '-'}" for o in self.options))


@dataclass(frozen=True)
class Reflection:
    id: str
    prompt: str
    max_length: int = 2000
    line: int = 0
    kind: str = field(default="reflection", init=False)


@dataclass(frozen=True)
class Choice:
    id: str
    text: str
    target: str
    feedback: str = ""
    line: int = 0


@dataclass(frozen=True)
class Step:
    id: str
    title: str
    text: str
    choices: tuple[Choice, ...] = ()
    ending: bool = False
    line: int = 0


@dataclass(frozen=True)
class Scenario:
    id: str
    title: str
    steps: tuple[Step, ...]
    line: int = 0
    kind: str = field(default="scenario", init=False)

    @property
    def start(self) -> Step:
        return self.steps[0]

    def step(self, step_id: str) -> Optional[Step]:
        return next((s for s in self.steps if s.id == step_id), None)

    @property
    def fingerprint(self) -> str:
        return fingerprint(*(f"{s.id}:{','.join(c.id + '>' + c.target for c in s.choices)}"
                             for s in self.steps))


@dataclass(frozen=True)
class Statement:
    id: str
    text: str
    line: int = 0


@dataclass(frozen=True)
class Confidence:
    id: str
    prompt: str
    statements: tuple[Statement, ...]
    after: str = ""     # id of the "before" check this one repeats
    scale: int = 5
    line: int = 0
    kind: str = field(default="confidence", init=False)

    @property
    def fingerprint(self) -> str:
        return fingerprint(str(self.scale), *(s.id for s in self.statements))


Element = Union[Prose, Callout, Question, Reflection, Scenario, Confidence]


@dataclass(frozen=True)
class Page:
    id: str
    title: str
    elements: tuple[Element, ...]
    file: str = ""
    line: int = 0


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    pages: tuple[Page, ...]
    line: int = 0


@dataclass(frozen=True)
class Source:
    key: str
    title: str
    publisher: str
    year: Optional[int] = None
    url: str = ""


@dataclass(frozen=True)
class Module:
    id: str
    title: str
    summary: str
    duration: int
    level: str
    audience: tuple[str, ...]
    outcomes: tuple[str, ...]
    pass_mark: int
    sources: tuple[Source, ...]
    reviewed_by: str
    reviewed_on: dt.date
    review_due: dt.date
    version: str
    language: str
    sections: tuple[Section, ...]
    keywords: tuple[str, ...] = ()
    content_note: str = ""
    glossary: tuple[tuple[str, str], ...] = ()
    path: str = ""

    @property
    def pages(self) -> tuple[Page, ...]:
        return tuple(p for s in self.sections for p in s.pages)

    @property
    def review_is_draft(self) -> bool:
        """No named reviewer has signed the module off yet ('reviewed_by' says draft)."""
        return bool(_DRAFT.search(self.reviewed_by))

    @property
    def review_line(self) -> str:
        """What learners are told about review: nothing until a named reviewer has approved it."""
        if self.review_is_draft:
            return f"Version {self.version}."
        return (f"Reviewed by {self.reviewed_by} on {self.reviewed_on}. "
                f"Next review due {self.review_due}. Version {self.version}.")

    def elements(self, cls=None) -> Iterator[Element]:
        for page in self.pages:
            for element in page.elements:
                if cls is None or isinstance(element, cls):
                    yield element

    @property
    def questions(self) -> tuple[Question, ...]:
        return tuple(self.elements(Question))

    @property
    def reflections(self) -> tuple[Reflection, ...]:
        return tuple(self.elements(Reflection))

    @property
    def scenarios(self) -> tuple[Scenario, ...]:
        return tuple(self.elements(Scenario))

    @property
    def confidence_checks(self) -> tuple[Confidence, ...]:
        return tuple(self.elements(Confidence))


@dataclass(frozen=True)
class SupportLine:
    name: str
    contact: str
    offers: str
    hours: str = ""
    url: str = ""
    textphone: str = ""
    source: str = ""
    checked_on: Optional[dt.date] = None
    check_before_publishing: str = ""   # for publishers only; never shown to learners


@dataclass(frozen=True)
class Pathway:
    role: str
    level: str
    description: str
    modules: tuple[str, ...]


@dataclass(frozen=True)
class CourseKey:
    org: str
    number: str
    run: str


@dataclass(frozen=True)
class Pack:
    title: str
    publisher: str
    language: str
    course: CourseKey
    pass_mark: int
    reading_age_target: float
    support_lines: tuple[SupportLine, ...]
    glossary: tuple[tuple[str, str], ...]
    pathways: tuple[Pathway, ...]
    modules: tuple[Module, ...]
    root: str = ""
    release: bool = False   # set only by ``build --release``; otherwise pages say "Preview"

    def module(self, module_id: str) -> Optional[Module]:
        return next((m for m in self.modules if m.id == module_id), None)

    def glossary_for(self, module: Module) -> dict[str, str]:
        """The pack glossary with the module's own terms added (module wins)."""
        terms = {k.lower(): v for k, v in self.glossary}
        terms.update({k.lower(): v for k, v in module.glossary})
        return terms


def fingerprint(*parts: str) -> str:
    """A short, stable digest of what an element's saved state means."""
    return hashlib.sha1("|".join(parts).encode()).hexdigest()[:6]
