"""`cda cohort`: a whole cohort of submissions (repo and notebook labs), and what nbgrader lacks.

- `cda cohort grade LAB SUBMISSIONS`  grades a whole cohort in parallel in one process (one
  sandbox per submission, the lab's database template made once), records every result in the
  gradebook (graders/instructor/gradebook.py; what it already holds is not regraded) and writes
  each learner's result contract (JSON) and a CSV.
- `cda cohort report`  the cohort from the gradebook (graders/instructor/cohort_report.py).
- `cda cohort export`  one CSV for the instructor: nbgrader's scores (from its gradebook) or cda's
  (from `cohort grade` results), with one column per competence of the référentiel and the
  tampering flags of each submission (notebook tampering, test framework tampering, forged results).
  An export that matches nothing is an error (exit 2).
- `cda cohort init`  builds the nbgrader course folder from labs/ (jupyter_config.py does it too).

Submissions folder layouts accepted: nbgrader's `submitted/<student>/<assignment>/` (the lab id
unless the lab names its nbgrader assignment), `<student>/` folders, or `<student>.ipynb` files.
"""

from __future__ import annotations

import csv
import os
import time
from concurrent.futures import ThreadPoolExecutor
from fnmatch import fnmatch
from pathlib import Path
from typing import Optional

import typer

from graders.errors import BadInput

app = typer.Typer(add_completion=False, no_args_is_help=True, help=__doc__)

# Findings that mean "the submission tried to change how it is graded": notebooks (nbgrader check),
# repo labs (pytest check: a patched test framework, results written by the submission).
TAMPER_RULES = ("notebook-tampering", "test-framework-tampering", "forged-results")


def default_jobs() -> int:
    return 2 * max(1, os.cpu_count() or 1)


def cohort_submissions(folder: Path, assignment: str) -> dict[str, Path]:
    """learner id -> submission (a folder or a notebook), whatever the layout (`assignment`: the
    folder nbgrader's submitted/<student>/ holds)."""
    if not folder.is_dir():
        raise BadInput(f"{folder}: not a folder")
    found: dict[str, Path] = {}
    for entry in sorted(folder.iterdir()):
        if entry.name.startswith("."):
            continue
        if entry.is_dir():
            nested = entry / assignment
            found[entry.name] = nested if nested.is_dir() else entry
        elif entry.suffix == ".ipynb":
            found[entry.stem] = entry
    return found


def grade_cohort(lab, submissions: dict[str, Path], jobs: int, lang: str = "fr",
                 warm: bool | None = None) -> dict[str, object]:
    """Grade every submission with the engine, `jobs` at a time, sharing one service pool and the
    lab's warm sandboxes (graders/sandbox/warm.py; `warm=False`: every run cold)."""
    from graders.engine import grade
    from graders.sandbox import get_sandbox
    from graders.sandbox.warm import WarmPool
    from graders.services import ServicePool

    sandbox = get_sandbox()
    with ServicePool() as pool, WarmPool(warm) as zygotes, ThreadPoolExecutor(max_workers=max(1, jobs)) as executor:
        futures = {learner: executor.submit(grade, lab, path, lang=lang, sandbox=sandbox,
                                            services={"pool": pool, "warm": zygotes})
                   for learner, path in submissions.items()}
        return {learner: future.result() for learner, future in futures.items()}


def competence_ids(labs) -> list[str]:
    ids = sorted({c for lab in labs for c in lab.manifest.competences} |
                 {c for lab in labs for s in lab.manifest.checks for c in (s.competences or [])},
                 key=lambda c: (len(c), c))
    return ids


def tamper_flags(findings) -> tuple[int, str]:
    tampering = [f for f in findings if f.rule in TAMPER_RULES]
    return len(tampering), " | ".join(f.message for f in tampering)[:2000]


def rows_from_results(results: dict[str, object], lab, competences: list[str]) -> list[dict]:
    rows = []
    for learner, result in sorted(results.items()):
        by_area = {a.id: a for a in result.competences}
        count, details = tamper_flags([f for _, f in result.all_findings()])
        row = {"learner": learner, "lab": lab.id, "score": result.score, "max_score": result.max_score,
               "percent": round(result.percent, 1), "tampering": count, "tampering_details": details,
               "source": "cda"}
        for competence in competences:
            area = by_area.get(competence)
            row[competence] = round(100 * area.score / area.max_score, 1) if area and area.max_score else ""
        rows.append(row)
    return rows


def write_csv(rows: list[dict], competences: list[str], path: Path) -> None:
    fields = ["learner", "lab", "score", "max_score", "percent", *competences, "tampering", "tampering_details",
              "source"]
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)


@app.command("grade")
def grade_command(
    lab: str = typer.Argument(..., help="Lab id or folder."),
    submissions: Path = typer.Argument(..., help="Folder of submissions (nbgrader's submitted/ works as is)."),
    output: Path = typer.Option(Path("build/cohort"), "--output", "-o", help="Where to write results and CSV."),
    jobs: int = typer.Option(default_jobs(), "--jobs", "-j", min=1,
                             help="Submissions graded at once (default: twice the cores: runs also wait on kernels, "
                                  "time limits and databases)."),
    lang: str = typer.Option("fr", "--lang"),
    gradebook: Optional[str] = typer.Option(None, "--gradebook", help="Gradebook file or postgresql:// URL (default: "
                                            "CDA_GRADEBOOK or ./cda-gradebook.sqlite); what it holds is not regraded."),
    no_gradebook: bool = typer.Option(False, "--no-gradebook", help="Grade everything, record nothing."),
    regrade: bool = typer.Option(False, "--regrade", help="Grade again what the gradebook holds (a changed lab); "
                                 "the new results replace the old."),
    warm: Optional[bool] = typer.Option(None, "--warm/--cold", help="Fork pytest runs from a warm sandbox per lab "
                                        "(default, unless CDA_WARM=0), or start each run cold. Same verdicts."),
) -> None:
    """Grade a cohort of submissions in parallel into the gradebook; write results/<learner>.json and grades.csv."""
    from graders.labs import find_lab
    from graders.notebooks.assignment import assignment_of
    from graders.render import write_report

    lab_obj = find_lab(lab)
    found = cohort_submissions(submissions, assignment_of(lab_obj).name)
    if not found:
        raise BadInput(f"{submissions}: no submission found")
    started = time.monotonic()
    if no_gradebook:
        results, graded = grade_cohort(lab_obj, found, jobs, lang, warm), len(found)
    else:
        from graders.instructor.cohort_grading import grade_to_gradebook

        results, graded = grade_to_gradebook(lab_obj, found, submissions, jobs, lang, gradebook, regrade,
                                             warm=warm)
    elapsed = time.monotonic() - started
    (output / "results").mkdir(parents=True, exist_ok=True)
    for learner, result in results.items():
        write_report(result, "json", output / "results" / f"{learner}.json", lang)
    competences = competence_ids([lab_obj])
    write_csv(rows_from_results(results, lab_obj, competences), competences, output / "grades.csv")
    kept = f" ({len(results) - graded} already in the gradebook)" if graded < len(results) else ""
    typer.echo(f"{graded} submissions graded in {elapsed:.1f} s{kept} -> {output / 'grades.csv'}")


def submission_flags(folder: Path, lab) -> list:
    """Tampering found in the notebooks of one submitted assignment folder (nbgrader's submitted/)."""
    from graders.notebooks.assignment import book_for, notebooks_of
    from graders.notebooks.tampering import InvalidNotebook, Tamper, detect, parse_notebook

    flags = []
    for options in notebooks_of(lab):
        path = folder / options.notebook
        if path.is_file():
            try:
                flags += detect(parse_notebook(path.read_bytes()), book_for(lab, options))
            except InvalidNotebook as exc:
                flags.append(Tamper("invalid", None, str(exc), exc.params))
    return flags


def competence_split(lab, cells: dict[tuple[str, str], tuple[float, float]]) -> dict[str, list[float]]:
    """competence -> [earned, total] from nbgrader's cell grades, with lab.toml's groups of cells."""
    from graders.notebooks.assignment import nbgrader_specs

    per_competence: dict[str, list[float]] = {}
    for spec in nbgrader_specs(lab):
        options = lab.options_of(spec)
        group = [v for (notebook, name), v in cells.items()
                 if notebook == Path(options.notebook).stem and any(fnmatch(name, p) for p in options.cells)]
        earned, total = sum(g[0] for g in group), sum(g[1] for g in group)
        for competence in spec.competences or lab.manifest.competences:
            acc = per_competence.setdefault(competence, [0.0, 0.0])
            acc[0] += spec.points * (earned / total if total else 0.0)
            acc[1] += spec.points
    return per_competence


def gradebook_rows(course_root: Path, labs, competences: list[str]) -> list[dict]:
    """Rows from nbgrader's gradebook: nbgrader's scores, split by competence with lab.toml's groups."""
    from nbgrader.api import Gradebook, MissingEntry

    from graders.notebooks.assignment import assignment_of, book_for, check_points, nbgrader_specs, notebooks_of

    rows = []
    db = course_root / "gradebook.db"
    if not db.is_file():
        raise BadInput(f"{db}: no nbgrader gradebook (run nbgrader autograde first)")
    with Gradebook(f"sqlite:///{db}") as gradebook:
        assignments = {a.name for a in gradebook.assignments}
        for lab in labs:
            name, specs = assignment_of(lab).name, nbgrader_specs(lab)
            if name not in assignments or not specs:
                continue
            check_points(lab)
            max_default = sum(book_for(lab, options).max_score for options in notebooks_of(lab))
            for student in sorted(s.id for s in gradebook.students):
                try:
                    submission = gradebook.find_submission(name, student)
                except MissingEntry:
                    continue
                cells = {(nb.name, grade.name): (grade.score or 0.0, grade.max_score or 0.0)
                         for nb in submission.notebooks for grade in nb.grades}
                per_competence = competence_split(lab, cells)
                flags = submission_flags(course_root / "submitted" / student / name, lab)
                max_score = submission.max_score or max_default
                row = {"learner": student, "lab": lab.id, "score": round(submission.score or 0.0, 2),
                       "max_score": max_score, "percent": round(100 * (submission.score or 0.0) / max_score, 1)
                       if max_score else 0.0, "tampering": len(flags),
                       "tampering_details": " | ".join(f"{t.kind}:{t.grade_id or ''} {t.detail}".strip() for t in flags),
                       "source": "nbgrader"}
                for competence in competences:
                    acc = per_competence.get(competence)
                    row[competence] = round(100 * acc[0] / acc[1], 1) if acc and acc[1] else ""
                rows.append(row)
    if not rows:
        wanted = ", ".join(f"{lab.id} (assignment {assignment_of(lab).name!r})" for lab in labs)
        raise BadInput(f"{db}: no graded submission of {wanted or 'any notebook lab'}; the gradebook holds "
                       f"assignments: {', '.join(sorted(assignments)) or 'none'}")
    return rows


@app.command("export")
def export_command(
    output: Path = typer.Option(Path("build/cohort/export.csv"), "--output", "-o", help="CSV file to write."),
    course: Optional[Path] = typer.Option(None, "--course", help="nbgrader course root (default: CDA_COURSE_ROOT "
                                          "or build/course)."),
    results: Optional[Path] = typer.Option(None, "--results", help="A `cda cohort grade` output folder instead."),
    lab: list[str] = typer.Option([], "--lab", help="Only these labs (repeatable)."),
) -> None:
    """One CSV for the instructor: scores, one column per competence, tampering flags (exit 2 if nothing matches)."""
    from graders.labs import discover_labs, find_lab
    from graders.notebooks.course import notebook_labs
    from graders.paths import REPO_ROOT
    from graders.results import Result

    chosen = [find_lab(name) for name in lab]
    if results is not None:
        folder = results / "results"
        found = {path.stem: Result.model_validate_json(path.read_text(encoding="utf-8"))
                 for path in (sorted(folder.glob("*.json")) if folder.is_dir() else [])}
        labs = chosen or [x for x in discover_labs() if x.id in {r.lab for r in found.values()}]
        competences = competence_ids(labs)
        by_id = {x.id: x for x in labs}
        rows = [row for learner, result in found.items() if result.lab in by_id
                for row in rows_from_results({learner: result}, by_id[result.lab], competences)]
        if not rows:
            raise BadInput(f"{folder}: no result of {', '.join(by_id) or 'a known lab'} "
                           f"({len(found)} result files there)")
    else:
        labs = chosen or notebook_labs()
        competences = competence_ids(labs)
        root = course or Path(os.environ.get("CDA_COURSE_ROOT", REPO_ROOT / "build" / "course"))
        rows = gradebook_rows(root, labs, competences)
    write_csv(rows, competences, output)
    flagged = sum(1 for r in rows if r["tampering"])
    typer.echo(f"{len(rows)} rows, {flagged} flagged for tampering -> {output}")


@app.command("init")
def init_command(
    course: Optional[Path] = typer.Option(None, "--course", help="Course root (default: CDA_COURSE_ROOT or build/course)."),
    overwrite: bool = typer.Option(False, "--overwrite", help="Replace the labs' sources already in the course."),
) -> None:
    """Build (or refresh) the nbgrader course source from the notebook labs."""
    from graders.notebooks.course import ensure_course_source
    from graders.paths import REPO_ROOT

    root = course or Path(os.environ.get("CDA_COURSE_ROOT", REPO_ROOT / "build" / "course"))
    added = ensure_course_source(root, overwrite=overwrite)
    typer.echo(f"{root}: {', '.join(added) if added else 'nothing to add'}")
