"""A strict reader of Mermaid `gantt` charts (the subset a project plan needs), with Mermaid's semantics.

Accepted: `gantt`, `dateFormat YYYY-MM-DD` (the only date format read), `title`, `axisFormat`,
`tickInterval`, `todayMarker`, `weekday`, `displayMode`, `accTitle`, `accDescr`, `topAxis`,
`inclusiveEndDates`, `excludes` (`weekends`, weekday names, dates), `section`, `click`, `%%` comments
and tasks. A task is `Label : [tags,] [id,] start, end` as in Mermaid: tags among `active`, `done`,
`crit`, `milestone`; with three items the first is the id; start is a date or `after id [id...]`;
end is a date (exclusive, as Mermaid draws it, unless `inclusiveEndDates`), a duration (`3d`, `1w`)
or `until id`. With `excludes`, a duration counts only the days not excluded, as Mermaid extends the bar.
Anything else is an error naming its line: a chart Mermaid would not draw is not a plan.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from graders.i18n import N_
from graders.planning.model import WEEKDAYS, PlanError

ENGLISH_DAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}
IGNORED = ("title", "axisFormat", "tickInterval", "todayMarker", "weekday", "displayMode", "accTitle",
           "accDescr", "topAxis", "click", "includes")
TAGS = {"active", "done", "crit", "milestone"}
DURATION = re.compile(r"^(\d+(?:\.\d+)?)\s*(d|w)$")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MAX_TASKS = 500


@dataclass
class GanttTask:
    id: str | None
    label: str
    section: str | None
    start: dt.date
    end: dt.date          # exclusive
    line: int
    tags: tuple[str, ...]


def _date(text: str, path: str, line: int) -> dt.date:
    if not DATE.match(text):
        raise PlanError(N_("not a YYYY-MM-DD date: {text}"), path, line, text=text)
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise PlanError(N_("not a valid date: {text}"), path, line, text=text) from None


class _Chart:
    def __init__(self, path: str):
        self.path = path
        self.weekends = False
        self.excluded_days: set[int] = set()
        self.excluded_dates: set[dt.date] = set()
        self.inclusive_end = False
        self.tasks: list[GanttTask] = []
        self.raw: list[tuple] = []
        self.by_id: dict[str, GanttTask] = {}

    def excluded(self, day: dt.date) -> bool:
        return (self.weekends and day.weekday() >= 5) or day.weekday() in self.excluded_days \
            or day in self.excluded_dates

    def add_days(self, start: dt.date, count: float) -> dt.date:
        """The exclusive end of a bar of `count` days from `start`, excluded days not counted."""
        whole = int(count) + (1 if count != int(count) else 0)
        day, counted = start, 0
        for _ in range(20000):
            if counted >= whole:
                return day
            if not self.excluded(day):
                counted += 1
            day += dt.timedelta(days=1)
        raise PlanError(N_("a task lasts too long"), self.path)

    def task(self, text: str, section: str | None, line: int) -> None:
        label, _, meta = text.partition(":")
        items = [i.strip() for i in meta.split(",")]
        if not label.strip() or not meta.strip() or any(not i for i in items):
            raise PlanError(N_("not a gantt task: {text}"), self.path, line, text=text.strip()[:80])
        tags = []
        while items and items[0] in TAGS:
            tags.append(items.pop(0))
        if len(items) == 3:
            task_id, start_text, end_text = items
        elif len(items) == 2:
            task_id, (start_text, end_text) = None, items
        elif len(items) == 1:
            task_id, start_text, end_text = None, None, items[0]
        else:
            raise PlanError(N_("a task takes [tags,] [id,] start, end: {text}"), self.path, line, text=meta.strip()[:80])
        if task_id is not None and not re.fullmatch(r"[A-Za-z0-9_-]+", task_id):
            raise PlanError(N_("not a task id: {text}"), self.path, line, text=task_id[:40])
        self.raw.append((task_id, label.strip(), section, start_text, end_text, line, tuple(tags), text.strip()))
        if len(self.raw) > MAX_TASKS:
            raise PlanError(N_("more than {count} tasks"), self.path, line, count=MAX_TASKS)

    def resolve(self) -> None:
        """Dates of every task. As in Mermaid, `after`/`until` may name a task defined further down."""
        ids = [r[0] for r in self.raw if r[0]]
        for task_id in {i for i in ids if ids.count(i) > 1}:
            raise PlanError(N_("task id {text} defined twice"), self.path, text=task_id)
        pending = list(range(len(self.raw)))
        done: dict[int, GanttTask] = {}
        while pending:
            progressed = False
            for index in list(pending):
                task = self._dates(index, done)
                if task is not None:
                    done[index] = task
                    if task.id:
                        self.by_id[task.id] = task
                    pending.remove(index)
                    progressed = True
            if not progressed:
                raw = self.raw[pending[0]]
                raise PlanError(N_("cannot date {text}: a cycle of `after` or `until`"), self.path, raw[5], text=raw[1][:80])
        self.tasks = [done[i] for i in range(len(self.raw))]

    def _refs(self, text: str, line: int) -> list[GanttTask] | None:
        refs = text.split()[1:]
        if not refs:
            raise PlanError(N_("`{text}` names no task"), self.path, line, text=text.split()[0])
        for r in refs:
            if not any(raw[0] == r for raw in self.raw):
                raise PlanError(N_("unknown task id {text}"), self.path, line, text=r[:40])
        if any(r not in self.by_id for r in refs):
            return None
        return [self.by_id[r] for r in refs]

    def _dates(self, index: int, done: dict[int, GanttTask]) -> GanttTask | None:
        task_id, label, section, start_text, end_text, line, tags, text = self.raw[index]
        if start_text is None:
            if index == 0:
                raise PlanError(N_("the first task needs a start date"), self.path, line)
            if index - 1 not in done:
                return None
            start = done[index - 1].end
        elif start_text.startswith("after "):
            refs = self._refs(start_text, line)
            if refs is None:
                return None
            start = max(r.end for r in refs)
        else:
            start = _date(start_text, self.path, line)
        match = DURATION.match(end_text)
        if match:
            count = float(match.group(1)) * (7 if match.group(2) == "w" else 1)
            end = self.add_days(start, count)
        elif end_text.startswith("until "):
            refs = self._refs(end_text, line)
            if refs is None:
                return None
            end = min(r.start for r in refs)
        elif DATE.match(end_text):
            end = _date(end_text, self.path, line) + dt.timedelta(days=1 if self.inclusive_end else 0)
        else:
            raise PlanError(N_("not an end date nor a duration in days or weeks: {text}"), self.path, line, text=end_text[:40])
        if end < start:
            raise PlanError(N_("the task ends before it starts: {text}"), self.path, line, text=text[:80])
        return GanttTask(task_id, label, section, start, end, line, tags)


def parse_gantt(text: str, path: str = "planning.mmd") -> list[GanttTask]:
    """The tasks of a Mermaid gantt chart, or PlanError naming the first line Mermaid would refuse."""
    chart = _Chart(path)
    lines = text.splitlines()
    number, started, section, date_format = 0, False, None, None
    if lines and lines[0].strip() == "---":  # front matter (configuration): skipped to its end
        for number in range(1, len(lines)):
            if lines[number].strip() == "---":
                break
        else:
            raise PlanError(N_("front matter not closed by ---"), path, 1)
        number += 1
    for index in range(number, len(lines)):
        line_no, stripped = index + 1, lines[index].strip()
        if not stripped or stripped.startswith("%%"):
            continue
        if not started:
            if stripped != "gantt":
                raise PlanError(N_("a Mermaid gantt chart starts with `gantt`"), path, line_no)
            started = True
            continue
        keyword, _, rest = stripped.partition(" ")
        rest = rest.strip()
        if keyword == "dateFormat":
            if rest != "YYYY-MM-DD":
                raise PlanError(N_("dateFormat {text}: write dates as YYYY-MM-DD"), path, line_no, text=rest[:40])
            date_format = rest
        elif keyword == "inclusiveEndDates":
            chart.inclusive_end = True
        elif keyword == "excludes":
            for item in (i.strip().lower() for i in rest.replace(",", " ").split()):
                if item == "weekends":
                    chart.weekends = True
                elif item in ENGLISH_DAYS or item in WEEKDAYS:
                    chart.excluded_days.add(ENGLISH_DAYS.get(item, WEEKDAYS.get(item)))
                else:
                    chart.excluded_dates.add(_date(item, path, line_no))
        elif keyword == "section":
            section = rest or None
        elif keyword in IGNORED or keyword.startswith("accDescr"):
            continue
        elif ":" in stripped:
            if date_format is None:
                raise PlanError(N_("dateFormat YYYY-MM-DD must come before the tasks"), path, line_no)
            chart.task(stripped, section, line_no)
        else:
            raise PlanError(N_("not a gantt statement: {text}"), path, line_no, text=stripped[:80])
    if not started:
        raise PlanError(N_("empty chart: a Mermaid gantt chart starts with `gantt`"), path, 1)
    chart.resolve()
    return chart.tasks
