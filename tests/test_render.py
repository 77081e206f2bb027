"""Renderers: golden files, hidden-test rule, i18n, JUnit/SARIF/Gradescope shapes, accessibility.

Regenerate golden files with `UPDATE_GOLDEN=1 pytest tests/test_render.py`.
"""

from __future__ import annotations

import io
import itertools
import json
import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from junitparser import JUnitXml

from graders.errors import BadInput, GraderUnavailable
from graders.render import RENDERERS, DashboardEntry, render_dashboard, write_report
from graders.render import gradescope, sarif
from graders.render._common import STATUS_LABELS, location, translator
from graders.results import AreaScore, CheckResult, Finding, Result
from graders.results import TestCase as Case  # aliased: pytest would try to collect `Test*` names

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = Path(__file__).parent / "golden"
PO_FILE = ROOT / "graders" / "locale" / "fr" / "LC_MESSAGES" / "graders.po"

SECRET = "SECRET-EXPECTED-4242"


# --------------------------------------------------------------------------- fixtures


def make_result() -> Result:
    """What the engine emits: hidden tests already carry no message."""
    return Result(
        lab="c6-architecture-couches",
        lab_title="Architecture en couches",
        submission="solution",
        status="graded",
        score=10.5,
        max_score=20,
        duration_s=12.34,
        lang="fr",
        grader_version="0.1.0",
        sandbox="bubblewrap",
        competences=[
            AreaScore(id="C1", title="Installer et configurer son environnement de travail", score=0, max_score=2),
            AreaScore(id="C3", title="Développer des composants métier", score=3.5, max_score=6),
            AreaScore(id="C6", title="Concevoir une application organisée en couches", score=6, max_score=8),
            AreaScore(id="C8", title="Développer des composants d'accès aux données", score=1, max_score=4),
        ],
        themes=[AreaScore(id="anssi", title="Sécurité des applications (ANSSI)", score=1, max_score=4)],
        checks=[
            CheckResult(
                id="unit-tests",
                kind="pytest",
                title="Tests unitaires",
                status="failed",
                score=3.5,
                max_score=6,
                duration_s=3.2,
                competences=["C3"],
                tests=[
                    Case(name="test_create_order", status="passed", score=1, max_score=1),
                    Case(name="test_total_with_vat", status="passed", score=1, max_score=1),
                    Case(
                        name="test_rejects_negative_quantity",
                        status="failed",
                        score=0,
                        max_score=1.5,
                        message="\x1b[31mAssertionError\x1b[0m: assert <script>alert(1)</script> == 'x'\n"
                        "  expected: ValueError | got: None",
                    ),
                    Case(name="test_hidden_discount", status="passed", score=1.5, max_score=1.5, hidden=True),
                    Case(name="test_hidden_rounding", status="failed", score=0, max_score=1, hidden=True),
                ],
            ),
            CheckResult(
                id="acceptance",
                kind="pytest",
                title="Tests de recette",
                status="failed",
                score=2,
                max_score=4,
                duration_s=2.0,
                visible=False,
                competences=["C6"],
                tests=[
                    Case(name="test_layers_end_to_end", status="passed", score=2, max_score=2),
                    Case(name="test_repository_swap", status="failed", score=0, max_score=2),
                ],
            ),
            CheckResult(
                id="security",
                kind="bandit",
                title="Analyse de sécurité",
                status="failed",
                score=1,
                max_score=4,
                duration_s=1.1,
                competences=["C8"],
                themes=["anssi"],
                findings=[
                    Finding(
                        rule="B105",
                        severity="low",
                        message="Mot de passe codé en dur : 'admin'",
                        path="app/config.py",
                        references=["cwe-259"],
                        confidence="medium",
                    ),
                    Finding(
                        rule="B608",
                        severity="high",
                        message="Requête SQL construite par concaténation de chaînes",
                        path="app/db.py",
                        line=42,
                        references=["CWE-89", "OWASP A03:2021"],
                        help="Utilisez des requêtes paramétrées (placeholders ?).",
                        confidence="high",
                    ),
                    Finding(
                        rule="B608",
                        severity="high",
                        message="Requête SQL construite par concaténation de chaînes",
                        path="./app/repositories/order repo.py",
                        line=10,
                        references=["CWE-89"],
                    ),
                    Finding(
                        rule="missing-security-policy",
                        severity="info",
                        message="Aucun fichier SECURITY.md",
                        references=["https://example.org/security-policy"],
                        help="Ajoutez un fichier SECURITY.md décrivant la procédure de signalement.",
                    ),
                ],
            ),
            CheckResult(
                id="layers",
                kind="import-contracts",
                title="Dépendances entre couches",
                status="passed",
                score=4,
                max_score=4,
                duration_s=0.8,
                competences=["C6"],
            ),
            CheckResult(
                id="lint",
                kind="ruff",
                title="Qualité du code",
                status="error",
                score=0,
                max_score=2,
                duration_s=60.0,
                competences=["C1"],
                message="ruff n'a pas terminé : délai dépassé (60 s)",
            ),
            CheckResult(
                id="a11y",
                kind="axe",
                title="Accessibilité",
                status="skipped",
                score=0,
                max_score=0,
                themes=["rgaa"],
                message="Chromium absent : vérification ignorée",
            ),
        ],
    )


def leaky_result() -> Result:
    """A result that wrongly still carries hidden messages: renderers must not print them.

    Its hidden check also has a finding: findings are the grader's own words, always printed.
    """
    result = make_result().model_copy(deep=True)
    for check in result.checks:
        for test in check.tests:
            if test.hidden or not check.visible:
                test.message = f"{SECRET} expected 42, got {test.name}"
        if not check.visible:
            check.message = f"{SECRET} check message"
            check.findings.append(Finding(rule="HIDDEN-CHECK-RULE", message="Grader finding on a hidden check", path="x.py"))
    return result


def error_result() -> Result:
    return Result(
        lab="c2-interfaces",
        lab_title="Interfaces utilisateur",
        submission="starter",
        status="error",
        score=0,
        max_score=10,
        lang="en",
        error="sandbox unavailable: bwrap not found",
        competences=[AreaScore(id="C2", title="Développer des interfaces utilisateur", score=0, max_score=10)],
    )


@pytest.fixture
def result() -> Result:
    return make_result()


def assert_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
        return
    assert path.exists(), f"golden file {path} missing: run with UPDATE_GOLDEN=1"
    expected = path.read_text(encoding="utf-8")
    assert text == expected, f"{name} differs from golden file (UPDATE_GOLDEN=1 to accept the new output)"


# --------------------------------------------------------------------------- all renderers


def test_registry_has_every_format():
    assert set(RENDERERS) == {"json", "markdown", "html", "junit", "sarif", "gradescope"}


@pytest.mark.parametrize("fmt", sorted(RENDERERS))
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_hidden_messages_never_rendered(fmt, lang):
    text = RENDERERS[fmt](leaky_result(), lang=lang)
    assert text.strip()
    if fmt == "json":  # a faithful dump of the contract: the engine strips hidden messages upstream
        assert SECRET in text
    else:
        assert SECRET not in text
    assert "HIDDEN-CHECK-RULE" in text and "Grader finding on a hidden check" in text
    if fmt not in ("json", "sarif"):  # SARIF carries findings only, no tests
        # hidden tests still show their name and verdict
        assert "test_hidden_rounding" in text
        assert "test_repository_swap" in text


@pytest.mark.parametrize("fmt", sorted(RENDERERS))
def test_render_error_result(fmt):
    assert RENDERERS[fmt](error_result(), lang="en").strip()


def test_json_is_the_contract(result):
    text = RENDERERS["json"](result)
    assert Result.model_validate_json(text) == result
    assert json.loads(text)["schema_version"] == 1


def test_write_report_creates_dirs_and_writes_utf8(tmp_path, result):
    path = write_report(result, "markdown", tmp_path / "a" / "b" / "report.md", lang="fr")
    text = path.read_bytes().decode("utf-8")
    assert "Sécurité" in text
    with pytest.raises(BadInput, match="unknown report format"):
        write_report(result, "pdf", tmp_path / "x.pdf")


# --------------------------------------------------------------------------- every finding in every report

INCIDENT_RULES = [
    "limit-timeout", "limit-cpu", "limit-memory", "limit-killed", "run-incomplete", "grading-incident",
    "test-framework-tampering", "forged-results", "notebook-tampering", "B608", "missing-security-policy",
]
SEVERITIES = ["critical", "high", "medium", "low", "info"]


def incident_result(status: str = "graded") -> Result:
    """Every shape of check (visible or hidden, each status, with tests or without), two findings each:
    every severity and rule, with and without path or line; hidden messages and pending tests."""
    rules, severities, number = itertools.cycle(INCIDENT_RULES), itertools.cycle(SEVERITIES), itertools.count(1)
    checks = []
    shapes = itertools.product([True, False], ["passed", "failed", "error", "skipped"], [True, False])
    for index, (visible, check_status, with_tests) in enumerate(shapes):
        findings = []
        for n in (next(number), next(number)):
            findings.append(Finding(
                rule=next(rules), severity=next(severities), message=f"Finding {n} explains the problem",
                help=f"Advice {n} for the learner", path=f"src/module{n}.py" if n % 3 else None,
                line=n if n % 2 else None, references=["CWE-400"] if n % 4 == 0 else [],
            ))
        secret = f"{SECRET} {index}"
        tests = [
            Case(name=f"test_open_{index}", status="failed", max_score=1,
                 message=f"Visible failure {index}" if visible else secret),
            Case(name=f"test_hidden_{index}", status="failed", max_score=1, hidden=True, message=secret),
            Case(name=f"test_pending_{index}", status="pending", max_score=2,
                 message=f"Awaiting review {index}" if visible else secret),
        ] if with_tests else []
        checks.append(CheckResult(
            id=f"check-{index}", kind="pytest", title=f"Check {index}", status=check_status, max_score=4,
            visible=visible, message=f"Check message {index}" if visible else secret, findings=findings, tests=tests,
        ))
    return Result(lab="incidents", status=status, error="sandbox lost" if status == "error" else None,
                  max_score=4 * len(checks), checks=checks)


def console_summary(result: Result, lang: str, monkeypatch) -> str:
    from rich.console import Console

    from graders import console

    buffer = io.StringIO()
    monkeypatch.setattr(console, "out", Console(file=buffer, width=500, color_system=None))
    console.print_summary(result, lang)
    return buffer.getvalue()


@pytest.mark.parametrize("status", ["graded", "error"])
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_finding_in_every_report(status, lang, monkeypatch):
    """A finding in the JSON is in every report, with rule, message, help and location, whatever its
    check (hidden, error, skipped, passed) or severity; a hidden test's message is in none."""
    result = incident_result(status)
    _ = translator(lang)
    outputs = {fmt: RENDERERS[fmt](result, lang=lang) for fmt in RENDERERS}
    outputs["console"] = console_summary(result, lang, monkeypatch)
    for fmt, text in outputs.items():
        for check, finding in result.all_findings():
            where = f"{fmt}: {check.id} {finding.rule}"
            assert finding.rule in text and finding.message in text and finding.help in text, where
            if fmt not in ("json", "sarif") and finding.path:  # both keep path and line apart
                assert location(finding) in text, where
        if fmt != "json":  # the contract itself: the engine strips hidden messages upstream
            assert SECRET not in text, fmt
        if fmt not in ("json", "sarif"):  # SARIF carries findings only
            assert _(STATUS_LABELS["pending"]) in text, fmt
    sarif_results = json.loads(outputs["sarif"])["runs"][0]["results"]
    assert len(sarif_results) == len(list(result.all_findings()))
    for (check, finding), item in zip(result.all_findings(), sarif_results):
        assert (item["ruleId"], item["properties"]["check"]) == (finding.rule, check.id)
        region = item.get("locations", [{}])[0].get("physicalLocation", {}).get("region", {})
        assert region.get("startLine") == (finding.line if finding.path else None)
    hidden_only = result.model_copy(update={"checks": [c for c in result.checks if not c.visible]})
    assert _("No findings.") not in outputs["html"] + RENDERERS["html"](hidden_only, lang=lang)


def test_pending_is_no_failure():
    """Pending work is labelled as such and counted as neither failure nor error."""
    result = incident_result()
    label = translator("fr")(STATUS_LABELS["pending"])
    root = ET.fromstring(RENDERERS["junit"](result, lang="fr").encode("utf-8"))
    pending = [case for case in root.iter("testcase") if case.get("name", "").startswith("test_pending_")]
    assert pending and all(case.find("failure") is None and case.find("error") is None for case in pending)
    assert all(case.find("skipped").get("message") == label for case in pending)
    assert all(case.find("properties/property[@name='status']").get("value") == "pending" for case in pending)
    doc = json.loads(RENDERERS["gradescope"](result, lang="fr"))
    entries = [t for t in doc["tests"] if "test_pending_" in t["name"]]
    assert entries and all(t["status"] == "passed" and t["output"].startswith(label) for t in entries)
    html = RENDERERS["html"](result, lang="fr")
    assert html.count(f'<span class="badge status-pending"><span aria-hidden="true">✎ </span>{label}</span>') == len(pending)
    markdown = RENDERERS["markdown"](result, lang="fr")
    assert f"📝 {label}" in markdown and "Awaiting review 0" in markdown


# --------------------------------------------------------------------------- markdown


def _in_code_block(text: str, index: int) -> bool:
    """Whether line `index` of markdown `text` is inside a fenced code block."""
    inside = False
    for i, line in enumerate(text.splitlines()):
        if line.strip().startswith("```"):
            inside = not inside
        elif i == index:
            return inside
    return False


def test_markdown_escapes_inline_text(result):
    result.checks[2].findings[0].message = "a <b>|</b> *c* [d](e) `f`"
    text = RENDERERS["markdown"](result, lang="en")
    line = next(line for line in text.splitlines() if "B105" in line)
    assert line.endswith(r"— a \<b\>\|\</b\> \*c\* \[d\](e) \`f\`")


def test_markdown_golden_fr(result):
    assert_golden("report.fr.md", RENDERERS["markdown"](result, lang="fr"))


def test_markdown_golden_en(result):
    assert_golden("report.en.md", RENDERERS["markdown"](result, lang="en"))


def test_markdown_content(result):
    fr = RENDERERS["markdown"](result, lang="fr")
    en = RENDERERS["markdown"](result, lang="en")
    assert fr.startswith("# ") and "Rapport de correction" in fr and "Grading report" not in fr
    assert "Grading report" in en and "## Compétences" in fr and "## Competences" in en
    assert "10,5 / 20" in fr and "10.5 / 20" in en
    assert "`app/db.py:42`" in fr
    assert "[CWE-89](<https://cwe.mitre.org/data/definitions/89.html>)" in fr
    assert "\x1b" not in fr  # ANSI colours stripped
    assert all(_in_code_block(fr, i) for i, line in enumerate(fr.splitlines()) if "<script>" in line)
    assert "ruff n'a pas terminé" in fr  # error message of a visible check
    hidden_line = next(line for line in fr.splitlines() if "test_hidden_rounding" in line)
    assert "Échoué" in hidden_line


# --------------------------------------------------------------------------- html


def test_html_is_self_contained_and_escaped(result):
    html = RENDERERS["html"](result, lang="fr")
    assert html.startswith("<!DOCTYPE html>") and '<html lang="fr">' in html
    assert "<script" not in html and "&lt;script&gt;" in html
    assert not re.search(r"<link\b|\bsrc=|url\(|@import", html)
    assert html.count("<h1") == 1 and 'role="img"' in html
    assert 'class="skip-link" href="#main"' in html and '<main id="main"' in html
    assert "Rapport de correction" in html
    en = RENDERERS["html"](result, lang="en")
    assert '<html lang="en">' in en and "Grading report" in en and "Rapport de correction" not in en


def test_dashboard(result):
    entries = [
        DashboardEntry("c6-architecture-couches / solution", result, "c6/solution.html", "c6/solution.json"),
        ("c2-interfaces / starter", error_result()),
    ]
    html = render_dashboard(entries, lang="fr")
    assert html.count("<h1") == 1 and '<html lang="fr">' in html
    assert 'href="c6/solution.html"' in html and 'href="c6/solution.json"' in html
    assert "c2-interfaces / starter" in html and "non évaluée" in html
    for area in ("C1", "C2", "C3", "C6", "C8"):
        assert f">{area}<" in html
    assert "<script" not in html
    assert "Aucun résultat" in render_dashboard([], lang="fr")


# --------------------------------------------------------------------------- junit


def test_junit_golden(result):
    assert_golden("report.junit.xml", RENDERERS["junit"](result, lang="fr"))


def test_junit_parses(result):
    text = RENDERERS["junit"](result, lang="fr")
    root = ET.fromstring(text.encode("utf-8"))
    assert root.tag == "testsuites"
    suites = {suite.get("name"): suite for suite in root.iter("testsuite")}
    assert list(suites) == [check.id for check in result.checks]
    assert suites["unit-tests"].get("tests") == "5" and suites["unit-tests"].get("failures") == "2"
    assert suites["lint"].get("errors") == "1" and suites["a11y"].get("skipped") == "1"
    assert suites["layers"].get("failures") == "0"
    security_failure = suites["security"].find("testcase/failure")
    assert security_failure is not None and "app/db.py:42" in security_failure.text
    hidden = suites["unit-tests"].find("testcase[@name='test_hidden_rounding']/failure")
    assert hidden.get("message") == "Test caché : seul son verdict est affiché."
    assert "\x1b" not in text

    xml = JUnitXml.fromstring(text)
    cases = [case for suite in xml for case in suite]
    assert len(cases) == 5 + 2 + 1 + 1 + 1 + 1
    assert sum(1 for case in cases if case.is_passed) == 3 + 1 + 1


# --------------------------------------------------------------------------- sarif

SARIF_SUBSET_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["$schema", "version", "runs"],
    "properties": {
        "$schema": {"const": "https://json.schemastore.org/sarif-2.1.0.json"},
        "version": {"const": "2.1.0"},
        "runs": {
            "type": "array",
            "minItems": 1,
            "maxItems": 1,
            "items": {
                "type": "object",
                "required": ["tool", "results"],
                "properties": {
                    "tool": {
                        "type": "object",
                        "required": ["driver"],
                        "properties": {
                            "driver": {
                                "type": "object",
                                "required": ["name", "rules"],
                                "properties": {
                                    "name": {"const": "cda"},
                                    "version": {"type": "string"},
                                    "rules": {"type": "array", "items": {"$ref": "#/$defs/rule"}},
                                },
                            }
                        },
                    },
                    "language": {"type": "string"},
                    "automationDetails": {"type": "object", "properties": {"id": {"type": "string"}}},
                    "results": {"type": "array", "items": {"$ref": "#/$defs/result"}},
                    "properties": {"$ref": "#/$defs/propertyBag"},
                },
            },
        },
    },
    "$defs": {
        "message": {
            "type": "object",
            "required": ["text"],
            "properties": {"text": {"type": "string", "minLength": 1}},
        },
        "propertyBag": {
            "type": "object",
            "properties": {"tags": {"type": "array", "items": {"type": "string"}, "uniqueItems": True}},
        },
        "rule": {
            "type": "object",
            "required": ["id", "shortDescription"],
            "properties": {
                "id": {"type": "string", "minLength": 1},
                "shortDescription": {"$ref": "#/$defs/message"},
                "help": {"$ref": "#/$defs/message"},
                "defaultConfiguration": {
                    "type": "object",
                    "properties": {"level": {"enum": ["none", "note", "warning", "error"]}},
                },
                "properties": {"$ref": "#/$defs/propertyBag"},
            },
        },
        "result": {
            "type": "object",
            "required": ["ruleId", "message", "level"],
            "properties": {
                "ruleId": {"type": "string"},
                "ruleIndex": {"type": "integer", "minimum": 0},
                "level": {"enum": ["none", "note", "warning", "error"]},
                "message": {"$ref": "#/$defs/message"},
                "locations": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["physicalLocation"],
                        "properties": {
                            "physicalLocation": {
                                "type": "object",
                                "required": ["artifactLocation"],
                                "properties": {
                                    "artifactLocation": {
                                        "type": "object",
                                        "required": ["uri"],
                                        "properties": {
                                            "uri": {"type": "string", "pattern": "^[^/\\\\ ][^\\\\ ]*$"},
                                            "uriBaseId": {"type": "string"},
                                        },
                                    },
                                    "region": {
                                        "type": "object",
                                        "required": ["startLine"],
                                        "properties": {"startLine": {"type": "integer", "minimum": 1}},
                                    },
                                },
                            }
                        },
                    },
                },
                "properties": {"$ref": "#/$defs/propertyBag"},
            },
        },
    },
}


def test_sarif_golden(result):
    assert_golden("report.sarif", RENDERERS["sarif"](result, lang="fr"))


def test_sarif_validates_and_maps(result):
    doc = json.loads(RENDERERS["sarif"](result, lang="fr"))
    jsonschema.Draft202012Validator.check_schema(SARIF_SUBSET_SCHEMA)
    jsonschema.validate(doc, SARIF_SUBSET_SCHEMA)
    assert doc["version"] == "2.1.0"
    run = doc["runs"][0]
    rules = {rule["id"]: rule for rule in run["tool"]["driver"]["rules"]}
    assert list(rules) == ["B105", "B608", "missing-security-policy"]  # one rule per distinct finding.rule
    assert rules["B608"]["properties"]["tags"] == ["CWE-89", "security"]
    assert rules["B105"]["properties"]["tags"] == ["CWE-259", "security"]
    assert rules["B608"]["help"]["text"].startswith("Utilisez des requêtes")
    results = run["results"]
    assert [r["level"] for r in results] == ["note", "error", "error", "note"]
    for item in results:
        assert run["tool"]["driver"]["rules"][item["ruleIndex"]]["id"] == item["ruleId"]
    db = results[1]["locations"][0]["physicalLocation"]
    assert db == {"artifactLocation": {"uri": "app/db.py", "uriBaseId": "%SRCROOT%"}, "region": {"startLine": 42}}
    spaced = results[2]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert spaced == "app/repositories/order%20repo.py"
    assert "region" not in results[0]["locations"][0]["physicalLocation"]  # no line known
    assert "locations" not in results[3]  # no path


def test_sarif_uri_normalisation():
    assert sarif.artifact_uri("./src/é.py") == "src/%C3%A9.py"
    assert sarif.artifact_uri("src\\pkg\\a.py") == "src/pkg/a.py"


# --------------------------------------------------------------------------- gradescope

GRADESCOPE_SCHEMA = {
    "type": "object",
    "required": ["score", "max_score", "execution_time", "output", "tests"],
    "properties": {
        "score": {"type": "number"},
        "max_score": {"type": "number"},
        "execution_time": {"type": "number", "minimum": 0},
        "output": {"type": "string"},
        "tests": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["name", "score", "max_score", "status", "output", "visibility"],
                "additionalProperties": False,
                "properties": {
                    "name": {"type": "string", "minLength": 1},
                    "score": {"type": "number"},
                    "max_score": {"type": "number"},
                    "status": {"enum": ["passed", "failed"]},
                    "output": {"type": "string"},
                    "visibility": {"enum": ["visible", "hidden", "after_published", "after_due_date"]},
                },
            },
        },
    },
}


def test_gradescope_golden(result):
    assert_golden("report.gradescope.json", RENDERERS["gradescope"](result, lang="fr"))


def test_gradescope_shape(result):
    doc = json.loads(RENDERERS["gradescope"](result, lang="fr"))
    jsonschema.validate(doc, GRADESCOPE_SCHEMA)
    assert (doc["score"], doc["max_score"]) == (10.5, 20)
    tests = {t["name"]: t for t in doc["tests"]}
    hidden = tests["Tests unitaires › test_hidden_rounding"]
    assert hidden == {
        "name": "Tests unitaires › test_hidden_rounding",
        "score": 0,
        "max_score": 1,
        "status": "failed",
        "output": "Échoué",
        "visibility": "after_published",
    }
    assert tests["Tests de recette › test_repository_swap"]["visibility"] == "after_published"
    assert "AssertionError" in tests["Tests unitaires › test_rejects_negative_quantity"]["output"]
    assert tests["Dépendances entre couches (layers)"]["status"] == "passed"
    assert "app/db.py:42" in tests["Analyse de sécurité (security)"]["output"]
    assert gradescope.HIDDEN_VISIBILITY == "after_published"


# --------------------------------------------------------------------------- i18n catalog


def test_french_catalog_complete():
    with PO_FILE.open("rb") as handle:
        catalog = read_po(handle, locale="fr")
    missing = [m.id for m in catalog if m.id and (not m.string or (isinstance(m.string, tuple) and not all(m.string)))]
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert not missing, f"untranslated msgids in {PO_FILE}: {missing}"
    assert not fuzzy, f"fuzzy msgids in {PO_FILE}: {fuzzy}"
    for message in catalog:
        if not message.id or not isinstance(message.id, str):
            continue
        for pattern in (r"\{[^{}]*\}", r"%\(\w+\)[sdf]"):
            expected, got = sorted(re.findall(pattern, message.id)), sorted(re.findall(pattern, message.string))
            assert expected == got, f"placeholders differ in {message.id!r} -> {message.string!r}"


def test_every_msgid_of_the_package_is_in_catalog():
    """Every string the package translates is in the French catalog (else: make i18n, then translate)."""
    package_dir = ROOT / "graders"
    method_map = [("**/templates/**.html", "jinja2"), ("**.py", "python")]
    used = {
        message[2] if isinstance(message[2], str) else message[2][0]
        for message in extract_from_dir(str(package_dir), method_map, {"**/templates/**.html": {"encoding": "utf-8"}})
    }
    with PO_FILE.open("rb") as handle:
        known = {m.id for m in read_po(handle) if m.id}
    assert "Grading report: %(lab)s" in used and "Skip to main content" in used
    assert "path outside the submission" in used  # outside graders/render too
    assert not used - known, f"run make i18n: missing {sorted(used - known)}"


# --------------------------------------------------------------------------- browser


def test_launch_without_chromium(monkeypatch):
    from graders import browser

    monkeypatch.setattr(browser, "CHROMIUM", "/nonexistent/chromium")
    with pytest.raises(GraderUnavailable, match="Chromium not found"):
        browser.launch(object())


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
