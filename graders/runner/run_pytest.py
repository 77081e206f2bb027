"""Supervisor of a graded pytest run, inside the sandbox (started with `python -I`).

argv: WORKSPACE TESTS_DIR RESULTS_FILE PER_TEST_TIMEOUT_S BUDGET_S; stdin: the run's signing key.

pytest runs in a child process (pytest_child.py). Its per-test timeout (pytest-timeout, signal
method) stops most endless loops and keeps pytest alive, but not all: a loop that swallows the
exception, code stuck in C, `os._exit()`, a segfault or a pytest INTERNALERROR end or freeze the
whole process. The supervisor watches the signed record stream; when the child dies, or makes no
progress for longer than the hard per-test limit, it kills it, records the test that was running
as failed with the reason (a *grading incident*, never tampering), and starts a new child on the
tests not yet run. One test's crash thus costs that test only; the run's wall clock (the sandbox)
stays the last resort.
"""

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections import deque

key = sys.stdin.buffer.readline().strip()
sys.stdin.close()
os.open(os.devnull, os.O_RDONLY)
workspace, tests_dir, results_file, per_test, budget = sys.argv[1:6]
runner_dir = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, runner_dir)

from cda_records import ChainReader, signed_line  # noqa: E402

PER_TEST_S = float(per_test)
HARD_S = PER_TEST_S + 1.0  # pytest-timeout fires first; this catches what it cannot stop (same verdict)
COLLECT_S = max(20.0, 2 * HARD_S)  # importing the submission and the tests
FORWARD_BYTES = 64 * 1024  # of the child's output, to the sandbox's own (capped) output
DEADLINE = time.monotonic() + float(budget)


def drain(stream, tail):
    """Keep the last lines of the child's output; forward the first ones."""
    forwarded = 0
    for line in iter(stream.readline, b""):
        tail.append(line[:2000].decode("utf-8", errors="replace").rstrip())
        if forwarded < FORWARD_BYTES:
            forwarded += len(line)
            try:
                sys.stdout.buffer.write(line)
                sys.stdout.flush()
            except OSError:  # our own output closed: keep draining, or the child blocks on a full pipe
                forwarded = FORWARD_BYTES


def reason_of(tail, returncode):
    """The runner's own words for why the child ended: pytest's INTERNALERROR, a fatal error, a signal."""
    for line in reversed(tail):
        text = line.removeprefix("INTERNALERROR>").strip()
        if line.startswith("INTERNALERROR>") and ":" in text and not text.startswith("File "):
            return "pytest INTERNALERROR: " + text[:300]
        if line.startswith("Fatal Python error"):
            return line[:300]
    if returncode is not None and returncode < 0:
        return f"killed by signal {signal.Signals(-returncode).name}" if -returncode in signal.valid_signals() \
            else f"killed by signal {-returncode}"
    return f"exited with code {returncode}"


class Supervisor:
    def __init__(self):
        self.reader = ChainReader(results_file, key)
        self.started = []  # nodeids, in order, over every child
        self.finals = set()  # nodeids with a verdict
        self.collected = None
        self.restarts = 0

    def write(self, record):
        record["seq"] = self.reader.count
        with open(results_file, "a", encoding="utf-8") as handle:
            handle.write(signed_line(key, record))
        self.reader.poll()  # our own line joins the chain

    def run_child(self):
        """One pytest child: (finish record or None, item running when it ended, why it was stopped)."""
        self.write({"event": "child", "index": self.restarts})
        child = subprocess.Popen(
            [sys.executable, "-I", os.path.join(runner_dir, "pytest_child.py"), workspace, tests_dir,
             results_file, per_test],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
        state = {"seq": self.reader.count, "done": self.started}
        child.stdin.write(key + b"\n" + json.dumps(state).encode() + b"\n")
        child.stdin.close()
        tail = deque(maxlen=200)
        threading.Thread(target=drain, args=(child.stdout, tail), daemon=True).start()
        finish, current, stopped, collected = None, None, None, False
        last_progress = time.monotonic()
        while True:
            exited = child.poll() is not None
            for record in self.reader.poll():
                last_progress = time.monotonic()
                event = record.get("event")
                if event == "collected":
                    collected = True
                    if self.collected is None:
                        self.collected = list(record.get("nodeids") or [])
                elif event == "start":
                    current = record.get("nodeid")
                    self.started.append(current)
                elif event == "test":
                    self.finals.add(record.get("nodeid"))
                elif event == "finish":
                    finish = record
            if exited:
                break
            now = time.monotonic()
            if now - last_progress > (HARD_S if collected else COLLECT_S) or now > DEADLINE:
                stopped = "budget" if now > DEADLINE else ("timeout" if collected else "collection-timeout")
                try:
                    os.killpg(child.pid, signal.SIGKILL)
                except OSError:
                    child.kill()
                child.wait()
            time.sleep(0.05)
        time.sleep(0.05)  # let the drain thread read the last lines
        return finish, current, stopped, collected, reason_of(list(tail), child.returncode)

    def supervise(self):
        while True:
            before = len(self.started)
            finish, current, stopped, collected, reason = self.run_child()
            if finish is not None and finish.get("exitstatus") in (0, 1, 5):
                return True
            if not collected:
                self.write({"event": "incident", "kind": stopped or "collection-crash", "message": reason,
                            "limit_s": COLLECT_S})
                return False
            if stopped == "budget":
                self.write({"event": "incident", "kind": "budget", "message": reason})
                return False
            progressed = len(self.started) > before
            if current is not None and current not in self.finals and progressed:
                self.write({"event": "test", "nodeid": current, "when": "call", "outcome": "failed",
                            "incident": stopped or "crash", "limit_s": PER_TEST_S,
                            "message": None if stopped else reason})
                self.finals.add(current)
            else:
                self.write({"event": "incident", "kind": "crash", "message": reason})
            remaining = [n for n in self.collected or [] if n not in self.finals]
            if not remaining or not progressed:
                return not remaining
            self.restarts += 1


supervisor = Supervisor()
complete = supervisor.supervise()
supervisor.write({"event": "done", "complete": complete, "restarts": supervisor.restarts})
