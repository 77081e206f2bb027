"""The service's knobs, from the environment (documented in docs/service.md); one frozen value per process."""

from __future__ import annotations

import os
from dataclasses import dataclass

from graders.errors import BadInput


def _number(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise BadInput(f"{name}={raw!r}: expected a number") from None
    if value <= 0:
        raise BadInput(f"{name}={raw!r}: expected a positive number")
    return value


@dataclass(frozen=True)
class Settings:
    max_upload_mb: float = 10.0        # CDA_SERVICE_MAX_UPLOAD_MB: the posted archive, before extraction
    rate_count: int = 60               # CDA_SERVICE_RATE_COUNT submissions per learner...
    rate_window_s: float = 60.0        # ...per CDA_SERVICE_RATE_WINDOW_S seconds
    max_backlog: int = 500             # CDA_SERVICE_MAX_BACKLOG: queued + running before 429 for everyone
    time_limit_s: float = 600.0        # CDA_SERVICE_TIME_LIMIT_S: hard limit of one grading (the task is killed)
    lease_s: float = 20.0              # CDA_SERVICE_LEASE_S: a running grading renews its claim this often x 4
    requeue_after_s: float = 120.0     # CDA_SERVICE_REQUEUE_S: a queued submission is sent again after this
    max_attempts: int = 3              # CDA_SERVICE_MAX_ATTEMPTS: workers lost on one submission before it fails

    @classmethod
    def from_env(cls) -> "Settings":
        return cls(
            max_upload_mb=_number("CDA_SERVICE_MAX_UPLOAD_MB", cls.max_upload_mb),
            rate_count=int(_number("CDA_SERVICE_RATE_COUNT", cls.rate_count)),
            rate_window_s=_number("CDA_SERVICE_RATE_WINDOW_S", cls.rate_window_s),
            max_backlog=int(_number("CDA_SERVICE_MAX_BACKLOG", cls.max_backlog)),
            time_limit_s=_number("CDA_SERVICE_TIME_LIMIT_S", cls.time_limit_s),
            lease_s=_number("CDA_SERVICE_LEASE_S", cls.lease_s),
            requeue_after_s=_number("CDA_SERVICE_REQUEUE_S", cls.requeue_after_s),
            max_attempts=int(_number("CDA_SERVICE_MAX_ATTEMPTS", cls.max_attempts)),
        )
