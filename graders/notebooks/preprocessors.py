"""nbgrader preprocessors the platform adds, usable from `nbgrader` (jupyter_config.py) and from `cda`.

- `RestoreSourceCells` (autograde, before OverwriteCells): puts back, at their place, the cells of
  the source that a submission deleted, and resets the nbgrader flags (grade, solution, task,
  locked, points) of the cells it kept. nbgrader's own `add_missing_cells` fails when the cell
  before a deleted one is not graded; this one does not.
- `HideHiddenTests` (generate_feedback): removes hidden test regions from sources and replaces the
  outputs of the cells that held them; cuts any line of a hidden test that learner code echoed.
- `BookOverwriteCells`: nbgrader's OverwriteCells reading the source notebook instead of a gradebook.
"""

from __future__ import annotations

import json
from types import SimpleNamespace

from nbformat.notebooknode import NotebookNode, from_dict
from nbgrader.api import MissingEntry
from nbgrader.preprocessors import NbGraderPreprocessor, OverwriteCells
from traitlets import Unicode

from graders.notebooks.sourcebook import HIDDEN_BEGIN, HIDDEN_END, hidden_regions
from graders.redaction import redact, secret_fragments


def source_cells_from(resources: dict) -> tuple[list[SimpleNamespace], dict | None]:
    """Cells saved for this notebook (in notebook order) and its kernelspec: from the cda source book
    when `cda` runs the preprocessor, else from nbgrader's gradebook."""
    book = resources.get("cda_book")
    if book is not None:
        return [SimpleNamespace(**{k: getattr(c, k) for k in ("name", "cell_type", "source", "locked", "grade",
                                                              "solution", "task", "points", "checksum")})
                for c in book.cells], book.kernelspec
    from nbgrader.api import Gradebook

    info = resources["nbgrader"]
    with Gradebook(info["db_url"]) as gradebook:
        notebook = gradebook.find_notebook(info["notebook"], info["assignment"])
        grades = {c.name: c.max_score for c in notebook.grade_cells}
        tasks = {c.name: c.max_score for c in notebook.task_cells}
        solutions = {c.name for c in notebook.solution_cells}
        cells = [SimpleNamespace(name=c.name, cell_type=c.cell_type, source=c.source, locked=c.locked,
                                 grade=c.name in grades, solution=c.name in solutions, task=c.name in tasks,
                                 points=grades.get(c.name, tasks.get(c.name)), checksum=c.checksum)
                 for c in notebook.source_cells]
        kernelspec = json.loads(notebook.kernelspec) if notebook.kernelspec else None
    return cells, kernelspec


def nbgrader_metadata(cell: SimpleNamespace) -> dict:
    meta = {"grade": cell.grade, "grade_id": cell.name, "locked": cell.locked, "schema_version": 3,
            "solution": cell.solution, "task": cell.task}
    if cell.grade or cell.task:
        meta["points"] = cell.points
    if cell.checksum:
        meta["checksum"] = cell.checksum
    return meta


def new_cell(cell: SimpleNamespace) -> NotebookNode:
    data = {"cell_type": cell.cell_type, "metadata": {"nbgrader": nbgrader_metadata(cell)}, "source": cell.source}
    if cell.locked:
        data["metadata"].update(deletable=False, editable=False)
    if cell.cell_type == "code":
        data.update(execution_count=None, outputs=[])
    return from_dict(data)


class RestoreSourceCells(NbGraderPreprocessor):
    """Re-insert deleted source cells after their predecessor; reset the flags of the others."""

    def preprocess(self, nb: NotebookNode, resources: dict):
        cells, _ = source_cells_from(resources)
        present = {}
        for index, cell in enumerate(nb.cells):
            grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
            if grade_id:
                present.setdefault(grade_id, index)
        restored = []
        for position, source in enumerate(cells):
            if source.name in present:
                cell = nb.cells[present[source.name]]
                meta = cell.metadata.nbgrader
                for key in ("grade", "solution", "task", "locked"):
                    meta[key] = getattr(source, key)
                if source.grade or source.task:
                    meta["points"] = source.points
                else:
                    meta.pop("points", None)
                continue
            previous = next((present[c.name] for c in reversed(cells[:position]) if c.name in present), -1)
            nb.cells.insert(previous + 1, new_cell(source))
            present = {k: (v + 1 if v > previous else v) for k, v in present.items()}
            present[source.name] = previous + 1
            restored.append(source.name)
        if restored:
            self.log.warning("Restored deleted cells from the source: %s", ", ".join(restored))
        resources.setdefault("cda", {})["restored_cells"] = restored
        return nb, resources


class SourceGradebook:
    """The part of nbgrader's Gradebook that OverwriteCells reads, answered from the source book."""

    def __init__(self, book):
        self.book = book

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def find_source_cell(self, name, notebook, assignment):
        cell = self.book.by_name.get(name)
        if cell is None:
            raise MissingEntry()
        return cell

    def find_graded_cell(self, name, notebook, assignment):
        cell = self.book.by_name.get(name)
        if cell is None or not (cell.grade or cell.task):
            raise MissingEntry()
        return SimpleNamespace(name=name, max_score=cell.points)


class BookOverwriteCells(OverwriteCells):
    """nbgrader's OverwriteCells (same checks, same restoration) on the source book."""

    def preprocess(self, nb, resources):
        self.notebook_id = resources["nbgrader"]["notebook"]
        self.assignment_id = resources["nbgrader"]["assignment"]
        self.gradebook = SourceGradebook(resources["cda_book"])
        return NbGraderPreprocessor.preprocess(self, nb, resources)


def strip_hidden(source: str) -> str:
    out, inside = [], False
    for line in source.split("\n"):
        if HIDDEN_BEGIN in line:
            inside = True
        elif HIDDEN_END in line:
            inside = False
        elif not inside:
            out.append(line)
    return "\n".join(out)


class HideHiddenTests(NbGraderPreprocessor):
    """Feedback without hidden tests: no source, no output, no traceback, no echo of them."""

    notice = Unicode("Les tests cachés de cette cellule ne sont pas montrés ; seule leur note compte.",
                     help="Text shown in place of the outputs of a cell that holds hidden tests.").tag(config=True)

    def preprocess(self, nb: NotebookNode, resources: dict):
        visible = "\n".join(strip_hidden(cell.source) for cell in nb.cells)
        hidden = [line for cell in nb.cells for line in hidden_regions(cell.source)]
        secrets = secret_fragments(hidden, visible)
        for cell in nb.cells:
            held_hidden = HIDDEN_BEGIN in cell.source
            cell.source = strip_hidden(cell.source)
            if cell.cell_type != "code":
                continue
            if held_hidden:
                cell.outputs = [from_dict({"output_type": "stream", "name": "stdout", "text": self.notice + "\n"})]
            else:
                cell.outputs = [from_dict(redact(dict(o), secrets)) for o in cell.outputs]
        return nb, resources


__all__ = ["RestoreSourceCells", "HideHiddenTests", "BookOverwriteCells", "SourceGradebook"]
