"""Check plugins, found through the `cda.checks` entry-point group."""

from __future__ import annotations

from functools import cache, lru_cache
from importlib.metadata import EntryPoint, entry_points

from graders.checks.base import Check, CheckContext, CheckOutcome

__all__ = ["Check", "CheckContext", "CheckOutcome", "check_class", "installed_checks"]

GROUP = "cda.checks"


@lru_cache(maxsize=1)
def _entry_points() -> dict[str, EntryPoint]:
    return {ep.name: ep for ep in entry_points(group=GROUP)}


@cache
def check_class(kind: str) -> type[Check] | None:
    """The check plugin named `kind`, imported on first use only: a lab pays for its own checks'
    imports, not for all of them (the grading service's first submission waited seconds for those)."""
    entry = _entry_points().get(kind)
    return entry.load() if entry else None


def installed_checks() -> dict[str, type[Check]]:
    return {name: check_class(name) for name in _entry_points()}
