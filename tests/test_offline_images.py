"""The offline base images (python:3.11-slim, postgres:15, redis:7) built from the host's files.

The engine tests build the images once (cached by content key on the engine) and run each as a
learner's Compose file would: offline pip installs that are already satisfied, a PostgreSQL
initialised from POSTGRES_* and /docker-entrypoint-initdb.d running as `postgres`, a Redis that
answers. They skip, saying why, where no engine can be had.
"""

from __future__ import annotations

import threading
import time

import pytest

from graders.containers import image_specs, offline_images
from tests.docker_fixtures import docker_host  # noqa: F401 (fixture)

PREFIX = "c1-offline-test"


def test_aliases_resolve_to_their_spec():
    assert image_specs.spec_for("docker.io/library/postgres:15").name == "postgres:15"
    assert image_specs.spec_for("python:3.11-slim-bookworm").name == "python:3.11-slim"
    assert image_specs.spec_for("postgres:16-alpine") is None


def test_closure_follows_dependencies_but_not_maintainer_tools():
    closure = {p.split("=")[0] for p in image_specs.package_closure(image_specs.SPECS["postgres:15"])}
    assert {"postgresql-15", "libpq5", "libc6", "dash"} <= closure
    assert not closure & {"perl", "postgresql-common", "libllvm14", "debconf"}


def test_unknown_image_is_a_one_line_error(capsys):
    assert offline_images.main(["mysql:8"]) == 2
    assert capsys.readouterr().err.startswith("error: no offline build for mysql:8")


def test_concurrent_callers_wait_for_one_another(monkeypatch):
    active, overlap = [], []

    def slow(client, name, log=None):
        active.append(name)
        overlap.append(len(active))
        time.sleep(0.2)
        active.remove(name)
        return "sha256:x"

    monkeypatch.setattr(offline_images, "ensure_one", slow)
    threads = [threading.Thread(target=offline_images.ensure_images, args=(None, ["redis:7"])) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert overlap == [1, 1, 1]


@pytest.fixture(scope="module")
def client(docker_host):  # noqa: F811
    import docker

    monkey = pytest.MonkeyPatch()
    monkey.setenv("CDA_BASE_IMAGES", "auto")
    client = docker.DockerClient(base_url=docker_host, timeout=300)
    try:
        ids = offline_images.ensure_images(client, list(image_specs.SPECS))
    except offline_images.ImageError as exc:
        pytest.skip(f"no offline base images here: {exc}")
    client.built_ids = ids
    yield client
    for container in client.containers.list(all=True, filters={"name": PREFIX}):
        container.remove(force=True)
    monkey.undo()
    client.close()


def run(client, image, command, **options):
    return client.containers.run(image, command, network_mode="none", remove=True, **options).decode()


def test_cached_images_are_reused_with_their_usual_tags(client):
    start = time.monotonic()
    again = offline_images.ensure_images(client, ["python:3.11-slim", "postgres:15", "redis:7", "python:3.11"])
    assert time.monotonic() - start < 10
    assert again["postgres:15"] == client.built_ids["postgres:15"]
    assert again["python:3.11"] == again["python:3.11-slim"]
    assert client.images.get("redis:7").labels[offline_images.KEY_LABEL]


def test_python_image_satisfies_pinned_requirements_offline(client):
    from importlib.metadata import version

    pins = f"flask=={version('flask')} psycopg[binary]=={version('psycopg')} redis=={version('redis')}"
    out = run(client, "python:3.11-slim",
              ["sh", "-c", f"pip install --no-cache-dir {pins} && useradd --create-home app && "
                           "python -c 'import flask, psycopg, redis; print(\"imports ok\")' && id -u app"])
    assert "imports ok" in out and out.strip().endswith("1000")


def test_postgres_image_initialises_as_postgres_and_runs_init_scripts(client, tmp_path):
    init = tmp_path / "init"
    init.mkdir()
    (init / "01.sql").write_text("CREATE TABLE adherents (id serial PRIMARY KEY);\n")
    container = client.containers.run(
        "postgres:15", name=f"{PREFIX}-pg", detach=True, network_mode="none",
        environment={"POSTGRES_PASSWORD": "s3cret", "POSTGRES_USER": "med", "POSTGRES_DB": "mediatheque"},
        volumes={str(init): {"bind": "/docker-entrypoint-initdb.d", "mode": "ro"}})
    try:
        deadline = time.monotonic() + 60
        while container.exec_run("pg_isready -h 127.0.0.1 -U med").exit_code != 0:
            assert time.monotonic() < deadline, container.logs().decode()[-2000:]
            time.sleep(0.5)
        query = container.exec_run(["psql", "-h", "127.0.0.1", "-U", "med", "-d", "mediatheque", "-tAc",
                                    "SELECT current_user || ' ' || to_regclass('adherents')::text"],
                                   environment={"PGPASSWORD": "s3cret"})
        assert query.output.decode().strip() == "med adherents"
        wrong = container.exec_run(["psql", "-h", "127.0.0.1", "-U", "med", "-d", "mediatheque", "-c", "SELECT 1"],
                                   environment={"PGPASSWORD": "wrong"})
        assert wrong.exit_code != 0  # password authentication over TCP, as in the official image
        assert container.exec_run("id -un").output.decode().strip() == "postgres"
    finally:
        container.remove(force=True, v=True)


def test_postgres_image_refuses_to_start_without_password(client):
    import docker

    with pytest.raises(docker.errors.ContainerError) as failure:
        run(client, "postgres:15", None)
    assert b"superuser password is not specified" in failure.value.stderr


def test_redis_image_answers_as_redis(client):
    container = client.containers.run("redis:7", name=f"{PREFIX}-redis", detach=True, network_mode="none")
    try:
        deadline = time.monotonic() + 20
        while (answer := container.exec_run("redis-cli ping").output.decode().strip()) != "PONG":
            assert time.monotonic() < deadline, answer
            time.sleep(0.3)
        assert container.exec_run("id -u").output.decode().strip() == "999"
    finally:
        container.remove(force=True, v=True)
