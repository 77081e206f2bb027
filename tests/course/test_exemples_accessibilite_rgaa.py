"""Runs the worked example of course/transversal/accessibilite-rgaa.md: the project's RGAA audit
(axe-core and the DOM checks, in the shared Chromium) on inscription_fautive.html, which gets the
findings the page explains, and on inscription_corrigee.html, which gets none."""

from __future__ import annotations

import pytest

from graders.i18n import gettext_for
from graders.web.audit import AuditOptions, run_audit
from graders.web.serve import StaticServer
from tests.helpers import REPO

FOLDER = REPO / "course" / "exemples" / "accessibilite-rgaa"
_ = gettext_for("fr")


@pytest.fixture(scope="module")
def findings(browser):
    with StaticServer(FOLDER) as server:
        urls = [server.url("inscription_fautive.html"), server.url("inscription_corrigee.html")]
        report = run_audit(browser, urls, AuditOptions(families=("rgaa",)), _)
    found: dict[str, list] = {"inscription_fautive.html": [], "inscription_corrigee.html": []}
    for issue in report.issues["rgaa"]:
        found[issue.page.rsplit("/", 1)[-1]].append(issue)
    return found


@pytest.mark.browser
@pytest.mark.xdist_group("browser")
def test_the_faulty_form_gets_the_expected_findings(findings):
    faulty = findings["inscription_fautive.html"]
    assert {issue.rule for issue in faulty} == {
        "rgaa-11.1.1/label", "rgaa-11.1.1/placeholder-only", "rgaa-11.5.1/radios-not-grouped"}
    assert sum(issue.rule == "rgaa-11.1.1/placeholder-only" for issue in faulty) == 3  # nom, prénom, courriel
    assert any(issue.severity == "critical" for issue in faulty)


@pytest.mark.browser
@pytest.mark.xdist_group("browser")
def test_the_corrected_form_is_clean(findings):
    assert [issue.rule for issue in findings["inscription_corrigee.html"]] == []
