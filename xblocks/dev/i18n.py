"""Translations of the blocks: ``python -m xblocks.dev.i18n extract|dummy|compile``.

Open edX's i18n service looks for a block's translations in the ``translations`` folder beside
its module, gettext domain ``text`` (``translations/<locale>/LC_MESSAGES/text.mo``), as
xblock-drag-and-drop-v2 ships them. Every string a learner or course team sees goes through that
service, including the shared widget templates and player texts from ``coursepack``, so they
are all extracted here:

- ``extract``: ``_()``/``gettext()`` calls in ``xblocks/*.py``, the Jinja2 templates of
  ``xblocks`` and ``coursepack``, and the player's texts → ``translations/en/LC_MESSAGES/text.po``
  (the source catalogue a translator copies);
- ``dummy``: a pseudo-translation, ``eo``, with accented letters, to see untranslated text at a glance;
- ``compile``: every ``.po`` → ``.mo`` (pure Python, the same bytes each time).
"""
from __future__ import annotations

import ast
import re
import struct
import sys
from pathlib import Path

from jinja2 import Environment

HERE = Path(__file__).resolve().parent.parent      # the xblocks package
TRANSLATIONS = HERE / "translations"
DOMAIN = "text"
COURSEPACK = HERE.parent / "coursepack"
FUNCTIONS = {"_", "gettext", "ugettext"}
# The coursepack templates a block renders (the module shell is not used in Open edX).
BLOCK_TEMPLATES = [COURSEPACK / "templates" / "page.html", COURSEPACK / "templates" / "support_lines.html",
                   *sorted((COURSEPACK / "templates" / "widgets").glob("*.html"))]
HEADER = {
    "Project-Id-Version": "commonground-xblocks",
    "MIME-Version": "1.0",
    "Content-Type": "text/plain; charset=UTF-8",
    "Content-Transfer-Encoding": "8bit",
}


def _python_messages(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
        arg = node.args[0]
        if name in FUNCTIONS and isinstance(arg, ast.Constant) and isinstance(arg.value, str):
            yield node.lineno, arg.value


def _template_messages(path: Path):
    env = Environment(extensions=["jinja2.ext.i18n"])
    for lineno, _func, message in env.extract_translations(path.read_text(encoding="utf-8")):
        if isinstance(message, str):
            yield lineno, message


def messages() -> dict[str, list[str]]:
    """msgid → where it is used."""
    found: dict[str, list[str]] = {}

    def add(msgid: str, where: str):
        if msgid:
            found.setdefault(msgid, []).append(where)
    root = HERE.parent
    for path in sorted(HERE.glob("*.py")):
        for line, msgid in _python_messages(path):
            add(msgid, f"{path.relative_to(root)}:{line}")
    templates = [*sorted((HERE / "templates").glob("*.html")), *BLOCK_TEMPLATES]
    for path in templates:
        for line, msgid in _template_messages(path):
            add(msgid, f"{path.relative_to(root)}:{line}")
    sys.path.insert(0, str(root))
    from coursepack.render import DEVICE, PLAYER_STRINGS  # pylint: disable=import-outside-toplevel
    from xblocks.common import OPENEDX  # pylint: disable=import-outside-toplevel
    for msgid in PLAYER_STRINGS:
        add(msgid, "coursepack/render.py (PLAYER_STRINGS)")
    for where, host in (("coursepack/render.py (DEVICE)", DEVICE), ("xblocks/common.py (OPENEDX)", OPENEDX)):
        for msgid in host.texts():
            add(msgid, where)
    from coursepack.elements import KINDS  # pylint: disable=import-outside-toplevel
    for kind in KINDS:
        for msgid in kind.strings:
            add(msgid, f"coursepack/elements ({kind.name})")
    return found


def _quote(text: str) -> str:
    text = text.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t").replace("\r", "\\r")
    if "\n" not in text:
        return f'"{text}"'
    parts = text.split("\n")
    lines = [p + "\\n" for p in parts[:-1]] + ([parts[-1]] if parts[-1] else [])
    return '""\n' + "\n".join(f'"{line}"' for line in lines)


def write_po(path: Path, entries: dict[str, str], where: dict[str, list[str]], language: str) -> None:
    header = {**HEADER, "Language": language}
    out = ["# Common Ground XBlocks. Extracted by `make extract_translations`; do not edit the English file.",
           'msgid ""', 'msgstr ""'] + [f'"{k}: {v}\\n"' for k, v in header.items()] + [""]
    for msgid in sorted(entries):
        out += [f"#: {ref}" for ref in sorted(set(where.get(msgid, [])))]
        if "{" in msgid:
            out.append("#, python-brace-format")
        out += [f"msgid {_quote(msgid)}", f"msgstr {_quote(entries[msgid])}", ""]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(out), encoding="utf-8")


def read_po(path: Path) -> dict[str, str]:
    """msgid → msgstr of a .po file (simple catalogues: no plurals or contexts)."""
    def unquote(s: str) -> str:
        return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t", "r": "\r"}.get(m.group(1), m.group(1)), s[1:-1])

    entries: dict[str, str] = {}
    msgid: list[str] = []
    msgstr: list[str] = []
    target = None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        line = line.strip()
        if line.startswith("msgid "):
            msgid, msgstr = [unquote(line[6:].strip())], []
            target = msgid
        elif line.startswith("msgstr "):
            msgstr = [unquote(line[7:].strip())]
            target = msgstr
        elif line.startswith('"') and target is not None:
            target.append(unquote(line))
        elif not line and target is not None:
            entries["".join(msgid)] = "".join(msgstr)
            target = None
    return entries


def write_mo(path: Path, entries: dict[str, str]) -> None:
    """GNU gettext .mo (little endian, no hash table), entries sorted as gettext expects."""
    items = sorted((k.encode(), v.encode()) for k, v in entries.items() if v or not k)
    ids = b"".join(k + b"\0" for k, _ in items)
    strs = b"".join(v + b"\0" for _, v in items)
    start = 7 * 4 + 16 * len(items)
    offsets, id_off, str_off = [], 0, 0
    for k, v in items:
        offsets.append((len(k), start + id_off, len(v), start + len(ids) + str_off))
        id_off += len(k) + 1
        str_off += len(v) + 1
    out = struct.pack("<7I", 0x950412DE, 0, len(items), 28, 28 + 8 * len(items), 0, 0)
    out += b"".join(struct.pack("<2I", n, o) for n, o, _, _ in offsets)
    out += b"".join(struct.pack("<2I", n, o) for _, _, n, o in offsets)
    path.write_bytes(out + ids + strs)


def _header(language: str) -> str:
    return "".join(f"{k}: {v}\n" for k, v in {**HEADER, "Language": language}.items())


ACCENTS = str.maketrans("aeiouyAEIOUYcnsz", "áéíóúýÁÉÍÓÚÝçñšž")


def pseudo(text: str) -> str:
    """Accent the letters, but not inside {placeholders}."""
    return "".join(part if part.startswith("{") else part.translate(ACCENTS)
                   for part in re.split(r"(\{\w*\})", text))


def catalogue(language: str) -> Path:
    return TRANSLATIONS / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def extract() -> int:
    where = messages()
    write_po(catalogue("en"), {m: "" for m in where}, where, "en")
    return len(where)


def dummy() -> int:
    where = messages()
    write_po(catalogue("eo"), {m: pseudo(m) for m in where}, where, "eo")
    return len(where)


def compile_all() -> int:
    count = 0
    for po in sorted(TRANSLATIONS.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        language = po.parent.parent.name
        entries = read_po(po)
        entries[""] = _header(language)
        write_mo(po.with_suffix(".mo"), entries)
        count += 1
    return count


def main(argv=None) -> int:
    args = sys.argv[1:] if argv is None else argv
    commands = {"extract": extract, "dummy": dummy, "compile": compile_all}
    if len(args) != 1 or args[0] not in commands:
        print("usage: python -m xblocks.dev.i18n extract|dummy|compile", file=sys.stderr)
        return 2
    print(f"{args[0]}: {commands[args[0]]()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
