"""`cda grade` on a lab's solution versus a bare `pytest` run of the same tests.

Target (issue 2): the grader's time <= 1.3 x bare pytest + 1 s. Prints both medians and the ratio.
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

from graders.labs import find_lab  # noqa: E402


def timed(cmd: list[str], **kwargs) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kwargs)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("lab", nargs="?", default="c6-architecture-couches")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    lab = find_lab(args.lab)
    test_dirs = [str(lab.resolve(c.options["tests"])) for c in lab.manifest.checks if c.kind == "pytest"]
    cda = str(Path(sys.executable).parent / "cda")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(shutil.copytree(lab.path / "solution", Path(tmp) / "solution"))
        env = {**os.environ, "PYTHONPATH": str(work)}
        bare_cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *test_dirs]
        timed(bare_cmd, cwd=work, env=env)  # warm caches the same way for both
        bare = [timed(bare_cmd, cwd=work, env=env) for _ in range(args.runs)]
        grade = [timed([cda, "grade", str(lab.path), str(work), "-q"]) for _ in range(args.runs)]
    bare_s, grade_s = statistics.median(bare), statistics.median(grade)
    budget = 1.3 * bare_s + 1.0
    print(f"lab: {lab.id} ({args.runs} runs, medians)")
    print(f"bare pytest (same tests): {bare_s:.2f} s")
    print(f"cda grade (all checks, sandboxed): {grade_s:.2f} s")
    print(f"ratio cda/pytest: {grade_s / bare_s:.2f}x; target <= 1.3 x bare + 1 s = {budget:.2f} s: "
          f"{'met' if grade_s <= budget else 'MISSED'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
