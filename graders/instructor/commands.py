"""`cda release`, `cda collect`, `cda review`, `cda record`: the instructor's cycle (see README,
*For instructors*). Bad input ends with one line and exit 2."""

from __future__ import annotations

import getpass
import json
import os
from datetime import datetime, timezone
from pathlib import Path
from typing import Optional

import typer

from graders.errors import BadInput

POLICIES = ("latest", "best", "deadline")


def parse_deadline(value: Optional[str]) -> Optional[datetime]:
    if value is None:
        return None
    try:
        stamp = datetime.fromisoformat(value)
    except ValueError:
        raise BadInput(f"{value!r}: a deadline is an ISO date, e.g. 2026-12-06T18:00+01:00") from None
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=timezone.utc)


def check_policy(policy: Optional[str], deadline: Optional[datetime]) -> None:
    if policy is not None and policy not in POLICIES:
        raise BadInput(f"{policy!r}: the attempt that counts is one of {', '.join(POLICIES)}")
    if policy == "deadline" and deadline is None:
        raise BadInput("--attempt deadline needs --deadline")


def release_command(
    labs: list[str] = typer.Argument(None, help="Lab ids or folders (default with --all: every repo lab)."),
    output: Path = typer.Option(..., "--output", "-o", help="The repository (one lab) or a folder of repositories."),
    every: bool = typer.Option(False, "--all", help="The whole course: one repository per repo lab."),
) -> None:
    """Write the learner-facing git repository of a repo or web lab (no grader, solution or examples)."""
    from graders.instructor.release import release_course, release_lab
    from graders.labs import discover_labs, find_lab

    if every or len(labs or []) > 1:
        chosen = [find_lab(x) for x in labs] if labs else discover_labs()
        written = release_course(chosen, output)
    elif labs:
        written = [release_lab(find_lab(labs[0]), output)]
    else:
        raise BadInput("give a lab, or --all for the whole course")
    for path in written:
        typer.echo(f"{path}")


def collect_command(
    source: Optional[Path] = typer.Argument(None, help="A folder with one folder (or archive) per learner."),
    output: Path = typer.Option(..., "--output", "-o", help="The cohort folder to write (absent or empty)."),
    moodle: Optional[Path] = typer.Option(None, "--moodle", help="Moodle's \"download all submissions\" zip."),
    git: Optional[Path] = typer.Option(None, "--git", help="A file of `LEARNER URL` lines: git remotes to clone."),
    deadline: Optional[str] = typer.Option(None, "--deadline", help="ISO date: clone the last commit before it."),
    history: Optional[str] = typer.Option(None, "--history", help="With --git: keep each learner's history up to "
                                          "that commit as a git bundle of this name (C4 reads historique.bundle)."),
) -> None:
    """Gather submissions into one folder per learner (a folder of folders, git remotes, a Moodle zip)."""
    from graders.instructor.collect import collect

    record = collect(output, folder=source, moodle=moodle, remotes=git, deadline=parse_deadline(deadline),
                     history=history)
    typer.echo(f"{len(record)} submissions -> {output}")


def gradebook_option() -> Optional[str]:
    return typer.Option(None, "--gradebook", help="Gradebook file or postgresql:// URL (default: CDA_GRADEBOOK "
                                                  "or ./cda-gradebook.sqlite).")


def attempt_option() -> Optional[str]:
    return typer.Option(None, "--attempt", help="The attempt that counts per lab: latest, best, deadline "
                                                "(default: each lab's `attempt` in lab.toml, else latest).")


def deadline_option() -> Optional[str]:
    return typer.Option(None, "--deadline", help="ISO date, for --attempt deadline.")


def lang_option() -> str:
    return typer.Option("fr", "--lang", help="fr or en.")


def review_command(
    learner: str = typer.Argument(..., help="Learner id (the folder name of their submission)."),
    lab: str = typer.Argument(..., help="Lab id."),
    criterion: str = typer.Argument(..., help="Criterion, e.g. C6.2."),
    verdict: str = typer.Option(..., "--verdict", help="acquired, consolidate, not-acquired or not-assessed."),
    note: str = typer.Option(..., "--note", help="Why: what you looked at and what you saw."),
    reviewer: Optional[str] = typer.Option(None, "--reviewer", help="Who (default: CDA_REVIEWER or the user name)."),
    gradebook: Optional[str] = gradebook_option(),
    attempt: Optional[str] = attempt_option(),
) -> None:
    """Record a trainer's verdict on a criterion (a rubric item, or over an automatic verdict)."""
    from graders.instructor.gradebook import open_gradebook, record_review

    check_policy(attempt, None)
    who = reviewer or os.environ.get("CDA_REVIEWER") or getpass.getuser()
    review = record_review(open_gradebook(gradebook), learner, lab, criterion, verdict, note, who, attempt)
    typer.echo(f"{learner} {lab} {criterion}: {review.verdict} (automatic: {review.automatic_verdict}), "
               f"by {review.reviewer} at {review.recorded_at.isoformat()}")


def record_command(
    learner: str = typer.Argument(..., help="Learner id."),
    gradebook: Optional[str] = gradebook_option(),
    as_json: Optional[Path] = typer.Option(None, "--json", help="Write the record as JSON."),
    html: Optional[Path] = typer.Option(None, "--html", help="Write the record as one HTML page (prints to PDF)."),
    attempt: Optional[str] = attempt_option(),
    deadline: Optional[str] = deadline_option(),
    lang: str = lang_option(),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No grid on stdout."),
) -> None:
    """A learner's competence record: the criteria of the référentiel with verdicts, evidence, notes."""
    from graders.instructor.gradebook import open_gradebook
    from graders.instructor.record import build_record
    from graders.instructor.record_view import print_record, record_html

    when = parse_deadline(deadline)
    check_policy(attempt, when)
    record = build_record(open_gradebook(gradebook), learner, policy=attempt, deadline=when, lang=lang)
    if as_json:
        as_json.write_text(json.dumps(record, ensure_ascii=False, indent=2), encoding="utf-8")
    if html:
        html.write_text(record_html(record, lang), encoding="utf-8")
    if not quiet:
        print_record(record, lang)


def register(app: typer.Typer) -> None:
    app.command("release")(release_command)
    app.command("collect")(collect_command)
    app.command("review")(review_command)
    app.command("record")(record_command)


def cohort_report_command(
    gradebook: Optional[str] = gradebook_option(),
    html: Optional[Path] = typer.Option(None, "--html", help="Write the heatmap (learners × criteria) as HTML."),
    csv_path: Optional[Path] = typer.Option(None, "--csv", help="One row per learner, one column per criterion."),
    moodle_csv: Optional[Path] = typer.Option(None, "--moodle-csv", help="Moodle grading worksheet of --lab."),
    lab: Optional[str] = typer.Option(None, "--lab", help="The lab of --moodle-csv."),
    bundles: Optional[Path] = typer.Option(None, "--bundles", help="Per learner, an evidence zip for the dossier."),
    feedback: Optional[Path] = typer.Option(None, "--feedback", help="Per learner, a folder and zip of their reports."),
    attempt: Optional[str] = attempt_option(),
    deadline: Optional[str] = deadline_option(),
    lang: str = lang_option(),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No heatmap on stdout."),
) -> None:
    """The cohort from the gradebook: heatmap, what blocks each learner, CSV and Moodle exports, evidence, feedback."""
    from graders.instructor import cohort_report as report
    from graders.instructor.gradebook import open_gradebook

    when = parse_deadline(deadline)
    check_policy(attempt, when)
    if moodle_csv and not lab:
        raise BadInput("--moodle-csv needs --lab: a Moodle worksheet is one assignment's")
    engine = open_gradebook(gradebook)
    records = report.cohort_records(engine, policy=attempt, deadline=when, lang=lang)
    options = {"policy": attempt, "deadline": when, "lang": lang}
    if html:
        html.write_text(report.heatmap_html(records, lang), encoding="utf-8")
    if csv_path:
        report.write_criteria_csv(records, csv_path)
    if moodle_csv:
        report.write_moodle_csv(engine, records, lab, moodle_csv, **options)
    if bundles:
        report.write_bundles(engine, records, bundles, **options)
    if feedback:
        report.write_feedback(engine, records, feedback, **options)
    if not quiet:
        report.print_heatmap(records, lang)


def register_cohort(cohort_app: typer.Typer) -> None:
    cohort_app.command("report")(cohort_report_command)
