"""What every Common Ground block shares.

Each block holds one element's source Markdown, in the authoring syntax (``content``), so course
teams edit it in Studio. Parsing and rendering go through ``coursepack`` (the one parser, the one
sanitiser, the shared widget templates) and are cached by the hash of the sources, so a block
renders its Markdown once per process, not once per learner. The learner side is the player's
widgets (``coursepack/static/widgets.js``), mounted on the block's widget by ``static/xblock-adapter.js``
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
import json
import threading
from collections import OrderedDict
from dataclasses import dataclass

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup
from web_fragments.fragment import Fragment
from webob import Response
from xblock.completable import CompletableXBlockMixin, XBlockCompletionMode
from xblock.core import XBlock
from xblock.fields import Boolean, Scope, ScopeIds, String, UserScope
from xblock.utils.settings import XBlockWithSettingsMixin
from xblock.validation import ValidationMessage

from coursepack import fragment as cpf
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


def json_handler(func):
    """An XBlock handler taking and answering JSON, stricter than ``XBlock.json_handler``.

    POST only (405 otherwise); the body must be at most ``MAX_BODY`` bytes of UTF-8 JSON holding
    one object (400 otherwise, also for nesting too deep to read). ``Invalid`` becomes a 400 with
    ``{"error": reason}``. The wrapped function must check the whole request before it changes a
    field: the runtime saves whatever fields a handler set, even when it answers 400.
    """
    @XBlock.handler
    @functools.wraps(func)
    def wrapper(self, request, suffix=""):
        if request.method != "POST":
            return json_response({"error": "use POST"}, 405, allow=["POST"])
        if (request.content_length or 0) > MAX_BODY:
            return json_response({"error": "the request is too large"}, 400)
        body = request.body_file.read(MAX_BODY + 1)
        if len(body) > MAX_BODY:
            return json_response({"error": "the request is too large"}, 400)
        try:
            data = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            return json_response({"error": "the request is not JSON"}, 400)
        if not isinstance(data, dict):
            return json_response({"error": "the request must be a JSON object"}, 400)
        try:
            return json_response(func(self, data, suffix))
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
    """A small thread-safe LRU dictionary (a process serves many requests at once)."""

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


PARSED = BoundedCache(4096)     # sources hash -> Parsed
RENDERED = BoundedCache(4096)   # (sources hash, language, DOM prefix) -> Markup


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
class CommonGroundBlock(XBlockWithSettingsMixin, CompletableXBlockMixin, XBlock):
    """Fields, parsing, rendering, Studio editing and OLX export shared by the five blocks."""

    kind = "page"                  # what the Markdown holds (coursepack.fragment.KINDS)
    complete_on_view = True        # completion published when the learner sees the block
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
                     enforce_type=True)
    module = String(display_name=_("Module id"), scope=Scope.settings, default="",
                    help=_("The id of the module this belongs to (letters, digits, hyphens). "
                           "Learner data that spans blocks is kept under it: do not change it once learners start."),
                    enforce_type=True)
    module_title = String(display_name=_("Module title"), scope=Scope.settings, default="",
                          help=_("Shown in a learner's downloaded reflections."), enforce_type=True)
    glossary = String(display_name=_("Glossary"), scope=Scope.content, default="",
                      help=_("Definitions of the words marked [[like this]], one 'term: definition' line each (YAML)."),
                      enforce_type=True)
    preview_mark = Boolean(display_name=_("Mark as a preview"), scope=Scope.settings, default=False,
                           help=_("Shows 'Preview, not for learners' above this component. The course "
                                  "builder sets it on the first component of every unit; a course "
                                  "built with --release has none."),
                           enforce_type=True)
    completed = Boolean(scope=Scope.user_state, default=False, enforce_type=True)

    editable_fields = ("display_name", "content", "glossary", "module", "module_title")
    multiline_fields = ("content", "glossary")

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
    def sources(self) -> dict:
        """The fields parsing depends on (subclasses add theirs)."""
        return {"content": self.content or "", "glossary": self.glossary or ""}

    def field_label(self, name: str) -> str:
        field = self.fields.get(name)
        return self._(field.display_name) if field is not None else name

    def sources_digest(self, values: dict) -> str:
        return digest(self.kind, *(f"{k}={v}" for k, v in sorted(values.items())))

    def parse(self, values: dict) -> Parsed:
        return PARSED.get(self.sources_digest(values), lambda: self._parse(values))

    def _parse(self, values: dict) -> Parsed:
        fragment = cpf.parse_fragment(values.get("content", ""), kind=self.kind, file="content",
                                      before=values.get("before_source", ""))
        problems = [("before_source" if d.file == "before" else "content", d) for d in fragment.errors]
        terms, diags = cpf.parse_glossary(values.get("glossary", ""), file="glossary")
        problems += [("glossary", d) for d in diags]
        lines, diags = cpf.parse_support_lines(values.get("support_lines", ""), file="support_lines")
        problems += [("support_lines", d) for d in diags]
        return Parsed(fragment, terms, lines, tuple(problems))

    @property
    def parsed(self) -> Parsed:
        """This block's sources, read (remembered on the instance while they stay the same)."""
        values = self.sources()
        memo = getattr(self, "_cg_parsed", None)
        if memo is None or memo[0] != values:
            key = self.sources_digest(values)
            memo = (values, PARSED.get(key, lambda: self._parse(values)), key)
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
                "graded": bool(getattr(self, "has_score", False)),
                "completeOnView": self.complete_on_view, "strings": player_strings(self._),
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
    def studio_fields(self) -> list[dict]:
        out = []
        for name in self.editable_fields:
            field = self.fields[name]
            value = getattr(self, name)
            out.append({"name": name, "label": self._(field.display_name), "help": self._(field.help or ""),
                        "value": value if value is not None else "", "multiline": name in self.multiline_fields,
                        "rows": 18 if name == "content" else 6})
        return out

    def studio_view(self, context=None):  # pylint: disable=unused-argument
        html = templates().get_template("studio.html").render(
            fields=self.studio_fields(), prefix=self.dom_prefix, problems=self.problems(), _=self._,
            help=self._(self.markdown_help))
        frag = Fragment(html)
        frag.add_css_url(shared_file_url(self.runtime, "static/xblocks.css"))
        frag.add_javascript_url(shared_file_url(self.runtime, "static/studio.js"))
        frag.initialize_js("CommonGroundStudio", {"kind": self.kind})
        return frag

    def clean_studio_values(self, data: dict) -> dict:
        """Check a Studio form submission field by field; the cleaned values, or Invalid."""
        expect_keys(data, self.editable_fields)
        values = {}
        for name, value in data.items():
            if not isinstance(value, str):
                raise Invalid(f"'{name}' must be text")
            multiline = name in self.multiline_fields
            if len(value) > (MAX_SOURCE if multiline else MAX_LINE):
                raise Invalid(self._("{field} is too long").format(field=self.field_label(name)))
            value = value.strip()
            if not multiline and ("\n" in value or "\r" in value):
                raise Invalid(self._("{field} must be one line").format(field=self.field_label(name)))
            values[name] = value
        if values.get("module") and not ID_PATTERN.match(values["module"]):
            raise Invalid(self._("{field} must be a short id: lower-case letters, digits and hyphens").format(
                field=self.field_label("module")))
        return values

    @json_handler
    def studio_submit(self, data, suffix=""):  # pylint: disable=unused-argument
        """Save the Studio form, or nothing at all when any field has a problem."""
        values = self.clean_studio_values(data)
        candidate = {**self.sources(), **{k: v for k, v in values.items() if k in self.sources()}}
        problems = self.problems(self.parse(candidate))
        if problems:
            raise Invalid(self._("Nothing was saved: the Markdown has problems."), problems=problems)
        for name, value in values.items():
            setattr(self, name, value)
        return {"result": "success"}

    def validate(self):
        """Problems Studio shows on the unit page (e.g. after importing a broken course)."""
        validation = super().validate()
        for problem in self.problems():
            validation.add(ValidationMessage(ValidationMessage.ERROR, problem))
        return validation

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
