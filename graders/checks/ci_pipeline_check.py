"""`gitlab-pipeline` check: the learner's .gitlab-ci.yml run for real (gitlab-ci-local, shell executor,
in the sandbox). `mode = "green"`: green on the submission, and able to go red at all (a guarded job
with `|| true` or `allow_failure: true` is the blocking flaw `ci-cannot-fail`). `mode = "regressions"`:
each seeded regression (the lab's TOML) applied to a fresh copy must turn it red."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from graders.checks.base import Check, CheckContext, CheckOutcome
from graders.checks.ci.gitlab_local import PipelineRun, run_pipeline
from graders.checks.ci.pipeline import TOOLS, PipelineError, cannot_fail, gitlab_jobs, load_yaml
from graders.results import Finding


class PipelineOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")
    mode: Literal["green", "regressions"] = "green"
    file: str = ".gitlab-ci.yml"
    advisories: str = Field(..., description="the lab's frozen OSV snapshot, relative to the lab")
    regressions: str | None = None          # TOML of seeded regressions, relative to the lab
    select: list[str] = Field(default_factory=list)  # their ids (default: all)


def load_regressions(lab_root: Path, options: PipelineOptions) -> list[dict]:
    data = tomllib.loads((lab_root / options.regressions).read_text(encoding="utf-8"))
    found = data.get("regressions", [])
    if options.select:
        found = [r for r in found if r["id"] in options.select]
    return found


def cannot_fail_finding(reasons: list[str], _) -> Finding:
    return Finding(
        rule="ci-cannot-fail", severity="high", confidence="high", path=".gitlab-ci.yml",
        message=_("The pipeline cannot go red: {reasons}").format(reasons="; ".join(reasons)),
        help=_("A quality gate that never fails guards nothing: remove `|| true`, `--exit-zero`, `set +e`, "
               "`allow_failure: true` and `when: manual` from the jobs that lint, test and scan."))


class PipelineCheck(Check):
    kind = "gitlab-pipeline"
    Options = PipelineOptions

    @classmethod
    def validate_lab(cls, options, lab, spec) -> None:
        if not (lab.path / options.advisories).is_file():
            raise ValueError(f"advisories: {options.advisories} not found")
        if options.mode == "regressions":
            if not options.regressions or not (lab.path / options.regressions).is_file():
                raise ValueError("mode = \"regressions\" needs `regressions`, a TOML file of the lab")
            defined = load_regressions(lab.path, options.model_copy(update={"select": []}))
            bad = [r.get("id", "?") for r in defined if r.get("expect") not in TOOLS or not r.get("edits")]
            if bad:
                raise ValueError(f"regressions: {', '.join(bad)} need `expect` (one of {', '.join(TOOLS)}) and edits")
            ids = {r["id"] for r in defined}
            unknown = sorted(set(options.select) - ids)
            if unknown or not ids:
                raise ValueError(f"select: unknown regression(s) {', '.join(unknown) or '(none defined)'}")

    def _green(self, ctx: CheckContext, data: dict) -> PipelineRun:
        advisories = ctx.lab.path / self.options.advisories
        return ctx.once(("gitlab-pipeline-green", self.options.file),
                        lambda: run_pipeline(ctx, data, advisories=advisories))

    def run(self, ctx: CheckContext) -> CheckOutcome:
        _ = ctx._
        path = ctx.workspace / self.options.file
        if not path.is_file():
            return CheckOutcome(0.0, message=_("{file} is missing.").format(file=self.options.file))
        try:
            data = load_yaml(path.read_text(encoding="utf-8", errors="replace"))
        except PipelineError as exc:
            return CheckOutcome(0.0, findings=[Finding(rule="ci-invalid-yaml", severity="high", path=self.options.file,
                                                       message=str(exc))], message=str(exc))
        green = self._green(ctx, data)
        if self.options.mode == "green":
            return self._grade_green(ctx, data, green)
        return self._grade_regressions(ctx, data, green)

    def _grade_green(self, ctx, data: dict, green: PipelineRun) -> CheckOutcome:
        _ = ctx._
        findings = []
        reasons = cannot_fail(gitlab_jobs(data))
        if reasons:
            findings.append(cannot_fail_finding(reasons, _))
        for job in green.left_out:
            findings.append(Finding(rule="ci-job-not-run", severity="info", path=self.options.file, message=_(
                "Job {job} builds an image: checked statically, not run here (no container engine or registry "
                "in the grader's sandbox).").format(job=job)))
        if not green.green:
            failed = ", ".join(sorted(green.failed())) or green.reason or _("no job ran")
            findings.append(Finding(rule="ci-pipeline-red", severity="high", path=self.options.file, message=_(
                "The pipeline is red on your submission (failed: {failed}).").format(failed=failed),
                help=_("Run it yourself: gitlab-ci-local --force-shell-executor (see the statement). "
                       "End of its log:") + "\n" + "\n".join(green.log.strip().splitlines()[-15:])))
        metrics = {"jobs": green.jobs}
        fraction = 1.0 if green.green and not reasons else 0.0
        status = _("green") if green.green else _("red")
        return CheckOutcome(fraction, findings=findings, metrics=metrics,
                            message=_("Pipeline {status}: {count} job(s) run").format(status=status, count=len(green.jobs)))

    def _grade_regressions(self, ctx, data: dict, green: PipelineRun) -> CheckOutcome:
        _ = ctx._
        if not green.green:
            return CheckOutcome(0.0, message=_("The pipeline must be green on your submission before it can "
                                               "be seen to catch a regression."))
        jobs = {job.name: job for job in gitlab_jobs(data)}
        advisories = ctx.lab.path / self.options.advisories
        findings, caught = [], 0
        regressions = load_regressions(ctx.lab.path, self.options)
        for regression in regressions:
            expect = regression["expect"]
            # Only the jobs that run the tool meant to catch it: the regression must turn one of them red.
            stage = [name for name, job in jobs.items() if job.runs(expect) and name not in green.left_out]
            if not stage:
                findings.append(Finding(rule="ci-regression-missed", severity="high", message=_(
                    "Seeded regression \"{title}\": no job runs {tool}.").format(title=regression["title"], tool=expect)))
                continue
            run = run_pipeline(ctx, data, advisories=advisories, regression=regression, jobs=stage)
            if not run.applied:
                findings.append(Finding(rule="ci-regression-not-applied", severity="medium", message=_(
                    "Seeded regression \"{title}\" could not be applied: {reason}. Keep the application as given."
                ).format(title=regression["title"], reason=run.reason)))
            elif run.failed() & set(stage):
                caught += 1
            else:
                findings.append(Finding(rule="ci-regression-missed", severity="high", message=_(
                    "Seeded regression \"{title}\": the jobs that run {tool} stayed green ({jobs}).").format(
                        title=regression["title"], tool=expect, jobs=", ".join(stage))))
        return CheckOutcome(caught / len(regressions), findings=findings,
                            message=_("{caught}/{total} seeded regressions caught").format(caught=caught,
                                                                                           total=len(regressions)))
