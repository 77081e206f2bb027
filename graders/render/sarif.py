"""SARIF 2.1.0: one run, a rule per distinct finding rule, a result per finding."""

from __future__ import annotations

import json
import posixpath
import re
from typing import Any
from urllib.parse import quote

from graders.render._common import clean_text, cwe_id, display_path, fmt_num, is_security, translator
from graders.render.registry import ReportFormat
from graders.results import CheckResult, Finding, Result

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
TOOL_NAME = "cda"

LEVELS = {"critical": "error", "high": "error", "medium": "warning", "low": "note", "info": "note"}
# GitHub code scanning reads `security-severity` (a CVSS-like 0..10 score) on security rules.
SECURITY_SEVERITY = {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "3.0", "info": "1.0"}
PRECISION = {"high": "high", "medium": "medium", "low": "low"}
ABSOLUTE_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://\S+$")  # the pages of `cda audit`


def artifact_location(path: str) -> dict[str, str]:
    """An absolute URI as it is (an audited page); a submission path relative to %SRCROOT%."""
    if ABSOLUTE_URI.match(path.strip()):
        return {"uri": path.strip()}
    return {"uri": artifact_uri(path), "uriBaseId": "%SRCROOT%"}


def artifact_uri(path: str) -> str:
    """A relative URI reference for a submission path (forward slashes, percent-encoded)."""
    path = display_path(path)
    path = posixpath.normpath(path.lstrip("/")) if path else path
    return quote(path, safe="/")


def _first_line(text: str, limit: int = 200) -> str:
    line = (clean_text(text, None).strip().splitlines() or [""])[0]
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def _rule(check: CheckResult, finding: Finding) -> dict[str, Any]:
    tags: list[str] = []
    for ref in finding.references:
        cwe = cwe_id(ref)
        if cwe and cwe not in tags:
            tags.append(cwe)
    if is_security(check, finding):
        tags.append("security")
    rule: dict[str, Any] = {
        "id": finding.rule,
        "shortDescription": {"text": _first_line(finding.message) or finding.rule},
        "defaultConfiguration": {"level": LEVELS[finding.severity]},
        "properties": {"tags": tags},
    }
    if finding.help:
        rule["help"] = {"text": clean_text(finding.help)}
    if "security" in tags:
        rule["properties"]["security-severity"] = SECURITY_SEVERITY[finding.severity]
    if finding.confidence:
        rule["properties"]["precision"] = PRECISION[finding.confidence]
    return rule


def _merge(rule: dict[str, Any], check: CheckResult, finding: Finding) -> None:
    """Later findings of the same rule add tags and help the first one lacked."""
    more = _rule(check, finding)
    for tag in more["properties"]["tags"]:
        if tag not in rule["properties"]["tags"]:
            rule["properties"]["tags"].append(tag)
    if "help" not in rule and "help" in more:
        rule["help"] = more["help"]
    if "security-severity" in more["properties"]:
        current = float(rule["properties"].get("security-severity", "0"))
        if float(more["properties"]["security-severity"]) > current:
            rule["properties"]["security-severity"] = more["properties"]["security-severity"]


def _message(finding: Finding, rule: dict[str, Any]) -> str:
    """The result's text; help its rule does not already give (one help per rule) is added to it."""
    text = clean_text(finding.message) or finding.rule
    help_text = clean_text(finding.help)
    if help_text and rule.get("help", {}).get("text") != help_text:
        text += "\n" + help_text
    return text


def to_sarif(result: Result, lang: str = "fr") -> dict[str, Any]:
    _ = translator(lang)
    rules: dict[str, dict[str, Any]] = {}
    order: list[str] = []
    index: dict[str, int] = {}
    results: list[dict[str, Any]] = []
    # Every finding, hidden checks' too: findings are the grader's own words, never a hidden test's.
    for check, finding in result.all_findings(_):
        if finding.rule not in rules:
            rules[finding.rule] = _rule(check, finding)
            index[finding.rule] = len(order)
            order.append(finding.rule)
        else:
            _merge(rules[finding.rule], check, finding)
        item: dict[str, Any] = {
            "ruleId": finding.rule,
            "ruleIndex": index[finding.rule],
            "level": LEVELS[finding.severity],
            "message": {"text": _message(finding, rules[finding.rule])},
            "properties": {"check": check.id, "severity": finding.severity},
        }
        if finding.references:
            item["properties"]["references"] = list(finding.references)
        if finding.path:
            physical: dict[str, Any] = {"artifactLocation": artifact_location(finding.path)}
            if finding.line and finding.line >= 1:
                physical["region"] = {"startLine": finding.line}
            item["locations"] = [{"physicalLocation": physical}]
        results.append(item)

    driver: dict[str, Any] = {"name": TOOL_NAME}
    if result.grader_version:
        driver["version"] = result.grader_version
    driver["rules"] = [rules[rule_id] for rule_id in order]
    run: dict[str, Any] = {
        "tool": {"driver": driver},
        "automationDetails": {"id": f"{result.lab}/{result.submission or ''}"},
        "language": result.lang,
        "results": results,
        "properties": {
            "lab": result.lab,
            "score": result.score,
            "max_score": result.max_score,
            "status": result.status,
            "summary": _("Score: %(score)s / %(max)s")
            % {"score": fmt_num(result.score, lang), "max": fmt_num(result.max_score, lang)},
        },
    }
    if result.criteria:  # viewers ignore unknown properties; CI scripts read the verdicts here
        run["properties"]["criteria"] = [
            {
                "id": criterion.id,
                "competence": criterion.competence,
                "verdict": criterion.verdict,
                "blocking": [flaw.flaw for flaw in criterion.blocking],
            }
            for criterion in result.criteria
        ]
    return {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]}


def render(result: Result, lang: str = "fr") -> str:
    return json.dumps(to_sarif(result, lang), indent=2, ensure_ascii=False) + "\n"


FORMAT = ReportFormat(render, ".sarif", help="Write SARIF 2.1.0 (CWE ids in the rules' tags).", order=50)
