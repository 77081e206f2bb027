"""The security scanners on fixtures: each finding at its line, safe look-alikes left alone."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from graders.i18n import gettext_for
from graders.results import Result
from graders.security import ScanOptions, scan_project, to_result
from graders.security.catalog import FAMILIES, RULES
from graders.security.containers import check_dockerfile
from graders.security.dedupe import dedupe
from graders.security.deps import parse_requirement
from graders.security.model import Hit
from graders.security.rewrite import rewrite_slices
from graders.security.rules import all_rules, rule_ids
from graders.security.scan import run_scan
from graders.security.tools.secrets_scan import added_lines, classify
from tests.helpers import REPO

FIXTURES = REPO / "tests" / "fixtures" / "security"
PROJECT = FIXTURES / "project"
EXPECT = re.compile(r"#\s*expect:\s*([\w-]+)")
_en = gettext_for("en")


def expected_markers(root: Path) -> set[tuple[str, int, str]]:
    found = set()
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root).as_posix()
        if rel.startswith("tests/"):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            match = EXPECT.search(line)
            if match:
                found.add((rel, number, match.group(1)))
    return found


@pytest.fixture(scope="module")
def project_report():
    """One scan of the fixture project (every family), shared by the tests of this module."""
    return run_scan(PROJECT, ScanOptions(git_history=False, min_confidence="low"), _en)


def findings_of(report, family: str) -> set[tuple[str, int, str]]:
    return {(h.path, h.line, h.rule) for h in report.families[family].hits}


# ---------------------------------------------------------------------- rules and catalog
def test_every_semgrep_rule_has_a_catalog_entry_and_parses():
    from graders.security.semgrep import ALIASES

    ids = rule_ids()
    assert len(ids) == len(set(ids))
    missing = [rule_id for rule_id in ids if ALIASES.get(rule_id, rule_id) not in RULES]
    assert not missing, f"rules without catalog entry: {missing}"
    for rule in all_rules():
        assert "x-shared" not in rule
        assert rule["languages"]
        json.dumps(rule)  # plain data once the YAML anchors are expanded


def test_catalog_entries_are_complete():
    for rule_id, info in RULES.items():
        assert info.family in FAMILIES, rule_id
        assert info.severity in {"info", "low", "medium", "high", "critical"}, rule_id
        assert info.confidence in {"low", "medium", "high"}, rule_id
        assert info.message and info.fix, rule_id
        assert all(re.fullmatch(r"CWE-\d+", cwe) for cwe in info.cwe), rule_id
        for other in info.superseded_by:
            assert other in RULES, (rule_id, other)


def test_every_catalog_text_is_translated_to_french():
    fr = gettext_for("fr")
    untranslated = [info.id for info in RULES.values() if fr(info.message) == info.message or fr(info.fix) == info.fix]
    assert not untranslated, untranslated


# ---------------------------------------------------------------------- injection (taint)
def test_injection_findings_are_at_the_marked_lines_and_nowhere_else(project_report):
    expected = {m for m in expected_markers(PROJECT) if RULES[m[2]].family == "injection"}
    assert findings_of(project_report, "injection") == expected


def test_test_code_is_not_analysed_for_injections_by_default(project_report):
    assert not any(h.path.startswith("tests/") for h in project_report.hits())


def test_taint_findings_carry_cwe_owasp_and_french_help(project_report):
    fr = gettext_for("fr")
    sqli = next(h for h in project_report.families["injection"].hits if h.rule == "sql-injection")
    finding = sqli.to_finding(fr)
    assert finding.references[:2] == ["CWE-89", "OWASP A03:2021"]
    assert finding.message.startswith("Injection SQL")
    assert "paramètres liés" in finding.help
    assert finding.severity == "high" and finding.confidence == "high"
    assert finding.path == "web/views.py" and finding.line == 19


def test_parameter_sourced_sql_is_medium_confidence(project_report):
    hit = next(h for h in project_report.families["injection"].hits if h.rule == "sql-built-from-variable")
    assert hit.effective_confidence() == "medium" and hit.path == "web/repository.py"


def test_slices_are_rewritten_line_for_line():
    source = 'a = request.args["n"][:50]\nb = str(r)[2:]\nc = x[1:][::2]\nd = data[\n    1:3\n]\ne = f"{a[:2]}"\n'
    out = rewrite_slices(source)
    assert out.splitlines()[0] == 'a = (request.args["n"]).__getitem__(slice(None, 50))'
    assert out.splitlines()[1] == "b = (str(r)).__getitem__(slice(2, None))"
    assert len(out.splitlines()) == len(source.splitlines()) and out.splitlines()[-1] == 'e = f"{a[:2]}"'
    assert rewrite_slices("x = 1\n") is None and rewrite_slices("def (:\n") is None


def test_taint_follows_slices(tmp_path):
    (tmp_path / "app.py").write_text(
        "import os\nfrom flask import Flask, request\napp = Flask(__name__)\n\n\n@app.route('/g')\ndef g():\n"
        "    q = request.args.get('q', '')[:40]\n    return os.popen('grep -r ' + q).read()\n")
    report = run_scan(tmp_path, ScanOptions(families=("injection",)), _en)
    assert [(h.rule, h.path, h.line) for h in report.hits()] == [("command-injection", "app.py", 9)]


CATALOGUE_SEARCH = (  # the shape of course/mediatheque's catalogue route
    "{imports}from flask import Flask, current_app, request\napp = Flask(__name__)\n\n\ndef service(name):\n"
    "    return current_app.extensions[name]\n\n\n@app.get('/catalogue')\ndef catalogue():\n"
    "    kind = request.args.get('type')\n    documents = service('catalogue').search('dc=x', kind)\n"
    "    return {{'n': len(documents)}}\n")


@pytest.mark.parametrize("imports, expected", [
    ("", []),  # a catalogue service's search(query, kind), as in course/mediatheque: not LDAP
    ("from ldap3 import Connection\n", [("ldap-injection", "app.py", 13)]),  # same call in an LDAP module
])
def test_a_bare_search_call_is_ldap_only_in_a_module_using_ldap(tmp_path, imports, expected):
    (tmp_path / "app.py").write_text(CATALOGUE_SEARCH.format(imports=imports))
    report = run_scan(tmp_path, ScanOptions(families=("injection",)), _en)
    assert [(h.rule, h.path, h.line) for h in report.hits()] == expected


# ---------------------------------------------------------------------- crypto and configuration
def test_crypto_findings_are_at_the_marked_lines(project_report):
    expected = {m for m in expected_markers(PROJECT) if RULES[m[2]].family == "crypto"}
    expected.add(("web/templates/profile.html", 2, "template-safe-filter"))  # {{ bio|safe }}
    assert findings_of(project_report, "crypto") == expected


def test_bandit_and_semgrep_on_the_same_line_and_cwe_give_one_finding(project_report):
    lines = [(h.path, h.line) for h in project_report.families["crypto"].hits]
    assert len(lines) == len(set(lines))
    weak = [h for h in project_report.families["crypto"].hits if h.rule == "weak-hash"]
    assert len(weak) == 1  # bandit B324 and our weak-hash rule both see line 26


# ---------------------------------------------------------------------- secrets
def test_secrets_real_vs_placeholder(project_report):
    expected = {m for m in expected_markers(PROJECT) if RULES[m[2]].family == "secrets"}
    assert findings_of(project_report, "secrets") == expected
    real = next(h for h in project_report.families["secrets"].hits if h.rule == "secret-in-code")
    placeholder = next(h for h in project_report.families["secrets"].hits if h.rule == "secret-placeholder")
    assert real.effective_severity() == "high" and "CWE-798" in real.cwes
    assert placeholder.effective_severity() == "info" and not placeholder.cwes
    assert "Tr0ub4dor" not in real.to_finding(_en).message  # the value itself is never shown
    assert "changeme" in placeholder.to_finding(_en).message


@pytest.mark.parametrize("value,kind", [
    ("changeme", "placeholder"), ("<your-api-key>", "placeholder"), ("xxxxxxxxxxxx", "placeholder"),
    ("${DB_PASSWORD}", "placeholder"), ("AKIAIOSFODNN7EXAMPLE", "placeholder"), ("your-secret-key-here", "placeholder"),
    ("dev", "placeholder"), ("{{ vault_password }}", "placeholder"),
    ("Tr0ub4dor&3-Mediatheque!", "real"), ("f3a9c27b8e1d4065b7c2a9e8d1f04b6c", "real"),
    ("ghp_R8sT2uV4wX6yZ8aB0cD2eF4gH6iJ8kL0mN2p", "real"),
])
def test_classify_secret_values(value, kind):
    assert classify(value, "app/settings.py") == kind


def test_real_looking_secret_in_test_code_is_low_confidence():
    assert classify("Tr0ub4dor&3-Mediatheque!", "tests/test_login.py") == "test"


def test_git_history_added_lines_parser():
    log = ("commit:abc123\ndiff --git a/x.py b/x.py\n--- a/x.py\n+++ b/x.py\n@@ -0,0 +1,2 @@\n+a = 1\n+TOKEN = 'v'\n"
           "commit:def456\n--- a/x.py\n+++ /dev/null\n@@ -1,2 +0,0 @@\n-a = 1\n")
    assert list(added_lines(log)) == [("abc123", "x.py", [(1, "a = 1"), (2, "TOKEN = 'v'")])]


@pytest.mark.skipif(shutil.which("git") is None, reason="git not installed")
def test_secret_removed_from_tree_is_found_in_git_history(tmp_path):
    repo = tmp_path / "repo"
    repo.mkdir()
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.fr", "-c", "commit.gpgsign=false"]
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    (repo / "config.py").write_text('DATABASE_PASSWORD = "Zq8!vR2#Lm5@Tk9x"\n')
    subprocess.run([*git, "add", "."], cwd=repo, check=True)
    subprocess.run([*git, "commit", "-qm", "config"], cwd=repo, check=True)
    (repo / "config.py").write_text('import os\nDATABASE_PASSWORD = os.environ["DATABASE_PASSWORD"]\n')
    subprocess.run([*git, "commit", "-qam", "env"], cwd=repo, check=True)
    report = run_scan(repo, ScanOptions(families=("secrets",)), _en)
    hits = report.families["secrets"].hits
    assert [(h.rule, h.path, h.line) for h in hits] == [("secret-in-history", "config.py", 1)]
    assert "Commit " in hits[0].to_finding(_en).message
    without = run_scan(repo, ScanOptions(families=("secrets",), git_history=False), _en)
    assert not without.families["secrets"].hits


# ---------------------------------------------------------------------- dependencies
def test_dependencies_not_reachable_is_a_clear_not_checked(tmp_path, monkeypatch):
    (tmp_path / "requirements.txt").write_text("flask==3.0.0\nrequests\n")
    report = run_scan(tmp_path, ScanOptions(families=("dependencies",), offline_dependencies=True), _en)
    outcome = report.families["dependencies"]
    assert outcome.status == "skipped" and "NOT checked" in outcome.message
    rules = {h.rule: h for h in outcome.hits}
    assert rules["dependencies-not-checked"].effective_severity() == "info"
    assert rules["dependency-unpinned"].line == 2


def test_vulnerable_dependency_from_a_pip_audit_report(tmp_path, monkeypatch):
    from graders.security import deps

    (tmp_path / "requirements.txt").write_text("# web\njinja2==2.10\nflask==3.0.0\n")
    fake = {"dependencies": [
        {"name": "jinja2", "version": "2.10", "vulns": [
            {"id": "PYSEC-2019-217", "aliases": ["CVE-2019-10906"], "fix_versions": ["2.10.1"]}]},
        {"name": "flask", "version": "3.0.0", "vulns": []}]}
    monkeypatch.setattr(deps, "audit", lambda pinned, work, timeout: (fake, None))
    report = run_scan(tmp_path, ScanOptions(families=("dependencies",)), _en)
    outcome = report.families["dependencies"]
    assert outcome.status == "scanned"
    [hit] = outcome.hits
    assert (hit.rule, hit.path, hit.line) == ("vulnerable-dependency", "requirements.txt", 2)
    assert "CVE-2019-10906" in hit.all_references() and "2.10.1" in hit.detail


@pytest.mark.parametrize("line,parsed", [
    ("flask==3.0.0", ("flask", "3.0.0")), ("Django>=4.2", ("Django", None)), ("requests[socks] == 2.31.0 ; python_version>'3'", ("requests", "2.31.0")),
    ("-r base.txt", None), ("# comment", None), ("git+https://example.fr/x.git", None),
])
def test_parse_requirement(line, parsed):
    assert parse_requirement(line) == parsed


# ---------------------------------------------------------------------- containers
def test_dockerfile_rules(project_report):
    rules = {(h.path, h.line, h.rule) for h in project_report.families["containers"].hits if h.source == "dockerfile"}
    assert rules == {("Dockerfile", 1, "docker-root-user"), ("Dockerfile", 1, "docker-unpinned-image"),
                     ("Dockerfile", 1, "docker-no-healthcheck"), ("Dockerfile", 2, "docker-secret-in-layer"),
                     ("Dockerfile", 3, "docker-add-url"), ("Dockerfile", 4, "docker-pipe-to-shell")}
    hadolint = [h for h in project_report.families["containers"].hits if h.source == "hadolint"]
    assert all(h.finding_rule.startswith("hadolint-DL") for h in hadolint)
    assert not any(h.finding_rule in ("hadolint-DL3002", "hadolint-DL3007") for h in hadolint)


def test_dockerfile_multistage_and_placeholders():
    text = ("FROM python:3.12 AS build\nRUN pip wheel -w /w .\nFROM python:3.12-slim\nARG API_TOKEN\n"
            "ENV DB_PASSWORD=changeme APP_SECRET_FILE=/run/secrets/app\nUSER 10001\nHEALTHCHECK CMD true\n")
    hits = {(h.line, h.rule, h.effective_severity()) for h in check_dockerfile("Dockerfile", text, _en)}
    assert hits == {(4, "docker-secret-in-layer", "medium"), (5, "docker-secret-in-layer", "low")}


# ---------------------------------------------------------------------- deduplication
def test_sql_text_built_then_executed_is_counted_once(tmp_path):
    from graders.security.scan import DEFAULT_CONFIDENCE_WEIGHTS, DEFAULT_PENALTIES, points_lost

    source = ("def view(request):\n    q = 'SELECT * FROM t WHERE a = ' + request.GET['a']\n"
              "    return cursor.execute(q)\n")
    (tmp_path / "v.py").write_text(source)
    hits = [Hit("sql-injection-string", "v.py", 2), Hit("sql-injection", "v.py", 3),
            Hit("weak-hash", "v.py", 3, source="bandit"), Hit("weak-hash", "v.py", 3),
            Hit("weak-random", "v.py", 2), Hit("weak-random-token", "v.py", 3)]
    kept = dedupe(hits, tmp_path)
    assert [(h.rule, h.line, h.source) for h in kept] == [
        ("sql-injection-string", 2, "semgrep"), ("sql-injection", 3, "semgrep"), ("weak-hash", 3, "semgrep"),
        ("weak-random-token", 3, "semgrep")]
    assert kept[0].extra.get("superseded") and not kept[1].extra.get("superseded")
    # the line where the SQL text is built is shown, but the flaw costs its points once
    assert points_lost(kept[:2], DEFAULT_PENALTIES, DEFAULT_CONFIDENCE_WEIGHTS) == 5


# ---------------------------------------------------------------------- result contract
def test_result_contract_and_languages(project_report):
    en = to_result(PROJECT, project_report, "en")
    fr = to_result(PROJECT, project_report, "fr")
    Result.model_validate_json(en.model_dump_json())
    assert en.lab == "scan" and [c.id for c in en.checks] == list(FAMILIES)
    assert all(c.kind == "security" for c in en.checks)
    en_messages = {f.message for _, f in en.all_findings()}
    fr_messages = {f.message for _, f in fr.all_findings()}
    assert any(m.startswith("SQL injection") for m in en_messages)
    assert any(m.startswith("Injection SQL") for m in fr_messages)
    assert en.checks[0].title == "Injections (taint analysis)" and fr.checks[0].title == "Injections (analyse de flux)"
    for _, finding in en.all_findings():
        assert finding.help and finding.confidence and finding.path


def test_scan_project_rejects_a_file(tmp_path):
    from graders.errors import BadInput

    target = tmp_path / "x.py"
    target.write_text("x = 1\n")
    with pytest.raises(BadInput, match="not a folder"):
        scan_project(target)
