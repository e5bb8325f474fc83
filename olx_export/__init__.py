"""The pack as an Open edX course: an OLX tarball of our blocks (``course.py``), each block holding
the author's Markdown as written (``chunks.py``).

Plugs into the ``commonground`` CLI through the ``olx`` entry point of ``commonground.builders``.
It reads the coursepack model only: it never imports XBlock, the blocks (``xblocks``) or another
delivery, and the LMS never imports it (the blocks' own tags come from their entry points).
"""
