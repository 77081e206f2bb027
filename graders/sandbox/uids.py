"""Per-run uids, unique on the machine for as long as a run lives.

As root, every sandboxed run gets a uid of its own, so runs can neither signal nor read each other,
and a run's leftovers are killed by uid (`pkill -U`). Drawn at random alone, two graders on one
machine (a cohort graded with -j 4, two workers, CI beside a trainer) eventually draw the same uid:
one learner's code then runs beside another's under one uid, and reaping one run kills the other's
processes, which fails its tests. A lease makes the draw exclusive machine-wide: an exclusive
`flock` on a file named after the uid, held until the run is reaped (locks die with their process,
so a crashed grader frees its uids), and no uid is leased while a process still runs under it.
"""

from __future__ import annotations

import fcntl
import os
import secrets
from pathlib import Path

LOCK_DIR = Path(os.environ.get("CDA_UID_LOCK_DIR", "/run/lock/cda-uids"))
ATTEMPTS = 200


class UidLease:
    """One uid held for one run; `release()` after its processes are gone (idempotent)."""

    def __init__(self, uid: int, handle: int | None) -> None:
        self.uid = uid
        self._handle = handle

    def release(self) -> None:
        if self._handle is not None:
            os.close(self._handle)  # closing the descriptor drops the flock
            self._handle = None


def lease_uid(low: int, high: int) -> UidLease:
    """A uid in [low, high) that no other run on this machine holds, and no process runs as.
    Without root there is only the grader's own uid (the user namespace maps it)."""
    if os.geteuid() != 0:
        return UidLease(os.getuid(), None)
    LOCK_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)
    running = None
    for _ in range(ATTEMPTS):
        uid = secrets.randbelow(high - low) + low
        handle = os.open(LOCK_DIR / str(uid), os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(handle)
            continue
        running = running if running is not None else process_uids()
        if uid in running:  # a leftover of a grader that died before reaping it
            os.close(handle)
            continue
        return UidLease(uid, handle)
    raise RuntimeError(f"no free sandbox uid in [{low}, {high}) after {ATTEMPTS} draws")


def process_uids() -> set[int]:
    """The real uids of the machine's processes (read from /proc)."""
    uids = set()
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                uids.add(entry.stat(follow_symlinks=False).st_uid)
            except OSError:  # ended meanwhile
                pass
    return uids
