"""How long a unit's blocks take to render: ``python -m xblocks.bench [--samples N] [PACK]``.

A "page" is one vertical of the OLX course: every block on it, constructed for a learner and
rendered with its ``student_view`` (the runtime's own work around a view, such as looking up
asides, is left out: it is the LMS's, not ours). "Cold" clears every cache first (our parse and render
caches and the Markdown renderer's), so each sample parses and renders from the source; "warm"
renders again with the caches filled, which is what nearly every request sees. The typical page
is the one with the median amount of Markdown; the long page the one with the most. Prints the
median and 95th percentile of each. ``measure()`` is what the project's ``scripts/bench`` can call.

Confidence checks read the learner's rows, so Django is set up on a temporary SQLite database.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path


def _django(folder: str) -> None:
    from django.conf import settings
    if settings.configured:
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xblocks.workbench_settings")
    for name, file in (("COMMONGROUND_WORKBENCH_DB", "db.sqlite3"), ("COMMONGROUND_EVENTS_LOG", "events.log"),
                       ("COMMONGROUND_WORKBENCH_LOG", "workbench.log")):
        os.environ[name] = os.path.join(folder, file)
    import django
    django.setup()
    from django.core.management import call_command
    call_command("migrate", run_syncdb=True, verbosity=0, interactive=False)


def clear_caches() -> None:
    from coursepack import markdown_html
    from .common import PARSED, RENDERED
    PARSED.clear()
    RENDERED.clear()
    markdown_html.render.cache_clear()
    markdown_html.render_inline.cache_clear()


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def pick_pages(result) -> dict:
    """{"typical page": (module, page), "long page": (module, page)} by amount of Markdown."""
    from .course_olx import page_blocks
    sizes = []
    for module in result.pack.modules:
        for page_id, blocks in page_blocks(result, module).items():
            sizes.append((sum(len(b.source) for b in blocks), module.id, page_id))
    sizes.sort()
    typical, longest = sizes[len(sizes) // 2], sizes[-1]
    pick = {}
    for label, (_, module_id, page_id) in (("typical page", typical), ("long page", longest)):
        module = result.pack.module(module_id)
        pick[label] = (module, next(p for p in module.pages if p.id == page_id))
    return pick


def measure(result, module, page, samples: int = 50) -> dict[str, list[float]]:
    """Seconds to render every block of ``page`` for a learner: cold and warm samples."""
    from .course_olx import page_blocks
    from .testing import LearnerRuntime
    from .confidence import ConfidenceBlock
    from .page import ContentPageBlock
    from .question import KnowledgeCheckBlock
    from .reflection import ReflectionBlock
    from .scenario import ScenarioBlock
    classes = {"cg_page": ContentPageBlock, "cg_question": KnowledgeCheckBlock, "cg_reflection": ReflectionBlock,
               "cg_scenario": ScenarioBlock, "cg_confidence": ConfidenceBlock}
    author = LearnerRuntime("bench-author")
    blocks = page_blocks(result, module)[page.id]
    for block in blocks:
        cls = classes[block.tag]   # attributes are OLX text: read them as the fields' own parsers do
        author.block(cls, block.url_name, content=block.source,
                     **{k: cls.fields[k].from_string(str(v)) for k, v in block.attrs.items()})
    learner = author.learner("bench-learner")

    def render_unit():
        for block in blocks:
            learner.block(classes[block.tag], block.url_name).student_view({})

    out: dict[str, list[float]] = {"cold": [], "warm": []}
    for state in ("cold", "warm"):
        render_unit()  # warm-up: imports, templates, the database connection
        for _ in range(samples):
            if state == "cold":
                clear_caches()
            start = time.perf_counter()
            render_unit()
            out[state].append(time.perf_counter() - start)
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("pack", nargs="?", default=None, help="the content pack (default: ./content)")
    parser.add_argument("--samples", type=int, default=50)
    args = parser.parse_args(argv)
    from coursepack.load import find_pack, require_pack
    result = require_pack(Path(args.pack) if args.pack else find_pack())
    with tempfile.TemporaryDirectory() as folder:
        _django(folder)
        print(f"student_view of every block on a page, {args.samples} samples each (Python "
              f"{sys.version.split()[0]}):")
        for label, (module, page) in pick_pages(result).items():
            from .course_olx import page_blocks
            blocks = page_blocks(result, module)[page.id]
            timings = measure(result, module, page, args.samples)
            chars = sum(len(b.source) for b in blocks)
            print(f"  {label}: {module.id}/{page.id} ({len(blocks)} blocks, {chars} characters of Markdown)")
            for state, values in timings.items():
                print(f"    {state:4}: median {statistics.median(values) * 1000:7.2f} ms, "
                      f"p95 {percentile(values, 95) * 1000:7.2f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
