"""bubblewrap backend: new namespaces (no network), read-only system, unprivileged uid, rlimits."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from graders.sandbox.base import Mount, RunLimits, RunResult, Sandbox, Spawned, WORKSPACE
from graders.sandbox.uids import UidLease, lease_uid

SYSTEM_DIRS = ("/usr", "/bin", "/sbin", "/lib", "/lib64", "/lib32", "/etc")
DEFAULT_PATH = "/usr/local/bin:/usr/bin:/bin"
# The whole environment of a sandboxed command, before the caller's own variables.
BASE_ENV = {"PATH": DEFAULT_PATH, "HOME": "/tmp", "LANG": "C.UTF-8", "PYTHONDONTWRITEBYTECODE": "1"}
# Each run gets its own uid from this range when the grader is root, so runs can neither signal
# nor read each other, and leftovers are easy to find and kill.
UID_RANGE = (200_000, 260_000)
# Where the read-only source of a private mount is seen before being copied into its tmpfs.
SEED = "/.cda-seed"


def python_dirs() -> list[str]:
    """Folders the grader's interpreter needs inside the sandbox (venv and base install)."""
    dirs = {sys.prefix, sys.base_prefix, str(Path(sys.executable).resolve().parent.parent)}
    return sorted(d for d in dirs if not any(d == s or d.startswith(s + "/") for s in SYSTEM_DIRS))


def read_capped(path: Path, limit_bytes: int) -> tuple[str, bool]:
    with open(path, "rb") as handle:
        data = handle.read(limit_bytes + 1)
    return data[:limit_bytes].decode("utf-8", "replace"), len(data) > limit_bytes


def feed_stdin(proc: subprocess.Popen, data: bytes) -> None:
    try:
        proc.stdin.write(data)
    except BrokenPipeError:
        pass
    finally:
        try:
            proc.stdin.close()
        except BrokenPipeError:
            pass


def chown_tree(path: Path, uid: int) -> None:
    os.chown(path, uid, uid, follow_symlinks=False)
    for root, dirs, files in os.walk(path):
        os.chown(root, uid, uid, follow_symlinks=False)
        for name in dirs + files:
            os.chown(os.path.join(root, name), uid, uid, follow_symlinks=False)


class BubblewrapSandbox(Sandbox):
    name = "bubblewrap"

    def __init__(self) -> None:
        self.is_root = os.geteuid() == 0
        self.used_uids: list[int] = []  # lets callers verify that no process of theirs survived

    def new_uid(self) -> UidLease:
        return lease_uid(*UID_RANGE)

    @classmethod
    def unavailable_reason(cls) -> str | None:
        if sys.platform != "linux":
            return "bubblewrap needs Linux"
        for tool in ("bwrap", "prlimit", "setpriv"):
            if shutil.which(tool) is None:
                return f"`{tool}` not found (apt install bubblewrap util-linux)"
        return None

    def command(self, argv: list[str], mounts: list[Mount], workdir: str, limits: RunLimits, uid: int,
                drop: bool = True) -> list[str]:
        # As root, bwrap itself is privileged (it can read the interpreter under /root) and the
        # command drops to the run's own uid with setpriv; otherwise a user namespace does it.
        # `drop=False` (the warm zygote, graders/sandbox/warm.py) keeps root in the sandbox: the
        # zygote drops privileges and sets limits in each child it forks (graders/runner/isolation.py).
        namespaces = (
            ["--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts", "--unshare-cgroup-try"]
            if self.is_root
            else ["--unshare-all", "--uid", "65534", "--gid", "65534"]
        )
        disk = str(limits.disk_mb * 1024 * 1024)
        cmd = ["bwrap", *namespaces, "--die-with-parent", "--new-session", "--hostname", "sandbox",
               "--proc", "/proc", "--dev", "/dev", "--perms", "1777", "--size", disk, "--tmpfs", "/tmp",
               # multiprocessing (Werkzeug's debugger among others) needs a writable /dev/shm
               "--perms", "1777", "--size", disk, "--tmpfs", "/dev/shm", "--tmpfs", "/run"]
        for system_dir in SYSTEM_DIRS:
            if os.path.exists(system_dir):
                kind = "--ro-bind" if not os.path.islink(system_dir) else "--symlink"
                cmd += [kind, os.readlink(system_dir) if kind == "--symlink" else system_dir, system_dir]
        targets = python_dirs() + [m.target for m in mounts] + [SEED + m.target for m in mounts if m.private]
        # bwrap would create missing parents with the host's modes (/root is 0700): make them 0755.
        for parent in sorted({str(a) for t in targets for a in Path(t).parents if str(a) != "/"}):
            if not any(parent == s or parent.startswith(s + "/") for s in SYSTEM_DIRS):
                cmd += ["--perms", "0755", "--dir", parent]
        for folder in python_dirs():
            cmd += ["--ro-bind", folder, folder]
        seeds = []
        for mount in mounts:
            if mount.private:
                cmd += ["--ro-bind", str(mount.source), SEED + mount.target,
                        "--perms", "0777", "--size", disk, "--tmpfs", mount.target]
                seeds.append(mount.target)
            else:
                cmd += ["--bind" if mount.writable else "--ro-bind", str(mount.source), mount.target]
        cmd += ["--chdir", workdir, "--clearenv", "--"]
        if not drop:
            return cmd + list(argv)
        if self.is_root:
            cmd += ["setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups",
                    "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs"]
        cmd += [
            "prlimit",
            f"--as={limits.memory_mb * 1024 * 1024}",
            f"--cpu={limits.cpu_s}",
            f"--nproc={limits.processes}",
            f"--fsize={limits.file_size_mb * 1024 * 1024}",
            "--core=0",
            "--",
        ]
        if seeds:
            # Fill each private tmpfs as the sandboxed user, then run argv; a full tmpfs fails the copy.
            script = " && ".join(f'cp -R "{SEED}{t}/." "{t}/"' for t in seeds) + ' && exec "$@"'
            cmd += ["/bin/sh", "-c", script, "sh"]
        return cmd + list(argv)

    def prepare(self, argv, mounts, workdir, limits, env) -> tuple[list[str], UidLease]:
        """The full command line of a run and the uid it runs as (shared by `run` and `spawn`).

        Every run has its own uid: concurrent runs cannot touch each other, and reaping one run's
        leftovers cannot kill another's processes.
        """
        base_env = {**BASE_ENV, **(env or {})}
        lease = self.new_uid()
        uid = lease.uid
        self.used_uids.append(uid)
        if self.is_root:
            for mount in mounts:
                if mount.writable and not mount.private:
                    chown_tree(mount.source, uid)
        cmd = self.command(argv, mounts, workdir, limits, uid)
        # bwrap --clearenv empties the environment; --setenv puts back only what we chose.
        setenv = [arg for key, value in base_env.items() for arg in ("--setenv", key, value)]
        index = cmd.index("--clearenv") + 1
        cmd[index:index] = setenv
        return cmd, lease

    def run(self, argv, *, mounts, workdir=WORKSPACE, limits=RunLimits(), env=None, input=None) -> RunResult:
        cmd, lease = self.prepare(argv, mounts, workdir, limits, env)
        try:
            return self._run(cmd, lease.uid, limits, input)
        finally:
            lease.release()

    def _run(self, cmd: list[str], uid: int, limits: RunLimits, input) -> RunResult:
        with tempfile.TemporaryDirectory(prefix="cda-out-") as out_dir:
            out_path, err_path = Path(out_dir, "stdout"), Path(out_dir, "stderr")
            start = time.monotonic()
            timed_out = False
            with open(out_path, "wb") as out, open(err_path, "wb") as err:
                proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL if input is None else subprocess.PIPE,
                                        stdout=out, stderr=err, start_new_session=True, env={"PATH": DEFAULT_PATH})
                if input is not None:
                    feed_stdin(proc, input)
                try:
                    returncode = proc.wait(timeout=limits.wall_s)
                except subprocess.TimeoutExpired:
                    timed_out = True
                    self._kill(proc)
                    returncode = proc.wait()
            self._reap_leftovers(uid)
            stdout, cut_out = read_capped(out_path, limits.output_kb * 1024)
            stderr, cut_err = read_capped(err_path, limits.output_kb * 1024)
        return RunResult(returncode, stdout, stderr, time.monotonic() - start, timed_out, cut_out or cut_err)

    @staticmethod
    def _kill(proc: subprocess.Popen) -> None:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    def _reap_leftovers(self, uid: int) -> None:
        """The pid namespace dies with bwrap; this is the belt to those braces, and it waits for the kill."""
        if not self.is_root:
            return
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            subprocess.run(["pkill", "-KILL", "-U", str(uid)], stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, check=False)
            alive = subprocess.run(["pgrep", "-U", str(uid)], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                   check=False).stdout.strip()
            if not alive:
                return
            time.sleep(0.05)

    def spawn(self, argv, *, mounts, workdir=WORKSPACE, limits=RunLimits(), env=None) -> "BubblewrapProcess":
        """Like `run`, in the background: same command, environment, uid and limits (wall time too)."""
        cmd, lease = self.prepare(argv, mounts, workdir, limits, env)
        try:
            return BubblewrapProcess(self, cmd, lease, limits)
        except BaseException:
            lease.release()
            raise


class BubblewrapProcess(Spawned):
    """A background bwrap process: its own session (killed as a group), output kept in files."""

    def __init__(self, sandbox: BubblewrapSandbox, cmd: list[str], lease: UidLease, limits: RunLimits):
        self.sandbox, self.lease, self.uid, self.limits = sandbox, lease, lease.uid, limits
        self.out_dir = tempfile.mkdtemp(prefix="cda-spawn-")
        self.start = time.monotonic()
        self.timed_out = False
        self.result: RunResult | None = None
        with open(Path(self.out_dir, "stdout"), "wb") as out, open(Path(self.out_dir, "stderr"), "wb") as err:
            self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                                         start_new_session=True, env={"PATH": DEFAULT_PATH})
        self.timer = threading.Timer(limits.wall_s, self._expire)
        self.timer.daemon = True
        self.timer.start()

    @property
    def pid(self) -> int:
        return self.proc.pid

    def _expire(self) -> None:
        if self.proc.poll() is None:
            self.timed_out = True
            BubblewrapSandbox._kill(self.proc)

    def poll(self) -> int | None:
        return self.proc.poll()

    def stop(self, grace_s: float = 2.0) -> RunResult:
        if self.result is not None:
            return self.result
        self.timer.cancel()
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                self.proc.wait(timeout=grace_s)
            except subprocess.TimeoutExpired:
                BubblewrapSandbox._kill(self.proc)
        returncode = self.proc.wait()
        self.sandbox._reap_leftovers(self.uid)
        self.lease.release()
        stdout, cut_out = read_capped(Path(self.out_dir, "stdout"), self.limits.output_kb * 1024)
        stderr, cut_err = read_capped(Path(self.out_dir, "stderr"), self.limits.output_kb * 1024)
        shutil.rmtree(self.out_dir, ignore_errors=True)
        self.result = RunResult(returncode, stdout, stderr, time.monotonic() - self.start, self.timed_out,
                                cut_out or cut_err)
        return self.result
