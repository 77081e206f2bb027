"""The one interface for the database services graders hand out: a fresh, private store per submission.

A `DatabaseService` is a server (PostgreSQL cluster, Redis) the grader administers. `provision()`
returns a `Provision`: one submission's own database and credentials, as seen from the grader's
process (`host_url`) and from inside the sandbox (`env` + `mounts`: the server's unix socket folder,
bind-mounted read-only, since the sandbox has no network). Releasing it drops everything it made.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import signal
import subprocess
import tempfile
import time
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

from graders.errors import GraderUnavailable
from graders.sandbox.base import Mount

# Unprivileged account the throwaway servers run as when the grader is root (PostgreSQL refuses
# root and needs a uid with a passwd entry: `nobody`). Sandboxed runs use other uids.
NOBODY = 65534
OWNER_FILE = "owner.pid"


class ServiceError(GraderUnavailable):
    """A database service cannot be started or provisioned."""


@dataclass
class Provision:
    """One submission's private store. Use as a context manager, or call `release()`."""

    service: "DatabaseService"
    name: str
    host_url: str
    env: dict[str, str] = field(default_factory=dict)
    mounts: list[Mount] = field(default_factory=list)
    released: bool = False

    def release(self) -> None:
        if not self.released:
            self.released = True
            self.service.release(self)

    def __enter__(self) -> "Provision":
        return self

    def __exit__(self, *exc) -> None:
        self.release()


class DatabaseService(ABC):
    """A server the grader administers, handing out one fresh private store per submission."""

    kind: ClassVar[str]
    # May learner code (in the sandbox) be given access to this server's socket?
    exposable: bool = False
    # Why not, when not (shown in errors and docs).
    exposure_note: str | None = None

    @abstractmethod
    def provision(self, **options) -> Provision:
        """A fresh store with its own credentials (dropped by `Provision.release`)."""

    @abstractmethod
    def release(self, provision: Provision) -> None:
        """Drop what `provision` made; never raises for an already-dropped store."""

    @abstractmethod
    def close(self) -> None:
        """Release every open provision and stop what this service started."""

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def token(nbytes: int = 4) -> str:
    return secrets.token_hex(nbytes)


def password() -> str:
    return secrets.token_urlsafe(24).replace("-", "A").replace("_", "B")


def services_root() -> Path:
    """Parent folder of throwaway servers (CDA_SERVICES_DIR overrides; must be traversable by `nobody`)."""
    root = Path(os.environ.get("CDA_SERVICES_DIR") or tempfile.gettempdir())
    root.mkdir(parents=True, exist_ok=True)
    return root


def is_root() -> bool:
    return os.geteuid() == 0


def as_user(argv: list[str], uid: int | None, *, pdeathsig: bool = True) -> list[str]:
    """argv run as `uid` (when the grader is root), killed if the grader's process dies."""
    prefix = ["setpriv"]
    if uid is not None and is_root():
        prefix += [f"--reuid={uid}", f"--regid={uid}", "--clear-groups"]
    if pdeathsig:
        prefix += ["--pdeathsig", "KILL"]
    return prefix + argv if len(prefix) > 1 else argv


def make_private_dir(prefix: str, uid: int | None) -> Path:
    """A fresh folder under services_root(), traversable (not listable) by others, marked with our pid."""
    path = Path(tempfile.mkdtemp(prefix=prefix, dir=services_root()))
    path.chmod(0o711)
    (path / OWNER_FILE).write_text(str(os.getpid()))
    return path


def chown(path: Path, uid: int | None, mode: int) -> None:
    path.mkdir(exist_ok=True)
    if uid is not None and is_root():
        os.chown(path, uid, uid)
    path.chmod(mode)


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def sweep_stale(prefix: str) -> list[Path]:
    """Remove folders of throwaway servers whose grader process died without cleaning up."""
    removed = []
    for folder in services_root().glob(prefix + "*"):
        owner = folder / OWNER_FILE
        try:
            pid = int(owner.read_text())
        except (OSError, ValueError):
            continue
        if pid != os.getpid() and not pid_alive(pid):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


def stop_process(proc: subprocess.Popen | None, sig: int = signal.SIGTERM, timeout: float = 10) -> None:
    if proc is None or proc.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        proc.send_signal(sig)
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            proc.kill()
        proc.wait(timeout=5)


def wait_for(predicate, timeout: float, what: str, proc: subprocess.Popen | None = None, log: Path | None = None):
    deadline = time.monotonic() + timeout
    delay = 0.002
    while time.monotonic() < deadline:
        if predicate():
            return
        if proc is not None and proc.poll() is not None:
            break
        time.sleep(delay)
        delay = min(delay * 2, 0.05)
    detail = ""
    if log is not None and log.is_file():
        detail = ": " + " | ".join(log.read_text(errors="replace").strip().splitlines()[-5:])
    raise ServiceError(f"{what} did not start{detail}")
