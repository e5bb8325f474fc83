"""What the learning-review and joint-feedback blocks ask of the ``SharedItem`` table: send or
resend an item, moderate it, list it for its author, for moderators and for everyone, count
published joint feedback by kind and service above a floor, and the rows of the CSV export.

Moderators' lists carry the author's name; nothing else here does. Staff rows (course staff
trying the course) are kept for their author but never published, listed or counted.
"""
from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from .models import SharedItem


DONE = {"approve": "approved", "return": "returned", "withdraw": "withdrawn", "reply": "replied to"}


class Refused(Exception):
    """A change that cannot be made (the item is not there, not the author's, or not in a state
    that allows it): the reason, for a 4xx answer; nothing was changed."""


def send(course: str, check: str, kind: str, learner: str, author_name: str, staff: bool, values: dict,
         item: int | None = None, token: str = "", version: str = "") -> SharedItem:
    """A new item waiting for moderation, or (``item``) the author's own returned or waiting item
    edited and sent again. A new item sent again with the same ``token`` (a retry after a lost
    answer) is the item already kept, not a second one. ``version``: the module version of the
    sending block (an item edited and sent again is that block's)."""
    fields = {"values": values, "service": values.get("service", ""), "category": values.get("category", ""),
              "month": values.get("month", ""), "status": SharedItem.PENDING, "author_name": author_name,
              "staff": staff, "module_version": version}
    if item is None:
        with transaction.atomic():
            same = SharedItem.objects.filter(course_key=course, check_key=check, learner=learner,
                                             token=token).first() if token else None
            return same or SharedItem.objects.create(course_key=course, check_key=check, kind=kind, learner=learner,
                                                     token=token, **fields)
    with transaction.atomic():
        row = SharedItem.objects.select_for_update().filter(
            pk=item, course_key=course, check_key=check, learner=learner).first()
        if row is None:
            raise Refused("you have no item with that number here")
        if row.status not in (SharedItem.PENDING, SharedItem.RETURNED):
            raise Refused("only an item that is waiting or was returned to you can be changed")
        for name, value in fields.items():
            setattr(row, name, value)
        row.save()
        return row


def moderate(course: str, check: str, item: int, action: str, text: str = "") -> SharedItem:
    """``approve`` (publish), ``return`` (to the author, with a private note), ``withdraw`` (a
    published item) or ``reply`` ("you said, we did" on a published item)."""
    allowed = {"approve": (SharedItem.PENDING,), "return": (SharedItem.PENDING,),
               "withdraw": (SharedItem.PUBLISHED,), "reply": (SharedItem.PUBLISHED,)}
    with transaction.atomic():
        row = SharedItem.objects.select_for_update().filter(pk=item, course_key=course, check_key=check,
                                                            staff=False).first()
        if row is None:
            raise Refused("there is no item with that number here")
        if row.status not in allowed[action]:
            raise Refused(f"an item that is {row.status} cannot be {DONE[action]}")
        if action == "approve":
            row.status, row.published, row.note = SharedItem.PUBLISHED, timezone.now(), ""
        elif action == "return":
            row.status, row.note = SharedItem.RETURNED, text
        elif action == "withdraw":
            row.status = SharedItem.WITHDRAWN
        else:
            row.reply = text
        row.save()
        return row


def mine(course: str, check: str, learner: str) -> list[SharedItem]:
    return list(SharedItem.objects.filter(course_key=course, check_key=check, learner=learner).order_by("-created"))


def waiting(course: str, check: str) -> list[SharedItem]:
    """The moderation queue, oldest first."""
    return list(SharedItem.objects.filter(course_key=course, check_key=check, staff=False,
                                          status=SharedItem.PENDING).order_by("created", "pk"))


def published(course: str, check: str) -> list[SharedItem]:
    """The library: published items, newest first."""
    return list(SharedItem.objects.filter(course_key=course, check_key=check, staff=False,
                                          status=SharedItem.PUBLISHED).order_by("-published", "-pk"))


def counts(course: str, check: str, categories, services, minimum: int) -> dict:
    """Published items per (category, service); a cell below ``minimum`` is None, never its number."""
    rows = SharedItem.objects.filter(course_key=course, check_key=check, staff=False, status=SharedItem.PUBLISHED)
    found: dict[tuple[str, str], int] = {}
    for category, service in rows.values_list("category", "service"):
        found[(category, service)] = found.get((category, service), 0) + 1
    return {c: {s: (n if (n := found.get((c, s), 0)) >= minimum else None) for s in services} for c in categories}


def export_rows(course: str, check: str) -> list[SharedItem]:
    """Every learner's item of the block, oldest first (the CSV leaves out who wrote it)."""
    return list(SharedItem.objects.filter(course_key=course, check_key=check, staff=False).order_by("created", "pk"))
