"""The table of blocking flaws (graders/blocking_flaws.toml) and how findings and tests match it."""

from __future__ import annotations

from fnmatch import fnmatch
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from graders.manifest import load_toml_model
from graders.results import Finding

TABLE = Path(__file__).resolve().parent / "blocking_flaws.toml"
SEVERITY_RANK = {"info": 0, "low": 1, "medium": 2, "high": 3, "critical": 4}


class Flaw(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: str
    reason_en: str
    reference: str
    references: list[str] = Field(default_factory=list)
    rules: list[str] = Field(default_factory=list)
    min_severity: str = Field("high", pattern="^(low|medium|high|critical)$")

    def matches(self, finding: Finding) -> bool:
        if SEVERITY_RANK[finding.severity] < SEVERITY_RANK[self.min_severity] or finding.confidence == "low":
            return False
        return finding.rule in self.rules or any(ref in self.references for ref in finding.references)


class FlawTable(BaseModel):
    model_config = ConfigDict(extra="forbid")
    flaws: dict[str, Flaw]

    def flaw_of(self, finding: Finding) -> str | None:
        return next((name for name, flaw in self.flaws.items() if flaw.matches(finding)), None)

    @staticmethod
    def flaw_of_test(test_name: str, blocking_tests: dict[str, str]) -> str | None:
        """`blocking_tests` of a check: fnmatch pattern on the test's name -> flaw id."""
        return next((flaw for pattern, flaw in blocking_tests.items() if fnmatch(test_name, pattern)), None)


@lru_cache(maxsize=2)
def load_flaws(path: Path = TABLE) -> FlawTable:
    return load_toml_model(path, FlawTable)
