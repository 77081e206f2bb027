"""`mutation` check: how many mutants of the learner's code do the learner's own tests kill?

One sandboxed run (graders/runner/run_mutation.py) mutates a lab-chosen set of the learner's files with
cosmic-ray's operators (by default comparison and boolean operators only), runs the learner's tests on
the unmutated code (they must all pass), then on each mutant (`-x`: killed at the first failure or by its
time limit) and on controls, variants that behave like the learner's code but read differently (a
mirrored comparison, a condition negated twice): tests failing on a control react to the text of the
code, not to its behaviour, and earn nothing. The run's report is signed with a key the learner's
processes cannot read (docs/secure-components-lab.md, *Mutation testing*).

Score: killed / mutants run, against `min_score`: the check earns min(1, score / min_score).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
import sys
from pathlib import Path

from pydantic import Field, field_validator, model_validator

from graders.checks.base import Check, CheckContext, CheckOutcome
from graders.checks.service_options import ServiceOptions
from graders.results import Finding
from graders.sandbox.base import OUTPUT, TRUSTED, WORKSPACE
from graders.services import sandbox_services

RUNNER = Path(__file__).resolve().parent.parent / "runner"
COMPARISONS = ["Eq_NotEq", "NotEq_Eq", "Lt_LtE", "LtE_Lt", "Gt_GtE", "GtE_Gt", "Lt_GtE", "GtE_Lt", "Gt_LtE",
               "LtE_Gt", "Is_IsNot", "IsNot_Is"]
DEFAULT_OPERATORS = [f"core/ReplaceComparisonOperator_{c}" for c in COMPARISONS] + [
    "core/ReplaceAndWithOr", "core/ReplaceOrWithAnd", "core/AddNot", "core/ReplaceTrueWithFalse",
    "core/ReplaceFalseWithTrue"]


class MutationOptions(ServiceOptions):
    tests: str = "tests"  # the learner's test folder
    paths: list[str] = Field(min_length=1)  # the learner's files to mutate
    operators: list[str] = Field(default_factory=lambda: list(DEFAULT_OPERATORS), min_length=1)
    min_score: float = Field(0.7, gt=0, le=1)
    max_mutants: int = Field(30, ge=1, le=200)
    controls: int = Field(2, ge=1, le=5)
    per_test_timeout_s: float = Field(5, gt=0, le=60)
    budget_s: float = Field(60, gt=0)  # the mutants' total time; the controls always run
    preload: list[str] = Field(default_factory=list)  # modules the zygote imports once (never the learner's)

    @field_validator("preload")
    @classmethod
    def module_names(cls, value: list[str]) -> list[str]:
        for name in value:
            if not re.fullmatch(r"[A-Za-z_]\w*(\.[A-Za-z_]\w*)*", name):
                raise ValueError(f"{name!r} is not a module name")
        return value

    @model_validator(mode="after")
    def relative(self) -> "MutationOptions":
        if any(Path(p).is_absolute() or ".." in Path(p).parts for p in (self.tests, *self.paths)):
            raise ValueError("tests and paths must be relative paths without '..'")
        return self


def verified(report_file: Path, key: str) -> dict | None:
    """The runner's report if its signature holds, else None."""
    try:
        signed = json.loads(report_file.read_text(encoding="utf-8"))
        payload, mac = signed["payload"], signed["mac"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    expected = hmac.new(key.encode(), str(payload).encode(), hashlib.sha256).hexdigest()
    return json.loads(payload) if isinstance(mac, str) and hmac.compare_digest(mac, expected) else None


def survivor_finding(run: dict, _) -> Finding:
    return Finding(
        rule="mutant-survived", severity="low", path=run.get("file"), line=run.get("line"),
        message=_("A mutant survived your tests: `{original}` became `{mutated}` and every test still passed.").format(
            original=run.get("original", ""), mutated=run.get("mutated", "")),
        references=[f"cosmic-ray {run.get('operator', '')}"],
        help=_("Write a test whose result depends on this condition: one case on each side of it."))


def score(report: dict, options: MutationOptions, _) -> CheckOutcome:
    """The outcome of a verified report (a pure function: unit-tested without a sandbox)."""
    findings = [Finding(rule="mutation-not-checked", severity="medium", path=u["file"], message=_(
        "File NOT mutated: it does not compile ({reason}).").format(reason=u["reason"])) for u in report["unparsed"]]
    baseline = report["baseline"]
    metrics = {"candidates": report["candidates"], "baseline_s": baseline.get("seconds")}
    if baseline["status"] != 0:
        findings.append(Finding(rule="learner-tests-fail", severity="high", message=_(
            "No test was collected in {folder}/: write tests first.").format(folder=options.tests)
            if baseline["status"] == 5 else _(  # pytest's exit code when it collected nothing
            "Your tests do not all pass on your own code (status {status}): mutation testing needs a green suite.").format(
                status=baseline["status"])))
        return CheckOutcome(0.0, findings=findings, metrics=metrics, message=_("Your tests fail on your code."))
    runs = report["runs"]
    failed_controls = [r for r in runs if r["kind"] == "control" and r.get("status") != 0]
    mutants = [r for r in runs if r["kind"] == "mutant" and r.get("status") != "not-run"]
    killed = [r for r in mutants if r.get("status") != 0]
    metrics.update(mutants=len(mutants), killed=len(killed), controls=sum(r["kind"] == "control" for r in runs),
                   not_run=sum(r.get("status") == "not-run" for r in runs),
                   run_s=round(sum(r.get("seconds") or 0 for r in runs) / max(1, len(mutants)), 2))
    if failed_controls:
        findings.append(Finding(rule="mutation-control-failed", severity="high", path=failed_controls[0].get("file"),
                                message=_(
            "Your tests failed on a version of your code that behaves the same (a comparison written the other way "
            "round, or a condition negated twice): they react to the text of the code or are unstable, so their "
            "mutation score means nothing.")))
        return CheckOutcome(0.0, findings=findings, metrics=metrics, message=_("Your tests fail on a control."))
    if not mutants:
        return CheckOutcome(0.0, findings=findings, metrics=metrics, message=_("No mutant could be made or run."))
    ratio = len(killed) / len(mutants)
    metrics["score"] = round(ratio, 3)
    findings += [survivor_finding(r, _) for r in mutants if r.get("status") == 0]
    if metrics["not_run"]:
        findings.append(Finding(rule="mutation-budget", severity="info", message=_(
            "{count} mutant(s) not run: the time budget was spent (your tests are slow).").format(count=metrics["not_run"])))
    return CheckOutcome(min(1.0, ratio / options.min_score), findings=findings, metrics=metrics, message=_(
        "Mutation score {score:.0%} ({killed}/{total} mutants killed; minimum {minimum:.0%})").format(
            score=ratio, killed=len(killed), total=len(mutants), minimum=options.min_score))


def run_limit(wall_s: float, options: MutationOptions) -> float:
    """Each run's time limit, so that the baseline, the mutants' budget (one run may overshoot it) and the
    controls fit in the sandbox's wall clock, with 20 s for generating the mutants."""
    return max(5.0, (wall_s - options.budget_s - 20) / (2 + options.controls))


class MutationCheck(Check):
    kind = "mutation"
    Options = MutationOptions

    @classmethod
    def validate_lab(cls, options: MutationOptions, lab, spec) -> None:
        from cosmic_ray.plugins import operator_names
        unknown = sorted(set(options.operators) - set(operator_names()))
        if unknown:
            raise ValueError(f"unknown cosmic-ray operators: {', '.join(unknown)}")
        if options.budget_s + 30 > lab.manifest.limits.timeout_s:
            raise ValueError(f"budget_s + 30 s must fit in [limits] timeout_s ({lab.manifest.limits.timeout_s})")

    def run(self, ctx: CheckContext) -> CheckOutcome:
        _ = ctx._
        opts: MutationOptions = self.options
        if not (ctx.workspace / opts.tests).is_dir():
            return CheckOutcome(0.0, message=_("No test folder {folder}/ in the submission.").format(folder=opts.tests))
        targets = [p for p in opts.paths if (ctx.workspace / p).is_file() and not (ctx.workspace / p).is_symlink()]
        findings = [Finding(rule="mutation-not-checked", severity="medium", path=p, message=_(
            "File NOT mutated: it is missing from the submission.")) for p in opts.paths if p not in targets]
        if not targets:
            return CheckOutcome(0.0, findings=findings, message=_("Nothing to mutate."))
        key = secrets.token_hex(32)
        config = ctx.scratch / "mutation-config.json"
        config.write_text(json.dumps({
            "workspace": WORKSPACE, "targets": targets, "tests": opts.tests, "operators": opts.operators,
            "max_mutants": opts.max_mutants, "controls": opts.controls, "per_test_timeout": opts.per_test_timeout_s,
            "budget_s": opts.budget_s, "baseline_timeout": run_limit(ctx.limits.wall_s, opts),
            "preload": opts.preload, "output": f"{OUTPUT}/mutation.json", "scratch": "/tmp"}), encoding="utf-8")
        with sandbox_services(ctx, opts.services, template_files=opts.template_files(ctx)) as (env, mounts):
            run, out = ctx.run_sandboxed(
                [sys.executable, "-I", f"{TRUSTED}/runner/run_mutation.py", f"{TRUSTED}/config.json"],
                trusted={"runner": RUNNER, "config.json": config}, env=env or None, mounts=mounts,
                outputs=["mutation.json"], input=(key + "\n").encode())
        report = verified(out / "mutation.json", key)
        if report is None:
            reason = "timeout" if run.timed_out else (run.stderr.strip().splitlines() or ["?"])[-1][:300]
            return CheckOutcome(0.0, findings=findings + [Finding(
                rule="grading-incident", severity="medium", message=_(
                    "The mutation run gave no valid report ({reason}).").format(reason=reason))],
                message=_("No valid mutation report."))
        outcome = score(report, opts, _)
        outcome.findings[:0] = findings
        return outcome
