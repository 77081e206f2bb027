"""Runs a list of tool commands one after the other, each with its own timeout. argv: PLAN.json OUT_DIR.

Used inside the sandbox by the `security` check (started with `python -I`), and imported by the
host runner of `cda scan`. Standard library only: it must not import anything from the submission.
The plan is a JSON list of {"name", "argv", "timeout", "stdout", "env", "cwd"}; the outcome of each
step (return code, timeout, end of stderr) goes to OUT_DIR/plan-result.json.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

STDERR_TAIL = 2000


def run_step(step: dict, out_dir: str) -> dict:
    env = dict(os.environ)
    env.update(step.get("env") or {})
    stdout_name = step.get("stdout")
    stdout = open(os.path.join(out_dir, stdout_name), "wb") if stdout_name else subprocess.DEVNULL
    outcome = {"returncode": None, "timed_out": False, "missing": False, "stderr": "", "duration_s": 0.0}
    started = time.monotonic()
    try:
        proc = subprocess.Popen(step["argv"], stdout=stdout, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                                env=env, cwd=step.get("cwd") or None, start_new_session=True)
    except FileNotFoundError as exc:
        outcome.update(missing=True, stderr=str(exc))
        return outcome
    finally:
        if stdout_name and stdout is not subprocess.DEVNULL:
            stdout.close()
    try:
        _, err = proc.communicate(timeout=step.get("timeout") or 60)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        _, err = proc.communicate()
        outcome["timed_out"] = True
    outcome["returncode"] = proc.returncode
    outcome["stderr"] = err.decode("utf-8", "replace")[-STDERR_TAIL:]
    outcome["duration_s"] = round(time.monotonic() - started, 3)
    return outcome


def run_plan(plan: list[dict], out_dir: str) -> dict:
    results = {step["name"]: run_step(step, out_dir) for step in plan}
    with open(os.path.join(out_dir, "plan-result.json"), "w", encoding="utf-8") as handle:
        json.dump(results, handle)
    return results


if __name__ == "__main__":
    plan_path, out = sys.argv[1:3]
    with open(plan_path, encoding="utf-8") as handle:
        run_plan(json.load(handle), out)
