"""`project-followup` check: the learner's progress report and re-plan at a status date, against the
project's real state computed from the lab's issue-tracker export and git log (`graders/planning/followup.py`).

Graded parts: the burndown's data points, the delays (each flagged delay is a real one, none is
missed), whom each delay is reported to, and the re-plan (the remaining work, from the next working
day, within dependencies, capacity and deadline). A burndown given only as a picture is left to the
trainer (a rubric item): it earns nothing here.

    [[checks]]
    kind = "project-followup"
    [checks.options]
    backlog = "starter/donnees/backlog.toml"
    team = "starter/donnees/equipe.toml"
    tracker = "starter/donnees/mi-parcours/tickets.csv"
    git_log = "starter/donnees/mi-parcours/git-log.txt"
    status_date = 2027-01-22
    report = "suivi/avancement.toml"
    replan = "suivi/replanification"
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

from graders.checks.base import Check, CheckContext, CheckOutcome
from graders.planning.findings import fraction_of, part, unreadable, violation_finding
from graders.planning.followup import (burndown, project_state, read_report, recipients, remaining_work)
from graders.planning.model import PlanError
from graders.planning.parse import find_plan, load_backlog, load_team, read_plan
from graders.planning.rules import check_plan, critical_paths
from graders.results import Finding


class Weights(BaseModel):
    model_config = ConfigDict(extra="forbid")
    burndown: float = Field(6, ge=0)
    delays: float = Field(10, ge=0)
    alerts: float = Field(6, ge=0)
    replan: float = Field(8, ge=0)


class ProjectFollowupOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")
    backlog: str
    team: str
    tracker: str
    git_log: str
    status_date: dt.date
    report: str = "suivi/avancement.toml"
    replan: str = "suivi/replanification"
    weights: Weights = Field(default_factory=Weights)


class ProjectFollowupCheck(Check):
    kind = "project-followup"
    Options = ProjectFollowupOptions

    @classmethod
    def validate_lab(cls, options: ProjectFollowupOptions, lab, spec) -> None:
        try:
            load_backlog(lab.resolve(options.backlog))
            load_team(lab.resolve(options.team))
            project_state(lab.resolve(options.tracker), lab.resolve(options.git_log), options.status_date)
        except (PlanError, KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"cannot read the lab's project data: {exc}") from None

    def run(self, ctx: CheckContext) -> CheckOutcome:
        _, o = ctx._, self.options
        backlog, team = load_backlog(ctx.lab.resolve(o.backlog)), load_team(ctx.lab.resolve(o.team))
        state = project_state(ctx.lab.resolve(o.tracker), ctx.lab.resolve(o.git_log), o.status_date)
        findings: list[Finding] = []
        w = o.weights
        try:
            target = ctx.workspace / o.report
            if not target.exists():
                raise PlanError(_("missing"), o.report)
            report = read_report(target, o.report, team)
        except PlanError as error:
            findings.append(unreadable(error, _))
            report = None
        tests = []
        if report is None:
            tests += [part(_("Burndown"), w.burndown, False), part(_("Delays identified"), w.delays, False),
                      part(_("Whom each delay is reported to"), w.alerts, False)]
        else:
            tests.append(self._burndown(report, state, backlog, team, findings, _))
            tests += self._delays(report, state, backlog, team, findings, _)
        tests.append(self._replan(ctx, state, backlog, team, findings, _))
        return CheckOutcome(fraction_of(tests), findings=findings, tests=tests)

    def _burndown(self, report, state, backlog, team, findings, _):
        truth = burndown(state, backlog, team)
        weeks = len({d.isocalendar()[:2] for d in truth})
        wrong = []
        for day, value in sorted(report.burndown.items()):
            if day not in truth:
                findings.append(Finding(rule="burndown-date", severity="medium", path=self.options.report, message=_(
                    "Burndown: {day} is not a working day between the start and the status date.").format(day=day)))
                wrong.append(day)
            elif abs(truth[day] - value) > 0.5:
                findings.append(Finding(rule="burndown-value", severity="medium", path=self.options.report, message=_(
                    "Burndown: on {day} the remaining work is not {value}.").format(day=day, value=f"{value:g}"),
                    help=_("The remaining work is the sum of the estimates of the tasks not closed that evening.")))
                wrong.append(day)
        good = len(report.burndown) - len(wrong)
        enough = good >= weeks and state.date in report.burndown
        if not enough:
            findings.append(Finding(rule="burndown-incomplete", severity="medium", path=self.options.report, message=_(
                "Burndown: give at least one point a week ({weeks}) and the status date.").format(weeks=weeks)))
        fraction = min(1.0, good / max(weeks, len(report.burndown), 1)) if good else 0.0
        ok = enough and not wrong
        return part(_("Burndown"), self.options.weights.burndown, ok, fraction=1.0 if ok else fraction)

    def _delays(self, report, state, backlog, team, findings, _):
        real, flagged = set(state.late), set(report.delays)
        for task in sorted(real - flagged):
            findings.append(Finding(rule="delay-missed", severity="high", path=self.options.report, message=_(
                "{task} is late at the status date and the report does not say so.").format(task=task)))
        for task in sorted(flagged - real):
            findings.append(Finding(rule="delay-not-real", severity="medium", path=self.options.report, message=_(
                "{task} is reported late but is not, by the definition of the statement.").format(task=task)))
        critical = set(critical_paths(backlog)[1][0])
        alerted = 0
        for task in sorted(real & flagged):
            wanted = recipients(task, backlog, team, critical)
            missing = wanted - report.delays[task]
            if missing:
                findings.append(Finding(rule="delay-not-alerted", severity="medium", path=self.options.report, message=_(
                    "{task}: {who} must be told of this delay.").format(task=task, who=", ".join(sorted(missing)))))
            else:
                alerted += 1
        known = {s.id for s in team.stakeholders}
        for task, who in sorted(report.delays.items()):
            for name in sorted(who - known):
                findings.append(Finding(rule="delay-unknown-stakeholder", severity="low", path=self.options.report,
                                        message=_("{task}: {who} is not a stakeholder of the project.").format(
                                            task=task, who=name)))
        w = self.options.weights
        return [part(_("Delays identified"), w.delays, real == flagged),
                part(_("Whom each delay is reported to"), w.alerts, bool(real) and alerted == len(real),
                     fraction=alerted / len(real) if real else 0.0)]

    def _replan(self, ctx, state, backlog, team, findings, _):
        o = self.options
        name = _("Re-plan of the remaining work")
        folder, stem = (ctx.workspace / o.replan).parent, (ctx.workspace / o.replan).name
        try:
            found = find_plan(folder, stem)
            if found is None:
                raise PlanError(_("no re-plan: write {stem}.mmd, .toml, .yaml or .csv").format(stem=o.replan), o.replan)
            shown = str(found.relative_to(ctx.workspace))
            plan = read_plan(found, shown, team)
        except PlanError as error:
            findings.append(unreadable(error, _))
            return part(name, o.weights.replan, False)
        need = remaining_work(state, backlog)
        closed = state.closed_by(state.date)
        plan.slots = [s for s in plan.slots if s.id not in closed]   # what is done may be shown, it is not graded
        plan.sprints = [s for s in plan.sprints if any(t not in closed for t in s.tasks)]
        for sprint in plan.sprints:
            sprint.tasks = [t for t in sprint.tasks if t not in closed]
        broken = check_plan(plan, backlog, team, need, team.next_workday(state.date))
        findings += [violation_finding(v, shown, _, rule_prefix="replan") for v in broken]
        return part(name, o.weights.replan, not broken)
