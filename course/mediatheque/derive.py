"""Derive the labs' files from the reference médiathèque: `python -m course.mediatheque.derive [--check] [LAB...]`.

Each derived lab lists the files that come from the reference (its schema at the lab's stage: the
migrations up to a number; modules of the reference application copied as they are) or from the
lab's own solution (an example that differs from the solution elsewhere). Everything else in a lab
(its statement, its mistakes, its tests) is written by hand and checked by the drift test.
Regenerating leaves the repository unchanged: tests/test_reference_drift.py checks it.

Exit codes: 0 written (or, with --check, nothing differs); 1 with --check, some file differs;
2 bad input (unknown lab).
"""

from __future__ import annotations

import argparse
import sys
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


C8_HEADER = """\
-- Schéma de la médiathèque pour le lab C8 (fourni : ne le modifiez pas).
-- Le correcteur en clone une base neuve pour chaque soumission.
-- Généré depuis course/mediatheque/migrations (0001) : python -m course.mediatheque.derive c8-acces-donnees
"""
C7_HEADER = """\
-- Schéma physique de la médiathèque (PostgreSQL 15) : migrations 0001 et 0002 de la référence.
"""


def _c8() -> list:
    shared = ("errors.py", "database.py", "validation.py", "redis_store.py")
    files: list = [Schema("starter/db/schema.sql", "0001", C8_HEADER)]
    files += [FromReference(f"solution/mediatheque/{name}", name) for name in shared]
    files += [FromReference("starter/mediatheque/errors.py", "errors.py")]
    files += [FromReference(f"examples/dao-injectable/mediatheque/{name}", name) for name in shared]
    files += [FromReference(f"examples/sans-transaction/mediatheque/{name}", name)
              for name in ("errors.py", "validation.py", "redis_store.py")]
    files += [FromReference("examples/erreurs-brutes/mediatheque/errors.py", "errors.py")]
    return files


def _c7() -> list:
    return [
        Schema("solution/sql/schema.sql", "0002", C7_HEADER),
        Schema("examples/role-trop-de-droits/sql/schema.sql", "0002", C7_HEADER),
        FromLab("examples/role-trop-de-droits/sql/donnees.sql", "solution/sql/donnees.sql"),
        FromLab("examples/schema-sans-cles-etrangeres/sql/donnees.sql", "solution/sql/donnees.sql"),
    ]


C6_HEADER = """\
-- Schéma PostgreSQL de la médiathèque (utilisé par mediatheque/data/postgres.py) : migrations 0001 et 0002
-- de la médiathèque de référence. Les contraintes doublent les règles des services (défense en profondeur).
-- Généré depuis course/mediatheque/migrations : python -m course.mediatheque.derive c6-architecture-couches
"""
# Each c6 example is the solution except for its own mistake: these files are its own, the others are
# the solution's (copied).
C6_OWN = {
    "domaine-dependant-de-flask": ("domain/entities.py", "domain/errors.py", "presentation/api.py",
                                   "presentation/errors.py"),
    "regles-dans-les-routes": ("presentation/api.py", "services/loans.py"),
    "routes-appellent-le-depot": ("app.py", "presentation/api.py"),
    "sql-par-formatage": ("data/__init__.py", "data/postgres.py"),
}


def _c6() -> list:
    schema = "mediatheque/data/schema.sql"
    package = LABS / "c6-architecture-couches" / "solution" / "mediatheque"
    shared = sorted(path.relative_to(package).as_posix() for path in package.rglob("*.py"))
    files: list = [Schema(f"solution/{schema}", "0002", C6_HEADER)]
    for example, own in C6_OWN.items():
        files.append(Schema(f"examples/{example}/{schema}", "0002", C6_HEADER))
        files += [FromLab(f"examples/{example}/mediatheque/{name}", f"solution/mediatheque/{name}")
                  for name in shared if name not in own]
    return files


NB_C8_HEADER = """\
-- Base de démonstration de la médiathèque municipale (données fictives).
-- Schéma : migrations 0001 à 0004 de la médiathèque de référence ; jeu de données :
-- course/mediatheque/donnees/nb-c8-requetes-sql.sql. Généré : python -m course.mediatheque.derive nb-c8-requetes-sql
"""


def _nb_c8() -> list:
    """The notebooks of starter/ and solution/ come from grader/ through the release tool
    (`python -m graders.notebooks.course release nb-c8-requetes-sql`), run after this."""
    files: list = [SchemaAndData(f"{folder}/mediatheque.sql", "0004", NB_C8_HEADER, "nb-c8-requetes-sql.sql")
                   for folder in ("grader", "starter", "solution")]
    files += [NotebookExample(f"examples/{name}/requetes_sql.ipynb", "solution/requetes_sql.ipynb")
              for name in ("injection-sql", "jointure-interne", "requete-infinie")]
    return files


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


def _nb_c3() -> list:
    """The rules cell of the source notebook, then (after `python -m graders.notebooks.course release
    nb-c3-regles-metier` has rebuilt starter/ and solution/) the examples from the solution."""
    examples = [NotebookExample(f"examples/{name}/regles_metier.ipynb", "solution/regles_metier.ipynb")
                for name in ("quota-mineur-oublie", "float-et-boucle-infinie")]
    examples.append(NotebookExample("examples/points-modifies/regles_metier.ipynb", "solution/regles_metier.ipynb",
                                    rewritten=("ex2-caches",), points=100))
    examples.append(TruncatedNotebook("examples/json-invalide/regles_metier.ipynb", "solution/regles_metier.ipynb"))
    return [RulesCell("grader/regles_metier.ipynb", "regles"), *examples]


DERIVED = {"c8-acces-donnees": _c8, "c7-conception-bdd": _c7, "nb-c8-requetes-sql": _nb_c8,
           "nb-c3-regles-metier": _nb_c3, "c6-architecture-couches": _c6}


def render(lab_id: str, labs: Path = LABS) -> dict[Path, str]:
    """{path in the lab folder: content} of every derived file of `lab_id`."""
    lab = labs / lab_id
    return {lab / spec.target: spec.render(lab) for spec in DERIVED[lab_id]()}


def differing(lab_id: str, labs: Path = LABS) -> list[Path]:
    """Derived files whose content on disk is not what the reference gives."""
    return [path for path, text in render(lab_id, labs).items()
            if not path.is_file() or path.read_text(encoding="utf-8") != text]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m course.mediatheque.derive", description=__doc__.splitlines()[0])
    parser.add_argument("labs", nargs="*", metavar="LAB", help=f"default: all derived labs ({', '.join(DERIVED)})")
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 when a derived file differs")
    args = parser.parse_args(argv)
    unknown = [lab for lab in args.labs if lab not in DERIVED]
    if unknown:
        print(f"error: not a derived lab: {', '.join(unknown)} (derived: {', '.join(DERIVED)})", file=sys.stderr)
        return 2
    changed = 0
    for lab_id in args.labs or list(DERIVED):
        for path in differing(lab_id):
            changed += 1
            print(f"{'differs' if args.check else 'written'}: {path.relative_to(LABS.parent)}")
            if not args.check:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(render(lab_id)[path], encoding="utf-8")
    return 1 if args.check and changed else 0


if __name__ == "__main__":
    sys.exit(main())
