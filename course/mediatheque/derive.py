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

from course.mediatheque import derive_c1, derive_c9, derive_c10, derive_c11, derive_incident, derive_web
from course.mediatheque.derive_rules import RulesSubset
from course.mediatheque.derive_specs import (  # noqa: F401 (re-exported: the kinds of derived file)
    APP,
    LABS,
    REFERENCE,
    FromCourse,
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


C3_HEADER = """\
-- Schéma de la médiathèque pour le lab C3 (fourni : ne le modifiez pas) : migrations 0001 à 0006
-- (0006 : les rôles). Le correcteur en clone une base neuve pour chaque soumission.
-- Généré : python -m course.mediatheque.derive c3-composants-securises
"""
C3_REFERENCE = ("errors.py", "database.py", "validation.py", "repositories.py", "redis_store.py")
# Each c3 example is the solution except for its own mistake (these files); the starter shares the
# solution's test fixtures.
C3_OWN = {
    "controle-dans-la-route": ("mediatheque/services/loans.py", "mediatheque/web.py"),
    "sans-csrf": ("mediatheque/web.py",),
    "tests-sans-attaque": ("tests/test_securite.py", "tests/test_unitaires.py"),
    "empreinte-faible": ("mediatheque/security.py",),
    "sans-docstrings": ("mediatheque/security.py", "mediatheque/services/accounts.py", "mediatheque/services/loans.py",
                        "mediatheque/web.py"),
    "tests-faibles": ("tests/test_securite.py", "tests/test_unitaires.py"),
}


def _c3() -> list:
    lab = "c3-composants-securises"
    files: list = [Schema("starter/db/schema.sql", "0006", C3_HEADER),
                   FromLab("grader/tests/conftest.py", "solution/tests/conftest.py"),
                   FromLab("starter/tests/conftest.py", "solution/tests/conftest.py")]
    for tree in ("starter", "solution", *(f"examples/{name}" for name in C3_OWN)):
        files += [FromReference(f"{tree}/mediatheque/{name}", name) for name in C3_REFERENCE]
    solution = LABS / lab / "solution"
    own = sorted(p.relative_to(solution).as_posix() for p in solution.rglob("*.py")
                 if "__pycache__" not in p.parts and p.name not in C3_REFERENCE)
    for example, mistaken in C3_OWN.items():
        files += [FromLab(f"examples/{example}/{path}", f"solution/{path}") for path in own if path not in mistaken]
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


C5_HEADER = """\
-- Schéma de la médiathèque de référence (toutes ses migrations), sur lequel le correcteur du lab C5
-- rejoue les scénarios Gherkin. Généré : python -m course.mediatheque.derive c5-besoins-maquettes
"""
# Each c5 example is the solution except for its own mistake: these files are its own.
C5_OWN = {
    "exigence-non-couverte": ("user-stories/us-05-penalites.feature",),
    "scenario-faux": ("user-stories/us-04-emprunter.feature",),
    "image-sans-alternative": ("maquettes/accueil.html",),
    "enchainement-contredit": ("maquettes/catalogue.html",),
}


def _c5() -> list:
    lab = LABS / "c5-besoins-maquettes"
    app_files = sorted(p.relative_to(APP).as_posix() for p in APP.rglob("*")
                       if p.is_file() and "__pycache__" not in p.parts)
    files: list = [FromReference(f"grader/app/mediatheque/{name}", name) for name in app_files]
    # every migration ("9999"): the app is the whole reference, its schema must be too
    files += [Schema("grader/sql/schema.sql", "9999", C5_HEADER), FromCourse("grader/sql/demo.sql", "donnees/jeu_de_demo.sql"),
              FromCourse("grader/cahier-des-charges.toml", "cahier-des-charges.toml")]
    files += [FromCourse(f"{tree}/cahier-des-charges.md", "cahier-des-charges.md") for tree in ("starter", "solution")]
    solution = lab / "solution"
    shared = sorted(p.relative_to(solution).as_posix() for p in solution.rglob("*") if p.is_file())
    for example, own in C5_OWN.items():
        files += [FromLab(f"examples/{example}/{name}", f"solution/{name}") for name in shared if name not in own]
    return files


DERIVED = {"c8-acces-donnees": _c8, "c7-conception-bdd": _c7, "nb-c8-requetes-sql": _nb_c8,
           "nb-c3-regles-metier": _nb_c3, "c6-architecture-couches": _c6, "c5-besoins-maquettes": _c5,
           "c3-composants-securises": _c3, **derive_web.derivations(), **derive_c1.derivations(),
           **derive_c10.derivations(), **derive_c11.derivations(),
           **derive_incident.derivations(), **derive_c9.derivations()}


def render(lab_id: str, labs: Path = LABS) -> dict[Path, str]:
    """{path in the lab folder: content} of every derived file of `lab_id`."""
    lab = labs / lab_id
    return {lab / spec.target: spec.render(lab) for spec in DERIVED[lab_id]()}


def executables(lab_id: str, labs: Path = LABS) -> set[Path]:
    """Derived files copied from an executable file of the lab (scripts): they stay executable."""
    lab = labs / lab_id
    return {lab / spec.target for spec in DERIVED[lab_id]()
            if isinstance(spec, FromLab) and (lab / spec.source).stat().st_mode & 0o100}


def differing(lab_id: str, labs: Path = LABS) -> list[Path]:
    """Derived files whose content (or executable bit) on disk is not what the reference gives."""
    runnable = executables(lab_id, labs)
    return [path for path, text in render(lab_id, labs).items()
            if not path.is_file() or path.read_text(encoding="utf-8") != text
            or (path in runnable and not path.stat().st_mode & 0o100)]


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
                if path in executables(lab_id):
                    path.chmod(0o755)
    return 1 if args.check and changed else 0


if __name__ == "__main__":
    sys.exit(main())
