"""XBlock ``student_view`` time for one Open edX unit (a page of a module), cold and warm.

A page in the OLX course is a vertical holding our blocks (prose, knowledge checks, scenarios and
so on), so the time for a page is the time to call ``student_view`` on each of its blocks, the
way the LMS does when a learner opens the unit. The blocks come from the course tarball the
``olx`` builder wrote, read through the XBlock runtime's own XML parsing, and run in
``xblocks.dev.testing.LearnerRuntime`` (an in-memory runtime with the LMS's services). The
runtime's wrapping (``runtime.render``: asides, wrappers) is left out: it is the LMS's cost, not
ours.

Cold: the content caches are emptied and fresh blocks (new usage ids) are made before each
render, as for the first learner after a restart or an edit. Warm: the same blocks again, as
for every later learner. Everything XBlock-related is imported only when measured.
"""
from __future__ import annotations

import logging
import statistics
import tarfile
import time
from dataclasses import dataclass
from pathlib import Path

from .caches import clear_content_caches


@dataclass
class PageXml:
    """One vertical of the course: its name, its blocks' XML and the size of their Markdown."""
    name: str
    blocks: list[str]
    markdown: int

    @property
    def label(self) -> str:
        return f"{self.name} ({len(self.blocks)} blocks, {self.markdown / 1024:.1f} KB Markdown)"


def unavailable() -> str:
    """Why student_view cannot be measured here, or ''."""
    try:
        import xblocks.dev.testing  # noqa: F401
        from xblock.core import XBlock
        XBlock.load_class("cg_page")
    except Exception as exc:  # noqa: BLE001  (any reason at all is a reason to skip)
        return f"the XBlocks cannot be loaded ({type(exc).__name__}: {exc})"[:160]
    return ""


def course_pages(archive: Path) -> dict[str, PageXml]:
    """Every vertical in an OLX course tarball that holds our blocks, by file name."""
    from lxml import etree
    pages = {}
    with tarfile.open(archive) as tf:
        for member in tf.getmembers():
            if not (member.isfile() and "/vertical/" in member.name and member.name.endswith(".xml")):
                continue
            root = etree.fromstring(tf.extractfile(member).read())
            blocks, markdown = [], 0
            for child in root:
                if not str(child.tag).startswith("cg_"):
                    continue
                child.attrib.pop("url_name", None)      # the usage id, not a field
                markdown += len(child.text or "")
                blocks.append(etree.tostring(child, encoding="unicode"))
            if blocks:
                name = Path(member.name).stem
                pages[name] = PageXml(name, blocks, markdown)
    return pages


def pick_pages(archive: Path, module_id: str) -> dict[str, PageXml]:
    """The typical page (median Markdown among the typical module's pages) and the long page
    (the most Markdown of any page in the course)."""
    pages = course_pages(archive)
    mine = sorted((p for p in pages.values() if p.name.startswith(f"{module_id}_")), key=lambda p: p.markdown)
    if not mine:
        raise LookupError(f"no vertical of module {module_id} in {archive.name}")
    return {"typical page": mine[len(mine) // 2],
            "long page": max(pages.values(), key=lambda p: p.markdown)}


def make_blocks(runtime, page: PageXml) -> list:
    return [runtime.get_block(runtime.parse_xml_string(xml)) for xml in page.blocks]


def render_page(blocks) -> float:
    started = time.perf_counter()
    for block in blocks:
        block.student_view({})
    return time.perf_counter() - started


def measure(page: PageXml, samples: int) -> dict[str, list[float]]:
    """Seconds per page render: ``samples`` cold, then ``samples`` warm."""
    from xblocks.dev.testing import LearnerRuntime
    logging.getLogger().setLevel(logging.ERROR)
    runtime = LearnerRuntime()
    render_page(make_blocks(runtime, page))      # compile templates once: not a per-page cost
    cold = []
    for _ in range(samples):
        clear_content_caches()
        blocks = make_blocks(runtime, page)
        cold.append(render_page(blocks))
    blocks = make_blocks(runtime, page)
    render_page(blocks)
    warm = [render_page(blocks) for _ in range(samples)]
    return {"cold": cold, "warm": warm}


DJANGO_SETTINGS = "xblocks.dev.settings"


def setup_django(folder: Path) -> None:
    """Django with the blocks' app on a fresh SQLite file: confidence checks keep per-learner
    rows in the database (as in the LMS), so their student_view reads it."""
    import os
    folder.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", DJANGO_SETTINGS)
    for name, file in (("COMMONGROUND_WORKBENCH_DB", "db.sqlite3"), ("COMMONGROUND_EVENTS_LOG", "events.log"),
                       ("COMMONGROUND_WORKBENCH_LOG", "workbench.log")):
        os.environ[name] = str(folder / file)
    import django
    from django.core.management import call_command
    django.setup()
    call_command("migrate", run_syncdb=True, verbosity=0, interactive=False)


def measure_pages(archive: str, module: str, samples: int, scratch: str) -> dict:
    """Worker entry: both pages, cold and warm, with their labels."""
    setup_django(Path(scratch))
    found = {}
    for which, page in pick_pages(Path(archive), module).items():
        timings = measure(page, samples)
        found[which] = {"label": page.label, **timings,
                        "p50_warm": statistics.median(timings["warm"])}
    return found
