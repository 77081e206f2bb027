"""`pytest` check: runs the lab's trusted tests against the submission inside the sandbox.

The run is supervised (graders/runner/run_pytest.py): a test that loops, crashes Python or ends
the process costs that test only. The verdicts come from the run's signed records
(pytest_verdicts), the learner's feedback from pytest_feedback.
"""

from __future__ import annotations

import secrets
import shutil
import sys
import tempfile
from fnmatch import fnmatch
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from graders.checks.base import Check, CheckContext, CheckOutcome
from graders.checks.pytest_canaries import plant
from graders.checks.pytest_discovery import case_counts, expected_tests, untested_python_files
from graders.checks.pytest_feedback import exception_findings, import_findings, incident_findings, timeout_findings
from graders.checks.pytest_verdicts import RunRecords, cases_of, module_error, parse_records, proven_tampering
from graders.checks.redis_monitor import CommandWatch, redis_injection_findings
from graders.checks.service_options import ServiceOptions
from graders.checks.statement_log import StatementWatch, injection_findings
from graders.redaction import hidden_test_lines, redact
from graders.results import Finding, TestCase
from graders.runner.cda_records import read_chain
from graders.sandbox.base import OUTPUT, TRUSTED, WORKSPACE
from graders.services import sandbox_services

RUNNER_DIR = Path(__file__).resolve().parent.parent / "runner"
DEFAULT_PER_TEST_S = 10.0
MIN_PER_TEST_S = 1.0
STARTUP_S = 10.0  # of the run's wall clock, kept for starting Python, pytest and the services
RESTART_S = 2.0  # per test, worst case: the supervisor's grace (run_pytest.HARD_S) and a new pytest process


class Group(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    match: str
    points: float = Field(gt=0)
    criteria: list[str] = Field(default_factory=list)  # référentiel criteria its tests evidence


class PytestOptions(ServiceOptions):
    tests: str
    groups: list[Group] = Field(default_factory=list)
    # None: the largest value up to 10 s at which every test may use its whole limit within the run's.
    per_test_timeout_s: float | None = Field(None, gt=0, le=600)
    # "each": every case of a parametrized test earns its share; "all": the test passes when all its cases do.
    parametrized: Literal["each", "all"] = "each"
    # Watch the SQL the database receives for the tests' marker values (graders/checks/statement_log.py).
    statement_log: bool = False
    # Watch the commands Redis receives for marker values in scripts and patterns (graders/checks/redis_monitor.py).
    redis_monitor: bool = False

    @model_validator(mode="after")
    def relative(self) -> "PytestOptions":
        if Path(self.tests).is_absolute():
            raise ValueError("tests must be a path relative to the lab folder")
        if self.statement_log and "postgres" not in self.services:
            raise ValueError("statement_log needs services = [\"postgres\", ...]")
        if self.redis_monitor and "redis" not in self.services:
            raise ValueError("redis_monitor needs services = [\"redis\", ...]")
        return self


def per_test_timeout(options: PytestOptions, items: int, run_timeout_s: float, strict: bool = True) -> float:
    """The per-test limit such that every test may use all of it, be stopped and the run go on, and
    the run still ends within its own limit: items x (limit + RESTART_S) + STARTUP_S <= timeout_s.
    `strict` (when the lab loads) makes a limit that does not fit an error."""
    room = run_timeout_s - STARTUP_S
    needed = (lambda limit: items * (limit + RESTART_S) + STARTUP_S)
    if options.per_test_timeout_s is not None:
        if strict and needed(options.per_test_timeout_s) > run_timeout_s:
            raise ValueError(
                f"per_test_timeout_s = {options.per_test_timeout_s:g} for {items} tests needs "
                f"{needed(options.per_test_timeout_s):g} s, more than [limits] timeout_s = {run_timeout_s:g}")
        return options.per_test_timeout_s
    fitted = min(DEFAULT_PER_TEST_S, int(10 * (room / max(items, 1) - RESTART_S)) / 10)
    if strict and fitted < MIN_PER_TEST_S:
        raise ValueError(f"{items} tests at {MIN_PER_TEST_S:g} s each do not fit in [limits] timeout_s = "
                         f"{run_timeout_s:g}: raise it to {needed(MIN_PER_TEST_S):g} or more")
    return max(fitted, MIN_PER_TEST_S)


class Plan:
    """What a run of this check is scored against, read from the trusted tests alone."""

    def __init__(self, options: PytestOptions, tests_dir: Path, points: float, run_timeout_s: float,
                 strict: bool = True):
        self.tests = expected_tests(tests_dir)
        if not self.tests:
            stray = untested_python_files(tests_dir)
            hint = f"; {', '.join(stray)} define tests but are not named so" if stray else ""
            raise ValueError(f"{options.tests}: no test to run (pytest collects test_*.py and *_test.py files){hint}")
        counts = case_counts(tests_dir)
        if options.parametrized == "each":
            unknown = [t for t in self.tests if counts[t] is None]
            if unknown:
                raise ValueError(f"cannot count the cases of {unknown[0]} from its source (use literal lists in "
                                 "parametrize, or parametrized = \"all\")")
        self.counts = counts
        self.cases = {t: (counts[t] or 1) if options.parametrized == "each" else 1 for t in self.tests}
        self.timeout_s = per_test_timeout(options, sum(counts[t] or 1 for t in self.tests), run_timeout_s, strict)
        # Each test belongs to the first group that matches it: its points and its criteria come from there.
        group_of = {t: g for t in self.tests if (g := next((g for g in options.groups if fnmatch(t, g.match)), None))}
        self.weights = self._weights(options, group_of, points)
        self.criteria = {t: group_of[t].criteria if t in group_of else [] for t in self.tests}

    def _weights(self, options: PytestOptions, group_of: dict[str, Group], total: float) -> dict[str, float]:
        if not options.groups:
            return {t: total / len(self.tests) for t in self.tests}
        weights: dict[str, float] = {}
        scale = total / sum(g.points for g in options.groups)
        for group in options.groups:
            members = [t for t, g in group_of.items() if g is group]
            if not members:
                raise ValueError(f"group {group.name!r}: no test matches {group.match!r}")
            for test_id in members:
                weights[test_id] = group.points * scale / len(members)
        return weights


class PytestCheck(Check):
    kind = "pytest"
    Options = PytestOptions

    @classmethod
    def declared_criteria(cls, options: PytestOptions) -> list[str]:
        return [c for group in options.groups for c in group.criteria]

    @classmethod
    def validate_lab(cls, options: PytestOptions, lab, spec) -> None:
        Plan(options, lab.resolve(options.tests), spec.points, lab.manifest.limits.timeout_s)

    def run(self, ctx: CheckContext) -> CheckOutcome:
        _ = ctx._
        tests_dir = ctx.lab.resolve(self.options.tests)
        plan = Plan(self.options, tests_dir, ctx.spec.points, ctx.limits.wall_s, strict=False)  # checked on load
        planted_dir = Path(tempfile.mkdtemp(prefix="tests-", dir=ctx.scratch))
        shutil.copytree(tests_dir, planted_dir, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__"))
        canaries = plant(planted_dir)
        key = secrets.token_hex(32).encode()
        template = self.options.template_files(ctx)
        provisions: dict = {}
        per_test, budget = f"{plan.timeout_s:g}", f"{max(5.0, ctx.limits.wall_s - 3):g}"
        warm = ctx.services.get("warm")  # graders/sandbox/warm.py: None, or a run forked from a warm zygote
        warm_run = warm.run_pytest(ctx, planted_dir, key, per_test, budget) if warm is not None else None
        observed = commands = None
        if warm_run is not None:
            run, out = warm_run
        else:
            with sandbox_services(ctx, self.options.services, template_files=template,
                                  provisions=provisions) as (service_env, service_mounts):
                watch = StatementWatch.start(provisions["postgres"]) if self.options.statement_log else None
                monitor = CommandWatch.start(provisions["redis"]) if self.options.redis_monitor else None
                run, out = ctx.run_sandboxed(
                    [sys.executable, "-I", f"{TRUSTED}/runner/run_pytest.py", WORKSPACE, f"{TRUSTED}/tests",
                     f"{OUTPUT}/results.jsonl", per_test, budget],
                    trusted={"runner": RUNNER_DIR, "tests": planted_dir},
                    outputs=["results.jsonl"],
                    input=key + b"\n",
                    env=service_env or None,
                    mounts=service_mounts,
                )
                observed = watch.collect() if watch else None
                commands = monitor.collect() if monitor else None
        records, forged_lines = read_chain(out / "results.jsonl", key)
        records = parse_records(records)
        hidden = not ctx.spec.visible
        hidden_text = hidden_test_lines(tests_dir) if hidden else ()

        def clean(text):
            return redact(text, hidden_text)

        tampered = proven_tampering(records, canaries)
        findings = tampering_findings(tampered, forged_lines, _)
        findings += import_findings(records, clean, _) + timeout_findings(records, plan.timeout_s, _)
        findings += incident_findings(records, clean, _) + run_findings(run, records, _)
        if hidden:
            findings += exception_findings(records, clean, _)
        if observed is not None:
            findings += injection_findings(observed, records, ctx.workspace, clean, _)
        if commands is not None:
            findings += redis_injection_findings(commands, records, ctx.workspace, clean, _)
        cases = score_cases(plan, records, self.options, hidden, _)
        earned = 0.0 if tampered else sum(c.score for c in cases)
        ungrouped = [t for t in plan.tests if t not in plan.weights]
        if ungrouped:
            findings.append(Finding(rule="lab-config", severity="info",
                                    message=_("Tests outside every group carry no points: ") + ", ".join(ungrouped)))
        metrics = {"per_test_timeout_s": plan.timeout_s, "restarts": records.restarts}
        if observed is not None:
            metrics["statement_log"] = {"statements": len(observed.statements), "markers": len(records.markers),
                                        "seconds": round(observed.seconds, 3), "not_evaluated": observed.detail}
        if commands is not None:
            metrics["redis_monitor"] = {"commands": len(commands.commands), "seconds": round(commands.seconds, 3),
                                        "not_evaluated": commands.reason}
        return CheckOutcome(earned / ctx.spec.points, findings=findings, tests=cases, message=summary(cases, _),
                            metrics=metrics)


def score_cases(plan: Plan, records: RunRecords, options: PytestOptions, hidden: bool, _) -> list[TestCase]:
    cases = []
    not_run = _("No result: the run ended before this test finished.")
    for test_id in plan.tests:
        weight, wanted = plan.weights.get(test_id, 0.0), plan.cases[test_id]
        recorded = cases_of(records, test_id)
        broken = module_error(records, test_id)
        if wanted == 1:  # one verdict for the test, all its cases included
            if broken is not None:
                status, message = "error", broken.get("message")
            elif not recorded or len({c.nodeid for c in recorded}) < (plan.counts[test_id] or 1):
                status, message = "failed", not_run
            else:
                worst = next((c for c in recorded if c.status != "passed"), None)
                status, message = (worst.status, case_message(worst, plan, _)) if worst else ("passed", None)
            cases.append(TestCase(name=test_id, status=status, hidden=hidden, score=weight if status == "passed" else 0.0,
                                  max_score=weight, message=None if hidden else message, criteria=plan.criteria[test_id]))
            continue
        for index in range(wanted):
            case = recorded[index] if index < len(recorded) else None
            name = case.nodeid if case is not None and not hidden else f"{test_id}[{index + 1}]"
            status = "error" if broken is not None else (case.status if case else "failed")
            message = broken.get("message") if broken is not None else (case_message(case, plan, _) if case else not_run)
            cases.append(TestCase(name=name, status=status, hidden=hidden, max_score=weight / wanted,
                                  score=weight / wanted if status == "passed" else 0.0, criteria=plan.criteria[test_id],
                                  message=None if hidden or status == "passed" else message))
    return cases


def case_message(case, plan: Plan, _) -> str | None:
    if case.timeout:
        return _("Stopped at the per-test time limit ({limit:g} s).").format(limit=plan.timeout_s)
    return case.message


def tampering_findings(tampered: list[str], forged_lines: int, _) -> list[Finding]:
    findings = []
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
    return findings


def run_findings(run, records: RunRecords, _) -> list[Finding]:
    """Resource limits of the whole run (the supervisor handles each test's own)."""
    limit = run.limit_hit
    if limit is None and records.supervised:
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
