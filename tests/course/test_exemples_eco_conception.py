"""Runs the worked example of course/transversal/eco-conception.md: the project's EcoIndex
measurement (graders/web/eco.py, in the shared Chromium) on catalogue_avant.html (60 books, full-size
couverture.svg, nested markup) and catalogue_apres.html (20 books per page, vignette.svg at display
size, loading="lazy"), and the cache header that vignette.svg.headers gives the thumbnails
(couverture.svg.headers gives the full-size cover none)."""

from __future__ import annotations

import urllib.request

import pytest

from graders.i18n import gettext_for
from graders.web import eco
from graders.web.audit import AuditOptions, run_audit
from graders.web.serve import StaticServer
from tests.helpers import REPO

FOLDER = REPO / "course" / "exemples" / "eco-conception"
_ = gettext_for("fr")


@pytest.fixture(scope="module")
def measured(browser):
    with StaticServer(FOLDER) as server:
        urls = {name: server.url(name) for name in ("catalogue_avant.html", "catalogue_apres.html")}
        report = run_audit(browser, list(urls.values()), AuditOptions(families=("eco",), eco_min_grade="B"), _)
        with urllib.request.urlopen(server.url("vignette.svg?livre=1")) as answer:
            thumb_cache = answer.headers.get("Cache-Control", "")
        with urllib.request.urlopen(server.url("couverture.svg?livre=1")) as answer:
            cover_cache = answer.headers.get("Cache-Control", "")
    issues = {name: [i.rule for i in report.issues["eco"] if i.page == url] for name, url in urls.items()}
    return {name: report.ecoindex[url] for name, url in urls.items()}, issues, thumb_cache, cover_cache


@pytest.mark.browser
@pytest.mark.xdist_group("browser")
def test_before_is_grade_d_and_flagged(measured):
    scores, issues, _thumb, _cover = measured
    before = scores["catalogue_avant.html"]
    assert before["grade"] == "D" and before["dom_nodes"] > 500 and before["requests"] >= 60
    assert "eco-ecoindex-grade" in issues["catalogue_avant.html"] and "eco-oversized-image" in issues["catalogue_avant.html"]


@pytest.mark.browser
@pytest.mark.xdist_group("browser")
def test_after_reaches_grade_a_with_fewer_requests_lazily(measured):
    scores, issues, _thumb, _cover = measured
    after = scores["catalogue_apres.html"]
    assert after["grade"] == "A" and issues["catalogue_apres.html"] == []
    assert after["requests"] < 21  # lazy images below the fold are not fetched
    assert after["score"] == eco.score(after["dom_nodes"], after["requests"], after["size_kb"])


@pytest.mark.browser
@pytest.mark.xdist_group("browser")
def test_thumbnails_are_cached_for_a_year(measured):
    _scores, _issues, thumb_cache, cover_cache = measured
    assert "max-age=31536000" in thumb_cache and "immutable" in thumb_cache
    assert cover_cache == ""
