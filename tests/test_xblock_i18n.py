"""Translations: the catalogue holds every string the blocks show, it is compiled, and a block
rendered with a catalogue from its translations folder (as Open edX's i18n service loads it)
shows translated text, in the widget markup and in the player texts handed to the JS."""
from __future__ import annotations

import gettext
import io

import pytest

pytest.importorskip("xblock")
pytest.importorskip("babel", reason="the i18n extra (Babel) is not installed")

from babel.messages.mofile import write_mo  # noqa: E402
from babel.messages.pofile import read_po  # noqa: E402

from coursepack.render import strings  # noqa: E402
from xblocks.dev import i18n as i18n_tools  # noqa: E402
from xblocks.cache import RENDERED  # noqa: E402
from xblocks.sources import parse_sources  # noqa: E402
from xblocks.question import KnowledgeCheckBlock  # noqa: E402
from xblocks.reflection import ReflectionBlock  # noqa: E402
from xblocks.dev.testing import LearnerRuntime  # noqa: E402

FOLDER = i18n_tools.TRANSLATIONS


PLURAL = ("{n} attempt left.", "{n} attempts left.")


def ids(catalogue) -> set:
    return {m.id for m in catalogue if m.id}


def test_the_catalogues_are_up_to_date_and_written_the_same_each_time():
    """Run `make dummy_translations compile_translations` after changing a string."""
    en, eo = FOLDER / "en/LC_MESSAGES/text.po", FOLDER / "eo/LC_MESSAGES/text.po"
    assert PLURAL in ids(i18n_tools.template())
    for _ in range(2):
        assert i18n_tools.po_bytes(i18n_tools.template()) == en.read_bytes()
        assert i18n_tools.po_bytes(i18n_tools.pseudo_catalogue()) == eo.read_bytes()
        for po in (en, eo):
            assert i18n_tools.mo_bytes(i18n_tools.load(po)) == po.with_suffix(".mo").read_bytes()


def test_every_catalogue_is_compiled_with_its_plurals():
    for po in FOLDER.glob("*/LC_MESSAGES/text.po"):
        language = po.parent.parent.name
        compiled = gettext.translation("text", str(FOLDER), [language])
        for message in i18n_tools.load(po):
            if not message.id or not any(message.string):
                continue
            if message.pluralizable:
                assert [compiled.ngettext(*message.id, n) for n in (1, 2)] == list(message.string)
            else:
                assert compiled.gettext(message.id) == message.string
    eo = gettext.translation("text", str(FOLDER), ["eo"])
    assert eo.ngettext(*PLURAL, 1) == "{n} áttémpt léft." and eo.ngettext(*PLURAL, 2) == "{n} áttémptš léft."


class OpenEdxLikeI18n:
    """What edx-platform's XBlockI18nService does: the block's translations folder, domain 'text'."""

    def __init__(self, language):
        self.language = language
        self.translator = gettext.translation("text", str(FOLDER), [language])

    def gettext(self, text):
        return self.translator.gettext(text)

    def ngettext(self, singular, plural, n):
        return self.translator.ngettext(singular, plural, n)

    def get_language(self):
        return self.language


def test_a_block_shows_the_catalogue_of_the_learners_language():
    parse_sources.cache_clear()
    RENDERED.clear()
    runtime = LearnerRuntime(i18n=OpenEdxLikeI18n("eo"))
    block = runtime.block(KnowledgeCheckBlock, "q1", content=KnowledgeCheckBlock.content.default)
    frag = block.student_view()
    assert i18n_tools.pseudo("Check answer") in frag.content
    assert i18n_tools.pseudo("Knowledge check") in frag.content
    assert frag.json_init_args["strings"]["Not quite."] == i18n_tools.pseudo("Not quite.")
    texts = frag.json_init_args["strings"]
    assert [texts[f"{{n}} attempts left.|{n}"] for n in (1, 2)] == ["{n} áttémpt léft.", "{n} áttémptš léft."]
    reflection = runtime.block(ReflectionBlock, "r1", content=ReflectionBlock.content.default).student_view()
    assert i18n_tools.pseudo("Saved to your account on this site.")[:20] in reflection.content
    # English learners in the same process still get English (the render cache knows the language)
    english = LearnerRuntime().block(KnowledgeCheckBlock, "q1").student_view()
    assert "Check answer" in english.content


def test_the_attempts_left_come_in_english_from_the_same_place():
    """What the SCORM shell and the preview get (coursepack, no host translations)."""
    texts = strings()
    assert [texts[f"{{n}} attempts left.|{n}"].format(n=n) for n in (1, 2, 20)] == [
        "1 attempt left.", "2 attempts left.", "20 attempts left."]
    block = LearnerRuntime().block(KnowledgeCheckBlock, "q2", content=KnowledgeCheckBlock.content.default)
    assert {k: v for k, v in block.student_view_data()["strings"].items() if "|" in k} == \
        {k: v for k, v in texts.items() if "|" in k}


GAELIC = r"""msgid ""
msgstr ""
"Language: gd\n"
"Plural-Forms: nplurals=4; plural=(n==1 || n==11) ? 0 : (n==2 || n==12) ? 1 : (n > 2 && n < 20) ? 2 : 3;\n"
"Content-Type: text/plain; charset=UTF-8\n"

msgid "{n} attempt left."
msgid_plural "{n} attempts left."
msgstr[0] "one {n}"
msgstr[1] "two {n}"
msgstr[2] "few {n}"
msgstr[3] "other {n}"
"""


def test_a_language_with_four_plural_forms_gets_each_count_right():
    """Scottish Gaelic, compiled by Babel and loaded by gettext as the i18n service loads it."""
    out = io.BytesIO()
    write_mo(out, read_po(io.StringIO(GAELIC)))
    out.seek(0)
    gaelic = gettext.GNUTranslations(out)
    texts = strings(gaelic.gettext, gaelic.ngettext)
    assert [texts[f"{{n}} attempts left.|{n}"] for n in (1, 2, 3, 11, 12, 19, 20)] == \
        ["one {n}", "two {n}", "few {n}", "one {n}", "two {n}", "few {n}", "other {n}"]
