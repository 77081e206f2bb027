"""Every report format: the registry, the hidden-test rule, every finding in every report, pending work,
writing reports. Format by format: test_render_formats.py; in a browser: test_render_browser.py."""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET

import pytest

from graders.errors import BadInput
from graders.render import RENDERERS, DashboardEntry, formats_for, render_dashboard, installed_formats, render, write_report, write_reports
from graders.render._common import STATUS_LABELS, VERDICT_GLYPH, VERDICT_LABELS, location, translator
from graders.results import SCHEMA_VERSION, Result
from tests.render_samples import BLOCKING_REASON, RUBRIC_TEXT, SECRET, audit_result, error_result, incident_result, leaky_result, make_result


@pytest.fixture
def result() -> Result:
    return make_result()


# --------------------------------------------------------------------------- all renderers


SHIPPED = {"json": ".json", "markdown": ".md", "html": ".html", "junit": ".xml", "sarif": ".sarif",
           "gradescope": ".json", "audit-html": ".html", "audit-markdown": ".md"}


def test_registry_has_every_format():
    """Every shipped format is an entry point of the cda.renderers group, with its file extension."""
    assert {name: fmt.extension for name, fmt in installed_formats().items()} == SHIPPED
    assert set(RENDERERS) == set(SHIPPED)


def test_the_audit_offers_its_own_html_and_markdown():
    general = ["json", "markdown", "html", "junit", "sarif", "gradescope"]
    for command in ("grade", "scan"):
        assert {flag: fmt.name for flag, fmt in formats_for(command).items()} == dict(zip(general, general))
    audit = {flag: fmt.name for flag, fmt in formats_for("audit").items()}
    assert audit == {**dict(zip(general, general)), "markdown": "audit-markdown", "html": "audit-html"}
    plain = make_result()  # no web_audit metrics: the audit's formats add nothing
    assert render(plain, "audit-html", "en") == render(plain, "html", "en")
    assert render(plain, "audit-markdown", "en") == render(plain, "markdown", "en")
    audited = audit_result()
    assert "## RGAA 4.1.2 coverage" in render(audited, "audit-markdown", "en")
    assert "RGAA 4.1.2 coverage" not in render(audited, "markdown", "en")
    assert "web-rgaa-title" in render(audited, "audit-html", "en") and "web-rgaa-title" not in render(audited, "html", "en")


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
    assert json.loads(text)["schema_version"] == SCHEMA_VERSION


def test_write_report_creates_dirs_and_writes_utf8(tmp_path, result):
    path = write_report(result, "markdown", tmp_path / "a" / "b" / "report.md", lang="fr")
    text = path.read_bytes().decode("utf-8")
    assert "Sécurité" in text
    with pytest.raises(BadInput, match="unknown report format"):
        write_report(result, "pdf", tmp_path / "x.pdf")


def test_write_reports_writes_each_format_once(tmp_path, result):
    asked = {fmt: tmp_path / "out" / f"r{SHIPPED[fmt]}" for fmt in ("json", "markdown", "junit")}
    written = write_reports(result, {**asked, "sarif": None}, "en")
    assert written == asked
    assert Result.model_validate_json(asked["json"].read_text(encoding="utf-8")) == result
    assert asked["markdown"].read_text(encoding="utf-8") == render(result, "markdown", "en")
    assert write_reports(result, {"json": "/dev/null", "sarif": "/dev/null"}, "en")  # devices may be shared


@pytest.mark.parametrize("reports,message", [
    ({"json": "same.json", "gradescope": "same.json"}, "the json and gradescope reports cannot both be written"),
    ({"json": "r.json", "pdf": "r.pdf"}, "unknown report format 'pdf'"),
])
def test_write_reports_checks_everything_first(tmp_path, result, reports, message):
    with pytest.raises(BadInput, match=message):
        write_reports(result, {fmt: tmp_path / path for fmt, path in reports.items()}, "fr")
    assert list(tmp_path.iterdir()) == []  # nothing written


# --------------------------------------------------------------------------- every finding in every report

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



# --------------------------------------------------------------------------- the verdicts first


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_verdicts_in_every_report(lang, monkeypatch):
    """Each criterion's verdict label, the blocking flaw's reason and the rubric are in every report;
    the human-readable ones put the criteria before the checks; HTML gives each verdict a text label."""
    result = make_result()
    assert {c.verdict for c in result.criteria} == set(VERDICT_LABELS)
    _ = translator(lang)
    labels = {verdict: _(label) for verdict, label in VERDICT_LABELS.items()}
    outputs = {fmt: RENDERERS[fmt](result, lang=lang) for fmt in RENDERERS}
    outputs["console"] = console_summary(result, lang, monkeypatch)
    for fmt, text in outputs.items():
        if fmt in ("json", "sarif"):  # machine formats: the verdict values themselves
            assert all(f'"verdict": "{v}"' in text for v in VERDICT_LABELS), fmt
            assert "sql-injection" in text, fmt
            continue
        for criterion in result.criteria:
            assert criterion.id in text and labels[criterion.verdict] in text, (fmt, criterion.id)
        assert BLOCKING_REASON in text and "B608" in text and "CWE-89" in text, fmt
        assert RUBRIC_TEXT in text and _("To be assessed by the trainer: %(item)s") % {"item": RUBRIC_TEXT} in text, fmt
    for fmt in ("markdown", "html", "audit-markdown", "audit-html", "console"):  # the headline: before the checks
        text = outputs[fmt]
        assert text.index(result.criteria[0].id) < text.index("Qualité du code"), fmt
    html = outputs["html"]
    for verdict, label in labels.items():  # a symbol and a text label, never a class (colour) alone
        badge = f'<span class="badge verdict-{verdict}"><span aria-hidden="true">{VERDICT_GLYPH[verdict]} </span>{label}</span>'
        assert badge in html, verdict
    sarif_criteria = json.loads(outputs["sarif"])["runs"][0]["properties"]["criteria"]
    assert [(c["id"], c["verdict"], c["blocking"]) for c in sarif_criteria] == [
        (c.id, c.verdict, [f.flaw for f in c.blocking]) for c in result.criteria
    ]
    root = ET.fromstring(outputs["junit"].encode("utf-8"))
    cases = {case.get("name").split()[0]: case for case in root.find("testsuite[@name='criteria']")}
    assert BLOCKING_REASON in cases["C8.3"].find("failure").get("message")
    assert cases["C6.4"].find("skipped") is not None and RUBRIC_TEXT in cases["C6.4"].find("system-out").text
    assert cases["C3.1"].find("failure") is None and labels["consolidate"] in cases["C3.1"].find("system-out").text
    assert cases["C3.1"].find("properties/property[@name='verdict']").get("value") == "consolidate"
    assert all(case.find("failure") is None and case.find("skipped") is None for case in [cases["C6.2"]])  # acquired: passed
    doc = json.loads(outputs["gradescope"])
    assert doc["output"].startswith(_("Référentiel criteria:")) and doc["score"] == result.score
    entries = {t["name"].split()[0]: t for t in doc["tests"] if t["name"].split()[0] in cases}
    assert {k: t["status"] for k, t in entries.items()} == {
        "C3.1": "passed", "C6.2": "passed", "C6.4": "passed", "C8.3": "failed"}
    assert all(t["max_score"] == 0 and t["score"] == 0 for t in entries.values())
    assert labels["not-assessed"] in entries["C6.4"]["output"] and labels["consolidate"] in entries["C3.1"]["output"]
    dashboard = render_dashboard([DashboardEntry("c6 / solution", result)], lang=lang)
    assert all(labels[v] in dashboard for v in VERDICT_LABELS)
