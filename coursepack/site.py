"""The standalone preview site: the pack's home page and each module in the shell.

Progress stays in the learner's browser (adapter-local.js). Rendering is cached per module,
so a rebuild after one edit re-renders only that module and rewrites only changed files.
"""
from __future__ import annotations

from pathlib import Path

from .archive import write_if_changed
from .assets import PLAYER_FILES, SHELL_SCRIPTS, module_images, static_file
from .load import LoadResult
from .model import Module, Pack
from .render import environment, pack_identity, render_shell, shows_modules

_cache: dict = {}


def module_html(module: Module, pack: Pack) -> str:
    key = (module, pack_identity(pack))
    if key not in _cache:
        _cache[key] = render_shell(module, pack, scripts=[*SHELL_SCRIPTS, "adapter-local.js"],
                                   transport="local", asset_prefix="../")
    return _cache[key]


@shows_modules
def build(result: LoadResult, out: Path) -> str:
    pack = result.pack
    changed = 0
    for name in (*PLAYER_FILES, "adapter-local.js"):
        changed += write_if_changed(out / name, static_file(name))
    for module in pack.modules:
        changed += write_if_changed(out / module.id / "index.html", module_html(module, pack).encode())
        for image in module_images(result, module):
            changed += write_if_changed(out / image.path, image.data)
    home = environment().get_template("home.html").render(pack=pack, _=lambda s: s)
    changed += write_if_changed(out / "index.html", home.encode())
    return f"{len(pack.modules)} module(s) in {out} ({changed} file(s) written)"
