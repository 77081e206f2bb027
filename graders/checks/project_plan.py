"""`project-plan` check: a plan (Gantt or sprints) against the lab's backlog, team and deadline, and the
critical path the learner names against the one computed from the backlog.

The learner's files are data, read with strict parsers and size limits (`graders/planning/parse.py`);
nothing of theirs runs.

    [[checks]]
    kind = "project-plan"
    [checks.options]
    backlog = "starter/donnees/backlog.toml"
    team = "starter/donnees/equipe.toml"
    plan = "plan/planning"                    # plan/planning.mmd | .toml | .yaml | .csv
    critical_path = "plan/chemin-critique.toml"
"""

from __future__ import annotations

import tomllib

from pydantic import BaseModel, ConfigDict, Field

from graders.checks.base import Check, CheckContext, CheckOutcome
from graders.planning.findings import fraction_of, part, unreadable, violation_finding
from graders.planning.model import PlanError
from graders.planning.parse import find_plan, load_backlog, load_mapping, load_team, read_plan
from graders.planning.rules import check_plan, critical_paths
from graders.results import Finding


class Weights(BaseModel):
    model_config = ConfigDict(extra="forbid")
    coverage: float = Field(6, ge=0)
    dependencies: float = Field(8, ge=0)
    capacity: float = Field(6, ge=0)
    deadline: float = Field(4, ge=0)
    critical_path: float = Field(6, ge=0)


class ProjectPlanOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")
    backlog: str
    team: str
    plan: str = "plan/planning"
    critical_path: str = "plan/chemin-critique.toml"
    weights: Weights = Field(default_factory=Weights)


def part_names(_) -> dict[str, str]:
    return {"coverage": _("Every task of the backlog is planned, once"),
            "dependencies": _("Dependencies respected"),
            "capacity": _("Team capacity and task durations respected"),
            "deadline": _("Within the project's dates and deadline"),
            "critical_path": _("Critical path")}


class ProjectPlanCheck(Check):
    kind = "project-plan"
    Options = ProjectPlanOptions

    @classmethod
    def validate_lab(cls, options: ProjectPlanOptions, lab, spec) -> None:
        try:
            load_backlog(lab.resolve(options.backlog))
            load_team(lab.resolve(options.team))
        except (PlanError, KeyError, TypeError) as exc:
            raise ValueError(f"cannot read the lab's backlog or team: {exc}") from None

    def run(self, ctx: CheckContext) -> CheckOutcome:
        _, o = ctx._, self.options
        backlog, team = load_backlog(ctx.lab.resolve(o.backlog)), load_team(ctx.lab.resolve(o.team))
        names, weights = part_names(_), o.weights.model_dump()
        findings: list[Finding] = []
        folder, stem = (ctx.workspace / o.plan).parent, (ctx.workspace / o.plan).name
        failed = {name: False for name in ("coverage", "dependencies", "capacity", "deadline")}
        broken = 0
        try:
            found = find_plan(folder, stem)
            if found is None:
                raise PlanError(_("no plan: write {stem}.mmd, .toml, .yaml or .csv").format(stem=o.plan), o.plan)
            shown = str(found.relative_to(ctx.workspace))
            plan = read_plan(found, shown, team)
        except PlanError as error:
            findings.append(unreadable(error, _))
            failed = {name: True for name in failed}
        else:
            need = {t.id: t.estimate for t in backlog.tasks.values()}
            for violation in check_plan(plan, backlog, team, need, team.start):
                failed[violation.family] = True
                broken += 1
                findings.append(violation_finding(violation, shown, _))
        tests = [part(names[n], weights[n], not bad) for n, bad in failed.items()]
        ok, message = self._critical(ctx, backlog, findings)
        tests.append(part(names["critical_path"], weights["critical_path"], ok, message))
        return CheckOutcome(fraction_of(tests), findings=findings, tests=tests,
                            message=_("{count} constraint(s) broken").format(count=broken))

    def _critical(self, ctx, backlog, findings: list[Finding]) -> tuple[bool, str | None]:
        _, path = ctx._, self.options.critical_path
        length, paths = critical_paths(backlog)
        target = ctx.workspace / path
        try:
            if not target.exists():
                raise PlanError(_("missing"), path)
            data = load_mapping(target, path)
            theirs = data.get("taches")
            if not isinstance(theirs, list) or not all(isinstance(t, str) for t in theirs):
                raise PlanError(_("expected taches = [\"T01\", ...]"), path)
        except (PlanError, tomllib.TOMLDecodeError) as error:
            findings.append(unreadable(error if isinstance(error, PlanError) else PlanError(str(error), path), _))
            return False, None
        if theirs in paths:
            declared = data.get("duree")
            if declared is not None and declared != length:
                findings.append(Finding(rule="critical-path-length", severity="low", path=path, message=_(
                    "The path is right but its length is {length} days of work, not {declared}.").format(
                        length=length, declared=declared)))
            return True, None
        on_path = set().union(*map(set, paths))
        extra = [t for t in theirs if t not in on_path]
        missing = [t for t in paths[0] if t not in theirs]
        findings.append(Finding(rule="critical-path-wrong", severity="medium", path=path, message=_(
            "This is not the critical path (the longest chain of dependent tasks, by estimate): "
            "not on it: {extra}; missing: {missing}.").format(extra=", ".join(extra) or "-",
                                                           missing=", ".join(missing) or "-"),
            help=_("Add up the estimates along each chain of dependencies; the longest chain is critical.")))
        return False, _("{count} task(s) off").format(count=len(extra) + len(missing))
