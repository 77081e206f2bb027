"""nbgrader's own semantics on a notebook written by the book: nbgrader's documentation course.

The notebook is nbgrader's documentation example, `ps1/problem1.ipynb`, read from the installed
nbgrader package (docs/source/user_guide): autograded answer cells, autograder test cells with
`"locked": false` (nbgrader locks grade cells whatever that flag says), manually graded answer
cells (`"grade": true, "solution": true`) and a task cell. The lab around it is built in a temporary
folder with the assignment copied as it stands, under its own name ("ps1"), unlike the lab id.
"""

from __future__ import annotations

import copy
import csv
import os
import shutil
import sys
from pathlib import Path

import nbformat
import nbgrader
import pytest

from graders.engine import grade
from graders.errors import BadInput
from graders.labs import load_lab
from graders.notebooks.sourcebook import build_book
from graders.notebooks.tampering import detect, parse_notebook
from tests.helpers import run_cda

USER_GUIDE = Path(nbgrader.__file__).parent / "docs" / "source" / "user_guide"
PS1 = USER_GUIDE / "source" / "ps1"
NB = "problem1.ipynb"
LAB_ID = "nb-ps1-import"
AUTO = ["correct_squares", "squares_invalid_input", "correct_sum_of_squares", "sum_of_squares_uses_squares"]
MANUAL = ["sum_of_squares_equation", "sum_of_squares_application"]  # grade + solution, 1 and 2 points
TASK = "cell-938593c4a215c6cc"  # 4 points
LAB_TOML = """
id = "{id}"
title = "ps1, le cours d'exemple de la documentation de nbgrader"
kind = "notebook"
competences = ["C3"]

[[checks]]
id = "tests-automatiques"
kind = "nbgrader"
points = {auto}
criteria = ["C3.1"]
[checks.options]
notebook = "problem1.ipynb"
source = "ps1"
assignment = "ps1"
cells = ["correct_*", "squares_invalid_input", "sum_of_squares_uses_squares"]

[[checks]]
id = "a-corriger"
kind = "nbgrader"
points = 7
competences = ["C9"]
criteria = ["C9.4"]
[checks.options]
notebook = "problem1.ipynb"
source = "ps1"
assignment = "ps1"
cells = ["sum_of_squares_equation", "sum_of_squares_application", "cell-*"]
"""


def make_lab(base: Path, auto_points: float = 3):
    folder = base / LAB_ID
    shutil.copytree(PS1, folder / "ps1")
    (folder / "lab.toml").write_text(LAB_TOML.format(id=LAB_ID, auto=auto_points), encoding="utf-8")
    return load_lab(folder)


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    return make_lab(tmp_path_factory.mktemp("labs"))


@pytest.fixture(scope="module")
def book():
    return build_book(PS1 / NB)


def submit(nb, folder: Path) -> Path:
    folder.mkdir(parents=True)
    nbformat.write(nb, str(folder / NB))
    return folder


def cells_by_id(nb):
    return {c.metadata["nbgrader"]["grade_id"]: c for c in nb.cells if "grade_id" in c.metadata.get("nbgrader", {})}


def test_the_source_is_nbgraders_documentation_notebook(book):
    meta = {c.name: c.nbgrader for c in book.cells}
    assert meta["correct_squares"]["grade"] and meta["correct_squares"]["locked"] is False
    assert meta["sum_of_squares_application"]["grade"] and meta["sum_of_squares_application"]["solution"]
    assert meta[TASK]["task"] and meta[TASK]["points"] == 4
    assert book.max_score == 10  # 3 autograded + 3 manually graded + 4 for the task


def test_a_notebook_written_by_the_book_raises_no_tampering(book):
    """nbgrader's released copy, its starter, its solution and the documentation's honest learner."""
    for nb in (book.released, book.solution_notebook(),
               parse_notebook((USER_GUIDE / "release" / "ps1" / NB).read_bytes()),
               parse_notebook((USER_GUIDE / "submitted" / "hacker" / "ps1" / NB).read_bytes())):
        assert detect(nb, book) == []
    # The documentation's other learner commented out two test cells: that, and only that, is found.
    bitdiddle = parse_notebook((USER_GUIDE / "submitted" / "bitdiddle" / "ps1" / NB).read_bytes())
    assert {(t.kind, t.grade_id) for t in detect(bitdiddle, book)} == {("rewritten", "correct_squares"),
                                                                          ("rewritten", "squares_invalid_input")}


def test_real_metadata_edits_are_still_caught_by_the_book(book):
    nb = copy.deepcopy(book.released)
    cells = cells_by_id(nb)
    cells["correct_squares"].metadata["nbgrader"]["solution"] = True  # a test turned into an answer
    cells["squares_invalid_input"].metadata["nbgrader"]["grade"] = False  # a test no longer graded (so unlocked)
    cells["jupyter"].metadata["nbgrader"]["locked"] = False  # a read-only cell unlocked
    cells[TASK].metadata["nbgrader"]["points"] = 40
    cells["sum_of_squares_equation"].metadata["nbgrader"]["task"] = True
    # Not edits in nbgrader's eyes: a grade cell is locked and an answer cell is not, whatever "locked" says.
    cells["correct_sum_of_squares"].metadata["nbgrader"]["locked"] = True
    cells["squares"].metadata["nbgrader"]["locked"] = True
    found = {(t.kind, t.grade_id, t.detail if t.kind == "metadata" else "") for t in detect(nb, book)}
    assert found == {("metadata", "correct_squares", "solution, locked"), ("metadata", "squares_invalid_input", "grade, locked"),
                     ("metadata", "jupyter", "locked"), ("points", TASK, ""),
                     ("metadata", "sum_of_squares_equation", "task")}


def test_manual_and_task_cells_await_the_trainer(lab, book, tmp_path):
    result = grade(lab, submit(book.solution_notebook(), tmp_path / "sub"), lang="en")
    auto, manual = result.checks
    assert [(t.name, t.status, t.score) for t in auto.tests] == [(name, "passed", t.max_score)
                                                                  for name, t in zip(AUTO, auto.tests)]
    assert auto.status == "passed" and auto.score == 3
    assert [(t.name, t.status, t.score, t.max_score) for t in manual.tests] == [
        (MANUAL[0], "pending", 0, 1), (MANUAL[1], "pending", 0, 2), (TASK, "pending", 0, 4)]
    assert manual.score == 0 and manual.max_score == 7 and manual.metrics["notebook_pending"] == 7
    assert "awaiting the trainer's grade: 7 pt" in manual.message and TASK in manual.message
    assert result.score == 3 and result.max_score == 10  # the task counts in the total
    assert {a.id: (a.score, a.max_score) for a in result.competences} == {"C3": (3, 3), "C9": (0, 7)}
    assert not [f for _, f in result.all_findings()]


def test_an_answer_left_as_released_scores_zero_as_in_nbgrader(lab, book, tmp_path):
    """nbgrader's determine_grade: an unchanged answer cell gets 0 without a grader; a task always waits."""
    result = grade(lab, submit(book.released, tmp_path / "sub"), lang="en")
    manual = {t.name: t for t in result.checks[1].tests}
    assert manual[MANUAL[0]].status == manual[MANUAL[1]].status == "failed"
    assert "No answer" in manual[MANUAL[0]].message
    assert manual[TASK].status == "pending" and result.checks[1].message.startswith("0/2 graded cells passed")
    assert result.score == 0 and result.max_score == 10
    assert not [f for _, f in result.all_findings() if f.rule == "notebook-tampering"]


def test_points_that_disagree_with_the_notebook_are_a_manifest_error(tmp_path):
    from graders.labs import Lab
    from graders.manifest import load_manifest

    with pytest.raises(BadInput) as caught:  # when the lab loads
        make_lab(tmp_path / "labs", auto_points=4)
    message = str(caught.value)
    assert LAB_ID in message and "tests-automatiques" in message and "= 4" in message and "worth 3" in message
    folder = tmp_path / "labs" / LAB_ID
    unchecked = Lab(folder, load_manifest(folder / "lab.toml"))  # a lab that skipped load_lab: the check stops
    with pytest.raises(BadInput, match=r"check 'tests-automatiques': points = 4, but .* worth 3"):
        grade(unchecked, submit(build_book(PS1 / NB).solution_notebook(), tmp_path / "sub"), lang="en")
    done = run_cda("grade", str(folder), str(tmp_path / "sub"))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.strip().count("\n") == 0 and "tests-automatiques" in done.stderr and "worth 3" in done.stderr


def test_one_lab_is_one_nbgrader_assignment(tmp_path):
    from graders.notebooks.assignment import assignment_of

    lab = make_lab(tmp_path / "labs")
    assert assignment_of(lab).name == "ps1" and assignment_of(lab).source == lab.path / "ps1"
    toml = lab.path / "lab.toml"
    toml.write_text(toml.read_text().replace('assignment = "ps1"', 'assignment = "ps2"', 1))
    with pytest.raises(BadInput, match="several assignments"):
        assignment_of(load_lab(lab.path))


def test_the_course_and_nbgraders_folders_use_the_assignment_name(lab, tmp_path):
    from graders.notebooks.cohort import cohort_submissions
    from graders.notebooks.course import ensure_course_source

    assert ensure_course_source(tmp_path / "course", [lab]) == ["ps1"]
    assert (tmp_path / "course" / "source" / "ps1" / NB).read_bytes() == (PS1 / NB).read_bytes()
    (tmp_path / "submitted" / "hacker" / "ps1").mkdir(parents=True)
    assert cohort_submissions(tmp_path / "submitted", "ps1") == {"hacker": tmp_path / "submitted" / "hacker" / "ps1"}


@pytest.fixture
def gradebook_path(monkeypatch):
    """nbgrader's Gradebook runs `alembic` from PATH."""
    monkeypatch.setenv("PATH", str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", ""))


def gradebook_with_ps1(root: Path, book) -> None:
    """nbgrader's gradebook as `generate_assignment ps1` and `autograde ps1` leave it (nbgrader's own
    SaveCells; the autograder's scores set directly: the documentation's learners, graded by hand)."""
    from nbgrader.api import Gradebook
    from nbgrader.preprocessors import SaveCells

    url = f"sqlite:///{root / 'gradebook.db'}"
    with Gradebook(url) as gradebook:
        gradebook.add_assignment("ps1")
    SaveCells().preprocess(copy.deepcopy(book.released), {"nbgrader": {"notebook": "problem1", "assignment": "ps1",
                                                                       "db_url": url}})
    with Gradebook(url) as gradebook:
        for student, passed in (("hacker", AUTO), ("bitdiddle", AUTO[:1])):
            gradebook.add_student(student)
            gradebook.add_submission("ps1", student)
            for name in AUTO:
                found = gradebook.find_grade(name, "problem1", "ps1", student)
                found.auto_score = found.max_score if name in passed else 0.0
            gradebook.db.commit()
            shutil.copytree(USER_GUIDE / "submitted" / student / "ps1", root / "submitted" / student / "ps1")


def test_export_reads_the_labs_nbgrader_assignment(lab, book, tmp_path, gradebook_path):
    root = tmp_path / "course"
    root.mkdir()
    gradebook_with_ps1(root, book)
    out = tmp_path / "export.csv"
    done = run_cda("cohort", "export", "--course", str(root), "--lab", str(lab.path), "--output", str(out))
    assert done.returncode == 0, done.stderr
    with open(out, encoding="utf-8") as handle:
        rows = {row["learner"]: row for row in csv.DictReader(handle)}
    assert set(rows) == {"hacker", "bitdiddle"} and {r["lab"] for r in rows.values()} == {LAB_ID}
    assert float(rows["hacker"]["score"]) == 3 and float(rows["hacker"]["max_score"]) == 10
    assert rows["hacker"]["C3"] == "100.0" and rows["hacker"]["C9"] == "0.0" and rows["hacker"]["tampering"] == "0"
    assert rows["bitdiddle"]["tampering"] == "2" and "rewritten:correct_squares" in rows["bitdiddle"]["tampering_details"]


def test_an_export_that_matches_nothing_is_an_error(lab, tmp_path, gradebook_path):
    from nbgrader.api import Gradebook

    root = tmp_path / "course"
    root.mkdir()
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gradebook:
        gradebook.add_assignment(LAB_ID)  # the lab id, not the assignment the lab names
    done = run_cda("cohort", "export", "--course", str(root), "--lab", str(lab.path), "--output", str(tmp_path / "x.csv"))
    assert done.returncode == 2 and "Traceback" not in done.stderr and done.stderr.strip().count("\n") == 0
    assert "'ps1'" in done.stderr and LAB_ID in done.stderr
    assert not (tmp_path / "x.csv").exists()
    (tmp_path / "results" / "results").mkdir(parents=True)
    done = run_cda("cohort", "export", "--results", str(tmp_path / "results"), "--output", str(tmp_path / "y.csv"))
    assert done.returncode == 2 and "no result" in done.stderr and done.stderr.strip().count("\n") == 0


def test_cohort_tampering_column_counts_repo_lab_tampering_too():
    from graders.labs import find_lab
    from graders.notebooks.cohort import competence_ids, rows_from_results
    from graders.results import CheckResult, Finding, Result

    lab = find_lab("c6-architecture-couches")
    findings = [Finding(rule="test-framework-tampering", severity="critical", message="conftest.py patches pytest"),
                Finding(rule="forged-results", severity="high", message="results written by the submission"),
                Finding(rule="bandit-B105", severity="low", message="not tampering")]
    result = Result(lab=lab.id, status="graded", score=0, max_score=20,
                    checks=[CheckResult(id="tests", kind="pytest", status="failed", max_score=20, findings=findings)])
    [row] = rows_from_results({"mallory": result}, lab, competence_ids([lab]))
    assert row["tampering"] == 2
    assert "conftest.py patches pytest" in row["tampering_details"] and "not tampering" not in row["tampering_details"]


def test_cohort_help_names_repo_and_notebook_labs():
    done = run_cda("cohort", "--help")
    assert done.returncode == 0 and "Notebook cohorts" not in done.stdout
    assert "repo and notebook labs" in " ".join(done.stdout.replace("│", " ").split())
