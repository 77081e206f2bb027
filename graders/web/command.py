"""`cda audit URL [URL...]`: audit running pages (or local HTML files) and report with the shared contract.

Exit codes as for `cda grade`: 0 audited; 1 violations with --fail-on-violation; 2 bad input
(including an unreachable URL, one line on stderr); 3 the browser is missing.
"""

from __future__ import annotations

import sys
from contextlib import ExitStack
from pathlib import Path

from graders import __version__
from graders.errors import BadInput, GraderUnavailable
from graders.i18n import N_, gettext_for
from graders.results import CheckResult, Result
from graders.web.audit import FAMILIES, AuditOptions, AuditReport, run_audit


TITLES = {
    "rgaa": N_("Accessibility (RGAA 4.1.2)"),
    "rgpd": N_("Personal data and consent (RGPD, CNIL)"),
    "anssi": N_("Browser-side hardening (ANSSI)"),
    "eco": N_("Eco-design (EcoIndex, RGESN)"),
}
COMPETENCES = {"rgaa": ["C2"], "rgpd": ["C2"], "anssi": ["C3"], "eco": ["C6"]}


def parse_families(only: str | None) -> tuple[str, ...]:
    if not only:
        return FAMILIES
    wanted = tuple(f.strip().lower() for f in only.split(",") if f.strip())
    unknown = [f for f in wanted if f not in FAMILIES]
    if unknown or not wanted:
        raise BadInput(f"--only: unknown family {', '.join(unknown) or only!r} (choose from {', '.join(FAMILIES)})")
    return wanted


def family_message(family: str, report: AuditReport, count: int, _) -> str:
    if family == "rgaa" and report.coverage:
        summary = report.coverage_summary()
        return _("{count} finding(s). Criteria: {failed} failed, {passed} passed their automatic tests, {review} to review, {rest} to check by hand.").format(
            count=count, failed=summary["failed"], passed=summary["passed"], review=summary["review"],
            rest=summary["untested"] + summary["manual"])
    if family == "eco" and report.ecoindex:
        grades = ", ".join(f"{e['grade']} ({e['score']})" + (" " + _("cut off at {seconds} s").format(seconds=f"{e['cutoff_s']:g}")
                                                                  if e.get("cutoff_s") else "")
                           for e in report.ecoindex.values())
        return _("{count} finding(s). EcoIndex: {grades}.").format(count=count, grades=grades)
    return _("{count} finding(s).").format(count=count)


def build_result(report: AuditReport, lang: str, skipped: dict[str, str] | None = None) -> Result:
    """The shared contract: one check per family. No score is claimed: checks pass or fail."""
    _ = gettext_for(lang)
    checks = []
    for family in FAMILIES:
        title = _(TITLES[family])
        if family not in report.families or family in (skipped or {}):
            reason = (skipped or {}).get(family) or _("Not requested.")
            checks.append(CheckResult(id=family, kind="web-audit", title=title, status="skipped", message=reason,
                                      themes=[family], competences=COMPETENCES[family]))
            continue
        findings = report.findings(family, _)
        violations = [f for f in findings if f.severity != "info"]
        checks.append(CheckResult(
            id=family, kind="web-audit", title=title, status="failed" if violations else "passed",
            duration_s=round(report.duration_s, 3), message=family_message(family, report, len(violations), _),
            findings=findings, themes=[family], competences=COMPETENCES[family]))
    first = report.urls[0] if report.urls else ""
    submission = first if len(report.urls) == 1 else _("{first} and {count} other page(s)").format(first=first, count=len(report.urls) - 1)
    return Result(lab="audit", lab_title=_("Web audit"), submission=submission, status="graded",
                  duration_s=round(report.duration_s, 3), lang=lang, checks=checks, metrics=report.metrics(),
                  grader_version=__version__, sandbox=None)


def resolve_inputs(items: list[str], stack: ExitStack) -> tuple[list[str], bool]:
    """URLs stay; existing local files are served from a temporary local server. Returns (urls, local)."""
    from graders.web.anssi import fetch
    from graders.web.serve import StaticServer

    urls, servers, local = [], {}, False
    for item in items:
        if item.startswith(("http://", "https://")):
            urls.append(item)
            continue
        path = Path(item)
        if item.startswith("file://"):
            path = Path(item[len("file://"):])
        if not path.is_file():
            raise BadInput(f"{item}: not an http(s) URL nor an existing file")
        folder = path.resolve().parent
        if folder not in servers:
            servers[folder] = stack.enter_context(StaticServer(folder))
        urls.append(servers[folder].url(path.name))
        local = True
    for url in urls:
        status, _body, error = fetch(url, timeout=10)
        if status is None:
            raise BadInput(f"{url}: unreachable ({error})")
    return urls, local


def audit(items: list[str], *, lang: str = "fr", only: str | None = None, reports: dict[str, Path] | None = None,
          fail_on_violation: bool = False, quiet: bool = False, timeout_s: float = 20.0) -> int:
    """`reports`: {format: path}, e.g. {"json": ..., "audit-html": ...} (what `cda audit --html` asks for)."""
    from graders.browser import BrowserTimeout, chromium_path, with_browser
    from graders.checks.web_audit_check import audit_budget_s
    from graders.report_options import save_reports

    families = parse_families(only)
    chromium_path()  # exit 3 before anything else when the browser is missing
    _ = gettext_for(lang)
    with ExitStack() as stack:
        urls, local = resolve_inputs(items, stack)
        options = AuditOptions(families=families, timeout_s=timeout_s, notices=not local, headers=not local,
                               error_probes=not local)
        try:
            report = with_browser(lambda browser: run_audit(browser, urls, options, _),
                                  timeout_s=audit_budget_s(timeout_s, len(urls)))
        except BrowserTimeout as busy:
            raise GraderUnavailable(f"audit stopped: {busy}") from busy
    skipped = {"anssi": _("Local files: response headers depend on the server that will publish them.")} if local and "anssi" in families else {}
    result = build_result(report, lang, skipped)
    save_reports(result, reports, lang)
    if not quiet:
        print_summary(result, lang)
    has_violations = any(c.status == "failed" for c in result.checks)
    return 1 if fail_on_violation and has_violations else 0


def print_summary(result: Result, lang: str, max_findings: int = 25) -> None:
    """The audit's terminal summary: families, then the most severe findings. No score is shown."""
    from rich.markup import escape
    from rich.table import Table

    from graders.console import STATUS_STYLE, out
    from graders.render._common import STATUS_LABELS

    _ = gettext_for(lang)
    table = Table(title=f"{result.lab_title} — {result.submission}", title_justify="left")
    for column in (_("Family"), _("Status"), _("Findings"), _("Details")):
        table.add_column(column)
    for check in result.checks:
        style = STATUS_STYLE.get(check.status, "")
        table.add_row(escape(check.title or check.id), f"[{style}]{escape(_(STATUS_LABELS[check.status]))}[/]",
                      str(len(check.findings)), escape(check.message or ""))
    out.print(table)
    shown = 0
    for check in result.checks:
        for finding in check.findings:
            if shown >= max_findings:
                break
            refs = f" [dim]({escape(', '.join(finding.references[:3]))})[/]" if finding.references else ""
            where = f" {finding.path}" if finding.path else ""
            out.print(f"  [yellow]•[/] {escape(f'[{finding.severity}] {finding.rule}{where}')}: "
                      f"{escape(finding.message.splitlines()[0][:200])}{refs}", highlight=False)
            shown += 1
    total = sum(len(c.findings) for c in result.checks)
    if total > shown:
        out.print(_("… and {count} more finding(s): see the JSON, HTML or Markdown report.").format(count=total - shown))
    out.print(_("No global score: automatic audits decide only part of each standard."))


if __name__ == "__main__":  # pragma: no cover - `cda audit` is the entry point
    sys.exit(audit(sys.argv[1:]))
