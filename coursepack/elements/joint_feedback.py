"""Feedback between services: a learner says which service they work in, whether it is a risk,
an improvement idea or good practice to share, and writes it; in Open edX, after moderation,
everyone on the course sees it (and staff reply "you said, we did").

Syntax: ``::: joint-feedback {#jf-id max=1500 services="Mental health|Substance use|Both|Other"}``,
an optional introduction, then ``:::``.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from . import share
from .kind import PRIVATE, Kind

CATEGORIES = (("risk", "A risk"), ("improvement", "An improvement idea"), ("good-practice", "Good practice to share"))


@dataclass(frozen=True)
class JointFeedback:
    id: str
    prompt: str = ""
    services: tuple[str, ...] = share.DEFAULT_SERVICES
    max_length: int = 1500
    line: int = 0
    kind: str = field(default="joint_feedback", init=False)
    title = "Feedback between services"

    @property
    def fields(self) -> tuple[share.Field, ...]:
        return (share.service_field(self.services, "The service you work in"),
                share.Field("category", "What kind of feedback is it?", "choice", CATEGORIES),
                share.Field("text", "Your feedback"), share.MONTH)


def read(p, block, ident, options, line, body):
    return JointFeedback(ident, p.text(body), share.read_services(p, options, line),
                         p.int_option(options, "max", line, 200, 5000, 1500), line.no)


KIND = Kind("joint_feedback", JointFeedback, texts=lambda e: iter((e.prompt,)), read=read, id_prefix="jf",
            role=PRIVATE, blocks={"joint-feedback": ("max", "services")}, template="widgets/share.html",
            key_group="reflections", key=share.key, label=lambda e, n: "Feedback between services",
            strings=(*share.STRINGS, *share.FORM_STRINGS, *(l for _, l in CATEGORIES), 'The service you work in', 'What kind of feedback is it?', 'Your feedback'))
