"""The grading service's Compose file (environments/service/compose.yaml): valid for `docker-compose`
(its schema), wired as docs/service.md says, and brought up on the project's own engine (no
registry, no network for builds) with the images built offline from this host's files
(`graders/service/offline_image.py`, `graders/containers/offline_images.py`)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
import uuid

import httpx
import pytest
import yaml

from graders.service.broker import free_port
from graders.service.harness import status, submit, wait_all
from tests.docker_fixtures import docker_host  # noqa: F401 (a fixture)
from tests.helpers import REPO
from tests.service_helpers import VARIANTS, expected_scores, hidden_texts, zip_of

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


# --- The stack itself, brought up on the project's own engine -------------------------------------

PROJECT_PREFIX = "cda-service-test-"
STACK_PLAN = [("learner-a", "pen-solution"), ("learner-a", "mini-solution"), ("learner-b", "mini-starter"),
              ("learner-b", "pen-solution"), ("learner-a", "pen-solution"), ("learner-b", "mini-solution")]


class ComposeStack:
    """`docker-compose` on environments/service/compose.yaml plus an override naming the offline images."""

    def __init__(self, url: str, override: dict, folder):
        self.project = PROJECT_PREFIX + uuid.uuid4().hex[:8]
        extra = folder / "override.yaml"
        extra.write_text(yaml.safe_dump(override), encoding="utf-8")
        self.command = ["docker-compose", "-p", self.project, "-f", str(FOLDER / "compose.yaml"), "-f", str(extra)]
        self.env = {**os.environ, **ENV, "DOCKER_HOST": url, "CDA_SERVICE_PORT": str(free_port()),
                    "COMPOSE_DOCKER_CLI_BUILD": "0", "DOCKER_BUILDKIT": "0"}

    def run(self, *args: str, timeout: float = 300) -> str:
        done = subprocess.run([*self.command, *args], cwd=FOLDER, env=self.env, capture_output=True, text=True,
                              timeout=timeout)
        assert done.returncode == 0, f"docker-compose {' '.join(args)}: {done.stderr[-1500:]}"
        return done.stdout

    def containers(self, client, service: str) -> list:
        return client.containers.list(filters={"label": [f"com.docker.compose.project={self.project}",
                                                          f"com.docker.compose.service={service}"]})


def api_url(client, stack: ComposeStack, timeout: float = 120) -> str:
    """The API's address on its network (the engine has no NAT: the host reaches containers directly)."""
    deadline = time.monotonic() + timeout
    last = ""
    while time.monotonic() < deadline:
        for container in stack.containers(client, "api"):
            for net in container.attrs["NetworkSettings"]["Networks"].values():
                url = f"http://{net['IPAddress']}:8000"
                try:
                    if net.get("IPAddress") and httpx.get(url + "/api/health", timeout=3).status_code == 200:
                        return url
                except httpx.HTTPError as exc:
                    last = str(exc)
        time.sleep(1)
    logs = "".join(c.logs(tail=20).decode(errors="replace") for c in stack.containers(client, "api"))
    raise AssertionError(f"the API did not answer within {timeout:.0f} s ({last}): {logs[-1500:]}")


@pytest.mark.slow
@pytest.mark.timeout(1200)
def test_the_compose_stack_comes_up_on_the_engine_and_grades(docker_host, tmp_path):  # noqa: F811 (fixture)
    """API, two workers, Redis and PostgreSQL from compose.yaml, on the engine, images built offline:
    submissions of two learners graded once each with `cda grade`'s scores, a worker container killed
    mid-run, another learner's id answered 404, no hidden-test text in any answer."""
    docker = pytest.importorskip("docker", reason="the docker Python SDK is part of the lock file")
    if shutil.which("docker-compose") is None:
        pytest.skip("docker-compose not installed (make install adds it)")
    from graders.containers.offline_images import ensure_images
    from graders.errors import GraderUnavailable
    from graders.service.offline_image import ensure_service_image

    client = docker.DockerClient(base_url=docker_host, timeout=600)
    try:
        ensure_images(client, ["redis:7", "postgres:15"])
        tag = ensure_service_image(client)
    except GraderUnavailable as exc:
        pytest.skip(f"the stack's images cannot be built here: {exc}")
    fast = {"CDA_LABS_DIR": "/opt/cda/tests/fixtures/labs", "CDA_SERVICE_LEASE_S": "6"}
    stack = ComposeStack(docker_host, {"services": {"api": {"image": tag, "environment": fast},
                                                    "worker": {"image": tag, "environment": fast}}}, tmp_path)
    expected = expected_scores(tmp_path, {variant for _, variant in STACK_PLAN})
    try:
        stack.run("up", "-d", "--no-build", timeout=600)
        url = api_url(client, stack)
        assert len(stack.containers(client, "worker")) == 2
        tokens = {who: stack.run("exec", "-T", "api", "cda", "token", "create", who).strip()
                  for who in ("learner-a", "learner-b")}
        teacher = stack.run("exec", "-T", "api", "cda", "token", "create", "formateur", "--instructor").strip()
        posted = []
        with httpx.Client() as http:
            for n, (who, variant) in enumerate(STACK_PLAN):
                lab, tree = VARIANTS[variant]
                answer = submit(http, url, tokens[who], lab, f"{variant}.zip", zip_of(tree, {"NOTE.txt": b"%d" % n}))
                assert answer.status_code == 202, answer.text
                posted.append((who, variant, answer.json()["id"]))
            stack.containers(client, "worker")[0].kill()  # restarted by the engine; its message comes back
            answers = wait_all(http, url, teacher, {ident for _, _, ident in posted}, timeout=600)
            for who, variant, ident in posted:
                assert answers[ident]["status"] == "graded", answers[ident]
                assert answers[ident]["result"]["score"] == expected[variant], (variant, answers[ident]["result"])
                mine = status(http, url, tokens[who], ident)
                assert mine["result"]["score"] == expected[variant]
                other = "learner-b" if who == "learner-a" else "learner-a"
                assert http.get(f"{url}/api/submissions/{ident}", timeout=30,
                                headers={"Authorization": f"Bearer {tokens[other]}"}).status_code == 404
            text = json.dumps(answers)
            assert not [line for line in hidden_texts() if line in text]
        graded = stack.run("exec", "-T", "postgres", "psql", "-U", "cda", "-d", "cda", "-tAc",
                           "select count(*) from submissions")
        assert int(graded.strip()) == len(STACK_PLAN)  # one gradebook row each: nothing doubled by the kill
    finally:
        subprocess.run([*stack.command, "down", "-v", "--remove-orphans", "-t", "5"], cwd=FOLDER, env=stack.env,
                       capture_output=True, timeout=300)
