"""Per-learner rows for data that spans blocks and must stay exact across server processes.

A small Django app, installed in the LMS and Studio as an Open edX plugin app (entry points
``lms.djangoapp`` and ``cms.djangoapp``, as xblock-lti-consumer does), and added to the
workbench's settings for tests (``xblocks.dev.settings``). Blocks import it lazily, so
loading the XBlock classes never needs Django to be configured.
"""
