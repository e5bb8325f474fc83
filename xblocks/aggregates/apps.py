"""The Django app config, found by Open edX through the ``lms.djangoapp``/``cms.djangoapp`` entry points."""
from django.apps import AppConfig


class AggregatesConfig(AppConfig):
    name = "xblocks.aggregates"
    label = "commonground"
    verbose_name = "Common Ground"
    default_auto_field = "django.db.models.BigAutoField"
    # edx-django-utils plugin settings: no URLs, no settings of our own (operators configure the
    # blocks through XBLOCK_SETTINGS["CommonGround"]); in the LMS, a receiver for the user
    # retirement signal (retirement.py).
    plugin_app = {
        "signals_config": {
            "lms.djangoapp": {
                "relative_path": "retirement",
                "receivers": [{
                    "receiver_func_name": "retire_user",
                    "signal_path": "openedx.core.djangoapps.user_api.accounts.signals.USER_RETIRE_LMS_MISC",
                }],
            },
        },
    }
