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
    """
    course_key = models.CharField(max_length=255)
    check_key = models.CharField(max_length=255)
    learner = models.CharField(max_length=255)
    # Written by course staff (trying the course): kept, shown to nobody, counted nowhere.
    staff = models.BooleanField(default=False)
    modified = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.course_key} {self.check_key}"


class ConfidenceRating(LearnerRow):
    """A learner's latest ratings for one confidence check (an "after" check finds the "before"
    check it repeats by its key)."""
    ratings = models.JSONField()

    class Meta:
        app_label = "commonground"
        constraints = [
            models.UniqueConstraint(fields=["course_key", "check_key", "learner"],
                                    name="commonground_one_rating_per_learner"),
        ]
        indexes = [models.Index(fields=["course_key", "check_key"], name="commonground_rating_check")]


class CheckVerdict(LearnerRow):
    """A learner's latest verdict on one knowledge check, for the module's standing.

    The check's own answer, attempts and score stay in its ``user_state``; this row is what the
    other checks of the module read. One row per check (not one shared value for the module), so
    answers given at the same moment cannot overwrite each other.
    """
    correct = models.BooleanField()

    class Meta:
        app_label = "commonground"
        constraints = [
            models.UniqueConstraint(fields=["course_key", "check_key", "learner"],
                                    name="commonground_one_verdict_per_learner"),
        ]
        indexes = [models.Index(fields=["course_key", "learner"], name="commonground_verdict_learner")]
