"""The PostgreSQL database of a notebook lab (`nbgrader` checks with `postgres_seed = "grader/x.sql"`).

Both functions are thin wrappers on graders/services (one throwaway cluster per grading process,
a template database loaded once from the lab's seed, and a clone of it per submission with its own
role): `cda` never starts a PostgreSQL server per learner. Inside the sandbox there is no network:
the server's unix socket folder is mounted read-only and the notebook connects with the standard
libpq variables (PGHOST, PGUSER...) or DATABASE_URL, which these functions provide.
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Iterator


@contextmanager
def sandbox_database(ctx, seed: Path) -> Iterator[tuple[dict[str, str], list]]:
    """(env, mounts) giving one sandboxed run its own copy of the lab's database."""
    from graders.services import sandbox_services

    with sandbox_services(ctx, ["postgres"], template_files=[seed]) as (env, mounts):
        yield env, mounts


@contextmanager
def host_database(seed: Path, pool=None) -> Iterator[dict[str, str]]:
    """Environment for code run outside the sandbox (plain `nbgrader autograde`, a learner's
    JupyterLab): a copy of the lab's database reachable from this machine."""
    from graders.services import default_pool

    service = (pool or default_pool()).postgres(exposed=False)
    with service.provision(template=service.template([seed])) as database:
        yield {"DATABASE_URL": database.host_url}
