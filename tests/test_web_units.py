"""Web audits without a browser: data, formulas, classifications, parsing, scoring, rendering."""

from __future__ import annotations

import pytest

from graders.i18n import gettext_for
from graders.web import anssi, eco, rgaa, rgpd
from graders.web.issues import Issue, merge

_ = gettext_for("en")


# --- RGAA referential and axe mapping ---------------------------------------------------------------

def test_rgaa_referential_is_complete():
    criteria = rgaa.criteria()
    assert len(criteria) == 106
    assert len(rgaa.themes()) == 13
    assert sum(c.tests for c in criteria.values()) == 258
    assert [t["title"] for t in rgaa.themes()][:3] == ["Images", "Cadres", "Couleurs"]
    assert criteria["11.1"].title == "Chaque champ de formulaire a-t-il une étiquette ?"
    assert criteria["8.1"].title == "Chaque page web est-elle définie par un type de document ?"
    assert criteria["10.7"].wcag == ("1.4.1 Use of Color (A)", "2.4.7 Focus Visible (AA)")
    per_theme = [sum(1 for c in criteria.values() if c.theme == n) for n in range(1, 14)]
    assert per_theme == [9, 2, 3, 13, 8, 2, 5, 10, 4, 14, 13, 11, 12]


@pytest.mark.parametrize("rule,tags,expected", [
    ("aria-hidden-focus", ["wcag2a", "RGAAv4", "RGAA-7.1.1"], ("10.8.1",)),  # upstream error corrected
    ("aria-hidden-body", ["RGAA-7.1.1"], ("10.8.1",)),
    ("valid-lang", ["wcag2aa", "RGAAv4", "RGAA-8.7.1"], ("8.8.1",)),  # upstream error corrected
    ("image-alt", ["wcag2a", "wcag111", "RGAAv4", "RGAA-1.1.1"], ("1.1.1",)),
    ("heading-order", ["best-practice"], ("9.1.1",)),  # untagged by axe, mapped here
    ("target-size", ["wcag22aa"], ()),  # not an RGAA 4.1 requirement
])
def test_axe_rules_map_to_rgaa_tests(rule, tags, expected):
    assert rgaa.rgaa_tests(rule, tags) == expected


def test_wcag_refs_from_axe_tags():
    assert rgaa.wcag_refs(["wcag2a", "wcag143", "wcag1412", "RGAAv4"]) == ["WCAG 1.4.3", "WCAG 1.4.12"]


def test_coverage_statuses():
    runs = [{"violations": ["image-alt"], "passes": ["label", "document-title"], "incomplete": ["color-contrast"],
             "own_failed": ["focus-invisible"], "own_passed": ["doctype-missing"]}]
    known = {"image-alt": ["RGAA-1.1.1"], "label": ["RGAA-11.1.1"], "document-title": ["RGAA-8.5.1"],
             "color-contrast": ["RGAA-3.2.1"], "frame-title": ["RGAA-2.1.1"]}
    table = rgaa.coverage(runs, known)
    assert table["1.1"]["status"] == "failed" and table["1.1"]["failed"] == ["image-alt"]
    assert table["10.7"]["status"] == "failed"
    assert table["11.1"]["status"] == "passed"
    assert table["3.2"]["status"] == "review"
    assert table["2.1"]["status"] == "untested"
    assert table["13.7"]["status"] == "manual"
    assert len(table) == 106


# --- EcoIndex ----------------------------------------------------------------------------------------

def test_ecoindex_formula_and_grades():
    assert eco.score(0, 0, 0) == 100
    assert eco.quantile_position(47, eco.QUANTILES_DOM) == 1.0
    assert eco.quantile_position(61, eco.QUANTILES_DOM) == pytest.approx(1.5)
    assert eco.quantile_position(10**7, eco.QUANTILES_DOM) == 20
    # 3*q_dom + 2*q_req + q_size with q = 1, 1, 1  ->  100 - 5 * 6 / 6 = 95
    assert eco.score(47, 2, 1.37) == 95
    assert eco.score(594601, 3920, 223212.26) == 0
    assert [eco.grade(v) for v in (81, 80, 71, 56, 41, 26, 11, 10)] == ["A", "B", "B", "C", "D", "E", "F", "G"]
    assert eco.worse("D", "B") and not eco.worse("A", "B")


# --- RGPD ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("page,other,third", [
    ("http://127.0.0.1:8000/", "http://127.0.0.1:8000/app.js", False),
    ("http://127.0.0.1:8000/", "http://127.0.0.1:9000/t.js", True),  # two local servers: two sites
    ("http://127.0.0.1:8000/", "http://localhost:8000/t.js", True),
    ("https://www.mediatheque.fr/", "https://static.mediatheque.fr/a.css", False),
    ("https://www.mediatheque.fr/", "https://www.google-analytics.com/ga.js", True),
    ("https://www.ville.gouv.fr/", "https://cdn.autre.gouv.fr/x.js", True),
])
def test_third_parties(page, other, third):
    assert bool(rgpd.third_party_hosts(page, [other])) is third


@pytest.mark.parametrize("name,kind", [
    ("session", "essential"), ("csrftoken", "essential"), ("consentement", "essential"), ("choix_cookies", "essential"),
    ("_ga", "tracker"), ("_pk_id", "tracker"), ("_fbp", "tracker"), ("visitor_id", "tracker"), ("preference", "unknown"),
])
def test_cookie_kinds(name, kind):
    assert rgpd.cookie_kind({"name": name, "domain": "127.0.0.1"}, "http://127.0.0.1:8000/") == kind


def test_third_party_cookie_is_a_tracker():
    assert rgpd.cookie_kind({"name": "session", "domain": ".doubleclick.net"}, "https://www.mediatheque.fr/") == "tracker"


def test_unknown_long_cookie_needs_consent_with_low_confidence():
    import time

    cookie = {"name": "preference", "domain": "127.0.0.1", "expires": time.time() + 90 * 86400}
    assert rgpd.needs_consent(cookie, "http://127.0.0.1/") == (True, "low")
    assert rgpd.needs_consent(dict(cookie, expires=-1), "http://127.0.0.1/") == (False, "")


# --- ANSSI --------------------------------------------------------------------------------------------

def test_csp_parsing():
    policy = anssi.parse_csp("default-src 'self'; script-src 'self' 'nonce-abc' 'unsafe-inline'; frame-ancestors 'none'")
    assert policy["script-src"] == ["'self'", "'nonce-abc'", "'unsafe-inline'"]
    assert policy["frame-ancestors"] == ["'none'"]


def test_set_cookie_parsing():
    flags = anssi.parse_set_cookie("session=abc; Path=/; HttpOnly; SameSite=Lax; Secure")
    assert (flags.name, flags.httponly, flags.samesite, flags.secure) == ("session", True, "Lax", True)
    bare = anssi.parse_set_cookie("sessionid=xyz; Path=/")
    assert (bare.httponly, bare.samesite, bare.secure) == (False, None, False)


@pytest.mark.parametrize("text,kind", [
    ('Traceback (most recent call last):\n  File "/srv/app.py", line 3, in f', "trace"),
    ("<title>KeyError // Werkzeug Debugger</title>", "debug"),
    ("You're seeing this error because you have <code>DEBUG = True</code> in your Django settings", "debug"),
    ("DATABASE_URL=postgres://admin:s3cret@db:5432/prod", "secret"),
    ("-----BEGIN RSA PRIVATE KEY-----", "secret"),
    ("<h1>404</h1><p>Page introuvable</p>", None),
    ("<p>Le mot Traceback, seul, ne suffit pas.</p>", None),
])
def test_leak_detection(text, kind):
    found = {k for k, _detail, _excerpt in anssi.leaks(text)}
    assert found == ({kind} if kind else set())


# --- merging and scoring -------------------------------------------------------------------------------

def test_same_defect_on_several_pages_is_one_finding():
    issues = [Issue(family="rgaa", rule="rgaa-1.1.1/image-alt", severity="critical", message="m", page=f"http://x/{i}",
                    element="img", references=["RGAA 1.1.1"]) for i in range(3)]
    issues.append(Issue(family="rgaa", rule="rgaa-1.1.1/image-alt", severity="critical", message="m", page="http://x/0",
                        element="img.logo"))
    findings = merge(issues, _)
    assert len(findings) == 2
    first = next(f for f in findings if "Also on 2 other page(s)" in f.message)
    assert first.path == "http://x/0" and first.references == ["RGAA 1.1.1"]


def test_web_audit_scoring_counts_each_rule_once():
    from types import SimpleNamespace

    from graders.checks.web_audit_check import WebAuditOptions, family_fraction
    from graders.results import Finding

    options = WebAuditOptions.model_validate({"app": {"command": ["python", "-m", "app"]}, "eco_target": "B"})
    findings = [Finding(rule="rgaa-1.1.1/image-alt", severity="critical", message="a"),
                Finding(rule="rgaa-1.1.1/image-alt", severity="high", message="b"),
                Finding(rule="rgaa-10.7.1/focus-invisible", severity="high", message="c")]
    report = SimpleNamespace(pages=[SimpleNamespace(error=None, status=200)], ecoindex={})
    assert family_fraction("rgaa", findings, report, options) == pytest.approx(1 - 0.5 - 0.25)
    report.ecoindex = {"/": {"grade": "D"}, "/b": {"grade": "A"}}
    assert family_fraction("eco", [], report, options) == pytest.approx(1 - 0.25)


def test_web_audit_options_are_strict():
    from pydantic import ValidationError

    from graders.checks.web_audit_check import WebAuditOptions

    with pytest.raises(ValidationError):
        WebAuditOptions.model_validate({"app": {"command": ["x"]}, "pages": ["relative"]})
    with pytest.raises(ValidationError):
        WebAuditOptions.model_validate({"app": {"command": ["x"]}, "families": ["seo"]})
    with pytest.raises(ValidationError):
        WebAuditOptions.model_validate({"app": {"command": ["x"], "unknown": 1}})


def test_web_audit_takes_the_services_options_of_the_pytest_check():
    from pydantic import ValidationError

    from graders.checks.web_audit_check import WebAuditOptions

    app = {"command": ["python", "-m", "app"]}
    options = WebAuditOptions.model_validate({"app": app, "services": ["postgres", "redis"],
                                              "database_template": ["starter/db/schema.sql"]})
    assert options.services == ["postgres", "redis"] and options.database_template == ["starter/db/schema.sql"]
    for wrong in ({"services": ["mysql"]}, {"database_template": ["db.sql"]},
                  {"services": ["postgres"], "database_template": ["/etc/db.sql"]}):
        with pytest.raises(ValidationError):
            WebAuditOptions.model_validate({"app": app, **wrong})


def test_sandboxes_without_spawn_say_so():
    from graders.errors import GraderUnavailable
    from graders.sandbox.base import RunResult, Sandbox

    class Minimal(Sandbox):
        name = "minimal"

        @classmethod
        def unavailable_reason(cls):
            return None

        def run(self, argv, **kwargs):
            return RunResult(0, "", "", 0.0)

    with pytest.raises(GraderUnavailable, match="cannot run background processes"):
        Minimal().spawn(["true"], mounts=[])


# --- report rendering -----------------------------------------------------------------------------------

def test_heatmap_has_106_marked_cells():
    from graders.web.report import heatmap_svg

    statuses = {cid: {"status": "failed" if cid == "1.1" else "manual"} for cid in rgaa.criteria()}
    svg = heatmap_svg(statuses, _)
    assert svg.count("<rect") == 106
    assert "1.1 ✗" in svg and "13.12 ·" in svg
    assert 'role="img"' in svg and "<title" in svg and "<desc" in svg


def test_command_rejects_unknown_families():
    from graders.errors import BadInput
    from graders.web.command import parse_families

    assert parse_families("rgaa, eco") == ("rgaa", "eco")
    with pytest.raises(BadInput, match="unknown family"):
        parse_families("rgaa,seo")
