"""JUnit XML: one <testsuite> per check, one <testcase> per test (or per check without tests)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from graders.render._common import (
    STATUS_LABELS,
    VERDICT_LABELS,
    blocking_text,
    check_ok,
    clean_text,
    criterion_reasons,
    findings_text,
    fmt_num,
    hidden_check_note,
    is_hidden_test,
    translator,
)
from graders.render.registry import ReportFormat
from graders.results import CheckResult, CriterionResult, Result, TestCase

# "pending" (awaits the trainer) is no failure: JUnit's nearest verdict is <skipped>, with the label
# as its message and a `status=pending` property telling it apart from a real skip.
_ELEMENT = {"failed": "failure", "error": "error", "skipped": "skipped", "pending": "skipped"}


def _seconds(value: float) -> str:
    return f"{max(value, 0.0):.3f}"


def _verdict(parent: ET.Element, status: str, message: str, text: str | None = None) -> None:
    """The verdict element; `text` goes in it for a failure or error, else in <system-out>."""
    tag = _ELEMENT.get(status)
    element = None
    if tag is not None:
        element = ET.SubElement(parent, tag, {"message": clean_text(message, 1000)})
        if tag != "skipped":
            element.set("type", status)
    if not text:
        return
    if element is None or tag == "skipped":
        element = ET.SubElement(parent, "system-out")
    element.text = clean_text(text)


def _test_case(suite: ET.Element, result: Result, check: CheckResult, test: TestCase, _) -> None:
    case = ET.SubElement(
        suite, "testcase", {"classname": f"{result.lab}.{check.id}", "name": clean_text(test.name, 1000)}
    )
    hidden = is_hidden_test(check, test)
    if test.status == "pending":
        props = ET.SubElement(case, "properties")
        ET.SubElement(props, "property", {"name": "status", "value": "pending"})
        _verdict(case, test.status, _(STATUS_LABELS["pending"]), None if hidden else test.message)
    elif hidden:
        _verdict(case, test.status, _("Hidden test: only its verdict is shown."))
    else:
        first_line = (clean_text(test.message, 1000).strip().splitlines() or [test.status])[0]
        _verdict(case, test.status, first_line, test.message)


def _check_case(suite: ET.Element, result: Result, check: CheckResult, lang: str) -> None:
    _ = translator(lang)
    case = ET.SubElement(
        suite,
        "testcase",
        {"classname": f"{result.lab}.{check.id}", "name": check.title or check.id, "time": _seconds(check.duration_s)},
    )
    score = _("Score: %(score)s / %(max)s") % {
        "score": fmt_num(check.score, lang),
        "max": fmt_num(check.max_score, lang),
    }
    details = findings_text(check, lang) or None  # findings always; the message of visible checks only
    findings = details if check.findings else None  # what a verdict without text of its own still carries
    if not check.visible:
        status = check.status if check.status in ("error", "skipped") else ("passed" if check_ok(check) else "failed")
        _verdict(case, status, _(hidden_check_note(bool(check.findings))), findings)
    elif check.status == "error":
        _verdict(case, "error", check.message or _("The check could not run."), details)
    elif check.status == "skipped":
        _verdict(case, "skipped", check.message or _("Skipped"), findings)
    elif check_ok(check):
        _verdict(case, "passed", score, findings)
    else:
        _verdict(case, "failed", score, details)


def _criterion_case(suite: ET.Element, result: Result, criterion: CriterionResult, lang: str) -> None:
    """Not acquired: a failure naming its blocking flaws (else its points); not assessed: skipped;
    to consolidate: passed, a `verdict` property and <system-out> saying so."""
    _ = translator(lang)
    name = f"{criterion.id} {criterion.title}" if criterion.title else criterion.id
    case = ET.SubElement(suite, "testcase", {"classname": f"{result.lab}.criteria", "name": clean_text(name, 1000)})
    props = ET.SubElement(case, "properties")
    ET.SubElement(props, "property", {"name": "verdict", "value": criterion.verdict})
    ET.SubElement(props, "property", {"name": "competence", "value": criterion.competence})
    label = _(VERDICT_LABELS[criterion.verdict])
    reasons = "\n".join(criterion_reasons(criterion, _, lang)) or None
    if criterion.verdict == "not-acquired":
        first = blocking_text(criterion.blocking[0], _) if criterion.blocking else (reasons or label)
        _verdict(case, "failed", f"{label}: {first.splitlines()[0]}", reasons)
    elif criterion.verdict == "not-assessed":
        _verdict(case, "skipped", label, reasons)
    else:
        _verdict(case, "passed", label, f"{label}\n{reasons}" if reasons else label)


def _counts(suite: ET.Element, totals: dict[str, int]) -> None:
    counts = {
        "tests": len(suite.findall("testcase")),
        "failures": len(suite.findall("testcase/failure")),
        "errors": len(suite.findall("testcase/error")),
        "skipped": len(suite.findall("testcase/skipped")),
    }
    for key, value in counts.items():
        suite.set(key, str(value))
        totals[key] += value


def render(result: Result, lang: str = "fr") -> str:
    _ = translator(lang)
    root = ET.Element("testsuites", {"name": result.lab, "time": _seconds(result.duration_s)})
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    if result.criteria:  # the headline: first suite, a case per référentiel criterion
        suite = ET.SubElement(root, "testsuite", {"name": "criteria", "time": _seconds(0)})
        for criterion in result.criteria:
            _criterion_case(suite, result, criterion, lang)
        _counts(suite, totals)
    for check in result.report_checks(_):
        suite = ET.SubElement(
            root,
            "testsuite",
            {"name": check.id, "time": _seconds(check.duration_s)},
        )
        props = ET.SubElement(suite, "properties")
        for name, value in (
            ("title", check.title or check.id),
            ("kind", check.kind),
            ("status", check.status),
            ("score", f"{check.score:g}"),
            ("max_score", f"{check.max_score:g}"),
            ("competences", ",".join(check.competences)),
            ("themes", ",".join(check.themes)),
        ):
            ET.SubElement(props, "property", {"name": name, "value": clean_text(value, 1000)})
        if check.tests:
            for test in check.tests:
                _test_case(suite, result, check, test, _)
            # The check's own case carries what no test does: its error, and its findings.
            if check.status == "error" and check.visible or check.findings:
                _check_case(suite, result, check, lang)
        else:
            _check_case(suite, result, check, lang)
        _counts(suite, totals)
    for key, value in totals.items():
        root.set(key, str(value))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


FORMAT = ReportFormat(render, ".xml", help="Write JUnit XML.", order=40)
