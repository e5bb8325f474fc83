"""Build SCORM packages in memory: the files of each SCO, the manifest, a deterministic zip.

Layout (the same for a single-module package and a whole-pack package, so a module's SCO is
byte-identical wherever it ships: rendered and compressed once per version, not once per package):

    imsmanifest.xml
    widgets.js  shell.js  player.css  scorm-adapter.js  shared by every SCO (an "asset" resource)
    scorm-package.js                                    the same, saying which kind of package it is
    <module-id>/index.html                              the SCO: the whole module in the shared shell
    <module-id>/images/...                              the module's own images

Nothing here is fetched from the network and no file outside the package is referenced.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from coursepack import elements
from coursepack.archive import ZipMember, zip_member, zip_members
from coursepack.assets import PLAYER_FILES, SHELL_SCRIPTS, module_images, static_file
from coursepack.diagnostics import Diagnostics, PackError
from coursepack.elements.confidence import rating_ids
from coursepack.load import LoadResult
from coursepack.model import Module, Pack
from coursepack.render import builder_templates, pack_identity, render_shell

STATIC = Path(__file__).parent / "static"
ADAPTER = "scorm-adapter.js"
PACKAGE_SCRIPT = "scorm-package.js"
MANIFEST = "imsmanifest.xml"


class PackageError(PackError):
    """A module cannot be packaged (a question SCORM 1.2 cannot express): a problem at a file and
    line like any other, so the CLI prints it instead of a traceback."""

    def __init__(self, message: str, file: str = "", line: int = 1, hint: str = ""):
        found = Diagnostics()
        found.error(file or "(package)", line, "cannot-package", message, hint)
        super().__init__(found.items)


@dataclass(frozen=True)
class Version:
    key: str            # "1.2" or "2004": what users type
    name: str           # builder and dist folder name
    transport: str      # the shell's transport, read by scorm-adapter.js
    template: str       # manifest template
    label: str          # for people


VERSIONS = {
    "1.2": Version("1.2", "scorm12", "scorm12", "manifest-1.2.xml", "SCORM 1.2"),
    "2004": Version("2004", "scorm2004", "scorm2004", "manifest-2004.xml", "SCORM 2004 4th Edition"),
}


def token(ident: str) -> str:
    """The form of one of our ids that every LMS accepts in interaction data.

    Moodle checks 2004 choice responses and patterns against ``CMIShortIdentifier``
    (``^[\\w.]{1,250}$``, mod/scorm/datamodels/scorm_13.js): no hyphen, although SCORM allows
    it. Our ids are ``[a-z0-9][a-z0-9-]*`` (coursepack.attrs.ID_PATTERN), so swapping ``-`` for
    ``_`` gives a token in ``[A-Za-z0-9_.]`` that is one-to-one with the id and as stable as it
    is across edits (a reworded option keeps its id, hence its token). The coordinator kit's
    questions.csv lists every token with its option id and text.
    """
    return ident.replace("-", "_")


def xml_id(*parts: str) -> str:
    """An xsd:ID (NCName) from our ids, which may start with a digit."""
    text = "-".join(parts)
    return "CG-" + re.sub(r"[^A-Za-z0-9._-]", "-", text)


def iso_minutes(minutes: int) -> str:
    hours, mins = divmod(int(minutes), 60)
    return "PT" + (f"{hours}H" if hours else "") + (f"{mins}M" if mins or not hours else "")


def interactions(module: Module, version: Version) -> dict:
    """Per knowledge check, how its kind writes an answer as a SCORM interaction in this version
    (``coursepack.elements``: the interaction type and answer id → token)."""
    out = {}
    for check in module.graded:
        try:
            found = elements.kind_of(check).interaction(check, version.key)
        except ValueError as exc:
            file = next((p.file for p in module.pages if check in p.elements), "") or module.path
            raise PackageError(str(exc), file, check.line, "split it into two questions") from None
        if version.key != "1.2":
            found = {**found, "tokens": {k: token(t) for k, t in found["tokens"].items()}}
        out[check.id] = found
    return out


#: The interaction type of a confidence rating (one record per statement).
RATING_TYPE = "likert"


def interaction_ids(module: Module) -> dict:
    """The interaction id each record is reported under (the same in both versions): per
    knowledge check, its token; per statement of a confidence check, ``"<check id> <statement
    id>"`` → its rating's id (``coursepack.elements.confidence``: ``<before>.<statement>.<phase>``)."""
    ids = {q.id: token(q.id) for q in module.graded}
    for c in module.confidence_checks:
        ids.update({f"{c.id} {sid}": rid for sid, rid in rating_ids(c, token).items()})
    return ids


def sco_html(module: Module, pack: Pack, version: Version) -> bytes:
    found = interactions(module, version)
    types = {cid: i["type"] for cid, i in found.items()}
    types.update({c.id: RATING_TYPE for c in module.confidence_checks})
    extra = {"scorm": {"responses": {cid: i["tokens"] for cid, i in found.items()},
                       "types": types, "ids": interaction_ids(module)}}
    html = render_shell(module, pack, scripts=[*SHELL_SCRIPTS, PACKAGE_SCRIPT, ADAPTER],
                        transport=version.transport, asset_prefix="../", extra=extra)
    return html.encode("utf-8")


def package_script(multi: bool) -> bytes:
    """``scorm-package.js``: whether the package holds the whole pack (one SCO per module), which
    changes how the adapter saves and exits (``scorm-adapter.js``). The one file that differs
    between the two kinds of package, so that a module's SCO page is the same in both."""
    return (f"/* Common Ground: the kind of SCORM package this is, read by {ADAPTER}. */\n"
            f"window.CommonGroundPackage = {{\"multi\": {'true' if multi else 'false'}}};\n").encode()


def shared_files() -> dict[str, bytes]:
    files = {name: static_file(name) for name in PLAYER_FILES}
    files[ADAPTER] = (STATIC / ADAPTER).read_bytes()
    return files


def shared_members() -> tuple[ZipMember, ...]:
    """The player's files (``shared_files``) compressed, read once for a whole build: they ship
    in every package of both versions. Kept while their bytes are the same, apart from the
    content's members (``zip_member``): they are the installation's, not the pack's."""
    global _player
    files = shared_files()
    if _player is None or _player[0] != files:
        _player = (files, tuple(zip_member(name, data) for name, data in files.items()))
    return _player[1]


_player: tuple[dict[str, bytes], tuple[ZipMember, ...]] | None = None


# (module id, version) → (what the SCO was built from, its members): see ``sco_members``.
_sco_cache: dict[tuple[str, str], tuple[tuple, tuple[ZipMember, ...]]] = {}


def sco_members(result: LoadResult, module: Module, version: Version) -> tuple[ZipMember, ...]:
    """The SCO's files compressed, kept per module and version until the module, the pack around
    it or its pictures change (the model is immutable, so equal inputs mean equal bytes): the
    module's package and the whole-pack package share them, and a whole-pack package rebuilt
    after one module's edit compresses that module again, not every module. Pictures are checked
    again on every build (``module_images``)."""
    images = tuple(module_images(result, module))
    key = (module, pack_identity(result.pack), images)
    slot = (module.id, version.name)
    cached = _sco_cache.get(slot)
    if cached is None or cached[0] != key:
        page = f"{module.id}/index.html"
        members = [zip_member(page, sco_html(module, result.pack, version))]
        members += [zip_member(image.path, image.data) for image in images]
        cached = _sco_cache[slot] = (key, tuple(members))
    return cached[1]


TEMPLATES = builder_templates("scorm_export", autoescape=True)
TEMPLATES.filters["measure"] = lambda mark: format(int(mark) / 100, "g")
TEMPLATES.filters["minutes"] = iso_minutes


@dataclass(frozen=True)
class Sco:
    module: Module
    item: str
    resource: str
    href: str
    files: tuple[str, ...]


def manifest(pack: Pack, scos: list[Sco], version: Version, *, multi: bool, shared: list[str]) -> bytes:
    if multi:
        meta = {
            "identifier": xml_id(pack.course.org, pack.course.number, pack.course.run),
            "title": pack.title,
            "description": f"{len(scos)} modules: " + "; ".join(s.module.title for s in scos),
            "language": pack.language,
            "keywords": sorted({k for s in scos for k in s.module.keywords}),
            "minutes": sum(s.module.duration for s in scos),
            "version": pack.course.run,
        }
    else:
        m = scos[0].module
        meta = {"identifier": xml_id(m.id), "title": m.title, "description": m.summary,
                "language": m.language, "keywords": list(m.keywords), "minutes": m.duration,
                "version": m.version}
    text = TEMPLATES.get_template(version.template).render(
        meta=meta, scos=scos, multi=multi, shared=shared, shared_id=xml_id("player"),
        org_id=xml_id("org", meta["identifier"][3:]), root_id=xml_id("root"), pack=pack)
    return text.encode("utf-8")


def package_members(result: LoadResult, modules: list[Module], version: Version, *,
                    multi: bool = False, shared: tuple[ZipMember, ...] | None = None) -> list[ZipMember]:
    """Every file of one package, compressed, the manifest included; ``shared``: the player's
    files, read once for a whole build (``shared_members``)."""
    if not modules:
        raise PackageError("no module to package")
    if not multi and len(modules) != 1:
        raise PackageError("a single-module package holds exactly one module")
    members = [*(shared_members() if shared is None else shared),
               zip_member(PACKAGE_SCRIPT, package_script(multi))]
    player = sorted(m.name for m in members)
    scos = []
    for module in modules:
        own = sco_members(result, module, version)
        members += own
        scos.append(Sco(module, xml_id("item", module.id), xml_id("sco", module.id),
                        f"{module.id}/index.html", tuple(sorted(m.name for m in own))))
    if multi:
        members.append(zip_member(MANIFEST, manifest(result.pack, scos, version, multi=True, shared=player)))
    else:
        members.append(_module_manifest(result.pack, scos[0], own, version, player))
    return members


# (module id, version) → (the SCO's members, the player's files, the manifest): see ``_module_manifest``.
_manifest_cache: dict[tuple[str, str], tuple[tuple[ZipMember, ...], list[str], ZipMember]] = {}


def _module_manifest(pack: Pack, sco: Sco, own: tuple[ZipMember, ...], version: Version,
                     player: list[str]) -> ZipMember:
    """A module's own package's manifest, compressed, kept while the SCO's members are the very
    ones ``sco_members`` kept (so the module is unchanged) and the player's files have the same
    names: a rebuild after one module's edit writes only that module's manifest again."""
    slot = (sco.module.id, version.name)
    cached = _manifest_cache.get(slot)
    if cached is None or cached[0] is not own or cached[1] != player:
        member = zip_member(MANIFEST, manifest(pack, [sco], version, multi=False, shared=player))
        cached = _manifest_cache[slot] = (own, player, member)
    return cached[2]


def module_zip_name(module: Module) -> str:
    """``<module id>-<module version>.zip``: a coordinator can tell which version is live."""
    return f"{module.id}-{module.version}.zip"


def pack_version(modules: list[Module]) -> str:
    """The whole pack's version: the course run and a short digest of every module's id and
    version, so the file name changes whenever any module in it does."""
    digest = hashlib.sha256("\n".join(f"{m.id}={m.version}" for m in modules).encode()).hexdigest()
    return digest[:6]


def pack_zip_name(pack: Pack, modules: list[Module] | None = None) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", f"{pack.course.org}-{pack.course.number}".lower()).strip("-")
    modules = list(pack.modules) if modules is None else modules
    return f"{slug}-all-modules-{pack.course.run}-{pack_version(modules)}.zip"


def module_zip(result: LoadResult, module: Module, version: Version,
               shared: tuple[ZipMember, ...] | None = None) -> bytes:
    """One module's package (``shared``: see ``package_members``)."""
    return zip_members(package_members(result, [module], version, shared=shared))


def pack_zip(result: LoadResult, modules: list[Module], version: Version,
             shared: tuple[ZipMember, ...] | None = None) -> bytes:
    """Every module in one package, one SCO each."""
    return zip_members(package_members(result, modules, version, multi=True, shared=shared))
