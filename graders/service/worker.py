"""`cda worker`: a Celery worker that grades submissions (one process per concurrent grading)."""

from __future__ import annotations

import argparse
import os
import warnings

from celery.signals import worker_process_init

from graders.service.tasks import BROKER_ENV, make_celery, queue_name


def _warm_sandboxes(**_) -> None:
    """Each pool process keeps warm zygotes for its gradings (CDA_WARM=0 turns them off)."""
    from graders.sandbox.warm import use_in_this_process

    use_in_this_process()


def run_worker(broker: str, concurrency: int = 1, name: str | None = None, loglevel: str = "warning") -> None:
    os.environ[BROKER_ENV] = broker
    warnings.filterwarnings("ignore", message=".*superuser privileges.*")  # root: learner code runs sandboxed anyway
    app = make_celery(broker)
    worker_process_init.connect(_warm_sandboxes, weak=False)
    argv = ["worker", "-Q", queue_name(), "-c", str(concurrency), "-P", "prefork", "-l", loglevel,
            "--without-gossip", "--without-mingle"]
    if name:
        argv += ["-n", name]
    app.worker_main(argv)


def main() -> None:  # `python -m graders.service.worker`: what `cda serve` starts for each local worker
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--broker", default=os.environ.get(BROKER_ENV), help=f"default: ${BROKER_ENV}")
    parser.add_argument("--concurrency", type=int, default=1)
    parser.add_argument("--name")
    parser.add_argument("--loglevel", default="warning")
    args = parser.parse_args()
    if not args.broker:
        parser.error(f"--broker or {BROKER_ENV} is required")
    run_worker(args.broker, args.concurrency, args.name, args.loglevel)


if __name__ == "__main__":
    main()
