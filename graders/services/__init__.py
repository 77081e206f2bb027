"""Database services for graders (PostgreSQL, Redis): one fresh private store per submission.

Checks get a service with `acquire(ctx, kind, exposed=...)`: the one the caller put in
`ctx.services` (a test session's or a cohort run's `ServicePool`), else this process's default pool,
started lazily and stopped at exit. `sandbox_services(ctx, ...)` provisions the stores a sandboxed
run needs and yields the environment variables and mounts to pass to `ctx.run_sandboxed`.
"""

from __future__ import annotations

import atexit
import logging
import os
import threading
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Iterator, Sequence

from graders.services.base import DatabaseService, Provision, ServiceError

log = logging.getLogger(__name__)

KINDS = ("postgres", "redis")

__all__ = ["DatabaseService", "Provision", "ServiceError", "ServicePool", "acquire", "default_pool",
           "sandbox_services", "KINDS"]


class ServicePool:
    """The services of one grading session (a test session, a cohort run, a CLI invocation).

    PostgreSQL: DATABASE_URL's server when set and, for learner-facing databases, safe to expose;
    otherwise one throwaway cluster for the whole pool. Redis: a throwaway server per provision.
    """

    def __init__(self, env: dict[str, str] | None = None) -> None:
        self.env = dict(os.environ if env is None else env)
        self._lock = threading.Lock()
        self._services: dict[str, DatabaseService] = {}
        self.notes: list[str] = []

    def postgres(self, *, exposed: bool = True):
        from graders.services import postgres as pg

        with self._lock:
            url = self.env.get("DATABASE_URL")
            if url and "postgres-external" not in self._services:
                self._services["postgres-external"] = pg.ExternalPostgres.from_url(url)
                external = self._services["postgres-external"]
                if not external.exposable:
                    self.notes.append(f"DATABASE_URL not exposed to learner code: {external.exposure_note}")
                    log.info(self.notes[-1])
            external = self._services.get("postgres-external")
            if external is not None and (external.exposable or not exposed):
                return external
            if "postgres-throwaway" not in self._services:
                self._services["postgres-throwaway"] = pg.ThrowawayPostgres.start()
            return self._services["postgres-throwaway"]

    def redis(self, *, exposed: bool = True):
        from graders.services import redis as rd

        with self._lock:
            url = self.env.get("REDIS_URL")
            if url and not exposed and "redis-external" not in self._services:
                self._services["redis-external"] = rd.ExternalRedis(url)
            if not exposed and "redis-external" in self._services:
                return self._services["redis-external"]
            if "redis" not in self._services:
                self._services["redis"] = rd.RedisService()
            return self._services["redis"]

    def get(self, kind: str, *, exposed: bool = True):
        if kind == "postgres":
            return self.postgres(exposed=exposed)
        if kind == "redis":
            return self.redis(exposed=exposed)
        raise ServiceError(f"unknown service {kind!r} (known: {', '.join(KINDS)})")

    def started(self) -> dict[str, DatabaseService]:
        with self._lock:
            return dict(self._services)

    def close(self) -> None:
        with self._lock:
            services, self._services = list(self._services.values()), {}
        for service in services:
            try:
                service.close()
            except Exception as exc:  # noqa: BLE001 (close the others anyway)
                log.warning("closing %s failed: %s", service.kind, exc)

    def __enter__(self) -> "ServicePool":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


_default: ServicePool | None = None
_default_lock = threading.Lock()


def default_pool() -> ServicePool:
    """This process's pool, started on first use and closed at exit."""
    global _default
    with _default_lock:
        if _default is None:
            _default = ServicePool()
            atexit.register(close_default_pool)
        return _default


def close_default_pool() -> None:
    global _default
    with _default_lock:
        pool, _default = _default, None
    if pool is not None:
        pool.close()


def acquire(ctx, kind: str, *, exposed: bool = True):
    """The `kind` service for a check: `ctx.services[kind]` (a service or a ServicePool) when it
    fits, else the default pool's."""
    given = (getattr(ctx, "services", None) or {}).get(kind) or (getattr(ctx, "services", None) or {}).get("pool")
    if isinstance(given, ServicePool):
        return given.get(kind, exposed=exposed)
    if isinstance(given, DatabaseService) and given.kind == kind and (given.exposable or not exposed):
        return given
    return default_pool().get(kind, exposed=exposed)


@contextmanager
def sandbox_services(ctx, kinds: Sequence[str], *, template_files: Sequence[Path] = (),
                     max_database_mb: int = 256, provisions: dict | None = None) -> Iterator[tuple[dict, list]]:
    """Provision a private store of each kind for one sandboxed run; yield (env, mounts).

    Everything is dropped when the block ends, whether the run passed, failed or raised. A database
    that grows past `max_database_mb` is cut off (Redis has its own maxmemory). `provisions`, when
    given, receives each kind's provision (to watch it during the run).
    """
    env: dict[str, str] = {}
    mounts: list = []
    with ExitStack() as stack:
        for kind in kinds:
            service = acquire(ctx, kind, exposed=True)
            options = {}
            if kind == "postgres" and template_files:
                options["template"] = service.template(list(template_files))
            provision = stack.enter_context(service.provision(**options))
            if provisions is not None:
                provisions[kind] = provision
            if kind == "postgres":
                from graders.services.postgres import SizeGuard

                stack.enter_context(SizeGuard(provision, max_mb=max_database_mb))
            env.update(provision.env)
            mounts.extend(provision.mounts)
        yield env, mounts
