"""Load a pack folder (pack.yml + modules/) into the model, collecting every problem.

``load_pack`` never raises for an author's mistake: it returns what it could read and the full
list of diagnostics; ``require_pack`` is for deliveries, which refuse to build a broken pack.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from . import frontmatter as fm
from . import markdown_html
from .assets import IMAGE, SHARED_IMAGES, image_problems, through_link
from .diagnostics import FRONT_MATTER_FILE, Diagnostics, PackError
from .model import CourseKey, Module, Pack, Pathway, Source, SupportLine
from .parse import BodyParser, Fix, Line, link_elements

MODULE_DIR = "modules"
# Twice the size at which lint warns about a page: a file this big is never something to learn
# from (a 25-minute module is about 30 KB), and the language and readability checks cost several
# seconds a megabyte, so a 20 MB file would keep lint busy for most of a minute.
MAX_FILE_BYTES = 2_000_000
# Characters XML cannot hold (XML 1.0's Char production), which no delivery can carry: the OLX
# course, the SCORM manifests, the Word and PowerPoint files are XML. They are invisible in most
# editors and come with text copied out of Word or a PDF (a vertical tab for a line break).
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
FOLDER_MODULE_FILE = FRONT_MATTER_FILE


@dataclass
class ModuleSource:
    """The raw numbered lines of a module, kept for line-based checks (lint)."""
    path: Path
    lines: list[Line]
    front_lines: dict[str, int]
    meta: dict = field(default_factory=dict)
    front_read: bool = True           # False when the front matter is not readable YAML


@dataclass
class LoadResult:
    pack: Pack | None
    diagnostics: Diagnostics
    sources: dict[str, ModuleSource] = field(default_factory=dict)
    fixes: list[Fix] = field(default_factory=list)


def _read_lines(path: Path, display: str, diags: Diagnostics, root: Path, fixes: list[Fix]) -> list[str] | None:
    """The file's lines; None, with a diagnostic, for a file that is not the pack's own
    (reached through a symlink), too large, not UTF-8 or unreadable. Control characters are
    reported and left out (``_without_control``)."""
    if through_link(root, path.relative_to(root).as_posix()):
        diags.error(display, 1, "linked-file", "the file is a link (a symlink) to a file that may be outside the pack",
                    "copy the file into the pack instead of linking to it")
        return None
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            diags.error(display, 1, "file-too-large", f"the file is {path.stat().st_size / 1e6:.1f} MB, too "
                        f"large to check or to send to learners (the limit is {MAX_FILE_BYTES // 1_000_000} MB)",
                        "split it: a page over 1 MB already takes 20 s to load at 400 kbit/s")
            return None
        return _without_control(path.read_text(encoding="utf-8"), display, diags, fixes).splitlines()
    except UnicodeDecodeError as exc:
        diags.error(display, 1, "encoding", f"the file is not UTF-8 text ({exc.reason})",
                    "save it as UTF-8 in your editor")
    except OSError as exc:
        diags.error(display, 1, "unreadable", f"cannot read the file: {exc.strerror}")
    return None


def _without_control(text: str, display: str, diags: Diagnostics, fixes: list[Fix]) -> str:
    """``text`` without the characters XML cannot hold (``CONTROL``), each line holding one
    reported as an error (so nothing is built until it is gone) with the fix ``lint --fix``
    writes. Left in, they stopped the OLX and facilitator builders with a traceback; and a
    vertical tab or form feed would split a line, so the lines after it would be misnumbered."""
    if CONTROL.search(text) is None:
        return text
    for no, line in enumerate(text.split("\n"), start=1):
        found = CONTROL.search(line)
        if found is None:
            continue
        char = found.group()
        diags.error(display, no, "control-character",
                    f"column {found.start() + 1} holds an invisible control character (U+{ord(char):04X}) "
                    "that web pages, SCORM packages and Open edX cannot carry",
                    "it often comes with text copied out of Word or a PDF: delete it, or run "
                    "'commonground lint --fix', which deletes it for you")
        fixes.append(Fix(display, no, line, CONTROL.sub("", line)))
    return CONTROL.sub("", text)


def display_base(root: Path) -> Path:
    """Paths in messages are relative to the folder holding the pack, e.g. content/modules/x.md."""
    return Path(root).resolve().parent


def _display(path: Path, root: Path) -> str:
    try:   # below the root, the name as found (a link is named, not the file it points at)
        return str((Path(root).resolve() / Path(path).relative_to(root)).relative_to(display_base(root)))
    except ValueError:
        pass
    try:
        return str(path.resolve().relative_to(display_base(root)))
    except ValueError:
        return str(path)


def module_files(module_path: Path) -> list[Path]:
    """The files of a module: one .md file, or a folder's module.md then its pages in name order."""
    if module_path.is_dir():
        pages = sorted(p for p in module_path.glob("*.md") if p.name != FOLDER_MODULE_FILE)
        return [module_path / FOLDER_MODULE_FILE, *pages]
    return [module_path]


# (module path, pack root) → (digest of the module's files, its diagnostics, what load_module
# returned). One entry per module file: a rebuild after a save re-parses only what changed.
_parsed: dict[tuple[str, str], tuple] = {}


def _digest(files: list[Path]) -> str | None:
    """A digest of the names and bytes of a module's files; None when one cannot be read."""
    h = hashlib.sha256()
    try:
        for f in files:
            data = f.read_bytes()
            h.update(f"{f.name}\0{len(data)}\0".encode())
            h.update(data)
    except OSError:
        return None
    return h.hexdigest()


def load_module(module_path: Path, root: Path, diags: Diagnostics):
    """Parse one module (``_load_module``), or return the last parse of the same bytes.

    What a module parses to depends only on its files' bytes and the pack root (paths in
    messages), so the result and the diagnostics it raised are reused while they are unchanged.
    """
    key = (str(Path(module_path).resolve()), str(Path(root).resolve()))
    digest = _digest(module_files(module_path))
    cached = _parsed.get(key)
    if digest is not None and cached is not None and cached[0] == digest:
        diags.items.extend(cached[1])
        return cached[2]
    found = Diagnostics()
    result = _load_module(module_path, root, found)
    diags.extend(found)
    if digest is not None:
        _parsed[key] = (digest, tuple(found.items), result)
    return result


def _load_module(module_path: Path, root: Path, diags: Diagnostics):
    files = module_files(module_path)
    head_display = _display(files[0], root)
    read_fixes: list[Fix] = []
    head = _read_lines(files[0], head_display, diags, root, read_fixes) if files[0].exists() else None
    if head is None:
        if not files[0].exists():
            diags.error(head_display, 1, "missing-file", "a module folder needs a module.md with the front matter")
        return None, None, read_fixes
    split = fm.split_front_matter(head)
    if split is None:
        diags.error(head_display, 1, "no-front-matter", "the module has no front matter",
                    "start the file with a '---' line, the module's details, then another '---' line")
        return None, None, read_fixes
    front, body_start = split
    data, key_lines = fm.load_mapping("\n".join(front), head_display, 2, diags)
    meta = fm.check_schema(data, key_lines, fm.MODULE_SCHEMA, head_display, 1, diags, "front matter") \
        if data is not None else {}
    lines = [Line(head_display, n + 1, t) for n, t in enumerate(head) if n >= body_start]
    for page_file in files[1:]:
        display = _display(page_file, root)
        text = _read_lines(page_file, display, diags, root, read_fixes)
        if text is not None:
            lines.extend(Line(display, n + 1, t) for n, t in enumerate(text))
    parser = BodyParser(diags, lines)
    sections = link_elements(parser.parse(), diags)
    source = ModuleSource(module_path, lines, key_lines, meta, front_read=data is not None)
    if not sections:
        diags.error(head_display, body_start + 1, "no-pages", "the module has no pages",
                    "add a section '# Title {#id}' and a page '## Title {#id}'")
    required = [k for k, (_, req) in fm.MODULE_SCHEMA.items() if req]
    if any(k not in meta for k in required):
        return None, source, [*read_fixes, *parser.fixes]
    module = Module(
        id=meta["id"], title=meta["title"], summary=meta["summary"], duration=meta["duration"],
        level=meta["level"], audience=meta["audience"], outcomes=meta["outcomes"],
        pass_mark=meta["pass_mark"],
        sources=tuple(Source(s["key"], s["title"], s["publisher"], s.get("year"), s.get("url", ""))
                      for s in meta["sources"]),
        reviewed_by=meta["reviewed_by"], reviewed_on=meta["reviewed_on"],
        review_due=meta["review_due"], version=meta["version"], language=meta["language"],
        sections=tuple(sections), keywords=meta.get("keywords", ()),
        content_note=meta.get("content_note", ""), glossary=meta.get("glossary", ()),
        path=head_display)
    return module, source, [*read_fixes, *parser.fixes]


def discover_modules(root: Path) -> list[Path]:
    folder = root / MODULE_DIR
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir()
                  if (p.suffix == ".md" and p.is_file())
                  or (p.is_dir() and not p.name.startswith(".") and p.name != SHARED_IMAGES))


def load_pack(root: str | Path) -> LoadResult:
    root = Path(root)
    diags = Diagnostics()
    pack_file = root / "pack.yml"
    display = _display(pack_file, root)
    if not pack_file.is_file():
        diags.error(display, 1, "missing-file", "the pack has no pack.yml",
                    "see docs/authoring.md for what it holds")
        return LoadResult(None, diags)
    fixes: list[Fix] = []
    text = _read_lines(pack_file, display, diags, root, fixes)
    data, key_lines = fm.load_mapping("\n".join(text or []), display, 1, diags)
    meta = fm.check_schema(data or {}, key_lines, fm.PACK_SCHEMA, display, 1, diags, "pack.yml") \
        if data is not None else {}

    modules, sources = [], {}
    seen: dict[str, str] = {}
    glossary = {k.lower(): v for k, v in meta.get("glossary", ())}
    for path in discover_modules(root):
        module, source, module_fixes = load_module(path, root, diags)
        fixes.extend(module_fixes)
        if source is not None:
            _check_references(source, glossary, diags)
        if module is None:
            continue
        if module.id in seen:
            diags.error(module.path, source.front_lines.get("id", 1), "duplicate-module",
                        f"module id '{module.id}' is used twice", f"first used in {seen[module.id]}")
            continue
        seen[module.id] = module.path
        modules.append(module)
        sources[module.id] = source
    if not discover_modules(root):
        diags.error(display, 1, "no-modules", f"no modules found in {root / MODULE_DIR}",
                    "add one Markdown file per module there")

    for pathway in meta.get("pathways", ()):
        for module_id in pathway["modules"]:
            if module_id not in seen:
                diags.error(display, key_lines.get("pathways", 1), "unknown-module",
                            f"pathway '{pathway['role']}' names module '{module_id}', which does not exist",
                            fm.did_you_mean(module_id, seen) if seen else "")
    required = [k for k, (_, req) in fm.PACK_SCHEMA.items() if req]
    if any(k not in meta for k in required):
        return LoadResult(None, diags, sources, fixes)
    pack = Pack(
        title=meta["title"], publisher=meta["publisher"], language=meta["language"],
        course=CourseKey(**meta["course"]), pass_mark=meta["pass_mark"],
        reading_age_target=meta.get("reading_age_target", 14),
        support_lines=tuple(SupportLine(**s) for s in meta["support_lines"]),
        glossary=meta.get("glossary", ()),
        pathways=tuple(Pathway(p["role"], p["level"], p["description"], p["modules"])
                       for p in meta.get("pathways", ())),
        modules=tuple(modules), root=str(root), min_learners=meta.get("min_learners", 5))
    return LoadResult(pack, diags, sources, fixes)


TERM = re.compile(markdown_html.TERM_PATTERN)
CITATION = re.compile(markdown_html.CITATION_PATTERN)
CITATION_KEY = re.compile(r"S\d+[a-z]?")


def _check_references(source: ModuleSource, pack_glossary: dict, diags: Diagnostics) -> None:
    """Images, glossary terms and source citations must point at something real.

    Terms and citations are checked against the front matter only when the front matter could
    be read: a YAML mistake there is reported once, not again as every citation it hides."""
    glossary = {**pack_glossary, **{k.lower(): v for k, v in source.meta.get("glossary", ())}}
    check_terms = source.front_read and ("glossary" in source.meta or "glossary" not in source.front_lines)
    keys = {s["key"] for s in source.meta.get("sources", ())}
    check_citations = "sources" in source.meta
    for line in source.lines:
        if "[" not in line.text:        # all three need one: most lines have none (a third of a warm load)
            continue
        for match in IMAGE.finditer(line.text):
            alt, target = match.group(1).strip(), match.group(2)
            if not alt:
                diags.error(line.file, line.no, "image-no-alt", "an image has no alt text",
                            "say what the picture shows: ![Four boxes in a grid](file.png)")
            image_problems(source, line, target, diags)
        for match in TERM.finditer(line.text) if check_terms else ():
            term = (match.group(2) or match.group(1)).strip().lower()
            if term not in glossary:
                diags.error(line.file, line.no, "unknown-term", f"glossary term '{term}' is not defined",
                            fm.did_you_mean(term, glossary) if glossary else "define it under 'glossary:'")
        for match in CITATION.finditer(line.text) if check_citations else ():
            for key in CITATION_KEY.findall(match.group(1)):
                if key not in keys:
                    diags.error(line.file, line.no, "unknown-source",
                                f"source [{key}] is not in this module's sources",
                                "add it under 'sources:' in the front matter")


def require_pack(root: str | Path) -> LoadResult:
    """Load a pack for building: any error stops the build with every diagnostic."""
    result = load_pack(root)
    if result.pack is None or result.diagnostics.errors:
        raise PackError(result.diagnostics.sorted())
    return result
