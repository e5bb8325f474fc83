"""``commonground report``: a programme report for governance, from the exports an LMS gives a
coordinator (Moodle 5.0's SCORM Basic and Interactions reports, its course completion report and
its grader export, as CSV, ODS or Excel).

A delivery-side tool beside the exporters: it reads LMS files and the content pack (``coursepack``
only, to decode answers and name modules), never the exporters or the Open edX blocks. Learners'
names are read in memory to tell learners apart and are never written; every figure about fewer
than 5 learners is suppressed (``suppress``).
"""
