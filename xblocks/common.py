"""What every Common Ground block shares.

Each block holds one element's source Markdown, in the authoring syntax (``content``), so course
teams edit it in Studio. Parsing and rendering go through ``coursepack`` (the one parser, the one
sanitiser, the shared widget templates) and are cached by the hash of the sources, so a block
renders its Markdown once per process, not once per learner. The learner side is the player's
widgets (``widgets.js``, from ``coursepack.player``), mounted on the block's widget by ``static/xblock-adapter.js``
with the block's JSON handlers as its host; the module shell (``shell.js``: scoring, state codec,
device store) is for SCORM and the preview only, so a unit page never loads it. ``student_view_data`` (content, settings, texts: the
same for every learner) and ``user_state`` (the learner's side, also served by the
``student_view_user_state`` handler) are the payloads for that JS and for the mobile apps.
Nothing about a learner is recorded from Studio's preview or under staff masquerade
(``records_learner_data``).

Handlers validate everything before they change anything: a bad request gets HTTP 400 with a
reason, and the learner's state is left as it was.
"""
from __future__ import annotations

import functools
import hashlib
import io
import json
import threading
from collections import OrderedDict
from dataclasses import dataclass

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape
from web_fragments.fragment import Fragment
from webob import Response
from xblock.completable import CompletableXBlockMixin, XBlockCompletionMode
from xblock.core import XBlock
from xblock.fields import Boolean, Scope, ScopeIds, String, UserScope
from xblock.utils.settings import XBlockWithSettingsMixin
from xblock.utils.studio_editable import StudioEditableXBlockMixin
from xblock.validation import ValidationMessage

from coursepack import fragment as cpf, player
from coursepack.attrs import ID_PATTERN
from coursepack.render import Host, render_fragment, strings as player_strings

MAX_BODY = 64 * 1024          # bytes in a learner's request
MAX_SOURCE = 200_000          # characters in one Markdown field
MAX_LINE = 255                # characters in a one-line field


def _(text: str) -> str:
    """Mark a string for extraction; it is translated where it is shown, by the i18n service."""
    return text


# -- requests ---------------------------------------------------------------------------------

class Invalid(Exception):
    """A request the block refuses: HTTP 400 (or ``status``) with ``reason``; nothing was changed."""

    def __init__(self, reason: str, status: int = 400, **extra):
        super().__init__(reason)
        self.reason = reason
        self.status = status
        self.extra = extra


def json_response(data, status: int = 200, **kwargs) -> Response:
    return Response(json.dumps(data, ensure_ascii=False), status=status, content_type="application/json",
                    charset="utf-8", **kwargs)


def read_json(request) -> dict:
    """The request's body: at most ``MAX_BODY`` bytes of UTF-8 JSON holding one object, or
    Invalid (also for nesting too deep to read). ``request.body`` (read whole, as Django has it
    already) stays readable for the next reader, e.g. the mixin's handler."""
    if (request.content_length or 0) > MAX_BODY:
        raise Invalid("the request is too large")
    body = request.body
    if len(body) > MAX_BODY:
        raise Invalid("the request is too large")
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise Invalid("the request is not JSON") from None
    if not isinstance(data, dict):
        raise Invalid("the request must be a JSON object")
    return data


def json_handler(func):
    """An XBlock handler taking and answering JSON, stricter than ``XBlock.json_handler``.

    POST only (405 otherwise); the body must be what ``read_json`` accepts (400 otherwise).
    ``Invalid`` becomes a 400 with ``{"error": reason}``. The wrapped function must check the
    whole request before it changes a field: the runtime saves whatever fields a handler set,
    even when it answers 400.
    """
    @XBlock.handler
    @functools.wraps(func)
    def wrapper(self, request, suffix=""):
        if request.method != "POST":
            return json_response({"error": "use POST"}, 405, allow=["POST"])
        try:
            return json_response(func(self, read_json(request), suffix))
        except Invalid as exc:
            return json_response({"error": exc.reason, **exc.extra}, exc.status)
    return wrapper


def expect_keys(data: dict, allowed, required=()) -> None:
    unknown = sorted(set(data) - set(allowed))
    if unknown:
        raise Invalid(f"unknown field(s): {', '.join(map(str, unknown))[:200]}")
    missing = [k for k in required if k not in data]
    if missing:
        raise Invalid(f"missing field(s): {', '.join(missing)}")


# -- caches -----------------------------------------------------------------------------------

class BoundedCache:
    """A small thread-safe LRU dictionary, for the rendered markup only. ``functools.lru_cache``
    keys on a function's arguments, and rendering needs the runtime's ``gettext`` (a new object
    for every block, so never a cache hit) although only the language matters: here the key is
    what the markup depends on and the value is made by the caller."""

    def __init__(self, size: int):
        self.size = size
        self._items: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key, make):
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = make()
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value

    def clear(self):
        with self._lock:
            self._items.clear()


RENDERED = BoundedCache(4096)   # (sources hash, language, DOM prefix, preview mark) -> Markup


def digest(*parts: str) -> str:
    return hashlib.sha256("\x00".join(parts).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Parsed:
    """A block's sources, read: the elements, the glossary, support lines and every problem."""
    fragment: cpf.Fragment
    glossary: dict
    support_lines: tuple
    problems: tuple  # (field name, Diagnostic)

    @property
    def ok(self) -> bool:
        return not self.problems


@functools.lru_cache(maxsize=4096)
def parse_sources(kind: str, content: str, before: str, glossary: str, support_lines: str) -> Parsed:
    """A block's sources, read: a pure function of the texts, so every block with the same
    Markdown (and every request for it) shares one parse."""
    fragment = cpf.parse_fragment(content, kind=kind, file="content", before=before)
    problems = [("before_source" if d.file == "before" else "content", d) for d in fragment.errors]
    terms, diags = cpf.parse_glossary(glossary, file="glossary")
    problems += [("glossary", d) for d in diags]
    lines, diags = cpf.parse_support_lines(support_lines, file="support_lines")
    problems += [("support_lines", d) for d in diags]
    return Parsed(fragment, terms, lines, tuple(problems))


# -- templates --------------------------------------------------------------------------------

@functools.lru_cache(maxsize=1)
def templates() -> Environment:
    return Environment(loader=PackageLoader("xblocks", "templates"),
                       autoescape=select_autoescape(default=True, default_for_string=True),
                       trim_blocks=True, lstrip_blocks=True)


# -- the base block ---------------------------------------------------------------------------

#: The block type whose URL every block uses for the files all five share (they are the same files).
SHARED_RESOURCE_TYPE = "cg_page"

# Where learner text goes in Open edX, in the learner's words (the shell's own is coursepack's DEVICE).
OPENEDX = Host(
    "openedx",
    privacy="Saved to your account on this site. Course staff with access to learner data can read what you save. "
            "It is never graded.",
    share_note="Course staff check what you send before anyone else sees it. Only they can see that you wrote it: "
               "everyone else on the course sees it without your name.",
    share_submit="Send for moderation", sends=True)

#: What every block's fragment names: the player's styles and widgets (not its module shell), ours.
SHARED_FILES = ("static/player.css", "static/xblocks.css", "static/widgets.js", "static/xblock-adapter.js")
#: Those of them that are the player's, put together from the registered kinds (coursepack.player).
PLAYER_FILES = {uri: uri.split("/")[-1] for uri in SHARED_FILES if uri.split("/")[-1] in player.PARTS}


class SharedFiles:
    """Stands for a ``cg_page`` block when a block asks the runtime for the URL of a shared file.

    Runtimes build a local resource's URL from the asking block's type (edx-platform's resource
    view, the workbench) or its Python package (edx-platform's collected static files). Asked as
    five block types, a unit page would name, and fetch, the same player five times; asked as one,
    every block's fragment names the same URLs and the page loads each file once."""

    def __init__(self):
        self.scope_ids = ScopeIds(None, SHARED_RESOURCE_TYPE, None, None)


def shared_file_url(runtime, uri: str) -> str:
    return runtime.local_resource_url(SharedFiles(), uri)


@XBlock.needs("i18n")
@XBlock.wants("user", "settings")
class CommonGroundBlock(StudioEditableXBlockMixin, XBlockWithSettingsMixin, CompletableXBlockMixin, XBlock):
    """Fields, parsing, rendering, Studio editing and OLX export shared by the five blocks."""

    kind = "page"                  # what the Markdown holds (coursepack.fragment.KINDS)
    complete_on_view = True        # completion published when the learner sees the block
    has_download = False           # a ``download`` handler gives the learner their texts as a file
    public_dir = "static"          # xblocks/static: our JS/CSS and the shared player
    block_settings_key = "CommonGround"   # XBLOCK_SETTINGS["CommonGround"]
    completion_mode = XBlockCompletionMode.COMPLETABLE
    has_custom_completion = True
    default_content = ""
    markdown_help = ""

    display_name = String(display_name=_("Display name"), scope=Scope.settings, default="",
                          help=_("The name shown in the course outline."), enforce_type=True)
    content = String(display_name=_("Markdown"), scope=Scope.content, default="",
                     help=_("The element in the Common Ground authoring syntax (see docs/authoring.md)."),
                     enforce_type=True, multiline_editor=True)
    module = String(display_name=_("Module id"), scope=Scope.settings, default="",
                    help=_("The id of the module this belongs to (letters, digits, hyphens). "
                           "Learner data that spans blocks is kept under it: do not change it once learners start."),
                    enforce_type=True)
    module_title = String(display_name=_("Module title"), scope=Scope.settings, default="",
                          help=_("Shown in a learner's downloaded reflections."), enforce_type=True)
    glossary = String(display_name=_("Glossary"), scope=Scope.content, default="",
                      help=_("Definitions of the words marked [[like this]], one 'term: definition' line each (YAML)."),
                      enforce_type=True, multiline_editor=True)
    preview_mark = Boolean(display_name=_("Mark as a preview"), scope=Scope.settings, default=False,
                           help=_("Shows 'Preview, not for learners' above this component. The course "
                                  "builder sets it on the first component of every unit; a course "
                                  "built with --release has none."),
                           enforce_type=True)
    completed = Boolean(scope=Scope.user_state, default=False, enforce_type=True)

    editable_fields = ("display_name", "content", "glossary", "module", "module_title")
    source_fields = ("content", "glossary")     # what parsing reads (subclasses add theirs)

    @classmethod
    def open_local_resource(cls, uri):
        """The player's files as the registered kinds make them (an LMS that collects static
        files reads the copy the wheel's build wrote instead: setup.py); every other file as
        XBlock serves it."""
        name = uri.decode("utf-8") if isinstance(uri, bytes) else uri
        if name in PLAYER_FILES:
            return io.BytesIO(player.player_file(PLAYER_FILES[name]))
        return super().open_local_resource(uri)

    # -- services ---------------------------------------------------------------------------
    @property
    def i18n(self):
        return self.runtime.service(self, "i18n")

    def _(self, text: str) -> str:  # pylint: disable=invalid-name
        return self.i18n.gettext(text)

    def language(self) -> str:
        getter = getattr(self.i18n, "get_language", None)
        try:
            lang = getter() if callable(getter) else None
            if not lang:
                from django.utils import translation  # pylint: disable=import-outside-toplevel
                lang = translation.get_language()
        except Exception:  # pylint: disable=broad-except  (no Django, or not configured)
            lang = ""
        return lang or ""

    def setting(self, name: str, default=None):
        """One of XBLOCK_SETTINGS["CommonGround"] (``block_settings_key``), through the mixin."""
        return (self.get_xblock_settings(default={}) or {}).get(name, default)

    def current_user(self):
        service = self.runtime.service(self, "user")
        return service.get_current_user() if service else None

    def is_staff(self) -> bool:
        """Course staff (or instructor), as the LMS's user service says."""
        user = self.current_user()
        if not user:
            return False
        return bool(user.opt_attrs.get("edx-platform.user_is_staff")) or \
            user.opt_attrs.get("edx-platform.user_role") in ("staff", "instructor")

    def in_studio_preview(self) -> bool:
        """Studio's preview (and its author view) runs blocks with ``runtime.is_author_mode``."""
        return bool(getattr(self.runtime, "is_author_mode", False))

    def masquerading(self) -> bool:
        """Staff viewing the course as a learner or as one named learner ("View this course as").

        edx-platform's ``setup_masquerade`` puts the staff user's masquerade settings on the
        Django user behind the user service and, for a named learner, ``real_user`` on the
        learner it substitutes; a role of "staff" is no masquerade."""
        service = self.runtime.service(self, "user")
        django_user = getattr(service, "_django_user", None)
        if django_user is None:
            return False
        real = getattr(django_user, "real_user", None)
        if real is not None and real is not django_user:
            return True
        settings = getattr(django_user, "masquerade_settings", None) or {}
        course = self.course_key()
        entry = next((v for k, v in settings.items() if str(k) == course), None) if isinstance(settings, dict) else None
        return bool(entry and (getattr(entry, "user_name", None) or getattr(entry, "role", "staff") != "staff"))

    def records_learner_data(self) -> bool:
        """Whether this request may write rows, grades or completion about a learner: never from
        Studio's preview (the author is no learner) or under masquerade (staff would write over,
        or beside, a learner's data)."""
        return not (self.in_studio_preview() or self.masquerading())

    def course_key(self) -> str:
        """The course this block is in: the usage key's course in Open edX."""
        for candidate in (getattr(self.scope_ids.usage_id, "course_key", None),
                          getattr(self, "course_id", None), getattr(self.runtime, "course_id", None)):
            if candidate:
                return str(candidate)
        return "no-course"

    def learner_key(self) -> str:
        """Who this learner is in course-wide rows: the anonymous id where the LMS gives one."""
        user = self.current_user()
        anonymous = user.opt_attrs.get("edx-platform.anonymous_user_id") if user else None
        return str(anonymous or self.scope_ids.user_id)

    def element_key(self, element_id: str | None = None) -> str:
        """``<module>/<element id>``: the author's ids, stable across re-imports."""
        return f"{self.module or '-'}/{element_id or getattr(self.element, 'id', '')}"

    @property
    def dom_prefix(self) -> str:
        return "cg" + hashlib.sha1(str(self.scope_ids.usage_id).encode()).hexdigest()[:8] + "-"

    # -- parsing ----------------------------------------------------------------------------
    def sources(self, data=None) -> dict:
        """The fields parsing depends on (``source_fields``), read from ``data`` (this block by
        default, or the values a Studio form would save)."""
        data = self if data is None else data
        return {name: getattr(data, name) or "" for name in self.source_fields}

    def field_label(self, name: str) -> str:
        field = self.fields.get(name)
        return self._(field.display_name) if field is not None else name

    def sources_digest(self, values: dict) -> str:
        return digest(self.kind, *(f"{k}={v}" for k, v in sorted(values.items())))

    def parse(self, values: dict) -> Parsed:
        return parse_sources(self.kind, *(values.get(name, "") or "" for name in
                                          ("content", "before_source", "glossary", "support_lines")))

    @property
    def parsed(self) -> Parsed:
        """This block's sources, read (remembered on the instance while they stay the same)."""
        values = self.sources()
        memo = getattr(self, "_cg_parsed", None)
        if memo is None or memo[0] != values:
            memo = (values, self.parse(values), self.sources_digest(values))
            self._cg_parsed = memo
        return memo[1]

    @property
    def element(self):
        return self.parsed.fragment.element if self.parsed.ok else None

    def describe(self, field: str, diagnostic) -> str:
        hint = f" ({diagnostic.hint})" if diagnostic.hint else ""
        return self._("{field}, line {line}: {message}").format(
            field=self.field_label(field), line=diagnostic.line, message=diagnostic.message) + hint

    def problems(self, parsed: Parsed | None = None) -> list[str]:
        parsed = parsed or self.parsed
        return [self.describe(field, d) for field, d in parsed.problems]

    # -- learner view -----------------------------------------------------------------------
    def body_html(self) -> Markup:
        """The element's markup through the shared templates, cached by sources hash."""
        parsed = self.parsed
        key = (self._cg_parsed[2], self.language(), self.dom_prefix, self.preview_mark)
        return RENDERED.get(key, lambda: render_fragment(
            parsed.fragment.elements, anchor=self.kind, glossary=parsed.glossary,
            support_lines=parsed.support_lines, gettext=self._, prefix=self.dom_prefix, host=OPENEDX,
            preview=self.preview_mark))

    def learner_state(self) -> dict | None:
        """What the widget restores on revisit (subclasses)."""
        return None

    def extra_html(self) -> Markup:
        """Markup after the widget (subclasses: staff summaries)."""
        return Markup("")

    def heading(self) -> str:
        return ""

    @XBlock.supports("multi_device")
    def student_view(self, context=None):  # pylint: disable=unused-argument
        """The block for learners, on the web and in the mobile apps' web view (edx-platform's
        StudentViewTransformer reads ``multi_device`` from this method, not the class)."""
        parsed = self.parsed
        html = templates().get_template("student.html").render(
            kind=self.kind, ok=parsed.ok, body=self.body_html() if parsed.ok else "",
            problems=self.problems(parsed) if self.is_staff() else [], heading=self.heading(),
            extra=self.extra_html() if parsed.ok else "", _=self._)
        frag = Fragment(html)
        for uri in SHARED_FILES:
            (frag.add_css_url if uri.endswith(".css") else frag.add_javascript_url)(shared_file_url(self.runtime, uri))
        frag.initialize_js("CommonGroundXBlock", self.js_args())
        return frag

    def js_args(self) -> dict:
        """Our JS's arguments: ``student_view_data`` but the element, whose markup the fragment
        already holds, and the learner's side (``user_state``), as the page is this learner's."""
        data = {k: v for k, v in self.student_view_data().items() if k != "element"}
        return {**data, **self.user_state()}

    def element_data(self) -> dict:
        """The element for the mobile apps (subclasses; nothing a learner should not see)."""
        return {"html": str(self.body_html())}

    def student_view_data(self, context=None):  # pylint: disable=unused-argument
        """Content, settings and the player's texts: the same for every learner. edx-platform
        collects it when the course is published, with no learner bound, and caches it for all
        (the Course Blocks API); a learner's state comes from ``student_view_user_state``."""
        ok = self.parsed.ok
        return {"kind": self.kind, "display_name": self.display_name, "module": self.module, "ok": ok,
                "graded": bool(getattr(self, "has_score", False)), "download": self.has_download,
                "completeOnView": self.complete_on_view, "strings": player_strings(self._, self.i18n.ngettext),
                **({"element": self.element_data()} if ok else {})}

    def user_state(self) -> dict:
        """This learner's side of the block (subclasses add theirs)."""
        return {"completed": bool(self.completed), "state": self.learner_state() if self.parsed.ok else None}

    @XBlock.handler
    def student_view_user_state(self, request, suffix=""):  # pylint: disable=unused-argument
        """GET: the learner's state as JSON, for the mobile apps (as drag-and-drop-v2 serves it)."""
        if request.method not in ("GET", "HEAD", "POST"):
            return json_response({"error": "use GET"}, 405, allow=["GET"])
        return json_response(self.user_state(), cache_control="no-store")

    @json_handler
    def viewed(self, data, suffix=""):  # pylint: disable=unused-argument
        """The learner saw the block: complete for blocks that complete on view."""
        expect_keys(data, ())
        if not self.complete_on_view:
            raise Invalid("this block completes when it is done, not when it is seen")
        self.complete()
        return {"completion": 1.0}

    def complete(self) -> None:
        """Mark the block complete once, and tell the runtime (not from preview or masquerade)."""
        if not self.completed and self.records_learner_data():
            self.completed = True
            self.emit_completion(1.0)

    # -- Studio -----------------------------------------------------------------------------
    # The form, its JS and the save are StudioEditableXBlockMixin's; the block adds what the
    # mixin leaves out: a request of the wrong shape gets a 400 (not a 500), and
    # ``validate_field_data`` refuses the save, whole, while any field breaks a rule or the
    # candidate Markdown has a problem.

    def studio_view(self, context=None):
        """The mixin's form, with the few rules that size it where Studio's stylesheet is absent."""
        frag = super().studio_view(context)
        frag.add_css_url(shared_file_url(self.runtime, "static/studio.css"))
        return frag

    def ugettext(self, text: str) -> str:
        """The mixin translates labels and help with ``ugettext``; i18n services may only have gettext."""
        return self._(text)

    def _make_field_info(self, field_name, field):
        """The mixin's field, with the block's syntax summary (``markdown_help``) under the Markdown
        and the help escaped (the mixin's template shows it as HTML)."""
        info = super()._make_field_info(field_name, field)
        extra = self._(self.markdown_help) if field_name == "content" and self.markdown_help else ""
        info["help"] = escape(" ".join(t for t in (info["help"], extra) if t))
        return info

    def multiline(self, name: str) -> bool:
        return bool(self.fields[name].runtime_options.get("multiline_editor"))

    @XBlock.handler
    def submit_studio_edits(self, request, suffix=""):
        """The mixin's save, once the request is what its form sends: a JSON object with
        ``values`` (this block's editable fields, text each) and ``defaults`` (names to reset)."""
        if request.method != "POST":
            return json_response({"error": "use POST"}, 405, allow=["POST"])
        try:
            data = read_json(request)
            expect_keys(data, ("values", "defaults"), ("values", "defaults"))
            values, defaults = data["values"], data["defaults"]
            if not isinstance(values, dict) or not isinstance(defaults, list):
                raise Invalid("'values' must be an object and 'defaults' a list")
            expect_keys(values, self.editable_fields)
            if not all(isinstance(name, str) and name in self.editable_fields for name in defaults):
                raise Invalid("'defaults' must name editable fields")
            wrong = [name for name, value in values.items() if not isinstance(value, str)]
            if wrong:
                raise Invalid(f"'{wrong[0]}' must be text")
        except Invalid as exc:
            return json_response({"error": exc.reason}, exc.status)
        return super().submit_studio_edits(request, suffix)

    def clean_studio_edits(self, data: dict) -> None:
        for name, value in data.items():
            data[name] = value.strip()

    def field_problems(self, data) -> list[str]:
        """The rules each editable field keeps, read from ``data`` (the block or the form's values)."""
        problems = []
        for name in self.editable_fields:
            value = getattr(data, name) or ""
            label = self.field_label(name)
            if len(value) > (MAX_SOURCE if self.multiline(name) else MAX_LINE):
                problems.append(self._("{field} is too long").format(field=label))
            elif not self.multiline(name) and ("\n" in value or "\r" in value):
                problems.append(self._("{field} must be one line").format(field=label))
        module = getattr(data, "module", "") or ""
        if module and not ID_PATTERN.match(module):
            problems.append(self._("{field} must be a short id: lower-case letters, digits and hyphens").format(
                field=self.field_label("module")))
        return problems

    def validate_field_data(self, validation, data):
        """Every problem of the fields and of the Markdown they hold: the mixin saves nothing while
        there is one (HTTP 400 with the messages), and Studio lists them on the unit page."""
        problems = self.field_problems(data)
        if not problems:
            problems = self.problems(self.parse(self.sources(data)))
        for problem in problems:
            validation.add(ValidationMessage(ValidationMessage.ERROR, problem))

    # -- OLX --------------------------------------------------------------------------------
    def add_xml_to_node(self, node):
        """Export content and settings only: learner data never goes into OLX."""
        super().add_xml_to_node(node)
        for name, field in self.fields.items():
            if getattr(field.scope, "user", UserScope.NONE) != UserScope.NONE and name in node.attrib:
                del node.attrib[name]

    # -- workbench --------------------------------------------------------------------------
    @classmethod
    def workbench_scenarios(cls):
        try:      # the workbench's demos are development tools, not shipped with the blocks
            from .dev.scenarios import scenarios_for  # pylint: disable=import-outside-toplevel
        except ImportError:
            return []
        return scenarios_for(cls.kind)
