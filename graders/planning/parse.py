"""Reading the lab's data (trusted) and the learner's plans (untrusted data: strict, size-capped).

Accepted plan formats, one file per plan, named `<stem>.<ext>`:
- `.mmd` — a Mermaid gantt chart (`mermaid_gantt.py`); a section named after a team member
  (id or full name) assigns its tasks to that member;
- `.toml`, `.yaml`/`.yml` — a Gantt as data, `[[taches]]` with `id`, `debut`, `fin` (last working
  day, included) and optional `responsable`; or a sprint plan, `[[sprints]]` with `numero`, `debut`,
  `fin` and `taches` (ids);
- `.csv` — a Gantt as data: a header `id,debut,fin[,responsable]`, one task a line.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import tomllib
from pathlib import Path

import yaml

from graders.i18n import N_
from graders.planning.mermaid_gantt import parse_gantt
from graders.planning.model import WEEKDAYS, Backlog, Plan, PlanError, Slot, Sprint, Stakeholder, Task, Team

MAX_BYTES = 256 * 1024
PLAN_SUFFIXES = (".mmd", ".toml", ".yaml", ".yml", ".csv")


def read_text(path: Path, shown: str) -> str:
    if path.is_symlink() or not path.is_file():
        raise PlanError(N_("not a regular file"), shown)
    if path.stat().st_size > MAX_BYTES:
        raise PlanError(N_("larger than {kb} KB"), shown, kb=MAX_BYTES // 1024)
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise PlanError(N_("not UTF-8 text"), shown) from None


def load_mapping(path: Path, shown: str) -> dict:
    """A TOML or YAML file as a dict (YAML with the safe loader: no object tags)."""
    text = read_text(path, shown)
    try:
        data = tomllib.loads(text) if path.suffix == ".toml" else yaml.safe_load(text)
    except tomllib.TOMLDecodeError as exc:
        raise PlanError(N_("invalid TOML: {error}"), shown, error=str(exc)[:200]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise PlanError(N_("invalid YAML: {error}"), shown, mark.line + 1 if mark else None,
                        error=str(getattr(exc, "problem", None) or exc)[:200]) from None
    if not isinstance(data, dict):
        raise PlanError(N_("expected a table of keys at the top"), shown)
    return data


def as_date(value, shown: str, what: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise PlanError(N_("{what}: not a YYYY-MM-DD date: {text}"), shown, what=what, text=str(value)[:40])


def _str_list(value, shown: str, what: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise PlanError(N_("{what}: expected a list of strings"), shown, what=what)
    return tuple(value)


def load_backlog(path: Path) -> Backlog:
    data = load_mapping(path, path.name)
    tasks = {}
    for item in data.get("taches", []):
        task = Task(id=item["id"], title=item["titre"], estimate=int(item["estimation"]),
                    depends_on=tuple(item.get("dependances", [])), themes=tuple(item.get("themes", [])),
                    requirements=tuple(item.get("exigences", [])))
        tasks[task.id] = task
    for task in tasks.values():
        unknown = [d for d in task.depends_on if d not in tasks]
        if unknown:
            raise PlanError(f"{task.id} depends on unknown tasks {unknown}", path.name)
    return Backlog(tasks)


def load_team(path: Path) -> Team:
    data = load_mapping(path, path.name)
    return Team(
        start=as_date(data["debut"], path.name, "debut"), deadline=as_date(data["echeance"], path.name, "echeance"),
        members={m["id"]: m["nom"] for m in data["membres"]},
        stakeholders=[Stakeholder(s["id"], s["nom"], s["alerter"]) for s in data.get("parties_prenantes", [])],
        workdays=frozenset(WEEKDAYS[d] for d in data.get("jours_ouvres", list(WEEKDAYS)[:5])))


def find_plan(folder: Path, stem: str) -> Path | None:
    """The one plan file `<stem>.<ext>`; PlanError when there are several."""
    found = [folder / f"{stem}{s}" for s in PLAN_SUFFIXES if (folder / f"{stem}{s}").exists()]
    if len(found) > 1:
        raise PlanError(N_("several plans: keep one of {files}"), stem, files=", ".join(p.name for p in found))
    return found[0] if found else None


def read_plan(path: Path, shown: str, team: Team) -> Plan:
    if path.suffix == ".mmd":
        return _from_gantt(read_text(path, shown), shown, team)
    if path.suffix == ".csv":
        return _from_rows(_csv_rows(read_text(path, shown), shown), shown, team)
    data = load_mapping(path, shown)
    if "sprints" in data:
        return _from_sprints(data["sprints"], shown)
    if "taches" not in data:
        raise PlanError(N_("expected [[taches]] (a Gantt) or [[sprints]] (a sprint plan)"), shown)
    return _from_rows(data["taches"], shown, team)


def _csv_rows(text: str, shown: str) -> list[dict]:
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in (reader.fieldnames or [])]
    if header[:3] != ["id", "debut", "fin"] or not set(header) <= {"id", "debut", "fin", "responsable"}:
        raise PlanError(N_("the CSV header must be id,debut,fin[,responsable]"), shown, 1)
    rows = []
    for row in reader:
        if None in row or any(v is None for v in row.values()):
            raise PlanError(N_("a line has a different number of fields than the header"), shown, reader.line_num)
        rows.append({k.strip(): v.strip() for k, v in row.items() if v is not None and v.strip()})
    return rows


def _from_rows(rows, shown: str, team: Team) -> Plan:
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        raise PlanError(N_("taches: expected a list of tables"), shown)
    plan = Plan(shown)
    for number, row in enumerate(rows, 1):
        unknown = set(row) - {"id", "debut", "fin", "responsable", "titre"}
        if unknown or not isinstance(row.get("id"), str):
            raise PlanError(N_("task {number}: expected id, debut, fin[, responsable] (got {keys})"), shown, number=number, keys=", ".join(sorted(map(str, row)))[:120])
        first, last = as_date(row.get("debut"), shown, row["id"]), as_date(row.get("fin"), shown, row["id"])
        if last < first:
            raise PlanError(N_("{task}: ends before it starts"), shown, task=row["id"][:40])
        who = row.get("responsable")
        plan.slots.append(Slot(row["id"], team.workdays_between(first, last),
                               who=str(who) if who is not None else None))
    return plan


def _from_gantt(text: str, shown: str, team: Team) -> Plan:
    plan = Plan(shown)
    for task in parse_gantt(text, shown):
        if task.id is None:
            raise PlanError(N_("task {text} has no id: write `{text} :T01, <start>, <end>`"), shown, task.line, text=task.label[:80])
        if "milestone" in task.tags:
            continue
        who = team.member_id(task.section) if task.section else None
        last = task.end - dt.timedelta(days=1)
        plan.slots.append(Slot(task.id, team.workdays_between(task.start, last), who=who, line=task.line))
    return plan


def _from_sprints(rows, shown: str) -> Plan:
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows) or not rows:
        raise PlanError(N_("sprints: expected a list of tables"), shown)
    plan = Plan(shown)
    for row in rows:
        if set(row) - {"numero", "debut", "fin", "taches", "objectif"} or not isinstance(row.get("numero"), int):
            raise PlanError(N_("a sprint takes numero, debut, fin, taches[, objectif]"), shown)
        plan.sprints.append(Sprint(row["numero"], as_date(row.get("debut"), shown, "debut"),
                                   as_date(row.get("fin"), shown, "fin"),
                                   list(_str_list(row.get("taches", []), shown, "taches"))))
    return plan
