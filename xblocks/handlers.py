"""The blocks' JSON handlers: read a learner's request, refuse a bad one, answer in JSON.

Handlers validate everything before they change anything: a bad request gets HTTP 400 with a
reason (``Invalid``), and the learner's state is left as it was.
"""
from __future__ import annotations

import functools
import json

from webob import Response
from xblock.core import XBlock

MAX_BODY = 64 * 1024          # bytes in a learner's request


class Invalid(Exception):
    """A request the block refuses: HTTP 400 (or ``status``) with ``reason``; nothing was changed."""

    def __init__(self, reason: str, status: int = 400, **extra):
        super().__init__(reason)
        self.reason = reason
        self.status = status
        self.extra = extra


def json_response(data, status: int = 200, **kwargs) -> Response:
    return Response(json.dumps(data, ensure_ascii=False), status=status, content_type="application/json",
                    charset="utf-8", **kwargs)


def read_json(request) -> dict:
    """The request's body: at most ``MAX_BODY`` bytes of UTF-8 JSON holding one object, or
    Invalid (also for nesting too deep to read). ``request.body`` (read whole, as Django has it
    already) stays readable for the next reader, e.g. the mixin's handler."""
    if (request.content_length or 0) > MAX_BODY:
        raise Invalid("the request is too large")
    body = request.body
    if len(body) > MAX_BODY:
        raise Invalid("the request is too large")
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise Invalid("the request is not JSON") from None
    if not isinstance(data, dict):
        raise Invalid("the request must be a JSON object")
    return data


def json_handler(func):
    """An XBlock handler taking and answering JSON, stricter than ``XBlock.json_handler``.

    POST only (405 otherwise); the body must be what ``read_json`` accepts (400 otherwise).
    ``Invalid`` becomes a 400 with ``{"error": reason}``. The wrapped function must check the
    whole request before it changes a field: the runtime saves whatever fields a handler set,
    even when it answers 400.
    """
    @XBlock.handler
    @functools.wraps(func)
    def wrapper(self, request, suffix=""):
        if request.method != "POST":
            return json_response({"error": "use POST"}, 405, allow=["POST"])
        try:
            return json_response(func(self, read_json(request), suffix))
        except Invalid as exc:
            return json_response({"error": exc.reason, **exc.extra}, exc.status)
    return wrapper


def expect_keys(data: dict, allowed, required=()) -> None:
    unknown = sorted(set(data) - set(allowed))
    if unknown:
        raise Invalid(f"unknown field(s): {', '.join(map(str, unknown))[:200]}")
    missing = [k for k in required if k not in data]
    if missing:
        raise Invalid(f"missing field(s): {', '.join(missing)}")


def expect_map(value, name: str, shape: str, key: str, known) -> dict:
    """``value`` (the request's ``name``) as an object whose keys are all ``known``, or Invalid
    saying the shape it must have, or naming the first key that is not known (a ``key``)."""
    if not isinstance(value, dict):
        raise Invalid(f"'{name}' must be an object of {shape}")
    unknown = [k for k in value if k not in known]
    if unknown:
        raise Invalid(f"unknown {key} '{str(unknown[0])[:40]}'")
    return value
