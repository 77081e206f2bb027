"""Canary tests in pytest runs: one after every top-level test, so late patches are caught too."""

from __future__ import annotations

import shutil
import subprocess
import sys

from graders.checks.pytest_canaries import plant
from graders.engine import grade
from graders.labs import load_lab
from tests.helpers import FIXTURE_LABS

TESTS = '''import pytest


@pytest.fixture
def app():
    return 1


@pytest.mark.parametrize("v", [1, 2])
def test_a(app, v):
    assert v


def helper():
    return 2


class TestB:
    def test_c(self):
        assert helper() == 2
def test_d(): assert 1'''


def test_a_canary_follows_every_top_level_test(tmp_path):
    (tmp_path / "test_x.py").write_text(TESTS)
    (tmp_path / "test_empty.py").write_text("import os\n")
    (tmp_path / "helpers.py").write_text("def test_not_a_test_file(): pass\n")
    planted = plant(tmp_path)
    assert len([c for c in planted if c.startswith("test_x.py::")]) == 3
    assert len([c for c in planted if c.startswith("test_empty.py::")]) == 1
    assert "def test_not_a_test_file" in (tmp_path / "helpers.py").read_text()  # not a test file: untouched
    source = (tmp_path / "test_x.py").read_text()
    order = [line.split("(")[0][4:] for line in source.splitlines() if line.startswith(("def test", "class Test"))]
    canaries = {c.split("::")[1] for c in planted}
    assert [name in canaries for name in order] == [False, True, False, True, False, True]
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path)],
                         capture_output=True, text=True, cwd=tmp_path)
    assert "4 failed, 4 passed" in run.stdout, run.stdout  # every canary fails, the tests still pass


def test_a_patch_made_in_the_middle_of_the_run_is_caught(tmp_path):
    """The learner's `divide` patches the recorder the first time a test calls it (third test of
    the file): with one canary per file, placed at random, this went unseen three times in four."""
    lab = load_lab(FIXTURE_LABS / "mini-lab")
    base = FIXTURE_LABS / "mini-lab" / "examples" / "partial"
    honest = grade(lab, base, lang="en")
    attacked = shutil.copytree(base, tmp_path / "late")
    core = attacked / "calc" / "core.py"
    core.write_text(core.read_text().replace("def divide(a, b):\n", '''def divide(a, b):
    import sys
    plugin = sys.modules.get("cda_pytest_plugin")
    if plugin and not getattr(plugin, "_patched", False):
        plugin._patched = True
        write = plugin.Recorder._write

        def _write(self, record):
            if record.get("event") == "test":
                record["outcome"], record["message"] = "passed", None
            write(self, record)

        plugin.Recorder._write = _write
'''))
    result = grade(lab, attacked, lang="en")
    hidden = next(c for c in result.checks if c.id == "hidden")
    assert any(f.rule == "test-framework-tampering" for f in hidden.findings)
    assert hidden.score == 0 and result.score <= honest.score
