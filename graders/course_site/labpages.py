"""A lab's page on the course site: its statement, then a generated section that says which criteria of
the référentiel the lab assesses and how (checks, points, blocking flaws, what the trainer judges),
from the manifest (`labs/<id>/lab.toml`) and `course/referentiel.toml`."""

from __future__ import annotations

from graders.blocking import load_flaws
from graders.checks import check_class
from graders.coverage import criterion_key
from graders.labs import Lab
from graders.referentiel import Referentiel


def cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def check_criteria(lab: Lab, spec) -> list[str]:
    declared = {*spec.criteria, *check_class(spec.kind).declared_criteria(lab.options_of(spec))}
    return sorted(declared, key=criterion_key)


def grading_markdown(lab: Lab, referentiel: Referentiel, lang: str, _) -> str:
    """The generated section of a lab's page (Markdown, in `lang`)."""
    m = lab.manifest
    en = lang == "en"
    criteria_titles = referentiel.criteria(lang)
    flaws = load_flaws().flaws
    heading, visible, hidden = _("Criteria assessed and grading"), _("yes"), _("no (hidden)")
    header = " | ".join([_("Check"), _("Points"), _("Visible"), _("Criteria"), _("Blocking flaws")])
    competences, themes = _("Competences"), _("Themes")
    lines = ["", "---", "", f"## {heading}", "",
             _("Generated from the lab's manifest (`labs/{lab}/lab.toml`) and the référentiel: what `cda check` and "
               "`cda grade` assess, out of {points:g} points.").format(lab=m.id, points=m.max_score), "",
             f"- **{competences}**: {', '.join(m.competences)}",
             f"- **{themes}**: {', '.join(m.themes) or '—'}", ""]

    lines += ["### " + _("Checks"), "", f"| {header} |",
              "|---|---|---|---|---|"]
    by_criterion: dict[str, list[str]] = {}
    for spec in m.checks:
        title = (spec.title_en if en and spec.title_en else spec.title) or spec.id
        criteria = check_criteria(lab, spec)
        for cid in criteria:
            by_criterion.setdefault(cid, []).append(f"`{spec.id}`")
        blocking = sorted(set(spec.blocking_tests.values()))
        lines.append(f"| `{spec.id}` {cell(title)} | {spec.points:g} | {visible if spec.visible else hidden} "
                     f"| {', '.join(criteria) or '—'} | {', '.join(f'`{b}`' for b in blocking) or '—'} |")
    lines.append("")
    for spec in m.checks:
        groups = getattr(lab.options_of(spec), "groups", None) or []
        if groups:
            lines += [_("Groups of tests of `{check}`:").format(check=spec.id), ""]
            lines += [f"- {group.name} — {group.points:g} pts" + (f" ({', '.join(group.criteria)})" if group.criteria else "")
                      for group in groups]
            lines.append("")

    rubric = {item.criterion for item in m.rubric}
    lines += ["### " + _("Criteria"), ""]
    for cid in sorted(set(by_criterion) | rubric, key=criterion_key):
        how = [_("checked by {checks}").format(checks=", ".join(by_criterion[cid]))] if cid in by_criterion else []
        if cid in rubric:
            how.append(_("to be assessed by the trainer"))
        lines.append(f"- **{cid}** {criteria_titles[cid][1]} — {'; '.join(how)}")
    lines.append("")

    named = sorted({flaw for spec in m.checks for flaw in spec.blocking_tests.values()})
    lines += ["### " + _("Blocking flaws"), "",
              _("A blocking flaw makes the criteria of the check that finds it *not acquired*, whatever the points "
                "(list: `graders/blocking_flaws.toml`)."), ""]
    for flaw in named:
        spec = flaws.get(flaw)
        if spec is not None:
            lines.append(f"- `{flaw}`: {spec.reason_en if en else spec.reason}")
    if not named:
        lines.append(_("No test of this lab is marked blocking; a finding of the security review can still be one."))
    lines.append("")

    if m.rubric:
        lines += ["### " + _("To be assessed by the trainer"), "",
                  _("No automatic check decides these: each stays *not assessed* until a trainer records a verdict "
                    "(`cda review`)."), ""]
        for item in m.rubric:
            guidance = item.guidance_en if en and item.guidance_en else item.guidance
            lines.append(f"- **{item.criterion}** — `{item.look_at}`: {guidance}")
        lines.append("")
    return "\n".join(lines)
