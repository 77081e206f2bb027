"""Sample results the renderer tests share: a typical one, one leaking hidden text, an error, and
one with every shape of check and finding."""

from __future__ import annotations

import itertools

from graders.results import AreaScore, BlockingFlaw, CheckResult, CriterionResult, Evidence, Finding, Result
from graders.results import TestCase as Case  # aliased: pytest would try to collect `Test*` names

SECRET = "SECRET-EXPECTED-4242"


# --------------------------------------------------------------------------- fixtures

BLOCKING_REASON = "Requête SQL construite par concaténation : injection SQL possible"
RUBRIC_TEXT = "Le découpage en couches est justifié dans le README"


def sample_criteria() -> list[CriterionResult]:
    """One criterion of each verdict: a blocking flaw on the not acquired one, a rubric on the not assessed one."""
    return [
        CriterionResult(id="C3.1", competence="C3", title="Les composants métier sont testés", verdict="consolidate",
                        fraction=0.58, evidence=[Evidence(check="unit-tests", score=3.5, max_score=6,
                                                          tests_failed=["test_rejects_negative_quantity"])]),
        CriterionResult(id="C6.2", competence="C6", title="Les couches ne dépendent que de la couche inférieure",
                        verdict="acquired", fraction=1.0, evidence=[Evidence(check="layers", score=4, max_score=4)]),
        CriterionResult(id="C6.4", competence="C6", title="L'architecture est documentée", verdict="not-assessed",
                        rubric=[RUBRIC_TEXT]),
        CriterionResult(id="C8.3", competence="C8", title="Les requêtes sont protégées contre les injections",
                        verdict="not-acquired", fraction=0.25,
                        evidence=[Evidence(check="security", score=1, max_score=4, findings=["B105", "B608"])],
                        blocking=[BlockingFlaw(flaw="sql-injection", check="security", rule="B608",
                                               reason=BLOCKING_REASON, reference="CWE-89")]),
    ]


def make_result() -> Result:
    """What the engine emits: hidden tests already carry no message."""
    return Result(
        lab="c6-architecture-couches",
        lab_title="Architecture en couches",
        submission="solution",
        status="graded",
        score=10.5,
        max_score=20,
        duration_s=12.34,
        lang="fr",
        grader_version="0.1.0",
        sandbox="bubblewrap",
        criteria=sample_criteria(),
        ccps=[
            AreaScore(id="CCP1", title="Développer une application sécurisée", score=3.5, max_score=8, verdict="consolidate"),
            AreaScore(id="CCP2", title="Concevoir et développer une application sécurisée organisée en couches",
                      score=7, max_score=12, verdict="not-acquired"),
        ],
        competences=[
            AreaScore(id="C1", title="Installer et configurer son environnement de travail", score=0, max_score=2,
                      verdict="not-assessed"),
            AreaScore(id="C3", title="Développer des composants métier", score=3.5, max_score=6, verdict="consolidate"),
            AreaScore(id="C6", title="Concevoir une application organisée en couches", score=6, max_score=8,
                      verdict="acquired"),
            AreaScore(id="C8", title="Développer des composants d'accès aux données", score=1, max_score=4,
                      verdict="not-acquired"),
        ],
        themes=[AreaScore(id="anssi", title="Sécurité des applications (ANSSI)", score=1, max_score=4)],
        checks=[
            CheckResult(
                id="unit-tests",
                kind="pytest",
                title="Tests unitaires",
                status="failed",
                score=3.5,
                max_score=6,
                duration_s=3.2,
                competences=["C3"],
                tests=[
                    Case(name="test_create_order", status="passed", score=1, max_score=1),
                    Case(name="test_total_with_vat", status="passed", score=1, max_score=1),
                    Case(
                        name="test_rejects_negative_quantity",
                        status="failed",
                        score=0,
                        max_score=1.5,
                        message="\x1b[31mAssertionError\x1b[0m: assert <script>alert(1)</script> == 'x'\n"
                        "  expected: ValueError | got: None",
                    ),
                    Case(name="test_hidden_discount", status="passed", score=1.5, max_score=1.5, hidden=True),
                    Case(name="test_hidden_rounding", status="failed", score=0, max_score=1, hidden=True),
                ],
            ),
            CheckResult(
                id="acceptance",
                kind="pytest",
                title="Tests de recette",
                status="failed",
                score=2,
                max_score=4,
                duration_s=2.0,
                visible=False,
                competences=["C6"],
                tests=[
                    Case(name="test_layers_end_to_end", status="passed", score=2, max_score=2),
                    Case(name="test_repository_swap", status="failed", score=0, max_score=2),
                ],
            ),
            CheckResult(
                id="security",
                kind="bandit",
                title="Analyse de sécurité",
                status="failed",
                score=1,
                max_score=4,
                duration_s=1.1,
                competences=["C8"],
                themes=["anssi"],
                findings=[
                    Finding(
                        rule="B105",
                        severity="low",
                        message="Mot de passe codé en dur : 'admin'",
                        path="app/config.py",
                        references=["cwe-259"],
                        confidence="medium",
                    ),
                    Finding(
                        rule="B608",
                        severity="high",
                        message="Requête SQL construite par concaténation de chaînes",
                        path="app/db.py",
                        line=42,
                        references=["CWE-89", "OWASP A03:2021"],
                        help="Utilisez des requêtes paramétrées (placeholders ?).",
                        confidence="high",
                    ),
                    Finding(
                        rule="B608",
                        severity="high",
                        message="Requête SQL construite par concaténation de chaînes",
                        path="./app/repositories/order repo.py",
                        line=10,
                        references=["CWE-89"],
                    ),
                    Finding(
                        rule="missing-security-policy",
                        severity="info",
                        message="Aucun fichier SECURITY.md",
                        references=["https://example.org/security-policy"],
                        help="Ajoutez un fichier SECURITY.md décrivant la procédure de signalement.",
                    ),
                ],
            ),
            CheckResult(
                id="layers",
                kind="import-contracts",
                title="Dépendances entre couches",
                status="passed",
                score=4,
                max_score=4,
                duration_s=0.8,
                competences=["C6"],
            ),
            CheckResult(
                id="lint",
                kind="ruff",
                title="Qualité du code",
                status="error",
                score=0,
                max_score=2,
                duration_s=60.0,
                competences=["C1"],
                message="ruff n'a pas terminé : délai dépassé (60 s)",
            ),
            CheckResult(
                id="a11y",
                kind="axe",
                title="Accessibilité",
                status="skipped",
                score=0,
                max_score=0,
                themes=["rgaa"],
                message="Chromium absent : vérification ignorée",
            ),
        ],
    )


def leaky_result() -> Result:
    """A result that wrongly still carries hidden messages: renderers must not print them.

    Its hidden check also has a finding: findings are the grader's own words, always printed.
    """
    result = make_result().model_copy(deep=True)
    for check in result.checks:
        for test in check.tests:
            if test.hidden or not check.visible:
                test.message = f"{SECRET} expected 42, got {test.name}"
        if not check.visible:
            check.message = f"{SECRET} check message"
            check.findings.append(Finding(rule="HIDDEN-CHECK-RULE", message="Grader finding on a hidden check", path="x.py"))
    return result


def error_result() -> Result:
    return Result(
        lab="c2-interfaces",
        lab_title="Interfaces utilisateur",
        submission="starter",
        status="error",
        score=0,
        max_score=10,
        lang="en",
        error="sandbox unavailable: bwrap not found",
        competences=[AreaScore(id="C2", title="Développer des interfaces utilisateur", score=0, max_score=10)],
    )


INCIDENT_RULES = [
    "limit-timeout", "limit-cpu", "limit-memory", "limit-killed", "run-incomplete", "grading-incident",
    "test-framework-tampering", "forged-results", "notebook-tampering", "B608", "missing-security-policy",
]
SEVERITIES = ["critical", "high", "medium", "low", "info"]


def incident_result(status: str = "graded") -> Result:
    """Every shape of check (visible or hidden, each status, with tests or without), two findings each:
    every severity and rule, with and without path or line; hidden messages and pending tests."""
    rules, severities, number = itertools.cycle(INCIDENT_RULES), itertools.cycle(SEVERITIES), itertools.count(1)
    checks = []
    shapes = itertools.product([True, False], ["passed", "failed", "error", "skipped"], [True, False])
    for index, (visible, check_status, with_tests) in enumerate(shapes):
        findings = []
        for n in (next(number), next(number)):
            findings.append(Finding(
                rule=next(rules), severity=next(severities), message=f"Finding {n} explains the problem",
                help=f"Advice {n} for the learner", path=f"src/module{n}.py" if n % 3 else None,
                line=n if n % 2 else None, references=["CWE-400"] if n % 4 == 0 else [],
            ))
        secret = f"{SECRET} {index}"
        tests = [
            Case(name=f"test_open_{index}", status="failed", max_score=1,
                 message=f"Visible failure {index}" if visible else secret),
            Case(name=f"test_hidden_{index}", status="failed", max_score=1, hidden=True, message=secret),
            Case(name=f"test_pending_{index}", status="pending", max_score=2,
                 message=f"Awaiting review {index}" if visible else secret),
        ] if with_tests else []
        checks.append(CheckResult(
            id=f"check-{index}", kind="pytest", title=f"Check {index}", status=check_status, max_score=4,
            visible=visible, message=f"Check message {index}" if visible else secret, findings=findings, tests=tests,
        ))
    intake = [Finding(rule="submission-file-skipped", severity="low", message="link.py: symbolic link, not copied",
                      help="Intake advice for the learner", path="link.py")]
    return Result(lab="incidents", status=status, error="sandbox lost" if status == "error" else None,
                  max_score=4 * len(checks), checks=checks, intake=intake)



def audit_result() -> Result:
    """What `cda audit` emits, with the metrics its own HTML and Markdown sections draw."""
    summary = {"failed": 1, "passed": 1, "review": 1, "untested": 0, "manual": 103}
    criteria = {"1.1": {"status": "failed", "failed": ["image-alt"], "rules": ["image-alt", "svg-img-alt"]},
                "8.5": {"status": "passed", "failed": [], "rules": ["document-title"]},
                "3.2": {"status": "review", "failed": [], "rules": ["color-contrast"]}}
    ecoindex = {"http://127.0.0.1:5000/": {"score": 81, "grade": "A", "dom_nodes": 120, "requests": 4, "size_kb": 96.4}}
    rgaa = CheckResult(id="rgaa", kind="web-audit", title="Accessibilité (RGAA 4.1.2)", status="failed",
                       themes=["rgaa"], findings=[Finding(rule="rgaa-1.1.1/image-alt", severity="high",
                                                          message="Image sans alternative", path="http://127.0.0.1:5000/")])
    return Result(lab="audit", lab_title="Audit web", submission="http://127.0.0.1:5000/", status="graded",
                  checks=[rgaa], metrics={"ecoindex": ecoindex, "web_audit": {"rgaa": {"criteria": criteria, "summary": summary}}})
