"""`cda audit`: reports in the shared contract, exit codes, one-line errors."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from graders.results import SCHEMA_VERSION
from graders.web.serve import StaticServer
from tests.helpers import run_cda

FIXTURES = Path(__file__).parent / "fixtures" / "web"


def browser_test(func):
    return pytest.mark.browser(pytest.mark.xdist_group("browser")(func))


@pytest.fixture(scope="module")
def site():
    with StaticServer(FIXTURES / "site") as server:
        yield server


def one_line_error(proc, code: int, fragment: str) -> None:
    assert proc.returncode == code, (proc.returncode, proc.stdout, proc.stderr)
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("cda: error: ") and fragment in lines[0], proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout


def test_unreachable_url_is_bad_input():
    one_line_error(run_cda("audit", "http://127.0.0.1:9/nothing-here"), 2, "unreachable")


def test_not_a_url_nor_a_file_is_bad_input():
    one_line_error(run_cda("audit", "ftp://example.org/x"), 2, "not an http(s) URL nor an existing file")


def test_unknown_family_is_bad_input(site):
    one_line_error(run_cda("audit", "--only", "rgaa,seo", site.url("clean.html")), 2, "unknown family")


def test_bad_report_options_exit_2_before_the_browser_starts(site, tmp_path):
    one_line_error(run_cda("audit", site.url("clean.html"), "--report", "pdf=r.pdf"), 2, "--report: unknown format 'pdf'")
    same = str(tmp_path / "r.md")
    one_line_error(run_cda("audit", site.url("clean.html"), "--markdown", same, "--json", same), 2,
                   "the json and audit-markdown reports cannot both be written there")


def test_missing_browser_exits_3(monkeypatch, capsys, site):
    from graders import browser, cli

    monkeypatch.setattr(browser, "CHROMIUM", "/nonexistent/chromium")
    monkeypatch.setattr(sys, "argv", ["cda", "audit", site.url("clean.html")])
    with pytest.raises(SystemExit) as done:
        cli.main()
    assert done.value.code == 3
    assert "Chromium not found" in capsys.readouterr().err


@browser_test
def test_audit_writes_the_shared_contract(site, tmp_path):
    url = site.url("a11y-image.html")
    paths = {fmt: tmp_path / f"audit.{ext}" for fmt, ext in (("json", "json"), ("html", "html"), ("markdown", "md"),
                                                              ("sarif", "sarif"))}
    proc = run_cda("audit", url, "--json", str(paths["json"]), "--html", str(paths["html"]),
                   "--markdown", str(paths["markdown"]), "--sarif", str(paths["sarif"]), "--lang", "en")
    assert proc.returncode == 0, proc.stderr
    result = json.loads(paths["json"].read_text())
    assert result["schema_version"] == SCHEMA_VERSION and result["lab"] == "audit" and result["status"] == "graded"
    assert [c["id"] for c in result["checks"]] == ["rgaa", "rgpd", "anssi", "eco"]
    rgaa = result["checks"][0]
    assert rgaa["status"] == "failed" and any(f["rule"] == "rgaa-1.1.1/image-alt" for f in rgaa["findings"])
    assert result["checks"][3]["status"] == "passed"
    assert set(result["metrics"]["ecoindex"][url]) == {"score", "grade", "dom_nodes", "requests", "size_kb", "cutoff_s"}
    coverage = result["metrics"]["web_audit"]["rgaa"]
    assert len(coverage["criteria"]) == 106 and coverage["criteria"]["1.1"]["status"] == "failed"
    html = paths["html"].read_text()
    assert html.count("<rect") >= 106 and "RGAA 4.1.2 coverage" in html and "EcoIndex per page" in html
    assert "RGAA 4.1.2 coverage" in paths["markdown"].read_text()
    located = json.loads(paths["sarif"].read_text())["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert located["artifactLocation"] == {"uri": url}  # the page itself, an absolute URI
    assert f"audit-html: {paths['html']}" in proc.stderr


@browser_test
def test_fail_on_violation_and_local_files(site):
    proc = run_cda("audit", "-q", "--only", "rgaa", "--fail-on-violation", site.url("a11y-label.html"))
    assert proc.returncode == 1, proc.stderr
    local = run_cda("audit", "--lang", "fr", str(FIXTURES / "site" / "clean.html"))
    assert local.returncode == 0, local.stderr
    assert "Non demandé" not in local.stdout and "Fichiers locaux" in local.stdout
