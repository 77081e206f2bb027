"""Build the git histories (`historique.bundle`) of the lab's solution and examples, deterministically,
and copy into each example the solution's files that its mistake leaves alone (never edit those by hand).

A submission to this lab is a git repository; the lab's reference submissions are trees in the
platform's repository, so their histories are rebuilt from those trees by this script: fixed
authors, dates and messages give the same commit ids on every machine. Each scenario replays the
files of its tree through branches merged into `main` (with a review trailer and a CI result), and
may add intermediate versions of a file (the secret an old revision held).

    .venv/bin/python labs/c4-planifier-suivre/grader/historiques.py          # rewrite the bundles
    .venv/bin/python labs/c4-planifier-suivre/grader/historiques.py --check  # exit 1 when one differs
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import tempfile
from pathlib import Path

LAB = Path(__file__).resolve().parent.parent
LEARNER = ("Camille Durand", "camille.durand@example.org")
REVIEWER = ("Claire Martin", "claire.martin@mediatheque.example")
START = dt.datetime(2027, 1, 4, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=1)))
SECRET_CONFIG = '''"""Accès à l'outil de suivi des tickets."""

URL_SUIVI = "https://suivi.mediatheque.example/api/v4"
JETON_SUIVI = "glpat-Zk9vQ2mX7tR4pL8wN3yB"
MOT_DE_PASSE_BASE = "Mdp-Prod-2027!kq7ZxW4"
'''
CLEAN_CONFIG = '''"""Accès à l'outil de suivi des tickets : le jeton vient de l'environnement, jamais du dépôt."""

import os

URL_SUIVI = "https://suivi.mediatheque.example/api/v4"
JETON_SUIVI = os.environ.get("JETON_SUIVI", "")
'''

# One scenario: (branch, [(message, files of the tree, {path: intermediate content, or None to delete})]);
# the branches are merged in order.
SOLUTION = [
    ("docs/planning", [("docs(plan): planning initial en diagramme de Gantt", ["plan/planning.mmd"], {}),
                       ("docs(plan): chemin critique et marge", ["plan/chemin-critique.toml"], {})]),
    ("feat/burndown", [("feat(outils): burndown depuis l'export des tickets", ["outils/__init__.py", "outils/burndown.py"], {}),
                       ("test(outils): burndown, week-ends et fermetures", ["tests/test_burndown.py"], {})]),
    ("docs/suivi", [("docs(suivi): point d'avancement du 22 janvier", ["suivi/avancement.toml", "suivi/rapport.md"], {}),
                    ("docs(suivi): replanification à partir du 25 janvier", ["suivi/replanification.toml"], {})]),
]
WITH_SECRET = [
    SOLUTION[0],
    ("feat/burndown", [("feat(outils): burndown depuis l'export des tickets", ["outils/__init__.py", "outils/burndown.py"], {}),
                       ("feat(outils): lecture des tickets par l'API de l'outil de suivi", [],
                        {"outils/config.py": SECRET_CONFIG}),
                       ("test(outils): burndown, week-ends et fermetures", ["tests/test_burndown.py"], {}),
                       ("fix(outils): le jeton de l'outil de suivi vient de l'environnement", ["outils/config.py"], {})]),
    SOLUTION[2],
]
SLOPPY = [
    ("planning", [("planning", ["plan/planning.mmd"], {}), ("chemin critique", ["plan/chemin-critique.toml"], {})]),
    ("burndown", [("ajout du burndown", ["outils/__init__.py", "outils/burndown.py"], {}),
                  ("tests", ["tests/test_burndown.py"], {})]),
    ("suivi", [("WIP suivi", ["suivi/avancement.toml", "suivi/rapport.md"], {}),
               ("Mise à jour", ["suivi/replanification.toml"], {})]),
]
SCENARIOS = {
    "solution": SOLUTION,
    "examples/dependance-non-respectee": SOLUTION,
    "examples/retard-non-signale": SOLUTION,
    "examples/secret-dans-l-historique": WITH_SECRET,
    "examples/commits-non-conventionnels": SLOPPY,
}


# What each example writes itself (its mistake); every other file of the solution is copied into it.
OWN = {
    "examples/dependance-non-respectee": {"plan/planning.mmd"},
    "examples/retard-non-signale": {"suivi/avancement.toml", "suivi/rapport.md"},
    "examples/secret-dans-l-historique": {"outils/config.py"},
    "examples/commits-non-conventionnels": set(),
}
NOT_COPIED = {"historique.bundle", "README.md"}


def shared_files() -> list[str]:
    solution = LAB / "solution"
    return sorted(str(p.relative_to(solution)) for p in solution.rglob("*")
                  if p.is_file() and "__pycache__" not in p.parts and p.name not in NOT_COPIED)


def stale_copies(name: str, write: bool) -> list[str]:
    """The solution's files that differ in example `name` (rewritten when `write`)."""
    stale = []
    for rel in shared_files():
        if rel in OWN[name]:
            continue
        source, target = LAB / "solution" / rel, LAB / name / rel
        if not target.is_file() or target.read_bytes() != source.read_bytes():
            stale.append(f"{name}/{rel}")
            if write:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(source.read_bytes())
    return stale


FROM_TREE = object()


class Clock:
    def __init__(self):
        self.now = START

    def tick(self) -> str:
        self.now += dt.timedelta(hours=3)
        return self.now.isoformat()


def git(repo: Path, *args: str, who=LEARNER, when: str | None = None) -> str:
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(repo), "GIT_CONFIG_NOSYSTEM": "1",
           "GIT_CONFIG_GLOBAL": "/dev/null", "GIT_AUTHOR_NAME": who[0], "GIT_AUTHOR_EMAIL": who[1],
           "GIT_COMMITTER_NAME": who[0], "GIT_COMMITTER_EMAIL": who[1], "LANG": "C.UTF-8"}
    if when:
        env.update(GIT_AUTHOR_DATE=when, GIT_COMMITTER_DATE=when)
    return subprocess.run(["git", "-c", "commit.gpgsign=false", "-c", "core.autocrlf=false", *args], cwd=repo,
                          env=env, check=True, capture_output=True, text=True).stdout


def build(tree: Path, scenario, bundle: Path) -> None:
    clock = Clock()
    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(tmp)
        git(repo, "init", "-q", "-b", "main")
        (repo / ".cda-lab").write_bytes((tree / ".cda-lab").read_bytes())
        git(repo, "add", ".cda-lab")
        git(repo, "commit", "-q", "-m", "chore: initialise le dépôt du projet", when=clock.tick())
        for branch, commits in scenario:
            git(repo, "switch", "-q", "-c", branch)
            for message, files, versions in commits:
                for rel, text in list(versions.items()) + [(f, FROM_TREE) for f in files]:
                    if text is None:
                        git(repo, "rm", "-q", rel)
                        continue
                    target = repo / rel
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes((tree / rel).read_bytes() if text is FROM_TREE else text.encode("utf-8"))
                    git(repo, "add", rel)
                git(repo, "commit", "-q", "-m", message, when=clock.tick())
            git(repo, "switch", "-q", "main")
            git(repo, "merge", "-q", "--no-ff", branch, "-m",
                f"Merge branch '{branch}'\n\nReviewed-by: {REVIEWER[0]} <{REVIEWER[1]}>\nCI: success",
                who=REVIEWER, when=clock.tick())
        git(repo, "bundle", "create", "-q", str(bundle), "--all")


def heads(bundle: Path) -> str:
    return subprocess.run(["git", "bundle", "list-heads", str(bundle)], check=True, capture_output=True,
                          text=True).stdout


def main(argv: list[str]) -> int:
    check, stale = "--check" in argv, []
    for name in OWN:
        copied = stale_copies(name, write=not check)
        stale += copied if check else []
    for name, scenario in SCENARIOS.items():
        tree = LAB / name
        target = tree / "historique.bundle"
        if check:
            with tempfile.TemporaryDirectory() as tmp:
                fresh = Path(tmp) / "h.bundle"
                build(tree, scenario, fresh)
                if not target.is_file() or heads(fresh) != heads(target):
                    stale.append(f"{name}/historique.bundle")
        else:
            build(tree, scenario, target)
    for name in stale:
        print(f"{name} differs from what {Path(__file__).name} writes: run it", file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
