"""Sandbox backends, found through the `cda.sandboxes` entry-point group."""

from __future__ import annotations

import os
from functools import lru_cache
from importlib.metadata import entry_points

from graders.errors import GraderUnavailable
from graders.sandbox.base import Mount, RunLimits, RunResult, Sandbox

__all__ = ["Mount", "RunLimits", "RunResult", "Sandbox", "get_sandbox", "installed_sandboxes"]

GROUP = "cda.sandboxes"
PREFERENCE = ("bubblewrap", "docker")


@lru_cache(maxsize=1)
def installed_sandboxes() -> dict[str, type[Sandbox]]:
    return {ep.name: ep.load() for ep in entry_points(group=GROUP)}


def get_sandbox(name: str | None = None) -> Sandbox:
    """The named backend, or the first available one (CDA_SANDBOX overrides the default order)."""
    backends = installed_sandboxes()
    name = name or os.environ.get("CDA_SANDBOX") or None
    if name:
        if name not in backends:
            raise GraderUnavailable(f"unknown sandbox {name!r} (installed: {', '.join(sorted(backends))})")
        reason = backends[name].unavailable_reason()
        if reason:
            raise GraderUnavailable(f"sandbox {name} unavailable: {reason}")
        return backends[name]()
    reasons = []
    for candidate in PREFERENCE:
        cls = backends.get(candidate)
        if cls is None:
            continue
        reason = cls.unavailable_reason()
        if reason is None:
            return cls()
        reasons.append(f"{candidate}: {reason}")
    raise GraderUnavailable("no sandbox available (" + "; ".join(reasons) + ")")
