"""Django settings for the XBlock workbench with the Common Ground blocks (``scripts/workbench``, tests).

Extends ``workbench.settings`` (xblock-sdk): adds our Django app (per-learner confidence rows) and
the one that gives our blocks their workbench scenarios (``apps.py``), a
SQLite database that several server processes can share (WAL journal, a busy timeout, and
transactions that take the write lock when they begin), and a log of the events blocks publish
(the workbench runtime only logs them) so tests can read grade and completion values.

Environment: ``COMMONGROUND_WORKBENCH_DB`` (database file, default ``var/workbench.db``),
``COMMONGROUND_EVENTS_LOG`` (default ``var/xblock-events.log``), ``COMMONGROUND_WORKBENCH_LOG``
(default ``var/workbench.log``), ``COMMONGROUND_STAFF`` (student
ids, comma separated, that the workbench treats as course staff; default ``staff``).
"""
import functools
import importlib.metadata
import os

import django
from workbench.settings import *  # noqa: F401,F403  pylint: disable=wildcard-import,unused-wildcard-import
from workbench.settings import INSTALLED_APPS, LOGGING, WORKBENCH

DB_FILE = os.environ.get("COMMONGROUND_WORKBENCH_DB", "var/workbench.db")
EVENTS_LOG = os.environ.get("COMMONGROUND_EVENTS_LOG", "var/xblock-events.log")
SERVER_LOG = os.environ.get("COMMONGROUND_WORKBENCH_LOG", "var/workbench.log")
for _path in (DB_FILE, EVENTS_LOG, SERVER_LOG):
    os.makedirs(os.path.dirname(os.path.abspath(_path)), exist_ok=True)

INSTALLED_APPS = [*INSTALLED_APPS, "xblocks.aggregates.apps.AggregatesConfig",
                  "xblocks.dev.apps.WorkbenchScenariosConfig"]

# XBlock looks the aside classes up for every block it renders, and each lookup reads the entry
# points of every installed package again: 40% of rendering a whole-module page here. A
# workbench process installs nothing while it runs, so it reads them once.
importlib.metadata.entry_points = functools.cache(importlib.metadata.entry_points)

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": DB_FILE,
        # Django 5.1+ (what Python 3.12 gets); older Django keeps only the busy timeout.
        "OPTIONS": {
            "timeout": 30,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        } if django.VERSION >= (5, 1) else {"timeout": 30},
    }
}

XBLOCK_SETTINGS = {"CommonGround": {"CONFIDENCE_MIN_LEARNERS": 5}}

WORKBENCH = {
    **WORKBENCH,
    "services": {
        **WORKBENCH.get("services", {}),
        # The workbench's own user service knows no staff; ours marks COMMONGROUND_STAFF ids.
        "user": "xblocks.dev.services.WorkbenchUserService",
    },
}

LOGGING = {
    **LOGGING,
    "handlers": {
        **LOGGING["handlers"],
        "logfile": {**LOGGING["handlers"]["logfile"], "filename": SERVER_LOG},
        "xblock_events": {
            "level": "INFO",
            "class": "logging.FileHandler",
            "filename": EVENTS_LOG,
            "formatter": "events",
        },
    },
    "formatters": {"events": {"format": "%(process)d %(message)s"}},
    "loggers": {
        **LOGGING["loggers"],
        "workbench.runtime": {"handlers": ["xblock_events"], "level": "INFO", "propagate": False},
        # The workbench logs every SQL statement (DEBUG) to a 50 KB rotating file: loading the
        # scenarios alone makes thousands of them, which took over a third of a server's start.
        "django.db.backends": {"level": "INFO"},
    },
}
