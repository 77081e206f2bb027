"""Canary cells: planted after every test cell, with fresh ids, and verified cell by cell."""

from __future__ import annotations

import nbformat
from nbformat.v4 import new_code_cell, new_notebook

from graders.notebooks import canaries


def notebook():
    cells = [new_code_cell("def f(x):\n    return x", id="answer"),
             new_code_cell("assert f(1) == 1", id="test-1"),
             new_code_cell("assert f(2) == 2", id="test-2")]
    for cell, (grade_id, grade, solution) in zip(cells, [("ex1", False, True), ("t1", True, False), ("t2", True, False)]):
        cell.metadata["nbgrader"] = {"grade_id": grade_id, "grade": grade, "solution": solution, "locked": not solution,
                                     "points": 1 if grade else None, "schema_version": 3}
    return new_notebook(cells=cells)


def graded(grade_id, error=None):
    return {"event": "cell", "grade_id": grade_id, "score": 0.0 if error else 1.0, "error": error}


def test_a_canary_follows_each_test_cell_and_every_id_is_new():
    nb = notebook()
    planted = canaries.plant(nb, {"t1", "t2"})
    ids = [c.metadata["nbgrader"]["grade_id"] for c in planted.notebook.cells]
    assert ids[0] == "ex1" and ids[1] == "t1" and ids[3] == "t2"
    assert ids[2] == planted.canaries[0].grade_id and ids[4] == planted.canaries[1].grade_id
    assert [c.after for c in planted.canaries] == ["t1", "t2"]
    assert not {"answer", "test-1", "test-2"} & {c.id for c in planted.notebook.cells}
    assert len({c.id for c in planted.notebook.cells}) == 5
    nbformat.validate(planted.notebook)
    assert [c.id for c in nb.cells] == ["answer", "test-1", "test-2"]  # the input is not modified
    # Canaries of two runs differ: they cannot be recognised by their text.
    again = canaries.plant(nb, {"t1", "t2"})
    assert planted.notebook.cells[2].source != again.notebook.cells[2].source


def test_a_canary_fails_for_real_when_run():
    planted = canaries.plant(notebook(), {"t1"})
    source = planted.notebook.cells[2].source
    try:
        exec(compile(source, "<canary>", "exec"), {})  # trusted text generated above, not learner code
    except AssertionError as exc:
        assert str(exc) == planted.canaries[0].message
    else:
        raise AssertionError("the canary passed")


def test_verdicts_stand_when_every_canary_failed_as_planted():
    planted = canaries.plant(notebook(), {"t1", "t2"})
    records = {"ex1": graded("ex1"), "t1": graded("t1"), "t2": graded("t2", "AssertionError")}
    for canary in planted.canaries:
        records[canary.grade_id] = graded(canary.grade_id, f"AssertionError: {canary.message} ⟵ [2] assert")
    assert canaries.verify(records, planted.canaries) is None
    assert set(records) == {"ex1", "t1", "t2"} and records["t1"]["score"] == 1.0


def test_a_canary_that_passed_voids_its_cell_and_every_later_one():
    planted = canaries.plant(notebook(), {"t1", "t2"})
    first, second = planted.canaries
    records = {"t1": graded("t1"), "t2": graded("t2"), first.grade_id: graded(first.grade_id),  # swallowed error
               second.grade_id: graded(second.grade_id, f"AssertionError: {second.message}")}
    assert canaries.verify(records, planted.canaries) == "t1"
    assert records["t1"]["voided"] and records["t1"]["score"] == 0.0
    assert records["t2"]["voided"] and records["t2"]["score"] == 0.0


def test_a_wrong_message_is_no_proof():
    planted = canaries.plant(notebook(), {"t1"})
    canary = planted.canaries[0]
    for record in ({"error": "AssertionError: something else"}, {"error": f"NameError: {canary.message}"}):
        records = {"t1": graded("t1"), canary.grade_id: {"grade_id": canary.grade_id, **record}}
        assert canaries.verify(records, planted.canaries) == "t1"
        assert records["t1"]["score"] == 0.0


def test_a_canary_at_its_time_limit_is_an_incident_not_tampering():
    """The kernel still busy with an earlier cell (a loop in a thread): the cell is unproven, nobody is blamed."""
    planted = canaries.plant(notebook(), {"t1", "t2"})
    first = planted.canaries[0]
    records = {"t1": graded("t1"), "t2": graded("t2"),
               first.grade_id: {"grade_id": first.grade_id, "error": "CellTimeoutError", "timeout": True}}
    assert canaries.verify(records, planted.canaries) is None
    assert "t1" not in records and "t2" not in records


def test_a_canary_never_reached_leaves_its_cell_unproven_without_blame():
    planted = canaries.plant(notebook(), {"t1", "t2"})
    first = planted.canaries[0]
    records = {"t1": graded("t1"), "t2": graded("t2"), first.grade_id: graded(first.grade_id, f"AssertionError: {first.message}")}
    assert canaries.verify(records, planted.canaries) is None
    assert "t1" in records and "t2" not in records
