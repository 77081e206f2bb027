"""Fixtures des tests cachés du lab C10 (déploiement) : le scénario de déploiement, joué une fois par processus.

Le correcteur fournit DATABASE_URL (base vide, propre à la soumission), REDIS_URL et les variables
PG*. Les versions 1.0, 1.1 et 1.2 sont construites ici depuis la médiathèque de référence
(releases/) ; les scripts de la soumission (deploy.sh, rollback.sh) sont lancés par bash.
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

HERE = Path(__file__).resolve().parent
RELEASES = HERE / "releases"
TABLES = ("members", "documents", "items", "loans", "reservations")
SCRIPT_TIMEOUT_S = 60
# Each release: its migrations beyond the reference's (0001-0005), and whether its application is broken.
VERSIONS = {"1.0": ((), False),
            "1.1": (("0006_courriels_et_recherche.sql",), False),
            "1.2": (("0006_courriels_et_recherche.sql", "0007_index_des_echeances.sql"), True)}
BROKEN_IMPORT = "\nfrom mediatheque import notifications  # livraison 1.2 défectueuse : module oublié\n"


@dataclass
class Step:
    name: str
    code: int | None
    output: str
    version: str | None = None
    answers: bool = False
    snapshot: dict = field(default_factory=dict)


def build_releases(root: Path) -> None:
    for version, (extra, broken) in VERSIONS.items():
        target = root / version
        shutil.copytree(RELEASES / "app", target / "app", ignore=shutil.ignore_patterns("__pycache__"))
        shutil.copytree(RELEASES / "migrations", target / "migrations")
        for name in extra:
            shutil.copyfile(RELEASES / "suite" / name, target / "migrations" / name)
        shutil.copyfile(RELEASES / "verifier.py", target / "verifier.py")
        (target / "VERSION").write_text(version + "\n", encoding="utf-8")
        if broken:
            with open(target / "app" / "mediatheque" / "__init__.py", "a", encoding="utf-8") as init:
                init.write(BROKEN_IMPORT)


def snapshot(url: str) -> dict:
    """{table: (rows, checksum of every row)}, on the columns of the reference schema at 1.0."""
    found = {}
    with psycopg.connect(url, autocommit=True) as conn:
        for table in TABLES:
            exists = conn.execute("SELECT to_regclass(%s) IS NOT NULL", (table,)).fetchone()[0]
            if not exists:
                found[table] = None
                continue
            row = conn.execute(sql.SQL("SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) "
                                       "FROM {} AS t").format(sql.Identifier(table))).fetchone()
            found[table] = tuple(row)
    return found


class Scenario:
    def __init__(self, submission: Path):
        self.submission = submission
        self.url = os.environ["DATABASE_URL"]
        self.work = Path(tempfile.mkdtemp(prefix="deploiement-"))
        self.releases = self.work / "livraisons"
        self.deploy_dir = self.work / "serveur"
        self.env = {**os.environ, "RELEASES_DIR": str(self.releases), "DEPLOY_DIR": str(self.deploy_dir),
                    "PYTHON": sys.executable, "SECRET_KEY": secrets.token_hex(16), "HOME": str(self.work)}
        self.steps: dict[str, Step] = {}

    def reset_database(self) -> None:
        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute("DROP SCHEMA IF EXISTS public CASCADE")
            conn.execute("CREATE SCHEMA public")

    def load_data(self) -> None:
        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute((RELEASES / "donnees.sql").read_text(encoding="utf-8"))

    def script(self, name: str, *args: str) -> tuple[int | None, str]:
        path = self.submission / name
        if not path.is_file():
            return None, f"{name} absent"
        try:
            run = subprocess.run(["bash", str(path), *args], cwd=self.submission, env=self.env, capture_output=True,
                                 text=True, timeout=SCRIPT_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            return None, f"{name} {' '.join(args)} : plus de {SCRIPT_TIMEOUT_S} s"
        return run.returncode, (run.stdout + run.stderr)[-2000:]

    def live(self) -> tuple[str | None, bool]:
        """The version `current` points to, and whether its application answers."""
        current = self.deploy_dir / "current"
        try:
            version = (current / "VERSION").read_text(encoding="utf-8").strip()
        except OSError:
            return None, False
        run = subprocess.run([sys.executable, "-I", str(RELEASES / "verifier.py"), str(current / "app")],
                             env=self.env, capture_output=True, text=True, timeout=SCRIPT_TIMEOUT_S)
        return version, run.returncode == 0

    def step(self, name: str, script: str, *args: str) -> Step:
        code, output = self.script(script, *args)
        version, answers = self.live()
        self.steps[name] = Step(name, code, output, version, answers, snapshot(self.url))
        return self.steps[name]

    def plan(self) -> list[tuple[str, str, tuple[str, ...]]]:
        return [("1.0", "deploy.sh", ("1.0",)), ("1.1", "deploy.sh", ("1.1",)), ("1.1-encore", "deploy.sh", ("1.1",)),
                ("1.2", "deploy.sh", ("1.2",)), ("retour", "rollback.sh", ())]

    def upto(self, name: str) -> Step:
        """Plays the scenario's steps in order up to `name` (each once): a test waits only for its own."""
        if not self.steps:
            self.reset_database()
            build_releases(self.releases)
        for step, script, args in self.plan():
            if step not in self.steps:
                self.step(step, script, *args)
                if step == "1.0":
                    if self.steps["1.0"].code == 0:
                        self.load_data()
                    self.before = snapshot(self.url)
            if step == name:
                return self.steps[name]
        raise KeyError(name)


@pytest.fixture(scope="session")
def scenario() -> Scenario:
    submission = Path(os.environ.get("CDA_SUBMISSION") or Path.cwd())
    return Scenario(submission)
