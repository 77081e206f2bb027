"""Web audits in the real browser, on local pages with known defects and on clean pages.

One Chromium for the session (tests/conftest.py `browser`); the pages are served by two local
servers (127.0.0.1 for the site, localhost for a "third-party" tracker) so that everything,
third parties included, works offline.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from graders.i18n import gettext_for
from graders.web import rgaa
from graders.web.audit import AuditOptions, run_audit
from graders.web.serve import StaticServer

FIXTURES = Path(__file__).parent / "fixtures" / "web"
_ = gettext_for("en")

RGAA_DEFECTS = {  # page -> the RGAA test its defect breaks
    "a11y-image.html": "1.1.1",
    "a11y-label.html": "11.1.1",
    "a11y-placeholder.html": "11.1.1",
    "a11y-contrast.html": "3.2.1",
    "a11y-lang.html": "8.3.1",
    "a11y-doctype.html": "8.1.1",
    "a11y-title.html": "8.5.1",
    "a11y-focus.html": "10.7.1",
    "a11y-pointer.html": "7.3.1",
    "a11y-skip.html": "12.7.1",
    "a11y-trap.html": "12.9.1",
    "a11y-aria-hidden.html": "10.8.1",
    "a11y-valid-lang.html": "8.8.1",
}


def browser_test(func):
    return pytest.mark.browser(pytest.mark.xdist_group("browser")(func))


@pytest.fixture(scope="module")
def servers():
    with StaticServer(FIXTURES / "tracker", host="localhost") as tracker, \
            StaticServer(FIXTURES / "site", replace={"TRACKER_ORIGIN": tracker.origin}) as site, \
            StaticServer(FIXTURES / "debug") as debug:
        yield {"site": site, "tracker": tracker, "debug": debug}


@pytest.fixture(scope="module")
def rgaa_report(browser, servers):
    urls = [servers["site"].url(name) for name in RGAA_DEFECTS]
    return run_audit(browser, urls, AuditOptions(families=("rgaa",)), _)


def issues_on(report, family, url):
    return [i for i in report.issues[family] if i.page == url]


@browser_test
@pytest.mark.parametrize("page,test", sorted(RGAA_DEFECTS.items()))
def test_rgaa_defect_found_with_its_criterion(rgaa_report, servers, page, test):
    url = servers["site"].url(page)
    found = issues_on(rgaa_report, "rgaa", url)
    matching = [i for i in found if i.test == test]
    assert matching, f"{page}: expected RGAA {test}, got {[i.rule for i in found]}"
    issue = matching[0]
    assert f"RGAA {test}" in issue.references and any(r.startswith("WCAG 2.1 ") for r in issue.references)
    criterion = ".".join(test.split(".")[:2])
    assert f"RGAA criterion {criterion}" in issue.message and "«" in issue.message  # the criterion's title
    assert rgaa.criteria()[criterion].title_en in issue.message  # in the report's language (here English)
    assert issue.help
    assert rgaa_report.coverage[criterion]["status"] == "failed"


@browser_test
def test_defects_carry_the_element(rgaa_report, servers):
    image = issues_on(rgaa_report, "rgaa", servers["site"].url("a11y-image.html"))[0]
    assert image.element == "img" and image.snippet.startswith("<img")
    focus = next(i for i in issues_on(rgaa_report, "rgaa", servers["site"].url("a11y-focus.html")) if i.test == "10.7.1")
    assert "a" in focus.element and "Un lien au focus invisible" in focus.snippet


@browser_test
def test_we_find_everything_bare_axe_finds(browser, rgaa_report, servers):
    from graders.browser import axe_audit

    context = browser.new_context()
    try:
        page = context.new_page()
        for name in RGAA_DEFECTS:
            url = servers["site"].url(name)
            page.goto(url)
            bare = {v["id"] for v in axe_audit(page)}
            ours = {i.rule.split("/")[-1] for i in issues_on(rgaa_report, "rgaa", url)}
            assert bare <= ours, f"{name}: axe found {sorted(bare - ours)} that we did not report"
    finally:
        context.close()


@browser_test
def test_clean_page_has_no_violation_in_any_family(browser, servers):
    report = run_audit(browser, [servers["site"].url("clean.html")], AuditOptions(), _)
    assert {family: [i.rule for i in issues] for family, issues in report.issues.items() if issues} == {}
    assert report.coverage_summary()["failed"] == 0
    assert report.coverage_summary()["passed"] >= 10
    eco = report.ecoindex[servers["site"].url("clean.html")]
    assert set(eco) == {"score", "grade", "dom_nodes", "requests", "size_kb", "cutoff_s"} and eco["grade"] == "A"
    assert eco["cutoff_s"] is None


# --- RGPD -------------------------------------------------------------------------------------------------

def rgpd_rules(browser, servers, page):
    report = run_audit(browser, [servers["site"].url(page)], AuditOptions(families=("rgpd",)), _)
    return report, {i.rule: i for i in report.issues["rgpd"]}


@browser_test
def test_tracker_before_consent(browser, servers):
    report, rules = rgpd_rules(browser, servers, "rgpd-tracker.html")
    third = rules["rgpd-third-party-before-consent"]
    assert "CNIL fiche 16" in third.references and f"localhost:{servers['tracker'].port}" in third.message
    assert "_ga" in rules["rgpd-cookie-before-consent"].message
    assert "rgpd-no-consent-banner" in rules
    assert report.metrics()["web_audit"]["rgpd"]["consent"][0]["third_party_before"]


@browser_test
def test_refusal_must_be_as_easy_as_acceptance(browser, servers):
    _report, rules = rgpd_rules(browser, servers, "rgpd-accept-only.html")
    refusal = rules.get("rgpd-refusal-harder") or rules.get("rgpd-refusal-not-offered")
    assert refusal is not None and "CNIL fiche 16" in refusal.references
    assert "rgpd-third-party-before-consent" not in rules


@browser_test
def test_audience_cookie_longer_than_13_months(browser, servers):
    _report, rules = rgpd_rules(browser, servers, "rgpd-long-cookie.html")
    assert set(rules) == {"rgpd-cookie-lifetime"}
    assert "CNIL fiche 17" in rules["rgpd-cookie-lifetime"].references and "_pk_id" in rules["rgpd-cookie-lifetime"].message


@browser_test
def test_compliant_consent_banner(browser, servers):
    report, rules = rgpd_rules(browser, servers, "rgpd-good.html")
    assert rules == {}
    consent = report.consent[0]
    assert consent.banner and consent.refuse_clicks == 1 and consent.withdraw_works
    assert consent.after_accept is not None and "localhost" in " ".join(consent.after_accept.requests)
    assert consent.after_refuse is not None and not any("localhost" in u for u in consent.after_refuse.requests)


# --- ANSSI ------------------------------------------------------------------------------------------------

@browser_test
def test_missing_headers_and_weak_session_cookie(browser, servers):
    urls = [servers["site"].url("anssi-bad.html"), servers["site"].url("anssi-unsafe-inline.html")]
    report = run_audit(browser, urls, AuditOptions(families=("anssi",)), _)
    bad = {i.rule: i for i in issues_on(report, "anssi", urls[0])}
    assert {"anssi-csp-missing", "anssi-framing", "anssi-nosniff", "anssi-referrer-policy",
            "anssi-cookie-httponly", "anssi-cookie-samesite"} <= set(bad)
    assert all(any(r.startswith("ANSSI") for r in i.references) for i in bad.values())
    assert "CWE-1004" in bad["anssi-cookie-httponly"].references
    inline = {i.rule for i in issues_on(report, "anssi", urls[1])}
    assert inline == {"anssi-csp-unsafe-inline"}


@browser_test
def test_debug_error_pages_are_caught(browser, servers):
    report = run_audit(browser, [servers["debug"].url("index.html")], AuditOptions(families=("anssi",)), _)
    rules = {i.rule: i for i in report.issues["anssi"]}
    assert {"anssi-debug-mode", "anssi-stack-trace", "anssi-secret-leak"} <= set(rules)
    assert "CWE-209" in rules["anssi-stack-trace"].references
    assert [p["status"] for p in report.metrics()["web_audit"]["anssi"]["probes"][0]][:2] == [404, 404]


# --- EcoIndex ------------------------------------------------------------------------------------------

@browser_test
def test_heavy_page_gets_a_low_grade(browser, tmp_path):
    rows = "".join(f"<div><div><div><p>Ligne {i}</p></div></div></div>" for i in range(600))
    (tmp_path / "lourde.html").write_text(f"<!DOCTYPE html><html lang='fr'><head><title>Lourde</title></head><body><main>{rows}</main></body></html>")
    with StaticServer(tmp_path) as server:
        url = server.url("lourde.html")
        report = run_audit(browser, [url], AuditOptions(families=("eco",), eco_min_grade="B"), _)
    eco = report.ecoindex[url]
    assert eco["dom_nodes"] >= 2400 and eco["requests"] <= 2  # the page (and the favicon)
    assert eco["grade"] in "CDEFG" and eco["score"] < 70
    issue = report.issues["eco"][0]
    assert issue.rule == "eco-ecoindex-grade" and "RGESN 6.1" in issue.references


class SlowImages:
    """A page of `count` distinct images, each answered after `delay_s`: longer to load than the limit."""

    def __init__(self, count: int, delay_s: float):
        import threading
        import time
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        page = ("<!DOCTYPE html><html lang='fr'><head><meta charset='utf-8'><title>Galerie — Médiathèque</title></head>"
                "<body><main><h1>Galerie</h1>" + "".join(f"<img src='/i/{i}.gif' alt='' width='8' height='8'>"
                                                          for i in range(count)) + "</main></body></html>").encode()
        gif = bytes.fromhex("47494638396101000100800000000000ffffff21f90401000000002c00000000010001000002024401003b")

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def do_GET(self) -> None:
                if self.path.startswith("/i/"):
                    time.sleep(delay_s)
                body, kind = (gif, "image/gif") if self.path.startswith("/i/") else (page, "text/html; charset=utf-8")
                self.send_response(200)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@browser_test
def test_page_slower_than_the_limit_is_measured_at_the_cutoff(browser):
    import time

    server = SlowImages(1500, delay_s=0.03)  # 6 connections per host: about 7.5 s of images
    try:
        started = time.monotonic()
        report = run_audit(browser, [server.url], AuditOptions(families=("eco",), timeout_s=3), _)
        elapsed = time.monotonic() - started
    finally:
        server.close()
    eco = report.ecoindex[server.url]
    assert eco["cutoff_s"] == 3 and eco["grade"] in "ABCDEFG"
    assert eco["dom_nodes"] >= 1500 and eco["requests"] >= 2  # requests issued by the cut-off
    unfinished = [r for r in report.pages[0].requests if r.bytes == 0]
    assert unfinished, "every image had loaded: the page was not slower than the limit"
    assert "page-unavailable" not in {i.rule for i in report.issues["eco"]}
    assert report.metrics()["web_audit"]["pages"][0]["cutoff_s"] == 3
    assert elapsed < 30, f"the audit of a slow page took {elapsed:.1f} s"


# --- dogfooding: the platform's own pages ----------------------------------------------------------------

@browser_test
def test_platform_html_passes_its_own_audit(browser, tmp_path, servers):
    from graders.render import DashboardEntry, render, render_dashboard
    from graders.results import CheckResult, Finding, Result, TestCase
    from graders.web.command import build_result
    from graders.web.report import render_html

    graded = Result(
        lab="c2-demo", lab_title="Démo", submission="solution", status="graded", score=7, max_score=10, lang="fr",
        checks=[CheckResult(id="tests", kind="pytest", title="Tests", status="failed", score=7, max_score=10,
                            findings=[Finding(rule="B101", severity="low", message="assert", path="app.py", line=3,
                                              references=["CWE-703"], help="Utiliser une exception")],
                            tests=[TestCase(name="test_a", status="passed", score=7, max_score=7),
                                   TestCase(name="test_b", status="failed", max_score=3, message="boom")])])
    audit = run_audit(browser, [servers["site"].url("a11y-image.html")], AuditOptions(families=("rgaa", "eco")), _)
    pages = {
        "report.html": render(graded, "html", "fr"),
        "report-en.html": render(graded, "html", "en"),
        "error.html": render(Result(lab="c2-demo", status="error", error="Chromium absent", lang="en"), "html", "en"),
        "audit.html": render_html(build_result(audit, "fr"), "fr"),
        "dashboard.html": render_dashboard([DashboardEntry("c2-demo / solution", graded, "report.html")], lang="fr"),
    }
    for name, html in pages.items():
        (tmp_path / name).write_text(html, encoding="utf-8")
    assert "<svg" in pages["audit.html"] and "13.12" in pages["audit.html"]
    with StaticServer(tmp_path) as server:
        urls = [server.url(name) for name in pages]
        report = run_audit(browser, urls, AuditOptions(families=("rgaa", "rgpd", "eco"), notices=False, headers=False,
                                                       consent=False), _)
    violations = {family: [(i.page.rsplit("/", 1)[-1], i.rule, i.element) for i in issues]
                  for family, issues in report.issues.items() if issues}
    assert violations == {}
