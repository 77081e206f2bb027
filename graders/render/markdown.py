"""Markdown report, sized for a GitHub/GitLab CI job summary."""

from __future__ import annotations

import re
from typing import Callable

from graders.render._common import (
    HIDDEN_EMOJI,
    SEVERITY_EMOJI,
    SEVERITY_LABELS,
    STATUS_EMOJI,
    STATUS_LABELS,
    area_label,
    clean_text,
    criterion_reasons,
    failing,
    fmt_num,
    fmt_pct,
    fmt_seconds,
    hidden_check_note,
    is_hidden_test,
    lab_label,
    location,
    pct,
    reference_url,
    sorted_findings,
    translator,
    verdict_text,
)
from graders.render.registry import ReportFormat
from graders.results import AreaScore, CheckResult, Result, TestCase

_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~&!])")


def md_text(text: str | None, limit: int | None = 4000) -> str:
    """Inline text: markdown and HTML neutralised, kept on one line."""
    text = clean_text(text, limit)
    text = " ".join(text.split())
    return _SPECIAL.sub(r"\\\1", text)


def md_code(text: str | None) -> str:
    """Inline code span, safe inside a table cell."""
    text = " ".join(clean_text(text, 500).split()).replace("|", "\\|")
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def md_block(text: str | None, indent: str = "") -> list[str]:
    """Fenced code block, for multi-line test output."""
    text = clean_text(text).strip("\n")
    longest = max((len(run) for run in re.findall(r"`{3,}", text)), default=2)
    fence = "`" * (longest + 1)
    lines = [fence + "text", *text.split("\n"), fence]
    return [indent + line if line else "" for line in lines]


def _score(score: float, max_score: float, lang: str) -> str:
    return f"{fmt_num(score, lang)} / {fmt_num(max_score, lang)}"


def _area_table(areas: list[AreaScore], header: str, lang: str) -> list[str]:
    _ = translator(lang)
    score_label = _("Score")
    lines = [f"| {header} | {score_label} | % |", "|---|---:|---:|"]
    for area in areas:
        lines.append(
            f"| {md_text(area_label(area.id, area.title))} | {_score(area.score, area.max_score, lang)}"
            f" | {fmt_pct(pct(area.score, area.max_score), lang)} |"
        )
    return lines


def _criteria_section(result: Result, lang: str) -> list[str]:
    """The headline: a verdict per référentiel criterion and why, then the competences' and CCPs' verdicts."""
    _ = translator(lang)
    if not result.criteria:
        return []
    heading, col_criterion, col_title, col_verdict, col_why = (
        _("Référentiel criteria"), _("Criterion"), _("Title"), _("Verdict"), _("Why"),
    )
    out = [f"## {heading}", "", f"| {col_criterion} | {col_title} | {col_verdict} | {col_why} |", "|---|---|---|---|"]
    for criterion in result.criteria:
        reasons = "<br>".join(md_text(line, 1000) for line in criterion_reasons(criterion, _, lang))
        out.append(f"| {md_code(criterion.id)} | {md_text(criterion.title)} | {verdict_text(criterion.verdict, _)} | {reasons} |")
    out.append("")
    areas = [(area, _("CCP")) for area in result.ccps if area.verdict] + [
        (area, _("Competence")) for area in result.competences if area.verdict
    ]
    if areas:
        col_level, col_area = _("Level"), _("Competence or CCP")
        out += [f"| {col_level} | {col_area} | {col_verdict} |", "|---|---|---|"]
        for area, level in areas:
            out.append(f"| {level} | {md_text(area_label(area.id, area.title))} | {verdict_text(area.verdict, _)} |")
        out.append("")
    return out


def _check_heading(check: CheckResult) -> str:
    prefix = f"{HIDDEN_EMOJI} " if not check.visible else ""
    if check.title and check.title != check.id:
        return f"{prefix}{md_text(check.title)} ({md_code(check.id)})"
    return f"{prefix}{md_code(check.id)}"


def _status(status: str, _) -> str:
    label = _(STATUS_LABELS[status])
    return f"{STATUS_EMOJI[status]} {label}"


def _test_section(result: Result, heading: str, wanted: Callable[[TestCase], bool], _) -> list[str]:
    """The tests `wanted` picks, check by check; hidden ones with name and verdict only."""
    checks = [c for c in result.checks if any(wanted(t) for t in c.tests)]
    if not checks:
        return []
    hidden_note = _("Hidden test: only its verdict is shown.")
    out = [f"## {heading}", ""]
    for check in checks:
        passed = sum(1 for t in check.tests if t.status == "passed")
        counts = _("Tests passed: %(passed)d of %(total)d") % {"passed": passed, "total": len(check.tests)}
        out += [f"### {_check_heading(check)} — {counts}", ""]
        for test in check.tests:
            if not wanted(test):
                continue
            if is_hidden_test(check, test):
                out.append(f"- {HIDDEN_EMOJI} {md_code(test.name)} — {_status(test.status, _)} — {hidden_note}")
                continue
            out.append(f"- {md_code(test.name)} — {_status(test.status, _)}")
            if test.message:
                out += md_block(test.message, indent="  ")
        out.append("")
    return out


def render(result: Result, lang: str = "fr") -> str:
    # gettext calls stay outside f-strings: pybabel does not extract from inside them.
    _ = translator(lang)
    out: list[str] = []

    score = _score(result.score, result.max_score, lang)
    lab = f"{md_text(lab_label(result))} ({md_code(result.lab)})"
    title = _("Grading report: %(lab)s") % {"lab": lab}
    out += [f"# 📋 {title} — {score} ({fmt_pct(result.percent, lang)})", ""]
    meta = []
    if result.submission:
        label = _("Submission:")
        meta.append(f"**{label}** {md_code(result.submission)}")
    label = _("Score:")
    meta.append(f"**{label}** {score}")
    label = _("Duration:")
    meta.append(f"**{label}** {fmt_seconds(result.duration_s, lang)}")
    out += [" · ".join(meta), ""]
    if result.status == "error":
        label = _("Grading error:")
        error = md_text(result.error or _("unknown error"))
        out += [f"> ⚠️ **{label}** {error}", ""]

    out += _criteria_section(result, lang)

    if result.checks:
        heading, col_check, col_status, col_score, col_details, total = (
            _("Checks"), _("Check"), _("Status"), _("Score"), _("Details"), _("Total"),
        )
        out += [f"## {heading}", ""]
        out.append(f"| {col_check} | {col_status} | {col_score} | {col_details} |")
        out.append("|---|---|---:|---|")
        for check in result.report_checks(_):
            details = md_text(check.message, 300) if check.visible else ""
            out.append(
                f"| {_check_heading(check)} | {_status(check.status, _)}"
                f" | {_score(check.score, check.max_score, lang)} | {details} |"
            )
        out += [f"| **{total}** | | **{score}** | |", ""]
        hidden = [check for check in result.checks if not check.visible]
        if hidden:
            legend = _(hidden_check_note(any(c.findings for c in hidden)))
            out += [f"{HIDDEN_EMOJI} {legend}", ""]

    if result.competences:
        heading = _("Competences")
        out += [f"## {heading}", ""]
        out += _area_table(result.competences, _("Competence"), lang)
        out.append("")
    if result.themes:
        heading = _("Themes")
        out += [f"## {heading}", ""]
        out += _area_table(result.themes, _("Theme"), lang)
        out.append("")

    # Findings are the grader's own words: those of hidden checks are shown too.
    detailed = [c for c in result.report_checks(_) if c.findings]
    if detailed:
        heading, references, help_label = _("Findings"), _("References:"), _("Help:")
        out += [f"## {heading}", ""]
        for check in detailed:
            out += [f"### {_check_heading(check)}", ""]
            for finding in sorted_findings(check):
                severity = _(SEVERITY_LABELS[finding.severity])
                parts = [f"{SEVERITY_EMOJI[finding.severity]} **{severity}**", md_code(finding.rule)]
                where = location(finding)
                if where:
                    parts.append(md_code(where))
                out.append(f"- {' · '.join(parts)} — {md_text(finding.message)}")
                if finding.references:
                    refs = []
                    for ref in finding.references:
                        url = reference_url(ref)
                        refs.append(f"[{md_text(ref)}](<{url}>)" if url else md_text(ref))
                    out.append(f"  - {references} {', '.join(refs)}")
                if finding.help:
                    out.append(f"  - {help_label} {md_text(finding.help)}")
            out.append("")

    out += _test_section(result, _("Failing tests"), failing, _)
    out += _test_section(result, _(STATUS_LABELS["pending"]), lambda t: t.status == "pending", _)

    footer = [f"cda {md_text(result.grader_version)}" if result.grader_version else "cda"]
    footer.append(_("result schema v%(version)d") % {"version": result.schema_version})
    if result.sandbox:
        label = _("sandbox:")
        footer.append(f"{label} {md_text(result.sandbox)}")
    generated = _("Generated by")
    out.append(f"_{generated} {' · '.join(footer)}_")
    return "\n".join(out) + "\n"


FORMAT = ReportFormat(render, ".md", help="Write a Markdown report (CI job summary).", order=20)
