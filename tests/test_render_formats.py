"""Format by format: Markdown, HTML, dashboard, JUnit, SARIF and Gradescope shapes, and golden files.

Regenerate the golden files after an intended change with `make golden` (CDA_UPDATE_GOLDEN=1).
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import jsonschema
import pytest
from junitparser import JUnitXml

from graders.render import RENDERERS, DashboardEntry, render_dashboard
from graders.render import gradescope, sarif
from graders.results import Result
from tests.helpers import assert_golden
from tests.render_samples import audit_result, error_result, make_result


@pytest.fixture
def result() -> Result:
    return make_result()


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
    assert list(suites) == ["criteria"] + [check.id for check in result.checks]
    criteria = suites["criteria"]
    assert (criteria.get("tests"), criteria.get("failures"), criteria.get("skipped")) == ("4", "1", "1")
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
    assert len(cases) == 4 + 5 + 2 + 1 + 1 + 1 + 1
    assert sum(1 for case in cases if case.is_passed) == 2 + 3 + 1 + 1


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


def test_sarif_keeps_the_audited_pages_absolute():
    """`cda audit --sarif`: a finding's path is the page's URL, an absolute URI with no base."""
    doc = json.loads(RENDERERS["sarif"](audit_result(), lang="en"))
    location = doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert location == {"artifactLocation": {"uri": "http://127.0.0.1:5000/"}}
    jsonschema.validate(doc, SARIF_SUBSET_SCHEMA)
    assert sarif.artifact_location("src/a.py") == {"uri": "src/a.py", "uriBaseId": "%SRCROOT%"}


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
