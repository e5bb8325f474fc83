"""Translations of the blocks: ``python -m xblocks.dev.i18n extract|dummy|compile``, on Babel.

Open edX's i18n service looks for a block's translations in the ``translations`` folder beside
its module, gettext domain ``text`` (``translations/<locale>/LC_MESSAGES/text.mo``), as
xblock-drag-and-drop-v2 ships them. Every string a learner or course team sees goes through that
service, including the shared widget templates and player texts from ``coursepack``, so they
are all extracted here:

- ``extract``: ``_()``/``gettext()``/``ngettext()`` calls in ``xblocks/*.py`` (Babel's Python
  extractor), the Jinja2 templates of ``xblocks`` and ``coursepack`` (Jinja2's Babel extractor),
  and the player's texts, plurals included → ``translations/en/LC_MESSAGES/text.po`` (the source
  catalogue a translator copies);
- ``dummy``: a pseudo-translation, ``eo``, with accented letters, to see untranslated text at a glance;
- ``compile``: every ``.po`` → ``.mo`` with Babel's ``write_mo``.

The catalogues' dates are fixed, so each command writes the same bytes every time it runs.
"""
from __future__ import annotations

import io
import re
import sys
from datetime import datetime, timezone
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

HERE = Path(__file__).resolve().parent.parent      # the xblocks package
ROOT = HERE.parent
TRANSLATIONS = HERE / "translations"
DOMAIN = "text"
COURSEPACK = ROOT / "coursepack"
KEYWORDS = {"_": None, "gettext": None, "ugettext": None, "ngettext": (1, 2)}
# The coursepack templates a block renders besides the kinds' widgets (the module shell is not
# used in Open edX).
BLOCK_TEMPLATES = [COURSEPACK / "templates" / "page.html", COURSEPACK / "templates" / "support_lines.html"]
PROJECT = "commonground-xblocks"
DATE = datetime(2026, 1, 1, tzinfo=timezone.utc)   # fixed: the same bytes on every run
NOTE = "Common Ground XBlocks. Extracted by `make extract_translations`; do not edit the English file."


def _extracted():
    """(message id, where) from the blocks' Python and the templates they render."""
    sys.path.insert(0, str(ROOT))
    from coursepack.elements import KINDS  # pylint: disable=import-outside-toplevel
    from coursepack.elements.kind import TEMPLATE  # pylint: disable=import-outside-toplevel
    widgets = [k.file(TEMPLATE) for k in KINDS if k.file(TEMPLATE) and COURSEPACK in k.folder.parents]
    sources = [("python", p) for p in sorted(HERE.glob("*.py"))]
    sources += [("jinja2.ext:babel_extract", p)
                for p in [*sorted((HERE / "templates").glob("*.html")), *BLOCK_TEMPLATES, *widgets]]
    for method, path in sources:
        for line, message, _comments, _context in extract_from_file(method, str(path), keywords=KEYWORDS,
                                                                    strip_comment_tags=True):
            yield message, (str(path.relative_to(ROOT)), line)


def _listed():
    """(message id, where) from the lists of texts the player, the hosts and the widgets show."""
    sys.path.insert(0, str(ROOT))
    from coursepack.elements import KINDS  # pylint: disable=import-outside-toplevel
    from coursepack.render import DEVICE, PLAYER_STRINGS, PLURAL_STRINGS  # pylint: disable=import-outside-toplevel
    from xblocks.base import OPENEDX  # pylint: disable=import-outside-toplevel
    for texts in (PLAYER_STRINGS, PLURAL_STRINGS, DEVICE.texts()):
        yield from ((m, ("coursepack/render.py", None)) for m in texts)
    yield from ((m, ("xblocks/base.py", None)) for m in OPENEDX.texts())
    for kind in (k for k in KINDS if COURSEPACK in k.folder.parents):
        yield from ((m, (f"coursepack/elements/{kind.name}/__init__.py", None)) for m in kind.strings)


class StableCatalog(Catalog):
    """A catalogue whose header leaves out which Babel wrote it: the same bytes from any version."""

    def _get_mime_headers(self):
        headers = [(k, v) for k, v in super()._get_mime_headers() if k != "Generated-By"]
        return headers[:-1] + [(headers[-1][0], headers[-1][1] + "\n")]   # the header ends with a newline

    mime_headers = property(_get_mime_headers, Catalog._set_mime_headers)


def new_catalogue(language: str) -> Catalog:
    return StableCatalog(locale=language, domain=DOMAIN, project=PROJECT, version="", header_comment=f"# {NOTE}",
                         creation_date=DATE, revision_date=DATE, fuzzy=False)


def template() -> Catalog:
    """Every message the blocks show (a plural one as its singular and plural ids), with where it is used."""
    found: dict = {}
    for message, where in [*_extracted(), *_listed()]:
        key = message if isinstance(message, str) else tuple(message)
        if key and all(key):
            found.setdefault(key, set()).add(where)
    catalogue = new_catalogue("en")
    for key in sorted(found, key=lambda k: k if isinstance(k, str) else k[0]):
        text = key if isinstance(key, str) else key[0]
        catalogue.add(key, "" if isinstance(key, str) else ("", ""), locations=sorted(found[key], key=str),
                      flags=("python-brace-format",) if "{" in text else ())
    return catalogue


ACCENTS = str.maketrans("aeiouyAEIOUYcnsz", "áéíóúýÁÉÍÓÚÝçñšž")


def pseudo(text: str) -> str:
    """Accent the letters, but not inside {placeholders}."""
    return "".join(part if part.startswith("{") else part.translate(ACCENTS)
                   for part in re.split(r"(\{\w*\})", text))


def catalogue_path(language: str) -> Path:
    return TRANSLATIONS / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def load(path: Path) -> Catalog:
    """A .po file as a StableCatalog (its header, so its plural forms, and its messages)."""
    with path.open("rb") as handle:
        read = read_po(handle, domain=DOMAIN)
    catalogue = StableCatalog(locale=read.locale, domain=DOMAIN)
    catalogue.mime_headers = read.mime_headers
    for message in read:
        if message.id:
            catalogue[message.id] = message
    return catalogue


def po_bytes(catalogue: Catalog) -> bytes:
    out = io.BytesIO()
    write_po(out, catalogue, sort_output=True, width=100)
    return out.getvalue()


def mo_bytes(catalogue: Catalog) -> bytes:
    out = io.BytesIO()
    write_mo(out, catalogue)
    return out.getvalue()


def pseudo_catalogue() -> Catalog:
    """The ``eo`` pseudo-translation of every message, plural forms included."""
    catalogue = new_catalogue("eo")
    for message in template():
        if message.id:
            text = (pseudo(message.id[0]), pseudo(message.id[1])) if message.pluralizable else pseudo(message.id)
            catalogue.add(message.id, text, locations=message.locations, flags=message.flags)
    return catalogue


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def extract() -> int:
    catalogue = template()
    _write(catalogue_path("en"), po_bytes(catalogue))
    return len(catalogue)


def dummy() -> int:
    catalogue = pseudo_catalogue()
    _write(catalogue_path("eo"), po_bytes(catalogue))
    return len(catalogue)


def compile_all() -> int:
    count = 0
    for po in sorted(TRANSLATIONS.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        _write(po.with_suffix(".mo"), mo_bytes(load(po)))
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
