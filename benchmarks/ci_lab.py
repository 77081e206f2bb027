"""The CI lab: `cda grade` (its pipeline run green, then once per seeded regression, plus the static
checks) against running gitlab-ci-local by hand once on the same submission, with the same throwaway
PostgreSQL and Redis. A trainer checking by hand what the grader checks would run it 1 + 5 times.

Usage: .venv/bin/python benchmarks/ci_lab.py [--runs N]
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

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from graders.checks.ci.gitlab_local import gitlab_ci_local, unavailable_reason
from graders.checks.ci.pipeline import load_yaml, local_pipeline
from graders.services import default_pool

LAB = REPO / "labs" / "c11-integration-continue"


def by_hand(workdir: Path) -> float:
    """gitlab-ci-local on a copy of the solution (services replaced by throwaway servers, no image build)."""
    pool = default_pool()
    with pool.postgres(exposed=False).provision() as db, pool.redis().provision() as cache:
        data = load_yaml((LAB / "solution" / ".gitlab-ci.yml").read_text(encoding="utf-8"))
        local, _ = local_pipeline(data, {"postgres": {"DATABASE_URL": db.host_url}, "redis": {"REDIS_URL": cache.host_url}})
        copy = Path(tempfile.mkdtemp(dir=workdir))
        shutil.copytree(LAB / "solution", copy, dirs_exist_ok=True)
        (copy / ".gitlab-ci.yml").write_text(yaml.safe_dump(local, sort_keys=False), encoding="utf-8")
        shim = copy / ".bin"
        shim.mkdir()
        (shim / "pip-audit").write_text(f'#!/bin/sh\nexec "{sys.executable}" -I '
                                        f'{REPO}/graders/checks/ci/offline_audit.py "$@"\n', encoding="utf-8")
        (shim / "pip-audit").chmod(0o755)
        env = {**os.environ, "PATH": f"{shim}:{Path(sys.executable).parent}:/usr/bin:/bin", "PIP_NO_INDEX": "1",
               "CDA_OFFLINE_ADVISORIES": str(LAB / "solution/securite/avis-hors-ligne.json"), "HOME": str(copy)}
        git = ["git", "-c", "user.name=b", "-c", "user.email=b@invalid"]
        subprocess.run(git + ["init", "-q"], cwd=copy, check=True)
        subprocess.run(git + ["add", "-A"], cwd=copy, check=True)
        subprocess.run(git + ["commit", "-qm", "b"], cwd=copy, check=True)
        start = time.perf_counter()
        run = subprocess.run(["node", str(gitlab_ci_local()), "--force-shell-executor", "--no-color",
                              "--no-json-schema-validation"], cwd=copy, env=env, capture_output=True, text=True,
                             check=False)
        took = time.perf_counter() - start
        if run.returncode != 0:
            raise SystemExit("gitlab-ci-local by hand failed:\n" + run.stdout[-2000:])
        return took


def graded() -> float:
    start = time.perf_counter()
    run = subprocess.run([str(REPO / ".venv/bin/cda"), "grade", str(LAB), str(LAB / "solution"), "--fail-under", "100"],
                         capture_output=True, text=True, check=False)
    if run.returncode != 0:
        raise SystemExit("cda grade did not give the solution 100 %:\n" + run.stdout[-3000:])
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    reason = unavailable_reason()
    if reason:
        print(f"skipped: {reason}")
        return 0
    hand, grade = [], []
    with tempfile.TemporaryDirectory(prefix="cda-bench-ci-") as workdir:
        for _ in range(args.runs):
            hand.append(by_hand(Path(workdir)))
            grade.append(graded())
    h, g = statistics.median(hand), statistics.median(grade)
    print(f"gitlab-ci-local by hand, one green run: {h:6.1f} s (median of {args.runs})")
    print(f"the same, x6 (green + 5 regressions):   {6 * h:6.1f} s (estimate)")
    print(f"cda grade c11-integration-continue:     {g:6.1f} s (median of {args.runs}: static checks, "
          f"sandboxed green run, the 5 regressions' own jobs, diagnostic)")
    print(f"ratio grade / one run by hand: {g / h:.1f} x; grade / six runs by hand: {g / (6 * h):.2f} x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
