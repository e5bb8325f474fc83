"""A workbench user service that can play course staff (for the confidence check's aggregates),
staff viewing the course as a learner, and Studio's preview.

The workbench builds services from ``WORKBENCH["services"]`` with no arguments and then sets
``service.runtime``; the student id is the runtime's ``user_id`` (the ``?student=`` parameter).
Student ids in ``COMMONGROUND_STAFF`` are course staff; in ``COMMONGROUND_MASQUERADE``, staff
viewing the course as that learner (the Django user carries ``real_user``, as edx-platform's
``setup_masquerade`` leaves it); in ``COMMONGROUND_AUTHOR_PREVIEW``, an author in Studio's
preview (the workbench's runtime answers ``is_author_mode`` for them, as Studio's preview runtime
does). So the blocks' refusals can be checked over HTTP.
"""
import os
from types import SimpleNamespace

from xblock.reference.user_service import UserService, XBlockUser


def _ids(name: str, default: str = "") -> set[str]:
    return {s.strip() for s in os.environ.get(name, default).split(",") if s.strip()}


def _author_mode(runtime) -> bool:
    return str(getattr(runtime, "user_id", "")) in _ids("COMMONGROUND_AUTHOR_PREVIEW")


class WorkbenchUserService(UserService):
    @property
    def runtime(self):
        return self.__dict__.get("_runtime")

    @runtime.setter
    def runtime(self, runtime):
        # The workbench's runtime has no author mode; the id it is made for is set after this.
        if not hasattr(type(runtime), "is_author_mode"):
            type(runtime).is_author_mode = property(_author_mode)
        self.__dict__["_runtime"] = runtime

    def _uid(self) -> str:
        return str(getattr(getattr(self, "runtime", None), "user_id", None) or "student_1")

    @property
    def _django_user(self):
        uid = self._uid()
        user = SimpleNamespace(username=uid)
        if uid in _ids("COMMONGROUND_MASQUERADE"):
            user.real_user = SimpleNamespace(username="staff")
        return user

    def get_current_user(self):
        uid = self._uid()
        user = XBlockUser(is_current_user=True, emails=[f"{uid}@example.com"], full_name=f"Learner {uid}")
        user.opt_attrs["xblock-workbench.user_id"] = uid
        user.opt_attrs["edx-platform.user_id"] = uid
        user.opt_attrs["edx-platform.user_is_staff"] = uid in _ids("COMMONGROUND_STAFF", "staff")
        return user
