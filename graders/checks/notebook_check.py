"""Notebook checks: `nbgrader` grades a group of graded cells, `notebook-bandit` the learner's code.

`nbgrader` (one check per group of cells, so each group carries its own competences):
  options: notebook (file name of the released notebook), source (lab folder holding the nbgrader
  source notebook of the same name, default "grader"), assignment (nbgrader's assignment name,
  default the lab id), cells (fnmatch patterns on grade ids, default all), cell_timeout_s (default:
  jupyter_config.py's Execute.timeout), postgres_seed (a SQL file of the lab: the run gets its own
  PostgreSQL database cloned from it, reachable from the sandbox through a unix socket, with
  DATABASE_URL and the PG* variables set); see graders/notebooks/assignment.py.
  The notebook runs once per submission in the sandbox, whatever the number of checks; points are
  the source notebook's (a submission's own points metadata is never read) and must add up to the
  check's points; tampering is undone and reported as `notebook-tampering` findings on the first
  `nbgrader` check of the lab; hidden test cells show their verdict only, and any line of a hidden
  test is cut from the messages. Cells nbgrader leaves to a person (answer cells with points, task
  cells) are `pending`: they count in the total and earn 0 until the trainer grades them, except
  an answer cell left as released, which scores 0 as in nbgrader.
`notebook-bandit`: bandit on the learner's code cells (solution cells and cells they added), exported
  to a .py file and analysed in the sandbox; points lost by severity as in the `bandit` check.
"""

from __future__ import annotations

import dataclasses
import shutil
import tempfile
from fnmatch import fnmatch
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from graders.checks.bandit_check import BanditCheck, BanditOptions, Penalties
from graders.checks.base import Check, CheckContext, CheckOutcome
from graders.notebooks.assignment import (NbgraderOptions, assignment_of, book_for, check_points, group_of,
                                         nbgrader_options, nbgrader_specs, points_problem)
from graders.results import Finding, TestCase
from graders.pyparse import compile_source

TAMPER_RULE = "notebook-tampering"


class NotebookBanditOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")
    notebook: str = Field(pattern=r"^[A-Za-z0-9_.-]+\.ipynb$")
    source: str = "grader"
    penalties: Penalties = Field(default_factory=Penalties)
    min_confidence: str = Field("medium", pattern="^(low|medium|high)$")


def book_of(ctx: CheckContext, options) -> "object":
    return book_for(ctx.lab, options)


def notebook_run(ctx: CheckContext, options: NbgraderOptions):
    """The run of this submission's notebook, shared by every notebook check of the lab."""
    from graders.notebooks.config import cell_timeout
    from graders.notebooks.grading import grade_notebook

    book = book_of(ctx, options)

    def compute():
        every = nbgrader_options(ctx.lab)
        timeout = next((o.cell_timeout_s for o in every if o.cell_timeout_s), None)
        seed = next((o.postgres_seed for o in every if o.postgres_seed), None)
        if seed is None:
            return grade_notebook(ctx, book, options.notebook, timeout or cell_timeout())
        from graders.notebooks.database import sandbox_database

        with sandbox_database(ctx, ctx.lab.resolve(seed)) as (env, mounts):
            return grade_notebook(ctx, book, options.notebook, timeout or cell_timeout(), mounts, env)

    return ctx.once(("notebook-run", options.source, options.notebook), compute)


def is_first_notebook_check(ctx: CheckContext) -> bool:
    first = next(iter(nbgrader_specs(ctx.lab)), None)
    return first is not None and first.id == ctx.spec.id


def tamper_message(tamper, _) -> str:
    cell, p = tamper.grade_id or "?", tamper.params
    if tamper.kind == "invalid":
        if "line" in p:
            return _("The notebook file is not valid JSON (line {line}, column {column}): it cannot be graded.").format(**p)
        return _("The file is not a usable notebook: it cannot be graded.")
    if tamper.kind == "kernelspec":
        return _("The notebook's kernel was changed ({found} instead of {expected}); the assignment's kernel was used.").format(**p)
    if tamper.kind == "deleted":
        return _("Cell {cell} of the assignment was deleted; it was restored from the source notebook.").format(cell=cell)
    if tamper.kind == "points":
        return _("The points of cell {cell} were edited ({found} instead of {expected}); the assignment's points were used.").format(cell=cell, **p)
    if tamper.kind == "rewritten":
        return _("Read-only cell {cell} was edited; it was restored from the source notebook.").format(cell=cell)
    if tamper.kind == "metadata":
        return _("The grading metadata of cell {cell} was edited ({fields}); it was restored.").format(cell=cell, **p)
    if tamper.kind == "unknown-id":
        return _("Cell {cell} carries a grade id that is not in the assignment; it was not graded as a test.").format(cell=cell)
    if tamper.kind == "runtime":
        return _("From cell {cell} on, the notebook's code changed how the kernel runs or reports the tests: "
                 "those cells count as failed.").format(cell=cell)
    if tamper.kind == "duplicate":
        return _("Cell {cell} was duplicated ({count} copies); only one copy counts.").format(cell=cell, **p)
    return _("Code that reaches into the grading machinery or the notebook history: {names}.").format(**p)


def tamper_findings(run, _) -> list[Finding]:
    return [Finding(rule=TAMPER_RULE, severity="high", path=run.notebook, message=tamper_message(tamper, _),
                    help=_("Grading restores the assignment as it was released: changing tests, points or metadata "
                           "never raises the grade, and the instructor sees the change."))
            for tamper in run.tampering]


def unanswered(run, name: str) -> bool:
    """nbgrader's rule (determine_grade): an answer cell still as released scores 0, no grader needed."""
    from nbgrader.utils import compute_checksum

    for cell in run.executed.cells if run.executed is not None else []:
        meta = cell.metadata.get("nbgrader") or {}
        if meta.get("grade_id") == name:
            return "checksum" in meta and meta["checksum"] == compute_checksum(cell)
    return False


def manual_case(cell, run, _) -> TestCase:
    """A cell nbgrader leaves to a person: pending (counts in the total, earns 0 until graded)."""
    points = cell.points or 0.0
    if not cell.task and unanswered(run, cell.name):
        return TestCase(name=cell.name, status="failed", score=0.0, max_score=points, hidden=cell.hidden,
                        message=_("No answer: this cell is as it was released, so it scores 0."))
    return TestCase(name=cell.name, status="pending", score=0.0, max_score=points, hidden=cell.hidden)


def graded_case(cell, run, book, _, timeouts: list[str]) -> TestCase:
    """A cell the autograder grades, from its run record (None: the run ended before it)."""
    record = run.records.get(cell.name)
    points = cell.points or 0.0
    if record is None:
        status, score, message = "failed", 0.0, _("Not executed: the notebook's time limit was reached first.")
    else:
        score = min(points, max(0.0, float(record.get("score") or 0.0)))
        status = "passed" if score >= points else "failed"
        message = book.redact(record.get("error")) if status != "passed" else None
        if record.get("voided"):
            message = _("Not graded: the notebook interfered with how the tests run (see the findings).")
        elif record.get("timeout"):
            timeouts.append(cell.name)
            message = _("Time limit reached in this cell (infinite loop?).")
    return TestCase(name=cell.name, status=status, score=round(score, 4), max_score=points,
                    hidden=cell.hidden, message=None if cell.hidden else message)


def summary(cases: list[TestCase], _) -> str:
    graded = [c for c in cases if c.status != "pending"]
    pending = [c for c in cases if c.status == "pending"]
    parts = []
    if graded or not pending:
        parts.append(_("{passed}/{total} graded cells passed ({earned:g}/{points:g} points)").format(
            passed=sum(c.status == "passed" for c in graded), total=len(graded),
            earned=round(sum(c.score for c in graded), 2), points=sum(c.max_score for c in graded)))
    if pending:
        parts.append(_("awaiting the trainer's grade: {points:g} pt ({cells})").format(
            points=sum(c.max_score for c in pending), cells=", ".join(c.name for c in pending)))
    return "; ".join(parts)


class NbgraderCheck(Check):
    kind = "nbgrader"
    Options = NbgraderOptions

    @classmethod
    def validate_lab(cls, options: NbgraderOptions, lab, spec) -> None:
        assignment_of(lab)  # the lab's checks name one nbgrader assignment
        problem = points_problem(lab, spec)
        if problem:
            raise ValueError(problem)

    def run(self, ctx: CheckContext) -> CheckOutcome:
        _ = ctx._
        options: NbgraderOptions = self.options
        check_points(ctx.lab)
        book = book_of(ctx, options)
        group = group_of(book, options.cells)
        if not group:
            return CheckOutcome(0.0, error=True, message=_("No graded cell of the notebook matches this check."))
        run = notebook_run(ctx, options)
        first = is_first_notebook_check(ctx)
        findings = tamper_findings(run, _) if first else []
        if run.missing:
            return CheckOutcome(0.0, findings=findings, message=_("No notebook {name} in the submission.").format(
                name=options.notebook))
        if run.invalid:
            return CheckOutcome(0.0, findings=findings, message=_("The notebook could not be read: score 0."))
        solutions = [c for c in book.cells if c.solution and any(fnmatch(c.name, p) for p in options.cells)]
        for cell in solutions:
            record = run.records.get(cell.name, {})
            if record.get("error"):
                findings.append(Finding(rule="notebook-cell-error", severity="low", path=run.notebook,
                                        message=_("Your cell {cell} raised an error: {error}").format(
                                            cell=cell.name, error=book.redact(record["error"]))))
        timeouts: list[str] = []
        cases = [manual_case(cell, run, _) if cell.manual else graded_case(cell, run, book, _, timeouts)
                 for cell in group]
        if timeouts:
            findings.append(Finding(rule="limit-timeout", severity="high", path=run.notebook,
                                    message=_("Cells stopped by their time limit: {cells}.").format(cells=", ".join(timeouts)),
                                    help=_("Look for infinite loops or very slow code in the cells they call.")))
        if not run.finished and first:
            findings.append(Finding(rule="run-incomplete", severity="high", path=run.notebook,
                                    message=_("The notebook run ended before all cells were graded; cells without a result count as failed.")))
        earned, total = sum(c.score for c in cases), sum(c.max_score for c in cases)
        pending = sum(c.max_score for c in cases if c.status == "pending")
        return CheckOutcome(earned / total if total else 0.0, findings=findings, tests=cases, message=summary(cases, _),
                            metrics={"notebook_points": total, "notebook_earned": earned, "notebook_pending": pending})


class NotebookBanditCheck(Check):
    kind = "notebook-bandit"
    Options = NotebookBanditOptions

    def run(self, ctx: CheckContext) -> CheckOutcome:
        from graders.notebooks.grading import locate
        from graders.notebooks.tampering import InvalidNotebook, learner_cells, parse_notebook

        _ = ctx._
        options: NotebookBanditOptions = self.options
        book = book_of(ctx, options)
        path = locate(ctx.workspace, options.notebook)
        if path is None:
            return CheckOutcome(0.0, message=_("No notebook {name} in the submission.").format(name=options.notebook))
        try:
            nb = parse_notebook(path.read_bytes())
        except InvalidNotebook:
            return CheckOutcome(0.0, message=_("The notebook could not be read: score 0."))
        export_dir = Path(tempfile.mkdtemp(prefix="nb-bandit-", dir=ctx.scratch))
        export_dir.chmod(0o755)  # the sandboxed user copies it into its private workspace
        lines: list[tuple[int, int]] = []  # exported line -> (cell number, line in cell)
        chunks = []
        for index, cell in learner_cells(nb, book):
            code = python_of(cell.source)
            chunks.append(code)
            lines.extend((index + 1, n) for n in range(1, code.count("\n") + 2))
        (export_dir / "cellules.py").write_text("\n".join(chunks) + "\n", encoding="utf-8")
        bandit = BanditCheck(BanditOptions(paths=["cellules.py"], exclude=[], penalties=options.penalties,
                                           min_confidence=options.min_confidence))
        outcome = bandit.run(dataclasses.replace(ctx, workspace=export_dir))
        shutil.rmtree(export_dir, ignore_errors=True)
        for finding in outcome.findings:
            if finding.line and 0 < finding.line <= len(lines):
                cell, line = lines[finding.line - 1]
                finding.path = _("{notebook} (cell {cell})").format(notebook=path.name, cell=cell)
                finding.line = line
            else:
                finding.path = path.name
        return outcome


def python_of(source: str) -> str:
    """A cell as plain Python for bandit (IPython magics translated), same number of lines."""
    try:
        compile_source(source, "<cell>")
        return source
    except (SyntaxError, ValueError):
        pass
    from IPython.core.inputtransformer2 import TransformerManager

    try:
        translated = TransformerManager().transform_cell(source)
        compile_source(translated, "<cell>")
    except (SyntaxError, ValueError):
        return "\n".join("# " + line for line in source.split("\n"))
    if translated.rstrip("\n").count("\n") == source.rstrip("\n").count("\n"):
        return translated.rstrip("\n")
    return "\n".join("# " + line for line in source.split("\n"))
