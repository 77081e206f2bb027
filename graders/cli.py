"""`cda`: list labs, grade submissions, let learners check their work.

Exit codes: 0 graded; 1 graded but under --fail-under; 2 bad input; 3 the grader could not grade.
"""

from __future__ import annotations

import json
import os
import sys
from enum import Enum
from pathlib import Path
from typing import Optional

import click
import typer

from graders.console import err, grading_progress, out, print_summary
from graders.errors import BadInput, CdaError
from graders.labs import Lab, discover_labs, find_lab
from graders.report_options import report_options, save_reports

app = typer.Typer(add_completion=False, no_args_is_help=True, help=__doc__, pretty_exceptions_enable=False)
LAB_MARKER = ".cda-lab"


class Lang(str, Enum):
    fr = "fr"
    en = "en"


@app.command("labs")
def labs_command(as_json: bool = typer.Option(False, "--json", help="Print the labs as JSON.")) -> None:
    """List the labs."""
    labs = discover_labs()
    if as_json:
        print(json.dumps([lab.summary() for lab in labs], ensure_ascii=False, indent=2))
        return
    from rich.table import Table

    table = Table()
    # Ids are what the user types: never cut or folded, whatever the width (other columns give way).
    table.add_column("id", no_wrap=True, min_width=max((len(lab.id) for lab in labs), default=2))
    for name in ("kind", "competences", "themes", "title"):
        table.add_column(name, overflow="fold")
    for lab in labs:
        m = lab.manifest
        table.add_row(m.id, m.kind, " ".join(m.competences), " ".join(m.themes), m.title)
    out.print(table)


@app.command("coverage")
def coverage_command(
    write: Optional[Path] = typer.Option(None, "--write", help="Rewrite the coverage block of this Markdown file."),
) -> None:
    """Print the référentiel coverage table (criteria assessed per competence, and by which labs)."""
    from graders.coverage import coverage_markdown, write_coverage
    from graders.referentiel import load_referentiel

    block = coverage_markdown(load_referentiel(), discover_labs())
    if write is None:
        print(block, end="")
        return
    changed = write_coverage(write, block)
    err.print(f"{write}: {'updated' if changed else 'already up to date'}")


def run_grading(lab: Lab, submission: Path, lang: str, visible_only: bool, sandbox: Optional[str]):
    from graders.engine import grade
    from graders.sandbox import get_sandbox

    backend = get_sandbox(sandbox)
    with grading_progress(f"{lab.id} ← {submission.name or submission}") as hook:
        return grade(lab, submission, lang=lang, visible_only=visible_only, sandbox=backend, progress=hook)


@app.command("grade")
@report_options("grade")
def grade_command(
    lab: str = typer.Argument(..., help="Lab id or lab folder."),
    submission: Path = typer.Argument(..., help="Submission folder (or notebook file for notebook labs)."),
    reports: Optional[dict[str, Path]] = None,  # --json, --html... (graders/report_options.py)
    fail_under: Optional[float] = typer.Option(None, "--fail-under", min=0, max=100, help="Exit 1 under this percentage."),
    lang: Lang = typer.Option(Lang.fr, "--lang", help="Feedback language."),
    sandbox: Optional[str] = typer.Option(None, "--sandbox", help="Sandbox backend (default: first available)."),
    visible_only: bool = typer.Option(False, "--visible-only", help="Run only the checks learners may see."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No summary on stdout."),
) -> None:
    """Grade a submission against a lab."""
    lab_obj = find_lab(lab)
    result = run_grading(lab_obj, submission, lang.value, visible_only, sandbox)
    save_reports(result, reports, lang.value)
    if not quiet:
        print_summary(result, lang.value)
    if fail_under is not None and result.percent < fail_under:
        raise typer.Exit(1)


def lab_of_repository(path: Path) -> str:
    for folder in [path, *path.parents]:
        marker = folder / LAB_MARKER
        if marker.is_file():
            return marker.read_text(encoding="utf-8").strip()
    raise BadInput(f"{path}: no {LAB_MARKER} file here or above; pass --lab LAB")


@app.command("check")
def check_command(
    path: Path = typer.Argument(Path("."), help="Your working copy (default: the current folder)."),
    lab: Optional[str] = typer.Option(None, "--lab", help="Lab id (default: read from .cda-lab)."),
    lang: Lang = typer.Option(Lang.fr, "--lang", help="Feedback language."),
    sandbox: Optional[str] = typer.Option(None, "--sandbox", help="Sandbox backend."),
) -> None:
    """Check your working copy with the lab's visible checks."""
    if not path.is_dir():
        raise BadInput(f"{path}: not a folder")
    root = path.resolve()
    lab_id = lab or lab_of_repository(root)
    result = run_grading(find_lab(lab_id), root, lang.value, True, sandbox)
    print_summary(result, lang.value, working_copy=True)


@app.command("demo")
def demo_command(
    output: Path = typer.Option(Path("build/demo"), "--output", "-o", help="Where to write the dashboard."),
    lang: Lang = typer.Option(Lang.fr, "--lang"),
) -> None:
    """Grade every lab's solution, starter and examples; write a dashboard. Exit 1 if one is off target."""
    from graders.demo import run_demo

    if not run_demo(output, lang.value):
        raise typer.Exit(1)


@app.command("audit")
@report_options("audit")
def audit_command(
    urls: list[str] = typer.Argument(..., help="Pages to audit: http(s) URLs of a running site, or local HTML files."),
    reports: Optional[dict[str, Path]] = None,
    lang: Lang = typer.Option(Lang.fr, "--lang", help="Feedback language."),
    only: Optional[str] = typer.Option(None, "--only", help="Audit families, comma-separated: rgaa,rgpd,anssi,eco."),
    fail_on_violation: bool = typer.Option(False, "--fail-on-violation", help="Exit 1 when a family finds a violation."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No summary on stdout."),
) -> None:
    """Audit web pages: RGAA accessibility, RGPD consent and notices, ANSSI headers, EcoIndex."""
    from graders.web.command import audit

    code = audit(urls, lang=lang.value, only=only, reports=reports, fail_on_violation=fail_on_violation, quiet=quiet)
    if code:
        raise typer.Exit(code)


@app.command("scan")
@report_options("scan")
def scan_command(
    path: Path = typer.Argument(..., help="Project folder to scan (any Python project, not only labs)."),
    reports: Optional[dict[str, Path]] = None,
    lang: Lang = typer.Option(Lang.fr, "--lang", help="Feedback language."),
    fail_on: Optional[str] = typer.Option(None, "--fail-on", help="Exit 1 on a finding of this severity or above: info, low, medium, high, critical."),
    only: Optional[str] = typer.Option(None, "--only", help="Families, comma-separated: injection,secrets,crypto,dependencies,containers."),
    min_confidence: str = typer.Option("medium", "--min-confidence", help="Hide findings below this confidence: low, medium, high."),
    include_tests: bool = typer.Option(False, "--include-tests", help="Also analyse test code for injections and crypto."),
    history: bool = typer.Option(True, "--history/--no-history", help="Look for secrets in the git history too."),
    exclude: Optional[list[str]] = typer.Option(None, "--exclude", help="Skip paths matching this glob (repeatable)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No summary on stdout."),
) -> None:
    """Scan a project for security flaws: injections (taint analysis), secrets, crypto, dependencies, containers."""
    from graders.security.cli import run_scan_command

    code = run_scan_command(path, lang=lang.value, reports=reports, fail_on=fail_on, only=only,
                            min_confidence=min_confidence, include_tests=include_tests, history=history,
                            exclude=exclude, quiet=quiet)
    if code:
        raise typer.Exit(code)


from graders.instructor.commands import register as register_instructor  # noqa: E402  (light: typer only)
from graders.instructor.commands import register_cohort  # noqa: E402
from graders.notebooks.cohort import app as cohort_app  # noqa: E402  (light: typer only)

from graders.service.commands import register as register_service  # noqa: E402  (light: typer only)
from graders.course_site.quiz_cli import register as register_quiz  # noqa: E402  (light: typer only)

register_instructor(app)
register_service(app)
register_quiz(app)
register_cohort(cohort_app)

app.add_typer(cohort_app, name="cohort",
              help="Cohorts of submissions (repo and notebook labs): parallel grading, instructor CSV export, "
                   "nbgrader course.")


def is_usage_error(exc: Exception) -> bool:
    """Typer vendors its own click: recognise its usage errors by shape, not by class."""
    return hasattr(exc, "format_message") and getattr(exc, "exit_code", None) == 2


def main() -> None:
    try:
        # Without standalone mode, click returns the code of a typer.Exit instead of raising it.
        code = app(standalone_mode=False)
        sys.exit(code if isinstance(code, int) else 0)
    except (typer.Exit, click.exceptions.Exit) as done:
        sys.exit(done.exit_code)
    except (typer.Abort, click.exceptions.Abort, KeyboardInterrupt):
        err.print("cda: interrupted")
        sys.exit(130)
    except CdaError as exc:
        err.print(f"cda: error: {exc}", highlight=False, markup=False, soft_wrap=True)
        sys.exit(exc.exit_code)
    except Exception as exc:
        if is_usage_error(exc):
            err.print(f"cda: error: {exc.format_message()}", highlight=False, markup=False, soft_wrap=True)
            sys.exit(2)
        if os.environ.get("CDA_DEBUG"):
            raise
        err.print(f"cda: internal error: {type(exc).__name__}: {exc} (CDA_DEBUG=1 shows the traceback)",
                  highlight=False, markup=False, soft_wrap=True)
        sys.exit(3)
