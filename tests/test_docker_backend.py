"""The docker backend's contract, checked without an engine.

The container parameters go through the docker SDK's own argument builder (offline), so a typo in
a limit would fail here; the run and spawn flows use a recording fake client. With an engine, the
behaviour itself (network, read-only root, limits) is tested in tests/test_sandbox.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from graders.sandbox.base import Mount, RunLimits
from graders.sandbox.bubblewrap import SEED, python_dirs
from graders.sandbox.docker_backend import LABEL, SANDBOX_UID, DockerSandbox, container_config

docker_sdk = pytest.importorskip("docker", reason="the docker Python SDK is part of the lock file")

LIMITS = RunLimits(wall_s=7, memory_mb=300, cpu_s=11, processes=33, file_size_mb=5, output_kb=1, disk_mb=40)
MOUNTS = [Mount(Path("/host/submission"), "/workspace", private=True),
          Mount(Path("/host/grader-tests"), "/cda/tests"),
          Mount(Path("/host/out"), "/out", writable=True)]


@pytest.fixture
def mounts(tmp_path):
    for name in ("submission", "tests", "out"):
        (tmp_path / name).mkdir()
    return [Mount(tmp_path / "submission", "/workspace", private=True), Mount(tmp_path / "tests", "/cda/tests"),
            Mount(tmp_path / "out", "/out", writable=True)]


def sdk_arguments(config: dict) -> dict:
    """What the SDK would send to the engine for these `containers.create` arguments."""
    from docker.models.containers import _create_container_args

    args = dict(config)
    args.pop("detach")  # consumed by the SDK's run(), passed through by create()
    args["version"] = "1.43"
    return _create_container_args(args)


def test_container_config_carries_every_guarantee():
    config = container_config(["python", "-I", "x.py"], MOUNTS, "/workspace", LIMITS, {"A": "1"}, stdin=True)
    created = sdk_arguments(config)
    host = created["host_config"]
    assert host["NetworkMode"] == "none" and host["Init"] is True
    assert host["ReadonlyRootfs"] is True
    assert created["user"] == f"{SANDBOX_UID}:{SANDBOX_UID}" and SANDBOX_UID != 0
    assert host["CapDrop"] == ["ALL"] and host["SecurityOpt"] == ["no-new-privileges"]
    assert host["Memory"] == host["MemorySwap"] == (300 + 2 * 40) << 20  # + the two tmpfs
    assert host["PidsLimit"] == 33 and host["NanoCpus"] == 2_000_000_000
    ulimits = {u["Name"]: u["Hard"] for u in host["Ulimits"]}
    assert ulimits == {"fsize": 5 << 20, "cpu": 11, "nproc": 33}
    assert host["Tmpfs"]["/workspace"].startswith("rw,size=40m") and host["Tmpfs"]["/tmp"].startswith("rw,size=40m")
    binds = set(host["Binds"])
    assert "/host/grader-tests:/cda/tests:ro" in binds  # hidden tests: read-only
    assert f"/host/submission:{SEED}/workspace:ro" in binds  # seed of the private, size-capped copy
    assert "/host/out:/out:rw" in binds
    assert created["labels"] == {LABEL: str(SANDBOX_UID)} and created["stdin_open"] is True
    # the command's stdin closes when the grader closes its end (else a reader waits for the wall clock)
    from docker.types import ContainerConfig

    engine_config = ContainerConfig("1.41", config["image"], config["command"], detach=config["detach"],
                                    stdin_open=config["stdin_open"])
    assert engine_config["StdinOnce"] is True
    assert created["command"][-3:] == ["python", "-I", "x.py"] and created["environment"]["A"] == "1"
    assert created["environment"]["HOME"] == "/tmp" and created["command"][:2] == ["prlimit", "--as=314572800"]


class FakeSocket:
    def __init__(self):
        self.sent, self.closed = b"", False

    def sendall(self, data):
        self.sent += data

    def shutdown(self, how):
        self.shut = how

    def close(self):
        self.closed = True


class FakeContainer:
    def __init__(self, config, wait_raises=False, stdout=b"out", stderr=b""):
        self.config, self.wait_raises = config, wait_raises
        self.stdout, self.stderr = stdout, stderr
        self.events: list[str] = []
        self.socket = FakeSocket()
        self.attrs = {"State": {"Running": True, "ExitCode": None}}

    def attach_socket(self, params):
        self.events.append("attach")
        return self.socket

    def start(self):
        self.events.append("start")

    def wait(self, timeout):
        self.events.append(f"wait:{timeout}")
        if self.wait_raises:
            raise TimeoutError("read timed out")
        return {"StatusCode": 0}

    def kill(self):
        self.events.append("kill")
        self.attrs["State"] = {"Running": False, "ExitCode": 137}

    def stop(self, timeout):
        self.events.append("stop")
        self.attrs["State"] = {"Running": False, "ExitCode": 143}

    def reload(self):
        pass

    def logs(self, stdout, stderr):
        return self.stdout if stdout else self.stderr

    def remove(self, force):
        self.events.append(f"remove:{force}")


class FakeClient:
    def __init__(self, **container_options):
        self.options = container_options
        self.created: list[FakeContainer] = []
        self.containers = self

    def create(self, **config):
        container = FakeContainer(config, **self.options)
        self.created.append(container)
        return container


def test_input_goes_to_stdin_never_into_a_file(mounts):
    client = FakeClient()
    result = DockerSandbox(client, image="cda-grader:test").run(["cat"], mounts=mounts, limits=LIMITS, input=b"secret-key\n")
    container = client.created[0]
    assert container.socket.sent == b"secret-key\n" and container.socket.closed
    assert container.events[:2] == ["attach", "start"]  # attached before it starts: no byte is lost
    assert not any("secret" in str(v) for v in container.config["volumes"].values())
    interpreters = {d for d in python_dirs() if d.startswith("/tmp/")}  # bound when a checkout lives in /tmp
    assert set(container.config["volumes"]) == {str(m.source) for m in mounts} | interpreters  # no file for the input
    assert container.events[-1] == "remove:True"
    assert result.returncode == 0 and result.stdout == "out" and not result.timed_out


def test_wall_clock_kills_and_removes_the_container(mounts):
    client = FakeClient(wait_raises=True)
    result = DockerSandbox(client, image="cda-grader:test").run(["sleep", "1000"], mounts=mounts, limits=LIMITS)
    events = client.created[0].events
    assert "wait:7" in events and events[-2:] == ["kill", "remove:True"]
    assert result.timed_out and result.limit_hit == "timeout" and result.returncode is None


def test_output_is_capped(mounts):
    client = FakeClient(stdout=b"A" * 5000)
    result = DockerSandbox(client, image="cda-grader:test").run(["yes"], mounts=mounts, limits=LIMITS)
    assert len(result.stdout) == 1024 and result.output_truncated


def test_spawned_container_is_stopped_and_removed(mounts):
    client = FakeClient()
    process = DockerSandbox(client, image="cda-grader:test").spawn(["python", "app.py"], mounts=mounts, limits=LIMITS)
    assert process.poll() is None
    result = process.stop()
    events = client.created[0].events
    assert events == ["start", "stop", "remove:True"]
    assert result.returncode == 143 and process.stop() is result  # safe to call twice


def test_spawned_container_is_killed_on_its_wall_clock(mounts):
    client = FakeClient()
    process = DockerSandbox(client, image="cda-grader:test").spawn(["python", "app.py"], mounts=mounts, limits=LIMITS)
    process._expire()  # what the timer does at limits.wall_s
    assert process.timed_out and process.poll() == 137
    assert process.stop().timed_out
    assert client.created[0].events[-1] == "remove:True"


def test_private_engine_changes_nothing_of_the_host_network(tmp_path):
    from graders.sandbox.docker_engine import PrivateEngine

    command = PrivateEngine(tmp_path).command()
    assert command[:3] == ["dockerd", "--host", f"unix://{tmp_path.resolve()}/docker.sock"]
    assert {"--iptables=false", "--ip-masq=false"} <= set(command)
    assert command[command.index("--bridge") + 1] == "none"
    assert all(str(tmp_path.resolve()) in command[command.index(flag) + 1]
               for flag in ("--data-root", "--exec-root", "--pidfile"))


@pytest.mark.parametrize("by_hand", [False, True])
def test_last_user_stops_the_private_engine_unless_started_by_hand(tmp_path, monkeypatch, by_hand):
    from graders.sandbox import docker_engine

    stopped = []
    monkeypatch.setattr(docker_engine, "existing_engine", lambda: None)
    monkeypatch.setattr(docker_engine.PrivateEngine, "start", lambda self: self.url)
    monkeypatch.setattr(docker_engine.PrivateEngine, "stop", lambda self: stopped.append(self.root))
    if by_hand:
        (tmp_path / "kept").touch()
    with docker_engine.docker_engine(tmp_path) as url:
        with docker_engine.docker_engine(tmp_path) as same:  # a second user (another worker)
            assert same == url
        assert stopped == []  # one user left
    assert stopped == ([] if by_hand else [tmp_path.resolve()])


@pytest.mark.skipif(not Path("/var/lib/dpkg/status").is_file(), reason="the image is built from a Debian host")
def test_image_tag_follows_its_inputs(monkeypatch):
    from graders.sandbox import docker_image

    first = docker_image.image_tag()
    assert first == docker_image.image_tag() and first.startswith("cda-grader:")
    monkeypatch.setattr(docker_image, "venv_distributions", lambda: ["some_new_dist-1.0.dist-info"])
    assert docker_image.image_tag() != first
