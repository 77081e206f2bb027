"""The result contract (schema_version 1) shared by every check, renderer and consumer."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

SCHEMA_VERSION = 1

Severity = Literal["info", "low", "medium", "high", "critical"]
CheckStatus = Literal["passed", "failed", "error", "skipped"]
# "pending": awaits a human grader (a manually graded notebook cell): it counts in max_score, earns
# nothing until an instructor records a grade, and is neither a failure nor an error.
TestStatus = Literal["passed", "failed", "error", "skipped", "pending"]


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
    message: str | None = None
    findings: list[Finding] = Field(default_factory=list)
    tests: list[TestCase] = Field(default_factory=list)
    metrics: dict[str, Any] = Field(default_factory=dict)


class AreaScore(BaseModel):
    """Score on one competence (C1..C11) or transversal theme (rgaa, rgpd...)."""

    id: str
    title: str | None = None
    score: float
    max_score: float


class Result(BaseModel):
    schema_version: Literal[1] = SCHEMA_VERSION
    lab: str
    lab_title: str | None = None
    submission: str | None = None
    status: Literal["graded", "error"]
    score: float = 0.0
    max_score: float = 0.0
    duration_s: float = 0.0
    lang: Literal["fr", "en"] = "fr"
    error: str | None = None
    competences: list[AreaScore] = Field(default_factory=list)
    themes: list[AreaScore] = Field(default_factory=list)
    checks: list[CheckResult] = Field(default_factory=list)
    metrics: dict[str, Any] = Field(default_factory=dict)
    grader_version: str | None = None
    sandbox: str | None = None

    @property
    def percent(self) -> float:
        return 100.0 * self.score / self.max_score if self.max_score else 0.0

    def all_findings(self):
        for check in self.checks:
            for finding in check.findings:
                yield check, finding
