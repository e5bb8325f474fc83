"""One row per learner per confidence check.

Counting rows is exact with any number of server processes: each learner writes only their own
row, and the unique key makes a repeated submission an update, never a second row. (A summary
kept in ``user_state_summary`` would be read, changed and written back by each process, and
concurrent writes would lose counts.)
"""
from django.db import models


class ConfidenceRating(models.Model):
    """A learner's latest ratings for one confidence check.

    ``check_key`` is ``<module id>/<check id>``: the author's ids, so an "after" check finds the
    "before" check it repeats. ``learner`` is the anonymous user id where the LMS gives one.
    """
    course_key = models.CharField(max_length=255)
    check_key = models.CharField(max_length=255)
    learner = models.CharField(max_length=255)
    ratings = models.JSONField()
    # Written by course staff (trying the course): kept, shown to nobody, counted nowhere.
    staff = models.BooleanField(default=False)
    modified = models.DateTimeField(auto_now=True)

    class Meta:
        app_label = "commonground"
        constraints = [
            models.UniqueConstraint(fields=["course_key", "check_key", "learner"],
                                    name="commonground_one_rating_per_learner"),
        ]
        indexes = [models.Index(fields=["course_key", "check_key"], name="commonground_rating_check")]

    def __str__(self):
        return f"{self.course_key} {self.check_key}"


class CheckVerdict(models.Model):
    """A learner's latest verdict on one knowledge check, for the module's standing.

    The check's own answer, attempts and score stay in its ``user_state``; this row is what the
    other checks of the module read. One row per check (not one shared value for the module), so
    answers given at the same moment cannot overwrite each other.
    """
    course_key = models.CharField(max_length=255)
    check_key = models.CharField(max_length=255)
    learner = models.CharField(max_length=255)
    correct = models.BooleanField()
    staff = models.BooleanField(default=False)
    modified = models.DateTimeField(auto_now=True)

    class Meta:
        app_label = "commonground"
        constraints = [
            models.UniqueConstraint(fields=["course_key", "check_key", "learner"],
                                    name="commonground_one_verdict_per_learner"),
        ]
        indexes = [models.Index(fields=["course_key", "learner"], name="commonground_verdict_learner")]

    def __str__(self):
        return f"{self.course_key} {self.check_key}"


class SharedItem(models.Model):
    """One learning review or joint-feedback item a learner sent, and where it is in moderation.

    One row per item, so items sent at the same moment through different processes are all kept.
    ``check_key`` is the block's ``<module>/<element id>``; ``learner`` the author's anonymous id
    and ``author_name`` what moderators see: nothing outside moderation shows either. The month is
    ``YYYY-MM``, never a day.
    """
    PENDING, RETURNED, PUBLISHED, WITHDRAWN = "pending", "returned", "published", "withdrawn"
    STATUSES = (PENDING, RETURNED, PUBLISHED, WITHDRAWN)

    course_key = models.CharField(max_length=255)
    check_key = models.CharField(max_length=255)
    kind = models.CharField(max_length=32)
    learner = models.CharField(max_length=255)
    author_name = models.CharField(max_length=255, blank=True, default="")
    staff = models.BooleanField(default=False)
    values = models.JSONField()
    service = models.CharField(max_length=60)
    category = models.CharField(max_length=32, blank=True, default="")
    month = models.CharField(max_length=7)
    status = models.CharField(max_length=12, default=PENDING)
    note = models.TextField(blank=True, default="")     # the moderator's private note to the author
    reply = models.TextField(blank=True, default="")    # staff's "you said, we did", shown to all
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)
    published = models.DateTimeField(null=True, blank=True)
    # The sender's key for one sending: the same key sent again (a retry) is the same item.
    token = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        app_label = "commonground"
        indexes = [models.Index(fields=["course_key", "check_key", "status"], name="commonground_shared_status"),
                   models.Index(fields=["course_key", "learner"], name="commonground_shared_learner")]

    def __str__(self):
        return f"{self.course_key} {self.check_key} #{self.pk}"
