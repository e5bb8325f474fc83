"""Tutor plugin for Common Ground (entry point ``tutor.plugin.v1``: ``commonground``).

Nothing here imports XBlock or Django: ``plugin`` runs inside Tutor's own environment, and
``olx`` runs inside the Open edX image with the standard library only. Keep this file free of
imports so that either can be loaded on its own.
"""
