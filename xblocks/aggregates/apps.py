"""The Django app config, found by Open edX through the ``lms.djangoapp``/``cms.djangoapp`` entry points."""
from django.apps import AppConfig


class AggregatesConfig(AppConfig):
    name = "xblocks.aggregates"
    label = "commonground"
    verbose_name = "Common Ground"
    default_auto_field = "django.db.models.BigAutoField"
    # edx-django-utils plugin settings: no URLs, no settings of our own (operators configure the
    # blocks through XBLOCK_SETTINGS["CommonGround"]).
    plugin_app = {}
