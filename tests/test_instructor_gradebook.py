"""The gradebook behind `cda cohort grade`, `cda review` and `cda record`, on the fixture mini-lab:
a cohort collected from a Moodle zip and graded; records that show each learner's verdicts as
graded; a review that changes the record and keeps the automatic verdict; regrading replaces; a
crash or an interrupted run leaves the gradebook consistent; the same on PostgreSQL."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from graders.errors import BadInput
from graders.instructor import gradebook as gb
from graders.instructor.record import build_record
from graders.instructor.record_view import record_html
from graders.labs import load_lab
from graders.results import Result
from graders.verdicts import criterion_verdicts
from tests.helpers import FIXTURE_LABS, REPO, run_cda

MINI = FIXTURE_LABS / "mini-lab"
LEARNERS = {"Dupont Émile": MINI / "solution", "Martin Zoé": MINI / "starter", "Petit Léa": MINI / "examples" / "partial"}


def moodle_zip(path: Path) -> Path:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for number, (name, folder) in enumerate(LEARNERS.items(), 1):
            for file in sorted(folder.rglob("*")):
                if file.is_file() and "__pycache__" not in file.parts:
                    archive.write(file, f"{name}_{number}000_assignsubmission_file_/{file.relative_to(folder)}")
    path.write_bytes(buffer.getvalue())
    return path


def collect_and_grade(root: Path, book: str | None = None) -> str:
    book = book or str(root / "gradebook.sqlite")
    done = run_cda("collect", "--moodle", str(moodle_zip(root / "moodle.zip")), "-o", str(root / "subs"))
    assert done.returncode == 0, done.stderr
    done = run_cda("cohort", "grade", str(MINI), str(root / "subs"), "-o", str(root / "out"), "-j", "2",
                   "--gradebook", book)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("3 submissions graded")
    return book


def counts(engine) -> tuple[int, int]:
    with Session(engine) as session:
        return (session.scalar(select(func.count()).select_from(gb.Submission)),
                session.scalar(select(func.count()).select_from(gb.CriterionVerdict)))


@pytest.fixture(params=["sqlite", "postgresql"])
def gradebook_url(request, tmp_path):
    """The gradebook of the whole flow: a SQLite file, or a database of the throwaway PostgreSQL cluster."""
    if request.param == "sqlite":
        yield str(tmp_path / "gradebook.sqlite")
        return
    from graders.services import default_pool
    from graders.services import postgres as pg

    if pg.unavailable_reason():
        pytest.skip(f"PostgreSQL: {pg.unavailable_reason()}")
    db = default_pool().postgres(exposed=False).provision()
    try:
        yield db.host_url
    finally:
        db.release()


def test_a_cohort_from_moodle_graded_recorded_rerun_and_reviewed(tmp_path, gradebook_url):
    root = tmp_path
    book = collect_and_grade(root, gradebook_url)
    engine = gb.open_gradebook(book)
    # -- each learner's record shows their verdicts as graded
    verdicts = {}
    for learner in ("dupont-emile", "martin-zoe", "petit-lea"):
        graded = Result.model_validate_json((root / "out" / "results" / f"{learner}.json").read_text())
        record = build_record(engine, learner)
        assert record["learner"] == learner and len(record["criteria"]) == 53
        mine = {c["id"]: c["verdict"] for c in record["criteria"] if c["labs"]}
        assert mine == {c.id: c.verdict for c in graded.criteria}
        assert all(c["verdict"] == "not-assessed" for c in record["criteria"] if not c["labs"])
        verdicts[learner] = mine
    assert verdicts["dupont-emile"]["C3.1"] == "acquired"
    assert verdicts["martin-zoe"]["C3.1"] == "not-acquired"
    assert verdicts["petit-lea"]["C6.1"] == "not-acquired"  # imports subprocess from the core
    done = run_cda("record", "dupont-emile", "--gradebook", book, "--json", str(root / "r.json"),
                   "--html", str(root / "r.html"))
    assert done.returncode == 0, done.stderr
    assert "C3.1" in done.stdout and "CCP1" in done.stdout
    record = json.loads((root / "r.json").read_text())
    assert {"id": "C3.1", "verdict": "acquired"}.items() <= next(c for c in record["criteria"] if c["id"] == "C3.1").items()
    assert not any(ccp["ready"] for ccp in record["ccps"])  # one lab shows a few criteria, not a whole CCP
    entry = next(c for c in record["criteria"] if c["id"] == "C3.1")["labs"][0]
    assert entry["lab"] == "mini-lab" and entry["evidence"] and entry["content_hash"]
    # -- a rerun grades only what the gradebook lacks
    done = run_cda("cohort", "grade", str(MINI), str(root / "subs"), "-o", str(root / "out2"), "--gradebook", book)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("0 submissions graded") and "3 already in the gradebook" in done.stdout
    assert len((root / "out2" / "grades.csv").read_text().splitlines()) == 4
    assert counts(engine)[0] == 3
    # -- a review overrides, keeps the automatic verdict, who and why
    done = run_cda("review", "martin-zoe", "mini-lab", "C3.2", "--verdict", "consolidate", "--note", "relu en séance",
                   "--reviewer", "Mme Formatrice", "--gradebook", book)
    assert done.returncode == 0, done.stderr
    record = build_record(engine, "martin-zoe")
    entry = next(c for c in record["criteria"] if c["id"] == "C3.2")
    assert entry["verdict"] == "consolidate"
    lab = entry["labs"][0]
    assert lab["automatic_verdict"] != "consolidate" and lab["verdict"] == "consolidate"
    assert lab["reviews"][-1]["reviewer"] == "Mme Formatrice" and lab["reviews"][-1]["note"] == "relu en séance"
    assert lab["reviews"][-1]["recorded_at"]
    html = record_html(record, "fr")
    assert "relu en séance" in html and "Mme Formatrice" in html
    done = run_cda("review", "martin-zoe", "mini-lab", "C9.9", "--verdict", "acquired", "--note", "x", "--gradebook", book)
    assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1
    with pytest.raises(BadInput, match="a verdict is one of"):
        gb.record_review(engine, "martin-zoe", "mini-lab", "C3.2", "great", "x", "T")
    engine.dispose()


def rubric_result() -> Result:
    """A c6 result with nothing run: its rubric criterion is not assessed until a trainer says."""
    lab = load_lab(REPO / "labs" / "c6-architecture-couches")
    return Result(lab=lab.id, status="graded", criteria=criterion_verdicts(lab.manifest, []))


def test_a_rubric_item_is_not_assessed_until_a_trainer_records_a_verdict(tmp_path):
    engine = gb.open_gradebook(str(tmp_path / "g.sqlite"))
    gb.store_result(engine, "alice", rubric_result(), "h1")
    before = next(c for c in build_record(engine, "alice")["criteria"] if c["id"] == "C6.3")
    assert before["verdict"] == "not-assessed" and before["labs"][0]["rubric"]
    gb.record_review(engine, "alice", "c6-architecture-couches", "C6.3", "acquired", "README: choix justifiés", "T")
    after = next(c for c in build_record(engine, "alice", lang="en")["criteria"] if c["id"] == "C6.3")
    assert after["verdict"] == "acquired" and after["labs"][0]["automatic_verdict"] == "not-assessed"
    gb.store_result(engine, "alice", rubric_result(), "h2")  # a new submission: the review was of the other one
    again = next(c for c in build_record(engine, "alice")["criteria"] if c["id"] == "C6.3")
    assert again["verdict"] == "not-assessed"
    best = next(c for c in build_record(engine, "alice", policy="best")["criteria"] if c["id"] == "C6.3")
    assert best["labs"][0]["content_hash"] in ("h1", "h2")


def test_regrading_the_same_content_replaces_and_a_crash_changes_nothing(tmp_path, monkeypatch):
    engine = gb.open_gradebook(str(tmp_path / "g.sqlite"))
    result = rubric_result()
    gb.store_result(engine, "alice", result, "same")
    once = counts(engine)
    gb.store_result(engine, "alice", result, "same")
    assert counts(engine) == once and once[0] == 1 and once[1] == len(result.criteria)

    def crash():
        raise RuntimeError("power cut")
    monkeypatch.setattr(gb, "now", crash)  # after the earlier row's delete, inside the transaction
    with pytest.raises(RuntimeError):
        gb.store_result(engine, "alice", result, "same")
    assert counts(engine) == once


def test_an_interrupted_cohort_keeps_what_it_finished_and_a_rerun_grades_the_rest(tmp_path, monkeypatch):
    import graders.engine
    from graders.instructor.cohort_grading import grade_to_gradebook

    subs = tmp_path / "subs"
    for name, folder in (("a", MINI / "solution"), ("b", MINI / "starter")):
        (subs / name).mkdir(parents=True)
        for file in folder.rglob("*.py"):
            target = subs / name / file.relative_to(folder)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(file.read_bytes())
    lab, book = load_lab(MINI), str(tmp_path / "g.sqlite")
    real = graders.engine.grade

    def flaky(lab_, path, **kw):
        if path.name == "b":
            raise KeyboardInterrupt
        return real(lab_, path, **kw)
    monkeypatch.setattr(graders.engine, "grade", flaky)
    with pytest.raises(KeyboardInterrupt):
        grade_to_gradebook(lab, {"a": subs / "a", "b": subs / "b"}, subs, 1, "fr", book)
    engine = gb.open_gradebook(book)
    assert counts(engine)[0] in (0, 1)  # b interrupted: a stored whole or not at all
    done_before = counts(engine)[0]
    monkeypatch.setattr(graders.engine, "grade", real)
    results, graded = grade_to_gradebook(lab, {"a": subs / "a", "b": subs / "b"}, subs, 1, "fr", book)
    assert graded == 2 - done_before and set(results) == {"a", "b"}
    assert counts(engine)[0] == 2


def test_bad_gradebooks_and_unknown_learners_are_bad_input(tmp_path):
    with pytest.raises(BadInput):
        gb.gradebook_url("mysql://x")
    engine = gb.open_gradebook(str(tmp_path / "g.sqlite"))
    with pytest.raises(BadInput, match="no such learner"):
        build_record(engine, "nobody")
    from graders.instructor.commands import check_policy
    with pytest.raises(BadInput, match="--deadline"):
        check_policy("deadline", None)


def test_the_same_flow_on_postgresql():
    from graders.services import default_pool
    from graders.services import postgres as pg

    if pg.unavailable_reason():
        pytest.skip(f"PostgreSQL: {pg.unavailable_reason()}")
    db = default_pool().postgres(exposed=False).provision()
    try:
        engine = gb.open_gradebook(db.host_url)
        assert engine.dialect.name == "postgresql"
        gb.store_result(engine, "alice", rubric_result(), "h1")
        gb.store_result(engine, "alice", rubric_result(), "h1")
        assert counts(engine)[0] == 1
        gb.record_review(engine, "alice", "c6-architecture-couches", "C6.3", "acquired", "vu", "T")
        entry = next(c for c in build_record(engine, "alice")["criteria"] if c["id"] == "C6.3")
        assert entry["verdict"] == "acquired" and entry["labs"][0]["automatic_verdict"] == "not-assessed"
        engine.dispose()
    finally:
        db.release()


def test_the_migrations_give_exactly_the_models_tables(tmp_path):
    from alembic import command

    engine = gb.open_gradebook(str(tmp_path / "g.sqlite"))  # upgraded to head
    config = gb.alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.check(config)  # raises when the models differ from what the migrations built


def test_the_attempt_that_counts_follows_the_labs_policy_unless_asked(tmp_path, monkeypatch):
    from datetime import datetime, timezone

    import graders.instructor.record as record_mod

    engine = gb.open_gradebook(str(tmp_path / "g.sqlite"))
    good = Result.model_validate_json((REPO / "tests" / "golden" / "mini-lab" / "solution.json").read_text())
    bad = Result.model_validate_json((REPO / "tests" / "golden" / "mini-lab" / "starter.json").read_text())
    gb.store_result(engine, "alice", good, "first", submitted_at=datetime(2026, 11, 1, tzinfo=timezone.utc))
    gb.store_result(engine, "alice", bad, "second", submitted_at=datetime(2026, 11, 3, tzinfo=timezone.utc))

    def c31(**kw):
        return next(c for c in build_record(engine, "alice", **kw)["criteria"] if c["id"] == "C3.1")["verdict"]
    assert c31() == "not-acquired"  # mini-lab is not in labs/: latest
    assert c31(policy="best") == "acquired"
    assert c31(policy="deadline", deadline=datetime(2026, 11, 2, tzinfo=timezone.utc)) == "acquired"
    monkeypatch.setattr(record_mod, "_manifest_policy", lambda lab_id: "best")
    assert c31() == "acquired"


def test_killing_a_cohort_grading_halfway_leaves_a_consistent_gradebook(tmp_path):
    """SIGKILL to the whole `cda cohort grade` once it stored a result; the rerun grades only the rest."""
    import os
    import signal
    import sqlite3
    import subprocess
    import time

    from tests.helpers import CDA

    subs = tmp_path / "subs"
    for i in range(4):
        for file in (MINI / "solution").rglob("*.py"):
            target = subs / f"l{i}" / file.relative_to(MINI / "solution")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(file.read_text() + f"\n# learner {i}\n")
    book = tmp_path / "g.sqlite"
    run = subprocess.Popen([CDA, "cohort", "grade", str(MINI), str(subs), "-o", str(tmp_path / "out"), "-j", "1",
                            "--gradebook", str(book)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                           start_new_session=True)
    stored = 0
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline and run.poll() is None and stored == 0:
            time.sleep(0.2)
            if book.exists():
                try:
                    with sqlite3.connect(book, timeout=30) as db:
                        stored = db.execute("SELECT count(*) FROM submissions").fetchone()[0]
                except sqlite3.OperationalError:  # tables not created yet
                    pass
    finally:
        if run.poll() is None:
            os.killpg(run.pid, signal.SIGKILL)
        run.wait()
    if run.returncode == 0:
        pytest.skip("the grading ended before it could be killed halfway (an idle machine)")
    with sqlite3.connect(book) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        kept = db.execute("SELECT count(*) FROM submissions").fetchone()[0]
        assert 1 <= kept < 4
        orphans = db.execute("SELECT count(*) FROM submissions s WHERE NOT EXISTS "
                             "(SELECT 1 FROM criterion_verdicts v WHERE v.submission_id = s.id)").fetchone()[0]
        assert orphans == 0
    done = run_cda("cohort", "grade", str(MINI), str(subs), "-o", str(tmp_path / "out"), "-j", "2",
                   "--gradebook", str(book))
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"{4 - kept} submissions graded") and f"({kept} already" in done.stdout
    assert counts(gb.open_gradebook(str(book)))[0] == 4


def test_regrade_grades_again_and_replaces(tmp_path):
    from graders.instructor.cohort_grading import grade_to_gradebook

    subs = tmp_path / "subs"
    for file in (MINI / "solution").rglob("*.py"):
        target = subs / "a" / file.relative_to(MINI / "solution")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(file.read_bytes())
    lab, book = load_lab(MINI), str(tmp_path / "g.sqlite")
    assert grade_to_gradebook(lab, {"a": subs / "a"}, subs, 1, "fr", book)[1] == 1
    assert grade_to_gradebook(lab, {"a": subs / "a"}, subs, 1, "fr", book)[1] == 0
    assert grade_to_gradebook(lab, {"a": subs / "a"}, subs, 1, "fr", book, regrade=True)[1] == 1
    assert counts(gb.open_gradebook(book))[0] == 1
