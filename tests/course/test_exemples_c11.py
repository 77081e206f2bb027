"""Runs the C11 worked example (course/exemples/c11/): gitlab-ci.yml through the CI lab's own static
reading (GitLab's vendored JSON schema, the `ci-config` tool classes, the `ci-cannot-fail` rule),
mutated copies of it that swallow failures (|| true, allow_failure, --exit-zero, manual tests) being
flagged; and the alert rule surveiller.py on metriques.csv."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from graders.checks.ci.pipeline import cannot_fail, gitlab_jobs, load_yaml
from graders.checks.ci_config_check import schema_errors

EXAMPLE = Path(__file__).resolve().parents[2] / "course" / "exemples" / "c11"
CI = EXAMPLE / "gitlab-ci.yml"


def pipeline(text: str | None = None) -> dict:
    return load_yaml(text if text is not None else CI.read_text(encoding="utf-8"))


def test_the_example_files_are_all_here():
    assert sorted(p.name for p in EXAMPLE.iterdir() if p.is_file()) == ["gitlab-ci.yml", "metriques.csv", "surveiller.py"]


def test_the_pipeline_is_valid_and_guards_quality():
    data = pipeline()
    assert schema_errors(data) == []
    jobs = gitlab_jobs(data)
    for tool in ("lint", "tests", "coverage", "sast", "deps", "secrets", "image"):
        assert any(job.runs(tool) for job in jobs), tool
    tests = next(job for job in jobs if job.runs("tests"))
    assert tests.services == {"postgres", "redis"}
    assert "junit" in str(data[tests.name]["artifacts"])
    assert cannot_fail(jobs) == []


@pytest.mark.parametrize(("old", "new", "job"), [
    ("--junitxml=rapport-tests.xml\n", "--junitxml=rapport-tests.xml || true\n", "tests"),
    ("    - ruff check .\n", "    - ruff check . --exit-zero\n", "style-et-lint"),
    ("  stage: qualite\n", "  stage: qualite\n  allow_failure: true\n", "style-et-lint"),
    ("    - pip-audit --disable-pip --no-deps -r requirements.txt\n",
     "    - pip-audit --disable-pip --no-deps -r requirements.txt || echo 'à voir plus tard'\n", "dependances-et-secrets"),
    ("  stage: tests\n", "  stage: tests\n  when: manual\n", "tests"),
], ids=["or-true", "exit-zero", "allow-failure", "or-echo", "manual-tests"])
def test_a_pipeline_that_cannot_fail_is_flagged(old, new, job):
    text = CI.read_text(encoding="utf-8")
    assert text.count(old) == 1
    data = pipeline(text.replace(old, new))
    assert schema_errors(data) == []            # still a valid file: only the grader's rule catches it
    reasons = cannot_fail(gitlab_jobs(data))
    assert any(reason.startswith(f"{job}:") for reason in reasons), reasons


def run_alert(csv: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(EXAMPLE / "surveiller.py"), str(csv)], capture_output=True,
                          text=True, timeout=30)


def test_the_alert_rule_fires_once_when_the_new_release_errs(tmp_path):
    run = run_alert(EXAMPLE / "metriques.csv")
    assert run.returncode == 1
    alerts = run.stdout.strip().splitlines()
    assert len(alerts) == 1 and alerts[0].startswith("ALERTE 10:05") and "1.4.0" in alerts[0]
    calm = tmp_path / "calme.csv"
    calm.write_text("".join((EXAMPLE / "metriques.csv").read_text(encoding="utf-8").splitlines(True)[:7]),
                    encoding="utf-8")
    quiet = run_alert(calm)
    assert quiet.returncode == 0 and "aucune alerte" in quiet.stdout
