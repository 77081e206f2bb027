"""`cda grade` on a lab's solution versus the bare tools a user would otherwise run.

Two comparisons, medians of N runs, interleaved so that a change of load hits both sides:

1. **Running the tests** (target, issue 2: <= 1.3 x bare pytest + 1 s): the lab's pytest checks
   alone, graded in the sandbox with everything the grader adds (fresh workspace, supervised child,
   canaries, signed records, services, run-time injection watches), plus the `cda` command's own
   start-up, against one bare `pytest` run of the same test folders on the same solution.
2. **The whole grading** (no target: it does more than any one tool): `cda grade` with every check
   (tests, static security scan, import contracts...) against the same bare pytest run.

Usage: .venv/bin/python benchmarks/grade_overhead.py [LAB] [--runs N]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from graders.engine import grade  # noqa: E402
from graders.labs import Lab, find_lab  # noqa: E402
from graders.services import ServicePool  # noqa: E402


def timed(cmd: list[str], **kwargs) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kwargs)
    return time.perf_counter() - start


def tests_only(lab: Lab) -> Lab:
    """The lab with its pytest checks alone (other checks' `requires` and criteria drop with them)."""
    checks = [spec for spec in lab.manifest.checks if spec.kind == "pytest"]
    return Lab(lab.path, lab.manifest.model_copy(update={"checks": checks}), lab.options)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("lab", nargs="?", default="c6-architecture-couches")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    lab = find_lab(args.lab)
    pytest_lab = tests_only(lab)
    test_dirs = [str(lab.resolve(c.options["tests"])) for c in pytest_lab.manifest.checks]
    cda = str(Path(sys.executable).parent / "cda")
    samples: dict[str, list[float]] = {"bare": [], "start": [], "tests": [], "whole": []}
    with tempfile.TemporaryDirectory() as tmp, ServicePool() as pool:
        work = Path(shutil.copytree(lab.path / "solution", Path(tmp) / "solution"))
        env = {**os.environ, "PYTHONPATH": str(work)}
        bare_cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *test_dirs]
        timed(bare_cmd, cwd=work, env=env)  # warm caches the same way for both
        grade(pytest_lab, work, services={"pool": pool})
        for _ in range(args.runs):
            samples["bare"].append(timed(bare_cmd, cwd=work, env=env))
            samples["start"].append(timed([cda, "--help"]))
            start = time.perf_counter()
            result = grade(pytest_lab, work, services={"pool": pool})
            samples["tests"].append(time.perf_counter() - start)
            assert result.score == result.max_score, "the solution must pass its own tests"
            samples["whole"].append(timed([cda, "grade", str(lab.path), str(work), "-q"]))
    bare, start, tests, whole = (statistics.median(samples[k]) for k in ("bare", "start", "tests", "whole"))
    budget = 1.3 * bare + 1.0
    print(f"lab: {lab.id} ({args.runs} runs, medians; load average {os.getloadavg()[0]:.1f})")
    print(f"bare pytest (same tests): {bare:.2f} s")
    print(f"cda, tests only: {start + tests:.2f} s (start-up {start:.2f} s + sandboxed pytest checks {tests:.2f} s); "
          f"ratio {(start + tests) / bare:.2f}x; target <= 1.3 x bare + 1 s = {budget:.2f} s: "
          f"{'met' if start + tests <= budget else 'MISSED'}")
    print(f"cda grade, every check: {whole:.2f} s ({whole / bare:.2f}x bare pytest; no target)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
