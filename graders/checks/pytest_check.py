"""`pytest` check: runs the lab's trusted tests against the submission inside the sandbox."""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import shutil
import sys
from fnmatch import fnmatch
import tempfile
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from graders.checks.base import Check, CheckContext, CheckOutcome
from graders.checks.pytest_canaries import plant
from graders.checks.pytest_discovery import base_id, expected_tests
from graders.results import Finding, TestCase
from graders.sandbox.base import OUTPUT, TRUSTED, WORKSPACE
from graders.services import sandbox_services

RUNNER_DIR = Path(__file__).resolve().parent.parent / "runner"


class Group(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    match: str
    points: float = Field(gt=0)


class PytestOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")
    tests: str
    groups: list[Group] = Field(default_factory=list)
    per_test_timeout_s: float = Field(10, gt=0, le=600)
    # Fresh private stores for the run (graders.services): DATABASE_URL / REDIS_URL reach the tests.
    services: list[Literal["postgres", "redis"]] = Field(default_factory=list)
    database_template: list[str] = Field(default_factory=list)  # lab SQL files cloned into each database

    @model_validator(mode="after")
    def relative(self) -> "PytestOptions":
        if Path(self.tests).is_absolute() or any(Path(p).is_absolute() for p in self.database_template):
            raise ValueError("tests and database_template must be paths relative to the lab folder")
        if self.database_template and "postgres" not in self.services:
            raise ValueError("database_template needs services = [\"postgres\", ...]")
        return self


def verdicts(records: list[dict], expected: list[str]) -> tuple[dict[str, tuple[str, str | None]], bool]:
    """Per expected test: (status, message), from the run's records. Missing -> failed."""
    finished = any(r.get("event") == "finish" for r in records)
    collect_errors = {r["nodeid"]: r.get("message") for r in records if r.get("event") == "collect_error"}
    outcome: dict[str, tuple[str, str | None]] = {}
    for record in records:
        if record.get("event") != "test":
            continue
        key = base_id(record.get("nodeid", ""))
        previous = outcome.get(key)
        if record.get("outcome") == "passed":
            if previous is None:
                outcome[key] = ("passed", None)
        elif record.get("outcome") == "skipped":
            if previous is None or previous[0] == "passed":
                outcome[key] = ("skipped", record.get("message"))
        else:
            status = "error" if record.get("when") != "call" else "failed"
            outcome[key] = (status, record.get("message"))
    result: dict[str, tuple[str, str | None]] = {}
    for test_id in expected:
        if test_id in outcome:
            result[test_id] = outcome[test_id]
            continue
        module = test_id.split("::", 1)[0]
        error = next((m for node, m in collect_errors.items() if node == module or node.endswith(module)), None)
        result[test_id] = ("error", error) if error is not None else ("failed", None)
    return result, finished


def points_per_test(expected: list[str], options: PytestOptions, total: float) -> dict[str, float]:
    if not options.groups:
        return {t: total / len(expected) for t in expected} if expected else {}
    points: dict[str, float] = {}
    scale = total / sum(g.points for g in options.groups)
    for group in options.groups:
        members = [t for t in expected if fnmatch(t, group.match) and t not in points]
        for test_id in members:
            points[test_id] = group.points * scale / len(members)
    return points


class PytestCheck(Check):
    kind = "pytest"
    Options = PytestOptions

    def run(self, ctx: CheckContext) -> CheckOutcome:
        _ = ctx._
        tests_dir = ctx.lab.resolve(self.options.tests)
        expected = expected_tests(tests_dir)
        if not expected:
            return CheckOutcome(0.0, message=_("The lab defines no tests for this check."), error=True)
        planted_dir = Path(tempfile.mkdtemp(prefix="tests-", dir=ctx.scratch))
        shutil.copytree(tests_dir, planted_dir, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__"))
        canaries = plant(planted_dir)
        key = secrets.token_hex(32).encode()
        template = [ctx.lab.resolve(p) for p in self.options.database_template]
        with sandbox_services(ctx, self.options.services, template_files=template) as (service_env, service_mounts):
            run, out = ctx.run_sandboxed(
                [sys.executable, "-I", f"{TRUSTED}/runner/run_pytest.py", WORKSPACE, f"{TRUSTED}/tests",
                 f"{OUTPUT}/results.jsonl", str(self.options.per_test_timeout_s)],
                trusted={"runner": RUNNER_DIR, "tests": planted_dir},
                outputs=["results.jsonl"],
                input=key + b"\n",
                env=service_env or None,
                mounts=service_mounts,
            )
        records, forged_lines = read_records(out / "results.jsonl", key)
        by_test, finished = verdicts(records, expected + sorted(canaries))
        tampered = tampering(by_test, canaries, finished)
        findings = run_findings(run, finished, _)
        if forged_lines:
            findings.append(Finding(
                rule="forged-results", severity="high",
                message=_("{count} result line(s) not written by the grader were ignored.").format(count=forged_lines),
                help=_("Only the grader reports results; writing them yourself has no effect.")))
        if tampered:
            findings.append(Finding(
                rule="test-framework-tampering", severity="critical",
                message=_("The test run was tampered with (test framework or results altered): this check scores zero."),
                help=_("Do not modify pytest, its reports or the grader's files from your code.")))
        for canary in canaries:
            by_test.pop(canary, None)
        weights = points_per_test(expected, self.options, ctx.spec.points)
        ungrouped = [t for t in expected if t not in weights]
        hidden = not ctx.spec.visible
        cases = []
        for test_id in expected:
            status, message = by_test[test_id]
            if status == "failed" and message is None and not finished:
                message = _("No result: the run ended before this test finished.")
            weight = weights.get(test_id, 0.0)
            cases.append(TestCase(
                name=test_id, status=status, hidden=hidden,
                score=weight if status == "passed" else 0.0, max_score=weight,
                message=None if hidden else message,
            ))
        earned = 0.0 if tampered else sum(c.score for c in cases)
        if ungrouped:
            findings.append(Finding(rule="lab-config", severity="info",
                                    message=_("Tests outside every group carry no points: ") + ", ".join(ungrouped)))
        return CheckOutcome(earned / ctx.spec.points, findings=findings, tests=cases,
                            message=summary(cases, _))


def read_records(path: Path, key: bytes) -> tuple[list[dict], int]:
    """The signed records of a run, in order; lines with a bad signature or sequence are counted, not used."""
    records: list[dict] = []
    forged = 0
    if not path.is_file():
        return records, forged
    with open(path, encoding="utf-8", errors="replace") as handle:
        for line in handle:
            try:
                envelope = json.loads(line)
                payload, mac = envelope["record"], envelope["mac"]
                expected = hmac.new(key, payload.encode("utf-8"), hashlib.sha256).hexdigest()
                record = json.loads(payload) if hmac.compare_digest(expected, str(mac)) else None
            except (json.JSONDecodeError, KeyError, TypeError, AttributeError):
                record = None
            if not isinstance(record, dict) or record.get("seq") != len(records):
                forged += 1
                continue
            records.append(record)
    return records, forged


def tampering(by_test: dict[str, tuple[str, str | None]], canaries: set[str], finished: bool) -> bool:
    """A canary that passed, or a finished run that did not run one, proves the verdicts were altered."""
    for canary in canaries:
        status, message = by_test.get(canary, ("failed", None))
        if status == "passed":
            return True
        if finished and (status == "skipped" or (status == "failed" and message is None)):
            return True
    return False


def run_findings(run, finished: bool, _) -> list[Finding]:
    limit = run.limit_hit
    if limit is None and finished:
        return []
    messages = {
        "timeout": _("The test run was stopped by its time limit."),
        "cpu": _("The test run was stopped by its CPU time limit."),
        "memory": _("The test run ran out of its memory limit."),
        "file_size": _("The test run wrote more than its file size limit."),
        "killed": _("The test run was killed (a resource limit was reached)."),
    }
    message = messages.get(limit, _("The test run ended before pytest finished; tests without a result count as failed."))
    return [Finding(rule=f"limit-{limit}" if limit else "run-incomplete", severity="high", message=message,
                    help=_("Look for infinite loops, unbounded recursion, huge allocations or calls to exit()."))]


def summary(cases: list[TestCase], _) -> str:
    passed = sum(c.status == "passed" for c in cases)
    return _("{passed}/{total} tests passed").format(passed=passed, total=len(cases))
