"""A workbench user service that can play course staff (for the confidence check's aggregates).

The workbench builds services from ``WORKBENCH["services"]`` with no arguments and then sets
``service.runtime``; the student id is the runtime's ``user_id`` (the ``?student=`` parameter).
"""
import os

from xblock.reference.user_service import UserService, XBlockUser


class WorkbenchUserService(UserService):
    def get_current_user(self):
        uid = str(getattr(getattr(self, "runtime", None), "user_id", None) or "student_1")
        staff = {s.strip() for s in os.environ.get("COMMONGROUND_STAFF", "staff").split(",") if s.strip()}
        user = XBlockUser(is_current_user=True, emails=[f"{uid}@example.com"], full_name=f"Learner {uid}")
        user.opt_attrs["xblock-workbench.user_id"] = uid
        user.opt_attrs["edx-platform.user_id"] = uid
        user.opt_attrs["edx-platform.user_is_staff"] = uid in staff
        return user
