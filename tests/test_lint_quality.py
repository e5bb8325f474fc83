"""Readability and accessibility lint: reading age, link text, heading order, tables, alt text."""
from __future__ import annotations

from lintpack import lint_pages, page

FILE = "content/modules/test-mod/01-page.md"
PLAIN = ["We help people. We listen to them. We ask what they need. Then we act on it with care."]
MEDIUM = ["Stigma can stop people asking for help. Staff can change this by choosing their words with "
          "care and by asking people what they need from the service."]
HARD = ["Notwithstanding considerable organisational heterogeneity, multidisciplinary practitioners "
        "collaboratively operationalise comprehensive, evidence-informed, person-centred interventions "
        "incorporating psychologically sophisticated therapeutic methodologies, notwithstanding "
        "institutional fragmentation, bureaucratic inconsistency and administrative complexity."]


def codes(found, *wanted):
    return [(d["line"], d["code"]) for d in found if d["code"] in wanted]


def test_hard_page_gets_a_reading_age_warning_at_its_heading(tmp_path):
    hard, _ = page("Hard", "hard", HARD)
    plain, _ = page("Plain", "plain", PLAIN)
    found = lint_pages(tmp_path, hard, plain)
    [d] = [d for d in found if d["code"] == "reading-age"]
    assert (d["file"], d["line"], d["severity"]) == (FILE, 3, "warning")
    assert "page 'hard' has a reading age of about" in d["message"] and "aims for 14" in d["message"]
    assert "by Flesch-Kincaid" in d["message"] and "by SMOG" in d["message"]
    assert "shorter sentences" in d["hint"]


def test_smog_counts_long_words_and_needs_three_sentences():
    from coursepack.readability import reading_age, smog_reading_age
    long_words = ("Organisational collaboration requires considerable communication. "
                  "Professionals coordinate interventions. Everybody appreciates clarity. ")
    assert smog_reading_age(long_words * 3) > 14 >= smog_reading_age(" ".join(PLAIN * 3))
    assert smog_reading_age("One sentence with more than ten words in it, but only one.") == 0.0
    # The two formulas disagree: SMOG reads only the long words, Flesch-Kincaid also sentence length.
    assert smog_reading_age(long_words * 3) != reading_age(long_words * 3)


def test_a_page_only_smog_finds_hard_gets_the_warning(tmp_path):
    # Short common words (Flesch-Kincaid about 14) around a few long ones (SMOG about 17).
    body = ["We will talk to the community about recovery and the services it can get. "
            "The team can go to the meeting with the organisation and ask for an appointment. "
            "It is a good idea to ask the person about responsibility and opportunity. "
            "We can all help with the communication and the information we give out."]
    text, _ = page("Dense", "dense", body)
    [d] = [d for d in lint_pages(tmp_path, text, pack_extra="reading_age_target: 15\n")
           if d["code"] == "reading-age"]
    assert "14.1 by Flesch-Kincaid" in d["message"] and "17.2 by SMOG" in d["message"]


def test_reading_age_target_comes_from_the_pack(tmp_path):
    medium, _ = page("Medium", "medium", MEDIUM)
    assert codes(lint_pages(tmp_path / "default", medium), "reading-age") == []
    found = lint_pages(tmp_path / "strict", medium, pack_extra="reading_age_target: 8\n")
    assert codes(found, "reading-age") == [(3, "reading-age")]


def test_vague_link_text_is_an_error(tmp_path):
    body = ["[Click here](https://example.org/a) for help.",
            "To find out, [read more](https://example.org/b).",
            "Phone the line [here](https://example.org/c).",
            "Follow [this link](https://example.org/d).",
            "[More](https://example.org/e)",
            "[Breathing Space](https://breathingspace.scot) is free to call."]
    text, first = page("Links", "links", body)
    found = lint_pages(tmp_path, text)
    assert codes(found, "vague-link-text") == [(first + n, "vague-link-text") for n in range(5)]


def test_headings_inside_a_page_start_at_three_and_never_skip(tmp_path):
    body = ["### Fine {#fine}", "", "#### Also fine {#also}", "", "###### Skips two {#skips}", "",
            "::: scenario {#s-one}", "#### Start {#start}", "Begin.", "", "- [End](#end) {#c-end}",
            "      Done.", "", "#### End {#end .ending}", "Over.", ":::"]
    good, first = page("Good", "good", body)
    bad, bad_first = page("Bad", "bad", ["#### Too deep {#deep}"])
    found = lint_pages(tmp_path, good, bad)
    assert [(d["file"][-10:], d["line"]) for d in found if d["code"] == "heading-order"] == [
        ("01-page.md", first + 4), ("02-page.md", bad_first)]


def test_a_table_needs_a_header_row(tmp_path):
    body = ["| Form | Meaning |", "|---|---|", "| public | how people react |", "",
            "| public | how people react |", "| self | turned inward |"]
    text, first = page("Tables", "tables", body)
    found = lint_pages(tmp_path, text)
    assert codes(found, "table-no-header") == [(first + 4, "table-no-header")]


def test_alt_text_that_is_a_filename_or_a_generic_word_is_a_warning(tmp_path):
    body = ["![image](square.png)", "![square.png](square.png)", "![Picture](square.png)",
            "![A blue square on white](square.png)"]
    text, first = page("Pictures", "pictures", body)
    found = lint_pages(tmp_path, text)
    assert codes(found, "poor-alt-text") == [(first + n, "poor-alt-text") for n in range(3)]
    assert {d["severity"] for d in found if d["code"] == "poor-alt-text"} == {"warning"}


def test_a_table_of_words_to_avoid_is_left_out_of_the_reading_age(tmp_path):
    table = ["<!-- cg:allow-terms -->", "| Avoid | Prefer |", "|---|---|",
             "| a schizophrenic, a depressive, committed suicide | a person with a diagnosis of schizophrenia |",
             "| alcoholic, substance abuser, unmotivated, non-compliant | person with alcohol dependence |",
             "| manipulative, attention-seeking, deliberate self-harm | the person's needs are not being met |",
             "<!-- cg:end-allow-terms -->", ""]
    plain, _ = page("Words", "words", table + PLAIN)
    assert codes(lint_pages(tmp_path / "kept", plain), "reading-age") == []
    bare, _ = page("Words", "words", [t for t in table if "cg:" not in t] + PLAIN)
    assert codes(lint_pages(tmp_path / "bare", bare), "reading-age") == [(3, "reading-age")]
