"""The warm grading process of one lab, inside its sandbox (started by graders/sandbox/warm.py).

argv: a JSON list of modules to import ahead (pytest's own plugins, and the third-party modules the
lab's trusted tests import). The submission is never on sys.path here, nor mounted: nothing of a
learner's can be imported by the zygote.

Protocol, one JSON line each way per job: the grader writes a job (its spool folder, uid, limits,
key, per-test limit, budget) on stdin; the zygote forks a child, which builds its own walls
(isolation.py) and runs the supervisor on forked pytest sessions; the zygote waits for it (the
job's wall clock), kills whatever the job's uid left behind, and answers {"returncode", "timed_out"}.
The zygote keeps nothing of a job: each child starts from the zygote's own, untouched memory image.
"""

import atexit
import importlib
import json
import os
import select
import signal
import sys
import threading
import time
import traceback

RUNNER_DIR = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, RUNNER_DIR)

from pytest_session import quiet_environment, run_session  # noqa: E402

WORKSPACE, TESTS, RESULTS = "/workspace", "/cda/tests", "/out/results.jsonl"
# pytest-timeout is imported ahead, so pytest cannot rewrite its asserts, and says so: the only
# output a warm run has that a cold one has not.
PRELOADED_PLUGIN_WARNING = ["-W", "ignore::pytest.PytestAssertRewriteWarning"]


def preload(names):
    quiet_environment()
    import _pytest.config
    import pytest  # noqa: F401

    for name in ["cda_pytest_plugin", "supervisor", "isolation", "pytest_timeout"] + \
            ["_pytest." + p for p in _pytest.config.default_plugins] + list(names):
        try:
            importlib.import_module(name)
        except Exception:  # a module the tests import that this environment lacks: the child will say so
            pass
    try:  # pytest looks the -p plugins up among the entry points: fill importlib.metadata's path caches once
        importlib.import_module("importlib.metadata").entry_points(group="pytest11")
    except Exception:
        pass
    import gc

    gc.collect()
    gc.freeze()  # the children's garbage collector leaves the zygote's objects (and their shared pages) alone


def exit_child(code):
    """What a normal interpreter exit does (non-daemon threads, atexit, flushes), then leave the fork."""
    try:
        threading._shutdown()
        atexit._run_exitfuncs()
        sys.stdout.flush()
        sys.stderr.flush()
    finally:
        os._exit(code if isinstance(code, int) else 1)


class ForkedChild:
    """A pytest session forked from the supervisor (which never imports learner code), in its own session."""

    def __init__(self, run, state):
        read_end, write_end = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:
            os.setsid()
            os.close(read_end)
            os.dup2(write_end, 1)
            os.dup2(write_end, 2)
            os.close(write_end)
            sys.stdout = open(1, "w", encoding="utf-8", errors="backslashreplace", closefd=False)
            sys.stderr = open(2, "w", encoding="utf-8", errors="backslashreplace", closefd=False)
            sys.argv = [os.path.join(RUNNER_DIR, "pytest_child.py"), WORKSPACE, TESTS, RESULTS, run.per_test]
            quiet_environment()
            code = 1
            try:
                code = run_session(run.key, state["seq"], state["done"], WORKSPACE, TESTS, RESULTS, run.per_test,
                                   extra=PRELOADED_PLUGIN_WARNING)
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else 1
            except BaseException:
                traceback.print_exc()
            exit_child(int(code))
        os.close(write_end)
        from supervisor import PipeDrain

        from collections import deque
        self.tail = deque(maxlen=200)
        self.drain = PipeDrain(read_end, self.tail)
        self.returncode = None

    def poll(self):
        self.drain.step()
        if self.returncode is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def kill(self):
        try:
            os.killpg(self.pid, signal.SIGKILL)
        except OSError:
            pass
        while self.poll() is None:
            time.sleep(0.005)

    def finish(self):
        deadline = time.monotonic() + 0.05
        while self.drain.fd is not None and time.monotonic() < deadline:  # the last lines, as a cold run
            self.drain.step()
            time.sleep(0.005)
        self.drain.step()
        self.drain.close()
        return list(self.tail), self.returncode


def child_main(job):
    import isolation
    from supervisor import Supervisor

    isolation.isolate(job, WORKSPACE, TESTS, RESULTS)
    sys.stdout = open(1, "w", encoding="utf-8", errors="backslashreplace", closefd=False)
    sys.stderr = open(2, "w", encoding="utf-8", errors="backslashreplace", closefd=False)
    Supervisor(job["key"].encode(), WORKSPACE, TESTS, RESULTS, job["per_test"], job["budget"],
               child_class=ForkedChild).run()
    return 0


def processes_of(uid):
    pids = []
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                if entry.stat(follow_symlinks=False).st_uid == uid:
                    pids.append(int(entry.name))
            except OSError:
                pass
    return pids


def reap(uid):
    """Kill every process of the job's uid, until none is left (a fork bomb is capped by RLIMIT_NPROC)."""
    for _ in range(1000):
        pids = processes_of(uid)
        if not pids:
            return
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        try:
            while os.waitpid(-1, os.WNOHANG)[0]:
                pass
        except ChildProcessError:
            pass
        time.sleep(0.002)


def serve(job):
    started = time.monotonic()
    pid = os.fork()
    if pid == 0:
        code = 70
        try:
            code = child_main(job)
        except BaseException:
            try:
                traceback.print_exc()
                sys.stderr.flush()
            except BaseException:
                pass
        os._exit(code)
    timed_out = False
    pidfd = os.pidfd_open(pid)
    try:
        ready, _, _ = select.select([pidfd], [], [], max(0.0, job["wall_s"] - (time.monotonic() - started)))
        if not ready:
            timed_out = True
            os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
    finally:
        os.close(pidfd)
    reap(job["uid"])
    if timed_out:
        status = 9  # as a cold run's sandbox reports a wall-clock kill: by SIGKILL
    return {"returncode": os.waitstatus_to_exitcode(status), "timed_out": timed_out,
            "duration_s": time.monotonic() - started}


def main():
    preload(json.loads(sys.argv[1]) if len(sys.argv) > 1 else [])
    out = sys.stdout
    out.write("ready\n")
    out.flush()
    for line in sys.stdin:
        reply = serve(json.loads(line))
        out.write(json.dumps(reply) + "\n")
        out.flush()


if __name__ == "__main__":
    main()
