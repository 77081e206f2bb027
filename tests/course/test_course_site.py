"""`make site`: the course site builds from today's tree (offline, French and English, one page per lab
with its generated grading section) and its pages pass the platform's own audit (`cda audit`: RGAA,
RGPD, ANSSI, EcoIndex) with no serious finding, served over http."""

from __future__ import annotations

import json
import re
from collections import Counter

import pytest

from graders.course_site.build import build_site
from graders.i18n import gettext_for
from graders.labs import discover_labs
from graders.web.audit import AuditOptions, run_audit
from graders.web.command import build_result
from graders.web.serve import StaticServer

SERIOUS = {"high", "critical"}
AUDITED = ("", "labs/c8-acces-donnees/")  # the home page and a lab page


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("course-site")
    stats = build_site(root / "site", workdir=root / "src")
    return root / "site", stats


def test_every_lab_has_a_page_with_its_statement_and_grading(site):
    folder, stats = site
    labs = discover_labs()
    assert stats["labs"] == len(labs) and (folder / "index.html").is_file()
    for lab in labs:
        html = (folder / "labs" / lab.id / "index.html").read_text(encoding="utf-8")
        assert "Critères évalués et notation" in html, lab.id
        for spec in lab.manifest.checks:
            assert f"<code>{spec.id}</code>" in html, (lab.id, spec.id)
        for item in lab.manifest.rubric:
            assert "À évaluer par le formateur" in html and item.criterion in html, lab.id
        english = (folder / "en" / "labs" / lab.id / "index.html").read_text(encoding="utf-8")
        assert "Criteria assessed and grading" in english and '<html lang="en"' in english


def test_the_site_is_offline_and_searchable_in_both_languages(site):
    folder, _ = site
    for page in (folder / "index.html", folder / "labs" / "c8-acces-donnees" / "index.html"):
        html = page.read_text(encoding="utf-8")
        assert '<html lang="fr"' in html
        assert not re.findall(r'<(?:script|link)[^>]+(?:src|href)="(?:https?:)?//', html), page  # no CDN, no web font
        assert "<script>" not in html  # inline scripts moved to files: the Content-Security-Policy forbids them
    index = json.loads((folder / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert index["config"]["lang"] == ["fr", "en"]
    locations = [doc["location"] for doc in index["docs"]]
    assert "labs/c8-acces-donnees/" in locations and "en/labs/c8-acces-donnees/" in locations


@pytest.mark.browser
@pytest.mark.xdist_group("browser")
def test_home_and_lab_page_have_no_serious_audit_finding(site, browser):
    folder, _ = site
    _ = gettext_for("en")
    with StaticServer(folder) as server:
        urls = [server.url(path) for path in AUDITED]
        report = run_audit(browser, urls, AuditOptions(), _)
    result = build_result(report, "en")  # what `cda audit URL...` reports
    findings = [f for check in result.checks for f in check.findings]
    by_severity = Counter(f.severity for f in findings)
    print("audit findings by severity:", dict(by_severity))
    serious = [f"{f.severity} {f.rule} {f.path}" for f in findings if f.severity in SERIOUS]
    assert serious == []
    coverage = report.coverage_summary()
    assert coverage["failed"] == 0 and coverage["passed"] >= 10  # RGAA ran; no criterion failed its automatic tests
