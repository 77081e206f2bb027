"""A web application in the sandbox, reached from the host through the bridge, stopped without leftovers."""

from __future__ import annotations

import subprocess
from types import SimpleNamespace

import pytest

from graders.sandbox.base import RunLimits
from graders.sandbox.bubblewrap import BubblewrapSandbox
from graders.web.anssi import fetch
from graders.web.bridge import SandboxedApp, StartFailure

pytestmark = pytest.mark.skipif(BubblewrapSandbox.unavailable_reason() is not None, reason="bubblewrap unavailable")


def context(tmp_path, sandbox, wall_s: float = 30):
    workspace = tmp_path / "submission"
    workspace.mkdir()
    (workspace / "index.html").write_text("<!DOCTYPE html><title>ok</title><p>depuis le bac à sable</p>", encoding="utf-8")
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    return SimpleNamespace(workspace=workspace, scratch=scratch, sandbox=sandbox, limits=RunLimits(wall_s=wall_s))


def alive(uid: int) -> str:
    return subprocess.run(["pgrep", "-U", str(uid)], capture_output=True, text=True).stdout.strip()


def test_app_in_sandbox_is_reachable_then_gone(tmp_path):
    sandbox = BubblewrapSandbox()
    ctx = context(tmp_path, sandbox)
    with SandboxedApp(ctx, ["python", "-m", "http.server", "5000", "--bind", "127.0.0.1"], port=5000,
                      ready="/index.html", ready_timeout_s=20) as app:
        status, body, _error = fetch(app.origin + "/index.html")
        assert status == 200 and "depuis le bac à sable" in body
        uid = app.proc.uid
        assert alive(uid) if sandbox.is_root else True
    assert app.result is not None
    if sandbox.is_root:
        assert alive(uid) == "", "a sandboxed process survived the audit"
    assert not app.run_dir.exists() and not app.bridge_dir.exists()
    assert fetch(app.origin + "/index.html", timeout=2)[0] is None  # the host proxy is closed too


def test_app_that_cannot_start_is_reported_with_its_output(tmp_path):
    ctx = context(tmp_path, BubblewrapSandbox())
    with pytest.raises(StartFailure) as failure:
        with SandboxedApp(ctx, ["python", "-c", "import sys; print('port déjà pris', file=sys.stderr); sys.exit(3)"],
                          port=5000, ready_timeout_s=10):
            pass
    assert "exited with code 3" in str(failure.value) and "port déjà pris" in failure.value.output


def test_app_that_never_answers_times_out(tmp_path):
    ctx = context(tmp_path, BubblewrapSandbox())
    with pytest.raises(StartFailure, match="no answer on / within 1 s"):
        with SandboxedApp(ctx, ["python", "-c", "import time; time.sleep(30)"], port=5000, ready_timeout_s=1):
            pass


def test_spawn_respects_the_wall_limit(tmp_path):
    sandbox = BubblewrapSandbox()
    from graders.sandbox.base import Mount

    process = sandbox.spawn(["/bin/sleep", "30"], mounts=[Mount(tmp_path, "/workspace")], limits=RunLimits(wall_s=0.5))
    for _ in range(50):
        if process.poll() is not None:
            break
        subprocess.run(["sleep", "0.1"])
    result = process.stop()
    assert result.timed_out and result.limit_hit == "timeout"
    assert process.stop() is result  # idempotent


SERVICE_APP = """\
import os
from http.server import BaseHTTPRequestHandler, HTTPServer

import psycopg
import redis


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        with psycopg.connect(os.environ["DATABASE_URL"]) as conn:
            title = conn.execute("SELECT title FROM documents").fetchone()[0]
        pong = redis.Redis.from_url(os.environ["REDIS_URL"]).ping()
        body = f"{title} {pong}".encode()
        self.send_response(200)
        self.end_headers()
        self.wfile.write(body)


HTTPServer(("127.0.0.1", 5000), Handler).serve_forever()
"""


def test_app_reaches_its_throwaway_database_and_redis(tmp_path):
    """What the web-audit check's `services` / `database_template` give the audited application."""
    from graders.services import sandbox_services

    ctx = context(tmp_path, BubblewrapSandbox())
    (ctx.workspace / "app.py").write_text(SERVICE_APP, encoding="utf-8")
    template = tmp_path / "schema.sql"
    template.write_text("CREATE TABLE documents (title text); INSERT INTO documents VALUES ('Germinal');\n")
    with sandbox_services(ctx, ["postgres", "redis"], template_files=[template]) as (env, mounts):
        assert set(env) >= {"DATABASE_URL", "REDIS_URL"}
        with SandboxedApp(ctx, ["python", "app.py"], port=5000, ready_timeout_s=20, env=env, mounts=mounts) as app:
            status, body, _error = fetch(app.origin + "/")
    assert (status, body) == (200, "Germinal True")
