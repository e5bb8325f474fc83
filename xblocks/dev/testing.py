"""An in-memory runtime for the blocks' tests and benchmarks (no LMS, no workbench).

Learner state lives in a dictionary that several runtimes (learners) can share; published events
are recorded as ``(usage id, event type, data)``; the services are the ones the LMS gives the
blocks (i18n, user with staff flag and anonymous id, settings). Confidence rows and knowledge-check
verdicts need Django set up with ``xblocks.aggregates`` installed.

It can also stand where edx-platform runs blocks with no learner or not for one: ``user=False``
(no user service, as when the Course Blocks API collects ``student_view_data`` at publish time),
``author_mode=True`` (Studio's preview runtime sets ``is_author_mode``) and ``masquerade_by=``
(staff viewing as this learner: the Django user behind the user service carries ``real_user``,
as edx-platform's ``setup_masquerade`` leaves it), and ``course_settings=True`` mixes in the
settings the LMS's InheritanceMixin gives every block (due date, grace period,
``show_correctness``, ``showanswer``; with the LMS's defaults).
"""
from __future__ import annotations

import copy
from types import SimpleNamespace

from xblock.core import XBlockMixin
from xblock.runtime import DictKeyValueStore, KvsFieldData, NullI18nService
from xblock.fields import Any, Date, Scope, ScopeIds, String
from xblock.reference.user_service import UserService, XBlockUser
from xblock.test.tools import TestRuntime
from webob import Request

COURSE = "course-v1:CommonGround+TEST+2026"


class InheritedSettings(XBlockMixin):
    """The course settings edx-platform's InheritanceMixin adds to every block, as fields."""
    due = Date(scope=Scope.settings, default=None)
    graceperiod = Any(scope=Scope.settings, default=None)   # a timedelta, as xmodule's Timedelta gives
    show_correctness = String(scope=Scope.settings, default="always")
    showanswer = String(scope=Scope.settings, default="finished")


class _User(UserService):
    def __init__(self, uid: str, staff: bool, masquerade_by: str | None = None):
        user = XBlockUser(is_current_user=True, emails=[f"{uid}@example.com"], full_name=uid)
        user.opt_attrs.update({"edx-platform.user_id": uid, "edx-platform.user_is_staff": staff,
                               "edx-platform.anonymous_user_id": f"anon-{uid}"})
        super().__init__(user=user)
        self._me = user
        self._django_user = SimpleNamespace(username=uid)
        if masquerade_by:
            self._django_user.real_user = SimpleNamespace(username=masquerade_by)

    def get_current_user(self):
        return self._me


class _Settings:
    def __init__(self, buckets: dict):
        self.buckets = buckets

    def get_settings_bucket(self, block, default=None):
        return self.buckets.get(getattr(block, "block_settings_key", type(block).__name__), default or {})


class LearnerRuntime(TestRuntime):
    """One learner's runtime; ``store`` is shared between learners of the same course."""

    def __init__(self, user_id: str = "learner-1", *, store: DictKeyValueStore | None = None, staff: bool = False,
                 settings: dict | None = None, i18n=None, course: str = COURSE, user: bool = True,
                 author_mode: bool = False, masquerade_by: str | None = None, course_settings: bool = False):
        self.store = store if store is not None else DictKeyValueStore()
        services = {
            "field-data": KvsFieldData(self.store),
            "i18n": i18n or NullI18nService(),
            "settings": _Settings(settings if settings is not None else {"CommonGround": {}}),
        }
        if user:
            services["user"] = _User(user_id, staff, masquerade_by)
        super().__init__(services=services, mixins=(InheritedSettings,) if course_settings else ())
        self.is_author_mode = author_mode
        self.learner_id = user_id
        self.course_id = course
        self.events: list[tuple[str, str, dict]] = []

    # the runtime's side of a block
    def publish(self, block, event_type, event_data):
        self.events.append((str(block.scope_ids.usage_id), event_type, copy.deepcopy(event_data)))

    def local_resource_url(self, block, uri):
        return f"/resource/{block.scope_ids.block_type}/{uri}"

    def handler_url(self, block, handler_name, suffix="", query="", thirdparty=False):
        return f"/handler/{block.scope_ids.usage_id}/{handler_name}/{suffix}"

    def resource_url(self, resource):
        return f"/static/{resource}"

    # conveniences for tests
    def block(self, cls, usage: str, **fields):
        """Construct a block of ``cls`` with id ``usage`` for this learner; set ``fields`` (content)."""
        tag = getattr(cls, "block_tag", None) or f"cg_{cls.kind}"
        block = self.construct_xblock_from_class(cls, ScopeIds(self.learner_id, tag, f"def-{usage}", usage))
        for name, value in fields.items():
            setattr(block, name, value)
        if fields:
            block.save()
        return block

    def learner(self, user_id: str, **kwargs) -> "LearnerRuntime":
        """Another learner in the same course, sharing the store."""
        return LearnerRuntime(user_id, store=self.store, course=self.course_id, **kwargs)


def post(block, handler: str, payload=None, *, body: bytes | None = None, method: str = "POST"):
    """Call a handler the way the runtime does (it saves the block's fields afterwards)."""
    import json  # pylint: disable=import-outside-toplevel
    raw = body if body is not None else json.dumps(payload if payload is not None else {}).encode()
    request = Request.blank("/", method=method, body=raw if method != "GET" else None,
                            content_type="application/json")
    return block.runtime.handle(block, handler, request)
