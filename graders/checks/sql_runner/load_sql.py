"""Loads a submission's SQL files with psql, inside the sandbox (started with `python -I`).

stdin: a JSON plan {"key": hex, "psql": path, "timeout_ms": int, "steps": [{"db": {user, password, dbname, host,
port}, "file": path under /workspace, "vars": {name: value}, "key": str}]}
argv[1]: where to write the JSON report {"report": {key: {"status": "ok"|"error"|"missing", "stderr": str}},
"mac": HMAC-SHA256 of the report with the plan's key}. The process makes itself non-dumpable first, so
commands a learner's file runs through psql (same uid) can neither read the key nor forge a report.

psql runs here, not in the grader: its meta-commands (\\!, \\i, \\o...) only reach the sandbox.
Each file runs with ON_ERROR_STOP (the first error stops that file, not the others), a statement
timeout, and as the submission's own role: never as a superuser.
"""

import ctypes
import hashlib
import hmac
import json
import os
import subprocess
import sys
import tempfile

PR_SET_DUMPABLE = 4

MAX_STDERR = 4000


def write(path: str, report: dict, key: bytes) -> None:
    body = json.dumps(report, sort_keys=True)
    mac = hmac.new(key, body.encode(), hashlib.sha256).hexdigest()
    with open(path, "w", encoding="utf-8") as out:
        json.dump({"report": body, "mac": mac}, out)


def main() -> None:
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)
    plan = json.loads(sys.stdin.readline())
    key = bytes.fromhex(plan.pop("key"))
    report = {}
    for step in plan["steps"]:
        path = step["file"]
        if not os.path.isfile(path):
            report[step["key"]] = {"status": "missing", "stderr": ""}
            continue
        db = step["db"]
        env = {
            "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": "/tmp", "PGHOST": db["host"], "PGPORT": str(db["port"]),
            "PGUSER": db["user"], "PGPASSWORD": db["password"], "PGDATABASE": db["dbname"],
            "PGOPTIONS": f"-c statement_timeout={int(plan['timeout_ms'])}", "PGCONNECT_TIMEOUT": "10",
            "PGAPPNAME": "cda-load", "PSQLRC": "/dev/null", "PGPASSFILE": "/nonexistent/cda-no-pgpass",
        }
        argv = [plan["psql"], "-X", "-q", "--no-password", "-v", "ON_ERROR_STOP=1", "-f", path]
        for name, value in step.get("vars", {}).items():
            argv[1:1] = ["-v", f"{name}={value}"]
        # stderr goes to a file, not a pipe: a process left in the background by `\!` would keep a
        # pipe open and stall the loader until its timeout.
        with tempfile.TemporaryFile() as errors:
            try:
                run = subprocess.run(argv, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=errors, timeout=plan.get("file_timeout_s", 60))
                status = "ok" if run.returncode == 0 else "error"
                errors.seek(0)
                stderr = errors.read(1 << 20).decode("utf-8", "replace")
            except subprocess.TimeoutExpired:
                stderr, status = "timeout", "error"
        report[step["key"]] = {"status": status, "stderr": stderr[-MAX_STDERR:]}
    write(sys.argv[1], report, key)


if __name__ == "__main__":
    main()
