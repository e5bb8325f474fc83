"""User retirement: when edx-platform retires an account (GDPR erasure), remove what Common
Ground keeps about that learner.

edx-platform's retirement pipeline sends ``USER_RETIRE_LMS_MISC`` (``user=`` the account) for
plugin apps to clean up after themselves; our app connects this receiver to it through its
``plugin_app`` signals settings (``apps.py``). Our rows are keyed by the learner's anonymous ids
(one per course) or, where a runtime gives none, the user id; the reflections' free text lives
in the XBlock user preferences the LMS keeps for our block types, and goes too.
"""
from __future__ import annotations

import logging

from ..registry import block_types
from . import api

log = logging.getLogger(__name__)


def learner_keys(user) -> set[str]:
    """Every key our rows may use for this account: its anonymous ids and its id."""
    keys = {str(user.pk)} if getattr(user, "pk", None) is not None else set()
    try:
        from common.djangoapps.student.models import AnonymousUserId  # pylint: disable=import-outside-toplevel
    except ImportError:  # outside edx-platform (workbench, tests): no anonymous ids
        return keys
    keys.update(AnonymousUserId.objects.filter(user=user).values_list("anonymous_user_id", flat=True))
    return keys


def forget_preferences(user) -> int:
    """Delete the account's XBlock preferences of our block types (the reflection text) in the
    LMS's courseware tables; 0 outside edx-platform."""
    try:
        from lms.djangoapps.courseware.models import XModuleStudentPrefsField  # pylint: disable=import-outside-toplevel
    except ImportError:
        return 0
    return XModuleStudentPrefsField.objects.filter(student=user, module_type__in=block_types()).delete()[0]


def retire_user(sender=None, user=None, **kwargs):  # pylint: disable=unused-argument
    """The receiver: remove the learner's rows and reflection text. Logs counts, never names."""
    if user is None:
        return
    rows = api.forget_learner(learner_keys(user))
    prefs = forget_preferences(user)
    log.info("Common Ground: retirement removed %d row(s) and %d preference value(s)", rows, prefs)
