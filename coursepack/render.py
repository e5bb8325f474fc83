"""Model → learner HTML through the shared Jinja2 templates (autoescaped).

The same widget templates render inside an XBlock's student_view and inside the module shell of
a SCORM package or the preview site. Author text goes through ``markdown_html`` (sanitised);
everything else is escaped by Jinja2. ``gettext`` is the host's translation function.
"""
from __future__ import annotations

import json
import pickle
import sys
import zlib
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Sequence

from jinja2 import (ChoiceLoader, Environment, FileSystemBytecodeCache, FileSystemLoader, PackageLoader,
                    PrefixLoader, select_autoescape)
from markupsafe import Markup

from . import elements, markdown_html, sharing_rules
from .completion import module_key
from .model import Element, Module, Pack, Page
from .parse import MAX_ATTEMPTS

Gettext = Callable[[str], str]
Ngettext = Callable[[str, str, int], str]



@dataclass(frozen=True)
class Host:
    """Where a learner's own text goes, in the words the learner reads (each translated through
    the host's ``gettext``). The module shell keeps it on the device (``DEVICE``); a delivery that
    keeps it on a server brings its own ``Host`` (the Open edX blocks do), so no delivery's
    wording lives in the content model."""
    name: str               # data-cg-host on the widgets
    privacy: str            # under every reflection
    share_note: str         # under a learning review or joint feedback form
    share_submit: str       # that form's button
    sends: bool = False     # the host sends share forms on (else they stay here, with a download)
    record_note: str = ""   # under "Save your record of learning": where the record is made from

    def texts(self) -> tuple[str, ...]:
        """What a translator translates (the catalogues collect it from here)."""
        return self.privacy, self.share_note, self.share_submit, self.record_note


DEVICE = Host(
    "device",
    privacy="What you write stays on this device unless you choose to send it. You can download it at any time.",
    share_note="This is a private template: what you write stays on this device unless you choose to send it, "
               "and you can download it as text. In the Open edX version of this course it can be shared with "
               "your team after moderation.",
    share_submit="Save on this device",
    record_note="Made on this device from what is saved here. Nothing is sent to your learning system.")


@lru_cache(maxsize=1)
def environment() -> Environment:
    # The page templates, and each kind's markup as "<kind>/widget.html" from the kind's folder.
    # Not reloaded when edited (auto_reload, which asked the file system at every include, a
    # third of the page rendering): what they render is kept by content, in builds and in the
    # blocks, so an edited template shows only in a new process anyway.
    kinds = PrefixLoader({k.name: FileSystemLoader(str(k.folder)) for k in elements.KINDS})
    env = Environment(loader=ChoiceLoader([PackageLoader("coursepack", "templates"), kinds]),
                      autoescape=select_autoescape(default=True, default_for_string=True),
                      trim_blocks=True, lstrip_blocks=True, auto_reload=False)
    env.filters["md"] = lambda s: Markup(markdown_html.render(s or ""))
    env.filters["md_inline"] = lambda s: Markup(markdown_html.render_inline(s or ""))
    env.globals["term_anchor"] = markdown_html.term_anchor
    # Each kind's template name, looked up once (``Kind.template`` asks the file system, and
    # the page asks twice per element); the kinds and their folders are fixed once imported.
    widgets = {k.name: k.template for k in elements.KINDS}
    env.globals["widget_template"] = lambda el: widgets[el.kind]
    env.globals["shown"] = elements.shown
    env.globals["sharing_rules"] = lambda: json.dumps(sharing_rules.browser_rules(), separators=(",", ":"))
    return env


class _KeptTemplates(FileSystemBytecodeCache):
    """Jinja's bytecode cache, which never stops a build: a folder it cannot read or write
    only means compiling again. One file per template and Python version: Jinja's code for one
    version is refused by another, and one name for both made Python 3.11 and 3.12 builds on one
    machine compile every template again, each after the other."""

    def __init__(self) -> None:
        super().__init__(pattern=f"__jinja2_py{sys.version_info[0]}{sys.version_info[1]}_%s.cache")

    def load_bytecode(self, bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except OSError:
            pass

    def dump_bytecode(self, bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass


def keep_compiled_templates() -> None:
    """Keep the templates' compiled code between build processes, as Python keeps a module's
    (Jinja's bytecode cache, in a folder of the temporary folder that only this user may use;
    checked against each template's source, so an edit is compiled again): compiling the same
    templates was a tenth of every cold build. For builds: the LMS renders in one long-lived
    process and compiles once anyway."""
    env = environment()
    if env.bytecode_cache is None:
        try:
            env.bytecode_cache = _KeptTemplates()
        except (OSError, RuntimeError):     # no private temporary folder: compile as before
            pass


def builder_templates(package: str, **options) -> Environment:
    """The Jinja environment of a builder's template folder (``<package>/templates``).

    Its compiled templates are kept between build processes as the pages' are
    (``keep_compiled_templates``, in the same folder, checked against each template's source):
    compiling the manifests, the catalogue, the Moodle backup's and the facilitator kit's
    templates afresh was a fifth of each of these builders' cold build. For builders only: the
    LMS never loads them."""
    keep_compiled_templates()
    return Environment(loader=PackageLoader(package, "templates"), bytecode_cache=environment().bytecode_cache,
                       trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True, **options)


def _identity(text: str) -> str:
    return text


def _context(pack: Pack, gettext: Gettext | None, prefix: str, host: Host) -> dict:
    _ = gettext or _identity
    return {"_": _, "prefix": prefix, "support_lines": pack.support_lines, "privacy": _(host.privacy), "host": host,
            "preview": not pack.release}


def page_glossary(page: Page, pack: Pack, module: Module) -> list[tuple[str, str]]:
    terms = pack.glossary_for(module)
    return [(t, terms[t]) for t in elements.terms_marked(page.elements) if t in terms]


def render_page(page: Page, pack: Pack, module: Module, *, gettext: Gettext | None = None,
                prefix: str = "", host: Host = DEVICE) -> Markup:
    """A page's elements and the glossary of the words it marks."""
    return _page_body(page, page_glossary(page, pack, module), _context(pack, gettext, prefix, host))


def _page_body(page: Page, glossary: list[tuple[str, str]], ctx: dict) -> Markup:
    html = environment().get_template("page.html").render(page=page, glossary=glossary, **ctx)
    # Term links point at this page's own definition list (one document may hold many pages).
    return Markup(markdown_html.anchor_terms(html, markdown_html.term_prefix(ctx["prefix"], page.id)))


def render_fragment(items: tuple[Element, ...], *, anchor: str, glossary: dict[str, str] | None = None,
                    support_lines=(), gettext: Gettext | None = None, prefix: str = "",
                    host: Host = DEVICE, preview: bool = False) -> Markup:
    """Elements outside a whole pack (what one Open edX block shows), through the page template.

    ``glossary`` maps lower-case terms to definitions (the words these elements mark are listed);
    ``support_lines`` fill "take a pause" panels; ``anchor`` names this piece in DOM ids;
    ``host`` says where learner text goes; ``preview`` adds the "Preview, not for learners" mark
    of a non-release build.
    """
    _ = gettext or _identity
    terms = glossary or {}
    page = Page(anchor, "", tuple(items))
    ctx = {"_": _, "prefix": prefix, "support_lines": tuple(support_lines), "privacy": _(host.privacy),
           "host": host, "preview": preview}
    return _page_body(page, [(t, terms[t]) for t in elements.terms_marked(page.elements) if t in terms], ctx)


PLAYER_STRINGS = (
    "Correct.", "Not quite.", "Partly right.", "Choose an answer first.", "Answer saved.",
    "No attempts left.",
    "You did not choose this one, but it is right.", "The right answer: {answer}", "Saved.", "Not saved: {reason}",
    "{used} of {max} characters", "Page {n} of {total}", "You have finished this module.",
    "Your score: {score}%. Pass mark: {pass}%.", "You passed.", "You have not reached the pass mark yet. You can go back and try again.",
    "Pages viewed: {seen} of {total}. Questions answered: {answered} of {questions}.",
    "Running on its own: progress is saved in this browser only.",
    "Looking for your learning system…",
    "Saving to your learning system did not work. Your answers are kept here and will be sent again.",
    "Rate every statement first.", "Your ratings are saved.",
    "Before: {before}. Now: {after}.", "Seen", "Exited. You can close this window.",
    "Send my reflections to my learning system (its administrators can read them)",
    "My reflections", "Still to do", "Read the page “{title}”",
    "Answer “{question}” on “{title}”", "{term}: {definition}", "Source {key}",
    "Back to where you were", "Table", "The table is wider than the screen: scroll sideways to see all of it.",
    "Your reflections are too long to send to your learning system, so they stay on this device. You can download them.",
    "Your answers are cleared. Close this window and open the module again to start over.",
)


#: Player texts with plural forms, (singular, plural) → the counts the player shows them for.
PLURAL_STRINGS = {
    ("{n} attempt left.", "{n} attempts left."): range(1, MAX_ATTEMPTS + 1),
}


def plural_key(plural: str, n: int) -> str:
    """Where the player finds the text of a plural message for ``n``: ``"<plural>|<n>"``."""
    return f"{plural}|{n}"


def _english_ngettext(singular: str, plural: str, n: int) -> str:
    return singular if n == 1 else plural


def strings(gettext: Gettext | None = None, ngettext: Ngettext | None = None) -> dict[str, str]:
    """Player texts, translated by the host, handed to the JS in its data payload. A plural
    message comes as one text per count it can be shown for (``plural_key``), each chosen by
    the host's ``ngettext``: every language's plural rule applies (Scottish Gaelic has four
    forms) and the player needs none of them, nor a rule to evaluate."""
    _ = gettext or _identity
    plural_of = ngettext or _english_ngettext
    texts = {s: _(s) for s in (*PLAYER_STRINGS, *(t for k in elements.KINDS for t in k.strings))}
    for (singular, plural), counts in PLURAL_STRINGS.items():
        texts.update({plural_key(plural, n): plural_of(singular, plural, n) for n in counts})
    return texts


def pack_identity(pack: Pack) -> tuple:
    """What of the pack besides a module's own text shows on that module's pages (a cache key)."""
    return (pack.title, pack.support_lines, pack.glossary, pack.language, pack.release)


# module id → ((module, pack identity), page bodies and player key packed): see ``module_parts``.
# Keyed by id, so an edited module replaces its entry rather than adding one beside it.
_shell_cache: dict[str, tuple[tuple, bytes]] = {}


def _packed(bodies: Sequence[str], key: dict) -> bytes:
    """A module's pages and key as compressed bytes: a tenth of the room of the strings and
    objects (about 70 KB of HTML a module, 30 MB for 500), in the build process that holds
    every module's, in each worker forked from it (which counts them again) and through the
    pipe that brings them back from a render worker."""
    return zlib.compress(pickle.dumps((tuple(map(str, bodies)), key), pickle.HIGHEST_PROTOCOL), 1)


def _unpacked(packed: bytes) -> tuple[tuple[Markup, ...], dict]:
    bodies, key = pickle.loads(zlib.decompress(packed))
    return tuple(map(Markup, bodies)), key


def module_parts(module: Module, pack: Pack) -> tuple[tuple[Markup, ...], dict]:
    """What of a whole-module page depends on the content: each page's body and the player's
    key (``completion.module_key``), in English.

    Every delivery that shows a module in the shell (the preview site, each SCORM version, the
    single-module and the whole-pack packages) differs only in scripts, transport and its own
    data, so the pages are rendered once per module and kept (``_packed``) until the module or
    the pack around it changes (the model is immutable: equal inputs, equal HTML), not once per
    package.
    """
    identity = (module, pack_identity(pack))
    cached = _shell_cache.get(module.id)
    if cached is None or cached[0] != identity:
        parts = tuple(render_page(p, pack, module) for p in module.pages), module_key(module)
        _shell_cache[module.id] = (identity, _packed(*parts))
        return parts
    return _unpacked(cached[1])


def shows_modules(builder: Callable) -> Callable:
    """Mark a builder (a ``commonground.builders`` entry point) that shows whole modules in the
    shell (``render_shell``): before it runs, ``commonground build`` renders every module's
    pages once, on every core (``render_modules``), for all such builders to share."""
    builder.shows_modules = True
    return builder


# Fewest modules worth a process of their own: below this a fork costs more than it saves.
MODULES_PER_PROCESS = 4


def render_modules(pack: Pack, modules: Sequence[Module] | None = None, *,
                   processes: int | None = None) -> tuple[int, int]:
    """Render every module (of ``modules``, default the pack's) that ``module_parts`` does not
    hold yet, before the builders ask for them one at a time, spread over up to ``processes``
    processes (``coursepack.processes.jobs``): most of a cold build is this rendering, and
    Markdown is Python code that one process runs on one core. The templates are compiled and
    the Markdown converter is built here first, so the workers inherit them instead of each
    making its own; each worker sends back, with a module's pages, the Markdown fragments it
    rendered, kept here for the builders (forked from this process) to find. Returns (modules
    rendered, processes used)."""
    from .processes import can_fork, fork_map, jobs
    identity = pack_identity(pack)
    todo = [m for m in (pack.modules if modules is None else modules)
            if _shell_cache.get(m.id, (None,))[0] != (m, identity)]
    count = min(jobs(processes), len(todo) // MODULES_PER_PROCESS) if can_fork() else 1
    if count > 1:
        markdown_html.prepare()
        env = environment()
        # .html only: a kind's folder (one of the loaders) also holds its scripts and model
        for name in env.list_templates(extensions=["html"]):
            env.get_template(name)

    def render(module: Module) -> tuple[bytes, dict]:
        with markdown_html.recording() as fragments:
            module_parts(module, pack)
            return _shell_cache[module.id][1], fragments

    for module, (parts, fragments) in zip(todo, fork_map(render, todo, count)):
        _shell_cache[module.id] = ((module, identity), parts)
        markdown_html.remember(fragments)
    return len(todo), max(count, 1)


def render_shell(module: Module, pack: Pack, *, scripts: list[str], transport: str,
                 gettext: Gettext | None = None, asset_prefix: str = "", extra: dict | None = None) -> str:
    """A whole module in the shell used by SCORM packages and the preview site."""
    pages = module.pages
    if gettext is None:
        bodies, key = module_parts(module, pack)
    else:
        bodies, key = [render_page(p, pack, module, gettext=gettext) for p in pages], module_key(module)
    data = {"transport": transport, "module": key, "strings": strings(gettext), "facts": elements.facts_of(module.elements(), module, pack),
            **(extra or {})}
    return environment().get_template("shell.html").render(
        module=module, pack=pack, pages=pages, bodies=bodies, data=data, scripts=scripts,
        asset_prefix=asset_prefix, **_context(pack, gettext, "", DEVICE))
