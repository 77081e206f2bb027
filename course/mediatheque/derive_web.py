"""The web labs' derivations (RGAA, RGPD, ANSSI, eco-design): read by derive.py.

Each web lab is the reference médiathèque at the stage of its pages: its data layer (errors.py,
database.py, validation.py, repositories.py and, for the labs with accounts, rules.py, redis_store.py
and services/members.py) copied as it is into the starter, the solution and every example; its schema
(migrations up to 0005) with the lab's data set (donnees/web.sql, shared by the labs with accounts, or
donnees/web-eco-conception.sql) as the database the grader clones
(`starter/db/mediatheque.sql`, also in the solution); the same data set behind a TRUNCATE for the
hidden tests (`grader/tests/donnees.sql`). The lab's own part is its Flask module (routes over the
reference repositories and services) and its templates: the pages the learner fixes. An example is
the solution except for its own files (WEB_LABS); the others are copied from the solution; the starter
shares the solution's files that are not the exercise (STARTER_SHARED).
"""

from __future__ import annotations

from course.mediatheque.derive_specs import LABS, DataReset, FromLab, FromReference, SchemaAndData

STAGE = "0005"
DATA_LAYER = ("errors.py", "database.py", "validation.py", "repositories.py")
ACCOUNTS = (*DATA_LAYER, "rules.py", "redis_store.py", "services/__init__.py", "services/members.py")
HEADER = """\
-- Base de la médiathèque pour le lab {lab} : migrations 0001 à {stage} de la médiathèque de référence,
-- puis le jeu de données du lab (course/mediatheque/donnees/{data}). Le correcteur en clone une base
-- neuve pour chaque soumission ; en local : psql "$DATABASE_URL" -f db/mediatheque.sql
-- Généré : python -m course.mediatheque.derive {lab}
"""

# What each web lab takes from the reference application, and each example's own files (the rest of
# an example is its lab's solution).
WEB_LABS = {
    "web-eco-conception": ("web-eco-conception.sql", DATA_LAYER, {
        "tout-sur-une-page": ("mediatheque/__init__.py",),
        "images-non-redimensionnees": ("mediatheque/__init__.py",),
        "bibliotheques-inutiles": ("mediatheque/__init__.py", "mediatheque/templates/catalogue.html"),
    }),
    "web-anssi-entetes": ("web.sql", ACCOUNTS, {
        "csp-unsafe-inline": ("mediatheque/__init__.py", "mediatheque/templates/accueil.html"),
        "mode-debug": ("mediatheque/__main__.py",),
        "cookie-sans-samesite": ("mediatheque/__init__.py",),
    }),
    "web-rgpd-consentement": ("web.sql", ACCOUNTS, {
        "refus-cache": ("mediatheque/templates/base.html",),
        "traceur-avant-choix": ("mediatheque/templates/base.html",),
        "effacement-incomplet": ("mediatheque/__init__.py",),
    }),
    "web-rgaa-formulaires": ("web.sql", (*DATA_LAYER, "rules.py", "redis_store.py"), {
        "etiquettes-placeholder": ("mediatheque/templates/inscription.html",),
        "erreurs-en-couleur": ("mediatheque/templates/inscription.html",),
        "focus-supprime": ("mediatheque/static/style.css",),
    }),
}

# The starter's files that are the solution's (the others are the exercise: what the learner fixes).
STARTER_SHARED = {
    "web-eco-conception": ("pyproject.toml", "mediatheque/__main__.py", "mediatheque/images.py",
                           "mediatheque/static/style.css", "mediatheque/templates/base.html",
                           "mediatheque/templates/livre.html"),
    "web-anssi-entetes": ("pyproject.toml", "mediatheque/static/style.css", "mediatheque/templates/compte.html"),
    "web-rgpd-consentement": ("pyproject.toml", "mediatheque/__main__.py", "mediatheque/static/style.css",
                              *(f"mediatheque/templates/{name}.html" for name in
                                ("accueil", "catalogue", "connexion", "cookies", "mentions"))),
    "web-rgaa-formulaires": ("pyproject.toml", "mediatheque/__init__.py", "mediatheque/__main__.py",
                             "mediatheque/static/logo.svg"),
}


def _solution_files(lab_id: str, reference: tuple[str, ...]) -> list[str]:
    """The solution's files an example copies (paths from the tree root), derived ones excluded."""
    solution = LABS / lab_id / "solution"
    derived = {f"mediatheque/{name}" for name in reference} | {"db/mediatheque.sql"}
    return sorted(p.relative_to(solution).as_posix() for p in solution.rglob("*")
                  if p.is_file() and "__pycache__" not in p.parts and p.name != ".cda-lab"
                  and p.relative_to(solution).as_posix() not in derived)


def web_lab(lab_id: str) -> list:
    data, reference, examples = WEB_LABS[lab_id]
    header = HEADER.format(lab=lab_id, stage=STAGE, data=data)
    files: list = [SchemaAndData(f"{tree}/db/mediatheque.sql", STAGE, header, data) for tree in ("starter", "solution")]
    files.append(DataReset("grader/tests/donnees.sql", data))
    for tree in ("starter", "solution", *(f"examples/{name}" for name in examples)):
        files += [FromReference(f"{tree}/mediatheque/{name}", name) for name in reference]
    shared = _solution_files(lab_id, reference)
    for name, own in examples.items():
        files += [FromLab(f"examples/{name}/{path}", f"solution/{path}") for path in shared if path not in own]
    files += [FromLab(f"starter/{path}", f"solution/{path}") for path in STARTER_SHARED[lab_id]]
    return files


def derivations() -> dict:
    return {lab_id: (lambda lab_id=lab_id: web_lab(lab_id)) for lab_id in WEB_LABS}
