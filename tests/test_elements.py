"""The registry of element kinds: every kind is complete, and "which texts does a learner see"
has one answer that the glossary, lint, readability and rendering share."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from coursepack import elements
from coursepack.completion import module_key
from coursepack.lint import lint
from coursepack.render import environment, render_page

FIXTURE = Path(__file__).parent / "fixtures" / "pack"


def test_every_kind_is_complete():
    names = [k.name for k in elements.KINDS]
    assert len(set(names)) == len(names)
    for kind in elements.KINDS:
        assert kind.model.__dataclass_params__.frozen
        if kind.blocks:
            assert kind.read is not None and (kind.template or not kind.learners), kind.name
        if kind.template:
            environment().get_template(kind.template)      # the widget template exists
        if kind.stateful:
            assert kind.key_group and kind.key and kind.label, kind.name
        if kind.role == elements.GRADED:
            assert kind.judge and kind.refuse and kind.interaction, kind.name
    # a ':::' name belongs to one kind only
    assert sum(len(k.blocks) for k in elements.KINDS) == len(elements.BLOCKS)


@pytest.fixture
def pack_with_terms(tmp_path):
    """The fixture pack with the pack's glossary term used in option feedback, a scenario
    choice and a confidence statement: texts the page shows only after an answer, or as a list."""
    root = tmp_path / "pack"
    shutil.copytree(FIXTURE, root)
    module = root / "modules" / "every-element.md"
    text = module.read_text(encoding="utf-8")
    text = text.replace("      No, because.", "      No, because of [[co-occurrence]].", 1)
    module.write_text(text, encoding="utf-8")
    return root


def test_a_term_in_option_feedback_links_to_its_definition(pack_with_terms):
    result, found = lint(pack_with_terms)
    assert not [d for d in found if d.code == "unknown-term"]
    module = result.pack.modules[0]
    page = next(p for p in module.pages if p.id == "questions")
    html = str(render_page(page, result.pack, module))
    ids = set(re.findall(r'id="([^"]+)"', html))
    # the term is listed among the words of the page it is used on ...
    assert "questions-cg-term-co-occurrence" in ids
    # ... and the feedback the player shows links to that definition, not to nothing
    feedback = module_key(module)["questions"]["q-single"]["options"]["b"]["feedback"]
    targets = re.findall(r'href="#([^"]+)"', feedback)
    assert targets == ["questions-cg-term-co-occurrence"]
    assert set(targets) <= ids

