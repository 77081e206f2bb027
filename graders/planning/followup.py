"""A project's state at a status date, from its issue-tracker export and its git log (trusted lab data),
and the learner's progress report (untrusted data).

Definitions the statement gives the learner:
- a task is *closed* on its `ferme_le` date; it is *started* on the first commit naming it (`#T05`),
  whatever the tracker's status says;
- a task is *late* at the status date when it was closed after its due date (`echeance`), or it is
  not closed and its due date is on or before the status date, or it is not started and its planned
  start (`debut_prevu`) is on or before the status date;
- the burndown is, at the end of each working day, the sum of the estimates of the tasks not closed;
- whom to alert: each stakeholder whose `alerter` rule holds (`toujours`, `chemin-critique`: the task
  is on the backlog's critical path, `theme:<x>`: the task has the theme x).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from graders.i18n import N_
from graders.planning.model import Backlog, PlanError, Team
from graders.planning.parse import as_date, load_mapping, read_text

TICKET_REF = re.compile(r"#(T\d+)\b")


@dataclass
class Ticket:
    id: str
    status: str
    planned_start: dt.date
    due: dt.date
    closed: dt.date | None
    remaining: int | None


@dataclass
class State:
    date: dt.date
    tickets: dict[str, Ticket]
    started: dict[str, dt.date]
    late: dict[str, str] = field(default_factory=dict)       # task -> why ("closed-late", "overdue", "not-started")

    def closed_by(self, day: dt.date) -> set[str]:
        return {t.id for t in self.tickets.values() if t.closed and t.closed <= day}


def load_tracker(path: Path) -> dict[str, Ticket]:
    tickets = {}
    for row in csv.DictReader(io.StringIO(read_text(path, path.name))):
        closed = row.get("ferme_le", "").strip()
        remaining = row.get("reste", "").strip()
        tickets[row["id"]] = Ticket(row["id"], row["statut"].strip(), as_date(row["debut_prevu"], path.name, "debut_prevu"),
                                    as_date(row["echeance"], path.name, "echeance"),
                                    as_date(closed, path.name, "ferme_le") if closed else None,
                                    int(remaining) if remaining else None)
    return tickets


def first_commits(log_text: str) -> dict[str, dt.date]:
    """Per task, the date of the first commit naming it, from `git log --date=iso-strict` output."""
    started: dict[str, dt.date] = {}
    date = None
    for line in log_text.splitlines():
        if line.startswith("Date:"):
            date = dt.datetime.fromisoformat(line[5:].strip()).date()
        elif line.startswith("    ") and date is not None:
            for task in TICKET_REF.findall(line):
                started[task] = min(date, started.get(task, date))
    return started


def project_state(tracker: Path, git_log: Path, date: dt.date) -> State:
    tickets = load_tracker(tracker)
    started = first_commits(read_text(git_log, git_log.name))
    state = State(date, tickets, started)
    for ticket in tickets.values():
        if ticket.closed and ticket.closed <= date:
            if ticket.closed > ticket.due:
                state.late[ticket.id] = "closed-late"
        elif ticket.due <= date:
            state.late[ticket.id] = "overdue"
        elif ticket.id not in started and ticket.planned_start <= date:
            state.late[ticket.id] = "not-started"
    return state


def burndown(state: State, backlog: Backlog, team: Team) -> dict[dt.date, int]:
    closed = [(t.closed, backlog.tasks[t.id].estimate) for t in state.tickets.values() if t.closed and t.id in backlog.tasks]
    return {day: backlog.total - sum(e for c, e in closed if c <= day)
            for day in team.workdays_between(team.start, state.date)}


def remaining_work(state: State, backlog: Backlog) -> dict[str, int]:
    """What a re-plan must still schedule: every task not closed, for its remaining estimate."""
    need = {}
    for task in backlog.tasks.values():
        ticket = state.tickets.get(task.id)
        if ticket and ticket.closed and ticket.closed <= state.date:
            continue
        need[task.id] = ticket.remaining if ticket and ticket.remaining is not None else task.estimate
    return need


def recipients(task_id: str, backlog: Backlog, team: Team, critical: set[str]) -> set[str]:
    """The stakeholders a delay on `task_id` must be reported to."""
    task = backlog.tasks[task_id]
    wanted = set()
    for who in team.stakeholders:
        rule = who.when
        if rule == "toujours" or (rule == "chemin-critique" and task_id in critical) \
                or (rule.startswith("theme:") and rule[6:] in task.themes):
            wanted.add(who.id)
    return wanted


@dataclass
class Report:
    date: dt.date | None
    burndown: dict[dt.date, float]
    delays: dict[str, set[str]]          # task -> stakeholder ids to alert
    picture: bool = False


def read_report(path: Path, shown: str, team: Team) -> Report:
    """The learner's `avancement.toml` (or .yaml): date_point, [[burndown]] date/reste, [[retards]] tache/alerter."""
    data = load_mapping(path, shown)
    points: dict[dt.date, float] = {}
    for row in _rows(data, "burndown", shown):
        if not isinstance(row.get("reste"), (int, float)) or isinstance(row.get("reste"), bool):
            raise PlanError(N_("burndown: each point takes date and reste (a number)"), shown)
        points[as_date(row.get("date"), shown, "burndown.date")] = float(row["reste"])
    delays: dict[str, set[str]] = {}
    for row in _rows(data, "retards", shown):
        task, alert = row.get("tache"), row.get("alerter", [])
        if not isinstance(task, str) or not isinstance(alert, list) or not all(isinstance(a, str) for a in alert):
            raise PlanError(N_("retards: each delay takes tache (an id) and alerter (a list of stakeholder ids)"), shown)
        ids = {_stakeholder(team, a) for a in alert}
        delays.setdefault(task, set()).update(ids)
    date = as_date(data["date_point"], shown, "date_point") if "date_point" in data else None
    return Report(date, points, delays)


def _rows(data: dict, key: str, shown: str) -> list[dict]:
    rows = data.get(key, [])
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows) or len(rows) > 1000:
        raise PlanError(N_("{key}: expected a list of tables"), shown, key=key)
    return rows


def _stakeholder(team: Team, name: str) -> str:
    wanted = name.strip().casefold()
    for who in team.stakeholders:
        if wanted in (who.id.casefold(), who.name.casefold()):
            return who.id
    return name.strip()
