"""Tools for working on the blocks, not shipped with them: the XBlock SDK workbench's settings,
services and scenarios, the in-memory runtime the tests and benchmarks run blocks in
(``testing``), and the translation tooling. Timing ``student_view`` is ``scripts/bench``'s.

No shipped module imports this package: the LMS never loads it (``tests/test_layers.py``)."""
