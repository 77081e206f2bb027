"""`cda serve`: the API, a pool of local Celery workers and, unless `--broker` names one, a Redis broker
of its own, all started and stopped together.

A reconciler thread is the safety net of "nothing lost": it sends again the submissions still queued
that were never sent (broker unreachable at the time) or sent long ago (a broker that lost its
queue), and takes back those whose worker stopped renewing its lease (killed, machine lost): queued
again, or failed with the reason after `max_attempts` or past the time limit. A redelivery costs
nothing: a worker only claims a submission that is queued or abandoned.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

from graders.service import store
from graders.service.settings import Settings
from graders.service.tasks import BROKER_ENV, TASK, make_celery, queue_name
from graders.services.base import as_user

log = logging.getLogger("cda.serve")
STATE_ENV = "CDA_SERVICE_STATE"  # a JSON file where `cda serve` writes its workers' pids (tests, benchmarks)


class Publisher:
    def __init__(self, broker_url: str, settings: Settings):
        self.app = make_celery(broker_url, settings)
        self.lock = threading.Lock()

    def __call__(self, ident: str) -> bool:
        try:
            with self.lock:
                self.app.send_task(TASK, args=[ident], queue=queue_name(), retry=True,
                                   retry_policy={"max_retries": 2, "interval_start": 0.2, "interval_step": 0.5,
                                                 "interval_max": 1})
            return True
        except Exception as exc:  # noqa: BLE001 (broker down: the reconciler sends it later)
            log.warning("cannot reach the broker for %s: %s", ident, exc)
            return False


def reconcile(engine, publish, settings: Settings) -> None:
    """One pass of the safety net (see the module docstring)."""
    for row in store.abandoned(engine):
        started = store.aware(row.started_at)
        if row.attempts >= settings.max_attempts:
            store.fail(engine, row.id, f"worker lost {row.attempts} times while grading it")
        elif started and (store.utcnow() - started).total_seconds() > settings.time_limit_s:
            store.fail(engine, row.id, f"time limit exceeded: grading stopped after {settings.time_limit_s:g} s")
        else:
            store.requeue(engine, row.id)
    for ident in store.to_publish(engine, settings.requeue_after_s):
        if not publish(ident):
            break
        store.mark_published(engine, ident)


class WorkerPool:
    """Local worker processes, each in its own process group; a dead one is started again."""

    def __init__(self, broker_url: str, count: int, env: dict[str, str], state: Path | None):
        self.broker_url, self.env, self.state = broker_url, env, state
        self.procs: list[subprocess.Popen | None] = [None] * count
        self.lock = threading.Lock()
        for index in range(count):
            self.start(index)
        self.write_state()

    def start(self, index: int) -> None:
        # The broker URL (with its password) goes through the environment, not the process list; a
        # worker dies with `cda serve` (pdeathsig).
        argv = as_user([sys.executable, "-m", "graders.service.worker", "--name", f"cda-w{index}-{os.getpid()}@%h"],
                       None)
        env = {**self.env, BROKER_ENV: self.broker_url}
        self.procs[index] = subprocess.Popen(argv, env=env, start_new_session=True)
        self.write_state()

    def write_state(self) -> None:
        if self.state:
            tmp = self.state.with_suffix(".tmp")
            tmp.write_text(json.dumps({"api_pid": os.getpid(), "workers": [p.pid for p in self.procs if p]}))
            tmp.replace(self.state)

    def supervise(self) -> None:
        with self.lock:
            for index, proc in enumerate(self.procs):
                if proc is not None and proc.poll() is not None:
                    log.warning("worker %d (pid %d) ended with %s: starting it again", index, proc.pid, proc.returncode)
                    self.start(index)

    def stop(self) -> None:
        with self.lock:
            procs, self.procs = [p for p in self.procs if p], []
        for proc in procs:
            try:
                os.killpg(proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        for proc in procs:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=5)


def background(stop: threading.Event, every: float, *jobs) -> threading.Thread:
    def loop() -> None:
        while not stop.wait(every):
            for job in jobs:
                try:
                    job()
                except Exception as exc:  # noqa: BLE001 (a busy database or broker: next round)
                    log.warning("%s failed: %s", getattr(job, "__name__", job), exc)
    thread = threading.Thread(target=loop, daemon=True, name="cda-reconciler")
    thread.start()
    return thread


def stopped(_signum, _frame) -> None:
    raise SystemExit(0)


def serve(host: str, port: int, workers: int, broker: str | None, gradebook: str | None,
          allow_local_git: bool = False) -> None:
    import uvicorn

    from graders.instructor.gradebook import gradebook_url, open_gradebook
    from graders.service.api import create_app
    from graders.service.broker import EmbeddedBroker

    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("cda serve: %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    settings = Settings.from_env()
    engine = open_gradebook(gradebook)
    embedded = None if broker else EmbeddedBroker()
    broker_url = broker or embedded.url
    env = {**os.environ, "CDA_GRADEBOOK": gradebook_url(gradebook)}
    state = Path(os.environ[STATE_ENV]) if os.environ.get(STATE_ENV) else None
    pool = WorkerPool(broker_url, workers, env, state)
    publish = Publisher(broker_url, settings)
    stop = threading.Event()
    jobs = [lambda: reconcile(engine, publish, settings), pool.supervise]
    background(stop, 2.0, *jobs)
    shown = "embedded Redis" if embedded else broker_url.split("@")[-1]
    log.info("http://%s:%d/ (broker: %s, %d local workers, gradebook: %s)", host, port, shown, workers,
             engine.url.render_as_string(hide_password=True))
    # uvicorn stops gracefully on SIGTERM, then raises it again: end with SystemExit so the cleanup runs.
    signal.signal(signal.SIGTERM, stopped)
    try:
        uvicorn.run(create_app(engine, publish, settings, allow_local_git), host=host, port=port,
                    log_level="warning")
    finally:
        stop.set()
        pool.stop()
        if embedded:
            embedded.close()
