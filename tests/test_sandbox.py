"""The bubblewrap backend: no network, read-only system, unprivileged user, limits, no leftovers."""

import os
import subprocess
import sys
import time

import pytest

from graders.sandbox import get_sandbox
from graders.sandbox.base import Mount, RunLimits
from graders.sandbox.bubblewrap import BubblewrapSandbox

pytestmark = pytest.mark.skipif(BubblewrapSandbox.unavailable_reason() is not None,
                                reason=f"bubblewrap unavailable: {BubblewrapSandbox.unavailable_reason()}")


@pytest.fixture
def box(tmp_path):
    sandbox = BubblewrapSandbox()
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
    box("import subprocess; subprocess.Popen(['sleep', '300'], start_new_session=True); print('spawned')")
    leftover = subprocess.run(["pgrep", "-f", "^sleep 300$"], capture_output=True, text=True)
    assert leftover.stdout.strip() == ""


def test_default_backend_is_bubblewrap_here():
    assert get_sandbox().name == "bubblewrap"
