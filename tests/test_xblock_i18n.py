"""Translations: the catalogue holds every string the blocks show, it is compiled, and a block
rendered with a catalogue from its translations folder (as Open edX's i18n service loads it)
shows translated text, in the widget markup and in the player texts handed to the JS."""
from __future__ import annotations

import gettext
from pathlib import Path

import pytest

pytest.importorskip("xblock")

from xblocks.dev import i18n as i18n_tools  # noqa: E402
from xblocks.common import PARSED, RENDERED  # noqa: E402
from xblocks.question import KnowledgeCheckBlock  # noqa: E402
from xblocks.reflection import ReflectionBlock  # noqa: E402
from xblocks.testing import LearnerRuntime  # noqa: E402

FOLDER = i18n_tools.TRANSLATIONS


def test_the_english_catalogue_is_up_to_date():
    """Run `make extract_translations` (and dummy/compile) after changing a string."""
    assert set(i18n_tools.read_po(FOLDER / "en/LC_MESSAGES/text.po")) - {""} == set(i18n_tools.messages())


def test_every_catalogue_is_compiled():
    for po in FOLDER.glob("*/LC_MESSAGES/text.po"):
        language = po.parent.parent.name
        compiled = gettext.translation("text", str(FOLDER), [language])
        for msgid, msgstr in i18n_tools.read_po(po).items():
            if msgid and msgstr:
                assert compiled.gettext(msgid) == msgstr


class OpenEdxLikeI18n:
    """What edx-platform's XBlockI18nService does: the block's translations folder, domain 'text'."""

    def __init__(self, language):
        self.language = language
        self.translator = gettext.translation("text", str(FOLDER), [language])

    def gettext(self, text):
        return self.translator.gettext(text)

    def get_language(self):
        return self.language


def test_a_block_shows_the_catalogue_of_the_learners_language():
    PARSED.clear()
    RENDERED.clear()
    runtime = LearnerRuntime(i18n=OpenEdxLikeI18n("eo"))
    block = runtime.block(KnowledgeCheckBlock, "q1", content=KnowledgeCheckBlock.content.default)
    frag = block.student_view()
    assert i18n_tools.pseudo("Check answer") in frag.content
    assert i18n_tools.pseudo("Knowledge check") in frag.content
    assert frag.json_init_args["strings"]["Not quite."] == i18n_tools.pseudo("Not quite.")
    assert frag.json_init_args["strings"]["{n} attempts left."] == i18n_tools.pseudo("{n} attempts left.")
    reflection = runtime.block(ReflectionBlock, "r1", content=ReflectionBlock.content.default).student_view()
    assert i18n_tools.pseudo("Saved to your account on this site.")[:20] in reflection.content
    # English learners in the same process still get English (the render cache knows the language)
    english = LearnerRuntime().block(KnowledgeCheckBlock, "q1").student_view()
    assert "Check answer" in english.content
