"""What the two "share with others" kinds (learning reviews, joint feedback) have in common:
their form is data (fields, each a text, a choice or a month), so one widget (this folder's
``widget.html``, ``widget.js`` and ``widget.css``) and one set of server checks serve both. This
folder is no kind itself: each kind is a folder of its own that makes its record with
``form_kind``.

They are ``PRIVATE`` like reflections: never counted for completion. In Open edX the learner
sends them for moderation; in SCORM and the preview they stay a private template on the device
(kept with the reflections, so they leave it only if the learner opts in).
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import ClassVar

from ... import markdown_html as md, sharing_rules
from ..kind import PrivateKind, Stateful

DEFAULT_SERVICES = ("Mental health", "Substance use", "Both", "Other")
MAX_SERVICES = 12


@dataclass(frozen=True)
class Field:
    """One part of the form: ``type`` is "text" (free text, identifier-checked), "choice" (one of
    ``options``: (value, label) pairs) or "month" (``YYYY-MM``: never a day)."""
    name: str
    label: str
    type: str = "text"
    options: tuple[tuple[str, str], ...] = ()
    hint: str = ""


@dataclass(frozen=True)
class ShareForm(Stateful):
    """What both kinds hold: an optional introduction, the services a learner chooses from and
    the longest text; each kind adds its ``kind``, ``title`` and ``form`` (its fields, the
    service choice among them listing no services: each element fills in its own)."""
    form: ClassVar[tuple[Field, ...]] = ()
    prompt: str = ""
    services: tuple[str, ...] = DEFAULT_SERVICES
    max_length: int = 1500

    @property
    def fields(self) -> tuple[Field, ...]:
        return tuple(replace(f, options=tuple((s, s) for s in self.services)) if f.name == "service" else f
                     for f in self.form)


def read_services(p, options, line) -> tuple[str, ...]:
    """``services="Mental health|Substance use|Both|Other"`` (the default): the services a
    learner chooses from; 2 to 12 of them, each at most 60 characters."""
    if "services" not in options:
        return DEFAULT_SERVICES
    found = tuple(s.strip() for s in options["services"].split("|") if s.strip())
    if not 2 <= len(found) <= MAX_SERVICES or any(len(s) > 60 for s in found) or len(set(found)) != len(found):
        p.diags.error(line.file, line.no, "bad-option", "'services' must list 2 to 12 different services",
                      'write them between quotes, split by "|": services="Mental health|Substance use|Both|Other"')
        return DEFAULT_SERVICES
    return found


def service_field(label: str) -> Field:
    """The choice of service, under the kind's own label; its choices are each element's services."""
    return Field("service", label, "choice")


MONTH = Field("month", "Month (never a date)", "month", hint="For example 2026-03.")


def key(e) -> dict:
    """The element's entry among the module's reflections (the shell keeps it with them, on the
    device): its longest text as labelled fields, and its prompt."""
    room = sum(e.max_length + len(f.label) + 4 for f in e.fields)
    return {"max": room, "prompt": md.render(e.prompt or e.title)}


STRINGS = (
    "{field}, line {line}: {why}. Remove it and try again; your text is kept.",
    "Tick the box to say you have removed anything that could identify someone.",
    "Fill in: {field}.", "{field}: {say}", "Sent for moderation. Only course staff who moderate can see it is yours.",
    "Saved on this device.",
)
# The form's own words (labels and choices are data, so the catalogues get them from here).
FORM_STRINGS = (*DEFAULT_SERVICES, MONTH.label, MONTH.hint, "Share the learning from an event",
                "Feedback between services", *(r.message for r in sharing_rules.identifier_rules()),
                *(r.message for r in sharing_rules.no_blame_rules()))


MONTH_PATTERN = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
CONFIRM = "I have removed anything that could identify a person, a team member or the place"


@dataclass(frozen=True)
class Checked:
    """A submission, read: the clean values, or why it cannot be sent (``refused``: (field,
    reason) pairs; ``identifiers``: likely identifiers, each with its field and line); the
    no-blame ``prompts`` never stop it."""
    values: dict
    refused: tuple[tuple[str, str], ...]
    identifiers: tuple[sharing_rules.Finding, ...]
    prompts: tuple[sharing_rules.Finding, ...]

    @property
    def ok(self) -> bool:
        return not self.refused and not self.identifiers


def check(e, values: dict, confirmed: bool, today: dt.date | None = None) -> Checked:
    """Check a submission against the element's form, as both the server and the browser do:
    every field filled in and of its type, no text longer than the element allows, a month that
    is not in the future, no likely identifier, and the "I have removed ..." box ticked."""
    today = today or dt.date.today()
    refused, clean = [], {}
    for f in e.fields:
        value = values.get(f.name)
        if not isinstance(value, str) or not value.strip():
            refused.append((f.name, f"fill in '{f.label}'"))
            continue
        value = value.strip()
        if f.type == "text":
            if len(value) > e.max_length:
                refused.append((f.name, f"'{f.label}' is longer than {e.max_length} characters"))
            elif "\x00" in value:
                refused.append((f.name, f"'{f.label}' contains a NUL character"))
        elif f.type == "choice" and value not in {v for v, _ in f.options}:
            refused.append((f.name, f"'{f.label}' must be one of: " + ", ".join(v for v, _ in f.options)))
        elif f.type == "month":
            m = MONTH_PATTERN.match(value)
            if not m or not 2000 <= int(m.group(1)) or (int(m.group(1)), int(m.group(2))) > (today.year, today.month):
                refused.append((f.name, f"'{f.label}' must be a month up to this one, written YYYY-MM (never a day)"))
        clean[f.name] = value
    texts = {f.name: clean.get(f.name, "") for f in e.fields if f.type == "text"}
    if not confirmed:
        refused.append(("confirm", f"tick '{CONFIRM}'"))
    return Checked(clean, tuple(refused), tuple(sharing_rules.identifiers(texts)), tuple(sharing_rules.blame_prompts(texts)))


def describe(e, finding: sharing_rules.Finding) -> str:
    """"<field label>, line N: <why>" for a learner."""
    label = next((f.label for f in e.fields if f.name == finding.field), finding.field)
    return f"{label}, line {finding.line}: {finding.message}"


def form_kind(cls, block: str, id_prefix: str) -> PrivateKind:
    """The registry entry of a share-with-others kind: ``::: <block> {#id max=… services="…"}``
    and an optional introduction; the same widget, key and checks for every such kind. Its
    translatable words are its form's labels and choices."""
    strings = tuple(dict.fromkeys(w for f in cls.form for w in (f.label, f.hint, *(l for _, l in f.options)) if w))

    def read(p, _block, ident, options, line, body):
        return cls(ident, p.text(body), read_services(p, options, line),
                   p.int_option(options, "max", line, 200, 5000, 1500), line=line.no)

    return PrivateKind(name=cls.kind, model=cls, texts=lambda e: iter((e.prompt,)), read=read, id_prefix=id_prefix,
                       blocks={block: ("max", "services")}, key_group="reflections", key=key,
                       label=lambda e, n: cls.title, strings=(*STRINGS, *FORM_STRINGS, *strings),
                       files=Path(__file__).parent)

