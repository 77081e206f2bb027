"""Throughput of the grading service on a cohort: `cda serve` (its own Redis broker, `workers` warm
Celery workers, a SQLite gradebook) on loopback, the cohort posted as archives by `clients`
learners at once; timed from the first post to the last feedback, as a learner's CI sees it.

`service_rate(submissions, lab, workers) -> (seconds, {learner: score})`. The posting clients run
in this process, on the same cores as the service: a real deployment's clients are elsewhere, so
this is a lower bound for the service.
"""

from __future__ import annotations

import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import httpx  # noqa: E402

from graders.service.harness import LocalService, status, submit  # noqa: E402
from tests.service_helpers import zip_of  # noqa: E402


def service_rate(submissions: list[Path], lab: Path, workers: int = 2, clients: int = 8,
                 timeout: float = 900) -> tuple[float, dict[str, float]]:
    archives = [(folder.name, zip_of(folder)) for folder in submissions]
    env = {"CDA_LABS_DIR": str(lab.parent), "CDA_SERVICE_RATE_COUNT": str(len(archives) + 1),
           "CDA_SERVICE_MAX_BACKLOG": str(len(archives) + 1)}
    with tempfile.TemporaryDirectory(prefix="cda-bench-rate-") as tmp, \
            LocalService(Path(tmp), workers=workers, env=env) as service:
        tokens = [service.token(f"client-{n}") for n in range(clients)]
        teacher = service.token("formateur", instructor=True)
        with httpx.Client(limits=httpx.Limits(max_connections=clients)) as client:

            def post(item: tuple[int, tuple[str, bytes]]) -> tuple[str, str, str]:
                index, (learner, data) = item
                token = tokens[index % clients]
                answer = submit(client, service.url, token, lab.name, f"{learner}.zip", data)
                answer.raise_for_status()
                return learner, token, answer.json()["id"]

            start = time.perf_counter()
            with ThreadPoolExecutor(max_workers=clients) as pool:
                posted = list(pool.map(post, enumerate(archives)))
            print(f"  service: {len(posted)} posted in {time.perf_counter() - start:.1f} s", flush=True)
            pending, deadline = {ident for _, _, ident in posted}, time.monotonic() + timeout
            while pending and time.monotonic() < deadline:  # the instructor's view of the whole queue
                rows = client.get(service.url + "/api/submissions", headers={"Authorization": f"Bearer {teacher}"},
                                  timeout=30).json()
                pending -= {row["id"] for row in rows if row["status"] in ("graded", "failed")}
                time.sleep(0.5)
            elapsed = time.perf_counter() - start
            scores = {}
            for learner, token, ident in posted:
                answer = status(client, service.url, token, ident)
                if answer["status"] != "graded":
                    raise RuntimeError(f"{learner}: {answer['status']} ({answer.get('reason')})")
                scores[learner] = answer["result"]["score"]
    return elapsed, scores
