"""Canary cells: proof, cell by cell, that the kernel still runs the grader's tests as written.

Learner code runs in the same IPython kernel as the test cells, so it can make every later cell
look like a pass: `set_custom_exc` or a replaced `showtraceback` swallows errors, an input or AST
transformer blanks the tests, `sys.excepthook`, `exec` patches... nbgrader grades a test cell as
passed when it left no error, so all of these raise the grade there.

Before the run, every test cell is followed by a canary: a locked cell written like a test, whose
assertion always fails with a message drawn at random for this run. After the run, a test cell's
verdict counts only if the canary right after it failed with exactly that message. From the first
canary that did not, nothing the kernel reports is trusted: that test cell and every later one
score zero. Every cell id is redrawn too, so the kernel cannot tell tests from canaries by the ids
of the released notebook.
"""

from __future__ import annotations

import copy
import secrets
from dataclasses import dataclass, field

from nbformat.v4 import new_code_cell

WORDS = ("pret", "adherent", "exemplaire", "retard", "reservation", "catalogue", "quota", "penalite", "retour",
         "notice", "compte", "historique", "statut", "date", "limite", "abonnement", "emprunt", "site")
PREFIX = "cda-"


@dataclass
class Canary:
    grade_id: str
    after: str  # grade id of the test cell it vouches for
    message: str


@dataclass
class Planted:
    notebook: object
    canaries: list[Canary] = field(default_factory=list)


def _words(count: int) -> str:
    return "_".join(secrets.choice(WORDS) for _ in range(count))


def canary_source(message: str) -> str:
    a, b = secrets.randbelow(900) + 100, secrets.randbelow(900) + 100
    wrong = a + b + 1 + secrets.randbelow(50)
    name = _words(2)
    return f'{name} = {a} + {b}\nassert {name} == {wrong}, "{message}"\n'


def _fresh_id(taken: set[str]) -> str:
    while True:
        value = secrets.token_hex(4)
        if value not in taken:
            taken.add(value)
            return value


def plant(nb, test_ids: set[str]) -> Planted:
    """A copy of the sanitized notebook with a canary after each test cell and every id redrawn."""
    nb = copy.deepcopy(nb)
    cells, canaries, taken = [], [], set()
    for cell in nb.cells:
        cell.id = _fresh_id(taken)
        cells.append(cell)
        grade_id = (cell.get("metadata", {}).get("nbgrader") or {}).get("grade_id")
        if cell.cell_type != "code" or grade_id not in test_ids:
            continue
        message = f"{_words(3)} {secrets.token_hex(6)}"
        canary = Canary(grade_id=f"{PREFIX}{secrets.token_hex(6)}", after=grade_id, message=message)
        extra = new_code_cell(canary_source(message))
        extra.id = _fresh_id(taken)
        extra.metadata["nbgrader"] = {"grade": False, "solution": False, "locked": True, "task": False,
                                      "grade_id": canary.grade_id, "schema_version": 3}
        cells.append(extra)
        canaries.append(canary)
    nb.cells = cells
    return Planted(nb, canaries)


def failed_as_planted(record: dict | None, canary: Canary) -> bool:
    error = (record or {}).get("error") or ""
    return error.startswith("AssertionError") and canary.message in error and not (record or {}).get("timeout")


def verify(records: dict[str, dict], canaries: list[Canary]) -> str | None:
    """Drops the canaries' records and voids every verdict from the first broken canary on.

    Returns the grade id of the first test cell whose verdict could not be vouched for because a
    canary that did run came out wrong. A canary the run never reached (wall clock, dead kernel),
    or that hit its time limit (the kernel still busy with an earlier cell's loop or thread), leaves
    its test cell and the later ones without a result, without blame: an incident, not tampering.
    """
    broken_at, unreached = None, False
    for canary in canaries:
        record = records.pop(canary.grade_id, None)
        if broken_at is not None:
            records[canary.after] = voided(canary.after)
        elif unreached or record is None or record.get("timeout"):
            unreached = True
            records.pop(canary.after, None)
        elif not failed_as_planted(record, canary):
            broken_at = canary.after
            records[canary.after] = voided(canary.after)
    for key in [k for k in records if k.startswith(PREFIX)]:
        records.pop(key)
    return broken_at


def voided(grade_id: str) -> dict:
    return {"event": "cell", "grade_id": grade_id, "score": 0.0, "error": None, "voided": True}
