"""What an nbgrader source notebook says: its cells, points, hidden tests and released version.

The released notebook and the cells nbgrader saves in its gradebook are computed with nbgrader's
own `generate_assignment` preprocessors, in memory, with the course configuration, so `cda grade`
needs no gradebook and agrees with `nbgrader generate_assignment` (tests/test_nbgrader_cycle.py
compares the two).
"""

from __future__ import annotations

import copy
import hashlib
import threading
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbformat.notebooknode import NotebookNode

from graders.redaction import ordered, redact, secret_fragments

HIDDEN_BEGIN = "BEGIN HIDDEN TESTS"
HIDDEN_END = "END HIDDEN TESTS"
SOLUTION_BEGIN = "BEGIN SOLUTION"
SOLUTION_END = "END SOLUTION"


@dataclass(frozen=True)
class SourceCell:
    """A cell nbgrader saves in its gradebook (grade, solution, task or locked cell)."""

    name: str
    index: int
    cell_type: str
    source: str  # as nbgrader saves it: solutions replaced by stubs, hidden tests kept
    released_source: str  # as learners receive it
    locked: bool
    grade: bool
    solution: bool
    task: bool
    points: float | None
    checksum: str | None
    hidden: bool  # holds hidden tests
    nbgrader: dict = field(hash=False, compare=False, default_factory=dict)

    @property
    def manual(self) -> bool:
        """Graded by a person in nbgrader: an answer cell with points, or a task cell."""
        return self.task or (self.grade and self.solution)


@dataclass
class SourceBook:
    path: Path
    notebook_id: str
    kernelspec: dict
    cells: list[SourceCell]
    released: NotebookNode
    original: NotebookNode
    hidden_lines: tuple[str, ...]  # secrets, longest first (graders/redaction.py)
    digest: str

    @property
    def by_name(self) -> dict[str, SourceCell]:
        return {cell.name: cell for cell in self.cells}

    @property
    def grade_cells(self) -> list[SourceCell]:
        return [cell for cell in self.cells if cell.grade]

    @property
    def graded_cells(self) -> list[SourceCell]:
        """nbgrader's graded cells: grade cells and task cells, each worth its points."""
        return [cell for cell in self.cells if cell.grade or cell.task]

    @property
    def max_score(self) -> float:
        return sum(cell.points or 0.0 for cell in self.graded_cells)

    def redact(self, text: str | None) -> str | None:
        """`text` with every line of the hidden tests cut out (learner code can echo them)."""
        return redact(text, self.hidden_lines)

    def solution_notebook(self) -> NotebookNode:
        """A complete submission: the released notebook with the source's solutions, markers removed."""
        nb = copy.deepcopy(self.released)
        originals = {c.metadata.get("nbgrader", {}).get("grade_id"): c for c in self.original.cells}
        for cell in nb.cells:
            meta = cell.metadata.get("nbgrader", {})
            if meta.get("solution") and meta.get("grade_id") in originals:
                source = originals[meta["grade_id"]].source
                cell.source = "\n".join(line for line in source.split("\n")
                                        if SOLUTION_BEGIN not in line and SOLUTION_END not in line)
        return nb


def hidden_regions(source: str) -> list[str]:
    lines, inside, out = source.split("\n"), False, []
    for line in lines:
        if HIDDEN_BEGIN in line:
            inside = True
        elif HIDDEN_END in line:
            inside = False
        elif inside:
            out.append(line)
    return out


def _snapshot(nb: NotebookNode) -> dict[str, dict]:
    from nbgrader import utils

    saved = {}
    for index, cell in enumerate(nb.cells):
        if not (utils.is_grade(cell) or utils.is_solution(cell) or utils.is_locked(cell) or utils.is_task(cell)):
            continue
        meta = cell.metadata.nbgrader
        saved[meta["grade_id"]] = {
            "index": index, "cell_type": cell.cell_type, "source": cell.source, "locked": utils.is_locked(cell),
            "grade": utils.is_grade(cell), "solution": utils.is_solution(cell), "task": utils.is_task(cell),
            "points": float(meta["points"]) if (utils.is_grade(cell) or utils.is_task(cell)) else None,
            "checksum": meta.get("checksum"), "nbgrader": dict(meta),
        }
    return saved


def build_book(path: Path) -> SourceBook:
    """Run nbgrader's generate_assignment preprocessors on the source notebook, in memory."""
    from nbgrader.preprocessors import (CheckCellMetadata, ClearHiddenTests, ClearMarkScheme, ClearOutput,
                                        ClearSolutions, ComputeChecksums, LockCells)

    from graders.notebooks.config import course_config

    raw = path.read_bytes()
    original = nbformat.reads(raw.decode("utf-8"), as_version=4)
    nb = copy.deepcopy(original)
    config = course_config()
    resources: dict = {"nbgrader": {"notebook": path.stem, "assignment": path.parent.name}}
    for step in (LockCells, ClearSolutions, ClearOutput, CheckCellMetadata, ComputeChecksums):
        nb, resources = step(config=config).preprocess(nb, resources)
    saved = _snapshot(nb)
    for step in (ClearHiddenTests, ClearMarkScheme, ComputeChecksums, CheckCellMetadata):
        nb, resources = step(config=config).preprocess(nb, resources)
    released_sources = {c.metadata.nbgrader["grade_id"]: c.source for c in nb.cells if "grade_id" in c.metadata.get("nbgrader", {})}
    visible_text = "\n".join(c.source for c in nb.cells)
    cells, secrets = [], set()
    for name, info in saved.items():
        hidden = hidden_regions(original.cells[info["index"]].source)
        secrets.update(secret_fragments(hidden, visible_text))
        cells.append(SourceCell(name=name, released_source=released_sources.get(name, info["source"]),
                                hidden=bool(hidden) or HIDDEN_BEGIN in original.cells[info["index"]].source,
                                **info))
    return SourceBook(path=path, notebook_id=path.stem, kernelspec=dict(original.metadata.get("kernelspec", {})),
                      cells=cells, released=nb, original=original, hidden_lines=ordered(secrets),
                      digest=hashlib.sha256(raw).hexdigest())


_cache: dict[tuple[str, float], SourceBook] = {}
_lock = threading.Lock()


def load_book(path: Path) -> SourceBook:
    """The book of a source notebook, computed once per process and file version."""
    key = (str(path.resolve()), path.stat().st_mtime)
    with _lock:
        book = _cache.get(key)
        if book is None:
            book = _cache[key] = build_book(path)
        return book
