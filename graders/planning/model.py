"""The data a planning lab ships (backlog, team) and the plans learners write, once parsed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

WEEKDAYS = {"lundi": 0, "mardi": 1, "mercredi": 2, "jeudi": 3, "vendredi": 4, "samedi": 5, "dimanche": 6}


class PlanError(ValueError):
    """A deliverable that cannot be read: `message` (a msgid, formatted with `params`) says why, `line`
    where (1-based) when known. `str()` is the English text; `translated(_)` the learner's language."""

    def __init__(self, message: str, path: str | None = None, line: int | None = None, **params):
        super().__init__(message.format(**params) if params else message)
        self.message, self.path, self.line, self.params = message, path, line, params

    def translated(self, _) -> str:
        text = _(self.message)
        return text.format(**self.params) if self.params else text


@dataclass(frozen=True)
class Task:
    id: str
    title: str
    estimate: int                    # person-days, one person per task
    depends_on: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()     # "securite", "rgpd"...: who must hear of its delays
    requirements: tuple[str, ...] = ()


@dataclass(frozen=True)
class Stakeholder:
    id: str
    name: str
    when: str                        # "toujours" | "chemin-critique" | "theme:<theme>"


@dataclass
class Team:
    start: dt.date
    deadline: dt.date
    members: dict[str, str]          # id -> name
    stakeholders: list[Stakeholder]
    workdays: frozenset[int] = frozenset(range(5))

    def is_workday(self, day: dt.date) -> bool:
        return day.weekday() in self.workdays

    def workdays_between(self, first: dt.date, last: dt.date) -> list[dt.date]:
        """The working days from `first` to `last`, both included."""
        days, day = [], first
        while day <= last and len(days) < 5000:
            if self.is_workday(day):
                days.append(day)
            day += dt.timedelta(days=1)
        return days

    def next_workday(self, day: dt.date) -> dt.date:
        day += dt.timedelta(days=1)
        while not self.is_workday(day):
            day += dt.timedelta(days=1)
        return day

    def member_id(self, name: str) -> str | None:
        """A member named by id or full name (case-insensitive)."""
        wanted = name.strip().casefold()
        for member_id, full in self.members.items():
            if wanted in (member_id.casefold(), full.casefold()):
                return member_id
        return None


@dataclass
class Backlog:
    tasks: dict[str, Task]

    @property
    def total(self) -> int:
        return sum(t.estimate for t in self.tasks.values())


@dataclass
class Slot:
    """One task of a dated plan: the working days it occupies, who does it."""

    id: str
    days: list[dt.date]
    who: str | None = None
    line: int | None = None

    @property
    def first(self) -> dt.date | None:
        return self.days[0] if self.days else None

    @property
    def last(self) -> dt.date | None:
        return self.days[-1] if self.days else None


@dataclass
class Sprint:
    number: int
    start: dt.date
    end: dt.date
    tasks: list[str]
    line: int | None = None


@dataclass
class Plan:
    """A dated plan (Gantt: `slots`) or a sprint plan (`sprints`); `source` names the file."""

    source: str
    slots: list[Slot] = field(default_factory=list)
    sprints: list[Sprint] = field(default_factory=list)

    @property
    def kind(self) -> str:
        return "sprints" if self.sprints else "gantt"

    def task_ids(self) -> list[str]:
        if self.sprints:
            return [t for s in self.sprints for t in s.tasks]
        return [s.id for s in self.slots]
