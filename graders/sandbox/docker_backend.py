"""Docker backend (docker SDK): network none, read-only root, non-root user, cgroup limits.

Same contract as bubblewrap: private size-capped copies for `Mount(private=True)`, input written to
the command's stdin (through the container's attach socket, never a file the run could read back),
capped output, the wall clock enforced from outside, and no container left behind (`remove(force)`
whatever happened). The container parameters are built in one place, `container_config`, which the
tests check without an engine.

The image is `CDA_DOCKER_IMAGE` when set (built from environments/grader.Dockerfile, say), else the
grader image built from this host's files (`docker_image.ensure_image`, built on first use, then
cached by content). The engine is DOCKER_HOST or the default socket, else the project's private
engine when it runs (`python -m graders.sandbox.docker_engine start`). As root, every run has a uid
of its own, as with bubblewrap: concurrent runs share no process count and leftovers are easy to find.
"""

from __future__ import annotations

import os
import shlex
import socket as socket_module
import sys
import threading
import time

from graders.errors import GraderUnavailable
from graders.sandbox.base import Mount, RunLimits, RunResult, Sandbox, Spawned, WORKSPACE
from graders.sandbox.bubblewrap import BASE_ENV, SEED, UID_RANGE, chown_tree, python_dirs
from graders.sandbox.uids import UidLease, lease_uid

SANDBOX_UID = 65534  # when the grader is not root
# Cores a container may use at once: two, as a grading run's pytest plus its child need (one core
# made the fixture lab's grade 1.5 times slower on a loaded machine); CPU seconds are capped apart.
CPUS = 2
LABEL = "cda-grader"  # every container of ours carries it, so leftovers can be listed and removed


def client_from_env(timeout: int = 60):
    """A client of DOCKER_HOST or the default socket, else of the private engine when it answers."""
    import docker

    from graders.sandbox import docker_engine

    if not os.environ.get("DOCKER_HOST") and not docker_engine.answers(docker_engine.DEFAULT_SOCKET):
        private = docker_engine.PrivateEngine()
        if docker_engine.answers(private.url):
            return docker.DockerClient(base_url=private.url, timeout=timeout)
    return docker.from_env(timeout=timeout)


def container_config(argv: list[str], mounts: list[Mount], workdir: str, limits: RunLimits,
                     env: dict[str, str] | None, stdin: bool, image: str = "cda-grader",
                     uid: int = SANDBOX_UID) -> dict:
    """Keyword arguments of `containers.create` for one sandboxed command."""
    volumes, tmpfs, seeds = {}, {"/tmp": f"rw,size={limits.disk_mb}m,mode=1777"}, []
    for m in mounts:
        if m.private:
            volumes[str(m.source)] = {"bind": SEED + m.target, "mode": "ro"}
            tmpfs[m.target] = f"rw,size={limits.disk_mb}m,mode=0777"
            seeds.append(m.target)
        else:
            volumes[str(m.source)] = {"bind": m.target, "mode": "rw" if m.writable else "ro"}
    # The image holds the interpreters at their host paths, but one under /tmp (a checkout there)
    # would be hidden by the run's private /tmp: it is bound read-only from the host on top of it.
    for folder in python_dirs():
        if folder.startswith("/tmp/"):
            volumes.setdefault(folder, {"bind": folder, "mode": "ro"})
    # The shell changes folder itself: a container's working_dir would be created in the image's
    # layer as root's 0755 folder, and the tmpfs mounted there takes that mode (not writable).
    script = "".join(f'cp -R "{SEED}{t}/." "{t}/" && ' for t in seeds) + f'cd {shlex.quote(workdir)} && exec "$@"'
    file_size = limits.file_size_mb << 20
    # prlimit: the address-space limit bubblewrap sets too (docker has no such ulimit), so a big
    # allocation fails with MemoryError in both instead of an OOM kill in one of them.
    command = ["prlimit", f"--as={limits.memory_mb << 20}", "--core=0", "--", "/bin/sh", "-c", script, "sh", *argv]
    # The cgroup also counts the tmpfs pages: each tmpfs gets its own disk_mb on top, so filling the
    # workspace is capped by its size as under bubblewrap, not turned into an OOM kill of the run.
    memory_mb = limits.memory_mb + limits.disk_mb * len(tmpfs)
    return dict(
        image=image, command=command, labels={LABEL: str(uid)},  # the run's uid: its leftovers are easy to find
        # an init as pid 1, as bwrap is: the runner is then an ordinary process (a pid 1 ignores
        # the signals it has no handler for, so killing the runner would fail only here)
        init=True,
        network_mode="none", read_only=True, user=f"{uid}:{uid}", working_dir="/",
        environment={**BASE_ENV, **(env or {})}, volumes=volumes, tmpfs=tmpfs,
        mem_limit=f"{memory_mb}m", memswap_limit=f"{memory_mb}m", pids_limit=limits.processes,
        nano_cpus=CPUS * 1_000_000_000, cap_drop=["ALL"], security_opt=["no-new-privileges"], ipc_mode="private",
        ulimits=[{"Name": "fsize", "Soft": file_size, "Hard": file_size},
                 {"Name": "cpu", "Soft": limits.cpu_s, "Hard": limits.cpu_s},
                 {"Name": "nproc", "Soft": limits.processes, "Hard": limits.processes}],
        # detach=False with stdin makes the SDK set StdinOnce: the command's stdin closes when we
        # close our end of the attach socket (else a reader of stdin would wait for its wall clock)
        stdin_open=stdin, tty=False, detach=not stdin,
    )


class DockerSandbox(Sandbox):
    name = "docker"

    def __init__(self, client=None, image: str | None = None) -> None:
        self.client = client if client is not None else client_from_env()
        self.is_root = os.geteuid() == 0
        self.used_uids: list[int] = []  # lets callers verify that no process of theirs survived
        self.image = image or os.environ.get("CDA_DOCKER_IMAGE") or self._grader_image()

    def _grader_image(self) -> str:
        from graders.sandbox.docker_image import ensure_image

        return ensure_image(self.client, log=lambda line: print(line, file=sys.stderr))

    @classmethod
    def unavailable_reason(cls) -> str | None:
        try:
            client = client_from_env(timeout=5)
            client.ping()
            if os.environ.get("CDA_DOCKER_IMAGE"):
                client.images.get(os.environ["CDA_DOCKER_IMAGE"])
            else:
                from graders.sandbox.docker_image import image_key

                image_key()  # the image can be built from this host
        except ImportError:
            return "the docker Python SDK is not installed"
        except GraderUnavailable as exc:
            return str(exc)
        except Exception as exc:  # the SDK raises many kinds; all mean "not usable here"
            reason = str(exc).splitlines()[0][:160] if str(exc) else type(exc).__name__
            image = os.environ.get("CDA_DOCKER_IMAGE")
            return f"no Docker engine {'or image ' + image + ' ' if image else ''}answers ({reason})"
        return None

    def new_uid(self) -> UidLease:
        return lease_uid(*UID_RANGE)

    def _create(self, argv, mounts, workdir, limits, env, stdin: bool):
        """The run's container and the lease on its uid (release it once the container is removed)."""
        lease = self.new_uid()
        uid = lease.uid
        self.used_uids.append(uid)
        try:
            if self.is_root:
                for mount in mounts:
                    if mount.writable and not mount.private:
                        chown_tree(mount.source, uid)
            return self.client.containers.create(
                **container_config(argv, mounts, workdir, limits, env, stdin, image=self.image, uid=uid)), lease
        except BaseException:
            lease.release()
            raise

    def run(self, argv, *, mounts: list[Mount], workdir=WORKSPACE, limits=RunLimits(), env=None,
            input=None) -> RunResult:
        start = time.monotonic()
        container, lease = self._create(argv, mounts, workdir, limits, env, stdin=input is not None)
        timed_out = False
        try:
            if input is not None:
                socket = container.attach_socket(params={"stdin": 1, "stream": 1})
                container.start()
                raw = getattr(socket, "_sock", socket)
                raw.sendall(input)
                try:
                    raw.shutdown(socket_module.SHUT_WR)
                except OSError:  # the command already ended
                    pass
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
            lease.release()
        return capped_result(returncode, stdout, stderr, time.monotonic() - start, timed_out, limits)

    def spawn(self, argv, *, mounts: list[Mount], workdir=WORKSPACE, limits=RunLimits(), env=None) -> "DockerProcess":
        container, lease = self._create(argv, mounts, workdir, limits, env, stdin=False)
        try:
            container.start()
        except Exception:
            container.remove(force=True)
            lease.release()
            raise
        return DockerProcess(container, limits, lease)


def capped_result(returncode, stdout: bytes, stderr: bytes, duration: float, timed_out: bool,
                  limits: RunLimits) -> RunResult:
    cap = limits.output_kb * 1024
    return RunResult(returncode, stdout[:cap].decode("utf-8", "replace"), stderr[:cap].decode("utf-8", "replace"),
                     duration, timed_out, len(stdout) > cap or len(stderr) > cap)


class DockerProcess(Spawned):
    """A background container: killed on its wall clock, removed on `stop()`."""

    def __init__(self, container, limits: RunLimits, lease: UidLease):
        self.container, self.limits, self.lease = container, limits, lease
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
            self.lease.release()
        self.result = capped_result(returncode, stdout, stderr, time.monotonic() - self.start, self.timed_out,
                                    self.limits)
        return self.result
