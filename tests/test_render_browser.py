"""The HTML reports in Chromium: axe-clean in both languages, keyboard navigation, the audit itself."""

from __future__ import annotations

import pytest

from graders.errors import GraderUnavailable
from graders.render import RENDERERS, DashboardEntry, render_dashboard
from tests.render_samples import audit_result, error_result, incident_result, make_result


def test_launch_without_chromium(monkeypatch):
    from graders import browser

    monkeypatch.setattr(browser, "CHROMIUM", "/nonexistent/chromium")
    with pytest.raises(GraderUnavailable, match="Chromium not found"):
        browser.launch(object())


@pytest.mark.browser
def test_a_grader_browser_starts_while_the_caller_runs_playwright(browser):
    """The session `browser` fixture keeps Playwright's loop running in this thread, as a notebook
    kernel or an async caller would: a check's own browser must start all the same."""
    from graders.browser import with_browser

    assert browser.is_connected()
    assert with_browser(lambda own: own.new_page().evaluate("() => 6 * 7")) == 42


@pytest.mark.browser
def test_a_page_that_never_yields_is_stopped_on_its_deadline():
    """Playwright's evaluate would wait for ever on it: the session's bound kills that browser."""
    import os
    import time
    from pathlib import Path

    from graders.browser import BrowserTimeout, with_browser

    def descendants() -> set[int]:
        parents = {}
        for proc in Path("/proc").iterdir():
            try:
                parents[int(proc.name)] = int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (ValueError, OSError, IndexError):
                continue
        found, frontier = set(), {os.getpid()}
        while frontier:
            frontier = {pid for pid, parent in parents.items() if parent in frontier} - found
            found |= frontier
        return found

    def busy(own):
        page = own.new_page()
        page.evaluate("() => { for (;;) {} }")

    before = descendants()
    started = time.monotonic()
    with pytest.raises(BrowserTimeout):
        with_browser(busy, timeout_s=5)
    assert time.monotonic() - started < 25
    deadline = time.monotonic() + 10  # the driver reaps what the kill left as zombies
    while descendants() - before and time.monotonic() < deadline:
        time.sleep(0.5)
    assert descendants() - before == set(), "the busy browser was left running"


def browser_test(func):
    """Needs Chromium; one xdist group so that `-n 2 --dist loadgroup` still starts a single Chromium."""
    return pytest.mark.browser(pytest.mark.xdist_group("browser")(func))


def _axe_clean(page, html: str) -> None:
    from graders.browser import axe_audit, format_violations

    page.set_content(html)
    violations = axe_audit(page)
    assert not violations, "axe violations:\n" + format_violations(violations)


@browser_test
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_html_report_is_axe_clean(page, lang):
    _axe_clean(page, RENDERERS["html"](make_result(), lang=lang))
    assert page.evaluate("document.documentElement.lang") == lang
    assert page.title().startswith("Rapport de correction" if lang == "fr" else "Grading report")


@browser_test
def test_incident_report_is_axe_clean(page):
    """Hidden checks' findings, pending tests (their badge colour) and every severity pass axe."""
    _axe_clean(page, RENDERERS["html"](incident_result(), lang="fr"))


@browser_test
def test_error_report_and_dashboard_are_axe_clean(page):
    _axe_clean(page, RENDERERS["html"](error_result(), lang="en"))
    entries = [
        DashboardEntry("c6-architecture-couches / solution", make_result(), "c6/solution.html", "c6/solution.json"),
        DashboardEntry("c2-interfaces / starter", error_result(), "c2/starter.html"),
    ]
    _axe_clean(page, render_dashboard(entries, lang="fr"))


@browser_test
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_audit_report_is_axe_clean(page, lang):
    """The audit's own HTML format (`cda audit --html`): the shared page plus heatmap and tables."""
    html = RENDERERS["audit-html"](audit_result(), lang=lang)
    assert html.count("<rect") >= 106 and "EcoIndex" in html
    _axe_clean(page, html)


@browser_test
def test_skip_link_moves_focus_to_main(page):
    page.set_content(RENDERERS["html"](make_result(), lang="fr"))
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"  # visible focus style
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


@browser_test
def test_axe_audit_reports_violations(page):
    """The audit is not vacuous: a broken page yields violations in the documented shape."""
    from graders.browser import axe_audit

    page.set_content('<html><body><h1>x</h1><h3>y</h3><p style="color:#ccc">faint</p><img src="data:,"></body></html>')
    violations = {v["id"]: v for v in axe_audit(page)}
    assert {"html-has-lang", "image-alt", "color-contrast", "heading-order"} <= set(violations)
    node = violations["image-alt"]["nodes"][0]
    assert node["target"] == ["img"] and "<img" in node["html"] and node["failureSummary"]
    assert violations["image-alt"]["impact"] == "critical" and "wcag2a" in violations["image-alt"]["tags"]
