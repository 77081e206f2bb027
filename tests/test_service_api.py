"""The grading service's API in process (FastAPI's test client, workers called directly): tokens,
who sees what, upload limits and bad archives, rate limits and back-pressure, hidden-test text,
the audit log, the safety net for lost workers and hung tasks, the instructor page."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from graders.instructor.gradebook import Submission, open_gradebook
from graders.service import store
from graders.service.api import create_app
from graders.service.models import AuditEntry, ServiceSubmission, ServiceToken
from graders.service.serve import reconcile
from graders.service.settings import Settings
from graders.service.tasks import GradeTask, grade_one
from graders.service.views import lab_secrets
from tests.helpers import FIXTURE_LABS, run_cda
from tests.service_helpers import VARIANTS, hidden_texts, tar_gz_of, zip_of


def make_service(engine) -> dict:
    sent: list[str] = []

    def publish(ident: str) -> bool:
        sent.append(ident)
        return True

    def make(**limits):
        return TestClient(create_app(engine, publish, Settings(**{"max_upload_mb": 1.0, **limits})))
    tokens = {name: store.create_token(engine, name) for name in ("alice", "bob")}
    tokens["prof"] = store.create_token(engine, "prof", instructor=True)
    return {"engine": engine, "sent": sent, "make": make, "tokens": tokens, "client": make()}


@pytest.fixture
def service(tmp_path, monkeypatch):
    monkeypatch.setattr("graders.labs.LABS_DIR", FIXTURE_LABS)
    lab_secrets.cache_clear()
    return make_service(open_gradebook(str(tmp_path / "gb.sqlite")))


def auth(service, who: str) -> dict:
    return {"Authorization": f"Bearer {service['tokens'][who]}"}


def post(service, who: str, data: bytes, lab: str = "mini-lab", filename: str = "work.zip", client=None):
    client = client or service["client"]
    return client.post("/api/submissions", headers=auth(service, who), data={"lab": lab},
                       files={"archive": (filename, data, "application/octet-stream")})


def one_line(response) -> str:
    detail = response.json()["detail"]
    assert isinstance(detail, str) and "\n" not in detail and detail
    return detail


def test_token_create_prints_the_token_alone(tmp_path):
    done = run_cda("token", "create", "Dupont Émile", "--gradebook", str(tmp_path / "gb.sqlite"))
    assert done.returncode == 0 and re.fullmatch(r"cda_[A-Za-z0-9_-]{43}\n", done.stdout), done.stdout
    assert store.token_owner(open_gradebook(str(tmp_path / "gb.sqlite")), done.stdout.strip()) == ("dupont-emile", False)


def test_tokens_are_stored_hashed_and_wrong_ones_refused(service):
    with Session(service["engine"]) as session:
        stored = [row.token_hash for row in session.scalars(select(ServiceToken))]
    assert all(token not in stored for token in service["tokens"].values()) and len(stored) == 3
    client = service["client"]
    for headers in ({}, {"Authorization": "Bearer cda_wrong"}, {"Authorization": "Basic YWxpY2U6eA=="}):
        response = client.post("/api/submissions", headers=headers, data={"lab": "mini-lab"})
        assert response.status_code == 401 and "token" in one_line(response)
        assert client.get("/api/submissions/anything", headers=headers).status_code == 401


def test_learner_reaches_only_their_own_submissions_instructor_the_cohort_audited(service):
    response = post(service, "alice", zip_of(VARIANTS["mini-solution"][1]))
    assert response.status_code == 202, response.text
    ident = response.json()["id"]
    assert service["sent"] == [ident]
    client = service["client"]
    assert client.get(f"/api/submissions/{ident}", headers=auth(service, "alice")).json()["status"] == "queued"
    theirs = client.get(f"/api/submissions/{ident}", headers=auth(service, "bob"))
    assert theirs.status_code == 404 and one_line(theirs) == "no such submission"
    assert client.get(f"/api/submissions/{ident}/report/markdown", headers=auth(service, "bob")).status_code == 404
    assert client.get("/api/submissions", headers=auth(service, "bob")).json() == []
    assert client.get("/api/submissions?learner=alice", headers=auth(service, "bob")).json() == []
    assert client.get(f"/api/submissions/{ident}", headers=auth(service, "prof")).status_code == 200
    assert [row["id"] for row in client.get("/api/submissions", headers=auth(service, "prof")).json()] == [ident]
    assert client.get("/instructor", headers=auth(service, "bob")).status_code == 403
    assert client.get("/instructor", headers=auth(service, "prof")).status_code == 200
    with Session(service["engine"]) as session:
        actions = [(a.actor, a.action) for a in session.scalars(select(AuditEntry).order_by(AuditEntry.id))]
    assert ("prof", "read-submission") in actions and ("prof", "list-submissions") in actions
    assert ("prof", "view-instructor-page") in actions and ("cli", "token-create") in actions
    assert all(actor in ("prof", "cli") for actor, _ in actions)  # learners' own reads are not instructor actions


def test_same_content_gives_the_same_id_and_one_message(service):
    data = zip_of(VARIANTS["mini-solution"][1])
    first, again = post(service, "alice", data).json(), post(service, "alice", data).json()
    assert first["id"] == again["id"] and service["sent"] == [first["id"]]
    assert post(service, "bob", data).json()["id"] != first["id"]  # another learner's: their own


@pytest.mark.parametrize("name, data, status, words", [
    ("work.zip", b"PK\x03\x04 not really a zip", 422, "unreadable archive"),
    ("work.tar.gz", b"\x1f\x8b garbage", 422, "unreadable archive"),
    ("work.rar", b"Rar!", 422, "expected a .zip or .tar.gz"),
    ("work.zip", b"", 422, "empty archive"),
    ("work.tar.gz", tar_gz_of({"../../etc/evil.py": b"x = 1\n", "calc/core.py": b""}), 422, "outside the submission"),
    ("work.tar.gz", tar_gz_of({"/etc/evil.py": b"x = 1\n"}), 422, "outside the submission"),
    ("work.zip", b"x" * (1 << 20 + 1), 413, "larger than"),
])
def test_bad_uploads_get_one_line_and_the_service_keeps_serving(service, tmp_path, name, data, status, words):
    response = post(service, "alice", data, filename=name)
    assert response.status_code == status and words in one_line(response), response.text
    assert not (tmp_path / "etc").exists() and service["sent"] == []
    assert post(service, "alice", zip_of(VARIANTS["mini-solution"][1])).status_code == 202


def test_traversal_in_a_zip_and_too_many_files_are_refused(service):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("../outside.py", "print('x')\n")
    assert "outside the submission" in one_line(post(service, "alice", buffer.getvalue()))
    many = tar_gz_of({f"f{i}.txt": b"" for i in range(2001)})
    response = post(service, "alice", many, filename="many.tar.gz")
    assert response.status_code == 422 and "too large once extracted" in one_line(response)


def test_unknown_lab_missing_fields_and_git_checks(service):
    client = service["client"]
    for lab in ("nope", "../labs/mini-lab", str(FIXTURE_LABS / "mini-lab"), "mini-lab/../mini-lab"):
        assert "no such lab" in one_line(post(service, "alice", b"x", lab=lab))
    response = client.post("/api/submissions", headers=auth(service, "alice"), data={"lab": "mini-lab"})
    assert response.status_code == 422 and "archive" in one_line(response)
    for url, commit, words in [("file:///etc", "a" * 40, "git_url"), ("https://h/r.git", "main", "full commit hash")]:
        response = client.post("/api/submissions", headers=auth(service, "alice"),
                               data={"lab": "mini-lab", "git_url": url, "commit": commit})
        assert response.status_code == 422 and words in one_line(response)
    response = client.post("/api/submissions", headers=auth(service, "alice"),
                           data={"lab": "mini-lab", "git_url": "https://h/r.git", "commit": "a" * 40})
    assert response.status_code == 202


def test_rate_limit_and_back_pressure_answer_429_with_retry_after(service):
    limited = service["make"](rate_count=2, rate_window_s=60)
    for n in range(2):
        assert post(service, "alice", zip_of(VARIANTS["mini-solution"][1], {"n.txt": b"%d" % n}), client=limited).status_code == 202
    refused = post(service, "alice", zip_of(VARIANTS["mini-solution"][1], {"n.txt": b"3"}), client=limited)
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) >= 1 and "rate limit" in one_line(refused)
    assert post(service, "bob", zip_of(VARIANTS["mini-solution"][1]), client=limited).status_code == 202
    full = service["make"](max_backlog=3)
    refused = post(service, "bob", zip_of(VARIANTS["mini-starter"][1]), client=full)
    assert refused.status_code == 429 and refused.headers["Retry-After"] and "queue is full" in one_line(refused)


def test_graded_results_show_hidden_tests_by_name_and_verdict_only(service):
    engine, client = service["engine"], service["client"]
    ids = [post(service, "alice", zip_of(VARIANTS[v][1])).json()["id"] for v in ("mini-starter", "mini-solution")]
    for ident in ids:
        assert grade_one(ident, engine, Settings()) == "graded"
        assert grade_one(ident, engine, Settings()) == "skipped"  # a redelivery: nothing done twice
    with Session(engine) as session:
        assert session.scalar(select(Submission.id).where(Submission.learner_id == "alice").limit(5)) is not None
        assert len(list(session.scalars(select(Submission)))) == 2
    texts = []
    for ident in ids:
        body = client.get(f"/api/submissions/{ident}", headers=auth(service, "alice"))
        assert body.json()["status"] == "graded"
        hidden = next(c for c in body.json()["result"]["checks"] if c["id"] == "hidden")
        assert hidden["tests"] and all(set(t) == {"name", "status", "score", "max_score", "hidden"} for t in hidden["tests"])
        texts.append(body.text)
        for fmt in ("markdown", "junit", "sarif", "html", "json"):
            report = client.get(f"/api/submissions/{ident}/report/{fmt}", headers=auth(service, "alice"))
            assert report.status_code == 200
            texts.append(report.text)
    texts.append(client.get("/instructor", headers=auth(service, "prof")).text)
    assert "test_hidden.py::test_divide" in texts[0]
    for secret in hidden_texts():
        assert not any(secret in text for text in texts), secret


def test_a_lost_worker_is_replaced_and_a_hung_task_fails_with_the_reason(service, tmp_path, monkeypatch):
    monkeypatch.setenv("CDA_GRADEBOOK", str(tmp_path / "gb.sqlite"))  # where the worker's parent process writes
    engine = service["engine"]
    settings = Settings(lease_s=0.001, max_attempts=2)
    ident = post(service, "alice", zip_of(VARIANTS["mini-solution"][1])).json()["id"]
    assert store.claim(engine, ident, "dead-worker", settings.lease_s) is not None  # it dies: no renewal
    sent = []
    reconcile(engine, lambda i: sent.append(i) or True, settings)
    row = store.get(engine, ident)
    assert row.status == "queued" and sent == [ident] and row.published_at is not None
    store.claim(engine, ident, "dead-again", settings.lease_s)
    reconcile(engine, lambda i: True, settings)
    row = store.get(engine, ident)
    assert row.status == "failed" and row.reason == "worker lost 2 times while grading it"
    from billiard.exceptions import TimeLimitExceeded

    other = post(service, "bob", zip_of(VARIANTS["mini-solution"][1])).json()["id"]
    store.claim(engine, other, "w", 60)
    GradeTask.on_failure(GradeTask(), TimeLimitExceeded(600), "task", [other], {}, None)
    row = store.get(engine, other)
    assert row.status == "failed" and row.reason.startswith("time limit exceeded")
    body = service["client"].get(f"/api/submissions/{other}", headers=auth(service, "bob")).json()
    assert body["status"] == "failed" and "time limit" in body["reason"] and body["result"] is None


def test_openapi_is_published(service):
    spec = service["client"].get("/openapi.json").json()
    assert {"/api/submissions", "/api/submissions/{ident}"} <= set(spec["paths"])
    assert "multipart/form-data" in spec["paths"]["/api/submissions"]["post"]["requestBody"]["content"]


@pytest.mark.browser
def test_instructor_page_is_axe_clean_and_tells_verdicts_in_text(service, page):
    from graders.browser import axe_audit, format_violations

    engine, client = service["engine"], service["client"]
    ident = post(service, "alice", zip_of(VARIANTS["mini-starter"][1])).json()["id"]
    grade_one(ident, engine, Settings())
    post(service, "bob", zip_of(VARIANTS["pen-solution"][1]), lab="penalites-lab")
    login = client.post("/login", data={"token": service["tokens"]["prof"]}, follow_redirects=False)
    assert login.status_code == 303 and "httponly" in login.headers["set-cookie"].lower()
    for lang in ("fr", "en"):
        html = client.get(f"/instructor?lang={lang}", cookies={"cda_token": service["tokens"]["prof"]}).text
        assert "alice" in html and "bob" in html and "C3.1" in html
        page.set_content(html)
        violations = axe_audit(page)
        assert not violations, format_violations(violations)
    page.set_content(client.get("/login").text)
    assert not axe_audit(page)
    assert client.post("/login", data={"token": service["tokens"]["alice"]}).status_code == 401


def test_the_lifecycle_on_a_postgresql_gradebook(monkeypatch):
    from graders.services import default_pool
    from graders.services import postgres as pg

    if pg.unavailable_reason():
        pytest.skip(f"PostgreSQL: {pg.unavailable_reason()}")
    monkeypatch.setattr("graders.labs.LABS_DIR", FIXTURE_LABS)
    db = default_pool().postgres(exposed=False).provision()
    try:
        engine = open_gradebook(db.host_url)
        assert engine.dialect.name == "postgresql"
        service = make_service(engine)
        ident = post(service, "alice", zip_of(VARIANTS["pen-solution"][1]), lab="penalites-lab").json()["id"]
        assert service["client"].get(f"/api/submissions/{ident}", headers=auth(service, "bob")).status_code == 404
        assert grade_one(ident, engine, Settings()) == "graded" and grade_one(ident, engine, Settings()) == "skipped"
        body = service["client"].get(f"/api/submissions/{ident}", headers=auth(service, "alice")).json()
        assert body["status"] == "graded" and body["result"]["score"] == 8
        engine.dispose()
    finally:
        db.release()
