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
from pathlib import Path

from course.mediatheque import derive_c11, derive_web
from course.mediatheque.derive_rules import RulesSubset
from course.mediatheque.derive_specs import (  # noqa: F401 (re-exported: the kinds of derived file)
    APP,
    LABS,
    REFERENCE,
    FromLab,
    FromReference,
    NotebookExample,
    RulesCell,
    Schema,
    SchemaAndData,
    TruncatedNotebook,
)

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
    # C8 teaches data access: its repositories keep the adult and book rule (derive_rules, in the statement).
    files.append(RulesSubset("README.md", ("quota-adulte", "duree-livre"),
                             ("durees", "retard", "reservations", "quota-mineur", "fermeture", "abonnement", "penalites")))
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
    # C6 teaches layers: its services apply the adult rules (derive_rules, in the statement).
    files.append(RulesSubset("README.md", ("quota-adulte", "durees", "retard", "reservations"),
                             ("quota-mineur", "fermeture", "abonnement", "penalites")))
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
           "nb-c3-regles-metier": _nb_c3, "c6-architecture-couches": _c6, **derive_web.derivations(),
           **derive_c11.derivations()}


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
