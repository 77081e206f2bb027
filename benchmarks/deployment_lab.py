"""Grading the deployment lab (c10-deploiement) versus doing its checks by hand, cold and warm.

- **By hand**: what a trainer would run on the solution with the bare tools, on a throwaway
  PostgreSQL and Redis already up: the deployment scenario (`deploy.sh 1.0`, the data set,
  `deploy.sh 1.1`, `deploy.sh 1.1`, `deploy.sh 1.2`, `rollback.sh`) with bash and no sandbox, then
  `shellcheck`, `bats tests/`, `hadolint Dockerfile` and `docker build --network none` (base
  images already in the engine, build cache warm after the first run, as for the grader). No check
  of the results: the time only.
- **cda grade, cold**: a fresh process grades the solution: the database services start, every
  check runs in the sandbox (scenario, image, shellcheck, bats with its two mutants, hadolint,
  runbook, watch).
- **cda grade, warm**: the same process grades it again, services already up.
- The offline base image (`python:3.11-slim`) is made ready first and its time printed: built once
  per host from its files (a few tens of seconds), then cached by the engine for every run.

Usage: .venv/bin/python benchmarks/deployment_lab.py [--runs N]
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
LAB_ID = "c10-deploiement"
TESTS = REPO / "labs" / LAB_ID / "grader" / "deploiement"
sys.path.insert(0, str(TESTS))

GRADE_COLD = f"""
import sys, time
sys.path.insert(0, {str(REPO)!r})
start = time.perf_counter()
from graders.engine import grade
from graders.labs import find_lab
lab = find_lab({LAB_ID!r})
result = grade(lab, lab.path / "solution", lang="fr")
cold = time.perf_counter() - start
assert result.percent == 100, result.percent
start = time.perf_counter()
grade(lab, lab.path / "solution", lang="fr")
print(cold, time.perf_counter() - start)
"""


def by_hand(solution: Path) -> float:
    """The bare tools on the solution, services up; seconds."""
    import conftest  # the lab's own scenario, run without sandbox nor pytest

    from graders.security.runner import tool_path
    from graders.services import ServicePool

    with ServicePool() as pool:
        with pool.get("postgres").provision() as db, pool.get("redis").provision() as store:
            saved = {key: os.environ.get(key) for key in ("DATABASE_URL", "REDIS_URL")}
            os.environ.update(DATABASE_URL=db.host_url, REDIS_URL=store.host_url)  # read by the scenario
            start = time.perf_counter()
            scenario = conftest.Scenario(solution)
            scenario.upto("retour")
            work = Path(tempfile.mkdtemp(prefix="bench-c10-"))
            try:
                shutil.copytree(solution, work / "s", ignore=shutil.ignore_patterns("app", "migrations", "veille"))
                for argv in ([tool_path("shellcheck"), "deploy.sh", "rollback.sh"], ["bats", "tests"],
                             [tool_path("hadolint"), "Dockerfile"]):
                    subprocess.run(argv, cwd=work / "s", stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                ensure_base_image()  # another checkout on a shared engine may have rebuilt it for its own venv
                subprocess.run(["docker", "build", "--network", "none", "-q", "-t", "bench-c10:hand", str(solution)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
                subprocess.run(["docker", "rmi", "-f", "bench-c10:hand"], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
            finally:
                shutil.rmtree(work, ignore_errors=True)
                shutil.rmtree(scenario.work, ignore_errors=True)
                for key, value in saved.items():  # the grade must not take these stopped servers for its own
                    if value is None:
                        os.environ.pop(key, None)
                    else:
                        os.environ[key] = value
            return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if shutil.which("bats") is None or shutil.which("docker") is None:
        print("skipped: bats or docker is not installed (make install)")
        return 0
    from contextlib import ExitStack

    from graders.sandbox.docker_engine import docker_engine

    stack = ExitStack()
    try:
        os.environ["DOCKER_HOST"] = stack.enter_context(docker_engine())
    except RuntimeError as exc:
        print(f"skipped: no Docker engine here: {exc}")
        return 0
    with stack:
        return measure(args.runs)


def ensure_base_image() -> float:
    """Seconds to make the offline python:3.11-slim ready (built once per host, then cached)."""
    import docker

    from graders.containers.offline_images import ensure_images

    client = docker.from_env()
    start = time.perf_counter()
    try:
        ensure_images(client, ["python:3.11-slim"])
    finally:
        client.close()
    return time.perf_counter() - start


def measure(runs: int) -> int:
    base = ensure_base_image()  # both sides then find the base image in the engine
    hand, cold, warm = [], [], []
    for _ in range(runs):  # interleaved, so that a change of load hits every side
        hand.append(by_hand(REPO / "labs" / LAB_ID / "solution"))
        run = subprocess.run([sys.executable, "-c", GRADE_COLD], capture_output=True, text=True)
        if run.returncode != 0:
            print(f"cda grade failed: {(run.stderr.strip().splitlines() or ['?'])[-1]}")
            return 1
        first, second = (float(x) for x in run.stdout.split())
        cold.append(first)
        warm.append(second)
    med = statistics.median
    print(f"{LAB_ID}, medians of {runs} run(s):")
    print(f"  by hand (scenario with bash, shellcheck, bats, hadolint, docker build; services up): {med(hand):6.1f} s")
    print(f"  cda grade, cold (services start, every check sandboxed):             {med(cold):6.1f} s")
    print(f"  cda grade, warm (same process, services up):                         {med(warm):6.1f} s")
    print(f"  warm grade / by hand: {med(warm) / med(hand):.2f} x")
    print(f"  base image python:3.11-slim ready in {base:.1f} s (built from the host's files once, then cached)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
