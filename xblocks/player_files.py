"""The player's files every block's fragment names, at one URL whatever the block's type.

Runtimes build a local resource's URL from the asking block's type (edx-platform's resource
view, the workbench) or its Python package (edx-platform's collected static files). Asked as
each block type, a unit page would name, and fetch, the same player once per type; asked as
one, every block's fragment names the same URLs and the page loads each file once.
"""
from __future__ import annotations

from xblock.fields import ScopeIds

from coursepack import player

#: The block type whose URL every block uses for the player's files (they are the same files).
PLAYER_RESOURCE_TYPE = "cg_page"

#: What every block's fragment names: the player's styles and widgets (not its module shell), ours.
PLAYER_FILES = ("static/player.css", "static/xblocks.css", "static/widgets.js", "static/xblock-adapter.js")
#: Those of them that are the player's, put together from the registered kinds (coursepack.player):
#: uri -> the player part's name.
ASSEMBLED = {uri: uri.split("/")[-1] for uri in PLAYER_FILES if uri.split("/")[-1] in player.PARTS}


class PlayerFilesOwner:
    """Stands for a ``cg_page`` block when a block asks the runtime for a player file's URL."""

    def __init__(self):
        self.scope_ids = ScopeIds(None, PLAYER_RESOURCE_TYPE, None, None)


def player_file_url(runtime, uri: str) -> str:
    """The URL of one of the player's files (or the Studio form's styles), the same from every block."""
    return runtime.local_resource_url(PlayerFilesOwner(), uri)
