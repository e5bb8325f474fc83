"""The course certificate: the keys of the course's ``policy.json`` that turn on Open edX's own
web certificate for learners who pass, with the notional learning time and the pathways on it.

Open edX issues one certificate per course run, to a learner whose grade passes (our cutoff: the
pack's pass mark) in an enrolment mode other than ``audit``. What the course can say about that
certificate lives in the course block's settings, which edx-platform's XML import reads from
``policies/<run>/policy.json`` like every other course field (``xmodule/course_block.py``,
``CourseFields``). The rest (the site's feature flag, a certificate-bearing course mode, how
certificates are generated) is the operator's: README, "Course certificates".

A preview build issues no certificate: its web certificates are off for the course (so the LMS
generates none, whatever the site allows) and its configuration is not active; every text of it
says "Preview, not for learners", for course staff who look at it in Studio. Only a ``--release``
build's certificate is on and active: a certificate says its content has passed the release
gate's sign-off.

Nothing here invents a signatory or an approval: the pack names none, so the certificate lists none.
"""
from __future__ import annotations

from coursepack.model import Pack

#: Studio numbers a course's certificates from 100 (``CERTIFICATE_MINIMUM_ID`` in
#: cms/djangoapps/contentstore/views/certificate_manager.py); the course has one, so it is 100,
#: which keeps the bytes the same from build to build.
CERTIFICATE_ID = 100
#: The configuration's schema version Studio checks (``CERTIFICATE_SCHEMA_VERSION``, same file).
SCHEMA_VERSION = 1
#: "early_no_info" (xmodule/data.py ``CertificatesDisplayBehaviors``): a learner sees the
#: certificate as soon as it is generated. Our course is instructor-paced and "ends" in 2099, so
#: the default "end" (or a date) would hold every certificate back for decades
#: (lms/djangoapps/certificates/utils.py ``should_certificate_be_visible``).
DISPLAY_BEHAVIOR = "early_no_info"
#: The words every delivery marks a preview with.
PREVIEW_LINE = "Preview, not for learners: this content has not been approved for release."


def learning_time(minutes: int) -> str:
    """``235`` -> "3 hours 55 minutes": the sum of the modules' stated minutes, in words."""
    hours, rest = divmod(minutes, 60)
    parts = [f"{hours} hour{'s' if hours != 1 else ''}"] if hours else []
    if rest or not hours:
        parts.append(f"{rest} minute{'s' if rest != 1 else ''}")
    return " ".join(parts)


def pathways_text(pack: Pack) -> str:
    """The pack's pathways with their levels in the pack's own words, which are not the levels of
    Scotland's national trauma programme (``content/pack.yml``: the pack awards none of those)."""
    roles = "; ".join(f"{p.role} ({p.level})" for p in pack.pathways)
    return (f"It holds the modules of these pathways, at this course's own levels (not National Trauma "
            f"Transformation Programme levels): {roles}.")


def statement(pack: Pack) -> str:
    """What the certificate says under the course's name: who published it, its notional learning
    time and its pathways (plain text: the platform's template puts it in as it is)."""
    minutes = sum(m.duration for m in pack.modules)
    course = f"a course of {len(pack.modules)} modules published by {pack.publisher}."
    # lower case, like the platform's own line it replaces ("a course of study offered by ...")
    words = [course] if pack.release else [PREVIEW_LINE, course[0].upper() + course[1:]]
    words.append(f"Notional learning time: {learning_time(minutes)}.")
    if pack.pathways:
        words.append(pathways_text(pack))
    return " ".join(words)


def certificate_policy(pack: Pack) -> dict:
    """The course's certificate settings, as ``policy.json`` keys.

    - ``certificates``: the configuration Studio's Certificates page writes, in the shape its
      ``CertificateManager`` serialises (id, name, description, is_active, version, signatories,
      course_title). The LMS shows the first active one (lms/djangoapps/certificates/api.py
      ``get_active_web_certificate``) and puts its ``course_title`` where the course's name goes
      (lms/templates/certificates/_accomplishment-rendering.html). ``description`` is for the
      course team in Studio: the certificate itself does not show it.
    - ``cert_html_view_enabled``: the course's half of ``has_html_certificates_enabled``
      (lms/djangoapps/certificates/utils.py; the site's ``CERTIFICATES_HTML_VIEW`` is the other
      half). Without it the LMS generates no certificate at all (generation_handler.py
      ``_can_generate_certificate_common``), which is what a preview build wants: generation does
      not look at ``is_active``, so an inactive configuration alone would still leave passing
      learners a certificate record, valid once a release build is imported over the preview.
    - ``certificates_display_behavior``: ``DISPLAY_BEHAVIOR``.
    - ``cert_html_view_overrides``: the course's own values for the certificate page, applied last
      (lms/djangoapps/certificates/views/webview.py ``render_html_view``). The default template
      shows ``accomplishment_copy_course_description`` under the course's name; it is the one
      place the course can put the learning time and the pathways on the certificate itself.

    Not set: ``cert_name_short``/``cert_name_long`` (PDF certificates only, which Open edX no
    longer generates) and ``certificate_available_date`` (unused with "early_no_info").
    """
    minutes = sum(m.duration for m in pack.modules)
    stamp = "" if pack.release else " (preview, not for learners)"
    description = [f"Certificate of completion for {pack.title}, published by {pack.publisher}, for "
                   f"learners who pass the course (pass mark {pack.pass_mark}%).",
                   f"Notional learning time: {learning_time(minutes)} (the sum of its modules' stated times)."]
    if pack.pathways:
        description.append(pathways_text(pack))
    if not pack.release:
        description.insert(0, PREVIEW_LINE + " A --release build turns this certificate on.")
    return {
        "cert_html_view_enabled": pack.release,
        "certificates_display_behavior": DISPLAY_BEHAVIOR,
        "certificates": {"certificates": [{
            "id": CERTIFICATE_ID,
            "name": f"Certificate of completion{stamp}",
            "description": " ".join(description),
            "is_active": pack.release,
            "version": SCHEMA_VERSION,
            "signatories": [],
            "course_title": pack.title + stamp,
        }]},
        "cert_html_view_overrides": {"accomplishment_copy_course_description": statement(pack)},
    }
