"""One row per learner per check: confidence ratings, and knowledge-check verdicts.

Counting rows is exact with any number of server processes: each learner writes only their own
row, and the unique key makes a repeated submission an update, never a second row. (A summary
kept in ``user_state_summary`` would be read, changed and written back by each process, and
concurrent writes would lose counts.)
"""
from django.db import models


class LearnerRow(models.Model):
    """What every row holds: whose, for which check of which course, and whether staff wrote it.

    ``check_key`` is ``<module id>/<element id>``: the author's ids, stable across re-imports.
    ``learner`` is the anonymous user id where the LMS gives one (the user id elsewhere).
    ``module_version`` is the version of the module whose block wrote the row (the pack's, as the
    OLX build sets it on every block), so the governance report keeps two versions apart; ""
    where it is not known (a row from before rows kept it, or a block imported before blocks
    carried it): the report never guesses it.
    """
    course_key = models.CharField(max_length=255)
    check_key = models.CharField(max_length=255)
    learner = models.CharField(max_length=255)
    # Written by course staff (trying the course): kept, shown to nobody, counted nowhere.
    staff = models.BooleanField(default=False)
    modified = models.DateTimeField(auto_now=True)
    module_version = models.CharField(max_length=40, blank=True, default="")

    class Meta:
        abstract = True
        app_label = "commonground"

    def __str__(self):
        return f"{self.course_key} {self.check_key}"


def one_row_per_learner(name: str) -> models.UniqueConstraint:
    """A learner's latest row for a check: sent again, it is updated, never kept twice."""
    return models.UniqueConstraint(fields=["course_key", "check_key", "learner"], name=name)


class ConfidenceRating(LearnerRow):
    """A learner's latest ratings for one confidence check (an "after" check finds the "before"
    check it repeats by its key)."""
    ratings = models.JSONField()

    class Meta(LearnerRow.Meta):
        constraints = [one_row_per_learner("commonground_one_rating_per_learner")]
        indexes = [models.Index(fields=["course_key", "check_key"], name="commonground_rating_check")]


class CheckVerdict(LearnerRow):
    """A learner's latest verdict on one knowledge check, for the module's standing.

    The check's own answer, attempts and score stay in its ``user_state``; this row is what the
    other checks of the module read. One row per check (not one shared value for the module), so
    answers given at the same moment cannot overwrite each other.

    For the governance report the row also keeps the learner's first answer (the option ids, or
    the items in the order sent, as the check's submit handler accepted them), whether it was
    right, and how many answers they have sent. The first answer is set when the row is made and
    never changed; rows made before it was kept (or made by a rescore) have no first answer and
    no count of tries (None: not known).
    """
    correct = models.BooleanField()
    first_answer = models.JSONField(null=True, default=None)
    first_correct = models.BooleanField(null=True, default=None)
    tries = models.PositiveIntegerField(null=True, default=None)

    class Meta(LearnerRow.Meta):
        constraints = [one_row_per_learner("commonground_one_verdict_per_learner")]
        indexes = [models.Index(fields=["course_key", "learner"], name="commonground_verdict_learner")]


class SharedItem(LearnerRow):
    """One learning review or joint-feedback item a learner sent, and where it is in moderation.

    One row per item (not per learner), so items sent at the same moment through different
    processes are all kept. ``learner`` is the author's key and ``author_name`` what moderators
    see: nothing outside moderation shows either. The month is ``YYYY-MM``, never a day.
    """
    PENDING, RETURNED, PUBLISHED, WITHDRAWN = "pending", "returned", "published", "withdrawn"
    STATUSES = (PENDING, RETURNED, PUBLISHED, WITHDRAWN)

    kind = models.CharField(max_length=32)
    author_name = models.CharField(max_length=255, blank=True, default="")
    values = models.JSONField()
    service = models.CharField(max_length=60)
    category = models.CharField(max_length=32, blank=True, default="")
    month = models.CharField(max_length=7)
    status = models.CharField(max_length=12, default=PENDING)
    note = models.TextField(blank=True, default="")     # the moderator's private note to the author
    reply = models.TextField(blank=True, default="")    # staff's "you said, we did", shown to all
    created = models.DateTimeField(auto_now_add=True)
    published = models.DateTimeField(null=True, blank=True)
    # The sender's key for one sending: the same key sent again (a retry) is the same item.
    token = models.CharField(max_length=64, blank=True, default="")

    class Meta(LearnerRow.Meta):
        indexes = [models.Index(fields=["course_key", "check_key", "status"], name="commonground_shared_status"),
                   models.Index(fields=["course_key", "learner"], name="commonground_shared_learner")]
