"""The security scan: files → tools (one batch) → hits → deduplicated findings per family.

Used by `cda scan` (tools run on the host, on the project where it is) and by the `security` check
kind (tools run in the check's sandbox, on its copy of the submission).
"""

from __future__ import annotations

import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from graders.errors import BadInput, GraderUnavailable
from graders.security import bandit_scan, containers, deps, frameworks, secrets, semgrep
from graders.security.catalog import CONFIDENCE_RANK, FAMILIES, RULES, SEVERITY_RANK
from graders.security.dedupe import dedupe
from graders.security.files import Targets, discover
from graders.security.interpreters import analyser
from graders.security.model import Hit
from graders.security.rules import write_config
from graders.security.runner import LocalRunner, Runner, prepare_trusted

DEFAULT_PENALTIES = {"info": 0.0, "low": 1.0, "medium": 3.0, "high": 5.0, "critical": 8.0}
DEFAULT_CONFIDENCE_WEIGHTS = {"low": 0.3, "medium": 0.6, "high": 1.0}
CODE_FAMILIES = {"injection", "crypto", "secrets"}


@dataclass
class ScanOptions:
    families: tuple[str, ...] = FAMILIES
    paths: list[str] | None = None
    exclude: list[str] = field(default_factory=list)
    include_tests: bool = False
    git_history: bool = True
    min_confidence: str = "medium"
    offline_dependencies: bool = False
    timeout_s: float = 300


@dataclass
class FamilyOutcome:
    family: str
    hits: list[Hit] = field(default_factory=list)
    status: str = "scanned"          # scanned | skipped | error
    message: str | None = None
    metrics: dict = field(default_factory=dict)


@dataclass
class ScanReport:
    families: dict[str, FamilyOutcome]
    targets: Targets
    duration_s: float
    tools: dict[str, float] = field(default_factory=dict)

    def hits(self):
        for outcome in self.families.values():
            yield from outcome.hits

    def errors(self) -> list[str]:
        return [f"{o.family}: {o.message}" for o in self.families.values() if o.status == "error"]


def check_tools(families: tuple[str, ...]) -> None:
    """Raise GraderUnavailable (exit 3) when a tool a requested family needs is missing."""
    needs = []
    if set(families) & CODE_FAMILIES:
        needs.append(semgrep.available())
    if {"injection", "crypto"} & set(families):
        needs.append(bandit_scan.available())
    if "secrets" in families:
        needs.append(secrets.available())
    missing = [reason for reason in needs if reason]
    if missing:
        raise GraderUnavailable("; ".join(missing))


def rule_ids_for(families: tuple[str, ...]) -> set[str]:
    from graders.security.semgrep import ALIASES

    ids = {rule_id for rule_id, info in RULES.items() if info.family in families}
    return ids | {alias for alias, target in ALIASES.items() if target in ids}


def run_scan(root: Path, options: ScanOptions, _: Callable[[str], str], *, runner: Runner | None = None,
             work: Path | None = None) -> ScanReport:
    """Scan `root`. With no runner, tools run on the host (LocalRunner) in a private work folder."""
    started = time.monotonic()
    families = tuple(f for f in FAMILIES if f in options.families)
    check_tools(families)
    own_work = work is None
    work = work or Path(tempfile.mkdtemp(prefix="cda-scan-"))
    try:
        trusted = prepare_trusted(work / "cda")
        write_config(trusted / semgrep.CONFIG_NAME, only=rule_ids_for(families))
        runner = runner or LocalRunner(root, trusted, work)
        return _scan(root, options, families, _, runner, trusted, work, started)
    finally:
        if own_work:
            shutil.rmtree(work, ignore_errors=True)


def _scan(root, options, families, _, runner, trusted, work, started) -> ScanReport:
    targets = discover(root, paths=options.paths, exclude=options.exclude, include_tests=options.include_tests)
    if not targets.python and not options.include_tests:
        # Only test code here (or a benchmark laid out as tests): analyse it rather than nothing.
        with_tests = discover(root, paths=options.paths, exclude=options.exclude, include_tests=True)
        if with_tests.python:
            targets = with_tests
    outcomes = {family: FamilyOutcome(family) for family in families}
    code_families = set(families) & CODE_FAMILIES
    calls = []
    python = analyser()
    semgrep_files = targets.python + (targets.templates if "crypto" in families else [])
    unparsed: dict[str, str] = {}
    if code_families and semgrep_files:
        semgrep_files, unparsed = semgrep.prepare_targets(root, semgrep_files, trusted, python)
        calls += semgrep.calls(semgrep_files, timeout=options.timeout_s)
    if {"injection", "crypto"} & set(families) and targets.python:
        calls += bandit_scan.calls(targets.python, timeout=options.timeout_s, python=python)
    if "secrets" in families and targets.text:
        calls += secrets.calls(targets.text, trusted, options.git_history and isinstance(runner, LocalRunner),
                               timeout=options.timeout_s)
    if "containers" in families and targets.dockerfiles:
        calls += containers.hadolint_calls(targets.dockerfiles)
    tools: dict[str, float] = {}
    t0 = time.monotonic()
    runs, out = runner.run(calls) if calls else ({}, work)
    tools["batch"] = round(time.monotonic() - t0, 3)
    for name, run in runs.items():
        tools[name] = run.duration_s
    hits: list[Hit] = []
    errors: dict[str, list[str]] = {family: [] for family in families}

    if code_families and semgrep_files:
        semgrep_count = len([c for c in calls if c.name.startswith("semgrep")])
        results, errs, missing = semgrep.read_reports(out, semgrep_count)
        problem = semgrep.failed(runs, missing)
        if problem:  # the OCaml CLI failed: retry once with the Python one
            retry = semgrep.calls(semgrep_files, legacy=True, timeout=options.timeout_s)
            t0 = time.monotonic()
            runs2, retry_out = runner.run(retry)
            tools["semgrep-legacy"] = round(time.monotonic() - t0, 3)
            results, errs, missing = semgrep.read_reports(retry_out, len(retry))
            problem = semgrep.failed(runs2, missing)
        if problem:
            for family in code_families:
                errors[family].append(f"semgrep: {problem}")
        else:
            hits += semgrep.to_hits(results, errs, _)
    if {"injection", "crypto"} & set(families) and targets.python:
        problem = bandit_scan.failed(runs)
        family = "crypto" if "crypto" in families else "injection"
        bandit_hits, missing_report = bandit_scan.to_hits(out, _, python, family, unparsed) if not problem \
            else ([], None)
        problem = problem or missing_report
        if problem:
            for family in {"injection", "crypto"} & set(families):
                errors[family].append(f"bandit: {problem}")
        hits += bandit_hits
    if "crypto" in families:
        hits += frameworks.scan(root, targets.python, _)
    if "secrets" in families and targets.text:
        problem = secrets.failed(runs)
        secret_hits, missing_report, secret_metrics = secrets.to_hits(out, _) if not problem else ([], None, {})
        problem = problem or missing_report
        if problem:
            errors["secrets"].append(f"detect-secrets: {problem}")
        hits += secret_hits
        outcomes["secrets"].metrics.update(secret_metrics)
    if "containers" in families:
        compose = containers.compose_files(targets.text)
        hits += containers.own_hits(root, targets.dockerfiles, compose, _)
        if targets.dockerfiles:
            if any(c.name.startswith("hadolint") for c in calls):
                hadolint_hits, problems = containers.hadolint_hits(out, targets.dockerfiles, _)
                hits += hadolint_hits
                if problems:
                    outcomes["containers"].metrics["hadolint_failed"] = problems
            else:
                outcomes["containers"].metrics["hadolint"] = "not installed"
        if not targets.dockerfiles and not compose:
            outcomes["containers"].status = "skipped"
            outcomes["containers"].message = _("No Dockerfile or compose file found.")
        outcomes["containers"].metrics["dockerfiles"] = len(targets.dockerfiles)
    if "dependencies" in families:
        t0 = time.monotonic()
        dep_work = Path(tempfile.mkdtemp(prefix="deps-", dir=work))
        dep_hits, status, dep_metrics = deps.scan(root, targets.requirements, targets.pyprojects, dep_work, _,
                                                  offline=options.offline_dependencies)
        tools["pip-audit"] = round(time.monotonic() - t0, 3)
        hits += dep_hits
        outcome = outcomes["dependencies"]
        outcome.metrics.update(dep_metrics)
        outcome.message = status
        if not dep_metrics.get("dependencies") or not dep_metrics.get("checked"):
            outcome.status = "skipped"

    threshold = CONFIDENCE_RANK.get(options.min_confidence, 1)
    hits = [h for h in hits if h.family in outcomes and CONFIDENCE_RANK.get(h.effective_confidence(), 1) >= threshold]
    for hit in dedupe(hits, root):
        outcomes[hit.family].hits.append(hit)
    for family, outcome in outcomes.items():
        if errors.get(family):
            outcome.status = "error"
            outcome.message = "; ".join(errors[family])
        elif family in CODE_FAMILIES and not targets.python and family != "secrets":
            outcome.status = "skipped"
            outcome.message = _("No Python file to analyse.")
        elif family == "secrets" and not targets.text:
            outcome.status = "skipped"
            outcome.message = _("No file to analyse.")
        outcome.metrics["files"] = {"injection": len(targets.python), "crypto": len(targets.python),
                                    "secrets": len(targets.text), "containers": len(targets.dockerfiles),
                                    "dependencies": len(targets.requirements) + len(targets.pyprojects)}[family]
    return ScanReport(outcomes, targets, round(time.monotonic() - started, 3), tools)


# ---------------------------------------------------------------------- scoring
def points_lost(hits: list[Hit], penalties: dict[str, float], weights: dict[str, float],
                cap_per_rule: float | None = None) -> float:
    by_rule: dict[str, float] = {}
    for hit in hits:
        if hit.extra.get("superseded"):
            continue  # the same flaw, already counted at the line that executes it
        lost = penalties.get(hit.effective_severity(), 0.0) * weights.get(hit.effective_confidence(), 1.0)
        key = hit.finding_rule or hit.rule
        by_rule[key] = by_rule.get(key, 0.0) + lost
    if cap_per_rule is not None:
        return sum(min(cap_per_rule, value) for value in by_rule.values())
    return sum(by_rule.values())


def severity_counts(hits: list[Hit]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for hit in hits:
        counts[hit.effective_severity()] = counts.get(hit.effective_severity(), 0) + 1
    return dict(sorted(counts.items(), key=lambda kv: -SEVERITY_RANK[kv[0]]))


def check_root(path: Path) -> Path:
    if not path.exists():
        raise BadInput(f"{path}: no such file or folder")
    if not path.is_dir():
        raise BadInput(f"{path}: not a folder (cda scan takes a project folder)")
    return path.resolve()
