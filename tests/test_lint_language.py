"""Language lint: every stigmatising form in the brief's table is flagged with its alternative,
and the same words used innocently (or in a deliberate 'words to avoid' table) are not."""
from __future__ import annotations

from lintpack import lint_pages, page

CODES = {"stigmatising-term", "contested-term"}
FILE = "content/modules/test-mod/01-page.md"

# (a sentence, a piece of the hint it must get, contested?) - one per line of the page
STIGMATISING = [
    ("He is an addict.", "say 'person who uses drugs' instead (source S32)", False),
    ("Two addicts came in.", "person who uses drugs", False),
    ("They called him a junkie.", "person who uses drugs", False),
    ("She is a substance abuser.", "person with substance use disorder", False),
    ("He was abusing drugs.", "substance use", True),
    ("Alcoholics need support.", "person with alcohol dependence", True),
    ("He has a clean urine screen.", "negative drug screen", False),
    ("She tested dirty on Monday.", "positive drug screen", False),
    ("Do not share dirty needles.", "used syringe", False),
    ("She has been clean for a year.", "stopped using drugs", False),
    ("He is clean now.", "in recovery", False),
    ("Two years sober, she returned.", "in recovery", False),
    ("He is a former addict.", "person with lived experience", False),
    ("Her brother committed suicide.", "died by suicide", False),
    ("It was a successful suicide.", "died by suicide", False),
    ("After a failed suicide attempt she was admitted.", "survived an attempt", False),
    ("He is a schizophrenic.", "a person with a diagnosis of", False),
    ("Anorexics were treated on the ward.", "a person with a diagnosis of", False),
    ("She is suffering from addiction.", "person experiencing drug dependence", False),
    ("He is drug-seeking again.", "the person's needs are not being met", False),
    ("She can be manipulative.", "the person's needs are not being met", False),
    ("He was non-compliant with his medication.", "the person chooses not to", False),
    ("She lacks insight into her drinking.", "the person disagrees", False),
    ("He fell off the wagon at Christmas.", "currently using", False),
    ("She was put on happy pills.", "antidepressants", False),
    ("He spent a year in a mental institution.", "mental health hospital", False),
    ("It was just attention-seeking.", "a sign of distress", False),
    ("They are injecting drug users.", "person who injects drugs", False),
    ("He was strung out.", "intoxicated", False),
    ("They were getting drunk every night.", "drinking", False),
    ("The town drunk sat outside.", "intoxicated", False),
    ("It was another treatment failure.", "treatment attempt", False),
    ("Methadone is replacing one drug with another.", "medication is treatment", False),
    ("The baby was born addicted.", "neonatal abstinence syndrome", False),
    ("He was a nutter, they said.", "person living with a mental illness", False),
    ("Go and see a shrink.", "psychiatrist", False),
    ("It is a schizophrenic economy.", "rephrase", False),
    ("Carer burden is high.", "impact of caring", False),
    ("Screen for suicidality.", "thoughts of suicide", False),
    ("He has a drug habit.", "person experiencing drug dependence", False),
    ("Prescription drug abuse is rising.", "non-medical use of prescription drugs", False),
    ("Recreational users were surveyed.", "non-medical reasons", False),
    ("He has alcoholic liver disease.", "alcohol-associated liver disease", True),
    ("She had a relapse in May.", "return to use", True),
    ("He abused alcohol for years.", "alcohol use disorder", False),
    ("Staff said he had a dual diagnosis.", "co-occurring mental health and substance use", True),
    ("She was a victim of depression.", "living with", True),
    ("He is on opioid substitution therapy.", "opioid agonist treatment", True),
    ("Deliberate self-harm was recorded.", "self-harm", True),
    ("The patient went mad.", "describe the behaviour", False),
]

INNOCENT = [
    "Childhood abuse and domestic abuse are common in the lives of people we see.",
    "Kyle arrived drunk and was seen at once.",
    "We use relapse prevention plans.",
    "Read the MAT standards, and the Medication Assisted Treatment (MAT) standards summary.",
    "Alcohol misuse statistics are published every year.",
    "Wash with clean hands. Clean the room. A dirty floor is a trip risk.",
    "He came clean about the missed visit. Offer clean water and a clean towel.",
    "See https://example.org/addict-url for more.",
    "Read [the Samaritans guidelines](https://example.org/committed-suicide) first.",
    "<!-- a note for reviewers: do not say addict -->",
    "The risk of harm is high. He had drunk two cups of tea.",
    "A depressive episode and a psychotic episode are both treatable.",
    "Offer non-alcoholic drinks. Help-seeking is hard. Compliance is not a principle.",
    "We are tweaking the form, and vice versa.",
    "A committed suicide prevention team helps.",
    "Victims of crime can get support. Treatment-resistant depression is real.",
    "Staff who are resistant to change need support too.",
    "Their budget will shrink. Staff may get high scores.",
    "<!-- cg:allow-terms -->",
    "| Words to avoid | Say instead |",
    "|---|---|",
    "| addict, junkie | person who uses drugs |",
    "| committed suicide | died by suicide |",
    "<!-- cg:end-allow-terms -->",
]


def test_every_stigmatising_form_is_flagged_with_its_alternative(tmp_path):
    text, first = page("Bad words", "bad", [f"- {s}" for s, _, _ in STIGMATISING])
    found = [d for d in lint_pages(tmp_path, text) if d["code"] in CODES]
    for n, (sentence, hint, contested) in enumerate(STIGMATISING, first):
        here = [d for d in found if d["file"] == FILE and d["line"] == n]
        assert here, f"line {n} not flagged: {sentence}"
        assert any(hint in d["hint"] for d in here), (sentence, here)
        assert {d["code"] for d in here} == {"contested-term" if contested else "stigmatising-term"}, (sentence, here)
    assert len(found) == len(STIGMATISING)


def test_message_and_hint_wording(tmp_path):
    text, first = page("Words", "words", ["He is an addict."])
    [d] = [d for d in lint_pages(tmp_path, text) if d["code"] in CODES]
    assert (d["line"], d["severity"], d["message"], d["hint"]) == (
        first, "error", "stigmatising term 'addict'", "say 'person who uses drugs' instead (source S32)")


def test_contested_terms_are_warnings_that_say_ask_the_person(tmp_path):
    text, _ = page("Words", "words", ["She had a relapse."])
    [d] = [d for d in lint_pages(tmp_path, text) if d["code"] in CODES]
    assert d["severity"] == "warning" and "ask the person" in d["hint"]


def test_innocent_uses_are_not_flagged(tmp_path):
    text, _ = page("Good words", "good", INNOCENT)
    found = [d for d in lint_pages(tmp_path, text) if d["code"] in CODES | {"unclosed-allow-marker"}]
    assert found == []


def test_a_phrase_wrapped_over_two_lines_is_found_at_its_first_line(tmp_path):
    text, first = page("Wrapped", "wrapped", ["Her brother committed", "suicide last year."])
    found = [d for d in lint_pages(tmp_path, text) if d["code"] in CODES]
    assert [(d["line"], d["message"]) for d in found] == [(first, "stigmatising term 'committed suicide'")]


def test_a_comment_over_several_lines_hides_only_itself(tmp_path):
    text, first = page("Notes", "notes", ["<!-- a note for reviewers:", "addict", "-->", "He is an addict."])
    found = [d for d in lint_pages(tmp_path, text) if d["code"] in CODES]
    assert [d["line"] for d in found] == [first + 3]


def test_an_unclosed_allow_marker_is_an_error(tmp_path):
    text, first = page("Table", "table", ["<!-- cg:allow-terms -->", "| addict | person who uses drugs |"])
    found = [d for d in lint_pages(tmp_path, text) if d["code"] in CODES | {"unclosed-allow-marker"}]
    assert [(d["line"], d["code"], d["severity"]) for d in found] == [(first, "unclosed-allow-marker", "error")]


def test_markers_in_one_page_file_do_not_hide_words_in_the_next(tmp_path):
    one, _ = page("One", "one", ["<!-- cg:allow-terms -->", "addict", "<!-- cg:end-allow-terms -->"])
    two, first = page("Two", "two", ["He is a junkie."])
    found = [d for d in lint_pages(tmp_path, one, two) if d["code"] in CODES]
    assert [(d["file"], d["line"]) for d in found] == [("content/modules/test-mod/02-page.md", first)]
