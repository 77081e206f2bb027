"""`security` check: taint analysis, secrets, crypto/auth and containers, points lost by severity and confidence.

The scanners (semgrep with our rules, bandit, detect-secrets, hadolint) run in the sandbox on the
check's copy of the submission, in one sandboxed run; they only read the code. The dependency
family, when enabled, asks pip-audit about the pinned requirements from the host (the sandbox has
no network) and never installs nor runs anything from the submission.

    [[checks]]
    kind = "security"
    points = 10
    [checks.options]
    paths = ["mediatheque"]
    families = ["injection", "secrets", "crypto"]
    min_confidence = "medium"
    penalties = { low = 1, medium = 3, high = 5, critical = 8 }
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from graders.checks.base import Check, CheckContext, CheckOutcome
from graders.security.scan import (DEFAULT_CONFIDENCE_WEIGHTS, DEFAULT_PENALTIES, ScanOptions, points_lost, run_scan,
                                   severity_counts)

Family = Literal["injection", "secrets", "crypto", "dependencies", "containers"]


class Penalties(BaseModel):
    model_config = ConfigDict(extra="forbid")
    info: float = Field(DEFAULT_PENALTIES["info"], ge=0)
    low: float = Field(DEFAULT_PENALTIES["low"], ge=0)
    medium: float = Field(DEFAULT_PENALTIES["medium"], ge=0)
    high: float = Field(DEFAULT_PENALTIES["high"], ge=0)
    critical: float = Field(DEFAULT_PENALTIES["critical"], ge=0)


class ConfidenceWeights(BaseModel):
    model_config = ConfigDict(extra="forbid")
    low: float = Field(DEFAULT_CONFIDENCE_WEIGHTS["low"], ge=0, le=1)
    medium: float = Field(DEFAULT_CONFIDENCE_WEIGHTS["medium"], ge=0, le=1)
    high: float = Field(DEFAULT_CONFIDENCE_WEIGHTS["high"], ge=0, le=1)


class SecurityOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")
    paths: list[str] = Field(default_factory=lambda: ["."], min_length=1)
    exclude: list[str] = Field(default_factory=list)
    include_tests: bool = False
    families: list[Family] = Field(default_factory=lambda: ["injection", "secrets", "crypto", "containers"],
                                   min_length=1)
    penalties: Penalties = Field(default_factory=Penalties)
    confidence_weights: ConfidenceWeights = Field(default_factory=ConfidenceWeights)
    min_confidence: str = Field("medium", pattern="^(low|medium|high)$")
    # Points lost by one rule at most (None: no cap), so that one repeated mistake does not take everything.
    max_penalty_per_rule: float | None = Field(None, ge=0)


class SecurityCheck(Check):
    kind = "security"
    Options = SecurityOptions

    def run(self, ctx: CheckContext) -> CheckOutcome:
        from graders.security.runner import SandboxRunner, prepare_trusted
        from graders.security.semgrep import CONFIG_NAME
        from graders.security.rules import write_config
        from graders.security import counts_text
        from graders.security.scan import rule_ids_for

        _ = ctx._
        opts = self.options
        present = [p for p in opts.paths if (ctx.workspace / p).exists()]
        if not present:
            return CheckOutcome(0.0, message=_("Nothing to analyse: none of {paths} exists in the submission.").format(
                paths=", ".join(opts.paths)))
        work = Path(tempfile.mkdtemp(prefix="security-", dir=ctx.scratch))
        families = tuple(opts.families)
        trusted = prepare_trusted(work / "cda")
        write_config(trusted / CONFIG_NAME, only=rule_ids_for(families))
        runner = SandboxRunner(ctx, trusted)
        options = ScanOptions(families=families, paths=present, exclude=opts.exclude, include_tests=opts.include_tests,
                              git_history=False, min_confidence=opts.min_confidence,
                              timeout_s=max(10.0, float(ctx.limits.wall_s) - 5))
        report = run_scan(ctx.workspace, options, _, runner=runner, work=work)
        hits = [hit for hit in report.hits()]
        findings = [hit.to_finding(_) for hit in hits]
        errors = report.errors()
        lost = points_lost(hits, opts.penalties.model_dump(), opts.confidence_weights.model_dump(),
                           opts.max_penalty_per_rule)
        fraction = max(0.0, 1.0 - lost / ctx.spec.points) if ctx.spec.points else 1.0
        counts = severity_counts(hits)
        summary = counts_text(counts, _) if counts else _("No finding.")
        if errors:
            return CheckOutcome(fraction, findings=findings, error=True,
                                message=_("Security scan incomplete: {errors}").format(errors="; ".join(errors)[:500]),
                                metrics={"security": {"lost": round(lost, 2), "counts": counts}})
        notes = [o.message for o in report.families.values() if o.status == "skipped" and o.message
                 and o.family == "dependencies"]
        message = summary + (" — " + " ".join(notes) if notes else "")
        return CheckOutcome(fraction, findings=findings, message=message,
                            metrics={"security": {"lost": round(lost, 2), "counts": counts,
                                                  "duration_s": report.duration_s}})


__all__ = ["SecurityCheck", "SecurityOptions"]
