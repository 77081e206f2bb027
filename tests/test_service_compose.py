"""The grading service's Compose file (environments/service/compose.yaml): valid for `docker-compose`
(its schema), wired as docs/service.md says. Not brought up here: its image installs the platform
with apt and pip, which needs a network the project's engine (`--bridge none`) does not give builds."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest
import yaml

from tests.helpers import REPO

FOLDER = REPO / "environments" / "service"
ENV = {"CDA_POSTGRES_PASSWORD": "pg-secret", "CDA_REDIS_PASSWORD": "redis-secret"}


def config() -> dict:
    if shutil.which("docker-compose") is None:
        pytest.skip("docker-compose not installed (make install adds it)")
    done = subprocess.run(["docker-compose", "-f", "compose.yaml", "config"], cwd=FOLDER, capture_output=True,
                          text=True, env={**os.environ, **ENV}, timeout=60)
    assert done.returncode == 0, done.stderr
    return yaml.safe_load(done.stdout)


def test_compose_file_is_valid_and_wires_api_workers_redis_postgres():
    services = config()["services"]
    assert set(services) == {"api", "worker", "redis", "postgres"}
    api, worker = services["api"], services["worker"]
    assert api["environment"]["CDA_GRADEBOOK"] == "postgresql://cda:pg-secret@postgres:5432/cda"
    assert worker["environment"] == api["environment"]
    assert api["environment"]["CDA_BROKER_URL"] == "redis://:redis-secret@redis:6379/0"
    assert "cda serve" in " ".join(api["command"]) and "--workers 0" in " ".join(api["command"])
    assert "cda worker" in " ".join(worker["command"]) and worker["deploy"]["replicas"] == 2
    assert [p for name, s in services.items() for p in s.get("ports", []) if name != "api"] == []
    assert "--appendonly" in services["redis"]["command"]
    assert {"redis", "postgres"} <= set(api["depends_on"])


def test_compose_refuses_to_start_without_passwords():
    if shutil.which("docker-compose") is None:
        pytest.skip("docker-compose not installed (make install adds it)")
    env = {k: v for k, v in os.environ.items() if k not in ENV}
    done = subprocess.run(["docker-compose", "-f", "compose.yaml", "config", "-q"], cwd=FOLDER, capture_output=True,
                          text=True, env=env, timeout=60)
    assert done.returncode != 0 and "set CDA_POSTGRES_PASSWORD" in done.stderr


def test_dockerfile_installs_from_the_lock():
    text = (FOLDER / "Dockerfile").read_text()
    assert "--require-hashes -r requirements.lock" in text and "bubblewrap" in text
