"""The grading service end to end: `cda serve` with its own broker and two Celery workers, 40
submissions of two labs posted at once by two learners, one worker SIGKILLed mid-grade; every
submission graded once, with `cda grade`'s scores. Then a RabbitMQ broker, and the hard time limit."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import psutil
import pytest
import yaml
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from graders.instructor.gradebook import Submission
from graders.service.harness import LocalService, grading_child, status, submit, wait_all
from graders.service.models import ServiceSubmission
from graders.services.base import services_root
from tests.helpers import FIXTURE_LABS, REPO
from tests.service_helpers import VARIANTS, expected_scores, hidden_texts, zip_of

pytestmark = [pytest.mark.timeout(400), pytest.mark.slow]
PLAN = ["pen-solution"] * 30 + ["mini-solution"] * 5 + ["mini-starter"] * 5  # 40 submissions, two labs


def test_forty_submissions_graded_once_each_with_a_worker_killed(tmp_path):
    expected = expected_scores(tmp_path, set(PLAN))
    env = {"CDA_LABS_DIR": str(FIXTURE_LABS), "CDA_SERVICE_LEASE_S": "4"}
    with LocalService(tmp_path, workers=2, env=env) as service:
        tokens = {name: service.token(name) for name in ("alice", "bob")}
        prof = service.token("prof", instructor=True)
        jobs = [(("alice", "bob")[n % 2], variant, zip_of(VARIANTS[variant][1], {"NOTE.txt": b"%d" % n}))
                for n, variant in enumerate(PLAN)]
        with httpx.Client() as client, ThreadPoolExecutor(8) as pool:
            answers = list(pool.map(lambda job: submit(client, service.url, tokens[job[0]], VARIANTS[job[1]][0],
                                                       "work.zip", job[2]), jobs))
            assert [a.status_code for a in answers] == [202] * 40, [a.text for a in answers if a.status_code != 202]
            idents = [a.json()["id"] for a in answers]
            assert len(set(idents)) == 40
            engine = create_engine(f"sqlite:///{tmp_path / 'gradebook.sqlite'}")
            deadline = time.monotonic() + 60
            while (victim := grading_child(engine, service.workers())) is None and time.monotonic() < deadline:
                time.sleep(0.05)
            assert victim, "no worker was seen grading"
            os.killpg(victim[0], signal.SIGKILL)  # the worker and its pool process, mid-grade
            final = wait_all(client, service.url, prof, set(idents), timeout=240)
            other = status(client, service.url, tokens["bob"], idents[0])  # alice's
            assert other == {"detail": "no such submission"}
        states = {ident: answer["status"] for ident, answer in final.items()}
        assert set(states.values()) == {"graded"}, {i: (a["status"], a["reason"]) for i, a in final.items()}
        for (learner, variant, _data), ident in zip(jobs, idents):
            assert final[ident]["learner"] == learner
            assert final[ident]["result"]["score"] == expected[variant], (variant, final[ident]["result"]["score"])
        with Session(engine) as session:
            assert session.scalar(select(func.count()).select_from(Submission)) == 40  # once each
            assert session.get(ServiceSubmission, victim[1]).attempts >= 2  # the killed one, graded again
        text = json.dumps(final)
        assert not [secret for secret in hidden_texts() if secret in text]
        assert len(service.workers()) == 2 and victim[0] not in service.workers()  # replaced
        service_pids = service.workers()
        ci_template_gets_hidden_test_feedback(service, tokens["alice"], tmp_path / "learner-repo")
    # Stopped (SIGTERM): its workers and its broker gone, the broker's folder removed.
    assert not [p for p in service_pids if psutil.pid_exists(p) and psutil.Process(p).status() != "zombie"]
    assert str(service.proc.pid) not in [p.read_text() for p in services_root().glob("cda-broker-*/owner.pid")]


def ci_template_gets_hidden_test_feedback(service, token: str, repo):
    """The service branch of the GitLab template's script, run as its shell would, on a learner repository."""
    script = yaml.safe_load((REPO / "environments" / "ci" / "gitlab-ci.yml").read_text())["cda"]["script"][0]
    branch = script.split("then\n", 1)[1].split("\nelse\n", 1)[0]
    branch = "\n".join(line for line in branch.splitlines() if "apt-get" not in line)  # curl and git are here
    shutil.copytree(VARIANTS["mini-starter"][1], repo)
    (repo / ".cda-lab").write_text("mini-lab\n")
    for argv in (["init", "-q"], ["add", "."], ["-c", "user.name=l", "-c", "user.email=l@x", "commit", "-qm", "w"]):
        subprocess.run(["git", *argv], cwd=repo, check=True)
    done = subprocess.run(["sh", "-ec", branch], cwd=repo, capture_output=True, text=True, timeout=180,
                          env={**os.environ, "CDA_SERVICE_URL": service.url, "CDA_SERVICE_TOKEN": token})
    assert done.returncode == 0, done.stderr
    junit = (repo / "cda-junit.xml").read_text()
    assert "test_hidden.py::test_divide" in junit or "test_divide" in junit  # a hidden test, by name
    assert json.loads((repo / "cda.json").read_text())["status"] == "graded" and "HIDDEN-TEST-SOURCE" not in junit


def rabbitmq_reason() -> str | None:
    try:
        socket.create_connection(("127.0.0.1", 5672), timeout=2).close()
    except OSError as exc:
        return f"no RabbitMQ on 127.0.0.1:5672 ({exc})"
    return None


def add_worker(service: LocalService, broker: str, **env: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", "from graders.cli import main; main()", "worker", "--broker", broker],
                            env={**service.env, **env}, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def stop_worker(worker: subprocess.Popen) -> None:
    os.killpg(worker.pid, signal.SIGTERM)
    try:
        worker.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)


def test_rabbitmq_broker_and_the_hard_time_limit(tmp_path):
    """`cda serve --broker amqp://...` with a worker added by `cda worker`; then a worker whose time
    limit every grading outlives: the grading is killed and the submission failed with the reason."""
    if reason := rabbitmq_reason():
        pytest.skip(reason)
    broker = "amqp://guest:guest@127.0.0.1:5672//"
    env = {"CDA_LABS_DIR": str(FIXTURE_LABS), "CDA_SERVICE_QUEUE": f"cda-test-{os.getpid()}-{time.time_ns()}"}
    with LocalService(tmp_path, workers=0, env=env, broker=broker) as service:
        token = service.token("alice")
        with httpx.Client() as client:
            worker = add_worker(service, broker)
            try:
                good = submit(client, service.url, token, "penalites-lab", "ok.zip", zip_of(VARIANTS["pen-solution"][1]))
                first = wait_all(client, service.url, token, {good.json()["id"]}, timeout=120)
            finally:
                stop_worker(worker)
            worker = add_worker(service, broker, CDA_SERVICE_TIME_LIMIT_S="0.5")
            try:
                slow = submit(client, service.url, token, "penalites-lab", "slow.zip",
                              zip_of(VARIANTS["pen-solution"][1], {"NOTE.txt": b"slow"}))
                second = wait_all(client, service.url, token, {slow.json()["id"]}, timeout=120)
            finally:
                stop_worker(worker)
    from kombu import Connection

    with Connection(broker) as connection:  # leave the shared RabbitMQ as it was
        connection.default_channel.queue_delete(env["CDA_SERVICE_QUEUE"])
    assert first[good.json()["id"]]["status"] == "graded"
    assert first[good.json()["id"]]["result"]["score"] == 8
    hung = second[slow.json()["id"]]
    assert hung["status"] == "failed" and hung["reason"] == "time limit exceeded: grading stopped after 0.5 s", hung
