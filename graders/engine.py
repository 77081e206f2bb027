"""Grading one submission: fresh workspace, each check in turn, scores rolled up by competence."""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Callable

from graders import __version__
from graders.archives import SUFFIXES, extract, is_archive
from graders.checks import CheckContext, check_class
from graders.checks.base import SharedWork
from graders.errors import BadInput
from graders.free_points import is_starter, withhold
from graders.i18n import gettext_for
from graders.labs import Lab
from graders.referentiel import load_referentiel
from graders.results import AreaScore, CheckResult, Result
from graders.sandbox import RunLimits, Sandbox, get_sandbox
from graders.verdicts import ccp_scores, criterion_verdicts, with_verdicts
from graders.workspace import copy_submission

ProgressHook = Callable[[str, int, int], None]


def check_input(lab: Lab, submission: Path) -> None:
    if not submission.exists():
        raise BadInput(f"{submission}: no such file or folder")
    if lab.manifest.kind == "repo" and not (submission.is_dir() or is_archive(submission)):
        raise BadInput(f"{submission}: a submission to a repo lab must be a folder or an archive ({', '.join(SUFFIXES)})")


def grade(
    lab: Lab,
    submission: Path,
    *,
    lang: str = "fr",
    visible_only: bool = False,
    sandbox: Sandbox | None = None,
    progress: ProgressHook | None = None,
    services: dict | None = None,
) -> Result:
    """Grade `submission` against `lab`. The submission folder itself is never written to."""
    check_input(lab, submission)
    _ = gettext_for(lang)
    manifest = lab.manifest
    specs = [s for s in manifest.checks if s.visible or not visible_only]
    sandbox = sandbox or get_sandbox()
    services = dict(services or {})
    if "warm" not in services:  # a long-running worker's warm sandboxes (graders/sandbox/warm.py), if any
        from graders.sandbox.warm import process_pool

        services["warm"] = process_pool()
    started = time.monotonic()
    scratch = Path(tempfile.mkdtemp(prefix="cda-grade-"))
    try:
        workspace = scratch / "submission"
        workspace.mkdir()
        limits = manifest.limits
        if is_archive(submission) and lab.manifest.kind == "repo":
            intake = extract(submission, workspace, max_bytes=limits.submission_mb << 20,
                             max_files=limits.submission_files, _=_)
        elif submission.is_dir():
            intake = copy_submission(submission, workspace, max_bytes=limits.submission_mb << 20,
                                     max_files=limits.submission_files, _=_)
        else:
            if submission.stat().st_size > limits.submission_mb << 20:
                raise BadInput(f"{submission}: submission larger than {limits.submission_mb} MB")
            shutil.copyfile(submission, workspace / submission.name)
            intake = []
        shared = SharedWork()
        contexts = [
            CheckContext(lab=lab, spec=spec, workspace=workspace, scratch=scratch, sandbox=sandbox,
                         limits=RunLimits.from_manifest(limits), lang=lang, _=_, services=dict(services),
                         shared=shared)
            for spec in specs
        ]
        checks = run_checks(contexts, progress)
        unchanged = any(spec.requires for spec in specs) and is_starter(lab, workspace)  # only they need it
        checks = withhold(lab, checks, unchanged, _)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    result = assemble(lab, submission, checks, lang, time.monotonic() - started, sandbox.name)
    return result.model_copy(update={"intake": intake})


def run_checks(contexts: list[CheckContext], progress: ProgressHook | None) -> list[CheckResult]:
    """Checks are independent (each sandboxed run gets its own copy of the workspace): run them side by side."""
    workers = max(1, min(len(contexts), int(os.environ.get("CDA_CHECK_JOBS", os.cpu_count() or 1))))
    if progress:
        progress(contexts[0].spec.id if contexts else "", 0, len(contexts))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(run_check, ctx) for ctx in contexts]
        results = []
        for done, future in enumerate(futures, 1):
            results.append(future.result())
            if progress:
                progress(contexts[done - 1].spec.id, done, len(contexts))
    return results


def run_check(ctx: CheckContext) -> CheckResult:
    spec, _ = ctx.spec, ctx._
    cls = check_class(spec.kind)
    started = time.monotonic()
    try:
        outcome = cls(ctx.lab.options_of(spec)).run(ctx)
    except BadInput:
        raise
    except Exception as exc:  # a broken check must not take the other checks down with it
        return CheckResult(
            id=spec.id, kind=spec.kind, title=spec.title, status="error", max_score=spec.points,
            duration_s=time.monotonic() - started, visible=spec.visible, criteria=spec.criteria,
            competences=spec.competences or ctx.lab.manifest.competences, themes=spec.themes or ctx.lab.manifest.themes,
            message=_("The grader failed on this check: {error}").format(error=f"{type(exc).__name__}: {exc}"[:300]),
        )
    fraction = min(1.0, max(0.0, outcome.fraction))
    score = round(spec.points * fraction, 2)
    if outcome.error:
        status = "error"
    else:
        status = "passed" if score >= spec.points else "failed"
    title = (spec.title_en or spec.title) if ctx.lang == "en" else spec.title
    tests = outcome.tests
    if not spec.visible:
        tests = [t.model_copy(update={"message": None, "hidden": True}) for t in tests]
    return CheckResult(
        id=spec.id, kind=spec.kind, title=title, status=status, score=score, max_score=spec.points,
        duration_s=round(time.monotonic() - started, 3), visible=spec.visible, criteria=spec.criteria,
        competences=spec.competences or ctx.lab.manifest.competences,
        themes=spec.themes if spec.themes is not None else ctx.lab.manifest.themes,
        message=outcome.message, findings=outcome.findings, tests=tests,
        metrics=outcome.metrics if spec.visible else {},
    )


def roll_up(checks: list[CheckResult], attribute: str, lang: str) -> list[AreaScore]:
    """Each check's points count fully towards each competence (or theme) it names."""
    referentiel = load_referentiel()
    totals: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for check in checks:
        for area in getattr(check, attribute):
            totals[area][0] += check.score
            totals[area][1] += check.max_score
    return [
        AreaScore(id=area, title=referentiel.title_of(area, lang), score=round(s, 2), max_score=round(m, 2))
        for area, (s, m) in sorted(totals.items(), key=lambda kv: (len(kv[0]), kv[0]))
    ]


def assemble(lab: Lab, submission: Path, checks: list[CheckResult], lang: str, duration: float, sandbox: str) -> Result:
    title = (lab.manifest.title_en or lab.manifest.title) if lang == "en" else lab.manifest.title
    criteria = criterion_verdicts(lab.manifest, checks, lang)
    competences = with_verdicts(roll_up(checks, "competences", lang), criteria)
    return Result(
        lab=lab.id, lab_title=title, submission=submission.name, status="graded",
        score=round(sum(c.score for c in checks), 2), max_score=round(sum(c.max_score for c in checks), 2),
        duration_s=round(duration, 3), lang=lang, criteria=criteria, competences=competences,
        ccps=ccp_scores(competences, lang),
        themes=roll_up(checks, "themes", lang), checks=checks, grader_version=__version__, sandbox=sandbox,
    )


def error_result(lab_id: str, message: str, lang: str = "fr") -> Result:
    return Result(lab=lab_id, status="error", error=message, lang=lang, grader_version=__version__)
