"""The CI lab's derivation (C11): read by derive.py.

The application the learner's pipeline guards is the reference's data and service layers, copied as
they are (C11_MODULES) into the starter, the solution and every example, with the schema at migration
0005. The lab's own files (its tests, pinned requirements, Dockerfile, advisory snapshot, the failed
job's reports) are written in solution/ and copied to the starter and the examples (C11_SHARED); an
example is the solution except for its own files (C11_EXAMPLES).
"""

from __future__ import annotations

from course.mediatheque.derive_specs import FromLab, FromReference, Schema

C11_HEADER = """\
-- Schéma de la médiathèque pour le lab C11 (fourni : ne le modifiez pas) ; les tests le chargent.
-- Généré depuis course/mediatheque/migrations (0001 à 0005) : python -m course.mediatheque.derive c11-integration-continue
"""
# The application the pipeline guards: the reference's data and service layers, as they are.
C11_MODULES = ("database.py", "errors.py", "redis_store.py", "repositories.py", "rules.py", "validation.py",
               "services/__init__.py", "services/loans.py", "services/members.py")
# Written by hand in solution/ and given as they are to the starter and to every example.
C11_SHARED = ("mediatheque/__init__.py", "tests/__init__.py", "tests/conftest.py", "tests/test_regles.py",
              "tests/test_depots.py", "tests/test_redis.py", "requirements.txt", "requirements-dev.txt",
              "pyproject.toml", "Dockerfile", ".gitignore", "bandit-baseline.json", "securite/avis-hors-ligne.json",
              "rapports/job-tests.log", "rapports/junit.xml", "rapports/bandit.sarif")
# What the learner writes; an example that does not get it wrong takes the solution's.
C11_OWN = (".gitlab-ci.yml", ".github/workflows/ci.yml", "DIAGNOSTIC.md")
C11_EXAMPLES = {"ou-true-apres-pytest": (".gitlab-ci.yml",), "sans-seuil-de-couverture": (".gitlab-ci.yml",),
                "sans-services": (".gitlab-ci.yml",), "diagnostic-mauvaise-cause": ("DIAGNOSTIC.md",)}


def _c11() -> list:
    files: list = []
    for tree in ("starter", "solution", *(f"examples/{name}" for name in C11_EXAMPLES)):
        files += [Schema(f"{tree}/db/schema.sql", "0005", C11_HEADER)]
        files += [FromReference(f"{tree}/mediatheque/{name}", name) for name in C11_MODULES]
        if tree != "solution":
            files += [FromLab(f"{tree}/{name}", f"solution/{name}") for name in C11_SHARED]
    for name, own in C11_EXAMPLES.items():
        files += [FromLab(f"examples/{name}/{path}", f"solution/{path}") for path in C11_OWN if path not in own]
    return files


def derivations() -> dict:
    return {"c11-integration-continue": _c11}
