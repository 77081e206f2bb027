"""Run one GitLab pipeline with gitlab-ci-local's shell executor, INSIDE the sandbox (standard library only).

argv: the output folder; stdin: the run's signing key, then the spec (one JSON line). The spec gives the pipeline to run (the learner's, with services and image builds replaced), an
optional seeded regression to apply to the working copy first, the variables of the run and where
node and gitlab-ci-local are. Writes `result.json`, one line signed with the key (exit code, each
job's status, whether the regression applied; graders/runner/cda_records.py), and `pipeline.log`.

The jobs run as this process's uid: they can write anything under /out, hence the signature. The key
and the spec (whose hidden regression a job could otherwise read, to fail on purpose) are read before
any job starts and this process is made non-dumpable, so that they cannot read it
from its memory or /proc; gitlab-ci-local's output comes through a pipe, not a file they could edit.
"""

import ctypes
import json
import re
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # /cda: the trusted cda_records.py
from cda_records import signed_line

PR_SET_DUMPABLE = 4
JOB_LINE = re.compile(r"^\s*(PASS|FAIL|WARN)\s+(\S.*?)\s*$")
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def apply(regression: dict, root: Path) -> str | None:
    """Apply the regression's edits to the working copy; the reason when one cannot apply."""
    for edit in regression.get("edits", []):
        path = root / edit["path"]
        if edit["op"] == "write":
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(edit["text"], encoding="utf-8")
            continue
        if not path.is_file():
            return f"{edit['path']} is missing"
        text = path.read_text(encoding="utf-8", errors="replace")
        if edit["op"] == "append":
            path.write_text(text.rstrip("\n") + "\n" + edit["text"], encoding="utf-8")
        elif edit["op"] == "replace":
            if edit["old"] not in text:
                return f"{edit['path']}: the code the regression changes is not there any more"
            path.write_text(text.replace(edit["old"], edit["new"], 1), encoding="utf-8")
    return None


def finish(out: Path, key: bytes, result: dict) -> int:
    (out / "result.json").write_text(signed_line(key, {"seq": 0, **result}), encoding="utf-8")
    return 0


def main() -> int:
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)
    key = sys.stdin.buffer.readline().strip()
    spec = json.loads(sys.stdin.buffer.readline())
    sys.stdin.close()
    out = Path(sys.argv[1])
    root = Path.cwd()
    result = {"exit": None, "jobs": {}, "applied": True, "reason": None}
    if spec.get("regression"):
        reason = apply(spec["regression"], root)
        if reason:
            result.update(applied=False, reason=reason)
            return finish(out, key, result)
    (root / spec["file"]).write_text(spec["pipeline"], encoding="utf-8")
    env = {"PATH": ":".join(spec["path"]), "HOME": "/tmp", "LANG": "C.UTF-8", "TMPDIR": "/tmp",
           "GIT_AUTHOR_NAME": "cda", "GIT_AUTHOR_EMAIL": "cda@invalid", "GIT_COMMITTER_NAME": "cda",
           "GIT_COMMITTER_EMAIL": "cda@invalid", "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_COUNT": "1",
           "GIT_CONFIG_KEY_0": "safe.directory", "GIT_CONFIG_VALUE_0": "*", **spec.get("env", {})}
    git = ["git", "-c", "init.defaultBranch=main", "-c", "safe.directory=*"]
    subprocess.run(git + ["init", "-q"], env=env, check=True)
    subprocess.run(git + ["add", "-A"], env=env, check=True)
    subprocess.run(git + ["commit", "-q", "--no-verify", "-m", "pipeline"], env=env, check=True)
    # Without the trap handler, V8 does not reserve ~10 GB of address space per WebAssembly memory (the
    # sandbox caps the address space); Node >= 20.15.
    argv = [spec["node"], "--disable-wasm-trap-handler", "--max-old-space-size=512", spec["gitlab_ci_local"],
            "--force-shell-executor", "--no-color",
            "--no-json-schema-validation", "--concurrency", "1", "--file", spec["file"], "--home", "/tmp/gcl-home"]
    argv += spec.get("jobs", [])  # only these jobs (a regression's stage), else the whole pipeline
    for name, value in spec.get("variables", {}).items():
        argv += ["--variable", f"{name}={value}"]
    try:
        run = subprocess.run(argv, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, timeout=spec["timeout_s"], check=False)
        output, result["exit"] = run.stdout, run.returncode
    except subprocess.TimeoutExpired as exc:
        output, result["reason"] = exc.stdout or b"", "timed out"
    text = ANSI.sub("", output.decode("utf-8", errors="replace"))
    (out / "pipeline.log").write_text(text[-200_000:], encoding="utf-8")
    summary = text.rsplit("\n\n", 1)[-1] if "\n\n" in text else text
    for line in summary.splitlines():
        match = JOB_LINE.match(line)
        if match:
            result["jobs"][match.group(2)] = match.group(1).lower()
    return finish(out, key, result)


if __name__ == "__main__":
    sys.exit(main())
