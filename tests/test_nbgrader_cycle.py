"""The instructor's full cycle with the real nbgrader commands and the project's jupyter_config.py.

generate_assignment → release_assignment → (learners) fetch_assignment, submit → collect →
autograde → generate_feedback → release_feedback → (learners) fetch_feedback → export, on a local
exchange folder; then what cda adds: `cda cohort grade` on nbgrader's submitted/ folder (same scores)
and `cda cohort export` (competence columns, tampering flags).
"""

from __future__ import annotations

import csv
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest

from graders.labs import find_lab
from graders.notebooks.course import nbgrader, nbgrader_env
from tests.helpers import run_cda

LAB = find_lab("nb-c3-regles-metier")
NB = "regles_metier.ipynb"
MARKER = "CACHE-C3-7Q2X"
LEARNERS = {  # learner -> (submission, score expected from nbgrader and cda alike)
    "alice": (LAB.path / "solution", 20.0),
    "bob": (LAB.path / "examples" / "float-et-boucle-infinie", 12.0),  # loops forever in exercise 4
    "carol": (LAB.path / "examples" / "points-modifies", 7.0),  # raised points, rewrote and deleted test cells
    "eve": (LAB.path / "examples" / "json-invalide", 0.0),  # not a notebook any more
}
FETCHING = ("alice", "bob")  # fetch with the real command; the others start from the same released folder
# 100 s alone, over 600 s twice on a machine loaded to 20+ by other work: room for a loaded CI
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("nbgrader-cycle"), pytest.mark.timeout(1500)]
# One test drives the cycle and checks each stage (helpers below): the cycle is expensive (~20 nbgrader
# commands) and must not run twice when xdist hands the checks of one module to two workers.


def learner_env(env: dict, home: Path) -> dict:
    """A learner's nbgrader keeps its submission cache in their own home."""
    return {**env, "CDA_EXCHANGE_CACHE": str(home / ".nbgrader_cache")}


def ok(done):
    assert done.returncode == 0, f"{done.args}\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}"
    return done


def run_cycle(base: Path) -> dict:
    root, exchange = base / "course", base / "exchange"
    root.mkdir(parents=True)
    exchange.mkdir(mode=0o777)
    exchange.chmod(0o777)
    env = nbgrader_env(root, exchange, CDA_NB_CELL_TIMEOUT="3")
    ok(nbgrader("generate_assignment", LAB.id, env=env, cwd=root))
    ok(nbgrader("release_assignment", LAB.id, env=env, cwd=root))

    def learner_works(learner: str) -> None:  # each learner in their own folder, as in JupyterLab
        submission = LEARNERS[learner][0]
        home = base / "home" / learner
        home.mkdir(parents=True)
        mine = learner_env(env, home)
        if learner in FETCHING:
            ok(nbgrader("fetch_assignment", LAB.id, env=mine, cwd=home))
        else:
            shutil.copytree(root / "release" / LAB.id, home / LAB.id)
        fetched = home / LAB.id / NB
        assert fetched.read_bytes() == (root / "release" / LAB.id / NB).read_bytes()
        shutil.copyfile(submission / NB, fetched)
        if learner == "carol":  # also deletes a test cell: nbgrader must put it back (RestoreSourceCells)
            nb = nbformat.read(str(fetched), as_version=4)
            nb.cells = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") != "ex3-visibles"]
            nbformat.write(nb, str(fetched))
        ok(nbgrader("submit", LAB.id, f"--student={learner}", env=mine, cwd=home))

    with ThreadPoolExecutor(max_workers=2) as pool:  # each nbgrader command spends ~4 s importing
        list(pool.map(learner_works, LEARNERS))
    ok(nbgrader("collect", LAB.id, env=env, cwd=root))
    autograde = nbgrader("autograde", LAB.id, env=env, cwd=root)  # eve's file fails, the others are graded
    ok(nbgrader("generate_feedback", LAB.id, env=env, cwd=root))
    ok(nbgrader("release_feedback", LAB.id, env=env, cwd=root))
    bob = base / "home" / "bob"
    ok(nbgrader("fetch_feedback", LAB.id, "--student=bob", env=learner_env(env, bob), cwd=bob))
    ok(nbgrader("export", env=env, cwd=root))
    return {"base": base, "root": root, "env": env, "autograde": autograde}


def nbgrader_scores(root: Path) -> dict[str, float]:
    with open(root / "grades.csv", encoding="utf-8") as handle:
        return {row["student_id"]: float(row["score"]) for row in csv.DictReader(handle) if row["assignment"] == LAB.id}


def check_released_notebook_is_the_starter(cycle):
    assert (cycle["root"] / "release" / LAB.id / NB).read_bytes() == (LAB.path / "starter" / NB).read_bytes()


def check_nbgrader_scores_tampering_and_loops_correctly(cycle):
    scores = nbgrader_scores(cycle["root"])
    for learner, (_, expected) in LEARNERS.items():
        assert scores.get(learner, 0.0) == expected, (learner, scores, cycle["autograde"].stderr[-3000:])


def check_feedback_never_shows_hidden_tests(cycle):
    pages = sorted((cycle["base"] / "home").glob(f"*/{LAB.id}/feedback/*/*.html"))
    assert {p.parts[-5] for p in pages} == {"bob"}  # fetched by the learner
    generated = sorted((cycle["root"] / "feedback").glob(f"*/{LAB.id}/*.html"))
    assert {p.parts[-3] for p in generated} >= {"alice", "bob", "carol"}
    pages += generated
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert MARKER not in html and "BEGIN HIDDEN TESTS" not in html, page
        assert "ne sont pas montrés" in html


def check_cda_grades_the_submitted_folder_with_the_same_scores(cycle, tmp_path):
    done = run_cda("cohort", "grade", LAB.id, str(cycle["root"] / "submitted"), "--output", str(tmp_path), "-j", "2",
                   timeout=600, extra_env={"CDA_GRADEBOOK": str(tmp_path / "gradebook.sqlite")})
    assert done.returncode == 0, done.stderr
    with open(tmp_path / "grades.csv", encoding="utf-8") as handle:
        rows = {row["learner"]: row for row in csv.DictReader(handle)}
    assert {k: float(v["score"]) for k, v in rows.items()} == {k: v for k, (_, v) in LEARNERS.items()}
    assert int(rows["carol"]["tampering"]) > 0 and int(rows["eve"]["tampering"]) > 0
    assert int(rows["alice"]["tampering"]) == 0 and rows["alice"]["C3"] == "100.0"


def check_cohort_export_has_competences_and_tampering_flags(cycle, tmp_path):
    out = tmp_path / "export.csv"
    done = run_cda("cohort", "export", "--course", str(cycle["root"]), "--lab", LAB.id, "--output", str(out))
    assert done.returncode == 0, done.stderr
    with open(out, encoding="utf-8") as handle:
        rows = {row["learner"]: row for row in csv.DictReader(handle)}
    assert rows["alice"]["C3"] == "100.0" and rows["alice"]["tampering"] == "0"
    assert int(rows["carol"]["tampering"]) >= 2 and "points" in rows["carol"]["tampering_details"]
    assert "deleted:ex3-visibles" in rows["carol"]["tampering_details"]
    assert rows["bob"]["tampering"] == "0" and float(rows["bob"]["score"]) == 12.0
    assert "eve" not in rows or int(rows["eve"]["tampering"]) >= 1


def test_nbgrader_cycle_for_a_cohort(tmp_path):
    cycle = run_cycle(tmp_path / "cycle")
    check_released_notebook_is_the_starter(cycle)
    check_nbgrader_scores_tampering_and_loops_correctly(cycle)
    check_feedback_never_shows_hidden_tests(cycle)
    (tmp_path / "cda").mkdir()
    check_cda_grades_the_submitted_folder_with_the_same_scores(cycle, tmp_path / "cda")
    check_cohort_export_has_competences_and_tampering_flags(cycle, tmp_path)
