"""`cda scan` (exit codes, reports) and the `security` check kind in a lab."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest
from pydantic import ValidationError

from graders.results import Result
from tests.helpers import REPO, run_cda

FIXTURES = REPO / "tests" / "fixtures" / "security"
PROJECT = FIXTURES / "project"
LAB = FIXTURES / "lab" / "sec-lab"


def assert_one_line_error(proc, code: int, fragment: str) -> None:
    assert proc.returncode == code, (proc.returncode, proc.stdout, proc.stderr)
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("cda: error: ") and fragment in lines[0], lines[0]
    assert "Traceback" not in proc.stderr + proc.stdout


@pytest.fixture(scope="module")
def scanned(tmp_path_factory):
    out = tmp_path_factory.mktemp("scan")
    proc = run_cda("scan", str(PROJECT), "--json", str(out / "r.json"), "--sarif", str(out / "r.sarif"),
                   "--markdown", str(out / "r.md"), "--junit", str(out / "r.xml"), "--report", f"html={out / 'r.html'}",
                   "--lang", "en", "--no-history")
    return proc, out


def test_scan_writes_the_result_contract(scanned):
    proc, out = scanned
    assert proc.returncode == 0, proc.stderr
    result = Result.model_validate_json((out / "r.json").read_text())
    assert result.lab == "scan" and result.status == "graded"
    assert {c.id for c in result.checks} == {"injection", "secrets", "crypto", "dependencies", "containers"}
    finding = next(f for _, f in result.all_findings() if f.rule == "sql-injection")
    assert (finding.path, finding.line, finding.severity, finding.confidence) == ("web/views.py", 19, "high", "high")
    assert "CWE-89" in finding.references and "OWASP A03:2021" in finding.references and finding.help
    assert "SQL injection" in proc.stdout  # the summary on stdout, in English


def test_sarif_puts_cwe_in_rule_tags(scanned):
    _, out = scanned
    sarif = json.loads((out / "r.sarif").read_text())
    rules = {rule["id"]: rule for rule in sarif["runs"][0]["tool"]["driver"]["rules"]}
    assert "CWE-89" in rules["sql-injection"]["properties"]["tags"]
    assert "security" in rules["sql-injection"]["properties"]["tags"]
    assert "CWE-78" in rules["command-injection"]["properties"]["tags"]
    assert rules["sql-injection"]["properties"]["precision"] == "high"
    results = sarif["runs"][0]["results"]
    located = [r for r in results if r["ruleId"] == "sql-injection"][0]["locations"][0]["physicalLocation"]
    assert located["artifactLocation"]["uri"] == "web/views.py" and located["region"]["startLine"] == 19


def test_markdown_junit_and_html_reports(scanned):
    """The scan offers every report format of the registry, as `cda grade` does."""
    proc, out = scanned
    assert "web/views.py" in (out / "r.md").read_text()
    suites = [suite.get("name") for suite in ET.parse(out / "r.xml").getroot().iter("testsuite")]
    assert suites == ["injection", "secrets", "crypto", "dependencies", "containers"]
    assert "web/views.py" in (out / "r.html").read_text() and f"html: {out / 'r.html'}" in proc.stderr


def test_scan_in_french_by_default():
    proc = run_cda("scan", str(PROJECT), "--only", "injection", "--no-history")
    assert proc.returncode == 0, proc.stderr
    assert "Injection SQL" in proc.stdout and "SQL injection" not in proc.stdout


def test_fail_on_exits_one():
    proc = run_cda("scan", str(PROJECT), "--only", "containers", "--fail-on", "high", "-q")
    assert proc.returncode == 1, proc.stderr
    proc = run_cda("scan", str(PROJECT / "web"), "--only", "containers", "--fail-on", "low", "-q")
    assert proc.returncode == 0, proc.stderr


@pytest.mark.parametrize("args,fragment", [
    (["scan", "/nonexistent/project"], "/nonexistent/project: no such file or folder"),
    (["scan", str(PROJECT / "web" / "views.py")], "not a folder"),
    (["scan", str(PROJECT), "--fail-on", "severe"], "--fail-on: invalid value 'severe'"),
    (["scan", str(PROJECT), "--only", "sql"], "--only: unknown family 'sql'"),
    (["scan", str(PROJECT), "--lang", "de"], "'de'"),
])
def test_bad_input_exits_two_with_one_line(args, fragment):
    assert_one_line_error(run_cda(*args), 2, fragment)


def test_missing_tool_exits_three(monkeypatch, capsys):
    from graders import cli
    from graders.security import semgrep

    monkeypatch.setattr(semgrep, "available", lambda: "semgrep is not installed (pip install semgrep)")
    monkeypatch.setattr("sys.argv", ["cda", "scan", str(PROJECT), "--only", "injection"])
    with pytest.raises(SystemExit) as exit_info:
        cli.main()
    assert exit_info.value.code == 3
    err = capsys.readouterr().err
    assert "cda: error: semgrep is not installed" in err and len(err.strip().splitlines()) == 1


# ---------------------------------------------------------------------- the `security` check kind
@pytest.fixture(scope="module")
def lab():
    from graders.labs import load_lab

    return load_lab(LAB)


def test_check_solution_gets_full_marks(lab):
    from graders.engine import grade

    result = grade(lab, LAB / "solution", lang="en")
    check = result.checks[0]
    assert check.kind == "security" and check.status == "passed", (check.message, check.findings)
    assert check.score == check.max_score == 10


def test_check_example_loses_points_by_severity(lab):
    from graders.engine import grade

    result = grade(lab, LAB / "examples" / "injectable", lang="fr")
    low, high = lab.manifest.examples["injectable"].expected_pct
    assert low <= result.percent <= high
    check = result.checks[0]
    rules = {(f.path, f.line, f.rule) for f in check.findings}
    assert {("app/views.py", 9, "sql-injection"), ("app/repo.py", 5, "sql-built-from-variable"),
            ("app/__init__.py", 7, "hardcoded-secret-key")} <= rules
    assert any(f.message.startswith("Injection SQL") for f in check.findings)


def test_check_options_are_validated():
    from graders.checks.security_check import SecurityOptions

    with pytest.raises(ValidationError):
        SecurityOptions.model_validate({"families": ["sql"]})
    with pytest.raises(ValidationError):
        SecurityOptions.model_validate({"min_confidence": "certain"})
    options = SecurityOptions.model_validate({"penalties": {"high": 4}, "max_penalty_per_rule": 5})
    assert options.penalties.high == 4 and options.penalties.critical == 8


def test_points_lost_by_severity_and_confidence():
    from graders.security.model import Hit
    from graders.security.scan import DEFAULT_CONFIDENCE_WEIGHTS, DEFAULT_PENALTIES, points_lost

    hits = [Hit("sql-injection", "a.py", 1), Hit("sql-built-from-variable", "a.py", 5),
            Hit("sql-injection", "a.py", 9), Hit("dependencies-not-checked", "r.txt", 1)]
    assert points_lost(hits, DEFAULT_PENALTIES, DEFAULT_CONFIDENCE_WEIGHTS) == pytest.approx(5 + 3 + 5)
    assert points_lost(hits, DEFAULT_PENALTIES, DEFAULT_CONFIDENCE_WEIGHTS, cap_per_rule=6) == pytest.approx(6 + 3)
