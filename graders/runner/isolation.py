"""What a forked child of the warm zygote does, as root in the zygote's sandbox, before it runs
anything of the submission: the same walls a cold run gets from bubblewrap, setpriv and prlimit,
built fresh for this child alone. Standard library only (ctypes for unshare and mount).

- its own mount, IPC and network namespaces (loopback only, up, as in a cold run);
- its own tmpfs at /workspace (a size-capped copy of the submission, owned by the run's uid), /tmp,
  /dev/shm and /run; the run's planted tests read-only at /cda/tests; its own results file alone at
  /out/results.jsonl; the zygote's job spool (/jobs) unmounted;
- stdin /dev/null, stdout and stderr to the job's own files, every other descriptor closed;
- the job's rlimits, a new session, every capability dropped (bounding set included),
  no_new_privs, then the job's own uid and gid, which no other run holds.
"""

import ctypes
import fcntl
import os
import resource
import shutil
import socket
import struct
import sys

CLONE_NEWNS, CLONE_NEWIPC, CLONE_NEWNET = 0x00020000, 0x08000000, 0x40000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 1, 2, 4, 32, 4096, 16384, 1 << 18
MNT_DETACH = 2
PR_CAPBSET_DROP, PR_SET_NO_NEW_PRIVS = 24, 38
SIOCGIFFLAGS, SIOCSIFFLAGS, IFF_UP = 0x8913, 0x8914, 0x1
BASE_ENV = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": "/tmp", "LANG": "C.UTF-8", "PYTHONDONTWRITEBYTECODE": "1"}

_libc = ctypes.CDLL(None, use_errno=True)


def _check(result, what):
    if result != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, f"{what}: {os.strerror(errno)}")


def mount(source, target, fstype=None, flags=0, data=None):
    enc = (lambda s: s.encode() if s is not None else None)
    _check(_libc.mount(enc(source), enc(target), enc(fstype), ctypes.c_ulong(flags), enc(data)), f"mount {target}")


def tmpfs(target, mode, size, uid=0):
    mount("tmpfs", target, "tmpfs", MS_NOSUID | MS_NODEV, f"mode={mode:o},size={size},uid={uid},gid={uid}")


def bind(source, target, readonly):
    mount(source, target, None, MS_BIND)
    if readonly:
        mount(None, target, None, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV)


def python_under(roots=("/tmp", "/dev/shm", "/run")):
    """The interpreter's own folders that the child's fresh tmpfs would hide (a checkout under /tmp)."""
    found = sorted({os.path.realpath(p) for p in (sys.prefix, sys.exec_prefix, *sys.path)
                    if p and os.path.isdir(p) and any(os.path.realpath(p).startswith(r + "/") for r in roots)})
    return [p for i, p in enumerate(found) if not any(p.startswith(q + "/") for q in found[:i])]


def keep_visible(folders):
    """Hold each folder by an O_PATH descriptor across the tmpfs mounts; `restore()` binds them back read-only."""
    held = [(folder, os.open(folder, os.O_PATH | os.O_DIRECTORY)) for folder in folders]

    def restore():
        for folder, fd in held:
            os.makedirs(folder, exist_ok=True)
            bind(f"/proc/self/fd/{fd}", folder, readonly=True)
            os.close(fd)
    return restore


def loopback_up():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        flags = struct.unpack("16sH22x", fcntl.ioctl(sock, SIOCGIFFLAGS, struct.pack("16sH22x", b"lo", 0)))[1]
        fcntl.ioctl(sock, SIOCSIFFLAGS, struct.pack("16sH22x", b"lo", flags | IFF_UP))


def chown_tree(path, uid):
    os.chown(path, uid, uid, follow_symlinks=False)
    for root, dirs, files in os.walk(path):
        for name in dirs + files:
            os.chown(os.path.join(root, name), uid, uid, follow_symlinks=False)


def redirect(job_dir):
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    for fd, name in ((1, "stdout"), (2, "stderr")):
        handle = os.open(os.path.join(job_dir, name), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(handle, fd)
        os.close(handle)
    os.close(null)
    os.closerange(3, 65536)


def drop_privileges(uid):
    for cap in range(64):
        if _libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0 and ctypes.get_errno() != 22:  # EINVAL: no such cap
            _check(-1, "drop capability bounding set")
    _check(_libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "no_new_privs")
    os.setgroups([])
    os.setresgid(uid, uid, uid)
    os.setresuid(uid, uid, uid)  # from root to another uid: the permitted and effective sets are cleared
    if os.getuid() != uid or os.geteuid() != uid or os.getgid() != uid:
        raise OSError("the run's uid did not take")


def set_limits(limits):
    mb = 1024 * 1024
    for kind, value in ((resource.RLIMIT_AS, limits["memory_mb"] * mb), (resource.RLIMIT_CPU, limits["cpu_s"]),
                        (resource.RLIMIT_NPROC, limits["processes"]),
                        (resource.RLIMIT_FSIZE, limits["file_size_mb"] * mb), (resource.RLIMIT_CORE, 0)):
        resource.setrlimit(kind, (value, value))


def isolate(job, workspace, tests_dir, results_file):
    """Run as the freshly forked child, before anything else; raises when a wall cannot be built."""
    uid, limits, job_dir = job["uid"], job["limits"], job["dir"]
    disk = limits["disk_mb"] * 1024 * 1024
    _check(_libc.unshare(CLONE_NEWNS | CLONE_NEWIPC | CLONE_NEWNET), "unshare")
    mount(None, "/", None, MS_REC | MS_PRIVATE)
    loopback_up()
    restore_python = keep_visible(python_under())
    for target in ("/tmp", "/dev/shm"):
        tmpfs(target, 0o1777, disk)
    tmpfs("/run", 0o755, 1024 * 1024)
    restore_python()
    tmpfs(workspace, 0o777, disk, uid)
    shutil.copytree(os.path.join(job_dir, "submission"), workspace, symlinks=True, dirs_exist_ok=True)
    chown_tree(workspace, uid)
    bind(os.path.join(job_dir, "tests"), tests_dir, readonly=True)
    out_dir = os.path.dirname(results_file)
    tmpfs(out_dir, 0o755, 1024 * 1024)
    open(results_file, "w").close()
    own_results = os.path.join(job_dir, "results.jsonl")
    os.chown(own_results, uid, uid)
    bind(own_results, results_file, readonly=False)
    redirect(job_dir)
    _check(_libc.umount2(b"/jobs", MNT_DETACH), "umount /jobs")
    set_limits(limits)
    os.setsid()
    os.umask(0o022)
    os.chdir(workspace)
    os.environ.clear()
    os.environ.update({**BASE_ENV, **job.get("env", {})})
    drop_privileges(uid)
