"""The build step setup.cfg cannot say: the Open edX blocks' copy of the learner's player.

An Open edX unit page loads ``xblocks/static/widgets.js`` and ``player.css``, which are put
together from coursepack's player and every element kind's folder (``coursepack.player``). The
blocks serve them made on the fly (``xblocks.base``); an LMS that collects static files
(``collectstatic``) reads them from the installed package instead, so the wheel carries them,
written here from the kinds' folders in this source tree. Standard library and setuptools only:
the build runs in pip's isolated environment, which has neither the kinds' dependencies nor
the package installed.
"""
import importlib.util
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).parent
#: The player's files an Open edX unit page loads (xblocks.player_files.PLAYER_FILES names them).
UNIT_PAGE = ("widgets.js", "player.css")


def kind_folders() -> list[Path]:
    """Every folder of coursepack/elements that holds a kind's widget files: the shipped kinds'
    folders (and share/, which two of them use), as ``coursepack.player`` finds them through the
    registered kinds. A test checks the two agree."""
    return [p for p in (ROOT / "coursepack" / "elements").iterdir() if (p / "widget.html").is_file()]


class BuildWithPlayer(build_py):
    def run(self):
        super().run()
        spec = importlib.util.spec_from_file_location("player", ROOT / "coursepack" / "player" / "__init__.py")
        player = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(player)
        target = Path(self.build_lib) / "xblocks" / "static"
        target.mkdir(parents=True, exist_ok=True)
        for name in UNIT_PAGE:
            (target / name).write_bytes(player.assemble(name, kind_folders()))


setup(cmdclass={"build_py": BuildWithPlayer})
