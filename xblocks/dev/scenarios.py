"""Workbench scenarios: every block kind on its own, and every module of the pack as a whole.

Built from the content pack the CLI would build (``./content`` in a checkout, else the pack in
the wheel) with the same blocks the OLX course has. If the pack cannot be read, the blocks'
built-in examples are shown instead: one broken scenario would break the workbench's index.
"""
from __future__ import annotations

import functools
import logging

from lxml import etree

from coursepack.fragment import KINDS

log = logging.getLogger(__name__)

# A knowledge check with a limited number of attempts (the pack's own have none).
ATTEMPTS_EXAMPLE = """::: question {#q-attempts type=single attempts=2}
Someone says they would rather not be called "an addict". What do you do?

- [ ] Keep using the word: it is only a word {#keep}
      Not quite. Words follow people into notes and referrals.
- [x] Ask how they would like to be described, and use their words {#ask}
      Yes. Let people choose how they are described.
- [ ] Avoid talking about their drug use at all {#avoid}
      Not quite. You can talk about it; choose respectful words.

Explanation: Put the person first and let people choose their words.
:::"""


@functools.lru_cache(maxsize=1)
def _pack():
    from coursepack.load import require_pack  # pylint: disable=import-outside-toplevel
    from coursepack.shipped import pack_folder  # pylint: disable=import-outside-toplevel
    folder = pack_folder()
    if folder is None:
        log.warning("Common Ground: no content pack found; showing built-in examples")
        return None
    try:
        return require_pack(folder)
    except Exception:  # pylint: disable=broad-except
        log.warning("Common Ground: the content pack could not be read; showing built-in examples", exc_info=True)
        return None


def _xml(node) -> str:
    return etree.tostring(node, encoding="unicode", pretty_print=True)


def module_scenario(result, module) -> str:
    """A whole module: one vertical per page, each opening with the page title."""
    from olx_export.course import page_blocks  # pylint: disable=import-outside-toplevel
    root = etree.Element("vertical_demo")
    blocks = page_blocks(result, module)
    for page in module.pages:
        vertical = etree.SubElement(root, "vertical_demo")
        first = blocks[page.id][0]
        if first.tag != "cg_page" or first.url_name.endswith("_intro"):
            title = etree.SubElement(vertical, "cg_page", display_name=page.title, show_title="true",
                                     module=module.id, module_title=module.title,
                                     module_version=module.version)
            title.text = ""
        for n, block in enumerate(blocks[page.id]):
            node = block.element(with_url_name=False)
            if n == 0 and block.tag == "cg_page" and not block.url_name.endswith("_intro"):
                node.set("display_name", page.title)
                node.set("show_title", "true")
            vertical.append(node)
    return _xml(root)


def _single(block) -> str:
    root = etree.Element("vertical_demo")
    root.append(block.element(with_url_name=False))
    return _xml(root)


def _examples(result) -> dict[str, list[tuple[str, str]]]:
    """One scenario per kind of block (per question type, content with a pause panel or a
    glossary, before and after checks): the first of each in the pack."""
    from olx_export.course import Block, page_blocks  # pylint: disable=import-outside-toplevel
    out: dict[str, list[tuple[str, str]]] = {k: [] for k in KINDS}
    if result is None:
        return out
    seen = set()
    for module in result.pack.modules:
        for page, blocks in page_blocks(result, module).items():
            for block in blocks:
                text = block.source
                key = {"cg_page": "page" + (" pause" if "::: pause" in text else "") +
                                  (" glossary" if block.attrs.get("glossary") else ""),
                       "cg_question": "question " + ("multiple" if "type=multiple" in text else
                                                     "truefalse" if "type=truefalse" in text else "single"),
                       "cg_confidence": "confidence " + ("after" if "after=" in text else "before")
                       }.get(block.tag, block.tag[3:])
                if key in seen or key == "page":
                    continue
                seen.add(key)
                kind = block.tag[3:]
                out[kind].append((f"Common Ground: {key.replace(' ', ', ')} ({module.title})", _single(block)))
    out["question"].append(("Common Ground: question, two attempts", _single(
        Block("cg_question", "", {"display_name": "Knowledge check", "module": "examples",
                                  "module_title": "Examples"}, ATTEMPTS_EXAMPLE))))
    out["learning_review"].append((SHARING_LOOP, _sharing_loop()))
    return out


SHARING_LOOP = "Common Ground: sharing, the whole loop (open as ?student=ann, ?student=ben and ?student=staff)"
SHARING_HOW = """How to play the whole loop here: open this page as several people by adding
`?student=ann`, `?student=ben` and `?student=staff` to the address (`staff` is course staff).
Ann sends a learning review and a piece of feedback; staff approve, return or withdraw them and
reply to feedback; Ben reads what was approved. Counts by kind and service appear once five
approved items share a cell."""


def _sharing_loop() -> str:
    """A learning review and joint feedback on one page, with how to play several learners."""
    from olx_export.course import Block  # pylint: disable=import-outside-toplevel
    from ..moderated_sharing import JOINT_FEEDBACK, LEARNING_REVIEW  # pylint: disable=import-outside-toplevel
    attrs = {"module": "sharing", "module_title": "Sharing the learning"}
    root = etree.Element("vertical_demo")
    for tag, name, source in (("cg_page", "How to play it", SHARING_HOW),
                              ("cg_learning_review", "Share the learning from an event", LEARNING_REVIEW),
                              ("cg_joint_feedback", "Feedback between services", JOINT_FEEDBACK)):
        root.append(Block(tag, "", {"display_name": name, **attrs}, source).element(with_url_name=False))
    return _xml(root)


def scenarios_for(kind: str) -> list[tuple[str, str]]:
    """The scenarios a block class shows: its examples, and for content pages every module."""
    result = _pack()
    found = []
    if kind == "page" and result is not None:
        found += [(f"Common Ground module {n + 1}: {m.title}", module_scenario(result, m))
                  for n, m in enumerate(result.pack.modules)]
    found += _examples(result).get(kind, [])
    if not found:
        found = [(f"Common Ground: {kind} (built-in example)", f"<vertical_demo><cg_{kind}/></vertical_demo>")]
    return found
