"""Share the learning from an event: a no-blame template for what a team learned from an adverse
event, for other staff to learn from (in Open edX, after moderation).

Syntax: ``::: learning-review {#lr-id max=1500 services="Mental health|Substance use|Both|Other"}``,
an optional introduction, then ``:::``. The form is always the same: what happened (brief,
de-identified), what helped, what got in the way (systems, not people), what we are changing,
one thing others can take back, the kind of service and the month (never a date, place or name).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from . import share
from .kind import PRIVATE, Kind

TEXTS = (
    ("happened", "What happened (brief, with nothing that could identify anyone)"),
    ("helped", "What helped"),
    ("hindered", "What got in the way (systems, not people)"),
    ("changing", "What we are changing"),
    ("takeaway", "One thing others can take back"),
)


@dataclass(frozen=True)
class LearningReview:
    id: str
    prompt: str = ""
    services: tuple[str, ...] = share.DEFAULT_SERVICES
    max_length: int = 1500
    line: int = 0
    kind: str = field(default="learning_review", init=False)
    title = "Share the learning from an event"

    @property
    def fields(self) -> tuple[share.Field, ...]:
        return (*(share.Field(n, label) for n, label in TEXTS),
                share.service_field(self.services, "Kind of service"), share.MONTH)


def read(p, block, ident, options, line, body):
    return LearningReview(ident, p.text(body), share.read_services(p, options, line),
                          p.int_option(options, "max", line, 200, 5000, 1500), line.no)


KIND = Kind("learning_review", LearningReview, texts=lambda e: iter((e.prompt,)), read=read, id_prefix="lr",
            role=PRIVATE, blocks={"learning-review": ("max", "services")}, template="widgets/share.html",
            key_group="reflections", key=share.key, label=lambda e, n: "Share the learning from an event",
            strings=(*share.STRINGS, *share.FORM_STRINGS, *(l for _, l in TEXTS), 'Kind of service'))
