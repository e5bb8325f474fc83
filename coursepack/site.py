"""The standalone preview site: the pack's home page and each module in the shell.

Progress stays in the learner's browser (adapter-local.js). A rebuild after one edit renders
only that module's page again and rewrites only changed files.
"""
from __future__ import annotations

from pathlib import Path

from .archive import file_stamp, write_if_changed
from .assets import PLAYER_FILES, SHELL_SCRIPTS, module_images, static_file
from .load import LoadResult
from .model import Module, Pack
from .render import environment, pack_identity, render_shell, shows_modules

# A module's page as written → (what it was made from, its file's stamp then): only stamps, not
# the pages (60 MB for 500 modules, which the process building the site held to the end).
_written: dict[Path, tuple[tuple, tuple[int, int] | None]] = {}


def module_html(module: Module, pack: Pack) -> str:
    return render_shell(module, pack, scripts=[*SHELL_SCRIPTS, "adapter-local.js"], transport="local",
                        asset_prefix="../")


def _write_module(module: Module, pack: Pack, path: Path) -> bool:
    """Write a module's page unless this process wrote it from the same module and pack and the
    file is still as it left it (else it was removed or changed: written again)."""
    made_from = (module, pack_identity(pack))
    written = _written.get(path)
    if written is not None and written[0] == made_from and written[1] == file_stamp(path):
        return False
    changed = write_if_changed(path, module_html(module, pack).encode())
    _written[path] = (made_from, file_stamp(path))
    return changed


@shows_modules
def build(result: LoadResult, out: Path) -> str:
    pack = result.pack
    changed = 0
    for name in (*PLAYER_FILES, "adapter-local.js"):
        changed += write_if_changed(out / name, static_file(name))
    for module in pack.modules:
        changed += _write_module(module, pack, out / module.id / "index.html")
        for image in module_images(result, module):
            changed += write_if_changed(out / image.path, image.data)
    home = environment().get_template("home.html").render(pack=pack, _=lambda s: s)
    changed += write_if_changed(out / "index.html", home.encode())
    return f"{len(pack.modules)} module(s) in {out} ({changed} file(s) written)"
