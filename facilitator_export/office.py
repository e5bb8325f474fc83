"""PowerPoint and Word files with the same bytes on every build.

python-pptx and python-docx write the build clock into two places: the document's core
properties and every zip entry's time stamp. Both are fixed here: the properties to the
module's review date, the zip through ``coursepack.archive.zip_members`` (sorted entries, the
1980 time stamp), so a rebuild of the same pack changes no byte. The members keep the
compression the library gave them (``zip_members_of``): decompressing and compressing every
part of every document again cost more than a third of writing it.
"""
from __future__ import annotations

import datetime as dt
import io

from coursepack.archive import zip_members, zip_members_of

AUTHOR = "Common Ground"


def fix_properties(props, title: str, when: dt.date, subject: str = "") -> None:
    stamp = dt.datetime(when.year, when.month, when.day)
    props.title, props.subject, props.author, props.last_modified_by = title, subject, AUTHOR, AUTHOR
    props.created = props.modified = props.last_printed = stamp
    props.revision = 1


def deterministic(document) -> bytes:
    """The saved document re-zipped without the build clock."""
    raw = io.BytesIO()
    document.save(raw)
    return zip_members(zip_members_of(raw.getvalue()))
