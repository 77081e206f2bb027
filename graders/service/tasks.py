"""The Celery side: the app's configuration and the grading task (run by `cda worker` and `cda serve`).

Nothing lost: tasks are acknowledged late (after grading) and rejected back to the queue when their
worker process dies (`task_acks_late`, `task_reject_on_worker_lost`); a broker that holds a message
unacknowledged past `visibility_timeout` delivers it again. Nothing doubled: the task only claims a
submission that is queued or whose previous worker stopped renewing its lease (`store.claim`), and the
result and `graded` are written in one transaction. The hard time limit kills a hung task; its
`on_failure` (run by the worker's parent process) marks the submission failed with the reason.
"""

from __future__ import annotations

import logging
import os
import shutil
import socket
import tempfile
import threading
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from celery import Celery, Task

from graders.service import store
from graders.service.settings import Settings

log = logging.getLogger(__name__)

QUEUE_ENV = "CDA_SERVICE_QUEUE"  # the broker queue (default cda-grading): one per service on a shared broker


def queue_name() -> str:
    return os.environ.get(QUEUE_ENV) or "cda-grading"
TASK = "cda.grade"
BROKER_ENV = "CDA_BROKER_URL"


def make_celery(broker_url: str, settings: Settings | None = None) -> Celery:
    settings = settings or Settings.from_env()
    app = Celery("cda", broker=broker_url, set_as_current=False)
    app.conf.update(
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        task_acks_on_failure_or_timeout=True,
        worker_prefetch_multiplier=1,
        task_time_limit=settings.time_limit_s,
        task_ignore_result=True,
        task_default_queue=queue_name(),
        task_serializer="json",
        accept_content=["json"],
        broker_transport_options={"visibility_timeout": int(settings.time_limit_s + 60)},
        broker_connection_retry_on_startup=True,
        broker_connection_max_retries=None,
        worker_hijack_root_logger=False,
        worker_cancel_long_running_tasks_on_connection_loss=False,
        broker_heartbeat=10,
    )
    app.task(name=TASK, bind=True, base=GradeTask)(grade_task)
    return app


@lru_cache(maxsize=4)
def gradebook(location: str | None):
    from graders.instructor.gradebook import open_gradebook

    return open_gradebook(location)


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


class GradeTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo):  # noqa: ANN001 (Celery's signature)
        from billiard.exceptions import TimeLimitExceeded, WorkerLostError

        if isinstance(exc, WorkerLostError) or not args:
            return  # the message goes back to the queue: another delivery will grade it
        if isinstance(exc, TimeLimitExceeded):
            reason = f"time limit exceeded: grading stopped after {Settings.from_env().time_limit_s:g} s"
        else:
            reason = f"internal error: {type(exc).__name__}: {exc}"[:500]
        store.fail(gradebook(os.environ.get("CDA_GRADEBOOK")), args[0], reason)


class Heartbeat:
    """Renews the worker's lease on a submission while it grades (a killed worker stops renewing)."""

    def __init__(self, engine, ident: str, worker: str, lease_s: float):
        self.args = (engine, ident, worker, lease_s)
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def run(self) -> None:
        while not self.stop.wait(self.args[3] / 4):
            try:
                store.renew(*self.args)
            except Exception as exc:  # noqa: BLE001 (a busy database: try again next beat)
                log.warning("lease renewal failed: %s", exc)

    def __enter__(self) -> "Heartbeat":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        self.thread.join()


@contextmanager
def materialized(engine, row):
    """The submission as a path the grader reads: the posted archive, or a checkout of the commit."""
    scratch = Path(tempfile.mkdtemp(prefix="cda-service-"))
    try:
        if row.source == "git":
            yield checkout(row.git_url, row.commit, scratch / "repo")
        else:
            upload = store.upload_of(engine, row.id)
            if upload is None:
                raise store_missing(row.id)
            path = scratch / Path(upload.filename).name
            path.write_bytes(upload.data)
            yield path
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def store_missing(ident: str):
    from graders.errors import BadInput

    return BadInput(f"submission {ident}: its archive is no longer stored")


def checkout(url: str, commit: str, target: Path) -> Path:
    from graders.errors import BadInput
    from graders.instructor.collect import _git

    done = _git("clone", "--quiet", "--no-checkout", url, str(target))
    if done.returncode:
        raise BadInput(f"{url}: clone failed ({(done.stderr.strip().splitlines() or ['?'])[-1]})")
    if _git("checkout", "--quiet", commit, "--", ".", cwd=target).returncode:
        raise BadInput(f"{url}: commit {commit} not found")
    shutil.rmtree(target / ".git")
    return target


def grade_one(ident: str, engine=None, settings: Settings | None = None) -> str:
    """Grade submission `ident` if this worker can claim it; return what happened (for the logs)."""
    from graders.engine import grade
    from graders.errors import CdaError
    from graders.service.intake import lab_by_id
    from graders.sandbox import get_sandbox

    settings = settings or Settings.from_env()
    engine = engine or gradebook(os.environ.get("CDA_GRADEBOOK"))
    me = worker_name()
    row = store.claim(engine, ident, me, settings.lease_s)
    if row is None:
        return "skipped"
    try:
        with Heartbeat(engine, ident, me, settings.lease_s):
            lab = lab_by_id(row.lab_id)
            with materialized(engine, row) as path:
                result = grade(lab, path, sandbox=get_sandbox())
    except CdaError as exc:
        store.fail(engine, ident, str(exc), only_worker=me)
        return "failed"
    return "graded" if store.finish(engine, ident, result) else "duplicate"


def grade_task(self, ident: str) -> str:
    return grade_one(ident)
