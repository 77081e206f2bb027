"""The service's tables, in the gradebook (migration 0002): tokens, submissions in flight, uploads, audit log.

A service submission is one (learner, lab, content hash): posting the same content again gives the same
id, and its result is the gradebook's row with that key, written in the same transaction as `graded`.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from graders.instructor.gradebook import Base

STATUSES = ("queued", "running", "graded", "failed")


class ServiceToken(Base):
    __tablename__ = "service_tokens"
    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # SHA-256 of a 256-bit random token
    learner_id: Mapped[str] = mapped_column(String(200), index=True)
    instructor: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ServiceSubmission(Base):
    __tablename__ = "service_submissions"
    __table_args__ = (UniqueConstraint("learner_id", "lab_id", "content_hash"),)
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    learner_id: Mapped[str] = mapped_column(String(200), index=True)
    lab_id: Mapped[str] = mapped_column(String(200))
    content_hash: Mapped[str] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(String(10))  # archive | git
    git_url: Mapped[str | None] = mapped_column(Text)
    commit: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(10), index=True)
    reason: Mapped[str | None] = mapped_column(Text)  # why it failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    worker: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))  # last sent to the broker
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    lease_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))  # renewed while grading
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ServiceUpload(Base):
    """The archive as posted (workers may run on other machines: they read it from here)."""

    __tablename__ = "service_uploads"
    submission_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    filename: Mapped[str] = mapped_column(String(200))
    data: Mapped[bytes] = mapped_column(LargeBinary)


class AuditEntry(Base):
    __tablename__ = "service_audit"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(100))
    target: Mapped[str] = mapped_column(Text, default="")
