"""A self-contained HTML dashboard over several results: scores, competences, a heatmap."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

from graders.render._common import VERDICT_GLYPH, VERDICT_LABELS, fmt_pct, pct, translator
from graders.render._jinja import render_template
from graders.render.html import Bar, area_bars, score_bar, score_text
from graders.results import Result

HEAT_BUCKETS = 5


@dataclass(frozen=True)
class DashboardEntry:
    """One graded submission on the dashboard; hrefs point at its per-entry report files."""

    label: str
    result: Result
    report_href: str | None = None
    json_href: str | None = None


@dataclass
class HeatCell:
    area_id: str
    percent: float | None
    text: str
    bucket: str  # "0".."4" or "na"

    @property
    def on_dark(self) -> bool:
        return self.bucket in ("3", "4")


@dataclass
class EntryView:
    index: int
    label: str
    result: Result
    report_href: str | None
    json_href: str | None
    score: Bar
    competences: list[Bar]
    cells: list[HeatCell]
    verdicts: list[tuple[str, str, str, int]]  # (verdict, symbol, "label: count", count) of its criteria, the ones it has


def _natural_key(text: str) -> list[object]:
    return [int(part) if part.isdigit() else part.lower() for part in re.split(r"(\d+)", text)]


def bucket(percent: float) -> str:
    return str(min(HEAT_BUCKETS - 1, max(0, int(percent // (100 / HEAT_BUCKETS)))))


def verdict_counts(result: Result, _) -> list[tuple[str, str, str, int]]:
    counts = {verdict: 0 for verdict in VERDICT_LABELS}
    for criterion in result.criteria:
        counts[criterion.verdict] += 1
    return [
        (v, VERDICT_GLYPH[v], _("%(verdict)s: %(count)d") % {"verdict": _(VERDICT_LABELS[v]), "count": n}, n)
        for v, n in counts.items()
        if n
    ]


def _coerce(entries: Iterable[DashboardEntry | tuple]) -> list[DashboardEntry]:
    out = []
    for entry in entries:
        if isinstance(entry, DashboardEntry):
            out.append(entry)
        else:
            out.append(DashboardEntry(*entry))
    return out


def render_dashboard(entries: Iterable[DashboardEntry | tuple], lang: str = "fr") -> str:
    """`entries`: DashboardEntry, or tuples (label, result[, report_href[, json_href]])."""
    _ = translator(lang)
    items = _coerce(entries)
    titles: dict[str, str | None] = {}
    for entry in items:
        for area in entry.result.competences:
            if titles.get(area.id) is None:
                titles[area.id] = area.title
    area_ids = sorted(titles, key=_natural_key)
    views = []
    for index, entry in enumerate(items, start=1):
        by_id = {area.id: area for area in entry.result.competences}
        cells = []
        for area_id in area_ids:
            area = by_id.get(area_id)
            if area is None or not area.max_score:
                cells.append(HeatCell(area_id, None, _("not assessed"), "na"))
            else:
                value = pct(area.score, area.max_score)
                cells.append(HeatCell(area_id, value, fmt_pct(value, lang), bucket(value)))
        views.append(
            EntryView(
                index=index,
                label=entry.label,
                result=entry.result,
                report_href=entry.report_href,
                json_href=entry.json_href,
                score=score_bar(entry.result, lang),
                competences=area_bars(entry.result.competences, lang),
                cells=cells,
                verdicts=verdict_counts(entry.result, _),
            )
        )
    legend = [
        (str(i), f"{fmt_pct(i * 100 / HEAT_BUCKETS, lang)} – {fmt_pct((i + 1) * 100 / HEAT_BUCKETS, lang)}")
        for i in range(HEAT_BUCKETS)
    ]
    return render_template(
        "dashboard.html",
        _=_,
        lang=lang,
        entries=views,
        areas=[(area_id, titles[area_id]) for area_id in area_ids],
        legend=legend,
        score_text=lambda result: score_text(result.score, result.max_score, lang),
    )
