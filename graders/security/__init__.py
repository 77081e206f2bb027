"""Security grading beyond bandit: taint analysis, secrets, crypto/auth, dependencies, containers.

`scan_project(path, lang=...)` returns the shared result contract (lab "scan", one CheckResult per
family); `graders.checks.security_check` grades a lab submission with the same scanners. See
docs/security-scan.md.
"""

from __future__ import annotations

import time
from pathlib import Path

from graders import __version__
from graders.i18n import gettext_for
from graders.results import CheckResult, Result
from graders.security.catalog import FAMILIES, FAMILY_TITLES, SEVERITY_RANK
from graders.security.scan import (DEFAULT_CONFIDENCE_WEIGHTS, DEFAULT_PENALTIES, ScanOptions, ScanReport,
                                   check_root, points_lost, run_scan, severity_counts)

SCAN_LAB = "scan"
FAMILY_POINTS = 10.0
THEMES = ["anssi"]


SEVERITY_LABELS = {"critical": "Critical", "high": "High", "medium": "Medium", "low": "Low", "info": "Info"}


def counts_text(counts: dict[str, int], _) -> str:
    """"High ×2, Low ×1" (the labels are the renderers' own msgids)."""
    return ", ".join(f"{_(SEVERITY_LABELS[severity])} ×{count}" for severity, count in counts.items())


def family_message(outcome, _) -> str:
    if outcome.status in ("error", "skipped") and outcome.message:
        return outcome.message
    counts = severity_counts(outcome.hits)
    base = counts_text(counts, _) if counts else _("No finding.")
    if outcome.message:
        return f"{base} — {outcome.message}"
    return base


def to_result(root: Path, report: ScanReport, lang: str) -> Result:
    _ = gettext_for(lang)
    checks = []
    for family, outcome in report.families.items():
        hits = outcome.hits
        lost = points_lost(hits, DEFAULT_PENALTIES, DEFAULT_CONFIDENCE_WEIGHTS)
        score = round(max(0.0, FAMILY_POINTS - lost), 2)
        if outcome.status == "error":
            status = "error"
        elif outcome.status == "skipped" and not any(SEVERITY_RANK[h.effective_severity()] > 0 for h in hits):
            status = "skipped"
        else:
            status = "failed" if any(SEVERITY_RANK[h.effective_severity()] > 0 for h in hits) else "passed"
        checks.append(CheckResult(
            id=family, kind="security", title=_(FAMILY_TITLES[family]), status=status, score=score,
            max_score=FAMILY_POINTS, duration_s=report.duration_s, themes=list(THEMES),
            message=family_message(outcome, _), findings=[h.to_finding(_) for h in hits],
        ))
    metrics = {
        "security": {
            "files": {"python": len(report.targets.python), "text": len(report.targets.text),
                      "dockerfiles": len(report.targets.dockerfiles),
                      "requirements": len(report.targets.requirements) + len(report.targets.pyprojects)},
            "truncated": report.targets.truncated,
            "families": {family: {"status": o.status, **o.metrics} for family, o in report.families.items()},
            "tools_s": report.tools,
        }
    }
    return Result(
        lab=SCAN_LAB, lab_title=_("Security scan"), submission=root.name or str(root), status="graded",
        score=round(sum(c.score for c in checks), 2), max_score=round(sum(c.max_score for c in checks), 2),
        duration_s=report.duration_s, lang=lang, checks=checks, metrics=metrics, grader_version=__version__,
        sandbox="none", themes=[],
    )


def scan_project(path: Path, *, lang: str = "fr", options: ScanOptions | None = None) -> Result:
    """Scan a project folder on the host (static tools only) and return the result contract."""
    root = check_root(Path(path))
    _ = gettext_for(lang)
    started = time.monotonic()
    report = run_scan(root, options or ScanOptions(), _)
    report.duration_s = round(time.monotonic() - started, 3)
    return to_result(root, report, lang)


__all__ = ["FAMILIES", "ScanOptions", "scan_project", "to_result", "run_scan"]
