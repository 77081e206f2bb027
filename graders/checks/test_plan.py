"""`test-plan` check (C9): the learner's test plan against the lab's features, and their test report
against a rerun of their tests.

Parts (one check entry each in lab.toml, `part = ...`):
- `coverage`: every feature of the lab's list (`features`, requirement ids of the cahier des charges)
  has at least one complete case (type, priority, inputs, expected result); findings name the
  uncovered ids and the incomplete cases.
- `security`: every feature the cahier files under `securite` has a case of type `securite`, and the
  plan says which cases are run again on a technology change (`[[evolutions]]`).
- `report`: reads the run of the learner's tests on the reference made by the `seeded-bugs` check
  named `run` (shared with it, with its JUnit report): the environment works (the tests pass in a
  fresh sandbox with PostgreSQL and Redis, the integration cases ran and passed) and is described in
  the report; every case's test was executed; the results the report gives are the rerun's. Each of
  the three is a test of its own, evidencing the criterion its option names.

Static parts read the files as data; the report part runs nothing itself.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from graders.checks.base import Check, CheckContext, CheckOutcome
from graders.checks.test_plan_files import Plan, outcome_of, read_junit, read_plan, read_report
from graders.results import Finding, TestCase

INCOMPLETE_PENALTY = 0.05  # of the coverage fraction, per incomplete case
UNKNOWN_PENALTY = 0.1  # per feature id that is not in the lab's list


class TestPlanOptions(BaseModel):
    __test__ = False
    model_config = ConfigDict(extra="forbid")
    part: Literal["coverage", "security", "report"]
    plan: str = "plan_de_tests.toml"
    features: list[str] = Field(min_length=1)  # requirement ids of the specification
    specification: str = "grader/cahier-des-charges.toml"  # lab-relative: titles and categories of the ids
    report: str = "rapport_de_tests.md"
    run: str | None = None  # report part: id of the seeded-bugs check whose baseline run is compared
    environment_criterion: str | None = None  # report part: what each of its tests evidences
    execution_criterion: str | None = None
    results_criterion: str | None = None

    @model_validator(mode="after")
    def consistent(self) -> "TestPlanOptions":
        if any(Path(p).is_absolute() or ".." in Path(p).parts for p in (self.plan, self.specification, self.report)):
            raise ValueError("plan, specification and report must be relative paths without '..'")
        if self.part == "report" and not (self.run and self.environment_criterion and self.execution_criterion
                                          and self.results_criterion):
            raise ValueError("part 'report' needs run and the three *_criterion options")
        return self


def read_features(path: Path, wanted: list[str]) -> dict[str, tuple[str, str]]:
    """{id: (title, category)} of the wanted requirements; ValueError when one is not in the file."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    known = {r["id"]: (r["title"], r.get("category", "")) for r in data.get("requirements", [])}
    missing = [fid for fid in wanted if fid not in known]
    if missing:
        raise ValueError(f"{path.name}: no requirement {', '.join(missing)}")
    return {fid: known[fid] for fid in wanted}


def plan_findings(plan: Plan, plan_name: str, _) -> list[Finding]:
    if plan.error == "missing":
        return [Finding(rule="test-plan-missing", severity="high", path=plan_name,
                        message=_("No test plan {file} in the submission.").format(file=plan_name))]
    return [Finding(rule="test-plan-invalid", severity="high", path=plan_name,
                    message=_("The test plan is not valid TOML: {error}").format(error=plan.error))]


def missing_fields(case, _) -> list[str]:
    fields = [(_("an id"), case.id), (_("a type (unitaire, integration, systeme, securite)"), case.type),
              (_("a priority (haute, moyenne, basse)"), case.priority), (_("inputs"), case.inputs),
              (_("an expected result"), case.expected)]
    return [name for name, value in fields if not value]


def coverage(plan: Plan, features: dict[str, tuple[str, str]], plan_name: str, _) -> CheckOutcome:
    findings, complete = [], set()
    for case in plan.cases:
        missing = missing_fields(case, _)
        if missing:
            findings.append(Finding(rule="test-case-incomplete", severity="medium", path=plan_name, message=_(
                "Case {case} of {feature} lacks {missing}.").format(case=case.id or "?", feature=case.feature,
                                                                   missing=", ".join(missing))))
        else:
            complete.add(case.feature)
    for fid, (title, _category) in features.items():
        if fid not in complete:
            findings.append(Finding(rule="feature-not-covered", severity="high", path=plan_name, references=[fid],
                                    message=_("Feature {id} ({title}) has no complete test case in the plan.").format(
                                        id=fid, title=title)))
    unknown = [fid for fid in plan.features if fid not in features]
    findings += [Finding(rule="unknown-feature", severity="low", path=plan_name, references=[fid],
                         message=_("The plan names {id}, which is not a feature of this lab.").format(id=fid))
                 for fid in unknown]
    covered = len(complete & set(features))
    incomplete = sum(f.rule == "test-case-incomplete" for f in findings)
    fraction = covered / len(features) - INCOMPLETE_PENALTY * incomplete - UNKNOWN_PENALTY * len(unknown)
    return CheckOutcome(max(0.0, fraction), findings=findings, metrics={"features": len(features), "covered": covered},
                        message=_("{covered}/{total} features covered by complete cases").format(
                            covered=covered, total=len(features)))


def security(plan: Plan, features: dict[str, tuple[str, str]], plan_name: str, _) -> CheckOutcome:
    findings, units, met = [], 0, 0
    for fid, (title, category) in features.items():
        if category != "securite":
            continue
        units += 1
        if any(case.type == "securite" for case in plan.features.get(fid, [])):
            met += 1
        else:
            findings.append(Finding(rule="security-case-missing", severity="high", path=plan_name, references=[fid],
                                    message=_("Feature {id} ({title}) is a security requirement: the plan has no case "
                                              "of type securite for it (an attack, an abuse).").format(id=fid, title=title)))
    if not any(case.type == "securite" for case in plan.cases):
        findings.append(Finding(rule="no-security-case", severity="high", path=plan_name, message=_(
            "The plan has no security case at all: what attack or abuse do your tests try?")))
    known = {case.id for case in plan.cases}
    units += 1
    if any(event and cases and set(cases) <= known for event, cases in plan.evolutions):
        met += 1
    else:
        findings.append(Finding(rule="evolutions-missing", severity="medium", path=plan_name, message=_(
            "The plan says nothing of technology changes: add [[evolutions]] naming an event (a version upgrade of "
            "PostgreSQL, Flask, a dependency with a known flaw) and the cases (ids of your plan) run again then.")))
    return CheckOutcome(met / units, findings=findings, message=_("{met}/{total} security and evolution items").format(
        met=met, total=units))


class TestPlanCheck(Check):
    __test__ = False
    kind = "test-plan"
    Options = TestPlanOptions

    @classmethod
    def declared_criteria(cls, options: TestPlanOptions) -> list[str]:
        return [c for c in (options.environment_criterion, options.execution_criterion, options.results_criterion) if c]

    @classmethod
    def validate_lab(cls, options: TestPlanOptions, lab, spec) -> None:
        read_features(lab.resolve(options.specification), options.features)
        if options.part == "report":
            run = next((c for c in lab.manifest.checks if c.id == options.run), None)
            if run is None or run.kind != "seeded-bugs":
                raise ValueError(f"run: no seeded-bugs check {options.run!r} in the lab")

    def run(self, ctx: CheckContext) -> CheckOutcome:
        _ = ctx._
        options: TestPlanOptions = self.options
        plan = read_plan(ctx.workspace / options.plan)
        if plan.error:
            return CheckOutcome(0.0, findings=plan_findings(plan, options.plan, _),
                                message=_("No readable test plan."))
        features = read_features(ctx.lab.resolve(options.specification), options.features)
        if options.part == "coverage":
            return coverage(plan, features, options.plan, _)
        if options.part == "security":
            return security(plan, features, options.plan, _)
        return self.report(ctx, plan)

    def report(self, ctx: CheckContext, plan: Plan) -> CheckOutcome:
        from graders.checks.seeded_bugs import baseline_run

        _, options = ctx._, self.options
        spec = next(c for c in ctx.lab.manifest.checks if c.id == options.run)
        base = baseline_run(ctx, ctx.lab.options_of(spec))
        junit = read_junit(base.junit)
        report = read_report(ctx.workspace / options.report, {case.id for case in plan.cases if case.id})
        findings: list[Finding] = []
        if report.missing:
            findings.append(Finding(rule="test-report-missing", severity="high", path=options.report,
                                    message=_("No test report {file} in the submission.").format(file=options.report)))
        cases = [case for case in plan.cases if case.id]
        ran = {case.id: outcome_of(case.test, junit) if case.test else None for case in cases}
        integration = [case for case in cases if case.type == "integration"]
        environment = [base.code == 0, bool(integration) and all(ran[c.id] == "passed" for c in integration),
                       "postgresql" in report.environment and "redis" in report.environment]
        for ok, rule, message in zip(environment, ("tests-fail-on-reference", "integration-not-run", "environment-undescribed"), (
                _("Your tests do not all pass in a fresh environment (PostgreSQL and Redis given by DATABASE_URL and "
                  "REDIS_URL, the reference code)."),
                _("The plan has no integration case, or one did not run and pass on the real PostgreSQL and Redis."),
                _("The report has no section « Environnement de tests » that says how the tests get their PostgreSQL "
                  "database and their Redis."))):
            if not ok:
                findings.append(Finding(rule=rule, severity="medium", path=options.report, message=message))
        executed = [case for case in cases if ran[case.id] in ("passed", "failed")]
        for case in cases:
            if ran[case.id] not in ("passed", "failed"):
                findings.append(Finding(rule="case-not-executed", severity="medium", path=options.plan, message=_(
                    "Case {case}: its test {test} did not run with your tests.").format(case=case.id, test=case.test or "-")))
        consistent = [case for case in executed if report.results.get(case.id) == ran[case.id]]
        said = {"passed": _("a pass"), "failed": _("a failure"), "skipped": _("a skipped test")}
        for case in cases:
            claimed = report.results.get(case.id)
            if claimed is None:
                findings.append(Finding(rule="result-not-reported", severity="medium", path=options.report, message=_(
                    "Case {case}: the report gives no obtained result.").format(case=case.id)))
            elif claimed != ran[case.id]:  # claiming a pass the rerun does not give is an unfaithful report
                findings.append(Finding(rule="result-inconsistent", severity="high" if claimed == "passed" else "medium",
                                        path=options.report, message=_(
                    "Case {case}: the report says {claimed}, the rerun gives {obtained}.").format(
                        case=case.id, claimed=said[claimed], obtained=said.get(ran[case.id], _("no run of its test")))))
        share, total = ctx.spec.points / 3, max(1, len(cases))
        parts = [("environnement", options.environment_criterion, sum(environment) / 3),
                 ("execution-du-plan", options.execution_criterion, len(executed) / total),
                 ("resultats-obtenus", options.results_criterion, len(consistent) / total)]
        tests = [TestCase(name=name, status="passed" if fraction >= 1 else "failed", score=round(share * fraction, 4),
                          max_score=share, criteria=[criterion]) for name, criterion, fraction in parts]
        return CheckOutcome(sum(f for _n, _c, f in parts) / 3, findings=findings, tests=tests, message=_(
            "{executed}/{total} cases executed, {consistent} reported as the rerun gives").format(
                executed=len(executed), total=len(cases), consistent=len(consistent)),
            metrics={"cases": len(cases), "executed": len(executed), "consistent": len(consistent)})
