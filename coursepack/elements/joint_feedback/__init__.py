"""Feedback between services: a learner says which service they work in, whether it is a risk,
an improvement idea or good practice to share, and writes it; in Open edX, after moderation,
everyone on the course sees it (and staff reply "you said, we did").

Syntax: ``::: joint-feedback {#jf-id max=1500 services="Mental health|Substance use|Both|Other"}``,
an optional introduction, then ``:::``.
"""
from __future__ import annotations

from dataclasses import dataclass

from .. import share

CATEGORIES = (("risk", "A risk"), ("improvement", "An improvement idea"), ("good-practice", "Good practice to share"))


@dataclass(frozen=True)
class JointFeedback(share.ShareForm):
    kind = "joint_feedback"
    title = "Feedback between services"
    form = (share.service_field("The service you work in"),
            share.Field("category", "What kind of feedback is it?", "choice", CATEGORIES),
            share.Field("text", "Your feedback"), share.MONTH)


KIND = share.form_kind(JointFeedback, "joint-feedback", "jf")
