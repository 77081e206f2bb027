"""Worked example of C4 (course/competences/c4.md): the "avis de retard" batch, planned and followed up.

Files of course/exemples/c4/: backlog.toml, equipe.toml, planning.mmd, chemin-critique.toml,
tickets.csv, git-log.txt, avancement.toml, replanification.toml. They are read and judged with the
planning code of the lab c4-planifier-suivre (graders/planning/): the plan and the re-plan break no
constraint, the critical path is the computed one, the progress report finds exactly the real
delays and alerts the right people; a task moved before the end of its dependency is caught.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from graders.planning.followup import burndown, project_state, read_report, recipients, remaining_work
from graders.planning.parse import load_backlog, load_mapping, load_team, read_plan
from graders.planning.rules import check_plan, critical_paths

EXAMPLE = Path(__file__).resolve().parents[2] / "course" / "exemples" / "c4"
POINT = dt.date(2027, 3, 5)


def data():
    return load_backlog(EXAMPLE / "backlog.toml"), load_team(EXAMPLE / "equipe.toml")


def test_the_plan_breaks_no_constraint_and_names_the_critical_path():
    backlog, team = data()
    plan = read_plan(EXAMPLE / "planning.mmd", "planning.mmd", team)
    need = {t.id: t.estimate for t in backlog.tasks.values()}
    assert check_plan(plan, backlog, team, need, team.start) == []
    assert max(slot.last for slot in plan.slots) == dt.date(2027, 3, 11)  # one day of margin
    length, paths = critical_paths(backlog)
    declared = load_mapping(EXAMPLE / "chemin-critique.toml", "chemin-critique.toml")
    assert declared["taches"] in paths and declared["duree"] == length == 9


def test_a_task_moved_before_its_dependency_is_caught(tmp_path):
    backlog, team = data()
    text = (EXAMPLE / "planning.mmd").read_text(encoding="utf-8")
    moved = text.replace(":crit, T04, after T02, 2d", ":crit, T04, 2027-03-04, 2d")
    assert moved != text
    (tmp_path / "planning.mmd").write_text(moved, encoding="utf-8")
    plan = read_plan(tmp_path / "planning.mmd", "planning.mmd", team)
    need = {t.id: t.estimate for t in backlog.tasks.values()}
    broken = check_plan(plan, backlog, team, need, team.start)
    assert ("dependency", "T04") in {(v.rule, v.task) for v in broken}


def test_the_progress_report_matches_the_projects_state():
    backlog, team = data()
    state = project_state(EXAMPLE / "tickets.csv", EXAMPLE / "git-log.txt", POINT)
    assert state.late == {"T01": "closed-late", "T02": "overdue"}
    report = read_report(EXAMPLE / "avancement.toml", "avancement.toml", team)
    assert report.date == POINT
    assert report.burndown == {day: float(rest) for day, rest in burndown(state, backlog, team).items()}
    critical = set(critical_paths(backlog)[1][0])
    assert report.delays == {task: recipients(task, backlog, team, critical) for task in state.late}
    assert recipients("T03", backlog, team, critical) == {"cheffe-de-projet", "dpo"}  # had T03 been late


def test_the_replan_keeps_the_deadline():
    backlog, team = data()
    state = project_state(EXAMPLE / "tickets.csv", EXAMPLE / "git-log.txt", POINT)
    need = remaining_work(state, backlog)
    assert need == {"T02": 1, "T04": 2, "T05": 2}
    replan = read_plan(EXAMPLE / "replanification.toml", "replanification.toml", team)
    assert check_plan(replan, backlog, team, need, team.next_workday(POINT)) == []
