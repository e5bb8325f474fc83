"""Every code ``commonground lint`` can report, with what it means, in the words of the guide.

The house's own codes are in ``CODES``; each element kind brings the codes of its own checks
(``Kind.codes``), and ``table()`` puts them together under the kind's ``:::`` blocks.
``commonground lint --help`` is generated from that table, and a test reads the source for every
code the loader, the kinds and the checks raise, so a new check cannot be left out of the help.
"""
from __future__ import annotations

import textwrap

from .. import elements

CODES: dict[str, dict[str, str]] = {
    "Files and structure": {
        "missing-file": "pack.yml, or a folder module's module.md, is missing",
        "unreadable": "a file cannot be read",
        "file-too-large": "a file is over 2 MB: never something to learn from",
        "linked-file": "a module file is a link to a file elsewhere: copy the file instead",
        "encoding": "a file is not saved as UTF-8 text",
        "control-character": "an invisible control character (from Word or a PDF) that no delivery can carry (lint --fix deletes it)",
        "no-modules": "the pack's modules/ folder holds no module",
        "no-front-matter": "a module does not start with '---' front matter",
        "no-pages": "a module has no '# section' and '## page'",
        "empty-section": "a section has no pages",
        "page-outside-section": "a '## page' comes before any '# section'",
        "outside-page": "text or an element comes before the first page",
        "stray-text": "text after a list of options or choices is not indented",
        "missing-id": "a section, page, element, option or choice has no {#id} (lint --fix adds it)",
        "bad-id": "an id is not lower-case letters, digits and hyphens",
        "duplicate-id": "an id is used twice in a module",
        "duplicate-module": "two modules have the same id",
        "unexpected-id": "an element that keeps no state has an #id",
    },
    "Front matter and pack.yml": {
        "yaml": "the YAML cannot be read (indentation, or text with ':' not in quotes)",
        "merged-list-item": "a '- item' indented too far joined the item above it",
        "unknown-key": "a key that is not known (with a 'did you mean')",
        "missing-key": "a required key is missing",
        "bad-value": "a value of the wrong kind (a date, a number, a list)",
        "unknown-module": "a pathway names a module that does not exist",
        "outcome-count": "a module has fewer than 3 or more than 5 outcomes",
    },
    "Elements": {
        "unknown-block": "a '::: name' that is not an element",
        "unclosed-block": "an element is not closed with ':::'",
        "stray-closer": "a ':::' that closes nothing",
        "empty-block": "an element has no text",
        "unknown-option": "an option in '{...}' that the element does not take",
        "empty-question": "a knowledge check has no question text",
        "bad-options": "the {...} after an element's name is written wrongly",
        "bad-option": "a {...} value that is not allowed (an unknown type, a number out of range)",
    },
    "References": {
        "image-no-alt": "an image has no alt text",
        "image-remote": "an image is a web address (packages work offline)",
        "image-missing": "an image file does not exist",
        "image-outside-pack": "an image path leads out of the module's folder or modules/images/",
        "image-bad-path": "an image name has characters other than letters, digits, - _ and .",
        "image-link": "an image is reached through a link: copy the file instead",
        "image-not-file": "an image path is not an ordinary file",
        "image-unreadable": "an image file cannot be read",
        "image-type": "an image is not PNG, JPEG, GIF, WebP or SVG, or its ending does not match",
        "image-unsafe-svg": "an SVG with scripts, event handlers, links or styles that fetch something",
        "image-too-large": "an image is over 2 MB (a warning: slow on a weak connection)",
        "unknown-term": "a [[term]] that no glossary defines",
        "unknown-source": "a citation [S1] that is not in the module's sources",
    },
    "Language": {
        "stigmatising-term": "a stigmatising word, with the kinder alternative",
        "contested-term": "a word people disagree about (a warning: ask the person)",
        "unclosed-allow-marker": "'<!-- cg:allow-terms -->' is never closed",
    },
    "Readability": {
        "reading-age": "a page reads above the pack's reading age (a warning)",
    },
    "Accessibility": {
        "vague-link-text": "link text such as 'click here' that does not say where it goes",
        "poor-alt-text": "alt text that does not describe the picture (a warning)",
        "table-no-header": "a table with no header row",
        "page-too-large": "a page is over 1 MB of Markdown (a warning)",
        "heading-order": "a heading that skips a level",
    },
    "Review and sources": {
        "review-overdue": "a module is past its review date",
        "review-due-soon": "a module is due for review within 30 days (a warning)",
        "review-in-future": "reviewed_on is after today",
        "review-dates": "review_due is not after reviewed_on",
        "no-sources": "a module names no sources",
        "release-draft-review": "a module's reviewer is still a draft (a warning; build --release refuses)",
        "release-review-overdue": "a review date has passed (build --release refuses)",
        "release-unverified-line": "a support line is flagged check_before_publishing "
                                   "(a warning; build --release refuses)",
    },
    "Content integrity": {
        "two-content-notes": "a page shows more than one content note (a warning)",
        "suicide-not-asked": "a scenario where someone sounds hopeless or talks of ending their "
                             "life never asks them directly about suicide",
        "suicide-no-content-note": "a page with such a scenario has no content note (a warning)",
        "character-name-reused": "a made-up person's name is used in another module (a warning)",
    },
}


def table() -> dict[str, dict[str, str]]:
    """``CODES`` with each kind's own codes after the house's element codes, one group per kind
    (named by its ``:::`` blocks). A code is one thing: a kind repeating a code of the house or of
    another kind is refused, naming both."""
    owner = {code: f"the '{group}' codes of coursepack/lint/codes.py" for group, codes in CODES.items() for code in codes}
    out: dict[str, dict[str, str]] = {}
    for group, codes in CODES.items():
        out[group] = codes
        if group != "Elements":
            continue
        for kind in elements.KINDS:
            for code in kind.codes:
                if code in owner:
                    raise elements.KindError(f"element kind '{kind.name}' has the lint code '{code}', "
                                             f"which is already one of {owner[code]}")
                owner[code] = f"the codes of the element kind '{kind.name}'"
            if kind.codes:
                out["Elements: ::: " + ", ".join(kind.blocks)] = dict(kind.codes)
    return out


def help_listing(width: int = 78) -> str:
    """The table as plain text for ``lint --help``, wrapped to ``width`` (click keeps the lines
    of a paragraph that starts with '\\b' as they are)."""
    found = table()
    column = max(len(code) for group in found.values() for code in group) + 4
    parts = []
    for group, codes in found.items():
        lines = [f"{group}:"]
        for code, what in codes.items():
            wrapped = textwrap.wrap(what, width - column - 2)
            lines.append(f"  {code.ljust(column - 2)}{wrapped[0]}")
            lines += [" " * column + rest for rest in wrapped[1:]]
        parts.append("\b\n" + "\n".join(lines))
    return "\n\n".join(parts)
