"""Build and start a learner's Compose stack on the real engine, probe it, read its images, tear it down.

`run_stack(workspace, tests, scratch, log, hidden)` returns a `StackReport`; it never raises for the learner's
mistakes (they are steps that failed, with the reason), only the engine's absence is reported as
`unavailable` (the caller makes the checks *not assessed*). The stack runs under the grader's own
constraints, added by an override file: every build with `network: none`, every network
`internal` (no way out, ports are not published), unique container names. A file asking for what
would reach the host is not started at all (`compose_rules.refusals`).

Steps: `.env` from `.env.example` when the submission has none (the README's first command), the
base images made available (`offline_images`), `compose up -d --build`, every container running
and healthy, the app answering `/` and a catalogue search over HTTP (from the grader, on its
container address), the lab's visible tests (the grader's copy) and its hidden environment tests run
inside the app container (the hidden ones' output is never shown), the
built images' history and configuration kept for the hardening check, then `down -v --rmi local`.
"""

from __future__ import annotations

import base64
import io
import json
import re
import shutil
import subprocess
import tarfile
import tempfile
import time
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from graders.containers.compose_rules import ComposeFile, load_compose, refusals, role
from graders.security.containers import parse

BUILD_TIMEOUT_S = 300
PIDS_LIMIT = 256          # every container: a fork bomb stays inside its own
DEFAULT_MEMORY = "1g"     # a service without a memory limit of its own gets this one
OUTPUT_KEPT = 8192
MISSING_BASE = re.compile(r"(?i)no such image|pull access denied|manifest unknown|not found: manifest|repository does not exist")        # bytes of compose's output read back (a build may print gigabytes)
READY_TIMEOUT_S = 120
APP_PORT = 8000
PROBE = ("/catalogue?q=Petit", "Le Petit Prince")  # a search that needs PostgreSQL (and the Redis cache)


@dataclass
class Step:
    ok: bool
    detail: str = ""


@dataclass
class StackReport:
    unavailable: str | None = None             # no engine / no compose: the checks are not assessed
    refused: list[str] = field(default_factory=list)
    steps: dict[str, Step] = field(default_factory=dict)
    images: dict[str, dict] = field(default_factory=dict)  # service -> {"history": [...], "config": {...}, "env_file": bool}
    durations: dict[str, float] = field(default_factory=dict)


def compose_command() -> list[str] | None:
    """`docker compose` (v2 plugin) when it works, else `docker-compose` (v1), else None."""
    if shutil.which("docker") and subprocess.run(["docker", "compose", "version"], capture_output=True).returncode == 0:
        return ["docker", "compose"]
    return ["docker-compose"] if shutil.which("docker-compose") else None


def base_images(compose: ComposeFile, root: Path) -> list[str]:
    """Images the stack needs from outside: `image:` of unbuilt services and the Dockerfiles' FROM."""
    names = []
    for service in compose.services.values():
        build = service.get("build")
        if build is None:
            if service.get("image"):
                names.append(str(service["image"]))
            continue
        context = build if isinstance(build, str) else build.get("context", ".")
        dockerfile = "Dockerfile" if isinstance(build, str) else build.get("dockerfile", "Dockerfile")
        path = root / str(context) / str(dockerfile)
        if path.is_file():
            _, stages = parse(path.read_text(encoding="utf-8", errors="replace"))
            aliases = {s.alias for s in stages if s.alias}
            names += [s.image for s in stages if s.image not in aliases and s.image.lower() != "scratch"]
    return list(dict.fromkeys(names))


def override(compose: ComposeFile, project: str) -> dict:
    services = {}
    for name, service in compose.services.items():
        own: dict = {"pids_limit": PIDS_LIMIT}
        limits = ((service.get("deploy") or {}).get("resources") or {}).get("limits") or {}
        if not (service.get("mem_limit") or limits.get("memory")):
            own["mem_limit"] = DEFAULT_MEMORY
        if service.get("build") is not None:
            own["build"] = {"network": "none"}
        if service.get("container_name"):
            own["container_name"] = f"{project}-{name}"
        services[name] = own
    networks = {"default": {"internal": True}}
    for name in (compose.data.get("networks") or {}) if isinstance(compose.data.get("networks"), dict) else {}:
        networks[name] = {"internal": True}
    return {"services": services, "networks": networks}


def tail(text: str, lines: int = 8) -> str:
    return "\n".join(text.strip().splitlines()[-lines:])[-1500:]


class Stack:
    def __init__(self, workspace: Path, command: list[str], url: str, client, scratch: Path):
        self.workspace, self.url, self.client = workspace, url, client
        self.project = f"cda-c1-{uuid.uuid4().hex[:10]}"
        compose = load_compose(workspace)
        extra = scratch / "cda-override.yaml"  # outside the build context; paths stay relative to the first file
        extra.write_text(yaml.safe_dump(override(compose, self.project)), encoding="utf-8")
        self.command = [*command, "-p", self.project, "-f", str(workspace / compose.rel), "-f", str(extra)]

    def compose(self, *args: str, timeout: float = BUILD_TIMEOUT_S) -> subprocess.CompletedProcess:
        env = {"DOCKER_HOST": self.url, "PATH": "/usr/local/bin:/usr/bin:/bin", "COMPOSE_DOCKER_CLI_BUILD": "0",
               "DOCKER_BUILDKIT": "0", "HOME": str(self.workspace)}
        with tempfile.TemporaryFile() as output:  # a file, not a pipe: a flood costs disk, not memory
            try:
                code = subprocess.run([*self.command, *args], cwd=self.workspace, env=env, stdout=output,
                                      stderr=subprocess.STDOUT, timeout=timeout).returncode
            except subprocess.TimeoutExpired:
                code = 124
            size = output.seek(0, 2)
            output.seek(max(0, size - OUTPUT_KEPT))
            text = output.read().decode("utf-8", errors="replace")
        if code == 124:
            text += f"\ntimed out after {timeout:.0f} s"
        return subprocess.CompletedProcess(args, code, text, "")

    def containers(self) -> dict[str, object]:
        found = self.client.containers.list(all=True, filters={"label": f"com.docker.compose.project={self.project}"})
        return {c.labels.get("com.docker.compose.service", c.name): c for c in found}

    def wait_ready(self) -> Step:
        deadline = time.monotonic() + READY_TIMEOUT_S
        while True:
            waiting, broken = [], []
            for name, container in self.containers().items():
                container.reload()
                state = container.attrs["State"]
                health = (state.get("Health") or {}).get("Status")
                if state["Status"] in ("exited", "dead") or health == "unhealthy":
                    broken.append(f"{name}: {health or state['Status']} ({tail(container.logs(tail=5).decode(errors='replace'), 3)})")
                elif state["Status"] != "running" or health == "starting":
                    waiting.append(name)
            if broken:
                return Step(False, "; ".join(broken))
            if not waiting:
                return Step(True)
            if time.monotonic() > deadline:
                return Step(False, f"not ready after {READY_TIMEOUT_S} s: {', '.join(waiting)}")
            time.sleep(1)

    def app_container(self):
        compose = load_compose(self.workspace)
        built = [name for name, service in compose.services.items() if role(service) == "built"]
        return self.containers().get(built[0]) if built else None

    def answers(self) -> Step:
        app = self.app_container()
        if app is None:
            return Step(False, "no service is built from the submission (build:)")
        app.reload()
        addresses = [n.get("IPAddress") for n in app.attrs["NetworkSettings"]["Networks"].values() if n.get("IPAddress")]
        if not addresses:
            return Step(False, "the application has no network address")
        path, expected = PROBE
        last = ""
        for address in addresses:
            for attempt in range(10):
                try:
                    with urllib.request.urlopen(f"http://{address}:{APP_PORT}{path}", timeout=5) as response:
                        body = response.read(200_000).decode("utf-8", errors="replace")
                    if expected in body:
                        return Step(True)
                    return Step(False, f"{path} answered without the expected document")
                except Exception as exc:  # refused while starting, timeout, HTTP error
                    last = f"{type(exc).__name__}: {exc}"[:200]
                    time.sleep(1)
        return Step(False, f"no answer on port {APP_PORT}: {last}")

    def run_tests(self, tests: Path, hidden: bool = False) -> Step:
        app = self.app_container()
        if app is None:
            return Step(False, "no application container")
        buffer = io.BytesIO()
        with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
            for path in sorted(tests.glob("*.py")):
                tar.add(path, arcname=path.name)
        payload = base64.b64encode(buffer.getvalue()).decode()
        script = ("import base64, io, sys, tarfile, tempfile\n"
                  "folder = tempfile.mkdtemp(prefix='cda-tests-')\n"
                  f"tarfile.open(fileobj=io.BytesIO(base64.b64decode('{payload}'))).extractall(folder)\n"
                  "import pytest\n"
                  "sys.exit(pytest.main(['-q', '-p', 'no:cacheprovider', '--rootdir', folder, folder]))\n")
        run = app.exec_run(["python", "-c", script], demux=True)
        out = b"".join(part or b"" for part in run.output).decode("utf-8", errors="replace")
        if hidden:  # their names and assertions are the lab's: nothing of the output is shown
            return Step(run.exit_code == 0, "" if run.exit_code == 0 else "hidden checks failed")
        return Step(run.exit_code == 0, "" if run.exit_code == 0 else tail(out, 6))

    def read_images(self) -> dict[str, dict]:
        compose = load_compose(self.workspace)
        found = {}
        for name, container in self.containers().items():
            if role(compose.services.get(name, {})) != "built":
                continue
            image = self.client.images.get(container.attrs["Image"])
            history = [layer.get("CreatedBy", "") for layer in image.history()]
            config = image.attrs.get("Config") or {}
            workdir = config.get("WorkingDir") or "/"
            env_file = False
            for folder in dict.fromkeys([workdir, "/app", "/"]):
                try:
                    container.get_archive(f"{folder.rstrip('/')}/.env")
                    env_file = True
                except Exception:  # docker.errors.NotFound: not in the image
                    pass
            found[name] = {"history": history, "config": config, "env_file": env_file}
        return found

    def down(self) -> None:
        self.compose("down", "-v", "--rmi", "local", "--remove-orphans", "-t", "2", timeout=120)
        for container in self.containers().values():
            container.remove(force=True, v=True)


def run_stack(workspace: Path, tests: Path, scratch: Path, log=None, hidden: Path | None = None) -> StackReport:
    import docker

    from graders.containers.offline_images import ImageError, ensure_images
    from graders.sandbox.docker_engine import docker_engine

    report = StackReport()
    stack_root = Path(scratch, "stack")  # our copy: the .env made below must not show in the other checks' copy
    shutil.copytree(workspace, stack_root, symlinks=True, dirs_exist_ok=True)
    workspace = stack_root
    compose = load_compose(workspace)
    if compose is None or not compose.services:
        report.steps["build"] = Step(False, "no compose.yaml with services at the root of the submission")
        return report
    report.refused = refusals(compose, workspace)
    if report.refused:
        return report
    command = compose_command()
    if command is None:
        report.unavailable = "Docker Compose not found (apt install docker-compose, or the docker compose plugin)"
        return report
    if not (workspace / ".env").exists() and (workspace / ".env.example").is_file():
        shutil.copyfile(workspace / ".env.example", workspace / ".env")  # the README's `cp .env.example .env`
    try:
        with docker_engine() as url:
            client = docker.DockerClient(base_url=url, timeout=300)
            try:
                started = time.monotonic()
                try:
                    ensure_images(client, base_images(compose, workspace), log=log)
                except ImageError as exc:
                    report.steps["build"] = Step(False, str(exc))
                    return report
                report.durations["images"] = round(time.monotonic() - started, 2)
                stack = Stack(workspace, command, url, client, scratch)
                try:
                    started = time.monotonic()
                    up = stack.compose("--compatibility", "up", "-d", "--build")
                    if up.returncode != 0 and MISSING_BASE.search(up.stdout):
                        # a base image replaced meanwhile by another checkout's build (another key)
                        ensure_images(client, base_images(compose, workspace), log=log)
                        up = stack.compose("--compatibility", "up", "-d", "--build")
                    report.durations["up"] = round(time.monotonic() - started, 2)
                    report.steps["build"] = Step(up.returncode == 0, "" if up.returncode == 0 else tail(up.stdout))
                    if up.returncode == 0:
                        started = time.monotonic()
                        report.steps["ready"] = stack.wait_ready()
                        report.durations["ready"] = round(time.monotonic() - started, 2)
                        if report.steps["ready"].ok:
                            report.steps["answers"] = stack.answers()
                            report.steps["tests"] = stack.run_tests(tests)
                            if hidden is not None:
                                report.steps["environment"] = stack.run_tests(hidden, hidden=True)
                    report.images = stack.read_images()
                finally:
                    started = time.monotonic()
                    stack.down()
                    report.durations["down"] = round(time.monotonic() - started, 2)
            finally:
                client.close()
    except RuntimeError as exc:  # no engine answers and none can be started here
        report.unavailable = f"no Docker engine: {exc}"
    return report


def report_json(report: StackReport) -> str:
    """For logs and the benchmark."""
    return json.dumps({"unavailable": report.unavailable, "refused": report.refused, "durations": report.durations,
                       "steps": {k: [s.ok, s.detail] for k, s in report.steps.items()}}, ensure_ascii=False)
