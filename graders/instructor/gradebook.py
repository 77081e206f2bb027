"""The gradebook: learners, labs, submissions, results and criterion verdicts, and trainers' reviews.

SQLite by default, one file (`CDA_GRADEBOOK` or `--gradebook` names another, a `postgresql://` URL
uses PostgreSQL). SQLAlchemy 2; the tables are created when missing. One transaction per
submission: a grading that crashes or is interrupted leaves the gradebook as it was before it.
Regrading the same content (same learner, lab and content hash) replaces the earlier result.
"""

from __future__ import annotations

import hashlib
import json
import os
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import (JSON, DateTime, Float, ForeignKey, String, Text, UniqueConstraint, create_engine, delete,
                        event, select)
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship

from graders.errors import BadInput
from graders.results import Result

DEFAULT_FILE = "cda-gradebook.sqlite"
VERDICTS = ("acquired", "consolidate", "not-acquired", "not-assessed")


def now() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)


class Base(DeclarativeBase):
    pass


class Learner(Base):
    __tablename__ = "learners"
    id: Mapped[str] = mapped_column(String(200), primary_key=True)
    name: Mapped[str | None] = mapped_column(String(400))
    external_id: Mapped[str | None] = mapped_column(String(100))  # Moodle's participant id, when collected from Moodle


class LabRow(Base):
    __tablename__ = "labs"
    id: Mapped[str] = mapped_column(String(200), primary_key=True)
    title: Mapped[str | None] = mapped_column(String(400))


class Submission(Base):
    __tablename__ = "submissions"
    __table_args__ = (UniqueConstraint("learner_id", "lab_id", "content_hash"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    learner_id: Mapped[str] = mapped_column(ForeignKey("learners.id"), index=True)
    lab_id: Mapped[str] = mapped_column(ForeignKey("labs.id"), index=True)
    content_hash: Mapped[str] = mapped_column(String(64))
    commit: Mapped[str | None] = mapped_column(String(64))
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    graded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    score: Mapped[float] = mapped_column(Float)
    max_score: Mapped[float] = mapped_column(Float)
    result: Mapped[dict] = mapped_column(JSON)
    verdicts: Mapped[list["CriterionVerdict"]] = relationship(cascade="all, delete-orphan", back_populates="submission")


class CriterionVerdict(Base):
    __tablename__ = "criterion_verdicts"
    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"), index=True)
    criterion: Mapped[str] = mapped_column(String(20))
    competence: Mapped[str] = mapped_column(String(10))
    verdict: Mapped[str] = mapped_column(String(20))
    fraction: Mapped[float | None] = mapped_column(Float)
    evidence: Mapped[dict] = mapped_column(JSON)  # evidence, blocking flaws, rubric of the result contract
    submission: Mapped[Submission] = relationship(back_populates="verdicts")


class Review(Base):
    """A trainer's verdict on a criterion of a learner's lab; the automatic one is kept beside it."""

    __tablename__ = "reviews"
    id: Mapped[int] = mapped_column(primary_key=True)
    learner_id: Mapped[str] = mapped_column(ForeignKey("learners.id"), index=True)
    lab_id: Mapped[str] = mapped_column(ForeignKey("labs.id"))
    content_hash: Mapped[str] = mapped_column(String(64))  # the submission reviewed
    criterion: Mapped[str] = mapped_column(String(20))
    verdict: Mapped[str] = mapped_column(String(20))
    automatic_verdict: Mapped[str | None] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")
    reviewer: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


def gradebook_url(location: str | None = None) -> str:
    value = location or os.environ.get("CDA_GRADEBOOK") or DEFAULT_FILE
    if value.startswith(("postgresql://", "postgresql+psycopg://")):
        return value.replace("postgresql://", "postgresql+psycopg://", 1)
    if value.startswith("sqlite:///"):
        return value
    if "://" in value:
        raise BadInput(f"{value}: a gradebook is a file path or a postgresql:// URL")
    return f"sqlite:///{Path(value).resolve()}"


MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config():
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def migrate(engine) -> None:
    """Bring the gradebook's tables to the latest revision (Alembic, graders/instructor/migrations)."""
    from alembic import command

    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def open_gradebook(location: str | None = None):
    """An engine on the gradebook, its tables created when missing (exit 2 when unreachable)."""
    url = gradebook_url(location)
    engine = create_engine(url)
    if url.startswith("sqlite"):
        @event.listens_for(engine, "connect")
        def _pragmas(connection, _record):  # noqa: ANN001
            connection.execute("PRAGMA foreign_keys=ON")
            connection.execute("PRAGMA busy_timeout=30000")
    try:
        migrate(engine)
    except SQLAlchemyError as exc:
        detail = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0][:200]
        raise BadInput(f"gradebook {location or url}: cannot open ({type(exc).__name__}: {detail})") from None
    return engine


def content_hash(path: Path) -> str:
    """SHA-256 over the relative paths and bytes of a submission's files (a file: its bytes)."""
    digest = hashlib.sha256()
    files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file() and not p.is_symlink())
    for file in files:
        rel = file.name if path.is_file() else file.relative_to(path).as_posix()
        digest.update(rel.encode() + b"\0" + file.read_bytes() + b"\0")
    return digest.hexdigest()


def graded_hashes(engine, lab_id: str) -> set[tuple[str, str]]:
    with Session(engine) as session:
        return {tuple(row) for row in session.execute(select(Submission.learner_id, Submission.content_hash)
                                   .where(Submission.lab_id == lab_id))}


def store_result(engine, learner: str, result: Result, digest: str, *, commit: str | None = None,
                 submitted_at: datetime | None = None, name: str | None = None, external_id: str | None = None) -> int:
    """Record one graded submission and its criterion verdicts in one transaction."""
    with Session(engine) as session, session.begin():
        return store_in_session(session, learner, result, digest, commit=commit, submitted_at=submitted_at,
                                name=name, external_id=external_id)


def store_in_session(session: Session, learner: str, result: Result, digest: str, *, commit: str | None = None,
                     submitted_at: datetime | None = None, name: str | None = None,
                     external_id: str | None = None) -> int:
    """`store_result` inside the caller's transaction (the service writes its own status in the same one)."""
    person = session.get(Learner, learner)
    if person is None:
        session.add(Learner(id=learner, name=name, external_id=external_id))
    elif name or external_id:
        person.name, person.external_id = name or person.name, external_id or person.external_id
    if session.get(LabRow, result.lab) is None:
        session.add(LabRow(id=result.lab, title=result.lab_title))
    session.flush()
    session.execute(delete(Submission).where(Submission.learner_id == learner, Submission.lab_id == result.lab,
                                             Submission.content_hash == digest))
    row = Submission(learner_id=learner, lab_id=result.lab, content_hash=digest, commit=commit,
                     submitted_at=submitted_at, graded_at=now(), score=result.score, max_score=result.max_score,
                     result=json.loads(result.model_dump_json()))
    row.verdicts = [CriterionVerdict(criterion=c.id, competence=c.competence, verdict=c.verdict, fraction=c.fraction,
                                     evidence={"evidence": [e.model_dump() for e in c.evidence],
                                               "blocking": [b.model_dump() for b in c.blocking],
                                               "rubric": c.rubric})
                    for c in result.criteria]
    session.add(row)
    session.flush()
    return row.id


def learners(engine) -> list[Learner]:
    with Session(engine) as session:
        return list(session.scalars(select(Learner).order_by(Learner.id)))


def submissions_of(session: Session, learner: str, lab: str | None = None) -> list[Submission]:
    query = select(Submission).where(Submission.learner_id == learner)
    if lab is not None:
        query = query.where(Submission.lab_id == lab)
    return list(session.scalars(query.order_by(Submission.lab_id, Submission.id)))


def attempt(submissions: list[Submission], policy: str = "latest", deadline: datetime | None = None):
    """The attempt that counts: `latest` (submitted, else graded, last), `best` (highest score),
    `deadline` (the latest submitted before the deadline)."""
    def when(s: Submission) -> datetime:
        stamp = s.submitted_at or s.graded_at
        return stamp if stamp.tzinfo else stamp.replace(tzinfo=timezone.utc)
    pool = submissions
    if policy == "deadline" and deadline is not None:
        pool = [s for s in submissions if when(s) <= deadline]
    if not pool:
        return None
    if policy == "best":
        return max(pool, key=lambda s: ((s.score / s.max_score) if s.max_score else 0.0, when(s), s.id))
    return max(pool, key=lambda s: (when(s), s.id))


def record_review(engine, learner: str, lab: str, criterion: str, verdict: str, note: str, reviewer: str,
                  policy: str | None = None) -> Review:
    """Record a trainer's verdict on a criterion of the learner's attempt of `lab` that counts."""
    if verdict not in VERDICTS:
        raise BadInput(f"{verdict!r}: a verdict is one of {', '.join(VERDICTS)}")
    with Session(engine, expire_on_commit=False) as session, session.begin():
        from graders.instructor.record import lab_policy

        latest = attempt(submissions_of(session, learner, lab), lab_policy(lab, policy))
        if latest is None:
            raise BadInput(f"no graded submission of {lab!r} by {learner!r} in the gradebook")
        automatic = next((v.verdict for v in latest.verdicts if v.criterion == criterion), None)
        if automatic is None:
            known = ", ".join(sorted(v.criterion for v in latest.verdicts)) or "none"
            raise BadInput(f"{lab}: criterion {criterion!r} is not assessed by this lab (it assesses {known})")
        review = Review(learner_id=learner, lab_id=lab, content_hash=latest.content_hash, criterion=criterion, verdict=verdict,
                        automatic_verdict=automatic, note=note, reviewer=reviewer, recorded_at=now())
        session.add(review)
    return review
