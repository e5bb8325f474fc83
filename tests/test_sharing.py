"""Learning reviews and joint feedback in coursepack: the two kinds' syntax, the identifier check
and the no-blame prompts (the same rules in Python and, as data, in the browser), and the
private template in the preview: refused with the field and line, text kept, on the device."""
from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path

import pytest

from coursepack import sharing_rules
from coursepack.elements import share
from coursepack.fragment import parse_fragment
from coursepack.load import require_pack
from support import CONTENT
from scorm_fixtures import scorm_lms, scorm_pack  # noqa: F401,F811 (fixtures)

FIXTURE = Path(__file__).parent / "fixtures" / "pack"
REVIEW = "::: learning-review {#lr-event}\nShare what your team learned.\n:::"
FEEDBACK = '::: joint-feedback {#jf-services services="Mental health|Substance use|Both|Other"}\nTell the other service.\n:::'
GOOD = {"happened": "A person waited a long time between two services.",
        "helped": "A phone call between the two team leads.",
        "hindered": "The referral form asked the same questions twice.",
        "changing": "One shared form.", "takeaway": "Pick up the phone early.",
        "service": "Both", "month": "2026-03"}

IDENTIFIERS = [
    ("CHI 0102034567 was on the form", "chi-nhs"),
    ("NHS number 943 476 5919", "chi-nhs"),
    ("seen on 12/03/2024", "date-numeric"),
    ("on 2024-03-12 at noon", "date-numeric"),
    ("on the 3rd of March", "date-words"),
    ("March 3 was busy", "date-words"),
    ("her DOB is on file", "birth"),
    ("call 0141 211 3000", "phone"),
    ("or +44 7700 900123", "phone"),
    ("write to someone@nhs.scot", "email"),
    ("lives near G12 8QQ", "postcode"),
    ("Mr Smith said", "title-name"),
    ("Dr. Jones came", "title-name"),
]
CLEAN = ["In March 2026 we had 120 referrals.", "The team of 10 met on 2 wards.", "Mr and Mrs are titles.",
         "The GP and the nurse met.", "Use the 24 hour line.", "We changed the form in 2025."]


@pytest.mark.parametrize("text,rule", IDENTIFIERS)
def test_likely_identifiers_are_found_with_their_line(text, rule):
    found = sharing_rules.identifiers({"helped": "first line is fine\n" + text})
    assert [(f.field, f.line, f.rule) for f in found][:1] == [("helped", 2, rule)]
    assert found[0].message and not found[0].phrase


@pytest.mark.parametrize("text", CLEAN)
def test_ordinary_numbers_months_and_words_pass(text):
    assert sharing_rules.identifiers({"t": text}) == []


@pytest.mark.parametrize("phrase", ["should have", "failed to", "negligent", "at fault", "human error"])
def test_blame_gets_a_gentle_prompt_with_an_alternative_never_a_refusal(phrase):
    e = parse_fragment(REVIEW, kind="learning_review").element
    checked = share.check(e, {**GOOD, "hindered": f"The nurse {phrase} the form."}, True, dt.date(2026, 6, 1))
    assert checked.ok
    assert [(p.field, p.phrase.lower()) for p in checked.prompts] == [("hindered", phrase)]
    assert checked.prompts[0].message


def test_a_submission_is_refused_with_field_line_and_why_and_nothing_is_dropped():
    e = parse_fragment(REVIEW, kind="learning_review").element
    values = {**GOOD, "happened": "All fine.\nCHI 010 203 4567 was read out."}
    checked = share.check(e, values, True, dt.date(2026, 6, 1))
    assert not checked.ok and checked.values["happened"] == values["happened"].strip()
    assert [share.describe(e, f) for f in checked.identifiers] == [
        "What happened (brief, with nothing that could identify anyone), line 2: a CHI or NHS number (10 digits)"]


@pytest.mark.parametrize("change,field", [
    ({"month": "2026-03-12"}, "month"), ({"month": "2027-01"}, "month"), ({"month": "March"}, "month"),
    ({"service": "Hospital"}, "service"), ({"helped": ""}, "helped"), ({"helped": "x" * 1501}, "helped"),
])
def test_every_field_is_checked(change, field):
    e = parse_fragment(REVIEW, kind="learning_review").element
    checked = share.check(e, {**GOOD, **change}, True, dt.date(2026, 6, 1))
    assert [f for f, _ in checked.refused] == [field]


def test_the_tick_is_required():
    e = parse_fragment(REVIEW, kind="learning_review").element
    assert [f for f, _ in share.check(e, GOOD, False, dt.date(2026, 6, 1)).refused] == ["confirm"]


def test_joint_feedback_has_service_kind_and_text():
    found = parse_fragment(FEEDBACK, kind="joint_feedback")
    assert not found.errors
    e = found.element
    assert [f.name for f in e.fields] == ["service", "category", "text", "month"]
    ok = share.check(e, {"service": "Substance use", "category": "risk", "text": "Discharge letters arrive late.",
                         "month": "2026-02"}, True, dt.date(2026, 6, 1))
    assert ok.ok
    bad = share.check(e, {"service": "Substance use", "category": "gossip", "text": "x", "month": "2026-02"},
                      True, dt.date(2026, 6, 1))
    assert [f for f, _ in bad.refused] == ["category"]


@pytest.mark.parametrize("options", ['services="Only one"', 'services="A|A"', "max=10"])
def test_bad_options_are_messages_with_a_line(options):
    found = parse_fragment(f"::: joint-feedback {{#jf-x {options}}}\n:::", kind="joint_feedback")
    assert [(d.code, d.line) for d in found.errors] == [("bad-option", 1)]


def test_the_browser_gets_the_same_rules_as_data():
    rules = sharing_rules.browser_rules()
    assert [r["id"] for r in rules["identifiers"]] == [r.id for r in sharing_rules.identifier_rules()]
    assert len(rules["noBlame"]) == len(sharing_rules.no_blame_rules()) >= 5
    for r in rules["identifiers"]:
        re.compile(r["match"], re.ASCII)   # and the browser test below runs them in Chromium


# -- the private template in the preview ---------------------------------------------------------

@pytest.fixture(scope="module")
def share_pack(tmp_path_factory):
    root = tmp_path_factory.mktemp("share") / "pack"
    shutil.copytree(FIXTURE, root)
    module = root / "modules" / "every-element.md"
    text = module.read_text(encoding="utf-8")
    module.write_text(text.replace("## Questions {#questions}\n", "## Questions {#questions}\n\n" + REVIEW + "\n\n"
                                   + FEEDBACK + "\n", 1), encoding="utf-8")
    return root


def test_the_pack_lints_and_the_modules_use_both_kinds(share_pack):
    assert not require_pack(share_pack).diagnostics.errors
    shipped = require_pack(CONTENT).pack
    last = {e.kind for m in shipped.modules for e in m.pages[-1].elements}
    assert {"learning_review", "joint_feedback"} <= last


def _fill(widget, values):
    for name, value in values.items():
        field = widget.locator(f'[data-cg-field="{name}"]')
        if field.get_attribute("data-cg-type") == "choice":
            field.locator(f'input[value="{value}"]').check()
        else:
            field.locator("textarea, input").fill(value)


def test_the_private_template_refuses_identifiers_keeps_the_text_and_stays_on_the_device(
        share_pack, tmp_path, browser, static_server):
    from coursepack.site import build
    from test_player import axe_violations
    build(require_pack(share_pack), tmp_path)
    base = static_server(tmp_path)
    context = browser.new_context(bypass_csp=True, accept_downloads=True)
    page = context.new_page()
    sent = []
    page.on("request", lambda r: sent.append(r.url) if r.method != "GET" else None)
    page.goto(f"{base}/every-element/index.html")
    page.wait_for_function("() => window.CommonGround && CommonGround.shell")
    page.locator('a[data-cg-goto][href="#page-questions"]').click()
    widget = page.locator('.cg-share[data-cg-id="lr-event"]')
    widget.scroll_into_view_if_needed()
    assert "Open edX" in widget.locator(".cg-privacy").inner_text()
    assert axe_violations(page, ".cg-share") == []
    # every identifier the Python check finds, the browser finds too (same rules, same verdict)
    verdicts = page.evaluate("""(cases) => { const rules = JSON.parse(document.querySelector('.cg-share').dataset.cgRules);
        return cases.map(t => rules.identifiers.filter(r => new RegExp(r.match, r.flags).test(t)).map(r => r.id)[0] || ''); }""",
                             [t for t, _ in IDENTIFIERS] + CLEAN)
    assert verdicts == [r for _, r in IDENTIFIERS] + [""] * len(CLEAN)

    _fill(widget, {**GOOD, "happened": "Fine.\nCHI 010 203 4567 was read out.", "hindered": "Staff failed to call."})
    widget.locator("input[name=confirm]").check()
    widget.locator("button[type=submit]").focus()
    page.keyboard.press("Enter")
    page.wait_for_timeout(100)
    feedback = widget.locator(".cg-feedback").inner_text()
    assert "line 2: a CHI or NHS number" in feedback
    assert page.evaluate("() => document.activeElement.name") == "happened"
    assert widget.locator('[data-cg-field="happened"] textarea').input_value().endswith("4567 was read out.")
    assert "Say what happened" in widget.locator('[data-cg-field="hindered"] .cg-field-note').inner_text()
    assert axe_violations(page, ".cg-share") == []
    widget.locator('[data-cg-field="happened"] textarea').fill("Fine.\nA number was read out.")
    page.keyboard.press("Tab")
    widget.locator("button[type=submit]").click()
    page.wait_for_timeout(100)
    assert widget.locator(".cg-feedback").inner_text() == "Saved on this device."
    with page.expect_download() as download:
        widget.locator("[data-cg-action=download]").click()
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert "What helped:\nA phone call between the two team leads." in text and "2026-03" in text
    assert sent == [], "nothing is sent anywhere"
    # kept on the device: a reload restores every field
    page.reload()
    page.wait_for_function("() => window.CommonGround && CommonGround.shell")
    page.locator('a[data-cg-goto][href="#page-questions"]').click()
    widget = page.locator('.cg-share[data-cg-id="lr-event"]')
    assert widget.locator('[data-cg-field="happened"] textarea').input_value() == "Fine.\nA number was read out."
    assert widget.locator('[data-cg-field="service"] input:checked').get_attribute("value") == "Both"


# -- SCORM: the same private template, offline, sent only on opt-in ------------------------------

def test_in_scorm_the_learning_review_stays_on_the_device_until_the_learner_opts_in(browser, scorm_lms):
    from scorm_learner import launch, state
    from scorm_lms import learner_data
    pack = require_pack(CONTENT).pack
    mod = pack.module("adverse-events")
    review = next(e for e in mod.pages[-1].elements if e.kind == "learning_review")
    key = "2004"
    sid = scorm_lms.new_session(key, scorm_lms.package_for(key, mod.id), f"{mod.id}/index.html", learner_data(key))
    ctx = browser.new_context()
    try:
        page, frame = launch(ctx, scorm_lms, sid)
        frame.locator(f'[data-cg-goto="{len(mod.pages) - 1}"]').click()
        widget = frame.locator(f'[id="{review.id}"]')
        assert "Open edX" in widget.locator(".cg-privacy").inner_text()
        _fill(widget, {**GOOD, "happened": "Staff met Mr Jones."})
        widget.locator("input[name=confirm]").check()
        widget.locator("button[type=submit]").click()
        frame.wait_for_function("() => document.querySelector('.cg-share .cg-feedback').textContent")
        assert "a title followed by a name" in widget.locator(".cg-feedback").inner_text()
        widget.locator('[data-cg-field="happened"] textarea').fill("Staff met a colleague.")
        widget.locator("button[type=submit]").click()
        frame.wait_for_function("() => /Saved on this device/.test(document.querySelector('.cg-share .cg-feedback').textContent)")
        assert "What helped:\nA phone call" in state(frame)["r"][review.id]
        frame.locator("[data-cg-action=prev]").click()
        sent = " ".join(str(v) for c in scorm_lms.commits[sid] for v in c.values())
        assert "phone call" not in sent and review.id + ":" not in sent, "nothing reaches the LMS by default"
        frame.locator("[data-cg-action=next]").click()
        widget.locator(".cg-optin-box").check()
        frame.locator("[data-cg-action=prev]").click()
        assert review.id in scorm_lms.stored(sid)["cmi.suspend_data"], "sent once the learner opts in"
    finally:
        ctx.close()
