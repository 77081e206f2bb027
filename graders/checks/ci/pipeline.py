"""What a CI file declares, read as data (YAML, never run): its jobs, the commands they run, their
services, and whether a job's failure can turn the pipeline red. GitLab CI and GitHub Actions."""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field

import yaml

# The tool classes a quality pipeline runs, recognised in a job's commands (or a GitHub step's `uses`).
TOOLS = {
    "lint": re.compile(r"\b(ruff|flake8|pylint|pycodestyle|black\s+--check)\b"),
    "tests": re.compile(r"\bpytest\b"),
    "coverage": re.compile(r"--cov-fail-under[= ]?\d+|\bcoverage\s+report\b[^\n]*--fail-under[= ]?\d+"),
    "sast": re.compile(r"\b(bandit|semgrep)\b|\bcda\s+scan\b"),
    "deps": re.compile(r"\b(pip-audit|safety)\b|\bcda\s+scan\b"),
    "secrets": re.compile(r"\b(detect-secrets(-hook)?|gitleaks|trufflehog)\b|\bcda\s+scan\b"),
    "image": re.compile(r"\b(docker|podman)\s+(buildx\s+)?build\b|kaniko|\bbuildah\b|docker/build-push-action"),
}
GUARDED = ("lint", "tests", "sast", "deps", "secrets")  # a job running these must be able to fail
# A command whose failure is swallowed: `|| true`, `|| :`, `|| exit 0`, `; true`, `--exit-zero`, `set +e`.
SWALLOWED = re.compile(r"\|\|\s*(true|:|exit\s+0|echo\b)|;\s*(true|exit\s+0)\s*$|--exit-zero|^\s*set\s+\+e\b",
                       re.MULTILINE)
SERVICES = {"postgres": re.compile(r"(^|/)(postgres|postgis)[^/]*$"), "redis": re.compile(r"(^|/)redis[^/]*$")}
GITLAB_RESERVED = {"stages", "variables", "default", "include", "workflow", "image", "services", "cache",
                   "before_script", "after_script", "types"}


class PipelineError(ValueError):
    """The file is not a pipeline this grader can read (bad YAML, not a mapping)."""


@dataclass
class Job:
    name: str
    commands: list[str]
    services: set[str] = field(default_factory=set)   # "postgres", "redis" among the declared ones
    can_fail: bool = True                              # False: allow_failure / continue-on-error
    manual: bool = False

    def runs(self, tool: str) -> bool:
        return any(TOOLS[tool].search(command) for command in self.commands)

    def swallowed(self) -> list[str]:
        """The commands of this job whose failure would not fail it."""
        return [c for c in self.commands if SWALLOWED.search(c)]


def load_yaml(text: str) -> dict:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark else ""
        raise PipelineError(f"invalid YAML{where}: {getattr(exc, 'problem', None) or exc}") from None
    if not isinstance(data, dict):
        raise PipelineError("the file is not a YAML mapping")
    return data


def _lines(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [line for item in value for line in _lines(item)]
    return [str(value)]


def _service_kinds(entries) -> set[str]:
    kinds = set()
    for entry in entries or []:
        name = entry.get("name", "") if isinstance(entry, dict) else str(entry)
        image = name.split("@", 1)[0].rsplit(":", 1)[0] if ":" in name.rsplit("/", 1)[-1] else name
        kinds |= {kind for kind, pattern in SERVICES.items() if pattern.search(image)}
    return kinds


def gitlab_jobs(data: dict) -> list[Job]:
    default = data.get("default") if isinstance(data.get("default"), dict) else {}
    jobs = []
    for name, body in data.items():
        if name in GITLAB_RESERVED or name.startswith(".") or not isinstance(body, dict) or "script" not in body:
            continue
        before = body["before_script"] if "before_script" in body else default.get("before_script",
                                                                                  data.get("before_script"))
        services = body["services"] if "services" in body else default.get("services", data.get("services"))
        allow = body.get("allow_failure", False)
        rules_manual = any(isinstance(r, dict) and r.get("when") == "manual" for r in body.get("rules") or [])
        jobs.append(Job(name=name, commands=_lines(before) + _lines(body.get("script")),
                        services=_service_kinds(services), can_fail=allow is False or isinstance(allow, dict),
                        manual=body.get("when") == "manual" or rules_manual))
    return jobs


def github_jobs(data: dict) -> list[Job]:
    jobs = []
    for name, body in (data.get("jobs") or {}).items():
        if not isinstance(body, dict):
            continue
        commands, can_fail = [], body.get("continue-on-error") is not True
        for step in body.get("steps") or []:
            if not isinstance(step, dict):
                continue
            text = step.get("run") or step.get("uses") or ""
            if step.get("continue-on-error") is True and text:
                text += " || true"  # the step's failure is swallowed like `|| true`
            commands += _lines(text)
        images = [s.get("image", key) if isinstance(s, dict) else key
                  for key, s in (body.get("services") or {}).items()]
        jobs.append(Job(name=name, commands=commands, services=_service_kinds(images), can_fail=can_fail))
    return jobs


def cannot_fail(jobs: list[Job]) -> list[str]:
    """Why the pipeline cannot go red on a guarded tool (empty when it can): one line per reason."""
    reasons = []
    for job in jobs:
        guarded = [tool for tool in GUARDED if job.runs(tool)]
        if not guarded:
            continue
        if not job.can_fail:
            reasons.append(f"{job.name}: allow_failure / continue-on-error ({', '.join(guarded)})")
        for command in job.swallowed():
            if any(TOOLS[tool].search(command) for tool in GUARDED) or re.match(r"\s*set\s+\+e", command):
                reasons.append(f"{job.name}: {command.strip()[:120]}")
        if job.manual and "tests" in guarded:
            reasons.append(f"{job.name}: when: manual (the tests never run by themselves)")
    if jobs and not any(job.runs("tests") for job in jobs):
        reasons.append("no job runs the tests")
    return reasons


def local_pipeline(data: dict, service_env: dict[str, dict[str, str]]) -> tuple[dict, list[str]]:
    """The pipeline gitlab-ci-local runs here: services removed (the grader's throwaway servers stand in:
    `service_env[kind]` becomes the variables of each job that declared it) and image builds left out
    (no engine, no registry: they are checked statically). Returns it and the jobs left out."""
    local = copy.deepcopy(data)
    default = local.get("default") if isinstance(local.get("default"), dict) else None
    left_out = []
    for job in gitlab_jobs(data):
        body = local[job.name]
        if job.runs("image"):
            del local[job.name]
            left_out.append(job.name)
            continue
        body.pop("services", None)
        variables = body.setdefault("variables", {}) if isinstance(body.get("variables", {}), dict) else None
        if variables is None:
            body["variables"] = variables = {}
        for kind in sorted(job.services):
            variables.update(service_env.get(kind, {}))
    for holder in (local, default or {}):
        holder.pop("services", None)
    return local, left_out
