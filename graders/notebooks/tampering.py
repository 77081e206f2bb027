"""What a submission changed that it may not change, compared with the released notebook.

Pure analysis of the submitted JSON (no learner code runs here). Every change found is also undone
before grading (RestoreSourceCells, OverwriteCells, the source kernelspec), so tampering never pays;
it is reported so that the instructor sees it (`notebook-tampering` findings, cohort export flags).
"""

from __future__ import annotations

import ast
import json
from dataclasses import dataclass, field

import nbformat

from graders.notebooks.sourcebook import SourceBook
from graders.pyparse import parse


@dataclass(frozen=True)
class Tamper:
    kind: str  # invalid | kernelspec | deleted | points | rewritten | metadata | unknown-id | duplicate | suspicious | runtime
    grade_id: str | None = None
    detail: str = ""  # technical, English (instructor's export)
    params: dict = field(default_factory=dict, compare=False, hash=False)  # for the learner's message


class InvalidNotebook(Exception):
    def __init__(self, reason: str, **params):
        super().__init__(reason)
        self.params = params


def parse_notebook(data: bytes):
    """The submitted notebook as nbformat v4, or InvalidNotebook with a short reason."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidNotebook("not UTF-8 text") from None
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidNotebook(f"invalid JSON at line {exc.lineno}, column {exc.colno}", line=exc.lineno,
                              column=exc.colno) from None
    except RecursionError:
        raise InvalidNotebook("JSON nested too deeply") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("cells"), list):
        raise InvalidNotebook("JSON that is not a notebook (no cells)")
    for cell in raw["cells"]:
        if not isinstance(cell, dict) or cell.get("cell_type") not in ("code", "markdown", "raw"):
            raise InvalidNotebook("malformed cell")
        source = cell.setdefault("source", "")
        if not (isinstance(source, str) or (isinstance(source, list) and all(isinstance(x, str) for x in source))):
            raise InvalidNotebook("malformed cell source")
        meta = cell.setdefault("metadata", {})
        if not isinstance(meta, dict) or not isinstance(meta.get("nbgrader", {}), dict):
            raise InvalidNotebook("malformed cell metadata")
        if cell["cell_type"] == "code":  # repair what editors sometimes leave out
            if not isinstance(cell.get("outputs"), list):
                cell["outputs"] = []
            cell.setdefault("execution_count", None)
    if not isinstance(raw.get("metadata"), dict):
        raw["metadata"] = {}
    raw.setdefault("nbformat", 4)
    raw.setdefault("nbformat_minor", 5)
    try:
        nb = nbformat.reads(json.dumps(raw), as_version=4)
    except Exception as exc:  # nbformat raises many kinds of errors on odd input
        raise InvalidNotebook(f"not a readable notebook ({type(exc).__name__})") from None
    return nb


def _float(value):
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


FLAGS = ("grade", "solution", "locked", "task")


def nbgrader_flags(cell) -> dict[str, bool]:
    """A cell's flags as nbgrader reads them (nbgrader.utils), as the source book holds them: a grade
    cell is locked whatever its `locked` says, an answer cell never is (nbgrader's is_locked)."""
    from nbgrader import utils

    return {"grade": bool(utils.is_grade(cell)), "solution": bool(utils.is_solution(cell)),
            "locked": bool(utils.is_locked(cell)), "task": bool(utils.is_task(cell))}


def detect(nb, book: SourceBook) -> list[Tamper]:
    found: list[Tamper] = []
    expected = (book.kernelspec or {}).get("name")
    submitted = (nb.metadata.get("kernelspec") or {}).get("name")
    if expected and submitted != expected:
        found.append(Tamper("kernelspec", None, f"{submitted!r} instead of {expected!r}",
                            {"found": str(submitted), "expected": str(expected)}))
    sources = book.by_name
    seen: dict[str, int] = {}
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader") or {}
        grade_id = meta.get("grade_id")
        if not grade_id:
            continue
        grade_id = str(grade_id)
        seen[grade_id] = seen.get(grade_id, 0) + 1
        source = sources.get(grade_id)
        flags_of = nbgrader_flags(cell)
        if source is None:
            if flags_of["grade"] or flags_of["locked"] or flags_of["solution"]:
                found.append(Tamper("unknown-id", grade_id, "grade id not in the assignment"))
            continue
        if seen[grade_id] > 1:
            continue
        if (source.grade or source.task) and _float(meta.get("points")) != source.points:
            found.append(Tamper("points", grade_id, f"{meta.get('points')!r} instead of {source.points:g}",
                                {"found": str(meta.get("points"))[:20], "expected": f"{source.points:g}"}))
        flags = [k for k in FLAGS if flags_of[k] != getattr(source, k)]
        if cell.cell_type != source.cell_type:
            flags.append("cell_type")
        if flags:
            found.append(Tamper("metadata", grade_id, ", ".join(flags), {"fields": ", ".join(flags)}))
        if source.locked and cell.source.rstrip() != source.released_source.rstrip():
            found.append(Tamper("rewritten", grade_id, "locked cell edited"))
    for grade_id, count in seen.items():
        if count > 1 and grade_id in sources:
            found.append(Tamper("duplicate", grade_id, f"{count} cells", {"count": count}))
    for name in sources:
        if name not in seen:
            found.append(Tamper("deleted", name, "cell deleted"))
    found.extend(suspicious(nb, book))
    return found


# Names whose use in a learner's cell can only serve to reach the grader's machinery or the hidden
# tests: IPython's input history, the kernel and its hooks, frames, the trusted folders.
SUSPICIOUS_NAMES = {"In", "Out", "_ih", "_oh", "_i", "_ii", "_iii", "get_ipython", "__builtins__",
                    "_getframe", "f_back", "f_globals", "set_custom_exc", "input_transformers_cleanup",
                    "input_transformers_post", "ast_transformers", "excepthook", "settrace", "setprofile"}
SUSPICIOUS_MODULES = {"inspect", "ctypes", "gc", "linecache", "builtins", "IPython", "ipykernel", "signal"}
SUSPICIOUS_PATHS = ("/cda", "/out", "/proc")


def learner_cells(nb, book: SourceBook):
    """Code cells the learner wrote: solution cells and cells of their own."""
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        meta = cell.metadata.get("nbgrader") or {}
        source = book.by_name.get(str(meta.get("grade_id", "")))
        if source is None or source.solution:
            yield index, cell


def suspicious(nb, book: SourceBook) -> list[Tamper]:
    from IPython.core.inputtransformer2 import TransformerManager

    found = []
    transformer = TransformerManager()
    for index, cell in learner_cells(nb, book):
        magic = False
        try:
            tree = parse(cell.source)
        except (SyntaxError, ValueError, RecursionError):
            try:  # IPython syntax (%magic, !shell): its translation calls get_ipython() itself
                tree, magic = parse(transformer.transform_cell(cell.source)), True
            except (SyntaxError, ValueError, RecursionError):
                continue
        hits = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Name) and node.id in SUSPICIOUS_NAMES:
                hits.add(node.id)
            elif isinstance(node, ast.Attribute) and node.attr in SUSPICIOUS_NAMES:
                hits.add(node.attr)
            elif isinstance(node, ast.Import):
                hits.update(a.name for a in node.names if a.name.split(".")[0] in SUSPICIOUS_MODULES)
            elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in SUSPICIOUS_MODULES:
                hits.add(node.module)
            elif isinstance(node, ast.Constant) and isinstance(node.value, str) and any(
                    node.value == p or node.value.startswith(p + "/") for p in SUSPICIOUS_PATHS):
                hits.add(node.value[:40])
        if magic:
            hits.discard("get_ipython")
        if hits:
            grade_id = (cell.metadata.get("nbgrader") or {}).get("grade_id")
            names = ", ".join(sorted(hits))
            found.append(Tamper("suspicious", grade_id, f"cell {index + 1}: {names}", {"names": names}))
    return found
