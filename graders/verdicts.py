"""Criterion verdicts: what the jury reads first. Pure functions of the graded checks and the manifest.

For each criterion a lab evidences (a check's `criteria`, a test's own, a rubric item):
- a blocking flaw (graders/blocking_flaws.toml) found by a check that evidences it makes it
  `not-acquired`, whatever the points;
- otherwise, with no assessed evidence it is `not-assessed` (a check not run, a static check on
  absent functionality, what only a trainer can judge);
- otherwise the fraction of its points decides: `acquired` from the lab's threshold (default 0.8),
  `consolidate` from its lower one (default 0.5), else `not-acquired`.
Tests awaiting a trainer (`pending`) count neither for nor against. Competences and CCPs roll up
from their criteria: any not acquired, else any to consolidate, else acquired; not assessed when
none of theirs is.
"""

from __future__ import annotations

from collections import defaultdict

from graders.blocking import FlawTable, load_flaws
from graders.manifest import LabManifest, Threshold
from graders.referentiel import Referentiel, load_referentiel
from graders.results import AreaScore, BlockingFlaw, CheckResult, CriterionResult, Evidence

ORDER = ("not-acquired", "consolidate", "acquired")  # worst first


def _evidence(check: CheckResult, criterion: str) -> Evidence | None:
    whole = criterion in check.criteria
    tests = [t for t in check.tests if whole or criterion in t.criteria]
    if not whole and not tests:
        return None
    judged = [t for t in tests if t.status != "pending"]
    pending_max = sum(t.max_score for t in tests if t.status == "pending")
    if whole:
        score, max_score = check.score, max(0.0, check.max_score - pending_max)
    else:
        score, max_score = sum(t.score for t in judged), sum(t.max_score for t in judged)
    assessed = check.assessed and check.status not in ("error", "skipped") and max_score > 0
    return Evidence(check=check.id, score=round(score, 2), max_score=round(max_score, 2), assessed=assessed,
                    tests_failed=[t.name for t in judged if t.status in ("failed", "error")],
                    findings=sorted({f.rule for f in check.findings}))


def _blocking(check: CheckResult, criterion: str, spec, table: FlawTable, lang: str) -> list[BlockingFlaw]:
    found = []
    in_check = criterion in check.criteria or any(criterion in t.criteria for t in check.tests)
    if not in_check or (spec.blocking_criteria is not None and criterion not in spec.blocking_criteria):
        return found
    blocking_tests = spec.blocking_tests
    for finding in check.findings:
        flaw = table.flaw_of(finding)
        if flaw is not None:
            found.append((flaw, finding.rule))
    for test in check.tests:
        if test.status in ("failed", "error") and (criterion in check.criteria or criterion in test.criteria):
            flaw = table.flaw_of_test(test.name, blocking_tests)
            if flaw is not None:
                found.append((flaw, f"test:{test.name}"))
    unique = dict.fromkeys(found)
    return [BlockingFlaw(flaw=flaw, check=check.id, rule=rule, reference=table.flaws[flaw].reference,
                         reason=table.flaws[flaw].reason_en if lang == "en" else table.flaws[flaw].reason)
            for flaw, rule in unique]


def lab_criteria(manifest: LabManifest, checks: list[CheckResult]) -> list[str]:
    ids = {c for check in checks for c in check.criteria} | {c for check in checks for t in check.tests
                                                               for c in t.criteria}
    ids |= {item.criterion for item in manifest.rubric}
    for spec in manifest.checks:  # checks not run (visible only) still name what the lab assesses
        ids |= set(spec.criteria)
    return sorted(ids, key=lambda i: (int(i[1:].split(".")[0]), int(i.split(".")[1])))


def criterion_verdicts(manifest: LabManifest, checks: list[CheckResult], lang: str = "fr",
                       referentiel: Referentiel | None = None) -> list[CriterionResult]:
    referentiel = referentiel or load_referentiel()
    titles, table = referentiel.criteria(lang), load_flaws()
    specs = {spec.id: spec for spec in manifest.checks}
    results = []
    for cid in lab_criteria(manifest, checks):
        evidence = [e for e in (_evidence(c, cid) for c in checks) if e is not None]
        blocking = [b for c in checks if c.id in specs for b in _blocking(c, cid, specs[c.id], table, lang)]
        rubric = [(item.guidance_en or item.guidance) if lang == "en" else item.guidance
                  for item in manifest.rubric if item.criterion == cid]
        assessed = [e for e in evidence if e.assessed]
        fraction = (sum(e.score for e in assessed) / sum(e.max_score for e in assessed)) if assessed else None
        if blocking:
            verdict = "not-acquired"
        elif fraction is None:
            verdict = "not-assessed"
        else:
            threshold = manifest.thresholds.get(cid) or manifest.thresholds.get("default") or Threshold()
            verdict = ("acquired" if fraction >= threshold.acquired - 1e-9
                       else "consolidate" if fraction >= threshold.consolidate - 1e-9 else "not-acquired")
        competence, title = titles[cid]
        results.append(CriterionResult(id=cid, competence=competence, title=title, verdict=verdict,
                                       fraction=None if fraction is None else round(fraction, 4),
                                       evidence=evidence, blocking=blocking, rubric=rubric))
    return results


def roll_up_verdict(verdicts: list[str]) -> str:
    judged = [v for v in verdicts if v != "not-assessed"]
    if not judged:
        return "not-assessed"
    return next(v for v in ORDER if v in judged)


def with_verdicts(areas: list[AreaScore], criteria: list[CriterionResult]) -> list[AreaScore]:
    """Competence scores with the verdict rolled up from their criteria."""
    by_competence = defaultdict(list)
    for criterion in criteria:
        by_competence[criterion.competence].append(criterion.verdict)
    return [a.model_copy(update={"verdict": roll_up_verdict(by_competence[a.id]) if a.id in by_competence else None})
            for a in areas]


def ccp_scores(competences: list[AreaScore], lang: str, referentiel: Referentiel | None = None) -> list[AreaScore]:
    referentiel = referentiel or load_referentiel()
    grouped: dict[str, list[AreaScore]] = defaultdict(list)
    for area in competences:
        ccp = referentiel.ccp_of(area.id)
        if ccp:
            grouped[ccp].append(area)
    return [AreaScore(id=ccp, title=referentiel.ccp_title(ccp, lang),
                      score=round(sum(a.score for a in areas), 2), max_score=round(sum(a.max_score for a in areas), 2),
                      verdict=roll_up_verdict([a.verdict for a in areas if a.verdict]))
            for ccp, areas in sorted(grouped.items())]
