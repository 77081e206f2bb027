"""A local `cda serve` in a subprocess, and a small HTTP client for it: what the end-to-end tests and
the load-and-fault benchmark drive (loopback only)."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session

from graders.service.broker import free_port


class LocalService:
    """`cda serve` on a free loopback port with its own gradebook in `folder`; stopped on exit."""

    def __init__(self, folder: Path, workers: int = 2, env: dict[str, str] | None = None,
                 broker: str | None = None):
        self.folder = folder
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.state = folder / "service-state.json"
        self.env = {**os.environ, "CDA_GRADEBOOK": str(folder / "gradebook.sqlite"),
                    "CDA_SERVICE_STATE": str(self.state), **(env or {})}
        self.argv = [sys.executable, "-c", "from graders.cli import main; main()", "serve", "--port",
                     str(self.port), "--workers", str(workers)] + (["--broker", broker] if broker else [])
        self.proc: subprocess.Popen | None = None

    def cda(self, *args: str) -> str:
        done = subprocess.run([sys.executable, "-c", "from graders.cli import main; main()", *args],
                              env=self.env, capture_output=True, text=True, timeout=120)
        if done.returncode:
            raise RuntimeError(f"cda {' '.join(args)}: {done.stderr.strip()}")
        return done.stdout

    def token(self, learner: str, instructor: bool = False) -> str:
        return self.cda("token", "create", learner, *(["--instructor"] if instructor else [])).strip()

    def start(self, timeout: float = 90) -> "LocalService":
        self.log = open(self.folder / "serve.log", "ab")
        self.proc = subprocess.Popen(self.argv, env=self.env, stdout=self.log, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        try:
            return self.wait_ready(timeout)
        except BaseException:
            self.stop()
            raise

    def wait_ready(self, timeout: float) -> "LocalService":
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"cda serve ended: {(self.folder / 'serve.log').read_text()[-2000:]}")
            try:
                if httpx.get(self.url + "/api/health", timeout=2).status_code == 200 and self.state.exists():
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        raise RuntimeError("cda serve did not answer")

    def workers(self) -> list[int]:
        return json.loads(self.state.read_text())["workers"]

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)
        if getattr(self, "log", None):
            self.log.close()

    def __enter__(self) -> "LocalService":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def submit(client: httpx.Client, url: str, token: str, lab: str, name: str, data: bytes) -> httpx.Response:
    return client.post(url + "/api/submissions", headers={"Authorization": f"Bearer {token}"},
                       data={"lab": lab}, files={"archive": (name, data, "application/octet-stream")}, timeout=60)


def status(client: httpx.Client, url: str, token: str, ident: str) -> dict:
    return client.get(f"{url}/api/submissions/{ident}", headers={"Authorization": f"Bearer {token}"},
                      timeout=30).json()


def wait_all(client: httpx.Client, url: str, token: str, idents: set[str], timeout: float,
             done_at: dict[str, float] | None = None) -> dict[str, dict]:
    """Poll until every submission is graded or failed (or the timeout); return the last answers."""
    answers: dict[str, dict] = {}
    deadline = time.monotonic() + timeout
    pending = set(idents)
    while pending and time.monotonic() < deadline:
        listing = client.get(url + "/api/submissions", headers={"Authorization": f"Bearer {token}"}, timeout=30).json()
        for row in listing:
            if row["id"] in pending and row["status"] in ("graded", "failed"):
                pending.discard(row["id"])
                if done_at is not None:
                    done_at[row["id"]] = time.monotonic()
        time.sleep(0.25)
    for ident in idents:
        answers[ident] = status(client, url, token, ident)
    return answers


def grading_child(engine, worker_pids: list[int]) -> tuple[int, str] | None:
    """(worker main pid, submission id) of a worker whose pool process is grading right now, by the
    gradebook's `running` rows (the claim names the pool process): a kill then lands mid-grade."""
    import psutil

    from graders.service.models import ServiceSubmission

    with Session(engine) as session:
        running = {row.worker: row.id for row in session.scalars(
            select(ServiceSubmission).where(ServiceSubmission.status == "running"))}
    for pid in worker_pids:
        try:
            children = psutil.Process(pid).children()
        except psutil.NoSuchProcess:
            continue
        for child in children:
            ident = running.get(f"{socket.gethostname()}:{child.pid}")
            if ident:
                return pid, ident
    return None
