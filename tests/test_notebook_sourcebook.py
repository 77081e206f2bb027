"""Notebook labs without a kernel: source books, released notebooks, tampering analysis, feedback."""

from __future__ import annotations

import copy
import json

import nbformat
import pytest

from graders.labs import discover_labs
from graders.notebooks.preprocessors import HideHiddenTests, RestoreSourceCells
from graders.notebooks.sourcebook import load_book
from graders.redaction import REDACTED
from graders.notebooks.tampering import InvalidNotebook, detect, parse_notebook

NOTEBOOK_LABS = [lab for lab in discover_labs() if lab.manifest.kind == "notebook"]
C3 = next(lab for lab in NOTEBOOK_LABS if lab.id == "nb-c3-regles-metier")
MARKER = "CACHE-C3-7Q2X"  # written inside every hidden test of the C3 lab


def notebook_of(lab) -> str:
    return next(s.options["notebook"] for s in lab.manifest.checks if s.kind == "nbgrader")


def book_of(lab):
    return load_book(lab.path / "grader" / notebook_of(lab))


def cells_by_id(nb):
    return {c.metadata["nbgrader"]["grade_id"]: c for c in nb.cells if "grade_id" in c.metadata.get("nbgrader", {})}


def test_there_are_four_notebook_labs():
    assert {lab.id for lab in NOTEBOOK_LABS} >= {"nb-c3-regles-metier", "nb-c8-requetes-sql", "nb-c9-plan-de-tests",
                                                 "nb-anssi-mots-de-passe"}


@pytest.mark.parametrize("lab", NOTEBOOK_LABS, ids=lambda lab: lab.id)
def test_starter_is_what_nbgrader_releases(lab):
    """starter/ was made by `nbgrader generate_assignment`; the in-memory book must agree with it."""
    book = book_of(lab)
    starter = nbformat.read(str(lab.path / "starter" / notebook_of(lab)), as_version=4)
    released, shipped = cells_by_id(book.released), cells_by_id(starter)
    assert released.keys() == shipped.keys()
    for grade_id, cell in released.items():
        assert cell.source == shipped[grade_id].source, grade_id
        assert cell.metadata["nbgrader"] == shipped[grade_id].metadata["nbgrader"], grade_id
    assert "BEGIN HIDDEN TESTS" not in json.dumps(starter) and "BEGIN SOLUTION" not in json.dumps(starter)
    assert (lab.path / "starter" / ".cda-lab").read_text().strip() == lab.id


@pytest.mark.parametrize("lab", NOTEBOOK_LABS, ids=lambda lab: lab.id)
def test_lab_points_match_the_source_notebook(lab):
    """Each nbgrader check's points are its cells' points, so cda and nbgrader agree on every score."""
    from graders.notebooks.assignment import check_points, group_of

    check_points(lab)  # a disagreement is a manifest error
    book = book_of(lab)
    covered = set()
    for spec in (s for s in lab.manifest.checks if s.kind == "nbgrader"):
        group = group_of(book, spec.options.get("cells", ["*"]))
        assert sum(c.points for c in group) == spec.points, spec.id
        covered |= {c.name for c in group}
    assert covered == {c.name for c in book.graded_cells}
    assert book.hidden_lines, "every lab has hidden tests"


def test_hidden_lines_and_redaction():
    book = book_of(C3)
    assert any(MARKER in line for line in book.hidden_lines)
    leaked = "ValueError: " + repr('assert penalite(2) == Decimal("0.00"), "' + MARKER + ': tolerance"')
    assert MARKER not in book.redact(leaked) and REDACTED in book.redact(leaked)
    assert book.redact("NameError: name 'penalite' is not defined") == "NameError: name 'penalite' is not defined"


def solution(lab=C3):
    return nbformat.read(str(lab.path / "solution" / notebook_of(lab)), as_version=4)


def test_untouched_solution_has_no_tampering():
    for lab in NOTEBOOK_LABS:
        assert detect(solution(lab), book_of(lab)) == [], lab.id


def test_tampering_kinds_are_detected():
    book = book_of(C3)
    nb = solution()
    cells = cells_by_id(nb)
    cells["ex1-visibles"].metadata["nbgrader"]["points"] = 100
    cells["ex2-caches"].source = "pass"
    cells["ex3-visibles"].metadata["nbgrader"]["grade_id"] = "mon-test"
    nb.cells.remove(cells["ex4-caches"])
    nb.cells.append(copy.deepcopy(cells["ex1-code"]))
    nb.metadata["kernelspec"] = {"name": "python2", "display_name": "Python 2", "language": "python"}
    cells["ex2-code"].source += "\nprint(In[-1])\nimport inspect\n"
    kinds = {(t.kind, t.grade_id) for t in detect(nb, book)}
    assert {("points", "ex1-visibles"), ("rewritten", "ex2-caches"), ("unknown-id", "mon-test"),
            ("deleted", "ex3-visibles"), ("deleted", "ex4-caches"), ("duplicate", "ex1-code"),
            ("kernelspec", None), ("suspicious", "ex2-code")} <= kinds


def test_ipython_magics_are_not_suspicious():
    book = book_of(C3)
    nb = solution()
    cells_by_id(nb)["ex1-code"].source += "\n%timeit est_mineur(2000, date(2025, 1, 1))\n"
    assert detect(nb, book) == []


DEEP = b'{"cells": [], "metadata": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"  # RecursionError in json


@pytest.mark.parametrize("data", [b"{", b"[]", b'{"cells": 3}', b"\xff\xfe", b'{"cells": [{"cell_type": "code", "source": 1}]}',
                                  DEEP], ids=["truncated", "list", "cells-not-list", "not-utf8", "bad-source", "deep"])
def test_invalid_notebooks_are_refused_cleanly(data):
    with pytest.raises(InvalidNotebook):
        parse_notebook(data)


def test_incomplete_cells_are_repaired():
    nb = parse_notebook(json.dumps({"cells": [{"cell_type": "code"}], "metadata": {}, "nbformat": 4,
                                    "nbformat_minor": 5}).encode())
    assert nb.cells[0].outputs == [] and nb.cells[0].source == ""


def test_restore_source_cells_puts_deleted_cells_back_in_place():
    book = book_of(C3)
    nb = solution()
    order = [c.metadata["nbgrader"]["grade_id"] for c in nb.cells]
    nb.cells = [c for c in nb.cells if c.metadata["nbgrader"]["grade_id"] not in ("consignes", "ex2-visibles", "ex2-caches")]
    cells_by_id(nb)["ex1-caches"].metadata["nbgrader"].update(grade=False, points=0, locked=False)
    nb, _ = RestoreSourceCells().preprocess(nb, {"cda_book": book})
    assert [c.metadata["nbgrader"]["grade_id"] for c in nb.cells] == order
    restored = cells_by_id(nb)
    assert restored["ex2-caches"].source == book.by_name["ex2-caches"].source and MARKER in restored["ex2-caches"].source
    assert restored["ex1-caches"].metadata["nbgrader"]["grade"] is True
    assert restored["ex1-caches"].metadata["nbgrader"]["points"] == 3


def test_feedback_preprocessor_hides_hidden_tests():
    """HideHiddenTests on an autograded-like notebook: no hidden source, output or echo remains."""
    book = book_of(C3)
    nb = copy.deepcopy(book.original)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
    hidden = cells_by_id(nb)["ex1-caches"]
    hidden.outputs = [nbformat.from_dict({"output_type": "error", "ename": "AssertionError", "evalue": MARKER + ": quota",
                                          "traceback": [hidden.source]})]
    echo = cells_by_id(nb)["ex2-code"]
    echo.outputs = [nbformat.from_dict({"output_type": "stream", "name": "stdout", "text": hidden.source})]
    nb, _ = HideHiddenTests().preprocess(nb, {})
    assert MARKER not in json.dumps(nb)
    assert not any("BEGIN HIDDEN TESTS" in cell.source for cell in nb.cells)
    assert "ne sont pas montrés" in json.dumps(cells_by_id(nb)["ex1-caches"].outputs, ensure_ascii=False)


def test_runner_loads_nbgraders_own_execute_and_grading_rules():
    """The sandbox runner skips nbgrader's package __init__ for speed: what it loads must still be
    nbgrader's own Execute preprocessor and determine_grade."""
    import subprocess
    import sys

    from graders.notebooks.grading import RUNNER_DIR

    probe = ("import sys; sys.path.insert(0, %r); import run_notebook as r; "
             "E, g, *_ = r.fast_imports(); import inspect; "
             "print(E.__module__, [c.__module__ for c in E.__mro__ if c.__name__ == 'ExecutePreprocessor'][0], inspect.getsourcefile(g), "
             "'nbconvert.exporters.templateexporter' in sys.modules)") % str(RUNNER_DIR)
    out = subprocess.run([sys.executable, "-I", "-c", probe], capture_output=True, text=True, check=True).stdout.split()
    assert out[0] == "nbgrader.preprocessors.execute" and out[1] == "nbconvert.preprocessors.execute"
    assert out[2].endswith("nbgrader/utils.py") and out[3] == "False"
