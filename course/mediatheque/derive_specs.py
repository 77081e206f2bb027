"""The kinds of derived file `derive.py` writes into a lab: the reference schema (its migrations up to
a stage, with or without a data set), a file of the reference application, a file of the lab itself,
notebooks built from a solution notebook, the reference rules in a notebook cell."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

REFERENCE = Path(__file__).resolve().parent
APP = REFERENCE / "app" / "mediatheque"
LABS = REFERENCE.parent.parent / "labs"


@dataclass(frozen=True)
class Schema:
    """The reference migrations up to `upto` (included), under the lab's own header."""

    target: str
    upto: str
    header: str

    def render(self, lab: Path) -> str:
        parts = [self.header.rstrip("\n") + "\n"]
        for path in sorted((REFERENCE / "migrations").glob("*.sql")):
            if path.name[:4] <= self.upto:
                parts.append(path.read_text(encoding="utf-8"))
        return "\n".join(parts)


@dataclass(frozen=True)
class FromReference:
    """A file of the reference application (path relative to app/mediatheque), copied as it is."""

    target: str
    source: str

    def render(self, lab: Path) -> str:
        return (APP / self.source).read_text(encoding="utf-8")


@dataclass(frozen=True)
class FromLab:
    """A file of the same lab (usually its solution), copied: an example that differs elsewhere."""

    target: str
    source: str

    def render(self, lab: Path) -> str:
        return (lab / self.source).read_text(encoding="utf-8")


@dataclass(frozen=True)
class FromCourse:
    """A file of course/mediatheque/ itself (the cahier des charges, a data set), copied as it is."""

    target: str
    source: str

    def render(self, lab: Path) -> str:
        return (REFERENCE / self.source).read_text(encoding="utf-8")


@dataclass(frozen=True)
class SchemaAndData:
    """The reference migrations up to `upto`, then a data set of course/mediatheque/donnees/."""

    target: str
    upto: str
    header: str
    data: str

    def render(self, lab: Path) -> str:
        schema = Schema(self.target, self.upto, self.header).render(lab)
        return schema + "\n" + (REFERENCE / "donnees" / self.data).read_text(encoding="utf-8")


@dataclass(frozen=True)
class NotebookExample:
    """An example notebook: the lab's solution notebook whose answer cells (grade_id `*-code`) are
    the example's own. Everything else (statements, tests, nbgrader metadata) follows the solution."""

    target: str
    solution: str
    rewritten: tuple[str, ...] = ()  # locked cells whose source and lock are the example's own (tampering)
    points: int | None = None  # the points the example gives every graded cell (tampering)

    def render(self, lab: Path) -> str:
        import nbformat

        own = {cell.metadata.get("nbgrader", {}).get("grade_id"): cell
               for cell in nbformat.read(str(lab / self.target), as_version=4).cells}
        book = nbformat.read(str(lab / self.solution), as_version=4)
        for cell in book.cells:
            flags = cell.metadata.get("nbgrader", {})
            grade_id = flags.get("grade_id") or ""
            if grade_id in own and (grade_id.endswith("-code") or grade_id in self.rewritten):
                cell.source = own[grade_id].source
            if grade_id in own and grade_id in self.rewritten:
                flags["locked"] = own[grade_id].metadata["nbgrader"]["locked"]
            if self.points is not None and flags.get("grade"):
                flags["points"] = self.points
        return nbformat.writes(book) + "\n"


@dataclass(frozen=True)
class TruncatedNotebook:
    """The first half of a notebook file's text: a submission that is not valid JSON any more."""

    target: str
    source: str

    def render(self, lab: Path) -> str:
        text = (lab / self.source).read_text(encoding="utf-8")
        return text[:len(text) // 2]


@dataclass(frozen=True)
class RulesCell:
    """A notebook whose code cell `grade_id` holds the reference rules (rules.py) under the lab's own names."""

    target: str
    grade_id: str

    def render(self, lab: Path) -> str:
        import importlib.util

        import nbformat

        spec = importlib.util.spec_from_file_location("_reference_rules", APP / "rules.py")
        rules = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(rules)  # the reference's own module: pure Python, no learner code
        durations = ", ".join(f'"{kind}": {days}' for kind, days in rules.LOAN_DAYS.items())
        source = NB_C3_RULES.format(
            durations=durations, adult=rules.MAX_LOANS_ADULT, minor=rules.MAX_LOANS_MINOR, majority=rules.MAJORITY_AGE,
            closed=rules.CLOSED_WEEKDAYS, grace=rules.LATE_GRACE_DAYS, fee=rules.LATE_FEE_PER_DAY,
            cap=rules.LATE_FEE_CAP)
        book = nbformat.read(str(lab / self.target), as_version=4)
        cell = next(c for c in book.cells if c.metadata.get("nbgrader", {}).get("grade_id") == self.grade_id)
        cell.source = source.rstrip("\n")
        return nbformat.writes(book) + "\n"


NB_C3_RULES = """\
# Règles de la médiathèque, les mêmes dans toute l'application : utilisez ces constantes.
DUREES = {{{durations}}}  # durée du prêt en jours, par type de document
QUOTA_ADULTE = {adult}  # prêts en cours au plus
QUOTA_MINEUR = {minor}
AGE_MAJORITE = {majority}
JOURS_DE_FERMETURE = {closed}  # dimanche, lundi (date.weekday())
TOLERANCE_JOURS = {grace}  # jours de retard sans pénalité
PENALITE_PAR_JOUR = Decimal("{fee}")  # par jour de retard et par document
PLAFOND_PAR_DOCUMENT = Decimal("{cap}")
"""


RESET = "TRUNCATE reservations, loans, items, documents, members RESTART IDENTITY CASCADE;\n"


@dataclass(frozen=True)
class DataReset:
    """Empty the reference tables, then load a data set of course/mediatheque/donnees/ (hidden tests
    run it before each test on the database the grader cloned from the lab's schema)."""

    target: str
    data: str

    def render(self, lab: Path) -> str:
        return RESET + "\n" + (REFERENCE / "donnees" / self.data).read_text(encoding="utf-8")
