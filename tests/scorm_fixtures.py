"""Fixtures of the SCORM browser tests (imported by their modules): every package of the
content pack, built once per test process, served by one test LMS."""
from __future__ import annotations

import pytest

from coursepack.load import require_pack
from scorm_export.package import VERSIONS, module_zip, pack_zip

from support import CONTENT
from scorm_lms import TOOL_FILES, LmsServer


class PackLms(LmsServer):
    def package_for(self, key: str, module_id: str | None) -> str:
        """The name a package is served under (module_id None: the whole-pack package)."""
        return f"{VERSIONS[key].name}-{module_id or 'pack'}"


@pytest.fixture(scope="session")
def scorm_pack():
    return require_pack(CONTENT)


@pytest.fixture(scope="session")
def scorm_lms(scorm_pack):
    missing = [str(p) for p in TOOL_FILES.values() if not p.exists()]
    if missing:
        pytest.skip(f"JS test tools not installed ({missing[0]}): run scripts/setup (npm ci in tests/js)")
    lms = PackLms()
    for key, version in VERSIONS.items():
        for module in scorm_pack.pack.modules:
            lms.add_package(lms.package_for(key, module.id), module_zip(scorm_pack, module, version))
        lms.add_package(lms.package_for(key, None), pack_zip(scorm_pack, list(scorm_pack.pack.modules), version))
    yield lms
    lms.close()
