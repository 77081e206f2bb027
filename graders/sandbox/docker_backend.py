"""Docker backend (docker SDK): network none, read-only root, non-root user, cgroup limits.

Same contract as bubblewrap: private size-capped copies for `Mount(private=True)`, input written to
the command's stdin (through the container's attach socket, never a file the run could read back),
capped output, the wall clock enforced from outside, and no container left behind (`remove(force)`
whatever happened). The container parameters are built in one place, `container_config`, which the
tests check without an engine.
"""

from __future__ import annotations

import os
import threading
import time

from graders.sandbox.base import Mount, RunLimits, RunResult, Sandbox, Spawned, WORKSPACE
from graders.sandbox.bubblewrap import SEED, chown_tree

IMAGE = os.environ.get("CDA_DOCKER_IMAGE", "cda-grader:latest")
SANDBOX_UID = 65534
SANDBOX_USER = f"{SANDBOX_UID}:{SANDBOX_UID}"
LABEL = "cda-grader"  # every container of ours carries it, so leftovers can be listed and removed


def container_config(argv: list[str], mounts: list[Mount], workdir: str, limits: RunLimits,
                     env: dict[str, str] | None, stdin: bool) -> dict:
    """Keyword arguments of `containers.create` for one sandboxed command."""
    volumes, tmpfs, seeds = {}, {"/tmp": f"rw,size={limits.disk_mb}m,mode=1777"}, []
    for m in mounts:
        if m.private:
            volumes[str(m.source)] = {"bind": SEED + m.target, "mode": "ro"}
            tmpfs[m.target] = f"rw,size={limits.disk_mb}m,mode=0777"
            seeds.append(m.target)
        else:
            volumes[str(m.source)] = {"bind": m.target, "mode": "rw" if m.writable else "ro"}
    script = "".join(f'cp -R "{SEED}{t}/." "{t}/" && ' for t in seeds) + 'exec "$@"'
    file_size = limits.file_size_mb << 20
    return dict(
        image=IMAGE, command=["/bin/sh", "-c", script, "sh", *argv], labels={LABEL: "1"},
        network_mode="none", read_only=True, user=SANDBOX_USER, working_dir=workdir,
        environment=dict(env or {}), volumes=volumes, tmpfs=tmpfs,
        mem_limit=f"{limits.memory_mb}m", memswap_limit=f"{limits.memory_mb}m", pids_limit=limits.processes,
        nano_cpus=1_000_000_000, cap_drop=["ALL"], security_opt=["no-new-privileges"], ipc_mode="private",
        ulimits=[{"Name": "fsize", "Soft": file_size, "Hard": file_size},
                 {"Name": "cpu", "Soft": limits.cpu_s, "Hard": limits.cpu_s},
                 {"Name": "nproc", "Soft": limits.processes, "Hard": limits.processes}],
        stdin_open=stdin, tty=False, detach=True,
    )


class DockerSandbox(Sandbox):
    name = "docker"

    def __init__(self, client=None) -> None:
        if client is None:
            import docker

            client = docker.from_env()
        self.client = client

    @classmethod
    def unavailable_reason(cls) -> str | None:
        try:
            import docker

            client = docker.from_env(timeout=3)
            client.ping()
            client.images.get(IMAGE)
        except ImportError:
            return "the docker Python SDK is not installed"
        except Exception as exc:  # the SDK raises many kinds; all mean "not usable here"
            reason = str(exc).splitlines()[0][:160] if str(exc) else type(exc).__name__
            return f"no Docker engine or image {IMAGE} answers ({reason})"
        return None

    def _create(self, argv, mounts, workdir, limits, env, stdin: bool):
        if os.geteuid() == 0:
            for mount in mounts:
                if mount.writable and not mount.private:
                    chown_tree(mount.source, SANDBOX_UID)
        return self.client.containers.create(**container_config(argv, mounts, workdir, limits, env, stdin))

    def run(self, argv, *, mounts: list[Mount], workdir=WORKSPACE, limits=RunLimits(), env=None,
            input=None) -> RunResult:
        start = time.monotonic()
        container = self._create(argv, mounts, workdir, limits, env, stdin=input is not None)
        timed_out = False
        try:
            if input is not None:
                socket = container.attach_socket(params={"stdin": 1, "stream": 1})
                container.start()
                raw = getattr(socket, "_sock", socket)
                raw.sendall(input)
                raw.close()
            else:
                container.start()
            try:
                returncode = container.wait(timeout=limits.wall_s)["StatusCode"]
            except Exception:  # the SDK's read timeout: the wall clock was reached
                timed_out = True
                container.kill()
                returncode = None
            stdout = container.logs(stdout=True, stderr=False)
            stderr = container.logs(stdout=False, stderr=True)
        finally:
            container.remove(force=True)
        return capped_result(returncode, stdout, stderr, time.monotonic() - start, timed_out, limits)

    def spawn(self, argv, *, mounts: list[Mount], workdir=WORKSPACE, limits=RunLimits(), env=None) -> "DockerProcess":
        container = self._create(argv, mounts, workdir, limits, env, stdin=False)
        try:
            container.start()
        except Exception:
            container.remove(force=True)
            raise
        return DockerProcess(container, limits)


def capped_result(returncode, stdout: bytes, stderr: bytes, duration: float, timed_out: bool,
                  limits: RunLimits) -> RunResult:
    cap = limits.output_kb * 1024
    return RunResult(returncode, stdout[:cap].decode("utf-8", "replace"), stderr[:cap].decode("utf-8", "replace"),
                     duration, timed_out, len(stdout) > cap or len(stderr) > cap)


class DockerProcess(Spawned):
    """A background container: killed on its wall clock, removed on `stop()`."""

    def __init__(self, container, limits: RunLimits):
        self.container, self.limits = container, limits
        self.start = time.monotonic()
        self.timed_out = False
        self.result: RunResult | None = None
        self.timer = threading.Timer(limits.wall_s, self._expire)
        self.timer.daemon = True
        self.timer.start()

    def _expire(self) -> None:
        if self.poll() is None:
            self.timed_out = True
            try:
                self.container.kill()
            except Exception:  # already gone
                pass

    def poll(self) -> int | None:
        try:
            self.container.reload()
        except Exception:  # removed: it ended
            return -1
        state = self.container.attrs.get("State", {})
        return None if state.get("Running") else state.get("ExitCode")

    def stop(self, grace_s: float = 2.0) -> RunResult:
        if self.result is not None:
            return self.result
        self.timer.cancel()
        try:
            if self.poll() is None:
                self.container.stop(timeout=max(1, int(grace_s)))
            returncode = self.poll()
            stdout = self.container.logs(stdout=True, stderr=False)
            stderr = self.container.logs(stdout=False, stderr=True)
        finally:
            self.container.remove(force=True)
        self.result = capped_result(returncode, stdout, stderr, time.monotonic() - self.start, self.timed_out,
                                    self.limits)
        return self.result
