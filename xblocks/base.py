"""The base block: what every Common Ground block has in common.

Each block holds one element's source Markdown, in the authoring syntax (``content``), so course
teams edit it in Studio. Parsing (``sources.py``) and rendering go through ``coursepack`` (the
one parser, the one sanitiser, the shared widget templates) and are cached by the hash of the
sources (``cache.py``), so a block renders its Markdown once per process, not once per learner.
The learner side is the player's widgets (``widgets.js``, from ``coursepack.player``), mounted on the
block's widget by ``static/xblock-adapter.js`` with the block's JSON handlers (``handlers.py``)
as its host; the module shell (``shell.js``: scoring, state codec, device store) is for SCORM
and the preview only, so a unit page never loads it (``player_files.py``).
``student_view_data`` (content, settings, texts: the same for every learner) and ``user_state``
(the learner's side, also served by the ``student_view_user_state`` handler) are the payloads for
that JS and for the mobile apps. Nothing about a learner is recorded from Studio's preview or
under staff masquerade (``records_learner_data``).
"""
from __future__ import annotations

import hashlib
import io

from markupsafe import Markup, escape
from web_fragments.fragment import Fragment
from xblock.completable import CompletableXBlockMixin, XBlockCompletionMode
from xblock.core import XBlock
from xblock.fields import Boolean, Scope, String, UserScope
from xblock.utils.settings import XBlockWithSettingsMixin
from xblock.utils.studio_editable import StudioEditableXBlockMixin
from xblock.validation import ValidationMessage

from coursepack import player
from coursepack.attrs import ID_PATTERN
from coursepack.render import Host, render_fragment, strings as player_strings

from .cache import RENDERED
from .handlers import Invalid, expect_keys, json_handler, json_response, read_json
from .player_files import ASSEMBLED, PLAYER_FILES, player_file_url
from .sources import Parsed, digest, parse_sources
from .templating import templates

MAX_SOURCE = 200_000          # characters in one Markdown field
MAX_LINE = 255                # characters in a one-line field


def _(text: str) -> str:
    """Mark a string for extraction; it is translated where it is shown, by the i18n service."""
    return text


OUTLINE_HELP = _("The name shown in the course outline.")


def display_name_field(default: str, help_text: str = OUTLINE_HELP) -> String:
    """A block type's name in the course outline, with its own default."""
    return String(display_name=_("Display name"), scope=Scope.settings, default=default, help=help_text,
                  enforce_type=True)


def source_text_field(display_name: str, help_text: str, default: str = "") -> String:
    """Source text an author writes (Markdown or YAML): content, not settings, so it travels with
    the block's definition, and edited in Studio's multi-line text area."""
    return String(display_name=display_name, scope=Scope.content, default=default, help=help_text,
                  enforce_type=True, multiline_editor=True)


def markdown_field(default: str, help_text: str) -> String:
    """A block type's element in the authoring syntax, its default a worked example Studio starts from."""
    return source_text_field(_("Markdown"), help_text, default)


# Where learner text goes in Open edX, in the learner's words (the shell's own is coursepack's DEVICE).
OPENEDX = Host(
    "openedx",
    privacy="Saved to your account on this site. Course staff with access to learner data can read what you save. "
            "It is never graded.",
    share_note="Course staff check what you send before anyone else sees it. Only they can see that you wrote it: "
               "everyone else on the course sees it without your name.",
    share_submit="Send for moderation", sends=True,
    record_note="Made from your own saved work in this course. Only you can get it.")


@XBlock.needs("i18n")
@XBlock.wants("user", "settings")
class CommonGroundBlock(StudioEditableXBlockMixin, XBlockWithSettingsMixin, CompletableXBlockMixin, XBlock):
    """Fields, parsing, rendering, Studio editing and OLX export shared by the five blocks."""

    kind = "page"                  # what the Markdown holds (coursepack.fragment.KINDS)
    complete_on_view = True        # completion published when the learner sees the block
    icon_class = "other"           # the unit navigation's icon (knowledge checks show "problem")
    has_download = False           # a ``download`` handler gives the learner their texts as a file
    public_dir = "static"          # xblocks/static: our JS/CSS and the shared player
    block_settings_key = "CommonGround"   # XBLOCK_SETTINGS["CommonGround"]
    completion_mode = XBlockCompletionMode.COMPLETABLE
    has_custom_completion = True
    default_content = ""
    markdown_help = ""

    display_name = display_name_field("")
    content = markdown_field("", _("The element in the Common Ground authoring syntax (see docs/authoring.md)."))
    module = String(display_name=_("Module id"), scope=Scope.settings, default="",
                    help=_("The id of the module this belongs to (letters, digits, hyphens). "
                           "Learner data that spans blocks is kept under it: do not change it once learners start."),
                    enforce_type=True)
    module_title = String(display_name=_("Module title"), scope=Scope.settings, default="",
                          help=_("Shown in a learner's downloaded reflections."), enforce_type=True)
    # Set by the course build (the pack's module version), never edited in Studio: each row a
    # block writes keeps it, so the governance report tells two versions of a module apart.
    # "" (a block imported before blocks carried it): not known.
    module_version = String(display_name=_("Module version"), scope=Scope.settings, default="",
                            help=_("The version of the module this was built from (set by the course build)."),
                            enforce_type=True)
    glossary = source_text_field(_("Glossary"), _("Definitions of the words marked [[like this]], one "
                                                  "'term: definition' line each (YAML)."))
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
        if name in ASSEMBLED:
            return io.BytesIO(player.player_file(ASSEMBLED[name]))
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

    def element_or_refuse(self, reason: str):
        """The element a handler works on; while its Markdown has problems (staff see them on the
        block), the request is refused with ``reason``."""
        element = self.element
        if element is None:
            raise Invalid(reason)
        return element

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

    def extra_html(self, state: dict) -> Markup:  # pylint: disable=unused-argument
        """Markup after the widget (subclasses: staff summaries, the module's result); ``state``:
        what the widget is given (``js_args``), so nothing is read from the database twice."""
        return Markup("")

    def heading(self) -> str:
        return ""

    @XBlock.supports("multi_device")
    def student_view(self, context=None):  # pylint: disable=unused-argument
        """The block for learners, on the web and in the mobile apps' web view (edx-platform's
        StudentViewTransformer reads ``multi_device`` from this method, not the class)."""
        parsed = self.parsed
        args = self.js_args()
        html = templates().get_template("student.html").render(
            kind=self.kind, ok=parsed.ok, body=self.body_html() if parsed.ok else "",
            problems=self.problems(parsed) if self.is_staff() else [], heading=self.heading(),
            extra=self.extra_html(args) if parsed.ok else "", _=self._)
        frag = Fragment(html)
        for uri in PLAYER_FILES:
            (frag.add_css_url if uri.endswith(".css") else frag.add_javascript_url)(player_file_url(self.runtime, uri))
        frag.initialize_js("CommonGroundXBlock", args)
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
                "completeOnView": self.complete_on_view, "strings": self._player_strings(),
                **({"element": self.element_data()} if ok else {})}

    def _player_strings(self) -> dict[str, str]:
        """The player's texts through one lookup of the i18n service, not one per text (about
        200 lookups were a quarter of a warm ``student_view``)."""
        i18n = self.i18n
        return player_strings(i18n.gettext, i18n.ngettext)

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
        frag.add_css_url(player_file_url(self.runtime, "static/studio.css"))
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
