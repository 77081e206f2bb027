"""Gradescope autograder `results.json`."""

from __future__ import annotations

import json
from typing import Any

from graders.render._common import (
    STATUS_LABELS,
    area_label,
    criteria_lines,
    criterion_label,
    criterion_reasons,
    verdict_text,
    check_label,
    check_ok,
    clean_text,
    findings_text,
    fmt_num,
    fmt_pct,
    is_hidden_test,
    noteworthy,
    pct,
    scored_tests,
    translator,
)
from graders.render.registry import ReportFormat
from graders.results import CheckResult, CriterionResult, Result

HIDDEN_VISIBILITY = "after_published"


def _check_output(check: CheckResult, lang: str) -> str:
    _ = translator(lang)
    status_label, hidden_note = _("Status:"), _("Hidden test: only its verdict is shown.")
    status = _(STATUS_LABELS[check.status])
    lines = [f"{status_label} {status}"]
    details = findings_text(check, lang)
    if details:
        lines.append(details)
    for test in check.tests:
        verdict = _(STATUS_LABELS[test.status])
        if is_hidden_test(check, test):
            lines.append(f"- {test.name}: {verdict} ({hidden_note})")
        else:
            lines.append(f"- {test.name}: {verdict}")
            if noteworthy(test) and test.message:
                lines.append(clean_text(test.message))
    return "\n".join(lines)


def _check_passed(check: CheckResult) -> bool:
    """Gradescope knows passed/failed only: a skipped check worth no points did not fail."""
    return check_ok(check) or (check.status == "skipped" and not check.max_score)


def _test_status(status: str) -> str:
    """Gradescope knows passed/failed only: work awaiting the trainer has not failed (its output says so)."""
    return "passed" if status in ("passed", "pending") else "failed"


def _entries(check: CheckResult, lang: str) -> list[dict[str, Any]]:
    _ = translator(lang)
    label = check_label(check)
    if not scored_tests(check):
        hidden = not check.visible
        output = _(STATUS_LABELS[check.status]) if hidden and not check.findings else _check_output(check, lang)
        return [
            {
                "name": f"{check.title} ({check.id})" if check.title and check.title != check.id else check.id,
                "score": check.score,
                "max_score": check.max_score,
                "status": "passed" if _check_passed(check) else "failed",
                "output": output,
                "visibility": HIDDEN_VISIBILITY if hidden else "visible",
            }
        ]
    entries = []
    for test in check.tests:
        hidden = is_hidden_test(check, test)
        verdict = _(STATUS_LABELS[test.status])
        if hidden or not noteworthy(test) or not test.message:
            output = verdict
        else:
            output = f"{verdict}\n{clean_text(test.message)}"
        entries.append(
            {
                "name": f"{label} › {test.name}",
                "score": test.score,
                "max_score": test.max_score,
                "status": _test_status(test.status),
                "output": output,
                "visibility": HIDDEN_VISIBILITY if hidden else "visible",
            }
        )
    return entries


def _criterion_entry(criterion: CriterionResult, lang: str) -> dict[str, Any]:
    """A criterion's verdict as an entry worth no points: only not acquired fails; its output says which verdict."""
    _ = translator(lang)
    output = "\n".join([verdict_text(criterion.verdict, _), *criterion_reasons(criterion, _, lang)])
    return {
        "name": criterion_label(criterion),
        "score": 0,
        "max_score": 0,
        "status": "failed" if criterion.verdict == "not-acquired" else "passed",
        "output": output,
        "visibility": "visible",
    }


def to_gradescope(result: Result, lang: str = "fr") -> dict[str, Any]:
    _ = translator(lang)
    lines = []
    if result.criteria:  # the headline
        lines.append(_("Référentiel criteria:"))
        lines += criteria_lines(result, _, lang)
        lines.append("")
    lines += [
        _("Score: %(score)s / %(max)s") % {"score": fmt_num(result.score, lang), "max": fmt_num(result.max_score, lang)}
        + f" ({fmt_pct(result.percent, lang)})"
    ]
    if result.status == "error":
        label = _("Grading error:")
        error = clean_text(result.error) or _("unknown error")
        lines.append(f"{label} {error}")
    if result.competences:
        lines.append(_("Competences:"))
        for area in result.competences:
            values = {
                "label": area_label(area.id, area.title),
                "score": f"{fmt_num(area.score, lang)} / {fmt_num(area.max_score, lang)}",
                "percent": fmt_pct(pct(area.score, area.max_score), lang),
            }
            lines.append("- " + _("%(label)s: %(score)s (%(percent)s)") % values)
    for check in result.report_checks(_):
        # Checks shown test by test lose their own message and findings (time limit, tampering...): keep them here.
        details = findings_text(check, lang) if scored_tests(check) else ""
        if details:
            lines.append(_("%(label)s: %(message)s") % {"label": check_label(check), "message": details})
    tests = [_criterion_entry(criterion, lang) for criterion in result.criteria]
    tests += [entry for check in result.report_checks(_) for entry in _entries(check, lang)]
    return {
        "score": result.score,
        "max_score": result.max_score,
        "execution_time": round(result.duration_s, 2),
        "output": "\n".join(lines),
        "tests": tests,
        "extra_data": {"lab": result.lab, "submission": result.submission, "schema_version": result.schema_version},
    }


def render(result: Result, lang: str = "fr") -> str:
    return json.dumps(to_gradescope(result, lang), indent=2, ensure_ascii=False) + "\n"


FORMAT = ReportFormat(render, ".json", help="Write Gradescope results.json.", order=60)
