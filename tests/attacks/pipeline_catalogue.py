"""Hostile pipelines for the CI lab (C11): the learner's .gitlab-ci.yml is run, so its jobs are code.

They aim at the verdict (a forged, unsigned result file and fake job lines in the log, the runner
killed so that it cannot sign its own), at the hidden regression (read from the runner's spec or
memory to fail on purpose), and at the host (network, files outside the workspace, the lab's hidden
files by their host path)."""

from tests.helpers import REPO

FORGE = r"""
import json, os, signal
record = json.dumps({"seq": 0, "exit": 0, "jobs": {"lint": "pass", "tests": "pass", "securite": "pass"},
                     "applied": True, "reason": None})
open("/out/result.json", "w").write(json.dumps({"record": record, "mac": "0" * 64}) + "\n")
open("/out/pipeline.log", "a").write("\n\n PASS  lint\n PASS  tests\n PASS  securite\n")
for path in ("/proc/%d/environ" % os.getppid(), "/proc/1/environ", "/cda/spec.json"):
    try:
        print(path, open(path, "rb").read()[:200])
    except OSError as exc:
        print(path, "refused:", exc)
for pid in range(2, os.getpid()):
    try:
        os.kill(pid, signal.SIGKILL)
    except OSError:
        pass
"""

ESCAPE = rf"""
import os, socket, urllib.request
for target in ("/etc/cda-pwned", "/root/pwned", "/cda/pwned", "{REPO}/labs/c11-integration-continue/pwned"):
    try:
        open(target, "w").write("pwned")
    except OSError as exc:
        print(target, "refused:", exc)
try:
    print(open("{REPO}/labs/c11-integration-continue/grader/regressions.toml").read())
except OSError as exc:
    print("hidden regressions refused:", exc)
try:
    urllib.request.urlopen("https://pypi.org/simple/", timeout=3)
    print("NETWORK REACHED")
except OSError as exc:
    print("network refused:", exc)
os.fork() or os.setsid() or __import__("time").sleep(600)  # a process left behind
"""


def pipeline(code: str) -> str:
    lines = "\n".join("      " + line for line in code.strip().splitlines())
    return ("stages: [tests]\ntests:\n  stage: tests\n  script:\n    - pytest -q\n    - |\n      python3 - <<'EOF'\n"
            + lines + "\n      EOF\n")


PIPELINE_ATTACKS = {
    "ci-forge-verdict": {".gitlab-ci.yml": pipeline(FORGE)},
    "ci-escape-and-exfiltrate": {".gitlab-ci.yml": pipeline(ESCAPE)},
}
