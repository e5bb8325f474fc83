"""The OLX course's certificate: the keys edx-platform's certificate code reads, from the built
tarball's ``policy.json``, in a preview build and a ``--release`` build.

The files named in comments are edx-platform's (openedx/edx-platform); the course policy is read
into the course block's fields by the XML import (xmodule/course_block.py ``CourseFields``).
"""
from __future__ import annotations

import dataclasses
import json
import tarfile
from pathlib import Path

import pytest

from coursepack.load import require_pack
from olx_export import course as course_olx

REPO = Path(__file__).resolve().parent.parent


def built_policy(result, out: Path) -> dict:
    """The course's entry in the policy.json of the tarball ``build`` writes."""
    course_olx.build(result, out)
    run = result.pack.course.run
    with tarfile.open(out / course_olx.tarball_name(result.pack)) as tar:
        policy = json.load(tar.extractfile(f"{course_olx.TOP}/policies/{run}/policy.json"))
    return policy[f"course/{run}"]


@pytest.fixture(scope="module")
def preview():
    return require_pack(REPO / "content")


@pytest.fixture(scope="module")
def release(preview):
    # what `commonground build --release` does once nothing needs sign-off (coursepack/cli.py)
    return dataclasses.replace(preview, pack=dataclasses.replace(preview.pack, release=True))


@pytest.fixture(scope="module")
def preview_policy(preview, tmp_path_factory):
    return built_policy(preview, tmp_path_factory.mktemp("preview"))


@pytest.fixture(scope="module")
def release_policy(release, tmp_path_factory):
    return built_policy(release, tmp_path_factory.mktemp("release"))


def active_web_certificate(policy: dict, is_preview_mode=None):
    """lms/djangoapps/certificates/api.py ``get_active_web_certificate``, over the policy's value of
    the course's ``certificates`` field: the first configuration that is active, or any in
    Studio's preview (``?preview=<mode>``)."""
    for config in policy.get("certificates", {}).get("certificates", []):
        if config.get("is_active") or is_preview_mode:
            return config
    return None


@pytest.mark.parametrize("which", ["preview_policy", "release_policy"])
def test_the_configuration_has_the_shape_studio_and_the_lms_read(which, request):
    policy = request.getfixturevalue(which)
    configs = policy["certificates"]["certificates"]
    assert len(configs) == 1
    config = configs[0]
    # cms/djangoapps/contentstore/views/certificate_manager.py: deserialize_certificate requires
    # name, description and version; validate wants version 1 (CERTIFICATE_SCHEMA_VERSION) and a
    # name; serialize_certificate reads id, name, description, is_active, signatories and an
    # optional course_title; ids start at CERTIFICATE_MINIMUM_ID (100) and are integers
    assert set(config) == {"id", "name", "description", "is_active", "version", "signatories", "course_title"}
    assert config["version"] == 1 and config["name"] and config["description"]
    assert isinstance(config["id"], int) and config["id"] >= 100
    assert isinstance(config["is_active"], bool)
    # the pack names no signatory, so none is invented
    assert config["signatories"] == []
    # lms/djangoapps/certificates/utils.py has_html_certificates_enabled: the course's half
    assert isinstance(policy["cert_html_view_enabled"], bool)
    # xmodule/data.py CertificatesDisplayBehaviors: "early_no_info" shows it as soon as it is generated
    assert policy["certificates_display_behavior"] == "early_no_info"
    # webview.py render_html_view: context.update(course.cert_html_view_overrides), a dict of strings
    overrides = policy["cert_html_view_overrides"]
    assert set(overrides) == {"accomplishment_copy_course_description"}
    # the platform's template puts the value in as it is: plain text only
    assert not set("<>&") & set(overrides["accomplishment_copy_course_description"])


def test_a_release_build_has_an_active_certificate_for_learners(release, release_policy):
    pack = release.pack
    config = active_web_certificate(release_policy)
    assert config is not None and config["is_active"] is True
    # generation_handler.py _can_generate_certificate_common needs has_html_certificates_enabled
    assert release_policy["cert_html_view_enabled"] is True
    # _accomplishment-rendering.html shows course_title where the course's name goes
    assert config["course_title"] == pack.title
    assert "preview" not in json.dumps(release_policy).lower()


def test_a_preview_build_issues_no_certificate_and_says_it_is_a_preview(preview, preview_policy):
    assert preview.pack.release is False
    # generation_handler.py refuses to generate a certificate for a course whose web certificates
    # are off (it does not look at is_active) ...
    assert preview_policy["cert_html_view_enabled"] is False
    # ... and webview.py finds no active configuration for a learner ...
    assert active_web_certificate(preview_policy) is None
    # ... while the one Studio shows course staff (and previews, where they turn it on) says what it is
    config = active_web_certificate(preview_policy, is_preview_mode="honor")
    assert config is not None
    for text in (config["name"], config["course_title"], config["description"],
                 preview_policy["cert_html_view_overrides"]["accomplishment_copy_course_description"]):
        assert "preview, not for learners" in text.lower(), text


@pytest.mark.parametrize("which", ["preview", "release"])
def test_the_certificate_shows_the_learning_time_and_the_pathways(which, request):
    result = request.getfixturevalue(which)
    policy = request.getfixturevalue(f"{which}_policy")
    pack = result.pack
    shown = policy["cert_html_view_overrides"]["accomplishment_copy_course_description"]
    minutes = sum(m.duration for m in pack.modules)
    hours, rest = divmod(minutes, 60)
    assert f"Notional learning time: {hours} hours {rest} minutes." in shown
    assert pack.publisher in shown
    for pathway in pack.pathways:
        assert f"{pathway.role} ({pathway.level})" in shown
    # the pack's levels are its own: the certificate says they are not the national programme's
    assert "not National Trauma Transformation Programme levels" in shown
    # Studio's description for the course team says the same
    description = policy["certificates"]["certificates"][0]["description"]
    assert f"{hours} hours {rest} minutes" in description
    assert all(p.role in description for p in pack.pathways)


def test_the_certificate_names_the_pathways_the_pack_has(preview, tmp_path):
    """Take the pathways away and the certificate stops naming any (the text comes from the pack)."""
    bare = dataclasses.replace(preview, pack=dataclasses.replace(preview.pack, pathways=()))
    policy = built_policy(bare, tmp_path)
    shown = policy["cert_html_view_overrides"]["accomplishment_copy_course_description"]
    assert "pathways" not in shown and "Everyone" not in shown
    assert "Notional learning time:" in shown

