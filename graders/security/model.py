"""A raw scanner hit, before deduplication, and its conversion to the shared `Finding`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from graders.results import Finding
from graders.security.catalog import RULES, RuleInfo


@dataclass
class Hit:
    rule: str
    path: str | None
    line: int | None
    source: str = "semgrep"
    detail: str | None = None          # translated text appended to the rule's explanation
    message: str | None = None         # translated text replacing it
    help: str | None = None            # translated text replacing the rule's fix
    severity: str | None = None
    confidence: str | None = None
    references: list[str] | None = None
    finding_rule: str | None = None    # rule id shown in reports, when it differs (bandit-B311, hadolint-DL3008)
    extra: dict = field(default_factory=dict)

    @property
    def info(self) -> RuleInfo:
        return RULES[self.rule]

    @property
    def family(self) -> str:
        return self.extra.get("family") or self.info.family

    @property
    def cwes(self) -> set[str]:
        return {ref for ref in self.all_references() if ref.startswith("CWE-")}

    def all_references(self) -> list[str]:
        return list(self.references) if self.references is not None else self.info.references()

    def effective_severity(self) -> str:
        return self.severity or self.info.severity

    def effective_confidence(self) -> str:
        return self.confidence or self.info.confidence

    def to_finding(self, _: Callable[[str], str]) -> Finding:
        info = self.info
        message = self.message or _(info.message)
        if self.detail:
            message = f"{message} {self.detail}"
        return Finding(
            rule=self.finding_rule or self.rule,
            severity=self.effective_severity(),
            confidence=self.effective_confidence(),
            message=message,
            path=self.path,
            line=self.line,
            references=self.all_references(),
            help=self.help or _(info.fix),
        )
