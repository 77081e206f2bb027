"""A notebook lab's nbgrader assignment, as its lab.toml declares it.

One notebook lab is one nbgrader assignment: its `nbgrader` checks name the folder of the lab that
holds the nbgrader source (`source`, default "grader") and the nbgrader assignment name
(`assignment`, default the lab id), so an existing nbgrader assignment ("ps1") can be imported as
it stands. The same name is used to build the course (`source/<assignment>/`), to release it, to
read nbgrader's `submitted/<student>/<assignment>/` and its gradebook.

Each check's `points` must equal the points of its cells in the source notebook (grade cells and
task cells, nbgrader's "graded cells"): a disagreement is a manifest error, never a silent rescale.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from fnmatch import fnmatch
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from graders.errors import BadInput

KIND = "nbgrader"
DEFAULT_SOURCE = "grader"


class NbgraderOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")
    notebook: str = Field(pattern=r"^[A-Za-z0-9_.-]+\.ipynb$")
    source: str = DEFAULT_SOURCE
    assignment: str | None = Field(None, pattern=r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$")  # default: the lab id
    cells: list[str] = Field(default_factory=lambda: ["*"], min_length=1)
    cell_timeout_s: int | None = Field(None, gt=0, le=600)
    postgres_seed: str | None = None  # SQL file of the lab: the notebook gets its own PostgreSQL copy of it


@dataclass(frozen=True)
class Assignment:
    name: str  # nbgrader's assignment name
    source: Path  # the lab folder holding the nbgrader source notebooks


def nbgrader_specs(lab) -> list:
    return [spec for spec in lab.manifest.checks if spec.kind == KIND]


def nbgrader_options(lab) -> list[NbgraderOptions]:
    """The validated options of the lab's nbgrader checks, in manifest order."""
    return [lab.options_of(spec) for spec in nbgrader_specs(lab)]


def notebooks_of(lab) -> list[NbgraderOptions]:
    """The options of the first nbgrader check of each notebook the lab grades."""
    found: dict[str, NbgraderOptions] = {}
    for options in nbgrader_options(lab):
        found.setdefault(options.notebook, options)
    return list(found.values())


def assignment_of(lab) -> Assignment:
    """The nbgrader assignment of a notebook lab (BadInput when its checks disagree on it)."""
    found = {(o.assignment or lab.id, o.source) for o in nbgrader_options(lab)}
    if len(found) > 1:
        names = ", ".join(f"{name!r} in {source!r}" for name, source in sorted(found))
        raise BadInput(f"{lab.path / 'lab.toml'}: lab {lab.id}: its nbgrader checks name several assignments "
                       f"({names}); one lab is one nbgrader assignment")
    name, source = found.pop() if found else (lab.id, DEFAULT_SOURCE)
    return Assignment(name=name, source=lab.resolve(source))


def group_of(book, patterns: list[str]) -> list:
    """The graded cells (grade and task cells) of the source book that a check's `cells` match."""
    return [cell for cell in book.graded_cells if any(fnmatch(cell.name, p) for p in patterns)]


def book_for(lab, options):
    """The source book of the notebook that check options (`source`, `notebook`) name."""
    from graders.notebooks.sourcebook import load_book

    return load_book(lab.resolve(f"{options.source}/{options.notebook}"))


def source_points(path: Path, patterns: list[str]) -> tuple[int, float]:
    """(cells, points) of the graded cells of a source notebook that `patterns` match, read from its
    JSON with nbgrader's flags (is_grade, is_task): cheap enough for every lab load."""
    cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
    metas = [(cell.get("metadata") or {}).get("nbgrader") or {} for cell in cells]
    matched = [meta for meta in metas if (meta.get("grade") or meta.get("task"))
               and any(fnmatch(str(meta.get("grade_id", "")), p) for p in patterns)]
    return len(matched), sum(float(meta.get("points") or 0.0) for meta in matched)


def points_problem(lab, spec) -> str | None:
    """Why a check's points disagree with its cells' points in the source notebook (None: they agree;
    a group that matches no cell is reported by the check itself)."""
    options = lab.options_of(spec)
    path = lab.resolve(f"{options.source}/{options.notebook}")
    if not path.is_file():
        return f"no source notebook {options.source}/{options.notebook} in the lab"
    count, total = source_points(path, options.cells)
    if count and abs(total - spec.points) > 1e-9:
        return (f"points = {spec.points:g}, but its cells ({', '.join(options.cells)}) are worth {total:g} in "
                f"{options.source}/{options.notebook}; make them agree")
    return None


def check_points(lab) -> None:
    """The lab's nbgrader checks name one assignment, and each check's points equal its cells' points
    in the source notebook; else BadInput (when the lab loads, and again when a check starts)."""
    assignment_of(lab)
    for spec in nbgrader_specs(lab):
        problem = points_problem(lab, spec)
        if problem:
            raise BadInput(f"{lab.path / 'lab.toml'}: lab {lab.id}, check {spec.id!r}: {problem}")
