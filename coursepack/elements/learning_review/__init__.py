"""Share the learning from an event: a no-blame template for what a team learned from an adverse
event, for other staff to learn from (in Open edX, after moderation).

Syntax: ``::: learning-review {#lr-id max=1500 services="Mental health|Substance use|Both|Other"}``,
an optional introduction, then ``:::``. The form is always the same: what happened (brief,
de-identified), what helped, what got in the way (systems, not people), what we are changing,
one thing others can take back, the kind of service and the month (never a date, place or name).
"""
from __future__ import annotations

from dataclasses import dataclass

from .. import share

TEXTS = (
    ("happened", "What happened (brief, with nothing that could identify anyone)"),
    ("helped", "What helped"),
    ("hindered", "What got in the way (systems, not people)"),
    ("changing", "What we are changing"),
    ("takeaway", "One thing others can take back"),
)


@dataclass(frozen=True)
class LearningReview(share.ShareForm):
    kind = "learning_review"
    title = "Share the learning from an event"
    form = (*(share.Field(n, label) for n, label in TEXTS), share.service_field("Kind of service"), share.MONTH)


KIND = share.form_kind(LearningReview, "learning-review", "lr")
