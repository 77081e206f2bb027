"""No free points: a static check on code that does nothing yet is not assessed and earns nothing."""

from __future__ import annotations

import shutil

from graders.engine import grade
from graders.labs import load_lab
from tests.helpers import FIXTURE_LABS, REPO

LAB = FIXTURE_LABS / "mini-lab"


def security(result):
    return next(c for c in result.checks if c.id == "security")


def test_the_starter_unchanged_earns_no_security_points():
    result = grade(load_lab(LAB), LAB / "starter", lang="en")
    check = security(result)
    assert (check.status, check.score, check.assessed) == ("skipped", 0.0, False)
    assert "starter unchanged" in check.message
    assert {c.id: c.verdict for c in result.criteria}["C3.2"] == "not-assessed"


def test_code_whose_tests_all_fail_earns_no_security_points(tmp_path):
    work = shutil.copytree(LAB / "starter", tmp_path / "work")
    (work / "calc" / "core.py").write_text(
        "def add(a, b):\n    raise ValueError('à faire')\n\n\ndef divide(a, b):\n    raise ValueError('à faire')\n")
    check = security(grade(load_lab(LAB), work, lang="en"))
    assert (check.status, check.score, check.assessed) == ("skipped", 0.0, False)
    assert "visible, hidden" in check.message


def test_working_code_is_assessed():
    check = security(grade(load_lab(LAB), LAB / "solution", lang="en"))
    assert check.assessed and check.score == check.max_score


def test_c8_starter_security_earns_nothing_in_cda_check():
    """`cda check` on the c8 starter gave 15/15 security points (50 % in all) for code that did nothing."""
    lab = load_lab(REPO / "labs" / "c8-acces-donnees")
    result = grade(lab, lab.path / "starter", lang="en", visible_only=True)
    assert security_of(result, "securite") == ("skipped", 0.0) and result.score == 0.0


def security_of(result, check_id):
    check = next(c for c in result.checks if c.id == check_id)
    return check.status, check.score
