"""Self-contained, accessible HTML report (Jinja2 templates, inline CSS and SVG, no JavaScript)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from graders.render._common import (
    SEVERITY_LABELS,
    STATUS_LABELS,
    VERDICT_GLYPH,
    VERDICT_LABELS,
    area_label,
    blocking_text,
    check_label,
    clean_text,
    criterion_reasons,
    failing,
    fmt_num,
    fmt_pct,
    fmt_seconds,
    is_hidden_test,
    lab_label,
    location,
    noteworthy,
    pct,
    reference_url,
    sorted_findings,
    translator,
)
from graders.render._jinja import render_template
from graders.render.registry import ReportFormat
from graders.results import AreaScore, CheckResult, Result


@dataclass
class Bar:
    """One row of a bar chart: an area (competence, theme) or a whole score."""

    id: str
    label: str
    percent: float
    score_text: str
    percent_text: str

    @property
    def fill(self) -> float:
        """Filled share of the bar, 0..100."""
        return max(0.0, min(100.0, self.percent))


@dataclass
class FindingView:
    severity: str
    severity_label: str
    rule: str
    location: str | None
    message: str
    references: list[tuple[str, str | None]]
    help: str | None


@dataclass
class TestView:
    name: str
    status: str
    status_label: str
    hidden: bool
    message: str | None
    score_text: str | None


@dataclass
class CheckView:
    id: str
    title: str | None  # None when the check has no title of its own
    label: str
    kind: str
    visible: bool
    status: str
    status_label: str
    score_text: str
    message: str | None
    findings: list[FindingView] = field(default_factory=list)
    tests: list[TestView] = field(default_factory=list)
    passed_tests: int = 0
    failing_tests: int = 0

    @property
    def has_details(self) -> bool:
        return bool(self.findings)


@dataclass
class VerdictView:
    """A verdict shown as a symbol and a text label (its class only adds colour)."""

    verdict: str
    label: str
    symbol: str


@dataclass
class CriterionView:
    id: str
    title: str | None
    verdict: VerdictView
    blocking: list[str]  # reasons, as text
    notes: list[str]  # points, or what the trainer must assess


@dataclass
class AreaVerdictView:
    level: str
    label: str
    verdict: VerdictView


def verdict_view(verdict: str, _: Callable[[str], str]) -> VerdictView:
    return VerdictView(verdict=verdict, label=_(VERDICT_LABELS[verdict]), symbol=VERDICT_GLYPH[verdict])


def criteria_views(result: Result, lang: str, _: Callable[[str], str]) -> list[CriterionView]:
    views = []
    for criterion in result.criteria:
        blocking = [blocking_text(flaw, _) for flaw in criterion.blocking]
        notes = criterion_reasons(criterion, _, lang)[len(blocking):]
        views.append(CriterionView(criterion.id, criterion.title, verdict_view(criterion.verdict, _), blocking, notes))
    return views


def area_verdicts(result: Result, _: Callable[[str], str]) -> list[AreaVerdictView]:
    levels = [(_("CCP"), result.ccps), (_("Competence"), result.competences)]
    return [
        AreaVerdictView(level, area_label(area.id, area.title), verdict_view(area.verdict, _))
        for level, areas in levels
        for area in areas
        if area.verdict
    ]


def score_text(score: float, max_score: float, lang: str) -> str:
    return f"{fmt_num(score, lang)} / {fmt_num(max_score, lang)}"


def area_bars(areas: list[AreaScore], lang: str) -> list[Bar]:
    return [
        Bar(
            id=area.id,
            label=area_label(area.id, area.title),
            percent=pct(area.score, area.max_score),
            score_text=score_text(area.score, area.max_score, lang),
            percent_text=fmt_pct(pct(area.score, area.max_score), lang),
        )
        for area in areas
    ]


def score_bar(result: Result, lang: str) -> Bar:
    return Bar(
        id="score",
        label=lab_label(result),
        percent=result.percent,
        score_text=score_text(result.score, result.max_score, lang),
        percent_text=fmt_pct(result.percent, lang),
    )


def check_view(check: CheckResult, lang: str, _: Callable[[str], str]) -> CheckView:
    view = CheckView(
        id=check.id,
        title=check.title if check.title and check.title != check.id else None,
        label=check_label(check),
        kind=check.kind,
        visible=check.visible,
        status=check.status,
        status_label=_(STATUS_LABELS[check.status]),
        score_text=score_text(check.score, check.max_score, lang),
        message=clean_text(check.message) or None if check.visible else None,
    )
    # Findings are the grader's own words: those of hidden checks are shown too.
    for finding in sorted_findings(check):
        view.findings.append(
            FindingView(
                severity=finding.severity,
                severity_label=_(SEVERITY_LABELS[finding.severity]),
                rule=finding.rule,
                location=location(finding),
                message=clean_text(finding.message),
                references=[(ref, reference_url(ref)) for ref in finding.references],
                help=clean_text(finding.help) or None,
            )
        )
    for test in check.tests:
        hidden = is_hidden_test(check, test)
        view.tests.append(
            TestView(
                name=test.name,
                status=test.status,
                status_label=_(STATUS_LABELS[test.status]),
                hidden=hidden,
                message=None if hidden or not noteworthy(test) else (clean_text(test.message) or None),
                score_text=score_text(test.score, test.max_score, lang) if test.max_score else None,
            )
        )
        view.passed_tests += test.status == "passed"
        view.failing_tests += failing(test)
    return view


def render(result: Result, lang: str = "fr") -> str:
    _ = translator(lang)
    checks = [check_view(check, lang, _) for check in result.report_checks(_)]
    return render_template(
        "report.html",
        _=_,
        lang=lang,
        result=result,
        lab_label=lab_label(result),
        score=score_bar(result, lang),
        competences=area_bars(result.competences, lang),
        themes=area_bars(result.themes, lang),
        checks=checks,
        criteria=criteria_views(result, lang, _),
        area_verdicts=area_verdicts(result, _),
        total_text=score_text(result.score, result.max_score, lang),
        duration_text=fmt_seconds(result.duration_s, lang),
        error=clean_text(result.error) if result.status == "error" else None,
    )


FORMAT = ReportFormat(render, ".html", help="Write a self-contained HTML report.", order=30)
