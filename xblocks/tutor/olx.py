"""Get a built OLX course ready for ``./manage.py cms import``, under the course key an operator chose.

Runs inside the Open edX image, called by the ``importcommonground`` job::

    python -m xblocks.tutor.olx build OUT_DIR
    python -m xblocks.tutor.olx DATA_DIR COURSE_KEY

``build`` writes the course tarball of the pack shipped in the package to OUT_DIR/olx, through
the ``olx`` builder itself (its ``commonground.builders`` entry point) rather than the
``commonground`` command, whose authoring libraries the image does not install. DATA_DIR holds the extracted course tarball. The command finds the one ``course.xml`` below it,
moves the course to COURSE_KEY (``course-v1:ORG+NUMBER+RUN``) if the build used another key, and
prints the course folder for the import command. Block ids (``url_name``) are never touched, so
re-importing a new version of the same course keeps learner state.

The Tutor plugin imports this module, so at import time it uses the standard library only
(neither XBlock, Django nor Tutor); ``build`` loads the course builder when it runs.
"""
from __future__ import annotations

import json
import os
import re
import sys
import xml.etree.ElementTree as ET

# The characters opaque-keys accepts in a course key part (ALLOWED_ID_CHARS), minus ':' which
# only old-style keys use.
_PART = r"[\w.~-]+"
COURSE_KEY_RE = re.compile(rf"^course-v1:(?P<org>{_PART})\+(?P<course>{_PART})\+(?P<run>{_PART})$")


class OlxError(Exception):
    """The course tarball or the key cannot be used; the message says why."""


def parse_course_key(key: str) -> tuple[str, str, str]:
    """``course-v1:ORG+NUMBER+RUN`` → (org, number, run); OlxError for anything else."""
    match = COURSE_KEY_RE.match(key.strip()) if isinstance(key, str) else None
    if not match:
        raise OlxError(
            f"not a course key: {key!r}; expected course-v1:ORG+NUMBER+RUN "
            "(letters, digits, '.', '_', '-', '~' in each part), e.g. course-v1:CommonGround+CG101+2026"
        )
    return match["org"], match["course"], match["run"]


def find_course_root(data_dir: str) -> str:
    """The one folder below ``data_dir`` that holds a ``course.xml``."""
    found = sorted(
        os.path.join(folder, "course.xml")
        for folder, _dirs, files in os.walk(data_dir)
        if "course.xml" in files
    )
    if not found:
        raise OlxError(f"no course.xml under {data_dir}: the OLX build produced no course")
    if len(found) > 1:
        raise OlxError(f"several course.xml files under {data_dir}: {', '.join(found)}")
    return os.path.dirname(found[0])


def course_key_of(course_root: str) -> str:
    """The key the course in ``course_root`` would be imported under."""
    course = _read_course_xml(course_root)
    return f"course-v1:{course.get('org')}+{course.get('course')}+{course.get('url_name')}"


def set_course_key(course_root: str, key: str) -> bool:
    """Move the course in ``course_root`` to ``key``; True if anything changed.

    Changes ``course.xml`` (org, course, url_name), renames ``course/<run>.xml`` and
    ``policies/<run>/`` and the ``course/<run>`` entry of ``policy.json``. Nothing else in an
    OLX course depends on the key.
    """
    org, number, run = parse_course_key(key)
    path = os.path.join(course_root, "course.xml")
    tree = ET.parse(path)
    course = tree.getroot()
    if course.tag != "course":
        raise OlxError(f"{path}: root element is <{course.tag}>, expected <course>")
    old_run = course.get("url_name")
    if not old_run:
        raise OlxError(f"{path}: <course> has no url_name (the run)")
    if (course.get("org"), course.get("course"), old_run) == (org, number, run):
        return False

    course.set("org", org)
    course.set("course", number)
    course.set("url_name", run)
    tree.write(path, encoding="utf-8", xml_declaration=False)

    if run != old_run:
        _rename(os.path.join(course_root, "course", f"{old_run}.xml"),
                os.path.join(course_root, "course", f"{run}.xml"))
        policies = os.path.join(course_root, "policies", run)
        _rename(os.path.join(course_root, "policies", old_run), policies)
        policy_json = os.path.join(policies, "policy.json")
        if os.path.isfile(policy_json):
            with open(policy_json, encoding="utf-8") as f:
                policy = json.load(f)
            if f"course/{old_run}" in policy:
                policy[f"course/{run}"] = policy.pop(f"course/{old_run}")
                with open(policy_json, "w", encoding="utf-8") as f:
                    json.dump(policy, f, indent=2, ensure_ascii=False)
    return True


def prepare(data_dir: str, key: str) -> str:
    """Find the course under ``data_dir``, give it ``key``; return its folder."""
    parse_course_key(key)
    root = find_course_root(data_dir)
    before = course_key_of(root)
    if set_course_key(root, key):
        print(f"Common Ground: course built as {before}, importing as {key}", file=sys.stderr)
    return root


def _read_course_xml(course_root: str) -> ET.Element:
    path = os.path.join(course_root, "course.xml")
    try:
        return ET.parse(path).getroot()
    except ET.ParseError as exc:
        raise OlxError(f"{path}: {exc}") from None


def _rename(src: str, dst: str) -> None:
    if not os.path.exists(src):
        return
    if os.path.exists(dst):
        raise OlxError(f"cannot move {src} to {dst}: it already exists")
    os.rename(src, dst)


def build(out_dir: str) -> str:
    """Build the shipped pack's course tarball into ``out_dir/olx``; say what was written."""
    # pylint: disable=import-outside-toplevel  (the plugin imports this module without them)
    from importlib.metadata import entry_points
    from pathlib import Path

    from coursepack.diagnostics import ERROR, PackError
    from coursepack.load import require_pack
    from coursepack.shipped import pack_folder

    folder = pack_folder()
    if folder is None:
        raise OlxError("no content pack in this image: reinstall the commonground package")
    try:
        result = require_pack(folder)
    except PackError as exc:
        errors = [str(d) for d in exc.diagnostics if d.severity == ERROR]
        raise OlxError(f"the content pack has {len(errors)} error(s): " + "; ".join(errors[:5])) from None
    build_olx = entry_points(group="commonground.builders")["olx"].load()
    return build_olx(result, Path(out_dir) / "olx")


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        print("usage: python -m xblocks.tutor.olx build OUT_DIR | DATA_DIR COURSE_KEY", file=sys.stderr)
        return 2
    try:
        print(build(args[1]) if args[0] == "build" else prepare(args[0], args[1]))
    except OlxError as exc:
        print(f"ERROR: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
