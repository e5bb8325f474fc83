"""The whole programme as one Moodle course backup (``.mbz``), restored by Moodle's own Restore.

``commonground build`` passes ``dist/moodle``; the ``moodle`` builder writes the course a health
board restores in one step: one SCORM activity per module with the coordinator guide's settings,
one group per pathway, each learner's modules in order behind restrict-access rules, course
completion, and a certificate per pathway where the site has the Custom certificate plugin. ``course`` plans that course from the pack; ``backup`` writes it in the format that
Moodle 5.0's restore reads (``backup/moodle2/restore_*``).

It lives inside the SCORM delivery because a Moodle backup of SCORM activities carries the SCORM
packages themselves: it takes their bytes from ``scorm_export.package`` (the same bytes the
``scorm12`` builder writes), so no delivery imports another and nothing is read back from
``dist/``.
"""
