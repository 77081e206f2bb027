"""Warm sandboxes: per lab and grading process, zygotes that fork a fresh child per pytest run.

A cold pytest run starts bubblewrap, an interpreter, pytest and its plugins for every submission;
a small lab spends most of its grading time there. A zygote (graders/runner/zygote.py) is one
bubblewrap sandbox per lab, started once, in which an interpreter has already imported pytest, its
plugins and the third-party modules the lab's trusted tests import (never the submission: it is not
mounted there). Each run is a fork of it that builds its own walls before running anything of the
submission (graders/runner/isolation.py: namespaces, tmpfs, rlimits, its own uid) and then runs the
same supervisor and records as a cold run: the verdicts are the same (tests/test_warm_sandbox.py).

`WarmPool` holds a lab's idle zygotes (one per concurrent run). A run that cannot be warm returns
None and the check runs cold: the reason is logged once per lab (turned off, not bubblewrap, not
root, services, a zygote that would not start or died).
"""

from __future__ import annotations

import ast
import json
import logging
import os
import select
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

from graders.sandbox.base import OUTPUT, TRUSTED, WORKSPACE, Mount, RunLimits, RunResult
from graders.sandbox.bubblewrap import BASE_ENV, DEFAULT_PATH, BubblewrapSandbox, read_capped
from graders.sandbox.uids import process_uids

log = logging.getLogger("graders.warm")
RUNNER_DIR = Path(__file__).resolve().parent.parent / "runner"
START_S = 60.0  # importing pytest and the tests' modules, once
REPLY_GRACE_S = 15.0  # beyond a job's wall clock, before the zygote counts as lost
OFF = {"0", "off", "no", "false", "cold"}
SPOOL_DIR = "/dev/shm"  # job copies live a fraction of a second: memory, not disk (falls back to TMPDIR)


class WarmUnavailable(Exception):
    """A zygote could not start or was lost: the run goes cold, with this reason."""


def warm_setting() -> bool:
    """CDA_WARM=0 (or off/no/false/cold) turns warm sandboxes off for long-running workers too."""
    return os.environ.get("CDA_WARM", "1").strip().lower() not in OFF


def cold_reason(sandbox) -> str | None:
    """Why runs in this sandbox cannot be warm, or None."""
    if not isinstance(sandbox, BubblewrapSandbox):
        return f"warm sandboxes need the bubblewrap backend (this run uses {sandbox.name})"
    if not sandbox.is_root:
        return "warm sandboxes need root (each forked child gets a uid of its own)"
    if not hasattr(os, "pidfd_open"):
        return "warm sandboxes need os.pidfd_open (Linux 5.3+)"
    return None


def preload_modules(tests_dirs: list[Path]) -> list[str]:
    """The absolute imports of the trusted tests (conftest and helpers included), minus the tests'
    own modules. The zygote imports those it finds outside the submission, which it cannot see."""
    names, local = set(), set()
    for folder in tests_dirs:
        for path in folder.rglob("*.py"):
            local |= {path.stem, *(p.name for p in path.relative_to(folder).parents if p.name)}
            try:
                tree = ast.parse(path.read_text(encoding="utf-8"))  # trusted repository file: the lab's own tests
            except (SyntaxError, UnicodeDecodeError, ValueError):
                continue
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    names |= {alias.name for alias in node.names}
                elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                    names.add(node.module)
    return sorted(n for n in names if n.split(".")[0] not in local)


class Zygote:
    """One warm sandbox: a bubblewrap process running zygote.py, and its job spool."""

    def __init__(self, sandbox: BubblewrapSandbox, preload: list[str], limits: RunLimits):
        self.sandbox = sandbox
        self.spool = Path(tempfile.mkdtemp(prefix="cda-warm-", dir=SPOOL_DIR if os.access(SPOOL_DIR, os.W_OK) else None))
        trusted, jobs, empty = self.spool / "cda", self.spool / "jobs", self.spool / "empty"
        shutil.copytree(RUNNER_DIR, trusted / "runner", ignore=shutil.ignore_patterns("__pycache__"))
        for folder in (trusted / "tests", jobs, empty):
            folder.mkdir(parents=True)
        mounts = [Mount(trusted, TRUSTED), Mount(jobs, "/jobs", writable=True), Mount(empty, WORKSPACE),
                  Mount(empty, OUTPUT)]
        cmd = sandbox.command([sys.executable, "-I", f"{TRUSTED}/runner/zygote.py", json.dumps(preload)],
                              mounts, "/", limits, uid=0, drop=False)
        # The zygote ends when its stdin closes (the grader ended): bwrap's parent-death signal would
        # follow the thread that started it, and threads of a check come and go.
        cmd.remove("--die-with-parent")
        index = cmd.index("--clearenv") + 1
        cmd[index:index] = [arg for key, value in BASE_ENV.items() for arg in ("--setenv", key, value)]
        self.errors = open(self.spool / "zygote.err", "wb")
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.errors,
                                     start_new_session=True, env={"PATH": DEFAULT_PATH})
        self._buffer = b""
        if self._readline(START_S) != "ready":
            reason = self.error_tail()
            self.close()
            raise WarmUnavailable(f"the zygote did not start: {reason}")

    def error_tail(self) -> str:
        try:
            lines = (self.spool / "zygote.err").read_text(errors="replace").strip().splitlines()
        except OSError:
            lines = []
        return lines[-1][:300] if lines else f"exit code {self.proc.poll()}"

    def _readline(self, timeout_s: float) -> str | None:
        deadline = time.monotonic() + timeout_s
        fd = self.proc.stdout.fileno()
        while b"\n" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                return None
            data = os.read(fd, 65536)
            if not data:
                return None
            self._buffer += data
        line, self._buffer = self._buffer.split(b"\n", 1)
        return line.decode("utf-8", "replace")

    def alive(self) -> bool:
        return self.proc.poll() is None

    def run(self, workspace: Path, tests: Path, key: bytes, per_test: str, budget: str, limits: RunLimits,
            out: Path) -> RunResult:
        """One supervised pytest run in a fresh forked child; its results file lands in `out`."""
        lease = self.sandbox.new_uid()
        self.sandbox.used_uids.append(lease.uid)
        job_dir = Path(tempfile.mkdtemp(dir=self.spool / "jobs"))
        try:
            shutil.copytree(workspace, job_dir / "submission", symlinks=True)
            shutil.copytree(tests, job_dir / "tests", ignore=shutil.ignore_patterns("__pycache__"))
            (job_dir / "results.jsonl").touch()
            job = {"dir": f"/jobs/{job_dir.name}", "uid": lease.uid, "key": key.decode(), "per_test": per_test,
                   "budget": budget, "wall_s": limits.wall_s,
                   "limits": {"memory_mb": limits.memory_mb, "cpu_s": limits.cpu_s, "processes": limits.processes,
                              "file_size_mb": limits.file_size_mb, "disk_mb": limits.disk_mb}}
            try:
                self.proc.stdin.write(json.dumps(job).encode() + b"\n")
                self.proc.stdin.flush()
            except OSError as exc:
                raise WarmUnavailable(f"the zygote is gone ({exc})") from exc
            line = self._readline(limits.wall_s + REPLY_GRACE_S)
            if line is None:
                raise WarmUnavailable(f"the zygote did not answer: {self.error_tail()}")
            reply = json.loads(line)
            cap = limits.output_kb * 1024
            stdout, cut_out = read_capped(job_dir / "stdout", cap) if (job_dir / "stdout").exists() else ("", False)
            stderr, cut_err = read_capped(job_dir / "stderr", cap) if (job_dir / "stderr").exists() else ("", False)
            shutil.copyfile(job_dir / "results.jsonl", out / "results.jsonl")
            return RunResult(reply["returncode"], stdout, stderr, reply["duration_s"], reply["timed_out"],
                             cut_out or cut_err)
        finally:
            if lease.uid in process_uids():  # the zygote reaps its children; this is the belt
                self.sandbox._reap_leftovers(lease.uid)
            lease.release()
            shutil.rmtree(job_dir, ignore_errors=True)

    def close(self) -> None:
        try:
            self.proc.stdin.close()
        except OSError:
            pass
        try:
            self.proc.wait(timeout=2)
        except subprocess.TimeoutExpired:
            BubblewrapSandbox._kill(self.proc)
            self.proc.wait()
        self.proc.stdout.close()
        self.errors.close()
        shutil.rmtree(self.spool, ignore_errors=True)


class WarmPool:
    """The zygotes of one grading process (a cohort run, a worker), per lab; `close()` stops them all."""

    def __init__(self, enabled: bool | None = None):
        self.enabled = warm_setting() if enabled is None else enabled
        self._idle: dict[tuple, list[Zygote]] = defaultdict(list)
        self._all: list[Zygote] = []
        self._cold: dict[tuple, str] = {}
        self._lock = threading.Lock()
        self.runs = {"warm": 0, "cold": 0}

    def __enter__(self) -> "WarmPool":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _go_cold(self, key: tuple, reason: str) -> None:
        with self._lock:
            first = key not in self._cold
            self._cold[key] = reason
            self.runs["cold"] += 1
        if first:
            log.warning("%s: grading cold: %s", key[0], reason)

    def run_pytest(self, ctx, tests: Path, key: bytes, per_test: str, budget: str) -> tuple[RunResult, Path] | None:
        """A warm run of the pytest check in `ctx` (planted `tests`), or None: run it cold."""
        lab_key = (ctx.lab.id, str(ctx.lab.path), ctx.sandbox.name)
        reason = "turned off (--cold or CDA_WARM=0)" if not self.enabled else (self._cold.get(lab_key) or cold_reason(ctx.sandbox))
        if reason is None and self.options_need_cold(ctx):
            reason = "the check needs services (databases are per run)"
        if reason is not None:
            self._go_cold(lab_key, reason)
            return None
        try:
            zygote = self._acquire(lab_key, ctx)
        except (WarmUnavailable, OSError) as exc:
            self._go_cold(lab_key, str(exc))
            return None
        out = Path(tempfile.mkdtemp(prefix="run-", dir=ctx.scratch))
        try:
            result = zygote.run(ctx.workspace, tests, key, per_test, budget, ctx.limits, out)
        except (WarmUnavailable, OSError, ValueError) as exc:
            log.warning("%s: a zygote was lost (%s); this run goes cold", ctx.lab.id, exc)
            self._discard(zygote)
            with self._lock:
                self.runs["cold"] += 1
            return None
        self._release(lab_key, zygote)
        with self._lock:
            self.runs["warm"] += 1
        return result, out

    @staticmethod
    def options_need_cold(ctx) -> bool:
        return bool(getattr(ctx.lab.options_of(ctx.spec), "services", None))

    def _acquire(self, lab_key: tuple, ctx) -> Zygote:
        with self._lock:
            idle = self._idle[lab_key]
            while idle:
                zygote = idle.pop()
                if zygote.alive():
                    return zygote
                self._all.remove(zygote)
                zygote.close()
        specs = [s for s in ctx.lab.manifest.checks if s.kind == "pytest"]
        preload = preload_modules([ctx.lab.resolve(ctx.lab.options_of(s).tests) for s in specs])
        zygote = Zygote(ctx.sandbox, preload, ctx.limits)
        with self._lock:
            self._all.append(zygote)
        return zygote

    def _release(self, lab_key: tuple, zygote: Zygote) -> None:
        with self._lock:
            self._idle[lab_key].append(zygote)

    def _discard(self, zygote: Zygote) -> None:
        with self._lock:
            if zygote in self._all:
                self._all.remove(zygote)
        zygote.close()

    def close(self) -> None:
        with self._lock:
            zygotes, self._all = self._all, []
            self._idle.clear()
        for zygote in zygotes:
            zygote.close()


class _ProcessPool:
    """The pool of a long-running grading process (a service worker): made on first use in each
    process (a forked worker gets its own, never its parent's pipes), closed when the process exits."""

    def __init__(self):
        self.pid: int | None = None
        self.pool: WarmPool | None = None
        self.lock = threading.Lock()

    def get(self) -> WarmPool | None:
        with self.lock:
            if self.pid is None:
                return None
            if self.pid != os.getpid() or self.pool is None:
                import atexit

                self.pid, self.pool = os.getpid(), WarmPool()
                atexit.register(self.pool.close)
            return self.pool


_PROCESS = _ProcessPool()


def use_in_this_process() -> None:
    """Call once in a long-running grading process (a worker, before or after it forks): `grade()`
    then forks its pytest runs from warm zygotes kept for the life of the process, unless the caller
    passes its own pool or CDA_WARM=0. One-shot commands (`cda grade`) stay cold: a zygote costs
    more to start than one cold run."""
    with _PROCESS.lock:
        if _PROCESS.pid is None:
            _PROCESS.pid = -1  # made by the first `get()`, in whichever process grades


def process_pool() -> WarmPool | None:
    """The warm pool of this process, when `use_in_this_process()` was called; else None."""
    return _PROCESS.get()
