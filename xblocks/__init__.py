"""Common Ground XBlocks for Open edX, and the Tutor plugin that installs them (``xblocks.tutor``)."""
