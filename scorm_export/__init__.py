"""SCORM 1.2 and SCORM 2004 (4th Edition) packages of Common Ground modules.

Reads the coursepack model and renders each module in the shared shell (``coursepack.render``)
with the SCORM adapter (``static/scorm-adapter.js``) as its transport. Plugs into the
``commonground`` CLI through entry points: builders ``scorm12`` and ``scorm2004`` and the
``export`` command. Never imports the XBlocks.
"""
