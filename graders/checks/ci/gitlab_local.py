"""Run a learner's GitLab pipeline with gitlab-ci-local's shell executor in the sandbox.

No image is pulled and no engine is used: `services:` are replaced by the grader's throwaway
PostgreSQL and Redis (`graders.services`, reached through their unix sockets), image builds are left
out (checked statically), and the job's tools are the grader's own (its venv on PATH, `pip install`
of the pinned requirements is satisfied offline with PIP_NO_INDEX, `pip-audit` answers from the
lab's frozen advisory snapshot). gitlab-ci-local comes from `make install` (`.venv/npm`).
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from graders.checks.ci.pipeline import local_pipeline
from graders.errors import GraderUnavailable
from graders.runner.cda_records import ChainReader
from graders.sandbox.base import OUTPUT, TRUSTED
from graders.services import sandbox_services

HERE = Path(__file__).resolve().parent
RECORDS = Path(__file__).resolve().parents[2] / "runner" / "cda_records.py"
MIN_NODE = (20, 15)
SERVICE_VARIABLES = {"postgres": ("DATABASE_URL", "PGHOST", "PGPORT", "PGUSER", "PGPASSWORD", "PGDATABASE"),
                     "redis": ("REDIS_URL",)}


def gitlab_ci_local() -> Path | None:
    """gitlab-ci-local's entry point: CDA_GITLAB_CI_LOCAL, else the one `make install` put under .venv/npm."""
    given = os.environ.get("CDA_GITLAB_CI_LOCAL")
    path = Path(given) if given else Path(sys.prefix) / "npm" / "node_modules" / "gitlab-ci-local" / "src" / "index.js"
    return path if path.is_file() else None


@lru_cache(maxsize=1)
def node_version() -> tuple[int, ...]:
    try:
        text = subprocess.run(["node", "--version"], capture_output=True, text=True, timeout=30, check=False).stdout
        return tuple(int(part) for part in text.strip().lstrip("v").split(".")[:2])
    except (OSError, ValueError, subprocess.SubprocessError):
        return ()


def unavailable_reason() -> str | None:
    if shutil.which("node") is None:
        return "node is not installed (Debian package nodejs)"
    if node_version() < MIN_NODE:  # --disable-wasm-trap-handler, see run_pipeline.py
        return f"node {'.'.join(map(str, node_version())) or '?'} is too old: Node >= 20.15 is needed"
    if gitlab_ci_local() is None:
        return "gitlab-ci-local is not installed (make install puts it under .venv/npm)"
    return None


@dataclass
class PipelineRun:
    exit: int | None
    jobs: dict[str, str] = field(default_factory=dict)   # job name -> pass / fail / warn
    applied: bool = True
    reason: str | None = None
    left_out: list[str] = field(default_factory=list)
    log: str = ""

    @property
    def green(self) -> bool:
        return self.exit == 0 and bool(self.jobs) and all(status != "fail" for status in self.jobs.values())

    def failed(self) -> set[str]:
        return {name for name, status in self.jobs.items() if status == "fail"}


def run_pipeline(ctx, data: dict, *, advisories: Path, regression: dict | None = None,
                 jobs: list[str] | None = None) -> PipelineRun:
    """One run of the pipeline `data` (the learner's .gitlab-ci.yml, parsed) on a fresh copy of the
    submission, with `regression` applied first when given; `jobs`: only those jobs."""
    reason = unavailable_reason()
    if reason:
        raise GraderUnavailable(reason)
    with sandbox_services(ctx, ["postgres", "redis"]) as (env, mounts):
        service_env = {kind: {k: env[k] for k in names if k in env} for kind, names in SERVICE_VARIABLES.items()}
        local, left_out = local_pipeline(data, service_env)
        bin_dir = Path(ctx.scratch) / f"ci-bin-{os.getpid()}-{id(local)}"
        bin_dir.mkdir(parents=True, exist_ok=True)
        shim = bin_dir / "pip-audit"
        shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -I {TRUSTED}/ci/offline_audit.py "$@"\n', encoding="utf-8")
        shim.chmod(0o755)
        spec = {"pipeline": yaml.safe_dump(local, sort_keys=False, allow_unicode=True), "file": ".gitlab-ci.yml",
                "regression": regression, "jobs": list(jobs or []), "node": shutil.which("node"), "gitlab_ci_local": str(gitlab_ci_local()),
                "path": [f"{TRUSTED}/bin", str(Path(sys.executable).parent), "/usr/local/bin", "/usr/bin", "/bin"],
                "env": {"CDA_OFFLINE_ADVISORIES": f"{TRUSTED}/advisories.json", "PIP_NO_INDEX": "1",
                        "PIP_NO_CACHE_DIR": "1", "PIP_DISABLE_PIP_VERSION_CHECK": "1"},
                "timeout_s": max(10, int(ctx.limits.wall_s) - 5)}
        key = secrets.token_hex(32).encode()
        run, out = ctx.run_sandboxed(
            [sys.executable, "-I", f"{TRUSTED}/ci/run_pipeline.py", OUTPUT],
            trusted={"ci": HERE, "cda_records.py": RECORDS, "bin": bin_dir, "advisories.json": advisories},
            outputs=["result.json", "pipeline.log"], mounts=mounts, input=key + b"\n" + json.dumps(spec).encode() + b"\n")
    log = (out / "pipeline.log").read_text(encoding="utf-8", errors="replace") if (out / "pipeline.log").is_file() else ""
    reader = ChainReader(out / "result.json", key)
    records = reader.finish()
    if len(records) != 1 or reader.forged:  # a job wrote it, or the runner died before signing
        tail = (run.stderr.strip().splitlines() or [f"exit {run.returncode}"])[-1][:300]
        reason = "timed out" if run.timed_out else ("forged result" if reader.forged else tail)
        return PipelineRun(exit=None, reason=reason, left_out=left_out, log=log)
    result = records[0]
    return PipelineRun(exit=result["exit"], jobs=result["jobs"], applied=result["applied"], reason=result["reason"],
                       left_out=left_out, log=log)
