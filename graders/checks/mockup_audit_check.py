"""`mockup-audit` check (C5): the HTML mock-ups pass the platform's own RGAA audit.

The mock-up folder is served by graders/web/serve.py (static files, no application) and audited by
graders/web/audit.py in the headless browser, like `cda audit page.html`: the same RGAA rules, the
same scoring as the `web-audit` check (one penalty per rule broken, at its worst severity).
A mock-up is a wireframe: a `<script>` in it is a finding too.
"""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, model_validator

from graders.checks.base import Check, CheckContext, CheckOutcome
from graders.checks.web_audit_check import audit_budget_s, busy_browser_outcome, family_fraction
from graders.results import Finding

SCRIPT = re.compile(r"<script\b", re.IGNORECASE)
SCRIPT_PENALTY = 0.1
MAX_MOCKUP_BYTES = 512 * 1024  # a wireframe page is a few kilobytes; past this it is not audited, and counts as failed


class MockupAuditOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")
    mockups: str = "maquettes"
    penalties: dict[str, float] = Field(default_factory=lambda: {"critical": 0.35, "high": 0.25, "medium": 0.1,
                                                                 "low": 0.05})
    eco_target: str = "G"  # unused (RGAA only): family_fraction reads it
    timeout_s: float = Field(20, gt=0, le=120)

    @model_validator(mode="after")
    def relative(self) -> "MockupAuditOptions":
        if Path(self.mockups).is_absolute():
            raise ValueError("mockups must be a relative path")
        return self


class MockupAuditCheck(Check):
    kind = "mockup-audit"
    Options = MockupAuditOptions

    def run(self, ctx: CheckContext) -> CheckOutcome:
        from graders.browser import BrowserTimeout, with_browser
        from graders.web.audit import AuditOptions, run_audit
        from graders.web.serve import StaticServer

        _ = ctx._
        options: MockupAuditOptions = self.options
        folder = ctx.workspace / options.mockups
        found = sorted(p.name for p in folder.glob("*.html") if p.is_file() and not p.is_symlink()) if folder.is_dir() else []
        if not found:
            return CheckOutcome(0.0, message=_("No mock-up found in {folder}/ (*.html).").format(folder=options.mockups))
        pages = [name for name in found if (folder / name).stat().st_size <= MAX_MOCKUP_BYTES]
        too_large = [Finding(rule="mockup-too-large", severity="high", path=f"{options.mockups}/{name}", message=_(
            "This mock-up is over {size} kB: a wireframe is a few kilobytes. It was not audited and counts as failed.").format(
            size=MAX_MOCKUP_BYTES // 1024)) for name in found if name not in pages]
        if not pages:
            return CheckOutcome(0.0, findings=too_large, message=too_large[0].message)
        scripts = [Finding(rule="mockup-script", severity="low", path=f"{options.mockups}/{name}", message=_(
            "A mock-up is a wireframe: it holds no script (no application code)."))
            for name in pages if SCRIPT.search((folder / name).read_text(encoding="utf-8", errors="replace"))]
        with StaticServer(folder) as server:
            audit_options = AuditOptions(families=("rgaa",), timeout_s=options.timeout_s, notices=False, headers=False,
                                         error_probes=False, consent=False, allowed_origins=(server.origin,))
            try:
                report = with_browser(lambda browser: run_audit(browser, [server.url(name) for name in pages], audit_options, _),
                                      timeout_s=audit_budget_s(options.timeout_s, len(pages)))
            except BrowserTimeout as busy:
                return busy_browser_outcome(busy, _)
        findings = report.findings("rgaa", _)
        for finding in findings:  # a random local port: show the mock-up's path instead
            if finding.path and finding.path.startswith(server.origin):
                finding.path = options.mockups + finding.path[len(server.origin):]
            finding.message = finding.message.replace(server.origin + "/", options.mockups + "/")
        fraction = family_fraction("rgaa", findings, report, options) * len(pages) / len(found) - SCRIPT_PENALTY * len(scripts)
        return CheckOutcome(max(0.0, fraction), findings=findings + scripts + too_large, metrics=report.metrics(),
                            message=_("{pages} mock-up(s) audited, {count} RGAA finding(s)").format(
                                pages=len(pages), count=len(findings)))
