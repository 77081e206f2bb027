"""Learner-facing findings and graded parts of the planning checks (messages through gettext)."""

from __future__ import annotations

from graders.planning.model import PlanError
from graders.planning.rules import Violation
from graders.results import Finding, TestCase


def unreadable(error: PlanError, _) -> Finding:
    return Finding(rule="plan-unreadable", severity="high", path=error.path, line=error.line,
                   message=_("{path}: cannot be read: {reason}").format(path=error.path, reason=error.translated(_)),
                   help=_("The accepted formats are described in the statement (Mermaid gantt, TOML, YAML, CSV)."))


def violation_message(v: Violation, _) -> str:
    p = dict(v.params, task=v.task)
    texts = {
        "missing": _("{task} is not planned."),
        "unknown": _("{task} is not a task of the backlog."),
        "duplicate": _("{task} is planned twice."),
        "dependency": _("{task} starts on {start} while {dep}, which it depends on, ends on {dep_end}."),
        "capacity": _("Capacity exceeded: {tasks} at once on {day}, for a team of {capacity}.")
        if "day" in p else _("Sprint {sprint}: {load} days of work for a capacity of {capacity}."),
        "overbooked": _("{who} is on {tasks} at once on {day}."),
        "duration": _("{task} lasts {days} working day(s) but needs {need}."),
        "unknown-member": _("{task}: {who} is not a member of the team."),
        "sprint-chain": _("Sprint {sprint}: dependent tasks need {chain} days in a row, the sprint has {days}."),
        "sprint-overlap": _("Sprint {sprint} overlaps sprint {other}."),
        "too-early": _("{task} starts on {start}, before {earliest}.") if v.task
        else _("A sprint starts on {start}, before {earliest}."),
        "deadline": _("{task} ends on {end}, after the deadline ({deadline}).") if v.task
        else _("A sprint ends on {end}, after the deadline ({deadline})."),
    }
    return texts[v.rule].format(**p)


def violation_finding(v: Violation, path: str, _, rule_prefix: str = "plan") -> Finding:
    severity = "high" if v.family in ("dependencies", "capacity", "coverage") else "medium"
    return Finding(rule=f"{rule_prefix}-{v.rule}", severity=severity, path=path, message=violation_message(v, _))


def part(name: str, points: float, ok: bool, message: str | None = None, fraction: float | None = None) -> TestCase:
    got = points * (fraction if fraction is not None else (1.0 if ok else 0.0))
    return TestCase(name=name, status="passed" if ok else "failed", score=round(got, 3), max_score=points,
                    message=message)


def fraction_of(tests: list[TestCase]) -> float:
    total = sum(t.max_score for t in tests)
    return sum(t.score for t in tests) / total if total else 0.0
