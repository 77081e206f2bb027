"""Grading one notebook submission: sanitize on the host, execute in the sandbox, read the grades.

The host only parses JSON and applies nbgrader's sanitizing preprocessors (ClearOutput,
DeduplicateIds, the source kernelspec, RestoreSourceCells, OverwriteCells, CheckCellMetadata); the
notebook is executed by nbgrader's Execute preprocessor inside the sandbox (runner/run_notebook.py).
Several checks of one lab grade groups of cells of the same run: the first check to ask runs the
notebook (`CheckContext.once`), the others wait for it.
"""

from __future__ import annotations

import copy
import json
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from graders.notebooks import canaries
from graders.notebooks.sourcebook import SourceBook
from graders.notebooks.tampering import InvalidNotebook, Tamper, detect, parse_notebook
from graders.sandbox.base import TRUSTED, WORKSPACE, Mount, RunResult

RUNNER_DIR = Path(__file__).resolve().parent / "runner"
HOME = "/tmp/home"  # /tmp is a private tmpfs writable by the sandboxed user


@dataclass
class NotebookRun:
    book: SourceBook
    notebook: str | None = None  # path of the graded notebook in the submission
    missing: bool = False
    invalid: str | None = None
    tampering: list[Tamper] = field(default_factory=list)
    records: dict[str, dict] = field(default_factory=dict)  # grade_id -> runner record
    finished: bool = False
    stopped: bool = False
    error: str | None = None
    run: RunResult | None = None
    executed: object = None  # the sanitized notebook that was executed (host copy, no outputs)


def locate(workspace: Path, name: str) -> Path | None:
    """The submitted notebook: `name`, else the only notebook of the submission."""
    if (workspace / name).is_file():
        return workspace / name
    found = sorted(p for p in workspace.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
    same = [p for p in found if p.name == name]
    if same:
        return same[0]
    return found[0] if len(found) == 1 else None


def sanitize(nb, book: SourceBook):
    """nbgrader's autograde sanitizing steps, with the source book standing in for the gradebook."""
    from nbgrader.preprocessors import CheckCellMetadata, ClearOutput, DeduplicateIds

    from graders.notebooks.config import course_config
    from graders.notebooks.preprocessors import BookOverwriteCells, RestoreSourceCells

    config = course_config()
    resources = {"nbgrader": {"notebook": book.notebook_id, "assignment": book.path.parent.name, "db_url": None},
                 "cda_book": book}
    nb = copy.deepcopy(nb)
    nb, resources = ClearOutput(config=config).preprocess(nb, resources)
    nb, resources = DeduplicateIds(config=config).preprocess(nb, resources)
    if book.kernelspec:
        nb.metadata["kernelspec"] = copy.deepcopy(book.kernelspec)
    for step in (RestoreSourceCells, BookOverwriteCells, CheckCellMetadata):
        nb, resources = step(config=config).preprocess(nb, resources)
    return nb


def rebuild(nb, book: SourceBook):
    """Last resort when the metadata is too broken for nbgrader: the released notebook with the
    learner's answers put back into the solution cells they can be matched to."""
    answers = {}
    for cell in nb.cells:
        grade_id = (cell.get("metadata", {}).get("nbgrader") or {}).get("grade_id")
        if grade_id in book.by_name and book.by_name[grade_id].solution and grade_id not in answers:
            answers[grade_id] = cell.source
    fresh = copy.deepcopy(book.released)
    for cell in fresh.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in answers:
            cell.source = answers[grade_id]
    for cell in fresh.cells:  # hidden tests back in (the released notebook has them cut)
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        source = book.by_name.get(grade_id)
        if source is not None and source.locked:
            cell.source = source.source
    return fresh


def execute(ctx, book: SourceBook, nb, cell_timeout: int, mounts: list[Mount], env: dict[str, str]) -> NotebookRun:
    """Run the sanitized notebook through the trusted runner in the sandbox (payload on stdin)."""
    budget = max(5.0, ctx.limits.wall_s - 3)
    payload = json.dumps({"notebook": nb, "cell_timeout_s": cell_timeout, "budget_s": budget, "cwd": WORKSPACE})
    run_env = {"HOME": HOME, "IPYTHONDIR": f"{HOME}/ipython", "JUPYTER_RUNTIME_DIR": f"{HOME}/runtime",
               "TMPDIR": f"{HOME}/tmp", "MPLCONFIGDIR": f"{HOME}/tmp", "JUPYTER_PLATFORM_DIRS": "1",
               "PYDEVD_DISABLE_FILE_VALIDATION": "1", "JUPYTER_PATH": f"{TRUSTED}/runner", **env}
    result, out = ctx.run_sandboxed([sys.executable, "-I", f"{TRUSTED}/runner/run_notebook.py"],
                                    trusted={"runner": RUNNER_DIR}, env=run_env, outputs=[],
                                    input=payload.encode("utf-8"), mounts=mounts)
    shutil.rmtree(out.parent, ignore_errors=True)
    notebook_run = NotebookRun(book=book, run=result, executed=nb)
    for line in result.stdout.splitlines():
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            continue
        if not isinstance(record, dict):
            continue
        if record.get("event") == "cell" and isinstance(record.get("grade_id"), str):
            notebook_run.records.setdefault(record["grade_id"], record)
        elif record.get("event") == "finish":
            notebook_run.finished = True
            notebook_run.stopped = bool(record.get("stopped"))
            notebook_run.error = record.get("error")
    return notebook_run


def grade_notebook(ctx, book: SourceBook, notebook_name: str, cell_timeout: int,
                   mounts: list[Mount] | None = None, env: dict[str, str] | None = None) -> NotebookRun:
    path = locate(ctx.workspace, notebook_name)
    if path is None:
        return NotebookRun(book=book, missing=True)
    relative = str(path.relative_to(ctx.workspace))
    try:
        nb = parse_notebook(path.read_bytes())
    except InvalidNotebook as exc:
        return NotebookRun(book=book, notebook=relative, invalid=str(exc),
                           tampering=[Tamper("invalid", None, str(exc), exc.params)])
    tampering = detect(nb, book)
    try:
        sanitized = sanitize(nb, book)
    except Exception as exc:  # metadata nbgrader refuses: grade the learner's answers in a fresh copy
        tampering.append(Tamper("metadata", None, f"unusable nbgrader metadata ({type(exc).__name__})",
                                {"fields": "nbgrader"}))
        sanitized = rebuild(nb, book)
    sanitized = nbformat.from_dict(sanitized)
    tests = {cell.name for cell in book.grade_cells if not cell.solution}
    planted = canaries.plant(sanitized, tests)
    run = execute(ctx, book, planted.notebook, cell_timeout, mounts or [], env or {})
    run.executed = sanitized
    broken_at = canaries.verify(run.records, planted.canaries)
    if broken_at is not None:
        tampering.append(Tamper("runtime", broken_at, "a canary cell did not fail as planted", {"cell": broken_at}))
    run.notebook, run.tampering = relative, tampering
    return run

