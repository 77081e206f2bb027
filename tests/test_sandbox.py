"""Every sandbox backend: no network, read-only system, unprivileged user, limits, no leftovers.

Both run here and in CI: the docker backend on the engine that answers, else on a private dockerd
the session starts (tests/docker_fixtures.py); where none can be started, it is skipped with why.
"""

import os
import secrets
import subprocess
import sys
import time

import pytest

from graders.sandbox import get_sandbox, installed_sandboxes
from graders.sandbox.base import Mount, RunLimits
from graders.sandbox.bubblewrap import BubblewrapSandbox
from tests.docker_fixtures import docker_host, docker_sandbox  # noqa: F401 (fixtures)

BACKENDS = installed_sandboxes()


@pytest.fixture(params=sorted(BACKENDS))
def box(request, tmp_path):
    if request.param == "docker":  # a real engine: the one that answers, else a private one
        sandbox = request.getfixturevalue("docker_sandbox")
    else:
        reason = BACKENDS[request.param].unavailable_reason()
        if reason:
            pytest.skip(f"{request.param} sandbox unavailable here: {reason}")
        sandbox = BACKENDS[request.param]()
    workspace = tmp_path / "ws"
    workspace.mkdir()

    def run(code: str, **limits):
        return sandbox.run([sys.executable, "-I", "-c", code], mounts=[Mount(workspace, "/workspace", True)],
                           limits=RunLimits(**{"wall_s": 20, **limits}))

    run.sandbox = sandbox
    run.workspace = workspace
    return run


def test_runs_as_unprivileged_user_in_workspace(box):
    result = box("import os; print(os.getuid(), os.getcwd())")
    uid, cwd = result.stdout.split()
    assert int(uid) != 0 and cwd == "/workspace"


def test_no_network_not_even_host_loopback(box):
    # PostgreSQL listens on the host's 127.0.0.1:5432 in CI; inside, loopback is a different host.
    code = ("import socket\ntry:\n socket.create_connection(('127.0.0.1', 5432), timeout=2); print('open')\n"
            "except OSError as e: print('blocked', e.errno)")
    assert box(code).stdout.startswith("blocked")


def test_system_is_read_only_and_host_files_are_invisible(box):
    code = ("import os\nfor p in ['/etc/cda-test', '/usr/cda-test']:\n try:\n  open(p, 'w'); print('wrote', p)\n"
            " except OSError: print('refused', p)\nprint(os.path.exists('/work/main/labs'), os.path.exists('/root/.ssh'))")
    out = box(code).stdout
    assert "wrote" not in out and out.count("refused") == 2
    assert out.strip().endswith("False False")


def test_workspace_is_writable(box):
    box("open('made.txt', 'w').write('x')")
    assert (box.workspace / "made.txt").read_text() == "x"


def test_wall_clock_limit(box):
    start = time.monotonic()
    result = box("while True: pass", wall_s=2)
    assert result.limit_hit == "timeout"
    assert time.monotonic() - start < 10


def test_memory_limit(box):
    result = box("x = bytearray(3 * 1024 ** 3)", memory_mb=256)
    assert result.limit_hit == "memory"


def test_process_limit_stops_fork_bomb(box):
    code = "import os\nn=0\ntry:\n while True:\n  if os.fork() == 0:\n   import time; time.sleep(30)\n  n+=1\nexcept OSError: print('capped', n)"
    result = box(code, processes=20, wall_s=10)
    assert "capped" in result.stdout
    assert int(result.stdout.split()[-1]) < 25


def test_output_is_capped(box):
    result = box("import sys\nfor _ in range(100000): sys.stdout.write('x' * 1000)", output_kb=16, file_size_mb=8)
    assert result.output_truncated and len(result.stdout) <= 16 * 1024


def test_no_process_survives(box):
    # A marker of its own: a bare `sleep 300` also matched other processes of the machine (a CI
    # job's own `sleep 300` once failed this test).
    marker = f"300.{secrets.randbelow(10**6):06d}"
    result = box(f"import subprocess; subprocess.Popen(['sleep', '{marker}'], start_new_session=True); print('spawned')")
    assert result.stdout.strip() == "spawned"
    leftover = subprocess.run(["pgrep", "-f", f"^sleep {marker}$"], capture_output=True, text=True)
    assert leftover.stdout.strip() == ""


@pytest.mark.skipif(BubblewrapSandbox.unavailable_reason() is not None, reason="bubblewrap unavailable")
def test_default_backend_is_bubblewrap_here():
    assert get_sandbox().name == "bubblewrap"


def test_private_workspace_is_size_capped_and_host_copy_untouched(box, tmp_path):
    seed = tmp_path / "seed"
    seed.mkdir()
    (seed / "given.txt").write_text("hello")
    code = ("import os\nprint(open('given.txt').read())\nn = 0\ntry:\n    with open('fill', 'wb') as f:\n"
            "        for _ in range(200):\n            f.write(b'x' * (1 << 20)); f.flush(); n += 1\nexcept OSError: pass\nprint(n)")
    result = box.sandbox.run([sys.executable, "-I", "-c", code], mounts=[Mount(seed, "/workspace", private=True)],
                             limits=RunLimits(wall_s=20, disk_mb=32, file_size_mb=512))
    lines = result.stdout.split()
    assert lines[0] == "hello" and int(lines[1]) <= 32
    assert sorted(p.name for p in seed.iterdir()) == ["given.txt"]


def test_input_reaches_stdin(box):
    result = box.sandbox.run([sys.executable, "-I", "-c", "import sys; print(sys.stdin.read()[::-1])"],
                             mounts=[Mount(box.workspace, "/workspace", True)], limits=RunLimits(wall_s=20),
                             input=b"secret-key")
    assert result.stdout.strip() == "yek-terces"


def test_a_uid_held_by_another_grader_or_a_live_process_is_never_leased(tmp_path, monkeypatch):
    """Two graders on one machine drew the same random uid: one run's reaping killed the other's tests
    (a fresh-clone CI run failed that way beside a second checkout). Leases make the draw exclusive."""
    import subprocess
    import sys

    from graders.sandbox import uids

    if os.geteuid() != 0:
        pytest.skip("per-run uids are drawn only as root (otherwise the user namespace maps the grader's own)")
    monkeypatch.setattr(uids, "LOCK_DIR", tmp_path)
    held, busy, free = 250_001, 250_002, 250_003
    holder = subprocess.Popen([sys.executable, "-c", (
        "import fcntl, os, sys, time; fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT); "
        "fcntl.flock(fd, fcntl.LOCK_EX); print('held', flush=True); time.sleep(60)"), str(tmp_path / str(held))],
        stdout=subprocess.PIPE, text=True)
    sleeper = subprocess.Popen(["setpriv", f"--reuid={busy}", f"--regid={busy}", "--clear-groups", "sleep", "60"])
    try:
        assert holder.stdout.readline().strip() == "held"
        draws = iter([held - 250_000, busy - 250_000, free - 250_000])
        monkeypatch.setattr(uids.secrets, "randbelow", lambda n: next(draws))
        lease = uids.lease_uid(250_000, 260_000)
        assert lease.uid == free
        draws = iter([free - 250_000, free - 250_000, held - 250_000, free - 250_000])
        with pytest.raises(StopIteration):  # while leased here, `free` is not drawn again, in this process either
            uids.lease_uid(250_000, 260_000)
        lease.release()
        draws = iter([free - 250_000])
        assert uids.lease_uid(250_000, 260_000).uid == free  # released: available again
    finally:
        holder.kill()
        sleeper.kill()
