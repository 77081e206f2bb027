"""Same page, same verdict: every page audited alone and in one batch gets the same findings.

Each page has a fresh browser context, and site-level findings do not depend on which pages came
first. Pages chosen for what used to vary: media controls and a frame (Tab moves inside them while
`document.activeElement` stays put), a real keyboard trap, a tracker without a banner, a consent
banner. One Chromium for the session (tests/conftest.py `browser`).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from graders.i18n import gettext_for
from graders.web.audit import AuditOptions, run_audit
from graders.web.serve import StaticServer

FIXTURES = Path(__file__).parent / "fixtures" / "web"
_ = gettext_for("en")
PAGES = ["rgpd-good.html", "media-audio.html", "a11y-trap.html", "media-iframe.html", "rgpd-tracker.html",
         "a11y-focus.html"]
OPTIONS = dict(families=("rgaa", "rgpd", "eco"), error_probes=False)


def findings_by_page(report) -> dict[str, set[tuple[str, str | None]]]:
    found: dict[str, set] = {url: set() for url in report.urls}
    for issues in report.issues.values():
        for issue in issues:
            found.setdefault(issue.page, set()).add((issue.rule, issue.element))
    return found


@pytest.mark.browser
@pytest.mark.xdist_group("browser")
def test_same_findings_alone_and_in_a_batch(browser):
    with StaticServer(FIXTURES / "tracker", host="localhost") as tracker, \
            StaticServer(FIXTURES / "site", replace={"TRACKER_ORIGIN": tracker.origin}) as site:
        urls = [site.url(name) for name in PAGES]
        batch = findings_by_page(run_audit(browser, urls, AuditOptions(**OPTIONS), _))
        # The other order as well, in batches of two: neighbours change, verdicts must not.
        reordered = findings_by_page(run_audit(browser, urls[::-1], AuditOptions(batch=2, **OPTIONS), _))
        alone = {}
        for url in urls:
            alone.update(findings_by_page(run_audit(browser, [url], AuditOptions(**OPTIONS), _)))
    short = {url: url.rsplit("/", 1)[-1] for url in urls}
    assert {short[u]: sorted(batch[u]) for u in urls} == {short[u]: sorted(alone[u]) for u in urls}
    assert {short[u]: sorted(reordered[u]) for u in urls} == {short[u]: sorted(alone[u]) for u in urls}
    # The pages' known verdicts (so that equality is not reached by finding nothing anywhere).
    rules = {short[u]: {rule for rule, _element in alone[u]} for u in urls}
    assert "rgaa-12.9.1/keyboard-trap" in rules["a11y-trap.html"]
    assert not any("keyboard-trap" in r for r in rules["media-audio.html"] | rules["media-iframe.html"])
    assert "rgpd-no-consent-banner" in rules["rgpd-tracker.html"]
    assert "rgpd-no-consent-banner" not in rules["rgpd-good.html"]
