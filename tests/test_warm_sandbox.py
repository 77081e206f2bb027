"""Warm sandboxes (graders/sandbox/warm.py): same input, same verdict as a cold run; a cold run,
with the reason logged, whenever a zygote cannot serve; and nothing a zygote imports comes from a
submission. The attacks on warm runs are in tests/attacks/test_attack_suite.py."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest

from graders.engine import grade
from graders.labs import Lab, discover_labs, load_lab
from graders.sandbox.bubblewrap import BubblewrapSandbox
from graders.sandbox.warm import WarmPool, cold_reason, preload_modules
from tests.helpers import FIXTURE_LABS, run_cda
from tests.test_honest_learners import SUBMISSIONS

pytestmark = pytest.mark.skipif(cold_reason(BubblewrapSandbox()) is not None,
                                reason=f"no warm sandbox here: {cold_reason(BubblewrapSandbox())}")


@pytest.fixture(scope="module")
def pool():
    with WarmPool(enabled=True) as zygotes:
        yield zygotes


def verdicts(result) -> list:
    """Everything a learner or the gradebook sees of a result, but times."""
    return [(c.id, c.status, c.score, c.message, [(t.name, t.status, t.score, t.message) for t in c.tests],
             sorted((f.rule, f.severity, f.path or "", f.line or 0, f.message) for f in c.findings))
            for c in result.checks] + [(result.score, [(k.id, k.verdict) for k in result.criteria])]


def pytest_checks_only(lab: Lab) -> Lab:
    checks = [spec for spec in lab.manifest.checks if spec.kind == "pytest"]
    return Lab(lab.path, lab.manifest.model_copy(update={"checks": checks}), lab.options)


def honest(tmp_path: Path, name: str) -> Path:
    package = tmp_path / name / "penalites"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "calcul.py").write_text(SUBMISSIONS[name][0], encoding="utf-8")
    return package.parent


TIMING = {"test-timeout", "grading-incident", "limit-timeout"}


def timed_out(result) -> bool:
    return any(f.rule in TIMING for c in result.checks for f in c.findings)


def assert_same(lab: Lab, submission: Path, pool: WarmPool, expect_timeouts: bool = False) -> None:
    """Warm and cold agree. A per-test time limit hit on one side only is the machine's load (a cold
    run imports Flask inside the first test's limit; a warm one has it already): grade both again, once."""
    for attempt in range(2):
        before = pool.runs["warm"]
        warm = grade(lab, submission, services={"warm": pool})
        assert pool.runs["warm"] > before, "the run was not warm"
        cold = grade(lab, submission)
        if verdicts(warm) == verdicts(cold) or expect_timeouts or not (timed_out(warm) or timed_out(cold)):
            break
    assert verdicts(warm) == verdicts(cold)


@pytest.mark.parametrize("folder", ["solution", "starter", "examples/partial"])
def test_mini_lab_same_verdicts_warm_and_cold(folder: str, pool):
    lab = load_lab(FIXTURE_LABS / "mini-lab")
    assert_same(lab, lab.path / folder, pool)


# crashes, exits, recursion, import errors: each handled by the supervisor the same way warm or cold
@pytest.mark.parametrize("name", ["solution", "os-exit-dans-la-fonction", "sys-exit-au-chargement",
                                  "recursion-sans-fin", "import-errone", "boucle-qui-n-avance-pas"])
def test_penalites_same_verdicts_warm_and_cold(name: str, tmp_path, pool):
    assert_same(load_lab(FIXTURE_LABS / "penalites-lab"), honest(tmp_path, name), pool,
                expect_timeouts=name.startswith("boucle") or name.startswith("os-exit"))


@pytest.mark.parametrize("lab_id,folder", [("c6-architecture-couches", "solution"),
                                           ("c6-architecture-couches", "examples/regles-dans-les-routes"),
                                           ("c6-architecture-couches", "examples/sql-par-formatage")])
def test_real_labs_same_verdicts_warm_and_cold(lab_id: str, folder: str, pool):
    lab = pytest_checks_only(next(lab for lab in discover_labs() if lab.id == lab_id))
    assert_same(lab, lab.path / folder, pool)


def test_zygote_is_reused_and_one_per_concurrent_run(pool, tmp_path):
    lab = load_lab(FIXTURE_LABS / "penalites-lab")
    submission = honest(tmp_path, "solution")
    for _ in range(3):
        assert grade(lab, submission, services={"warm": pool}).score == 8.0
    assert len(pool._idle[(lab.id, str(lab.path), "bubblewrap")]) == 1


def test_preload_names_third_party_modules_never_the_tests_or_the_submission(tmp_path):
    tests = tmp_path / "tests"
    (tests / "helpers").mkdir(parents=True)
    (tests / "helpers" / "__init__.py").write_text("import calc\n")
    (tests / "conftest.py").write_text("import flask\nfrom helpers import thing\nfrom . import local\n")
    (tests / "test_x.py").write_text("import json, os.path\nfrom penalites.calcul import penalite\n"
                                     "from conftest import x\n")
    names = preload_modules([tests])
    assert {"flask", "json", "os.path", "penalites.calcul", "calc"} <= set(names)
    assert not {"helpers", "conftest", "local"} & set(names)


def test_zygote_cannot_import_the_submission(pool, tmp_path, caplog):
    """A learner package named like a module the tests import is not importable by the zygote: the
    package lives in /workspace, which the zygote neither mounts nor has on sys.path. Were it
    imported there, the planted exit would kill the zygote and the run would go cold."""
    lab = load_lab(FIXTURE_LABS / "penalites-lab")
    submission = honest(tmp_path, "solution")
    (submission / "penalites" / "__init__.py").write_text("import os\nos._exit(3)\n")
    fresh = WarmPool(enabled=True)
    try:
        with caplog.at_level(logging.WARNING, logger="graders.warm"):
            result = grade(lab, submission, services={"warm": fresh})
        assert fresh.runs == {"warm": 1, "cold": 0} and caplog.records == []
        assert result.score == 0.0
    finally:
        fresh.close()


class FakeDocker:
    name = "docker"


def test_falls_back_to_cold_with_a_logged_reason(tmp_path, caplog, monkeypatch):
    lab = load_lab(FIXTURE_LABS / "penalites-lab")
    submission = honest(tmp_path, "solution")
    with caplog.at_level(logging.WARNING, logger="graders.warm"), WarmPool(enabled=False) as off:
        assert grade(lab, submission, services={"warm": off}).score == 8.0
        assert off.runs == {"warm": 0, "cold": 1}
    assert "penalites-lab: grading cold: turned off" in caplog.text
    assert "bubblewrap backend" in cold_reason(FakeDocker())
    # a zygote that cannot start: its reason, once, then every run cold
    import graders.sandbox.warm as warm

    broken = tmp_path / "runner"
    shutil.copytree(warm.RUNNER_DIR, broken)
    (broken / "zygote.py").write_text("import sys\nsys.stderr.write('cannot import pytest here\\n')\nsys.exit(1)\n")
    monkeypatch.setattr(warm, "RUNNER_DIR", broken)
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="graders.warm"), WarmPool(enabled=True) as failing:
        for _ in range(2):
            assert grade(lab, submission, services={"warm": failing}).score == 8.0
        assert failing.runs == {"warm": 0, "cold": 2}
    assert caplog.text.count("grading cold: the zygote did not start: cannot import pytest here") == 1


def test_cohort_grade_is_warm_by_default_and_cold_on_request(tmp_path):
    cohort = tmp_path / "cohort"
    for name in ("solution", "recursion-sans-fin", "import-errone"):
        shutil.copytree(honest(tmp_path / "src", name), cohort / name)
    outputs = {}
    for mode in ("--warm", "--cold"):
        done = run_cda("cohort", "grade", str(FIXTURE_LABS / "penalites-lab"), str(cohort), "-o",
                       str(tmp_path / mode), "--no-gradebook", "-j", "2", mode)
        assert done.returncode == 0, done.stderr
        assert ("grading cold" in done.stderr) == (mode == "--cold")
        outputs[mode] = (tmp_path / mode / "grades.csv").read_text(encoding="utf-8")
    assert outputs["--warm"] == outputs["--cold"]
    assert "solution,penalites-lab,8.0" in outputs["--warm"]


def test_a_long_running_worker_opts_in_once(tmp_path):
    """`use_in_this_process()` (a service worker's start-up): plain `grade()` calls then go warm,
    in the process that grades (a forked worker makes its own zygotes); one-shot `grade()` stays cold."""
    import subprocess
    import sys

    submission = honest(tmp_path, "solution")
    script = f"""
import os
from pathlib import Path
from graders.engine import grade
from graders.labs import load_lab
from graders.sandbox import warm
lab, sub = load_lab(Path({str(FIXTURE_LABS / "penalites-lab")!r})), Path({str(submission)!r})
assert warm.process_pool() is None
grade(lab, sub)
warm.use_in_this_process()
pid = os.fork()
if pid == 0:
    scores = [grade(lab, sub).score for _ in range(2)]
    print("child", scores, warm.process_pool().runs, flush=True)
    os._exit(0)
os.waitpid(pid, 0)
print("parent", grade(lab, sub).score, warm.process_pool().runs, flush=True)
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "child [8.0, 8.0] {'warm': 2, 'cold': 0}" in done.stdout
    assert "parent 8.0 {'warm': 1, 'cold': 0}" in done.stdout
