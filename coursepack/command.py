"""The ``commonground`` console script. The command is an authoring tool: its libraries (click,
rich, textstat) come with the ``authoring`` extra, which an Open edX image does not install, so
without them the script says what to install instead of failing with a traceback. An element
kind that cannot be used (two kinds of one name, a record missing what its role needs) is named
the same way."""
from __future__ import annotations

import sys

from .diagnostics import KindError


def main() -> None:
    try:
        from .cli import main as cli  # pylint: disable=import-outside-toplevel
    except ImportError as exc:
        sys.exit(f"commonground: the authoring tools are not installed ({exc.name} is missing). "
                 "Install them with: pip install 'commonground[authoring]'")
    except KindError as exc:
        sys.exit(f"commonground: {exc}")
    cli()
