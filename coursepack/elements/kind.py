"""What a kind of element must provide, by its completion role, checked when the kind is made.

A kind is one folder (a Python package) and one ``commonground.kinds`` entry point naming its
``KIND``. The folder holds everything of the kind: ``__init__.py`` its model (frozen dataclasses),
its ``:::`` syntax and checks with their lint codes, the texts a learner is shown, its role and,
for a graded kind, how SCORM records an answer; ``widget.html`` its markup (Jinja2, the same in
every delivery); ``widget.js`` its widget, which registers itself with ``CommonGround.kinds``;
``shell.js`` its part of the module shell of SCORM packages and the preview (its judge, its part
of the saved state), which Open edX pages never load; ``widget.css`` its styles. The player's
files are put together from the folders (``coursepack.player``).

The record is one of four classes, one per role, each asking for what that role needs and no
more: ``ContentKind`` (read, never tracked), ``GradedKind`` (answered for completion, weighed
in the score), ``TrackedKind`` (saved for the learner, never graded) and ``PrivateKind`` (the
learner's own words: never counted, sent only with consent). A missing field is a ``TypeError``
and a wrong one a ``KindError`` as the module defining ``KIND`` is imported, before any pack is
read. The record holds data and small functions; it imports no delivery.
"""
from __future__ import annotations

import hashlib
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, ClassVar, Iterable, Iterator, Mapping, Optional

from .. import markdown_html as md
from ..attrs import ID_PATTERN
from ..diagnostics import KindError

# Completion roles: how the one completion rule treats an element of the kind.
CONTENT = "content"      # read, never tracked (prose, callouts)
GRADED = "graded"        # a knowledge check: answered for completion, weighted in the score
TRACKED = "tracked"      # saved for the learner, never graded (scenario paths, confidence ratings)
PRIVATE = "private"      # the learner's own words: never counted, sent only with consent

#: The files a kind's folder may hold besides ``__init__.py`` (see the module docstring).
TEMPLATE, SCRIPT, SHELL_SCRIPT, STYLE = "widget.html", "widget.js", "shell.js", "widget.css"


def fingerprint(*parts: str) -> str:
    """A short, stable digest of what an element's saved state means."""
    return hashlib.sha1("|".join(parts).encode()).hexdigest()[:6]


@dataclass(frozen=True, kw_only=True)
class Element:
    """What an element of any kind is: a frozen dataclass (the model is immutable, so a parse
    can be shared and cached) that knows the line its block starts on (0 when it was made, not
    read) and its kind's name (``kind``, set by each model)."""
    kind: ClassVar[str] = ""
    line: int = 0


@dataclass(frozen=True)
class Stateful(Element):
    """An element that keeps learner state, under its author's ``id``."""
    id: str


@dataclass(frozen=True, kw_only=True)
class Check(Stateful):
    """What a knowledge check of any graded kind holds, for every delivery to grade it alike:
    besides its ``prompt``, its ``fingerprint`` (what an answer means), its ``parts`` (the
    options or items a learner answers with, each with its feedback) and the ids of a right
    answer (``correct_ids``), the ``explanation`` shown with the verdict, its ``attempts`` (0:
    unlimited) and ``weight``."""
    parts_field: ClassVar[str]      # the field that holds the parts
    explanation: str = ""
    attempts: int = 0
    weight: float = 1.0

    @property
    def parts(self) -> tuple:
        return getattr(self, self.parts_field)

    @property
    def correct_ids(self) -> tuple[str, ...]:
        raise NotImplementedError

    def option(self, answer_id: str):
        """The part with that id, or None."""
        return next((p for p in self.parts if p.id == answer_id), None)

    def texts(self) -> Iterator[str]:
        """What a learner is shown: the prompt, each part's text and feedback, the explanation."""
        yield self.prompt
        for p in self.parts:
            yield p.text
            yield p.feedback
        yield self.explanation

    def key(self, **head) -> dict:
        """The check's entry in the player's module key: ``head`` (its type), then what the
        shell needs to judge an answer and show its feedback without a server."""
        return {**head, "fp": self.fingerprint, "weight": self.weight, "attempts": self.attempts,
                "prompt": md.render(self.prompt), "correct": list(self.correct_ids),
                "options": {p.id: {"text": md.render_inline(p.text), "feedback": md.render(p.feedback)}
                            for p in self.parts},
                "explanation": md.render(self.explanation)}


@dataclass(frozen=True)
class Part:
    """A piece of an element its author writes on a line of its own (an option, an item to put
    in order, a statement to rate, a scenario's step or choice): its id, its Markdown, that line."""
    id: str
    text: str
    line: int = field(default=0, kw_only=True)


@dataclass(frozen=True)
class Answer:
    """One answer id of a graded element, for reports: its id, its text and what "correct"
    means for it (``yes``/``no`` for an option, ``place 2`` for an item to put in order)."""
    id: str
    text: str
    correct: str


@dataclass(frozen=True, kw_only=True)
class Kind:
    """What every kind provides.

    ``texts(element)`` yields every Markdown text of the element a learner is shown, in reading
    order (glossary, readability and rendering use it). ``blocks`` maps each ``:::`` name the kind
    reads to the options it takes (none for prose, which has no syntax), and
    ``read(parser, block, ident, options, line, body)`` builds the element from such a block
    (``parser`` is ``coursepack.parse.BodyParser``, which records problems). ``codes`` are the
    lint codes ``read`` raises that are the kind's own, with what each means (``lint --help``
    lists them under the kind). ``strings`` are the texts its widget script shows, which each host
    translates and hands to the player. ``needs(element)`` names another element of the module
    this one is made complete from ("" for none) and ``link(element, found, report)`` completes
    it from ``found`` (id → element), calling ``report(code, message, hint)`` when it cannot.
    ``files`` is the folder of its widget files (default: the folder of its model's module).
    ``learners`` says whether learners are shown it: a kind for other readers (notes for the
    people who lead a session, which the facilitator kit uses) sets it False. No e-learning
    delivery renders such an element or holds its Markdown (an Open edX block), it does not split
    the prose around it, and its ``texts`` (none) count for no learner check (glossary,
    readability); lint reads its lines like any other (the language table).
    ``facts(module, pack)`` is what its widget needs of its module and pack, the same for every
    learner (a record of learning's module, version and time), which each host hands the widget
    as ``ctx.facts[<kind name>]``: the shell in its page data, Open edX from the block's settings.
    """
    role: ClassVar[str] = CONTENT
    stateful: ClassVar[bool] = False
    model_base: ClassVar[type] = Element

    name: str
    model: type
    texts: Callable[[Any], Iterable[str]]
    blocks: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    read: Optional[Callable] = None
    codes: Mapping[str, str] = field(default_factory=dict)
    strings: tuple[str, ...] = ()
    needs: Optional[Callable[[Any], str]] = None
    link: Optional[Callable[[Any, Mapping[str, Any], Callable], Any]] = None
    files: Optional[Path] = None
    learners: bool = True
    facts: Optional[Callable[[Any, Any], dict]] = None

    def __post_init__(self):
        if type(self) in (Kind, StatefulKind):
            self._refuse("make it a ContentKind, GradedKind, TrackedKind or PrivateKind")
        if not ID_PATTERN.match(self.name.replace("_", "-")):
            self._refuse("its name must be lower-case letters, digits and '_'")
        if not (isinstance(self.model, type) and issubclass(self.model, self.model_base)):
            self._refuse(f"its model must be a dataclass deriving from {self.model_base.__module__}.{self.model_base.__name__}")
        if self.model.kind != self.name:
            self._refuse(f"its model {self.model.__name__} must have kind = {self.name!r}")
        if self.blocks and not callable(self.read):
            self._refuse("it has ':::' blocks but no read(parser, block, ident, options, line, body)")
        if (self.needs is None) != (self.link is None):
            self._refuse("'needs' and 'link' go together")
        for name in self._required():
            if not callable(getattr(self, name)):
                self._refuse(f"a {self.role} kind must provide {name}()")
        if not self.learners and self.stateful:
            self._refuse("learner state is for what learners are shown: a kind not for learners keeps none")
        if self.stateful and not issubclass(self.model, Stateful):
            self._refuse(f"a {self.role} kind's model must derive from {__name__}.Stateful: learner state is kept under its id")
        if self.stateful and not (self.folder / TEMPLATE).is_file():
            self._refuse(f"a {self.role} kind must have its widget markup in {self.folder / TEMPLATE}")

    def _required(self) -> tuple[str, ...]:
        return ("texts",)

    def _refuse(self, why: str):
        raise KindError(f"element kind '{self.name}': {why}")

    @property
    def folder(self) -> Path:
        """Where the kind's widget files are."""
        return Path(self.files or Path(sys.modules[self.model.__module__].__file__).parent)

    def file(self, name: str) -> Optional[Path]:
        """One of the kind's widget files (``TEMPLATE``, ``SCRIPT``, ...), or None without one."""
        path = self.folder / name
        return path if path.is_file() else None

    @property
    def template(self) -> str:
        """The name its markup has in the renderer's templates ("" for prose: no markup of its own)."""
        return f"{self.name}/{TEMPLATE}" if self.file(TEMPLATE) else ""


@dataclass(frozen=True, kw_only=True)
class ContentKind(Kind):
    """Read, never tracked: it keeps no state and takes no ``#id``."""


@dataclass(frozen=True, kw_only=True)
class StatefulKind(Kind):
    """What a kind whose elements keep learner state provides besides: ``id_prefix`` (an element's
    id is suggested as ``<prefix>-<words>``), ``key(element)`` its entry in the player's module
    key, under ``key_group``, and ``label(element, n)``, a name for the n-th element of the kind
    in its module for people (a course outline), in English; the host translates it."""
    stateful: ClassVar[bool] = True

    id_prefix: str
    key_group: str
    key: Callable[[Any], dict]
    label: Callable[[Any, int], str]

    def _required(self) -> tuple[str, ...]:
        return (*super()._required(), "read", "key", "label")


@dataclass(frozen=True, kw_only=True)
class GradedKind(StatefulKind):
    """A knowledge check. ``judge(element, answer)`` → ``{"correct", "right", "feedback"}`` (the ids
    judged right and the Markdown feedback for the answer, for every delivery alike);
    ``refuse(element, answer)`` → why an answer is not one for this element ("" when it is);
    ``interaction(element, version)`` → how SCORM ``version`` ("1.2" or "2004") records an answer
    (``{"type": ..., "tokens": {answer id: token}}``); ``answers(element)`` → its ``Answer`` rows
    and ``type_of(element)`` → what sort of check it is, for coordinators' reports."""
    role: ClassVar[str] = GRADED
    model_base: ClassVar[type] = Check

    judge: Callable[[Any, Any], dict]
    refuse: Callable[[Any, Any], str]
    interaction: Callable[[Any, str], dict]
    answers: Callable[[Any], Iterable[Answer]]
    type_of: Callable[[Any], str]

    def _required(self) -> tuple[str, ...]:
        return (*super()._required(), "judge", "refuse", "interaction", "answers", "type_of")


@dataclass(frozen=True, kw_only=True)
class TrackedKind(StatefulKind):
    """Saved for the learner so they come back where they were, never graded: its widget script
    brings its part of the saved state (``shell.js``)."""
    role: ClassVar[str] = TRACKED


@dataclass(frozen=True, kw_only=True)
class PrivateKind(StatefulKind):
    """The learner's own words: kept on the device (sent to a host only with consent), never
    counted; saved with the reflections."""
    role: ClassVar[str] = PRIVATE
