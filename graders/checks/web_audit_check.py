"""`web-audit` check: start the learner's web application in the sandbox, audit its pages in a browser.

Families (any of rgaa, rgpd, anssi, eco) are those of `cda audit`; each earns a share of the
check's points, minus penalties per finding (severity-weighted). EcoIndex is graded against a
target grade. The application runs inside the sandbox with no outside network; the browser runs
on the host and reaches it through the bridge in graders/web/bridge.py. One browser serves every
page of the run; the application is stopped afterwards, leaving no process behind.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from graders.checks.base import Check, CheckContext, CheckOutcome
from graders.checks.service_options import ServiceOptions
from graders.results import Finding, TestCase

Family = Literal["rgaa", "rgpd", "anssi", "eco"]
Grade = Literal["A", "B", "C", "D", "E", "F", "G"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AppOptions(Strict):
    """How to start the application inside the sandbox (cwd /workspace, no network)."""

    command: list[str] = Field(min_length=1, description="argv; `python` means the grader's Python (with Flask)")
    port: int = Field(5000, ge=1024, le=65535, description="the port the app listens on, on 127.0.0.1")
    ready: str = Field("/", description="path answering (status < 500) once the app is up")
    ready_timeout_s: float = Field(30, gt=0, le=300)
    env: dict[str, str] = Field(default_factory=dict)


class LoginStep(Strict):
    """One browser action before the audit; the session it opens is used for every page."""

    goto: str | None = None
    fill: str | None = None
    value: str | None = None
    click: str | None = None
    wait_for: str | None = None


class WebAuditOptions(ServiceOptions):
    """`services` / `database_template`: throwaway PostgreSQL / Redis for the audited application,
    as the pytest check gives its tests (DATABASE_URL / REDIS_URL join `app.env`)."""

    app: AppOptions
    pages: list[str] = Field(default_factory=lambda: ["/"], min_length=1)
    families: list[Family] = Field(default_factory=lambda: ["rgaa", "rgpd", "anssi", "eco"], min_length=1)
    weights: dict[Family, float] = Field(default_factory=dict, description="share of points per family (default equal)")
    penalties: dict[str, float] = Field(default_factory=lambda: {"critical": 0.5, "high": 0.25, "medium": 0.15, "low": 0.05})
    eco_target: Grade = "B"
    notices: bool = True
    consent: bool = True
    error_probes: bool = True
    login: list[LoginStep] = Field(default_factory=list)
    timeout_s: float = Field(20, gt=0, le=120)

    @field_validator("pages")
    @classmethod
    def absolute_paths(cls, pages: list[str]) -> list[str]:
        for page in pages:
            if not page.startswith("/"):
                raise ValueError(f"page {page!r} must be a path starting with /")
        return pages


def family_fraction(family: str, findings: list[Finding], report, options: WebAuditOptions) -> float:
    """1 minus the penalties: one per distinct rule broken (at its worst severity, wherever and however
    often it is broken), one per page that could not be audited, and the EcoIndex gap to the target."""
    from graders.web.eco import GRADE_ORDER
    from graders.web.issues import SEVERITY_RANK

    worst: dict[str, str] = {}
    for finding in findings:
        if finding.rule in ("eco-ecoindex-grade", "page-unavailable"):
            continue
        current = worst.get(finding.rule)
        if current is None or SEVERITY_RANK[finding.severity] < SEVERITY_RANK[current]:
            worst[finding.rule] = finding.severity
    lost = sum(options.penalties.get(severity, 0.0) for severity in worst.values())
    broken = [p for p in report.pages if p.error is not None or (p.status or 0) >= 400]
    lost += 0.5 * len(broken)
    if family == "eco" and report.ecoindex:
        gaps = [max(0, GRADE_ORDER.index(e["grade"]) - GRADE_ORDER.index(options.eco_target)) for e in report.ecoindex.values()]
        lost += sum(min(1.0, 0.25 * gap) for gap in gaps) / len(gaps)
    return max(0.0, 1.0 - lost)


def audit_budget_s(timeout_s: float, pages: int, batch: int = 3) -> float:
    """The whole browser session's bound: pages load `batch` at a time, each load and each axe run on
    its own clock, plus three more rounds (login, consent, error probes) and the browser's start."""
    return timeout_s * 2 * (-(-pages // batch) + 3) + 30


def busy_browser_outcome(busy: Exception, _) -> CheckOutcome:
    """A page kept the browser busy past the audit's bound: nothing earned, and the learner told why."""
    message = _("A page kept the browser busy until the audit's time ran out ({detail}): the audit could not finish.").format(
        detail=str(busy))
    return CheckOutcome(0.0, findings=[Finding(rule="browser-busy", severity="high", message=message, help=_(
        "Open the page in a browser with its developer tools: a script that never ends (an endless loop) blocks it."))],
        message=message)


class WebAuditCheck(Check):
    kind = "web-audit"
    Options = WebAuditOptions

    def run(self, ctx: CheckContext) -> CheckOutcome:
        from graders.browser import BrowserTimeout, with_browser
        from graders.services import sandbox_services
        from graders.web.audit import AuditOptions, run_audit
        from graders.web.bridge import SandboxedApp, StartFailure

        _ = ctx._
        options: WebAuditOptions = self.options
        app = options.app
        try:
            with sandbox_services(ctx, options.services, template_files=options.template_files(ctx)) as (
                    service_env, service_mounts), \
                    SandboxedApp(ctx, app.command, port=app.port, ready=app.ready, ready_timeout_s=app.ready_timeout_s,
                                 env={**app.env, **service_env}, mounts=service_mounts) as running:
                def audit(browser):
                    state, session_names, set_cookies, login_url = login(browser, running.origin, options.login,
                                                                         options.timeout_s)
                    audit_options = AuditOptions(
                        families=tuple(options.families), timeout_s=options.timeout_s, eco_min_grade=options.eco_target,
                        notices=options.notices, consent=options.consent, error_probes=options.error_probes,
                        allowed_origins=(running.origin,), storage_state=state, session_cookie_names=session_names,
                        login_set_cookies=set_cookies, login_url=login_url)
                    return run_audit(browser, [running.origin + p for p in options.pages], audit_options, _)

                report = with_browser(audit, timeout_s=audit_budget_s(options.timeout_s, len(options.pages)))
        except BrowserTimeout as busy:
            return busy_browser_outcome(busy, _)
        except StartFailure as failure:
            message = _("The application did not start ({reason}).").format(reason=str(failure))
            finding = Finding(rule="app-start", severity="high", message=message + ("\n" + failure.output if failure.output else ""),
                              help=_("Run the start command of the statement locally and fix the error it prints."))
            return CheckOutcome(0.0, findings=[finding], message=message)
        return self.outcome(report, running.origin, options, _)

    def outcome(self, report, origin: str, options: WebAuditOptions, _) -> CheckOutcome:
        weights = {f: options.weights.get(f, 1.0) for f in options.families}
        total = sum(weights.values()) or 1.0
        findings: list[Finding] = []
        tests: list[TestCase] = []
        earned = 0.0
        for family in options.families:
            family_findings = report.findings(family, _)
            for finding in family_findings:  # the origin is a random local port: show paths only
                if finding.path and finding.path.startswith(origin):
                    finding.path = finding.path[len(origin):] or "/"
                finding.message = finding.message.replace(origin + "/", "/").replace(origin, "/")
            fraction = family_fraction(family, family_findings, report, options)
            share = weights[family] / total
            earned += share * fraction
            findings.extend(family_findings)
            tests.append(TestCase(name=family, status="passed" if fraction >= 1 else "failed",
                                  score=round(share * fraction, 4), max_score=round(share, 4),
                                  message=_("{count} finding(s)").format(count=len(family_findings))))
        summary = report.coverage_summary() if report.coverage else None
        parts = [_("{pages} page(s) audited").format(pages=len(report.pages))]
        if summary:
            parts.append(_("RGAA: {failed} criteria failed, {passed} passed their automatic tests").format(**summary))
        if report.ecoindex:
            parts.append(_("EcoIndex: {grades}").format(grades=", ".join(
                f"{url[len(origin):] or '/'} {e['grade']} ({e['score']})" for url, e in report.ecoindex.items())))
        return CheckOutcome(earned, findings=findings, tests=tests, message=" · ".join(parts), metrics=report.metrics())


def login(browser, origin: str, steps: list[LoginStep], timeout_s: float):
    """Play the login steps in a fresh context; its storage state (session) is reused for every page.

    Returns (storage state, names of the cookies the login created, raw Set-Cookie lines, last URL).
    """
    if not steps:
        return None, (), (), None
    context = browser.new_context(ignore_https_errors=True, service_workers="block")
    context.set_default_timeout(timeout_s * 1000)
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(origin) else route.abort())
    responses: list = []

    try:
        page = context.new_page()
        page.goto(origin + "/")
        before = {c["name"] for c in context.cookies()}
        page.on("response", lambda response: responses.append(response) if response.url.startswith(origin) else None)
        for step in steps:
            if step.goto:
                page.goto(origin + step.goto)
            if step.fill:
                page.fill(step.fill, step.value or "")
            if step.click:
                page.click(step.click)
                page.wait_for_load_state("load")
            if step.wait_for:
                page.wait_for_selector(step.wait_for)
        state = context.storage_state()
        names = tuple(sorted({c["name"] for c in state.get("cookies", [])} - before))
        set_cookies = []
        for response in responses:
            try:
                set_cookies.extend(h["value"] for h in response.headers_array() if h["name"].lower() == "set-cookie")
            except Exception:
                pass
        return state, names, tuple(set_cookies), page.url
    finally:
        context.close()
