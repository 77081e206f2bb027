"""Lab C1's derivation (the médiathèque's working environment): read by derive.py.

Every tree of the lab (starter, solution, examples) holds the whole reference application
(`app/mediatheque/`), the schema at the latest migration with the demo data set as the database
init script (`db/init/01_mediatheque.sql`, mounted on `/docker-entrypoint-initdb.d`), and
requirements pinned on the project's lock (`app/requirements*.txt`: the versions the offline
`python:3.11-slim` image holds, so that its `pip install` needs no network). The visible tests are
the starter's, copied into the solution, the examples and grader/tests. An example is the solution
except for its own files (C1_OWN).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from course.mediatheque.derive_specs import APP, REFERENCE, FromLab, FromReference, SchemaAndData

LAB = "c1-environnement-travail"
HEADER = """\
-- Base de la médiathèque, créée au premier démarrage du conteneur PostgreSQL (docker-entrypoint-initdb.d).
-- Schéma : les migrations de la référence ; jeu de données fictif : donnees/jeu_de_demo.sql.
-- Généré : python -m course.mediatheque.derive c1-environnement-travail
"""
PINS_HEADER = "# Dépendances épinglées de la médiathèque (versions du projet : requirements.lock)\n"
C1_OWN = {
    "sans-user": ("Dockerfile",),
    "base-exposee": ("compose.yaml",),
    "env-versionne": (".env", ".gitignore"),
    "sans-healthcheck": ("compose.yaml", "Dockerfile"),
}
SOLUTION_FILES = ("Dockerfile", ".dockerignore", "compose.yaml", ".env.example", ".gitignore", ".gitattributes",
                  "pyproject.toml", ".pre-commit-config.yaml", "README.md", ".cda-lab")


@dataclass(frozen=True)
class Pins:
    """A requirements file pinning the named distributions to the versions of the project's lock."""

    target: str
    names: tuple[str, ...]
    header: str

    def render(self, lab: Path) -> str:
        lock = (REFERENCE.parent.parent / "requirements.lock").read_text(encoding="utf-8")
        versions = dict(line.split(" ")[0].split("==") for line in lock.splitlines()
                        if "==" in line and not line.startswith((" ", "#")))
        return self.header + "".join(f"{name}=={versions[name.split('[')[0]]}\n" for name in self.names)


def _c1() -> list:
    latest = max(p.name[:4] for p in (REFERENCE / "migrations").glob("*.sql"))
    app = sorted(p.relative_to(APP).as_posix() for p in APP.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    files: list = []
    for tree in ["starter", "solution", *(f"examples/{name}" for name in C1_OWN)]:
        files += [FromReference(f"{tree}/app/mediatheque/{name}", name) for name in app]
        files.append(SchemaAndData(f"{tree}/db/init/01_mediatheque.sql", latest, HEADER, "jeu_de_demo.sql"))
        files.append(Pins(f"{tree}/app/requirements.txt", ("flask", "psycopg[binary]", "redis"), PINS_HEADER))
        files.append(Pins(f"{tree}/app/requirements-test.txt", ("pytest",), PINS_HEADER))
        if tree != "starter":
            files.append(FromLab(f"{tree}/tests/test_fumee.py", "starter/tests/test_fumee.py"))
    files.append(FromLab("grader/tests/test_fumee.py", "starter/tests/test_fumee.py"))
    for example, own in C1_OWN.items():
        files += [FromLab(f"examples/{example}/{name}", f"solution/{name}") for name in SOLUTION_FILES
                  if name not in own]
    return files


def derivations() -> dict:
    return {LAB: _c1}
