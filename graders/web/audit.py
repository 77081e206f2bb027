"""Auditing a set of pages with one browser: collect, analyse per family, summarise.

`run_audit(browser, urls, options, _)` is shared by `cda audit` and the `web-audit` check.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable

from graders.web import anssi, eco, rgaa, rgpd
from graders.web.collect import AuditSettings, PageData, collect_pages, origin_of
from graders.web.issues import Issue, merge

if TYPE_CHECKING:
    from playwright.sync_api import Browser

    from graders.results import Finding

FAMILIES = ("rgaa", "rgpd", "anssi", "eco")


@dataclass
class AuditOptions:
    families: tuple[str, ...] = FAMILIES
    timeout_s: float = 20.0
    eco_min_grade: str = "C"
    notices: bool = True  # legal and privacy notice links (websites, not local files)
    headers: bool = True  # ANSSI response headers and cookies (not for local files)
    error_probes: bool = True
    consent: bool = True
    allowed_origins: tuple[str, ...] | None = None
    storage_state: dict | None = None
    session_cookie_names: tuple[str, ...] = ()
    login_set_cookies: tuple[str, ...] = ()  # raw Set-Cookie lines seen while logging in
    login_url: str | None = None
    batch: int = 3
    on_page: Callable[[str], None] | None = None


@dataclass
class AuditReport:
    urls: list[str]
    families: tuple[str, ...]
    pages: list[PageData] = field(default_factory=list)
    issues: dict[str, list[Issue]] = field(default_factory=dict)
    coverage: dict[str, dict] = field(default_factory=dict)
    ecoindex: dict[str, dict] = field(default_factory=dict)
    consent: list[rgpd.ConsentReport] = field(default_factory=list)
    probes: list[anssi.ErrorProbes] = field(default_factory=list)
    duration_s: float = 0.0
    axe_version: str | None = None

    def findings(self, family: str, _) -> list["Finding"]:
        return merge(self.issues.get(family, []), _)

    def coverage_summary(self) -> dict[str, int]:
        summary = {status: 0 for status in rgaa.STATUSES}
        for entry in self.coverage.values():
            summary[entry["status"]] += 1
        return summary

    def metrics(self) -> dict:
        crit = rgaa.criteria()
        coverage = {
            cid: {"status": entry["status"], "theme": crit[cid].theme, "title": crit[cid].title, "title_en": crit[cid].title_en,
                  "wcag": list(crit[cid].wcag), "failed": entry["failed"], "passed": entry["passed"],
                  "review": entry["review"], "rules": entry["rules"]}
            for cid, entry in self.coverage.items()
        }
        return {
            "ecoindex": self.ecoindex,
            "web_audit": {
                "schema": 1,
                "families": list(self.families),
                "duration_s": round(self.duration_s, 3),
                "axe_core": self.axe_version,
                "pages": [
                    {"url": p.url, "final_url": p.final_url, "status": p.status, "title": p.facts.get("title"),
                     "error": p.error, "cutoff_s": p.cutoff_s, "duration_s": p.timings.get("total_s"), "requests": len(p.requests),
                     "third_party_hosts": rgpd.third_party_hosts(p.url, [r.url for r in p.requests])}
                    for p in self.pages
                ],
                "rgaa": {"version": "4.1.2", "summary": self.coverage_summary(), "criteria": coverage} if "rgaa" in self.families else None,
                "rgpd": {"consent": [c.as_metrics() for c in self.consent]} if "rgpd" in self.families else None,
                "anssi": {"probes": [p.as_metrics() for p in self.probes]} if "anssi" in self.families else None,
            },
        }


def unavailable_issue(page: PageData, family: str, _) -> Issue:
    what = page.error or _("HTTP status {status}").format(status=page.status)
    return Issue(family=family, rule="page-unavailable", severity="high", page=page.url,
                 message=_("The page could not be audited: {reason}.").format(reason=what),
                 help=_("Make sure the page exists and answers without error."))


def run_audit(browser: "Browser", urls: list[str], options: AuditOptions, _) -> AuditReport:
    started = time.monotonic()
    settings = AuditSettings(timeout_ms=options.timeout_s * 1000, allowed_origins=options.allowed_origins,
                             storage_state=options.storage_state, batch=options.batch, on_page=options.on_page)
    report = AuditReport(urls=list(urls), families=tuple(f for f in FAMILIES if f in options.families))
    report.pages = collect_pages(browser, list(urls), settings)
    issues: dict[str, list[Issue]] = {family: [] for family in report.families}
    runs = []
    for page in report.pages:
        broken = page.error is not None or (page.status or 0) >= 400
        if broken:
            for family in report.families:
                issues[family].append(unavailable_issue(page, family, _))
        if page.error is not None:
            continue
        if "rgaa" in report.families:
            raw = None
            if page.facts.get("doctype") is None:
                raw = anssi.fetch(page.url)[1]
            found, own_failed, own_passed = rgaa.page_issues(page, _, raw_html=raw)
            issues["rgaa"].extend(found)
            runs.append({"violations": [v["id"] for v in page.axe.get("violations", [])],
                         "passes": page.axe.get("passes", []),
                         "incomplete": [v["id"] for v in page.axe.get("incomplete", [])
                                        if v["id"] not in own_failed | own_passed],  # settled by a DOM check
                         "own_failed": sorted(own_failed), "own_passed": sorted(own_passed)})
        if "rgpd" in report.families:
            issues["rgpd"].extend(rgpd.page_issues(page, _, check_notices=options.notices,
                                                   check_banner=options.consent))
        if "anssi" in report.families:
            if options.headers and not broken:
                issues["anssi"].extend(anssi.header_issues(page, _))
                issues["anssi"].extend(anssi.cookie_issues(page, _, set(options.session_cookie_names)))
            where = _("The page {url}").format(url=page.url)
            issues["anssi"].extend(anssi.leak_issues(page.facts.get("html", ""), page.url, _, where))
        measured = eco.measure(page)
        report.ecoindex[page.url] = measured
        if "eco" in report.families and not broken:
            issues["eco"].extend(eco.page_issues(page, measured, _, options.eco_min_grade))
    if "rgaa" in report.families:
        known: dict[str, list[str]] = {}
        for page in report.pages:
            known.update(page.axe.get("rules", {}))
        report.coverage = rgaa.coverage(runs, known)
    live = [p for p in report.pages if p.error is None and (p.status or 0) < 400]
    by_origin: dict[str, list[PageData]] = {}
    for page in live:
        by_origin.setdefault(origin_of(page.final_url or page.url), []).append(page)
    for origin, pages in sorted(by_origin.items()):
        if "rgpd" in report.families and options.consent:
            # Once per site, whatever the order of its pages: on the first page (by URL) with a banner.
            ordered = sorted(pages, key=lambda p: p.url)
            target = next((p for p in ordered if p.facts.get("consent")), ordered[0]).url
            try:
                consent = rgpd.consent_flow(browser, target, settings)
            except Exception as exc:  # a site that breaks the flow still gets its page-level findings
                consent = rgpd.ConsentReport(url=target, notes=[f"{type(exc).__name__}: {exc}"[:200]])
            report.consent.append(consent)
            issues["rgpd"].extend(rgpd.site_issues(consent, pages, _))
        if "anssi" in report.families and options.error_probes and options.headers:
            probes = anssi.probe_errors(min(p.url for p in pages))
            report.probes.append(probes)
            issues["anssi"].extend(anssi.probe_issues(probes, _))
    if "anssi" in report.families and options.headers and options.login_set_cookies:
        login_page = PageData(url=options.login_url or urls[0], set_cookies=list(options.login_set_cookies))
        issues["anssi"].extend(anssi.cookie_issues(login_page, _, set(options.session_cookie_names)))
    report.issues = issues
    report.duration_s = time.monotonic() - started
    return report
