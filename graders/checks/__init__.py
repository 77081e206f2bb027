"""Check plugins, found through the `cda.checks` entry-point group."""

from __future__ import annotations

from functools import lru_cache
from importlib.metadata import entry_points

from graders.checks.base import Check, CheckContext, CheckOutcome

__all__ = ["Check", "CheckContext", "CheckOutcome", "check_class", "installed_checks"]

GROUP = "cda.checks"


@lru_cache(maxsize=1)
def installed_checks() -> dict[str, type[Check]]:
    return {ep.name: ep.load() for ep in entry_points(group=GROUP)}


def check_class(kind: str) -> type[Check] | None:
    return installed_checks().get(kind)
