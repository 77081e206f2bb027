"""Plans as data (graders/planning): the Mermaid gantt reader, the other formats, the constraints,
the critical path and the mid-term follow-up, on the c4-planifier-suivre lab's own data."""

import datetime as dt
from pathlib import Path

import pytest

from graders.planning.followup import burndown, project_state, recipients, remaining_work
from graders.planning.mermaid_gantt import parse_gantt
from graders.planning.model import PlanError
from graders.planning.parse import load_backlog, load_team, read_plan
from graders.planning.rules import check_plan, critical_paths

LAB = Path(__file__).resolve().parent.parent / "labs" / "c4-planifier-suivre"
DATA = LAB / "starter" / "donnees"
BACKLOG, TEAM = load_backlog(DATA / "backlog.toml"), load_team(DATA / "equipe.toml")
NEED = {t.id: t.estimate for t in BACKLOG.tasks.values()}
SOLUTION_GANTT = (LAB / "solution" / "plan" / "planning.mmd").read_text(encoding="utf-8")


def plan_of(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return read_plan(path, name, TEAM)


def write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def rules_broken(plan, need=NEED, earliest=TEAM.start):
    return sorted({v.rule for v in check_plan(plan, BACKLOG, TEAM, need, earliest)})


def test_solution_gantt_meets_every_constraint(tmp_path):
    plan = plan_of(tmp_path, "planning.mmd", SOLUTION_GANTT)
    assert len(plan.slots) == 13 and rules_broken(plan) == []
    t06 = next(s for s in plan.slots if s.id == "T06")
    assert (t06.first, t06.last, t06.who) == (dt.date(2027, 1, 13), dt.date(2027, 1, 19), "ines")


def test_moving_a_task_before_its_dependency_is_a_dependency_violation(tmp_path):
    moved = SOLUTION_GANTT.replace(":crit, T07, after T06, 3d", ":crit, T07, 2027-01-18, 3d")
    assert moved != SOLUTION_GANTT
    broken = check_plan(plan_of(tmp_path, "planning.mmd", moved), BACKLOG, TEAM, NEED, TEAM.start)
    assert [(v.rule, v.task, v.params["dep"]) for v in broken if v.rule == "dependency"] == [("dependency", "T07", "T06")]


def test_mermaid_semantics_weekends_exclusive_ends_and_forward_references():
    tasks = parse_gantt("gantt\n dateFormat YYYY-MM-DD\n excludes weekends\n"
                        " B :b, after a, 2d\n A :a, 2027-01-07, 2d\n C :c, 2027-01-04, 2027-01-06\n"
                        " D :2d\n")
    by_id = {t.id: t for t in tasks}
    assert by_id["a"].end == dt.date(2027, 1, 9)          # Thu, Fri: the bar ends at Saturday 00:00
    assert (by_id["b"].start, by_id["b"].end) == (dt.date(2027, 1, 9), dt.date(2027, 1, 13))  # Mon, Tue
    assert by_id["c"].end == dt.date(2027, 1, 6)          # an end date is excluded
    assert tasks[3].id is None and tasks[3].start == by_id["c"].end   # no start: after the previous line
    inclusive = parse_gantt("gantt\ndateFormat YYYY-MM-DD\ninclusiveEndDates\nC :c, 2027-01-04, 2027-01-06\n")
    assert inclusive[0].end == dt.date(2027, 1, 7)


@pytest.mark.parametrize("text, line, words", [
    ("graph TD\n", 1, "starts with `gantt`"),
    ("gantt\ndateFormat DD-MM-YYYY\n", 2, "YYYY-MM-DD"),
    ("gantt\ndateFormat YYYY-MM-DD\nA :a, 2027-02-30, 2d\n", 3, "not a valid date"),
    ("gantt\ndateFormat YYYY-MM-DD\nA :a, after zz, 2d\n", 3, "unknown task id zz"),
    ("gantt\ndateFormat YYYY-MM-DD\nA :a, after b, 2d\nB :b, after a, 2d\n", 3, "cycle"),
    ("gantt\ndateFormat YYYY-MM-DD\nA :a, 2027-01-04, 3h\n", 3, "duration in days or weeks"),
    ("gantt\ndateFormat YYYY-MM-DD\nsome words\n", 3, "not a gantt statement"),
    ("gantt\nA :a, 2027-01-04, 2d\n", 2, "dateFormat"),
])
def test_mermaid_errors_name_their_line(text, line, words):
    with pytest.raises(PlanError) as caught:
        parse_gantt(text)
    assert caught.value.line == line and words in str(caught.value)


SLOTS = [(s.id, s.first, s.last, s.who) for s in read_plan(LAB / "solution" / "plan" / "planning.mmd", "p", TEAM).slots]


def test_toml_yaml_and_csv_plans_read_like_the_gantt(tmp_path):
    toml = "".join(f'[[taches]]\nid = "{i}"\ndebut = {a}\nfin = {b}\nresponsable = "{w}"\n' for i, a, b, w in SLOTS)
    yaml = "taches:\n" + "".join(f"  - {{id: {i}, debut: {a}, fin: {b}, responsable: {w}}}\n" for i, a, b, w in SLOTS)
    csv = "id,debut,fin,responsable\n" + "".join(f"{i},{a},{b},{w}\n" for i, a, b, w in SLOTS)
    for name, text in (("p.toml", toml), ("p.yaml", yaml), ("p.csv", csv)):
        plan = plan_of(tmp_path, name, text)
        assert [(s.id, s.first, s.last, s.who) for s in plan.slots] == SLOTS and rules_broken(plan) == []


def test_yaml_object_tags_and_oversized_files_are_refused(tmp_path):
    with pytest.raises(PlanError, match="invalid YAML"):
        plan_of(tmp_path, "p.yaml", "taches: !!python/object/apply:os.system ['true']\n")
    with pytest.raises(PlanError, match="larger than"):
        plan_of(tmp_path, "p.csv", "id,debut,fin\n" + "x" * 300_000)
    with pytest.raises(PlanError, match="header"):
        plan_of(tmp_path, "p.csv", "tache,debut,fin\nT01,2027-01-04,2027-01-06\n")


def test_capacity_duration_deadline_and_members(tmp_path):
    rows = dict((i, [a, b, w]) for i, a, b, w in SLOTS)
    rows["T05"][2] = "ines"                               # Inès on T02 and T05 on 12 January
    rows["T13"][1] = dt.date(2027, 2, 16)                 # after the deadline
    rows["T08"][1] = rows["T08"][0]                       # one day for two
    rows["T10"][2] = "zoe"
    text = "".join(f'[[taches]]\nid = "{i}"\ndebut = {a}\nfin = {b}\nresponsable = "{w}"\n' for i, (a, b, w) in rows.items())
    assert rules_broken(plan_of(tmp_path, "p.toml", text)) == ["deadline", "duration", "overbooked", "unknown-member"]


def test_sprint_plans(tmp_path):
    good = ('[[sprints]]\nnumero = 1\ndebut = 2027-01-04\nfin = 2027-01-15\ntaches = ["T01", "T02", "T04", "T05"]\n'
            '[[sprints]]\nnumero = 2\ndebut = 2027-01-18\nfin = 2027-01-29\ntaches = ["T03", "T06", "T07", "T10", "T12"]\n'
            '[[sprints]]\nnumero = 3\ndebut = 2027-02-01\nfin = 2027-02-15\ntaches = ["T08", "T09", "T11", "T13"]\n')
    assert rules_broken(plan_of(tmp_path, "p.toml", good)) == []
    swapped = good.replace('"T01", "T02", "T04", "T05"', '"T01", "T04", "T05", "T06"').replace('"T03", "T06"', '"T03", "T02"')
    assert "dependency" in rules_broken(plan_of(tmp_path, "p.toml", swapped))
    crowded = good.replace('"T08", "T09", "T11", "T13"', '"T08", "T11", "T13"').replace('"T10", "T12"', '"T10", "T12", "T09"')
    assert rules_broken(plan_of(tmp_path, "p.toml", crowded)) == ["sprint-chain"]   # T06, T07, T09: 12 days


def test_critical_path_of_the_backlog_and_ties():
    assert critical_paths(BACKLOG) == (26, [["T01", "T02", "T06", "T07", "T09", "T11", "T13"]])
    from graders.planning.model import Backlog, Task
    tie = Backlog({"a": Task("a", "a", 2), "b": Task("b", "b", 3, ("a",)), "c": Task("c", "c", 3, ("a",))})
    assert critical_paths(tie) == (5, [["a", "b"], ["a", "c"]])


def test_mid_term_state_from_the_tracker_and_the_git_log():
    state = project_state(DATA / "mi-parcours" / "tickets.csv", DATA / "mi-parcours" / "git-log.txt", dt.date(2027, 1, 22))
    assert state.late == {"T01": "closed-late", "T02": "closed-late", "T03": "overdue", "T06": "overdue",
                          "T07": "overdue", "T10": "overdue", "T12": "not-started"}
    assert "T04" not in state.late            # started a day late, closed on time
    assert state.started["T06"] == dt.date(2027, 1, 15)
    points = burndown(state, BACKLOG, TEAM)
    assert (points[dt.date(2027, 1, 4)], points[dt.date(2027, 1, 13)], points[dt.date(2027, 1, 22)]) == (41, 33, 29)
    critical = set(critical_paths(BACKLOG)[1][0])
    assert recipients("T03", BACKLOG, TEAM, critical) == {"cheffe-de-projet", "rssi"}
    assert recipients("T06", BACKLOG, TEAM, critical) == {"cheffe-de-projet", "commanditaire"}
    assert remaining_work(state, BACKLOG)["T06"] == 2 and "T01" not in remaining_work(state, BACKLOG)


def test_the_course_worked_example_and_the_gantt_template_are_valid_plans(tmp_path):
    example = LAB.parent.parent / "course" / "exemples" / "c4"  # the C4 page's worked example
    team, backlog = load_team(example / "equipe.toml"), load_backlog(example / "backlog.toml")
    plan = read_plan(example / "planning.mmd", "planning.mmd", team)
    assert check_plan(plan, backlog, team, {t: backlog.tasks[t].estimate for t in backlog.tasks}, team.start) == []
    assert critical_paths(backlog) == (9, [["T01", "T02", "T04", "T05"]])
    template = (LAB.parent.parent / "course" / "modeles" / "planning-gantt.mmd").read_text(encoding="utf-8")
    assert [t.id for t in parse_gantt(template)] == ["T01", "T02", "T03", "T04", "M1"]
