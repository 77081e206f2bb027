"""Issues found by the audits, and their merging across pages into the result contract's findings."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from graders.results import Finding

Translate = Callable[[str], str]
SEVERITY_RANK = {"critical": 0, "high": 1, "medium": 2, "low": 3, "info": 4}


@dataclass
class Issue:
    family: str  # rgaa | rgpd | anssi | eco
    rule: str
    severity: str
    message: str
    help: str | None = None
    references: list[str] = field(default_factory=list)
    page: str | None = None
    element: str | None = None
    snippet: str | None = None
    confidence: str | None = None
    test: str | None = None  # RGAA test (e.g. 11.1.1) when the issue is an RGAA one

    def key(self) -> tuple:
        return (self.family, self.rule, self.element or "", self.message)


def merge(issues: list[Issue], _: Translate, max_pages_listed: int = 5) -> list[Finding]:
    """One finding per (rule, element, message): the same defect on 20 pages is one finding."""
    groups: dict[tuple, list[Issue]] = {}
    for issue in issues:
        groups.setdefault(issue.key(), []).append(issue)
    findings = []
    for group in groups.values():
        first = group[0]
        message = first.message
        if first.element:
            message += "\n" + _("Element: {target}").format(target=first.element)
            if first.snippet:
                message += "\n" + first.snippet
        pages = list(dict.fromkeys(i.page for i in group if i.page))
        if len(pages) > 1:
            others = pages[1:]
            listed = ", ".join(others[:max_pages_listed]) + (" …" if len(others) > max_pages_listed else "")
            message += "\n" + _("Also on {count} other page(s): {pages}").format(count=len(others), pages=listed)
        severity = min((i.severity for i in group), key=lambda s: SEVERITY_RANK.get(s, 9))
        findings.append(Finding(rule=first.rule, severity=severity, message=message, path=pages[0] if pages else None,
                                references=first.references, help=first.help, confidence=first.confidence))
    findings.sort(key=lambda f: (SEVERITY_RANK.get(f.severity, 9), f.rule))
    return findings
