"""The supervisor of a graded pytest run (see run_pytest.py for why it exists). Standard library only.

`Supervisor` watches the signed record stream of one pytest child at a time and starts a new child
on the tests not yet run when one dies or stops making progress. How a child starts is the
launcher's business: a fresh interpreter (`subprocess_launcher`, a cold run) or a fork of an
interpreter that already imported pytest (`graders/runner/zygote.py`, a warm run); the records,
limits and verdicts are the same.
"""

import fcntl
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections import deque

from cda_records import ChainReader, signed_line

FORWARD_BYTES = 64 * 1024  # of the child's output, to the sandbox's own (capped) output
RUNNER_DIR = os.path.dirname(os.path.abspath(__file__))


def forward(line, state):
    if state["forwarded"] < FORWARD_BYTES:
        state["forwarded"] += len(line)
        try:
            sys.stdout.buffer.write(line)
            sys.stdout.flush()
        except OSError:  # our own output closed: keep draining, or the child blocks on a full pipe
            state["forwarded"] = FORWARD_BYTES


def drain(stream, tail):
    """Keep the last lines of the child's output; forward the first ones (a thread, cold runs)."""
    state = {"forwarded": 0}
    for line in iter(stream.readline, b""):
        tail.append(line[:2000].decode("utf-8", errors="replace").rstrip())
        forward(line, state)


class PipeDrain:
    """The same as `drain`, without a thread (a warm supervisor forks: no thread may hold a lock then)."""

    def __init__(self, fd, tail):
        self.fd, self.tail, self.partial, self.state = fd, tail, b"", {"forwarded": 0}
        fcntl.fcntl(fd, fcntl.F_SETFL, fcntl.fcntl(fd, fcntl.F_GETFL) | os.O_NONBLOCK)

    def step(self):
        while self.fd is not None:
            try:
                data = os.read(self.fd, 65536)
            except BlockingIOError:
                return
            except OSError:
                data = b""
            if not data:
                self.close()
                return
            *lines, self.partial = (self.partial + data).split(b"\n")
            for line in lines:
                self.tail.append(line[:2000].decode("utf-8", errors="replace").rstrip())
                forward(line + b"\n", self.state)

    def close(self):
        if self.fd is not None:
            if self.partial:
                self.tail.append(self.partial[:2000].decode("utf-8", errors="replace").rstrip())
                self.partial = b""
            os.close(self.fd)
            self.fd = None


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


class SubprocessChild:
    """A pytest child in a fresh interpreter (pytest_child.py), its output drained by a thread."""

    def __init__(self, run, state):
        self.proc = subprocess.Popen(
            [sys.executable, "-I", os.path.join(RUNNER_DIR, "pytest_child.py"), run.workspace, run.tests_dir,
             run.results_file, run.per_test],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
        self.proc.stdin.write(run.key + b"\n" + json.dumps(state).encode() + b"\n")
        self.proc.stdin.close()
        self.tail = deque(maxlen=200)
        threading.Thread(target=drain, args=(self.proc.stdout, self.tail), daemon=True).start()
        self.pid = self.proc.pid

    def poll(self):
        return self.proc.poll()

    def kill(self):
        try:
            os.killpg(self.pid, signal.SIGKILL)
        except OSError:
            self.proc.kill()
        self.proc.wait()

    def finish(self):
        time.sleep(0.05)  # let the drain thread read the last lines
        return list(self.tail), self.proc.returncode


class Supervisor:
    def __init__(self, key, workspace, tests_dir, results_file, per_test, budget, child_class=SubprocessChild):
        self.key, self.workspace, self.tests_dir, self.results_file = key, workspace, tests_dir, results_file
        self.per_test = per_test
        self.per_test_s = float(per_test)
        self.hard_s = self.per_test_s + 1.0  # pytest-timeout fires first; this catches what it cannot stop
        self.collect_s = max(20.0, 2 * self.hard_s)  # importing the submission and the tests
        self.deadline = time.monotonic() + float(budget)
        self.child_class = child_class
        self.reader = ChainReader(results_file, key)
        self.started = []  # nodeids, in order, over every child
        self.finals = set()  # nodeids with a verdict
        self.collected = None
        self.restarts = 0

    def write(self, record):
        record["seq"] = self.reader.count
        with open(self.results_file, "a", encoding="utf-8") as handle:
            handle.write(signed_line(self.key, record))
        self.reader.poll()  # our own line joins the chain

    def run_child(self):
        """One pytest child: (finish record or None, item running when it ended, why it was stopped)."""
        self.write({"event": "child", "index": self.restarts})
        child = self.child_class(self, {"seq": self.reader.count, "done": self.started})
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
            if now - last_progress > (self.hard_s if collected else self.collect_s) or now > self.deadline:
                stopped = "budget" if now > self.deadline else ("timeout" if collected else "collection-timeout")
                child.kill()
            time.sleep(0.05 if self.child_class is SubprocessChild else 0.01)
        tail, returncode = child.finish()
        return finish, current, stopped, collected, reason_of(tail, returncode)

    def supervise(self):
        while True:
            before = len(self.started)
            finish, current, stopped, collected, reason = self.run_child()
            if finish is not None and finish.get("exitstatus") in (0, 1, 5):
                return True
            if not collected:
                self.write({"event": "incident", "kind": stopped or "collection-crash", "message": reason,
                            "limit_s": self.collect_s})
                return False
            if stopped == "budget":
                self.write({"event": "incident", "kind": "budget", "message": reason})
                return False
            progressed = len(self.started) > before
            if current is not None and current not in self.finals and progressed:
                self.write({"event": "test", "nodeid": current, "when": "call", "outcome": "failed",
                            "incident": stopped or "crash", "limit_s": self.per_test_s,
                            "message": None if stopped else reason})
                self.finals.add(current)
            else:
                self.write({"event": "incident", "kind": "crash", "message": reason})
            remaining = [n for n in self.collected or [] if n not in self.finals]
            if not remaining or not progressed:
                return not remaining
            self.restarts += 1

    def run(self):
        complete = self.supervise()
        self.write({"event": "done", "complete": complete, "restarts": self.restarts})
