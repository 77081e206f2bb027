"""Load and fault test of the grading service (loopback only): simulated learners push submissions to
`cda serve` (its own Redis broker, two Celery workers) over a few minutes; mid-run one worker is
SIGKILLed and the broker restarted. Prints graded, lost and duplicated (both must be 0: exit 1
otherwise), p50/p95 push-to-feedback time, and throughput against a sequential `cda grade` loop.

    python benchmarks/service_load.py [--learners 30] [--per-learner 10] [--duration 300] [--quick]

`--quick`: 6 learners x 3 submissions over 30 s. Feedback times are seen by polling every 0.5 s.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import httpx  # noqa: E402
from sqlalchemy import create_engine, func, select  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from graders.instructor.gradebook import Submission  # noqa: E402
from graders.service.broker import EmbeddedBroker  # noqa: E402
from graders.service.harness import LocalService, grading_child, submit  # noqa: E402
from graders.service.models import ServiceSubmission  # noqa: E402
from tests.service_helpers import zip_of  # noqa: E402

LABS = REPO / "tests" / "fixtures" / "labs"
CDA = str(Path(sys.executable).parent / "cda")


def sequential_rate(lab: str, archive: Path, runs: int) -> float:
    """Submissions per second of `for s in ...; do cda grade LAB s --json ...; done`."""
    env = {**os.environ, "CDA_LABS_DIR": str(LABS)}
    start = time.monotonic()
    for n in range(runs):
        subprocess.run([CDA, "grade", lab, str(archive), "-q", "--json", str(archive.with_suffix(f".{n}.json"))],
                       env=env, check=True, capture_output=True)
    return runs / (time.monotonic() - start)


class Learner(threading.Thread):
    def __init__(self, name: str, token: str, times: list[float], service: LocalService, lab: str, tree: Path,
                 t0: float, pushed: dict, lock: threading.Lock):
        super().__init__(daemon=True)
        self.args_ = (name, token, times, service, lab, tree, t0, pushed, lock)
        self.refused = 0

    def run(self) -> None:
        name, token, times, service, lab, tree, t0, pushed, lock = self.args_
        with httpx.Client() as client:
            for n, at in enumerate(times):
                time.sleep(max(0.0, t0 + at - time.monotonic()))
                data = zip_of(tree, {"NOTE.txt": f"{name} {n}".encode()})
                while True:
                    sent = time.monotonic()
                    try:
                        answer = submit(client, service.url, token, lab, "work.zip", data)
                    except httpx.HTTPError:
                        time.sleep(1)
                        continue
                    if answer.status_code == 429:
                        self.refused += 1
                        time.sleep(float(answer.headers.get("Retry-After", "1")))
                        continue
                    answer.raise_for_status()
                    with lock:
                        pushed[answer.json()["id"]] = sent
                    break


def grading_worker(service: LocalService, engine, wait_s: float = 15) -> tuple[int, bool]:
    """(main pid, busy) of a worker caught grading within `wait_s`, else the first one, idle."""
    deadline = time.monotonic() + wait_s
    while time.monotonic() < deadline:
        found = grading_child(engine, service.workers())
        if found:
            return found[0], True
        time.sleep(0.01)
    return service.workers()[0], False


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--learners", type=int, default=30)
    parser.add_argument("--per-learner", type=int, default=10)
    parser.add_argument("--duration", type=float, default=300)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--lab", default="penalites-lab")
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    if args.quick:
        args.learners, args.per_learner, args.duration = 6, 3, 30
    tree = LABS / args.lab / "solution"
    rng = random.Random(17)
    with tempfile.TemporaryDirectory(prefix="cda-bench-service-") as tmp:
        folder = Path(tmp)
        archive = folder / "one.zip"
        archive.write_bytes(zip_of(tree, {"NOTE.txt": b"baseline"}))
        baseline = sequential_rate(args.lab, archive, 3 if args.quick else 5)
        env = {"CDA_LABS_DIR": str(LABS), "CDA_SERVICE_LEASE_S": "6", "CDA_SERVICE_RATE_COUNT": "1000",
               "CDA_SERVICE_REQUEUE_S": "60"}
        with EmbeddedBroker() as broker, LocalService(folder, workers=args.workers, env=env, broker=broker.url) as service:
            tokens = {f"learner-{i:02d}": service.token(f"learner-{i:02d}") for i in range(args.learners)}
            prof = service.token("prof", instructor=True)
            pushed: dict[str, float] = {}
            done_at: dict[str, float] = {}
            lock = threading.Lock()
            t0 = time.monotonic() + 1
            learners = [Learner(name, token, sorted(rng.uniform(0, args.duration) for _ in range(args.per_learner)),
                                service, args.lab, tree, t0, pushed, lock) for name, token in tokens.items()]
            for learner in learners:
                learner.start()
            faults = {"kill": 0.4 * args.duration, "broker": 0.6 * args.duration}
            total = args.learners * args.per_learner
            deadline = t0 + args.duration + 600
            gradebook = create_engine(f"sqlite:///{folder / 'gradebook.sqlite'}")
            with httpx.Client() as client:
                while time.monotonic() < deadline:
                    elapsed = time.monotonic() - t0
                    if "kill" in faults and elapsed >= faults["kill"]:
                        victim, busy = grading_worker(service, gradebook)
                        os.killpg(victim, signal.SIGKILL)
                        print(f"  {elapsed:5.1f} s: worker {victim} SIGKILLed"
                              f" ({'mid-grade' if busy else 'idle: none was grading'})", flush=True)
                        del faults["kill"]
                    if "broker" in faults and elapsed >= faults["broker"]:
                        broker.restart()
                        print(f"  {elapsed:5.1f} s: broker restarted", flush=True)
                        del faults["broker"]
                    try:
                        rows = client.get(service.url + "/api/submissions", timeout=30,
                                          headers={"Authorization": f"Bearer {prof}"}).json()
                    except httpx.HTTPError:
                        rows = []
                    now = time.monotonic()
                    for row in rows:
                        if row["status"] in ("graded", "failed") and row["id"] not in done_at:
                            done_at[row["id"]] = now
                    if len(pushed) == total and all(ident in done_at for ident in pushed) and not faults:
                        break
                    time.sleep(0.5)
            engine = create_engine(f"sqlite:///{folder / 'gradebook.sqlite'}")
            with Session(engine) as session:
                rows = list(session.scalars(select(ServiceSubmission)))
                results = session.scalar(select(func.count()).select_from(Submission))
                graded_twice = sum(1 for row in rows if row.attempts > 1)
            end = max(done_at.values(), default=t0)
    graded = sum(1 for row in rows if row.status == "graded")
    failed = sum(1 for row in rows if row.status == "failed")
    lost = total - graded - failed
    duplicated = results - graded
    waits = sorted(done_at[i] - pushed[i] for i in pushed if i in done_at)
    rate = graded / (end - t0)
    print(f"learners x submissions: {args.learners} x {args.per_learner} over {args.duration:g} s, "
          f"{args.workers} workers, lab {args.lab}")
    print(f"graded {graded}/{total}, failed {failed}, lost {lost}, duplicated {duplicated} "
          f"(regraded after the kill: {graded_twice}; 429 answers: {sum(l.refused for l in learners)})")
    if waits:
        p95 = waits[min(len(waits) - 1, int(0.95 * len(waits)))]
        print(f"push -> feedback: p50 {statistics.median(waits):.1f} s, p95 {p95:.1f} s, max {waits[-1]:.1f} s")
    print(f"throughput: service {rate:.2f}/s over the run (arrivals {total / args.duration:.2f}/s); "
          f"sequential `cda grade` loop {baseline:.2f}/s")
    return 0 if lost == 0 and duplicated == 0 and failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
