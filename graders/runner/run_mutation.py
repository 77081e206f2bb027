"""Mutation testing of the learner's code with the learner's own tests, inside the sandbox.

argv: CONFIG_JSON (started with `python -I`); stdin: one line, the key that signs the report.

1. The mutants (graders/runner/mutants.py, cosmic-ray operators) and the controls of the target files.
2. A zygote is forked *before* the key is read: it imports pytest and the lab's `preload` modules,
   never the learner's code, and forks one child per run, which closes the zygote's pipes, starts a new
   session and runs pytest on the learner's tests (`-x`). The zygote reports each child's exit status.
3. This process makes itself non-dumpable (its memory, descriptors and /proc entries are closed to the
   learner's processes, same uid or not), reads the key, writes every variant to the workspace before
   its run and signs the report (HMAC-SHA256), which the check verifies: a report written or altered by
   the learner's code does not verify.

Order: the unmutated code first (every test must pass), then the mutants and the controls shuffled
together (a control must pass, else the tests react to the text of the code). The budget bounds the
mutants; the controls always run.
"""

import ctypes
import hashlib
import hmac
import json
import os
import random
import shutil
import signal
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True

from mutants import compiles, controls, mutants, spread  # noqa: E402

PR_SET_DUMPABLE = 4


def non_dumpable():
    if ctypes.CDLL(None, use_errno=True).prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_DUMPABLE)")


def zygote(commands, reports, config):
    """Runs in the forked zygote: one child per command line, its exit status reported."""
    os.close(0)
    non_dumpable()  # the children cannot open this process's descriptors (the report pipe) through /proc
    for name in ["pytest", "pytest_timeout", *config["preload"]]:
        try:
            __import__(name)
        except Exception:  # a missing module only costs time  # noqa: BLE001
            pass
    reader, writer = os.fdopen(commands, "r"), os.fdopen(reports, "w")
    for line in reader:
        job = json.loads(line)
        started = time.monotonic()
        pid = os.fork()
        if pid == 0:
            child(config, (commands, reports), job)
        status, deadline = None, started + job["timeout"]
        while status is None:
            done, raw = os.waitpid(pid, os.WNOHANG)
            if done:
                status = os.waitstatus_to_exitcode(raw)
            elif time.monotonic() > deadline:
                status = "timeout"
            else:
                time.sleep(0.02)
        try:  # the child (its own session and group), and whatever it left in its group
            os.killpg(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        if status == "timeout":
            os.waitpid(pid, 0)
        writer.write(json.dumps({"status": status, "seconds": round(time.monotonic() - started, 3)}) + "\n")
        writer.flush()
    os._exit(0)


def child(config, pipes, job):
    """A forked child: the learner's tests (those of `job["select"]`, else all), on what the workspace holds."""
    try:
        for fd in pipes:
            os.close(fd)
        os.setsid()
        null = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(null, fd)
        sys.path.append(config["workspace"])
        os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"  # the platform's plugins are not the learner's: -p timeout only
        import pytest
        plugins = [CoverageByTest(config["targets"], job["coverage"])] if job.get("coverage") else []
        code = pytest.main([*(job.get("select") or [config["tests"]]), "-x", "-q", "-p", "no:cacheprovider",
                            "--import-mode=append", "-o", "pythonpath=", "-p", "timeout",
                            f"--timeout={config['per_test_timeout']}", "-o", "timeout_method=signal", "--tb=no"],
                           plugins=plugins)
    except BaseException:  # noqa: BLE001
        code = 3
    os._exit(int(code))


class CoverageByTest:
    """pytest plugin of the baseline run: which tests execute each line of the targets (coverage.py
    dynamic contexts), written as JSON {file: {line: [test ids]}}. It only narrows the tests run for a
    mutant; a map altered by the learner's code cannot pass a control that fails."""

    def __init__(self, targets, output):
        import coverage
        self.targets = {os.path.abspath(t): t for t in targets}
        self.output = output
        self.cov = coverage.Coverage(data_file=None, include=list(self.targets), config_file=False)
        self.cov.start()

    def pytest_runtest_protocol(self, item, nextitem):
        self.cov.switch_context(item.nodeid)

    def pytest_sessionfinish(self, session, exitstatus):
        self.cov.stop()
        data = self.cov.get_data()
        found = {}
        for measured in data.measured_files():
            name = self.targets.get(os.path.abspath(measured))
            if name:
                found[name] = {line: sorted(contexts)  # "": run at import, by every test
                               for line, contexts in data.contexts_by_lineno(measured).items()}
        with open(self.output, "w", encoding="utf-8") as handle:
            json.dump(found, handle)


def read_coverage(path):
    """{file: {line: [test ids]}} from the baseline; a line run at import (every test) or not executed is
    absent: every test runs for it."""
    try:
        with open(path, encoding="utf-8") as handle:
            found = json.load(handle)
        return {f: {str(k): [t for t in v if isinstance(t, str)] for k, v in lines.items() if "" not in v}
                for f, lines in found.items() if isinstance(lines, dict)}
    except (OSError, ValueError, AttributeError):
        return {}


def main():
    config = json.load(open(sys.argv[1], encoding="utf-8"))
    workspace = config["workspace"]
    os.chdir(workspace)
    for root, dirs, _files in os.walk(workspace):
        for name in [d for d in dirs if d == "__pycache__"]:
            shutil.rmtree(os.path.join(root, name), ignore_errors=True)
            dirs.remove(name)
    pristine, unparsed, found, checks = {}, [], [], []
    for path in config["targets"]:
        with open(path, encoding="utf-8", errors="replace") as handle:
            source = handle.read()
        reason = compiles(source, path)
        if reason:
            unparsed.append({"file": path, "reason": reason[:300]})
            continue
        pristine[path] = source
        found += mutants(path, source, config["operators"])
        checks += controls(path, source)
    chosen = spread(found, config["max_mutants"])
    rng = random.SystemRandom()
    picked = rng.sample(checks, min(config["controls"], len(checks)))

    commands_r, commands_w = os.pipe()
    reports_r, reports_w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(commands_w)
        os.close(reports_r)
        zygote(commands_r, reports_w, config)
    os.close(commands_r)
    os.close(reports_w)
    non_dumpable()
    key = sys.stdin.readline().strip().encode()
    send, receive = os.fdopen(commands_w, "w"), os.fdopen(reports_r, "r")

    def run(variant, timeout, select=None, coverage=None):
        for path, source in pristine.items():
            text = variant["source"] if variant and variant["file"] == path else source
            with open(path, "w", encoding="utf-8") as handle:
                handle.write(text)
        send.write(json.dumps({"timeout": timeout, "select": select, "coverage": coverage}) + "\n")
        send.flush()
        line = receive.readline()
        return json.loads(line) if line else {"status": "zygote-lost", "seconds": 0}

    report = {"unparsed": unparsed, "candidates": len(found), "controls_available": len(checks), "runs": []}
    coverage_file = os.path.join(config["scratch"], f"coverage-{rng.getrandbits(64):x}.json")
    baseline = run(None, config["baseline_timeout"], coverage=coverage_file) if pristine else \
        {"status": "no-target", "seconds": 0}
    report["baseline"] = baseline
    covered = read_coverage(coverage_file)
    if baseline["status"] == 0:
        limit = min(config["baseline_timeout"], 2 * baseline["seconds"] + 5)  # a mutant may loop: killed
        order = [("mutant", m) for m in chosen]
        random.Random(len(chosen)).shuffle(order)  # fixed order, every file in any prefix the budget allows
        for control in picked:  # at random places: a control cannot be told from a mutant by its rank
            order.insert(rng.randrange(len(order) + 1), ("control", control))
        started = time.monotonic()
        for kind, variant in order:
            entry = {"kind": kind, **{k: v for k, v in variant.items() if k != "source"}}
            tests = covered.get(variant["file"], {}).get(str(variant["line"]))
            if kind == "mutant" and time.monotonic() - started > config["budget_s"]:
                entry["status"] = "not-run"
            else:
                entry.update(run(variant, limit, select=tests))
            report["runs"].append(entry)
    send.close()
    payload = json.dumps(report, sort_keys=True)
    signature = hmac.new(key, payload.encode(), hashlib.sha256).hexdigest()
    with open(config["output"], "w", encoding="utf-8") as handle:
        json.dump({"payload": payload, "mac": signature}, handle)


if __name__ == "__main__":
    main()
