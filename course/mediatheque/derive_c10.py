"""The deployment lab's derived files (`c10-deploiement`), read by derive.py.

The lab deploys the whole reference application: each tree (starter, solution, examples) holds it
as it is, with the reference migrations, since the production image is built from them; the hidden
tests' releases (1.0, 1.1, 1.2) are built from one more copy, with the demo data set. The files the
lab gives (the verification script, the OSV snapshot, the base image's inventory) are the
starter's; each example is the solution but for its own mistake (`C10_OWN`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from course.mediatheque.derive_specs import APP, LABS, REFERENCE, FromLab, FromReference

LAB_ID = "c10-deploiement"
STAGE = "0005"  # the reference migrations release 1.0 ships; the lab's 1.1 and 1.2 add their own from 0006 on
C10_TREES = ("starter", "solution", "examples/retour-arriere-inoperant", "examples/migrations-rejouees",
             "examples/image-root", "examples/runbook-sans-retour-arriere")
C10_OWN = {
    "retour-arriere-inoperant": ("rollback.sh",),
    "migrations-rejouees": ("deploy.sh",),
    "image-root": ("Dockerfile",),
    "runbook-sans-retour-arriere": ("DEPLOIEMENT.md",),
}
RELEASES = "grader/deploiement/releases"


@dataclass(frozen=True)
class ReferenceFile:
    """A file of the reference (path relative to course/mediatheque: a migration, a data set), copied."""

    target: str
    source: str

    def render(self, lab: Path) -> str:
        return (REFERENCE / self.source).read_text(encoding="utf-8")


def _c10() -> list:
    lab = LABS / LAB_ID
    sources = sorted(path.relative_to(APP).as_posix() for path in APP.rglob("*")
                     if path.is_file() and "__pycache__" not in path.parts)
    migrations = sorted(path.name for path in (REFERENCE / "migrations").glob("*.sql") if path.name[:4] <= STAGE)
    files: list = []
    for tree in (*C10_TREES, RELEASES):
        files += [FromReference(f"{tree}/app/mediatheque/{name}", name) for name in sources]
        files += [ReferenceFile(f"{tree}/migrations/{name}", f"migrations/{name}") for name in migrations]
    given = ["verifier.py", "veille/image-de-base.txt",
             *sorted(p.relative_to(lab / "starter").as_posix() for p in (lab / "starter" / "veille" / "osv").glob("*.json"))]
    solution = [rel for rel in (p.relative_to(lab / "solution").as_posix() for p in sorted((lab / "solution").rglob("*"))
                                if p.is_file())
                if not rel.startswith(("app/", "migrations/")) and rel not in given]
    for tree in C10_TREES[1:]:
        files += [FromLab(f"{tree}/{name}", f"starter/{name}") for name in given]
    for example, own in C10_OWN.items():
        files += [FromLab(f"examples/{example}/{name}", f"solution/{name}") for name in solution if name not in own]
    files.append(FromLab(f"{RELEASES}/verifier.py", "starter/verifier.py"))
    files.append(ReferenceFile(f"{RELEASES}/donnees.sql", "donnees/jeu_de_demo.sql"))
    return files


def derivations() -> dict:
    return {LAB_ID: _c10}
