"""The `mutation` check: mutants and controls, the signed report, the score, and one real sandboxed run
on a tiny package (no services) where a test suite that detects changes of the text earns nothing."""

import hashlib
import hmac
import json
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from graders.checks.base import CheckContext
from graders.checks.mutation_check import MutationCheck, MutationOptions, run_limit, score, verified
from graders.i18n import gettext_for
from graders.sandbox import RunLimits, get_sandbox

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "graders" / "runner"))
from mutants import controls, mutants, spread  # noqa: E402

SOURCE = '''"""Règles de prêt."""


def may_borrow(count, limit, blocked):
    """Vrai si l'adhérent peut encore emprunter."""
    if blocked:
        return False
    return count < limit
'''
OPERATORS = ["core/ReplaceComparisonOperator_Lt_LtE", "core/AddNot", "core/ReplaceFalseWithTrue"]
_ = gettext_for("en")


def load(source):
    scope = {}
    exec(compile(source, "rules.py", "exec"), scope)  # the test's own trusted sample
    return scope["may_borrow"]


CASES = [(c, lim, b) for c in range(4) for lim in range(4) for b in (False, True)]


def test_mutants_change_behaviour_and_controls_keep_it():
    found = mutants("rules.py", SOURCE, OPERATORS)
    assert {(m["operator"], m["line"]) for m in found} == {
        ("AddNot", 6), ("ReplaceFalseWithTrue", 7), ("ReplaceComparisonOperator_Lt_LtE", 8)}
    original = load(SOURCE)
    for mutant in found:
        assert any(load(mutant["source"])(*case) != original(*case) for case in CASES), mutant["mutated"]
    variants = controls("rules.py", SOURCE)
    assert {v["line"] for v in variants} == {6, 8}  # `if not not (blocked)`, `(limit) > (count)`
    for variant in variants:
        assert variant["source"] != SOURCE
        assert all(load(variant["source"])(*case) == original(*case) for case in CASES)


def test_calls_are_never_mirrored():
    assert controls("m.py", "def f(a, b):\n    return a() == b()\n") == []  # the order of the calls would change


def test_spread_keeps_every_part():
    assert spread(list(range(10)), 5) == [0, 2, 4, 6, 8] and spread([1, 2], 5) == [1, 2]


def sign(payload: dict, key: str) -> dict:
    text = json.dumps(payload)
    return {"payload": text, "mac": hmac.new(key.encode(), text.encode(), hashlib.sha256).hexdigest()}


def test_only_a_report_signed_with_the_key_counts(tmp_path):
    report = tmp_path / "mutation.json"
    report.write_text(json.dumps(sign({"ok": 1}, "k" * 64)))
    assert verified(report, "k" * 64) == {"ok": 1}
    assert verified(report, "x" * 64) is None
    forged = sign({"ok": 1}, "k" * 64) | {"payload": json.dumps({"ok": 2})}
    report.write_text(json.dumps(forged))
    assert verified(report, "k" * 64) is None


def report(runs, baseline=0):
    return {"unparsed": [], "candidates": 10, "baseline": {"status": baseline, "seconds": 1.0}, "runs": runs}


def mutant(status, line=3):
    return {"kind": "mutant", "status": status, "file": "m.py", "line": line, "original": "a < b", "mutated": "a <= b",
            "operator": "ReplaceComparisonOperator_Lt_LtE", "seconds": 0.5}


def test_score_against_the_minimum():
    options = MutationOptions(paths=["m.py"], min_score=0.8)
    outcome = score(report([mutant(1), mutant(1), mutant(0), mutant("timeout"), {"kind": "control", "status": 0}]),
                    options, _)
    assert outcome.metrics["killed"] == 3 and outcome.metrics["mutants"] == 4
    assert outcome.fraction == pytest.approx(0.75 / 0.8)
    assert [(f.rule, f.path, f.line) for f in outcome.findings] == [("mutant-survived", "m.py", 3)]
    assert score(report([mutant(1)] * 4), options, _).fraction == 1


def test_failing_baseline_or_control_earns_nothing():
    options = MutationOptions(paths=["m.py"])
    assert score(report([mutant(1)], baseline=1), options, _).fraction == 0
    assert "No test was collected" in score(report([], baseline=5), options, _).findings[0].message
    outcome = score(report([mutant(1), mutant(1), {"kind": "control", "status": 1, "file": "m.py"}]), options, _)
    assert outcome.fraction == 0 and outcome.findings[0].rule == "mutation-control-failed"
    assert score(report([mutant("not-run")]), options, _).fraction == 0  # nothing run, nothing earned


def test_lab_options_are_checked_when_the_lab_loads():
    lab = SimpleNamespace(manifest=SimpleNamespace(limits=SimpleNamespace(timeout_s=60)))
    with pytest.raises(ValueError, match="unknown cosmic-ray operators"):
        MutationCheck.validate_lab(MutationOptions(paths=["m.py"], operators=["core/Nope"], budget_s=10), lab, None)
    with pytest.raises(ValueError, match="budget_s"):
        MutationCheck.validate_lab(MutationOptions(paths=["m.py"], budget_s=45), lab, None)
    options = MutationOptions(paths=["m.py"], budget_s=45, controls=2)
    assert run_limit(180, options) * 4 + 45 + 20 <= 180  # baseline, one overshoot, two controls fit


GOOD_TESTS = '''from rules import may_borrow


def test_limit():
    assert may_borrow(1, 2, False) and not may_borrow(2, 2, False)


def test_blocked():
    assert not may_borrow(0, 2, True)
'''
# A suite that "kills" every mutant by reading the code under test instead of running it.
GAMING_TESTS = '''import hashlib, pathlib, rules

DIGEST = "%s"


def test_unchanged():
    assert hashlib.sha256(pathlib.Path(rules.__file__).read_bytes()).hexdigest() == DIGEST
'''


def grade(tmp_path: Path, tests: str):
    ws = tmp_path / "ws"
    (ws / "tests").mkdir(parents=True)
    (ws / "rules.py").write_text(SOURCE)
    (ws / "tests" / "test_rules.py").write_text(tests)
    options = MutationOptions(paths=["rules.py", "missing.py"], operators=OPERATORS, budget_s=20, min_score=0.5)
    ctx = CheckContext(lab=SimpleNamespace(), spec=SimpleNamespace(points=10), workspace=ws, scratch=tmp_path,
                       sandbox=get_sandbox(), limits=RunLimits(wall_s=60), lang="en", _=_)
    return MutationCheck(options).run(ctx)


def test_good_tests_kill_the_mutants_and_a_text_detector_earns_nothing(tmp_path):
    outcome = grade(tmp_path / "good", GOOD_TESTS)
    assert outcome.metrics["mutants"] == 3 and outcome.metrics["killed"] == 3 and outcome.fraction == 1
    assert [(f.rule, f.path) for f in outcome.findings] == [("mutation-not-checked", "missing.py")]
    digest = hashlib.sha256(SOURCE.encode()).hexdigest()
    gamed = grade(tmp_path / "gamed", GAMING_TESTS % digest)
    assert gamed.fraction == 0 and any(f.rule == "mutation-control-failed" for f in gamed.findings)
