"""The fields and options the migrations share, frozen as the migrations first wrote them.

A migration must keep doing what it did when it was written, whatever the models become, so this
never imports the models: each function returns new, unbound fields equal to the ones the
migrations spelled out in full before (the same arguments, in the same order of columns). The
loader skips this module (its name starts with ``_``): it is no migration.
"""
from django.db import migrations, models


def row_id() -> tuple[str, models.Field]:
    return ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID"))


def course_and_check() -> list[tuple[str, models.Field]]:
    """Which course and which check (``<module>/<element id>``) a row is about."""
    return [("course_key", models.CharField(max_length=255)), ("check_key", models.CharField(max_length=255))]


def learner() -> tuple[str, models.Field]:
    return ("learner", models.CharField(max_length=255))


def staff() -> tuple[str, models.Field]:
    """Written by course staff: kept, counted nowhere (0002 on)."""
    return ("staff", models.BooleanField(default=False))


def modified() -> tuple[str, models.Field]:
    return ("modified", models.DateTimeField(auto_now=True))


def module_version() -> tuple[str, models.Field]:
    """The module version of the block that wrote the row (0005 on); "" where it is not known."""
    return ("module_version", models.CharField(blank=True, default="", max_length=40))


def one_row_per_learner(name: str) -> models.UniqueConstraint:
    return models.UniqueConstraint(fields=("course_key", "check_key", "learner"), name=name)


def add_fields(model_name: str, fields) -> list[migrations.AddField]:
    """One ``AddField`` per (name, field), in order."""
    return [migrations.AddField(model_name=model_name, name=name, field=field) for name, field in fields]
