"""Lab c4-planifier-suivre: the plan criterion falls with one broken dependency, the histories are
rebuilt identically at test time, and the quality procedures are read from hostile bundles safely.

(tests/test_labs.py checks every solution, starter and example score and verdict.)
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess

import pytest

from graders.engine import grade
from graders.gitquality import rules
from graders.labs import load_lab
from graders.sandbox.bubblewrap import BubblewrapSandbox
from tests.helpers import REPO

LAB_DIR = REPO / "labs" / "c4-planifier-suivre"
SPEC = importlib.util.spec_from_file_location("c4_histories", LAB_DIR / "grader" / "historiques.py")
HISTORIES = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(HISTORIES)

needs_sandbox = pytest.mark.skipif(BubblewrapSandbox.unavailable_reason() is not None,
                                   reason=f"bubblewrap: {BubblewrapSandbox.unavailable_reason()}")


@pytest.fixture(scope="module")
def lab():
    return load_lab(LAB_DIR)


def solution_copy(tmp_path):
    target = tmp_path / "rendu"
    shutil.copytree(LAB_DIR / "solution", target)
    return target


def verdicts(result):
    return {c.id: c.verdict for c in result.criteria}


def test_the_committed_histories_are_what_the_script_builds():
    assert HISTORIES.main(["--check"]) == 0


@needs_sandbox
def test_one_task_moved_before_its_dependency_makes_planning_not_acquired(lab, tmp_path):
    submission = solution_copy(tmp_path)
    gantt = submission / "plan" / "planning.mmd"
    gantt.write_text(gantt.read_text(encoding="utf-8").replace(
        ":crit, T09, after T07, 4d", ":crit, T09, 2027-01-21, 4d"), encoding="utf-8")
    result = grade(lab, submission)
    assert verdicts(result)["C4.1"] == "not-acquired"
    planning = next(c for c in result.checks if c.id == "planning")
    assert any(f.rule == "plan-dependency" and "T09" in f.message and "T07" in f.message for f in planning.findings)


@needs_sandbox
def test_a_secret_in_an_old_revision_is_named_by_commit_and_file(lab, tmp_path):
    submission = solution_copy(tmp_path)
    env_file = ("feat/burndown", [("feat(outils): burndown depuis l'export des tickets",
                                   ["outils/__init__.py", "outils/burndown.py"],
                                   {"deploiement/.env.prod": 'DATABASE_URL="postgresql://mediatheque:Zq8wP3xL9vK2@db:5432/prod"\n'
                                                             'AWS_ACCESS_KEY_ID="AKIAZ7QK3MPL2RWX4TYB"\n'}),
                                  ("test(outils): burndown, week-ends et fermetures", ["tests/test_burndown.py"], {}),
                                  ("chore: retire le fichier d'environnement", [], {"deploiement/.env.prod": None})])
    HISTORIES.build(submission, [HISTORIES.SOLUTION[0], env_file, HISTORIES.SOLUTION[2]], submission / "historique.bundle")
    result = grade(lab, submission)
    assert verdicts(result)["C4.3"] == "not-acquired"
    assert any(b.flaw == "secret-in-repository" for c in result.criteria for b in c.blocking)
    check = next(c for c in result.checks if c.id == "procedures-qualite")
    heads = subprocess.run(["git", "bundle", "list-heads", str(submission / "historique.bundle")],
                           capture_output=True, text=True, check=True).stdout
    assert heads
    secret = [f for f in check.findings if f.rule == "secret-in-history" and f.severity == "high"]
    assert secret and all(f.path == "deploiement/.env.prod" for f in secret)
    assert all(f.message.startswith("Commit ") and len(f.message.split()[1].rstrip(":")) == 10 for f in secret)


@needs_sandbox
@pytest.mark.parametrize("content", [b"not a bundle at all\n", b"# v2 git bundle\n-" + b"0" * 40 + b" x\n\nPACK"])
def test_a_broken_bundle_is_a_finding_not_a_crash(lab, tmp_path, content):
    submission = solution_copy(tmp_path)
    (submission / "historique.bundle").write_bytes(content)
    result = grade(lab, submission)
    check = next(c for c in result.checks if c.id == "procedures-qualite")
    assert check.status == "failed" and check.score == 0
    assert [f.rule for f in check.findings] == ["history-unreadable"]
    assert verdicts(result)["C4.1"] == "acquired"


@needs_sandbox
def test_an_incomplete_bundle_is_refused(lab, tmp_path):
    submission = solution_copy(tmp_path)
    bundle = submission / "historique.bundle"
    repo = tmp_path / "repo"
    subprocess.run(["git", "clone", "-q", str(bundle), str(repo)], check=True)
    subprocess.run(["git", "-C", str(repo), "bundle", "create", "-q", str(bundle), "HEAD~1..main"], check=True)
    check = next(c for c in grade(lab, submission).checks if c.id == "procedures-qualite")
    assert [f.rule for f in check.findings] == ["history-unreadable"]


def commit(sha, parents=(), subject="feat: x", author="Camille", email="c@x", files=(), trailers=()):
    return rules.Commit(sha=sha * 40, parents=[p * 40 for p in parents], author=author, email=email, date="2027-01-04",
                        message=subject, trailers=[list(t) for t in trailers], files=list(files))


def history(*commits, main="3"):
    return rules.History(commits=list(commits), heads={"main": main * 40})


def test_rules_direct_commits_self_reviews_and_ci():
    root = commit("1", subject="chore: init")
    feature = commit("2", ["1"], subject="feat(prets): quota", files=["mediatheque/prets.py"])
    merge = commit("3", ["1", "2"], subject="Merge branch 'feat/quota'", author="Camille",
                   trailers=[("Reviewed-by", "Camille <c@x>"), ("CI", "failure")])
    h = history(root, feature, merge)
    assert [p[0] for p in rules.reviewed_merges(h).problems] == ["merge-self-reviewed"]
    assert [p[0] for p in rules.tests_with_features(h).problems] == ["feature-without-tests"]
    assert [p[0] for p in rules.ci_green(h, {}).problems] == ["merge-ci-red"]
    direct = commit("4", ["3"], subject="fix: typo")
    assert [p[0] for p in rules.reviewed_merges(history(root, feature, merge, direct, main="4")).problems] == [
        "direct-commit", "merge-self-reviewed"]
    green = commit("3", ["1", "2"], subject="Merge", trailers=[("Reviewed-by", "Claire <cl@x>")])
    assert rules.ci_green(history(root, feature, green), {"2222222": "success"}).ok
    assert [p[0] for p in rules.ci_green(history(root, feature, green), {}).problems] == ["merge-without-ci"]
    assert rules.conventional(history(root, feature, green)).ok
    released = commit("1", subject="Planifier, suivre, alerter (c4-planifier-suivre)")   # cda release's commit
    assert rules.conventional(history(released, feature, green)).ok
    assert not rules.conventional(history(root, commit("2", ["1"], subject="WIP"), green)).ok
