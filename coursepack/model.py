"""The immutable content model: Pack → Module → Section → Page → elements.

Every delivery reads these objects; none parses Markdown itself. Text fields hold the author's
Markdown source; ``markdown_html.render`` turns it into sanitised HTML. Stateful elements carry
the author's explicit ids, which are the spine of learner state (see ``completion``).
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Iterator, NamedTuple, Optional, Union

from . import elements
from .elements.callout import CALLOUT_KINDS, Callout  # noqa: F401  (the model's element kinds)
from .elements.confidence import Confidence, Statement  # noqa: F401
from .elements.kind import fingerprint  # noqa: F401
from .elements.prose import Prose  # noqa: F401
from .elements.question import QUESTION_TYPES, Option, Question  # noqa: F401
from .elements.reflection import Reflection  # noqa: F401
from .elements.scenario import Choice, Scenario, Step  # noqa: F401

# The pack's own pathway levels. They echo the NTTP's first three levels in name only: the pack
# awards no NTTP level, so the values must never read as one (no "trauma-" prefix).
LEVELS = ("informed", "skilled", "enhanced")
_DRAFT = re.compile(r"\bdraft\b", re.I)

# Any element of a kind in the registry (``coursepack.elements.KINDS``).
Element = Union[elements.MODELS]


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

    # The module's elements of one kind, in page order: what the catalogue counts, the SCORM
    # package lists for its interactions, and the tests walk.
    questions = property(lambda self: tuple(self.elements(Question)))
    reflections = property(lambda self: tuple(self.elements(Reflection)))
    scenarios = property(lambda self: tuple(self.elements(Scenario)))
    confidence_checks = property(lambda self: tuple(self.elements(Confidence)))

    @property
    def graded(self) -> tuple[Element, ...]:
        """The knowledge checks of every graded kind: what completion waits for and the score weighs."""
        kinds = {k.name for k in elements.with_role(elements.GRADED)}
        return tuple(e for e in self.elements() if e.kind in kinds)


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
    """A route through the pack for one role: its modules in order, at a level in the pack's own
    words (never a framework's level), for the catalogue, certificates and the learning record."""
    role: str
    level: str
    description: str
    modules: tuple[str, ...]


class CourseKey(NamedTuple):
    """The parts of the Open edX course key (``course-v1:org+number+run``), from pack.yml."""
    org: str
    number: str
    run: str


@dataclass(frozen=True)
class Pack:
    """The whole content pack: pack.yml's settings and every module, as every delivery reads it."""
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
    min_learners: int = 5   # the fewest learners behind a figure in a report (never fewer than 5)

    def module(self, module_id: str) -> Optional[Module]:
        return next((m for m in self.modules if m.id == module_id), None)

    def glossary_for(self, module: Module) -> dict[str, str]:
        """The pack glossary with the module's own terms added (module wins)."""
        terms = {k.lower(): v for k, v in self.glossary}
        terms.update({k.lower(): v for k, v in module.glossary})
        return terms

