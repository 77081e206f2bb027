"""The audit's own report sections, rendered from `Result.metrics["web_audit"]`.

The shared renderers show checks and findings; the RGAA coverage (table and SVG heatmap of the
106 criteria), the EcoIndex table and the consent summary are added here: inserted into the
shared HTML report before `</main>`, appended to the shared Markdown report. Both are report
formats of their own (`audit-html`, `audit-markdown` in the `cda.renderers` entry points), which
`cda audit` offers as `--html` and `--markdown`.
"""

from __future__ import annotations

from functools import lru_cache

from jinja2 import Environment, StrictUndefined
from markupsafe import Markup

from graders.i18n import gettext_for
from graders.render.registry import ReportFormat
from graders.results import Result
from graders.web import rgaa


# Fill, text colour and symbol per status: colour is never the only carrier (RGAA 3.1).
STYLE = {
    "failed": ("#b3261e", "#ffffff", "✗"),
    "review": ("#7a4f00", "#ffffff", "?"),
    "passed": ("#1e6b34", "#ffffff", "✓"),
    "untested": ("#e3e8ee", "#1b1b1b", "–"),
    "manual": ("#ffffff", "#1b1b1b", "·"),
}
CELL_W, CELL_H, LABEL_W, GAP = 62, 30, 250, 4

SECTION = """
<section aria-labelledby="web-rgaa-title">
<h2 id="web-rgaa-title">{{ _("RGAA 4.1.2 coverage") }}</h2>
<p>{{ _("No accessibility score: automatic tests decide only part of the RGAA. Criteria failed: %(failed)d; automatic tests passed: %(passed)d; to review: %(review)d; nothing to test automatically: %(untested)d; human check only: %(manual)d. Every criterion not failed still needs a human review.") % summary }}</p>
{{ svg }}
<ul class="web-legend">
{% for status in statuses %}
<li><svg width="16" height="16" aria-hidden="true" focusable="false"><rect x="0.5" y="0.5" width="15" height="15" fill="{{ style[status][0] }}" stroke="#555555"></rect></svg> <span aria-hidden="true">{{ style[status][2] }}</span> {{ labels[status] }}</li>
{% endfor %}
</ul>
<table>
<caption>{{ _("RGAA criteria and what the automatic audit found") }}</caption>
<thead><tr><th scope="col">{{ _("Criterion") }}</th><th scope="col">{{ _("Status") }}</th><th scope="col">{{ _("Title") }}</th><th scope="col">{{ _("Automatic tests") }}</th></tr></thead>
<tbody>
{% for row in rows %}
<tr><th scope="row">{{ row.id }}</th><td>{{ style[row.status][2] }} {{ labels[row.status] }}</td><td>{{ row.title }}</td><td>{% if row.failed %}<strong>{{ row.failed|join(", ") }}</strong>{% if row.others %}, {% endif %}{% endif %}{{ row.others|join(", ") }}</td></tr>
{% endfor %}
</tbody>
</table>
</section>
{% if eco %}
<section aria-labelledby="web-eco-title">
<h2 id="web-eco-title">{{ _("EcoIndex per page") }}</h2>
<table>
<caption>{{ _("EcoIndex: score out of 100 and grade from A to G") }}</caption>
<thead><tr><th scope="col">{{ _("Page") }}</th><th scope="col" class="num">{{ _("Score") }}</th><th scope="col">{{ _("Grade") }}</th><th scope="col" class="num">{{ _("DOM elements") }}</th><th scope="col" class="num">{{ _("Requests") }}</th><th scope="col" class="num">{{ _("Size (KB)") }}</th></tr></thead>
<tbody>
{% for url, e in eco %}
<tr><th scope="row"><code>{{ url }}</code></th><td class="num">{{ e.score }}</td><td>{{ e.grade }}{% if e.get("cutoff_s") %} ({{ _("cut off at {seconds} s").format(seconds="%g"|format(e.cutoff_s)) }}){% endif %}</td><td class="num">{{ e.dom_nodes }}</td><td class="num">{{ e.requests }}</td><td class="num">{{ "%.0f"|format(e.size_kb) }}</td></tr>
{% endfor %}
</tbody>
</table>
</section>
{% endif %}
{% if consent %}
<section aria-labelledby="web-consent-title">
<h2 id="web-consent-title">{{ _("Consent to trackers") }}</h2>
<table>
<caption>{{ _("What happened before consent, after refusal and after acceptance") }}</caption>
<thead><tr><th scope="col">{{ _("Page") }}</th><th scope="col">{{ _("Banner") }}</th><th scope="col">{{ _("Third parties before consent") }}</th><th scope="col">{{ _("After refusal") }}</th><th scope="col">{{ _("After acceptance") }}</th><th scope="col">{{ _("Withdrawal") }}</th></tr></thead>
<tbody>
{% for c in consent %}
<tr><th scope="row"><code>{{ c.url }}</code></th><td>{% if c.banner %}{{ c.accept or "—" }} / {{ c.refuse or "—" }}{% else %}{{ _("none") }}{% endif %}</td><td>{{ (c.third_party_before or [])|join(", ") or "—" }}</td><td>{{ (c.third_party_after_refuse or [])|join(", ") or "—" }}</td><td>{{ (c.third_party_after_accept or [])|join(", ") or "—" }}</td><td>{{ c.withdraw or "—" }}</td></tr>
{% endfor %}
</tbody>
</table>
</section>
{% endif %}
"""


@lru_cache(maxsize=1)
def _environment() -> Environment:
    return Environment(autoescape=True, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def heatmap_svg(criteria_status: dict[str, dict], _, lang: str = "fr") -> str:
    """The 106 criteria as a grid, one row per theme; each cell shows number and status symbol."""
    from markupsafe import escape

    themes = rgaa.themes()
    by_theme: dict[int, list[str]] = {}
    for cid, crit in rgaa.criteria().items():
        by_theme.setdefault(crit.theme, []).append(cid)
    columns = max(len(v) for v in by_theme.values())
    width = LABEL_W + columns * (CELL_W + GAP)
    height = len(themes) * (CELL_H + GAP)
    title = _("Heatmap of the 106 RGAA criteria by theme")
    desc = _("One row per theme, one cell per criterion, marked ✗ failed, ✓ automatic tests passed, ? to review, – nothing to test automatically, · human check only. The table below gives the same information.")
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="web-heat-title web-heat-desc" '
             f'viewBox="0 0 {width} {height}" width="100%" style="max-width:{width}px" font-family="sans-serif" font-size="12">',
             f'<title id="web-heat-title">{escape(title)}</title><desc id="web-heat-desc">{escape(desc)}</desc>']
    for row, theme in enumerate(themes):
        y = row * (CELL_H + GAP)
        label = f"{theme['number']}. {theme.get('title_en') if lang == 'en' else theme['title']}"
        parts.append(f'<text x="0" y="{y + CELL_H / 2 + 4}" fill="#1b1b1b">{escape(label)}</text>')
        for col, cid in enumerate(by_theme.get(theme["number"], [])):
            status = criteria_status.get(cid, {}).get("status", "manual")
            fill, ink, mark = STYLE[status]
            x = LABEL_W + col * (CELL_W + GAP)
            parts.append(f'<rect x="{x}" y="{y}" width="{CELL_W}" height="{CELL_H}" fill="{fill}" stroke="#555555"/>'
                         f'<text x="{x + CELL_W / 2}" y="{y + CELL_H / 2 + 4}" fill="{ink}" text-anchor="middle">{cid} {mark}</text>')
    parts.append("</svg>")
    return "".join(parts)


def section_html(result: Result, lang: str) -> str:
    audit = (result.metrics or {}).get("web_audit") or {}
    rg = audit.get("rgaa")
    if not rg:
        return ""
    _ = gettext_for(lang)
    labels = {status: _(label) for status, label in rgaa.STATUS_LABELS.items()}
    rows = []
    for cid in rgaa.criteria():
        entry = rg["criteria"].get(cid, {"status": "manual", "failed": [], "rules": []})
        rows.append({"id": cid, "status": entry["status"], "title": rgaa.criterion_title(rgaa.criteria()[cid], lang),
                     "failed": entry.get("failed", []), "others": [r for r in entry.get("rules", []) if r not in entry.get("failed", [])]})
    consent = (audit.get("rgpd") or {}).get("consent") or []
    eco = sorted((result.metrics.get("ecoindex") or {}).items())
    return _environment().from_string(SECTION).render(
        _=_, summary=rg["summary"], svg=Markup(heatmap_svg(rg["criteria"], _, lang)), statuses=rgaa.STATUSES, style=STYLE,
        labels=labels, rows=rows, eco=eco, consent=consent)


def render_html(result: Result, lang: str) -> str:
    from graders.render import render

    page = render(result, "html", lang)
    section = section_html(result, lang)
    if not section:
        return page
    marker = "</main>" if "</main>" in page else "</body>"
    head, _sep, tail = page.rpartition(marker)
    return head + section + marker + tail


def section_markdown(result: Result, lang: str) -> str:
    audit = (result.metrics or {}).get("web_audit") or {}
    _ = gettext_for(lang)
    lines: list[str] = []
    rg = audit.get("rgaa")
    if rg:
        summary = rg["summary"]
        lines += ["", f"## {_('RGAA 4.1.2 coverage')}", "",
                  _("No accessibility score: automatic tests decide only part of the RGAA. Criteria failed: %(failed)d; automatic tests passed: %(passed)d; to review: %(review)d; nothing to test automatically: %(untested)d; human check only: %(manual)d. Every criterion not failed still needs a human review.") % summary,
                  "", f"| {_('Criterion')} | {_('Status')} | {_('Automatic tests')} |", "|---|---|---|"]
        for cid, entry in rg["criteria"].items():
            if entry["status"] in ("failed", "review", "passed"):
                mark = STYLE[entry["status"]][2]
                lines.append(f"| {cid} | {mark} {_(rgaa.STATUS_LABELS[entry['status']])} | {', '.join(entry.get('rules', []))} |")
    eco = (result.metrics or {}).get("ecoindex") or {}
    if eco:
        lines += ["", f"## {_('EcoIndex per page')}", "",
                  f"| {_('Page')} | {_('Score')} | {_('Grade')} | {_('DOM elements')} | {_('Requests')} | {_('Size (KB)')} |",
                  "|---|---|---|---|---|---|"]
        def cut(e: dict) -> str:
            return " (" + _("cut off at {seconds} s").format(seconds=f"{e['cutoff_s']:g}") + ")" if e.get("cutoff_s") else ""

        for url, e in sorted(eco.items()):
            lines.append(f"| `{url}` | {e['score']} | {e['grade']}{cut(e)} | {e['dom_nodes']} | {e['requests']} | {e['size_kb']:.0f} |")
    return "\n".join(lines) + ("\n" if lines else "")


def render_markdown(result: Result, lang: str) -> str:
    from graders.render import render

    return render(result, "markdown", lang).rstrip("\n") + "\n" + section_markdown(result, lang)


HTML_FORMAT = ReportFormat(render_html, ".html", help="Write an HTML report (with the RGAA coverage heatmap).",
                           flag="html", commands=("audit",), order=30)
MARKDOWN_FORMAT = ReportFormat(render_markdown, ".md", help="Write a Markdown report (with the RGAA coverage).",
                               flag="markdown", commands=("audit",), order=20)
