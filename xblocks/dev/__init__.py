"""Tools for working on the blocks, not shipped with them: the XBlock SDK workbench's settings,
services and scenarios, and the translation tooling. Timing ``student_view`` is ``scripts/bench``'s."""
