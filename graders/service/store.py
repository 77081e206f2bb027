"""What the service reads and writes in the gradebook: tokens, submissions' lifecycle, the audit log.

Every state change is one short transaction. A worker claims a submission (queued, or running with
an expired lease) atomically, renews its lease while grading, and writes the result and `graded`
in one transaction; a second delivery of the same task finds it claimed or done and does nothing.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import datetime, timedelta, timezone

from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from graders.instructor.gradebook import Submission, now, store_in_session
from graders.results import Result
from graders.service.models import AuditEntry, ServiceSubmission, ServiceToken, ServiceUpload

TOKEN_PREFIX = "cda_"


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def aware(stamp: datetime | None) -> datetime | None:
    """SQLite gives naive datetimes back: they were written in UTC."""
    return stamp.replace(tzinfo=timezone.utc) if stamp is not None and stamp.tzinfo is None else stamp


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(engine, learner: str, instructor: bool = False) -> str:
    """A new random token for `learner`; only its hash is stored."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with Session(engine) as session, session.begin():
        session.add(ServiceToken(token_hash=hash_token(token), learner_id=learner, instructor=instructor,
                                 created_at=now()))
        session.add(AuditEntry(at=now(), actor="cli", action="token-create",
                               target=f"{learner}{' (instructor)' if instructor else ''}"))
    return token


def token_owner(engine, token: str) -> tuple[str, bool] | None:
    with Session(engine) as session:
        row = session.scalars(select(ServiceToken).where(ServiceToken.token_hash == hash_token(token))).first()
        return (row.learner_id, row.instructor) if row else None


def audit(engine, actor: str, action: str, target: str = "") -> None:
    with Session(engine) as session, session.begin():
        session.add(AuditEntry(at=now(), actor=actor, action=action, target=target[:2000]))


def recent_count(engine, learner: str, window_s: float) -> int:
    since = utcnow() - timedelta(seconds=window_s)
    with Session(engine) as session:
        return session.scalar(select(func.count()).select_from(ServiceSubmission).where(
            ServiceSubmission.learner_id == learner, ServiceSubmission.created_at >= since)) or 0


def backlog(engine) -> int:
    with Session(engine) as session:
        return session.scalar(select(func.count()).select_from(ServiceSubmission).where(
            ServiceSubmission.status.in_(("queued", "running")))) or 0


def add_submission(engine, learner: str, lab: str, digest: str, *, filename: str | None = None,
                   data: bytes | None = None, git_url: str | None = None, commit: str | None = None) -> tuple[str, bool]:
    """(id, new): the same content posted again by the same learner keeps its id; a failed one is queued again."""
    key = (ServiceSubmission.learner_id == learner, ServiceSubmission.lab_id == lab,
           ServiceSubmission.content_hash == digest)
    with Session(engine) as session, session.begin():
        row = session.scalars(select(ServiceSubmission).where(*key)).first()
        if row is not None:
            if row.status != "failed":
                return row.id, False
            row.status, row.reason, row.attempts, row.published_at = "queued", None, 0, None
            return row.id, True
    ident = str(uuid.uuid4())
    try:
        with Session(engine) as session, session.begin():
            session.add(ServiceSubmission(id=ident, learner_id=learner, lab_id=lab, content_hash=digest,
                                          source="git" if git_url else "archive", git_url=git_url, commit=commit,
                                          status="queued", attempts=0, created_at=utcnow()))
            if data is not None:
                session.add(ServiceUpload(submission_id=ident, filename=filename or "submission.zip", data=data))
    except IntegrityError:  # the same content posted twice at once: the other post made it
        with Session(engine) as session:
            return session.scalars(select(ServiceSubmission.id).where(*key)).one(), False
    return ident, True


def mark_published(engine, ident: str) -> None:
    with Session(engine) as session, session.begin():
        session.execute(update(ServiceSubmission).where(ServiceSubmission.id == ident).values(published_at=utcnow()))


def claim(engine, ident: str, worker: str, lease_s: float) -> ServiceSubmission | None:
    """Take the submission for grading, or None when it is done or another live worker holds it."""
    stamp = utcnow()
    with Session(engine, expire_on_commit=False) as session, session.begin():
        claimable = or_(ServiceSubmission.status == "queued",
                        (ServiceSubmission.status == "running") & (ServiceSubmission.lease_until < stamp))
        done = session.execute(update(ServiceSubmission).where(ServiceSubmission.id == ident, claimable).values(
            status="running", worker=worker, started_at=stamp, lease_until=stamp + timedelta(seconds=lease_s),
            attempts=ServiceSubmission.attempts + 1))
        if done.rowcount != 1:
            return None
        return session.get(ServiceSubmission, ident)


def renew(engine, ident: str, worker: str, lease_s: float) -> bool:
    with Session(engine) as session, session.begin():
        done = session.execute(update(ServiceSubmission).where(
            ServiceSubmission.id == ident, ServiceSubmission.status == "running", ServiceSubmission.worker == worker)
            .values(lease_until=utcnow() + timedelta(seconds=lease_s)))
        return done.rowcount == 1


def upload_of(engine, ident: str) -> ServiceUpload | None:
    with Session(engine, expire_on_commit=False) as session:
        return session.get(ServiceUpload, ident)


def finish(engine, ident: str, result: Result) -> bool:
    """The result into the gradebook and the submission `graded`, in one transaction (False: already done)."""
    with Session(engine) as session, session.begin():
        row = session.get(ServiceSubmission, ident, with_for_update=True)
        if row is None or row.status == "graded":
            return False
        store_in_session(session, row.learner_id, result, row.content_hash, commit=row.commit,
                         submitted_at=aware(row.created_at))
        row.status, row.reason, row.finished_at, row.lease_until = "graded", None, utcnow(), None
        session.execute(ServiceUpload.__table__.delete().where(ServiceUpload.submission_id == ident))
        return True


def fail(engine, ident: str, reason: str, *, only_worker: str | None = None) -> bool:
    with Session(engine) as session, session.begin():
        query = update(ServiceSubmission).where(ServiceSubmission.id == ident,
                                                ServiceSubmission.status.in_(("queued", "running")))
        if only_worker is not None:
            query = query.where(ServiceSubmission.worker == only_worker)
        done = session.execute(query.values(status="failed", reason=reason[:1000], finished_at=utcnow(),
                                            lease_until=None))
        return done.rowcount == 1


def get(engine, ident: str) -> ServiceSubmission | None:
    with Session(engine, expire_on_commit=False) as session:
        return session.get(ServiceSubmission, ident)


def result_of(engine, row: ServiceSubmission) -> dict | None:
    with Session(engine) as session:
        return session.scalar(select(Submission.result).where(
            Submission.learner_id == row.learner_id, Submission.lab_id == row.lab_id,
            Submission.content_hash == row.content_hash))


def listing(engine, learner: str | None = None, statuses: tuple[str, ...] | None = None,
            limit: int = 200) -> list[ServiceSubmission]:
    query = select(ServiceSubmission)
    if learner is not None:
        query = query.where(ServiceSubmission.learner_id == learner)
    if statuses:
        query = query.where(ServiceSubmission.status.in_(statuses))
    with Session(engine, expire_on_commit=False) as session:
        return list(session.scalars(query.order_by(ServiceSubmission.created_at.desc()).limit(limit)))


def to_publish(engine, requeue_after_s: float) -> list[str]:
    """Queued submissions never sent, or sent long ago (a broker that lost its queue)."""
    before = utcnow() - timedelta(seconds=requeue_after_s)
    with Session(engine) as session:
        return list(session.scalars(select(ServiceSubmission.id).where(
            ServiceSubmission.status == "queued",
            or_(ServiceSubmission.published_at.is_(None), ServiceSubmission.published_at < before))
            .order_by(ServiceSubmission.created_at)))


def abandoned(engine) -> list[ServiceSubmission]:
    """Running submissions whose worker stopped renewing its lease (killed, machine lost)."""
    with Session(engine, expire_on_commit=False) as session:
        return list(session.scalars(select(ServiceSubmission).where(
            ServiceSubmission.status == "running", ServiceSubmission.lease_until < utcnow())))


def requeue(engine, ident: str) -> bool:
    with Session(engine) as session, session.begin():
        done = session.execute(update(ServiceSubmission).where(
            ServiceSubmission.id == ident, ServiceSubmission.status == "running",
            ServiceSubmission.lease_until < utcnow()).values(status="queued", worker=None, published_at=None))
        return done.rowcount == 1
