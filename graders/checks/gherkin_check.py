"""`gherkin-acceptance` check (C5): the learner's Gherkin scenarios must hold on the reference app.

The feature files are parsed in the grader with the official parser (what is expected: each
scenario, each row of an outline); then pytest-bdd runs them in the sandbox, bound to the lab's own
step definitions (the vocabulary the statement gives), against the reference application on a
throwaway PostgreSQL and Redis (graders.services). Only the grader's steps and the reference app
run; the learner's text chooses among them. Results come from the lab's hooks (one JSON line per
scenario run, written to /out), matched to the expected scenarios by file and line.

Score: the share of scenario runs that hold, times the share of the cahier's requirements that a
holding scenario verifies (a story's scenario verifies the requirements the story is tagged with):
one true scenario does not accept a whole cahier des charges.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, model_validator

from graders.checks.base import Check, CheckContext, CheckOutcome
from graders.checks.traceability_check import syntax_findings
from graders.design.cahier import read as read_specification
from graders.design.stories import Scenario, read_stories
from graders.results import Finding, TestCase
from graders.sandbox.base import OUTPUT, TRUSTED, WORKSPACE
from graders.services import sandbox_services

MAX_FINDINGS = 30


class GherkinOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")
    stories: str = "user-stories"
    specification: str = Field("grader/cahier-des-charges.toml", description="the cahier des charges, lab-relative")
    steps: str = Field("grader/acceptance", description="lab folder: conftest.py, the steps, test_acceptance.py, pytest.ini")
    app: str = Field("grader/app", description="lab folder holding the reference application package")
    sql: str = Field("grader/sql", description="lab folder with schema.sql (the template) and demo.sql")
    per_scenario_timeout_s: float = Field(30, gt=0, le=120)

    @model_validator(mode="after")
    def relative(self) -> "GherkinOptions":
        if any(Path(p).is_absolute() for p in (self.stories, self.specification, self.steps, self.app, self.sql)):
            raise ValueError("stories, specification, steps, app and sql must be relative paths")
        return self


def runnable(scenario: Scenario) -> bool:
    """A scenario checks something only with an action (Quand) and an outcome (Alors)."""
    return "Action" in scenario.keywords and "Outcome" in scenario.keywords


def read_results(path: Path) -> dict[tuple[str, int], list[dict]]:
    results: dict[tuple[str, int], list[dict]] = {}
    if not path.is_file():
        return results
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            entry = json.loads(line)
            results.setdefault((str(entry["feature"]), int(entry["line"])), []).append(entry)
        except (ValueError, KeyError, TypeError):
            continue
    return results


class GherkinAcceptanceCheck(Check):
    kind = "gherkin-acceptance"
    Options = GherkinOptions

    @classmethod
    def validate_lab(cls, options: GherkinOptions, lab, spec) -> None:
        read_specification(lab.resolve(options.specification))
        for folder, needed in ((options.steps, "test_acceptance.py"), (options.sql, "schema.sql"),
                               (options.sql, "demo.sql")):
            if not (lab.resolve(folder) / needed).is_file():
                raise ValueError(f"{folder}/{needed} is missing")

    def run(self, ctx: CheckContext) -> CheckOutcome:
        _ = ctx._
        options: GherkinOptions = self.options
        stories = read_stories(ctx.workspace / options.stories, ctx.workspace)
        findings = syntax_findings(stories, _)
        expected = [(story, scenario) for story in stories.stories for scenario in story.scenarios]
        for story in stories.stories:
            if not story.scenarios:
                findings.append(Finding(rule="story-without-scenario", severity="medium", path=story.path, line=story.line,
                                        message=_("The story « {name} » has no acceptance scenario.").format(name=story.name)))
        if not expected:
            return CheckOutcome(0.0, findings=findings, message=_("No scenario to run."))
        sql = ctx.lab.resolve(options.sql)
        with sandbox_services(ctx, ["postgres", "redis"], template_files=[sql / "schema.sql"]) as (env, mounts):
            run, out = ctx.run_sandboxed(
                [sys.executable, "-I", "-m", "pytest", "-q", "-p", "no:cacheprovider", "-c", f"{TRUSTED}/acceptance/pytest.ini",
                 "--rootdir", f"{TRUSTED}/acceptance", f"--timeout={options.per_scenario_timeout_s:g}",
                 f"{TRUSTED}/acceptance/test_acceptance.py"],
                trusted={"acceptance": ctx.lab.resolve(options.steps), "app": ctx.lab.resolve(options.app), "sql": sql},
                outputs=["bdd.jsonl"],
                env={**env, "CDA_FEATURES": f"{WORKSPACE}/{options.stories}", "CDA_BDD_OUT": f"{OUTPUT}/bdd.jsonl"},
                mounts=mounts,
            )
        results = read_results(out / "bdd.jsonl")
        prefix = options.stories.rstrip("/") + "/"
        tests, passed_runs, total_runs, verified = [], 0, 0, set()
        for story, scenario in expected:
            runs = results.get((story.path.removeprefix(prefix), scenario.line), [])
            ok = sum(r.get("status") == "passed" for r in runs)
            label = f"{story.path}:{scenario.line} {scenario.name}"
            if not runnable(scenario):
                ok = 0
                findings.append(Finding(
                    rule="scenario-without-outcome", severity="medium", path=story.path, line=scenario.line,
                    message=_("Scenario « {name} » needs a Quand step and an Alors step to check anything.").format(
                        name=scenario.name)))
            total_runs += scenario.runs
            passed_runs += min(ok, scenario.runs)
            for failure in [r for r in runs if r.get("status") != "passed"][:3]:
                findings.append(self.failure_finding(story.path, scenario, failure, _))
            status = "passed" if ok >= scenario.runs else "failed"
            if status == "passed":
                verified.update(story.requirements)
            tests.append(TestCase(name=label, status=status, score=min(ok, scenario.runs), max_score=scenario.runs,
                                  message=None if status == "passed" else _("{ok}/{runs} run(s) hold").format(
                                      ok=ok, runs=scenario.runs)))
        if not results and run.returncode not in (0, 1):
            findings.append(Finding(rule="acceptance-run", severity="high", message=_(
                "The acceptance run ended without results: {reason}").format(
                reason=(run.stderr.strip().splitlines() or run.stdout.strip().splitlines() or ["?"])[-1][:300])))
        required = read_specification(ctx.lab.resolve(options.specification)).requirements
        tagged = {r for story in stories.stories for r in story.requirements}
        for requirement in required:
            if requirement in tagged and requirement not in verified:
                findings.append(Finding(rule="requirement-not-verified", severity="medium", references=[requirement],
                                        message=_("No scenario that holds verifies requirement {id}.").format(id=requirement)))
        coverage = len(verified & set(required)) / len(required) if required else 1.0
        fraction = (passed_runs / total_runs if total_runs else 0.0) * coverage
        return CheckOutcome(fraction, findings=findings[:MAX_FINDINGS], tests=tests,
                            message=_("{passed}/{total} scenario runs hold on the application; they verify "
                                      "{verified}/{required} requirements").format(
                                passed=passed_runs, total=total_runs, verified=len(verified & set(required)),
                                required=len(required)))

    @staticmethod
    def failure_finding(path: str, scenario: Scenario, failure: dict, _) -> Finding:
        step = str(failure.get("step", "?"))[:200]
        line = failure.get("step_line") if isinstance(failure.get("step_line"), int) else scenario.line
        if failure.get("status") == "unknown-step":
            return Finding(rule="unknown-step", severity="medium", path=path, line=line,
                           message=_("Step « {step} » is not in the step vocabulary of the statement.").format(step=step),
                           help=_("Write it with one of the sentences of the vocabulary (README, « Vocabulaire des "
                                  "étapes »), word for word apart from the values in quotes."))
        return Finding(rule="scenario-fails", severity="high", path=path, line=line,
                       message=_("Scenario « {name} » does not hold on the application: step « {step} » fails ({reason}).").format(
                           name=scenario.name, step=step, reason=str(failure.get("reason", "?"))[:300]),
                       help=_("Check the acceptance criterion against REGLES.md and the cahier des charges: the "
                              "expected value must be the application's."))
