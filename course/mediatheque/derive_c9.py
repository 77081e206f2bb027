"""The test-plan lab's derived files (`c9-plan-de-tests`), read by derive.py.

The learner plans and writes the tests of the reference application as it is: the starter holds the
whole reference package and its schema (every migration), the grader a copy of the package that the
`seeded-bugs` check runs the learner's tests against (`grader/reference`, the seeds apply to it), and
the cahier des charges whose requirement ids name the lab's features. Each example is the solution
but for its own mistake (`C9_OWN`); neither holds the package (the grader uses its own copy).
"""

from __future__ import annotations

from course.mediatheque.derive_specs import APP, LABS, FromCourse, FromLab, FromReference, Schema

LAB_ID = "c9-plan-de-tests"
C9_HEADER = """\
-- Schéma de la médiathèque de référence (toutes ses migrations), fourni : ne le modifiez pas.
-- Le correcteur en clone une base neuve pour chaque exécution de vos tests.
-- Généré : python -m course.mediatheque.derive c9-plan-de-tests
"""
C9_OWN = {
    "fonctionnalite-oubliee": ("plan_de_tests.toml", "rapport_de_tests.md"),
    "tests-qui-ne-detectent-rien": ("tests/test_regles.py", "tests/test_integration.py", "tests/test_securite.py"),
    "sans-test-de-securite": ("plan_de_tests.toml", "rapport_de_tests.md", "tests/test_securite.py"),
    "rapport-non-conforme": ("rapport_de_tests.md", "tests/test_regles.py"),
}


def _c9() -> list:
    lab = LABS / LAB_ID
    sources = sorted(path.relative_to(APP).as_posix() for path in APP.rglob("*")
                     if path.is_file() and "__pycache__" not in path.parts)
    files: list = [Schema("starter/db/schema.sql", "9999", C9_HEADER),
                   FromCourse("grader/cahier-des-charges.toml", "cahier-des-charges.toml")]
    for tree in ("starter", "grader/reference"):
        files += [FromReference(f"{tree}/mediatheque/{name}", name) for name in sources]
    solution = lab / "solution"
    shared = sorted(p.relative_to(solution).as_posix() for p in solution.rglob("*")
                    if p.is_file() and "__pycache__" not in p.parts)
    for example, own in C9_OWN.items():
        files += [FromLab(f"examples/{example}/{name}", f"solution/{name}") for name in shared if name not in own]
    return files


def derivations() -> dict:
    return {LAB_ID: _c9}
