"""A Docker engine to talk to: the one that answers (DOCKER_HOST, default socket), else a private dockerd.

The private engine is what the project's own tests use on a machine without a running engine, as
it already starts its own PostgreSQL: `dockerd` as root (no systemd needed), its socket, data and
state under one folder (`CDA_DOCKER_ROOT`, default `~/.cache/cda/docker`), no bridge and no
iptables rules (every sandbox container has `--network none`). Its data root persists, so the
grader image built once stays cached across sessions.

Several processes (pytest-xdist workers) share one private engine: each holds a shared lock on
`users.lock` while it uses the engine; the last one to leave stops it, unless it was started by
hand (`python -m graders.sandbox.docker_engine start`, ended by `... stop`).
"""

from __future__ import annotations

import fcntl
import os
import shutil
import signal
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

DEFAULT_SOCKET = "unix:///var/run/docker.sock"
START_TIMEOUT_S = 60


def engine_root() -> Path:
    if os.environ.get("CDA_DOCKER_ROOT"):
        return Path(os.environ["CDA_DOCKER_ROOT"])
    cache = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(cache, "cda", "docker")


def answers(base_url: str, timeout: float = 3) -> bool:
    """True when a Docker engine answers a ping at this address."""
    try:
        import docker

        client = docker.DockerClient(base_url=base_url, timeout=timeout)
        try:
            return bool(client.ping())
        finally:
            client.close()
    except Exception:  # no SDK, no socket, refused, bad answer: all mean "no engine here"
        return False


def existing_engine() -> str | None:
    """The address of an engine that already answers: DOCKER_HOST, else the default socket."""
    candidates = [os.environ["DOCKER_HOST"]] if os.environ.get("DOCKER_HOST") else [DEFAULT_SOCKET]
    return next((url for url in candidates if answers(url)), None)


def cannot_start_reason() -> str | None:
    """Why no private dockerd can be started here, or None."""
    if os.name != "posix" or not Path("/proc/self/cgroup").exists():
        return "a private dockerd needs Linux"
    if os.geteuid() != 0:
        return "a private dockerd needs root (run as root, or start a Docker engine and set DOCKER_HOST)"
    for tool in ("dockerd", "containerd", "runc"):
        if shutil.which(tool) is None:
            return f"`{tool}` not found (apt install docker.io, which `make install` does)"
    return None


class PrivateEngine:
    """One dockerd of ours under `root`; `start()` returns its address, `stop()` ends it."""

    def __init__(self, root: Path | None = None):
        self.root = (root or engine_root()).resolve()
        self.socket = self.root / "docker.sock"
        self.pidfile = self.root / "docker.pid"
        self.log = self.root / "dockerd.log"
        self.kept = self.root / "kept"  # started by hand: sessions that join it leave it running

    @property
    def url(self) -> str:
        return f"unix://{self.socket}"

    def command(self) -> list[str]:
        return ["dockerd", "--host", self.url, "--data-root", str(self.root / "data"),
                "--exec-root", str(self.root / "exec"), "--pidfile", str(self.pidfile),
                "--bridge", "none", "--iptables=false", "--ip-masq=false", "--storage-driver", "overlay2"]

    def pid(self) -> int | None:
        try:
            pid = int(self.pidfile.read_text().strip())
            os.kill(pid, 0)
            return pid
        except (OSError, ValueError):
            return None

    def start(self) -> str:
        """Start dockerd unless ours already answers; wait until it does. Raises RuntimeError."""
        if answers(self.url):
            return self.url
        reason = cannot_start_reason()
        if reason:
            raise RuntimeError(reason)
        self.root.mkdir(parents=True, exist_ok=True)
        if len(str(self.root / "exec" / "containerd" / "containerd.sock.ttrpc")) > 100:
            raise RuntimeError(f"{self.root} is too long a path for dockerd's sockets (set CDA_DOCKER_ROOT)")
        stale = self.pid()
        if stale:  # a dockerd of ours that no longer answers
            self._end(stale)
        with open(self.log, "ab") as log:
            proc = subprocess.Popen(self.command(), stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                                    start_new_session=True)
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise RuntimeError(f"dockerd exited with code {proc.returncode} (see {self.log})")
            if answers(self.url, timeout=1):
                return self.url
            time.sleep(0.2)
        self._end(proc.pid)
        raise RuntimeError(f"dockerd did not answer within {START_TIMEOUT_S} s (see {self.log})")

    def stop(self) -> None:
        pid = self.pid()
        if pid:
            self._end(pid)

    @staticmethod
    def _end(pid: int, grace_s: float = 20) -> None:
        """TERM (dockerd then stops its containers and its containerd), KILL after the grace time."""
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + grace_s
        while time.monotonic() < deadline:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                return
            try:  # our own child: reap it, or it stays a zombie that kill(0) still sees
                if os.waitpid(pid, os.WNOHANG)[0] == pid:
                    return
            except ChildProcessError:
                pass
            time.sleep(0.1)
        os.kill(pid, signal.SIGKILL)


@contextmanager
def docker_engine(root: Path | None = None) -> Iterator[str]:
    """The address of an engine for the duration of the block (RuntimeError when there is none).

    An engine that already answers is used as is and left running. Otherwise the private engine is
    started (or joined, when another process of ours started it) and stopped by its last user.
    """
    found = existing_engine()
    if found:
        yield found
        return
    engine = PrivateEngine(root)
    engine.root.mkdir(parents=True, exist_ok=True)
    with open(engine.root / "start.lock", "w") as start_lock, open(engine.root / "users.lock", "w") as users:
        fcntl.flock(start_lock, fcntl.LOCK_EX)
        try:
            url = engine.start()
            fcntl.flock(users, fcntl.LOCK_SH)
        finally:
            fcntl.flock(start_lock, fcntl.LOCK_UN)
        try:
            yield url
        finally:
            fcntl.flock(start_lock, fcntl.LOCK_EX)
            try:
                fcntl.flock(users, fcntl.LOCK_UN)
                try:
                    fcntl.flock(users, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    pass  # another process still uses it
                else:
                    if not engine.kept.exists():
                        engine.stop()
                    fcntl.flock(users, fcntl.LOCK_UN)
            finally:
                fcntl.flock(start_lock, fcntl.LOCK_UN)


def main(argv: list[str] | None = None) -> int:
    """`start`: the private engine (prints its DOCKER_HOST); `stop`: ends it. For use by hand."""
    import sys

    action = (argv if argv is not None else sys.argv[1:]) or ["start"]
    engine = PrivateEngine()
    if action[0] == "stop":
        engine.kept.unlink(missing_ok=True)
        engine.stop()
        return 0
    if action[0] != "start":
        print("usage: python -m graders.sandbox.docker_engine [start|stop]", file=sys.stderr)
        return 2
    try:
        url = engine.start()
        engine.kept.touch()
        print(f"DOCKER_HOST={url}")
    except RuntimeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 3
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
