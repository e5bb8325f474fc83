"""What an Open edX image gets: the base install only (no authoring extra), and the blocks work
with it. The resolution inside edx-platform's pins is checked by ``.ci/run`` (pip needs the index);
these tests check what that install holds and that nothing at run time needs more."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from importlib.metadata import requires
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
AUTHORING = ("click", "rich", "textstat")


def blocked(folder: Path) -> dict:
    """An environment in which the authoring libraries cannot be imported."""
    for name in AUTHORING:
        (folder / name).mkdir(parents=True)
        (folder / name / "__init__.py").write_text(f"raise ImportError('{name} is not installed', name='{name}')\n")
    return dict(os.environ, PYTHONPATH=str(folder))


def base_requirements() -> set[str]:
    names = set()
    for req in requires("commonground") or ():
        if "extra ==" not in req:
            names.add(req.split(";")[0].split("[")[0].split("<")[0].split(">")[0].split("=")[0].strip().lower())
    return names


def test_the_base_install_has_no_authoring_library():
    base = base_requirements()
    assert "xblock" in base and "markdown" in base
    assert not base & set(AUTHORING), base


def test_the_blocks_render_and_answer_without_the_authoring_libraries(tmp_path):
    pytest.importorskip("xblock")
    script = textwrap.dedent("""
        import importlib.util, json, sys
        if importlib.util.find_spec("djpyfs"):   # XBlock[django]: its services need Django set up
            import django
            from django.conf import settings
            settings.configure(INSTALLED_APPS=["djpyfs"])
            django.setup()
        import olx_export.course  # the Tutor job builds the course in the image
        from xblocks import base, confidence, moderated_sharing, order, page, question, reflection, scenario
        # the test runtime does not ship: read it from the checkout, beside the installed blocks
        spec = importlib.util.spec_from_file_location("test_runtime", RUNTIME)
        testing = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(testing)
        LearnerRuntime, post = testing.LearnerRuntime, testing.post
        for name in ("click", "rich", "textstat"):
            assert name not in sys.modules, name
        for cls in (page.ContentPageBlock, question.KnowledgeCheckBlock, reflection.ReflectionBlock,
                    scenario.ScenarioBlock):
            block = LearnerRuntime().block(cls, "b1", module="m")
            assert block.render("student_view").content
        block = LearnerRuntime().block(question.KnowledgeCheckBlock, "q1", module="m")
        answer = json.loads(post(block, "submit", {"selected": ["a"]}).body)
        assert answer["correct"] is True
        print("ok")
    """).replace("RUNTIME", repr(str(REPO / "xblocks" / "dev" / "testing.py")))
    proc = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, env=blocked(tmp_path / "blocked"),
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0 and proc.stdout.strip().endswith("ok"), proc.stderr[-3000:]


def test_the_command_says_to_install_the_authoring_extra(tmp_path):
    command = Path(sys.executable).parent / "commonground"
    proc = subprocess.run([str(command), "lint"], cwd=tmp_path, env=blocked(tmp_path / "blocked"),
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1
    assert "pip install 'commonground[authoring]'" in proc.stderr
    assert "Traceback" not in proc.stderr
