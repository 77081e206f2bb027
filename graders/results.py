"""The result contract (schema_version 2) shared by every check, renderer and consumer.

Version 2 is additive over 1: criterion verdicts (`criteria`), and a verdict on every competence
and CCP rolled up from them. The verdict is the headline; the points stay.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from graders.i18n import N_

SCHEMA_VERSION = 2

Severity = Literal["info", "low", "medium", "high", "critical"]
CheckStatus = Literal["passed", "failed", "error", "skipped"]
# "pending": awaits a human grader (a manually graded notebook cell): it counts in max_score, earns
# nothing until an instructor records a grade, and is neither a failure nor an error.
TestStatus = Literal["passed", "failed", "error", "skipped", "pending"]
# A référentiel criterion, competence or CCP: "acquis", "à consolider", "non acquis", "non évalué".
Verdict = Literal["acquired", "consolidate", "not-acquired", "not-assessed"]


class Finding(BaseModel):
    rule: str
    severity: Severity = "medium"
    message: str
    path: str | None = None
    line: int | None = None
    references: list[str] = Field(default_factory=list)
    help: str | None = None
    confidence: Literal["low", "medium", "high"] | None = None


class TestCase(BaseModel):
    """One test of a test-running check. Hidden tests carry name and verdict only."""

    __test__ = False  # not a pytest test class

    name: str
    status: TestStatus
    score: float = 0.0
    max_score: float = 0.0
    hidden: bool = False
    message: str | None = None
    criteria: list[str] = Field(default_factory=list)  # when the test evidences criteria of its own (a group's)


class CheckResult(BaseModel):
    id: str
    kind: str
    title: str | None = None
    status: CheckStatus
    score: float = 0.0
    max_score: float = 0.0
    duration_s: float = 0.0
    visible: bool = True
    competences: list[str] = Field(default_factory=list)
    themes: list[str] = Field(default_factory=list)
    criteria: list[str] = Field(default_factory=list)  # référentiel criteria (C8.3...) this check evidences
    assessed: bool = True  # False: nothing to judge (e.g. a static check on absent functionality), earns nothing
    message: str | None = None
    findings: list[Finding] = Field(default_factory=list)
    tests: list[TestCase] = Field(default_factory=list)
    metrics: dict[str, Any] = Field(default_factory=dict)


class AreaScore(BaseModel):
    """Score on one competence (C1..C11), CCP or transversal theme (rgaa, rgpd...)."""

    id: str
    title: str | None = None
    score: float
    max_score: float
    verdict: Verdict | None = None  # competences and CCPs: rolled up from their criteria


class Evidence(BaseModel):
    """What a verdict rests on: a check, the points it earned there, and the tests and findings behind."""

    check: str
    score: float = 0.0
    max_score: float = 0.0
    assessed: bool = True
    tests_failed: list[str] = Field(default_factory=list)
    findings: list[str] = Field(default_factory=list)  # rules


class BlockingFlaw(BaseModel):
    """A flaw that makes a criterion not acquired whatever the points (graders/blocking_flaws.toml)."""

    flaw: str  # id in the table
    check: str
    rule: str  # the finding's rule, or "test:<name>" for a failed blocking test
    reason: str
    reference: str | None = None


class CriterionResult(BaseModel):
    id: str  # C8.3
    competence: str
    title: str | None = None
    verdict: Verdict
    fraction: float | None = None  # points earned / points, over the assessed evidence
    evidence: list[Evidence] = Field(default_factory=list)
    blocking: list[BlockingFlaw] = Field(default_factory=list)
    rubric: list[str] = Field(default_factory=list)  # what a trainer must look at (until they record a verdict)


INTAKE_CHECK = "intake"  # the id under which reports list the intake findings


class Result(BaseModel):
    schema_version: Literal[2] = SCHEMA_VERSION
    lab: str
    lab_title: str | None = None
    submission: str | None = None
    status: Literal["graded", "error"]
    score: float = 0.0
    max_score: float = 0.0
    duration_s: float = 0.0
    lang: Literal["fr", "en"] = "fr"
    error: str | None = None
    criteria: list[CriterionResult] = Field(default_factory=list)
    ccps: list[AreaScore] = Field(default_factory=list)
    competences: list[AreaScore] = Field(default_factory=list)
    themes: list[AreaScore] = Field(default_factory=list)
    checks: list[CheckResult] = Field(default_factory=list)
    # What happened to the submission on its way in (files not copied or extracted), apart from any check.
    intake: list[Finding] = Field(default_factory=list)
    metrics: dict[str, Any] = Field(default_factory=dict)
    grader_version: str | None = None
    sandbox: str | None = None

    @property
    def percent(self) -> float:
        return 100.0 * self.score / self.max_score if self.max_score else 0.0

    def report_checks(self, _=lambda text: text) -> list[CheckResult]:
        """The checks as reports list them: the intake findings first, under a check of their own that
        earns and costs nothing; `_` translates its title and message."""
        if not self.intake:
            return list(self.checks)
        intake = CheckResult(id=INTAKE_CHECK, kind=INTAKE_CHECK, title=_(N_("Submission intake")), status="skipped",
                             message=_(N_("Files of the submission that were left out of grading.")),
                             findings=self.intake)
        return [intake, *self.checks]

    def all_findings(self, _=lambda text: text):
        for check in self.report_checks(_):
            for finding in check.findings:
                yield check, finding
