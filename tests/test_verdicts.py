"""Criterion verdicts: blocking flaws win over points, no evidence is no verdict, pending is neither.

Checks are built as data (what the engine would hand over); each case names the verdict a jury
would give.
"""

from __future__ import annotations

import pytest

from graders.manifest import LabManifest
from graders.results import CheckResult, Finding, TestCase
from graders.verdicts import ccp_scores, criterion_verdicts, roll_up_verdict, with_verdicts
from graders.engine import roll_up

MANIFEST = LabManifest.model_validate({
    "id": "x", "title": "x", "kind": "repo", "competences": ["C8"],
    "checks": [
        {"id": "tests", "kind": "pytest", "points": 10, "criteria": ["C8.1"],
         "blocking_tests": {"test_injection*": "injection"}},
        {"id": "scan", "kind": "security", "points": 10, "criteria": ["C8.3"]},
    ],
    "thresholds": {"C8.1": {"acquired": 0.9, "consolidate": 0.6}},
    "rubric": [{"criterion": "C8.5", "look_at": "tests/", "guidance": "Les tests du dépôt couvrent-ils les erreurs ?"}],
})
INJECTION = Finding(rule="sql-built-from-variable", severity="high", confidence="medium", message="…",
                    references=["CWE-89"])


def check(id: str, score: float, *, criteria, findings=(), tests=(), status=None, assessed=True) -> CheckResult:
    return CheckResult(id=id, kind="k", status=status or ("passed" if score == 10 else "failed"), score=score,
                       max_score=10, criteria=criteria, findings=list(findings), tests=list(tests),
                       assessed=assessed, competences=["C8"])


def verdicts(*checks) -> dict[str, str]:
    return {c.id: c.verdict for c in criterion_verdicts(MANIFEST, list(checks), "fr")}


CASES = {
    # name: (checks, expected verdicts)
    "full marks": ((check("tests", 10, criteria=["C8.1"]), check("scan", 10, criteria=["C8.3"])),
                   {"C8.1": "acquired", "C8.3": "acquired", "C8.5": "not-assessed"}),
    "an injection at 95 %": ((check("tests", 10, criteria=["C8.1"]),
                              check("scan", 9.5, criteria=["C8.3"], findings=[INJECTION])),
                             {"C8.1": "acquired", "C8.3": "not-acquired"}),
    "a low-confidence hint does not block": ((check("scan", 10, criteria=["C8.3"], findings=[
        INJECTION.model_copy(update={"confidence": "low"})]),), {"C8.3": "acquired"}),
    "a medium finding does not block": ((check("scan", 9, criteria=["C8.3"], findings=[
        INJECTION.model_copy(update={"severity": "medium"})]),), {"C8.3": "acquired"}),
    "a failed blocking test": ((check("tests", 9.5, criteria=["C8.1"], tests=[
        TestCase(name="test_injection_nom", status="failed", max_score=1)]),), {"C8.1": "not-acquired"}),
    "the lab's threshold": ((check("tests", 8.5, criteria=["C8.1"]), check("scan", 8.5, criteria=["C8.3"])),
                            {"C8.1": "consolidate", "C8.3": "acquired"}),
    "under the lower threshold": ((check("tests", 5, criteria=["C8.1"]),), {"C8.1": "not-acquired"}),
    "a static check not assessed": ((check("scan", 0, criteria=["C8.3"], status="skipped", assessed=False),),
                                    {"C8.3": "not-assessed"}),
    "a check not run (visible only)": ((check("tests", 10, criteria=["C8.1"]),), {"C8.3": "not-assessed"}),
    "pending tests count neither way": ((check("tests", 5, criteria=["C8.1"], tests=[
        TestCase(name="auto", status="passed", score=5, max_score=5),
        TestCase(name="manual", status="pending", max_score=5)]),), {"C8.1": "acquired"}),
    "tampering blocks": ((check("tests", 10, criteria=["C8.1"], findings=[
        Finding(rule="test-framework-tampering", severity="critical", message="…")]),), {"C8.1": "not-acquired"}),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_criterion_verdict(name):
    checks, expected = CASES[name]
    got = verdicts(*checks)
    assert {cid: got[cid] for cid in expected} == expected


def test_the_blocking_flaw_is_named_with_its_reason_and_reference():
    [scan] = [c for c in criterion_verdicts(MANIFEST, [check("scan", 9.5, criteria=["C8.3"], findings=[INJECTION])],
                                            "en") if c.id == "C8.3"]
    [flaw] = scan.blocking
    assert (flaw.flaw, flaw.check, flaw.rule) == ("injection", "scan", "sql-built-from-variable")
    assert "CWE-89" in flaw.reference and flaw.reason.startswith("Injection")


def test_rubric_items_wait_for_the_trainer():
    [item] = [c for c in criterion_verdicts(MANIFEST, [], "fr") if c.id == "C8.5"]
    assert item.verdict == "not-assessed" and item.rubric == ["Les tests du dépôt couvrent-ils les erreurs ?"]


@pytest.mark.parametrize("given,rolled", [
    (["acquired", "acquired"], "acquired"), (["acquired", "consolidate"], "consolidate"),
    (["consolidate", "not-acquired", "acquired"], "not-acquired"), (["not-assessed"], "not-assessed"),
    (["not-assessed", "acquired"], "acquired"), ([], "not-assessed"),
])
def test_roll_up(given, rolled):
    assert roll_up_verdict(given) == rolled


def test_competence_and_ccp_verdicts():
    checks = [check("tests", 10, criteria=["C8.1"]), check("scan", 9.5, criteria=["C8.3"], findings=[INJECTION])]
    criteria = criterion_verdicts(MANIFEST, checks, "fr")
    competences = with_verdicts(roll_up(checks, "competences", "fr"), criteria)
    assert [(c.id, c.verdict) for c in competences] == [("C8", "not-acquired")]
    assert [(c.id, c.verdict) for c in ccp_scores(competences, "fr")] == [("CCP2", "not-acquired")]
