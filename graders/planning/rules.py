"""The hard constraints a plan must meet, and the critical path of a backlog (pure functions)."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import networkx as nx

from graders.planning.model import Backlog, Plan, Team

# Each violation's rule belongs to one family, graded as one test.
FAMILIES = {
    "missing": "coverage", "unknown": "coverage", "duplicate": "coverage",
    "dependency": "dependencies",
    "capacity": "capacity", "overbooked": "capacity", "duration": "capacity", "unknown-member": "capacity",
    "sprint-chain": "capacity", "sprint-overlap": "capacity",
    "too-early": "deadline", "deadline": "deadline",
}


@dataclass(frozen=True)
class Violation:
    rule: str
    task: str | None = None
    params: dict = field(default_factory=dict, hash=False, compare=False)

    @property
    def family(self) -> str:
        return FAMILIES[self.rule]


def _graph(backlog: Backlog, only: set[str] | None = None) -> nx.DiGraph:
    graph = nx.DiGraph()
    for task in backlog.tasks.values():
        if only is None or task.id in only:
            graph.add_node(task.id, weight=task.estimate)
            for dep in task.depends_on:
                if only is None or dep in only:
                    graph.add_edge(dep, task.id)
    return graph


def critical_paths(backlog: Backlog, limit: int = 20) -> tuple[int, list[list[str]]]:
    """The length (person-days) of the longest dependency chain and every chain of that length."""
    graph = _graph(backlog)
    finish: dict[str, int] = {}
    for node in nx.topological_sort(graph):
        finish[node] = graph.nodes[node]["weight"] + max((finish[p] for p in graph.predecessors(node)), default=0)
    length = max(finish.values(), default=0)
    paths: list[list[str]] = []

    def walk(node: str, suffix: list[str]) -> None:
        if len(paths) >= limit:
            return
        before = finish[node] - graph.nodes[node]["weight"]
        tight = [p for p in graph.predecessors(node) if finish[p] == before]
        if before == 0:
            paths.append([node, *suffix])
        for pred in sorted(tight):
            walk(pred, [node, *suffix])

    for end in sorted(n for n, f in finish.items() if f == length):
        walk(end, [])
    return length, paths


def check_plan(plan: Plan, backlog: Backlog, team: Team, need: dict[str, int], earliest: dt.date) -> list[Violation]:
    """Every hard constraint `plan` breaks. `need` is the work still to plan per task (days)."""
    ids = plan.task_ids()
    found = [Violation("duplicate", t) for t, n in sorted(Counter(ids).items()) if n > 1]
    found += [Violation("unknown", t) for t in dict.fromkeys(ids) if t not in backlog.tasks]
    found += [Violation("missing", t) for t in need if t not in ids]
    if plan.sprints:
        return found + _check_sprints(plan, backlog, team, need, earliest)
    return found + _check_gantt(plan, backlog, team, need, earliest)


def _check_gantt(plan, backlog, team, need, earliest) -> list[Violation]:
    found: list[Violation] = []
    slots = {s.id: s for s in plan.slots if s.id in backlog.tasks}
    for slot in slots.values():
        if not slot.days:
            found.append(Violation("duration", slot.id, {"days": 0, "need": need.get(slot.id, 0)}))
            continue
        if slot.id in need and len(slot.days) < need[slot.id]:
            found.append(Violation("duration", slot.id, {"days": len(slot.days), "need": need[slot.id]}))
        if slot.first < earliest:
            found.append(Violation("too-early", slot.id, {"start": slot.first, "earliest": earliest}))
        if slot.last > team.deadline:
            found.append(Violation("deadline", slot.id, {"end": slot.last, "deadline": team.deadline}))
        for dep in backlog.tasks[slot.id].depends_on:
            before = slots.get(dep)
            if before and before.days and slot.first <= before.last:
                found.append(Violation("dependency", slot.id, {"dep": dep, "start": slot.first, "dep_end": before.last}))
        if slot.who is not None and slot.who not in team.members and team.member_id(slot.who) is None:
            found.append(Violation("unknown-member", slot.id, {"who": slot.who}))
    per_day: dict[dt.date, list[str]] = defaultdict(list)
    per_member: dict[tuple[str, dt.date], list[str]] = defaultdict(list)
    for slot in slots.values():
        for day in slot.days:
            per_day[day].append(slot.id)
            if slot.who:
                per_member[(team.member_id(slot.who) or slot.who, day)].append(slot.id)
    capacity = len(team.members)
    for day in sorted(per_day):
        if len(per_day[day]) > capacity:
            found.append(Violation("capacity", None, {"day": day, "tasks": ", ".join(per_day[day]), "capacity": capacity}))
            break  # one day is enough to show it; the others usually follow from it
    clashes = sorted(k for k, v in per_member.items() if len(v) > 1)
    seen = set()
    for who, day in clashes:
        if who not in seen:
            seen.add(who)
            found.append(Violation("overbooked", None, {"who": who, "day": day, "tasks": ", ".join(per_member[(who, day)])}))
    return found


def _check_sprints(plan, backlog, team, need, earliest) -> list[Violation]:
    found: list[Violation] = []
    sprints = sorted(plan.sprints, key=lambda s: s.start)
    where = {t: s for s in sprints for t in s.tasks}
    for previous, sprint in zip(sprints, sprints[1:]):
        if sprint.start <= previous.end:
            found.append(Violation("sprint-overlap", None, {"sprint": sprint.number, "other": previous.number}))
    capacity = len(team.members)
    for sprint in sprints:
        days = len(team.workdays_between(sprint.start, sprint.end))
        load = sum(need.get(t, 0) for t in sprint.tasks)
        if load > capacity * days:
            found.append(Violation("capacity", None, {"sprint": sprint.number, "load": load, "capacity": capacity * days}))
        inside = _graph(backlog, {t for t in sprint.tasks if t in backlog.tasks})
        chain = _chain_days(inside, need)
        if chain > days:
            found.append(Violation("sprint-chain", None, {"sprint": sprint.number, "chain": chain, "days": days}))
        if sprint.start < earliest:
            found.append(Violation("too-early", None, {"start": sprint.start, "earliest": earliest}))
        if sprint.end > team.deadline:
            found.append(Violation("deadline", None, {"end": sprint.end, "deadline": team.deadline}))
    for task_id, sprint in where.items():
        for dep in backlog.tasks[task_id].depends_on if task_id in backlog.tasks else ():
            if dep in where and where[dep].start > sprint.start:
                found.append(Violation("dependency", task_id, {"dep": dep, "start": sprint.start,
                                                               "dep_end": where[dep].end}))
    return found


def _chain_days(graph: nx.DiGraph, need: dict[str, int]) -> int:
    """The longest chain of dependent tasks inside one sprint, in days of work."""
    finish: dict[str, int] = {}
    for node in nx.topological_sort(graph):
        finish[node] = need.get(node, 0) + max((finish[p] for p in graph.predecessors(node)), default=0)
    return max(finish.values(), default=0)
