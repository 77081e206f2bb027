"""`cda scan`: the body of the command (graders/cli.py only declares its options and delegates here).

Exit codes, as for `cda grade`: 0 scanned; 1 a finding at or above --fail-on; 2 bad input (missing
path, a file instead of a folder, unknown option value); 3 a scanner is missing or failed.
"""

from __future__ import annotations

from pathlib import Path

from graders.errors import BadInput, GraderUnavailable
from graders.security.catalog import CONFIDENCE_RANK, FAMILIES, SEVERITY_RANK
from graders.security.scan import ScanOptions


def parse_families(value: str | None) -> tuple[str, ...]:
    if not value:
        return FAMILIES
    wanted = tuple(part.strip() for part in value.split(",") if part.strip())
    unknown = [part for part in wanted if part not in FAMILIES]
    if unknown:
        raise BadInput(f"--only: unknown family {', '.join(map(repr, unknown))} (choose from {', '.join(FAMILIES)})")
    return wanted


def check_choice(option: str, value: str | None, choices) -> str | None:
    if value is not None and value not in choices:
        raise BadInput(f"{option}: invalid value {value!r} (choose from {', '.join(choices)})")
    return value


def run_scan_command(
    path: Path,
    *,
    lang: str,
    reports: dict[str, Path | None] | None = None,
    fail_on: str | None = None,
    only: str | None = None,
    min_confidence: str = "medium",
    include_tests: bool = False,
    history: bool = True,
    exclude: list[str] | None = None,
    quiet: bool = False,
) -> int:
    from graders.report_options import save_reports
    from graders.security import scan_project

    check_choice("--fail-on", fail_on, list(SEVERITY_RANK))
    check_choice("--min-confidence", min_confidence, list(CONFIDENCE_RANK))
    options = ScanOptions(families=parse_families(only), include_tests=include_tests, git_history=history,
                          min_confidence=min_confidence, exclude=list(exclude or []))
    result = scan_project(path, lang=lang, options=options)
    save_reports(result, reports, lang)
    if not quiet:
        from graders.console import print_summary

        print_summary(result, lang)
    errors = [f"{check.id}: {check.message}" for check in result.checks if check.status == "error"]
    if errors:
        raise GraderUnavailable("scan incomplete, " + "; ".join(errors))
    if fail_on is not None:
        threshold = SEVERITY_RANK[fail_on]
        if any(SEVERITY_RANK[f.severity] >= threshold for _, f in result.all_findings()):
            return 1
    return 0
