"""`ci-config` check: the learner's pipelines read as data. `aspect = "syntax"`: .gitlab-ci.yml valid
against GitLab's CI schema (vendored, see ci/schema/README.md) and .github/workflows/ci.yml clean for
actionlint (run in the sandbox), with an image build in each. `aspect = "quality"`: lint, static
security analysis, dependency audit and secret detection in both. `aspect = "tests"`: the tests run
with PostgreSQL and Redis services and a coverage threshold, and GitLab keeps the JUnit report."""

from __future__ import annotations

import json
import shutil
import sys
import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Literal

import jsonschema
from pydantic import BaseModel, ConfigDict

from graders.checks.base import Check, CheckContext, CheckOutcome
from graders.checks.ci.pipeline import Job, PipelineError, github_jobs, gitlab_jobs, load_yaml
from graders.results import Finding

SCHEMA = Path(__file__).resolve().parent / "ci" / "schema" / "gitlab-ci.json"
QUALITY = ("lint", "sast", "deps", "secrets")


class ConfigOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")
    aspect: Literal["syntax", "quality", "tests"]
    gitlab: str = ".gitlab-ci.yml"
    github: str = ".github/workflows/ci.yml"


@lru_cache(maxsize=1)
def gitlab_validator() -> jsonschema.Draft7Validator:
    return jsonschema.Draft7Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))


def schema_errors(data: dict) -> list[str]:
    errors = sorted(gitlab_validator().iter_errors(data), key=lambda e: list(e.absolute_path))
    return [f"{'/'.join(str(p) for p in e.absolute_path) or '(root)'}: {e.message[:200]}" for e in errors[:10]]


def actionlint() -> str | None:
    found = Path(sys.executable).parent / "actionlint"
    return str(found) if found.is_file() else shutil.which("actionlint")


def coverage_in_pyproject(workspace: Path) -> bool:
    try:
        data = tomllib.loads((workspace / "pyproject.toml").read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return False
    return bool(data.get("tool", {}).get("coverage", {}).get("report", {}).get("fail_under"))


class ConfigCheck(Check):
    kind = "ci-config"
    Options = ConfigOptions

    def run(self, ctx: CheckContext) -> CheckOutcome:
        _ = ctx._
        pipelines, findings = {}, []
        for name, path, reader in (("GitLab", self.options.gitlab, gitlab_jobs),
                                   ("GitHub", self.options.github, github_jobs)):
            file = ctx.workspace / path
            if not file.is_file():
                findings.append(Finding(rule="ci-file-missing", severity="high", path=path,
                                        message=_("{file} is missing.").format(file=path)))
                continue
            try:
                data = load_yaml(file.read_text(encoding="utf-8", errors="replace"))
            except PipelineError as exc:
                findings.append(Finding(rule="ci-invalid-yaml", severity="high", path=path, message=str(exc)))
                continue
            pipelines[name] = (path, data, reader(data))
        aspect = getattr(self, f"_{self.options.aspect}")
        fraction, more = aspect(ctx, pipelines)
        findings += more
        return CheckOutcome(fraction, findings=findings,
                            message=_("{count} finding(s)").format(count=len([f for f in findings if f.severity != "info"])))

    def _syntax(self, ctx, pipelines) -> tuple[float, list[Finding]]:
        _ = ctx._
        score, findings = 0.0, []
        if "GitLab" in pipelines:
            path, data, jobs = pipelines["GitLab"]
            errors = schema_errors(data)
            findings += [Finding(rule="gitlab-ci-schema", severity="high", path=path, message=_(
                "Not a valid GitLab CI file: {error}").format(error=e)) for e in errors]
            score += 0.35 if not errors else 0.0
            score += 0.15 if any(job.runs("image") for job in jobs) else 0.0
        if "GitHub" in pipelines:
            path, _data, jobs = pipelines["GitHub"]
            problems = self._actionlint(ctx, path)
            findings += problems
            score += 0.35 if not problems else 0.0
            score += 0.15 if any(job.runs("image") for job in jobs) else 0.0
        for path, _data, jobs in pipelines.values():
            if not any(job.runs("image") for job in jobs):
                findings.append(Finding(rule="ci-no-image-build", severity="medium", path=path,
                                        message=_("No job builds the application's image.")))
        return score, findings

    def _actionlint(self, ctx, path: str) -> list[Finding]:
        _ = ctx._
        tool = actionlint()
        if tool is None:
            return [Finding(rule="actionlint-missing", severity="info", path=path,
                            message=_("actionlint is not installed: the workflow was not checked."))]
        run, _out = ctx.run_sandboxed([tool, "-no-color", "-format", "{{json .}}", path], outputs=[])
        try:
            errors = json.loads(run.stdout or "[]")
        except ValueError:
            return [Finding(rule="actionlint-error", severity="high", path=path,
                            message=(run.stderr or run.stdout).strip()[:300])]
        return [Finding(rule=f"actionlint-{e.get('kind', 'error')}", severity="high", path=path, line=e.get("line"),
                        message=e.get("message", "")[:300]) for e in errors]

    def _quality(self, ctx, pipelines) -> tuple[float, list[Finding]]:
        _ = ctx._
        found, findings = 0, []
        labels = {"lint": _("a linter (ruff, flake8...)"), "sast": _("a static security analysis (bandit, cda scan...)"),
                  "deps": _("a dependency audit (pip-audit...)"), "secrets": _("a secret detection (detect-secrets, gitleaks...)")}
        for path, _data, jobs in pipelines.values():
            for tool in QUALITY:
                label = labels[tool]
                if any(job.runs(tool) for job in jobs):
                    found += 1
                else:
                    findings.append(Finding(rule=f"ci-no-{tool}", severity="medium", path=path, message=_(
                        "No job runs {what}.").format(what=label)))
        return found / (2 * len(QUALITY)), findings

    def _tests(self, ctx, pipelines) -> tuple[float, list[Finding]]:
        _ = ctx._
        points, findings = 0.0, []
        pyproject_threshold = coverage_in_pyproject(ctx.workspace)
        for path, _data, jobs in pipelines.values():
            tests: list[Job] = [job for job in jobs if job.runs("tests")]
            if not tests:
                findings.append(Finding(rule="ci-no-tests", severity="high", path=path, message=_("No job runs pytest.")))
                continue
            points += 0.15
            services = set().union(*(job.services for job in tests))
            for kind in ("postgres", "redis"):
                if kind in services:
                    points += 0.1
                else:
                    findings.append(Finding(rule=f"ci-no-{kind}-service", severity="high", path=path, message=_(
                        "The tests job declares no {kind} service: the tests that need it are skipped.").format(kind=kind)))
            if pyproject_threshold or any(job.runs("coverage") for job in tests):
                points += 0.1
            else:
                findings.append(Finding(rule="ci-no-coverage-threshold", severity="high", path=path, message=_(
                    "No coverage threshold: coverage can drop without the pipeline going red."),
                    help=_("For example: pytest --cov=mediatheque --cov-fail-under=60")))
        if "GitLab" in pipelines:
            text = json.dumps(pipelines["GitLab"][1])
            if '"junit"' in text:
                points += 0.05
            else:
                findings.append(Finding(rule="ci-no-junit-report", severity="low", path=self.options.gitlab, message=_(
                    "GitLab does not keep the tests' JUnit report (artifacts:reports:junit).")))
        return min(1.0, points / 0.95), findings
