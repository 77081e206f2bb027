"""One interface for running untrusted commands: mounts in, limits on, output out."""

from __future__ import annotations

import signal
from abc import ABC, abstractmethod
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

# Fixed paths inside every sandbox, whatever the backend.
WORKSPACE = "/workspace"
TRUSTED = "/cda"
OUTPUT = "/out"


@dataclass(frozen=True)
class Mount:
    """A host path seen inside the sandbox.

    Read-only by default. `writable` hands the host path to the sandboxed user. `private` gives
    the sandbox its own size-capped copy (a tmpfs seeded from source, `RunLimits.disk_mb`): writes
    stay inside the sandbox and cannot fill the host's disk.
    """

    source: Path
    target: str
    writable: bool = False
    private: bool = False


@dataclass(frozen=True)
class RunLimits:
    wall_s: float = 60
    memory_mb: int = 1024
    cpu_s: int = 120
    processes: int = 64
    file_size_mb: int = 64
    output_kb: int = 256
    disk_mb: int = 256

    @classmethod
    def from_manifest(cls, limits) -> "RunLimits":
        return cls(
            wall_s=limits.timeout_s,
            memory_mb=limits.memory_mb,
            cpu_s=limits.cpu_s,
            processes=limits.processes,
            file_size_mb=limits.file_size_mb,
            output_kb=limits.output_kb,
            disk_mb=limits.disk_mb,
        )


@dataclass
class RunResult:
    returncode: int | None
    stdout: str
    stderr: str
    duration_s: float
    timed_out: bool = False
    output_truncated: bool = False

    @property
    def signal(self) -> int | None:
        """The signal that ended the process, whether reported as -N or as 128+N."""
        rc = self.returncode
        if rc is None:
            return None
        if rc < 0:
            return -rc
        if 128 < rc < 128 + 65:
            return rc - 128
        return None

    @property
    def limit_hit(self) -> str | None:
        if self.timed_out:
            return "timeout"
        sig = self.signal
        if sig == signal.SIGXCPU:
            return "cpu"
        if sig == signal.SIGXFSZ:
            return "file_size"
        if "MemoryError" in self.stderr or "Cannot allocate memory" in self.stderr:
            return "memory"
        if sig == signal.SIGKILL:
            return "killed"
        return None


class Sandbox(ABC):
    """Runs argv with the given mounts, no network, as an unprivileged user, within limits."""

    name: ClassVar[str]

    @classmethod
    @abstractmethod
    def unavailable_reason(cls) -> str | None:
        """None when the backend can run here, else a one-line reason."""

    @abstractmethod
    def run(
        self,
        argv: list[str],
        *,
        mounts: list[Mount],
        workdir: str = WORKSPACE,
        limits: RunLimits = RunLimits(),
        env: dict[str, str] | None = None,
        input: bytes | None = None,
    ) -> RunResult:
        """Run to completion (or to a limit). `input` is written to the command's stdin, then closed.

        Writable mounts are handed to the sandboxed user for the run; read-only ones stay as they are.
        """

    def spawn(
        self,
        argv: list[str],
        *,
        mounts: list[Mount],
        workdir: str = WORKSPACE,
        limits: RunLimits = RunLimits(),
        env: dict[str, str] | None = None,
    ) -> "Spawned":
        """Start argv in the background under the same isolation as `run` (no network, limits, uid).

        The wall-time limit still applies: the process is killed when it is reached. Call `stop()`
        on the handle when done. Backends that cannot run background processes raise GraderUnavailable.
        """
        from graders.errors import GraderUnavailable

        raise GraderUnavailable(f"the {self.name} sandbox cannot run background processes")


class Spawned(ABC):
    """A sandboxed process running in the background (see `Sandbox.spawn`)."""

    @abstractmethod
    def poll(self) -> int | None:
        """The exit code once the process ended, else None."""

    @abstractmethod
    def stop(self, grace_s: float = 2.0) -> RunResult:
        """Terminate the process and everything it started (TERM, then KILL after `grace_s`);
        return its capped output. Safe to call twice."""
