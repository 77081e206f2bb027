"""Database services for graders, on real PostgreSQL and Redis servers.

One throwaway cluster serves the whole module (the process's default pool, shared with
test_lab_c7/test_lab_c8 on the same xdist worker); tests that check start-up and shutdown start
their own. Skipped only when the binaries are missing, with the reason.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import psycopg
import pytest

from graders.sandbox.base import Mount, RunLimits
from graders.sandbox.bubblewrap import BubblewrapSandbox
from graders.services import ServicePool, acquire, default_pool, sandbox_services
from graders.services import postgres as pg
from graders.services import redis as rd
from graders.services.base import OWNER_FILE, services_root, sweep_stale

REPO = Path(__file__).resolve().parent.parent
C8_SCHEMA = REPO / "labs" / "c8-acces-donnees" / "starter" / "db" / "schema.sql"
HOST_SOCKET = "/var/run/postgresql"

pytestmark = [
    pytest.mark.xdist_group("cda-databases"),
    pytest.mark.skipif(pg.unavailable_reason() is not None, reason=f"PostgreSQL: {pg.unavailable_reason()}"),
    pytest.mark.skipif(rd.unavailable_reason() is not None, reason=f"Redis: {rd.unavailable_reason()}"),
]


@pytest.fixture(scope="module")
def service():
    return default_pool().postgres(exposed=True)


@pytest.fixture(scope="module")
def redis_service():
    return default_pool().redis()


def processes_under(folder: Path) -> list[int]:
    """Processes whose working directory or command line mentions `folder`."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cwd = os.readlink(entry / "cwd")
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if cwd.startswith(str(folder)) or str(folder) in cmdline:
            found.append(int(entry.name))
    return found


def connect_fails(**info) -> str:
    with pytest.raises(psycopg.OperationalError) as caught:
        psycopg.connect(**{**info, "connect_timeout": 5}).close()
    return str(caught.value)


# --- PostgreSQL ------------------------------------------------------------------------------------
@pytest.fixture
def services_dir(monkeypatch):
    """A folder for throwaway servers that `nobody` can traverse (pytest's tmp_path is 0700)."""
    root = Path(tempfile.mkdtemp(prefix="cda-test-services-"))
    root.chmod(0o755)
    monkeypatch.setenv("CDA_SERVICES_DIR", str(root))
    yield root
    shutil.rmtree(root, ignore_errors=True)


def test_throwaway_cluster_scram_only_stopped_and_removed(services_dir):
    root = services_dir
    cluster = pg.ThrowawayPostgres.start()
    try:
        base = cluster.base
        assert base.parent == root and cluster.running
        assert not (base / "init").exists(), "the admin password file outlives initdb"
        hba = [l for l in (base / "data" / "pg_hba.conf").read_text().splitlines() if l and not l.startswith("#")]
        assert hba == ["local all all scram-sha-256"]
        with cluster.connect_admin() as conn:
            assert conn.execute("SHOW listen_addresses").fetchone()[0] == ""
            assert conn.execute("SHOW password_encryption").fetchone()[0] == "scram-sha-256"
        message = connect_fails(**cluster.conninfo(user=pg.ADMIN, password=None, dbname="postgres"))
        assert "password" in message
        if os.geteuid() == 0:
            owner = int(next(l for l in Path(f"/proc/{cluster.proc.pid}/status").read_text().splitlines()
                             if l.startswith("Uid:")).split()[1])
            assert owner != 0
    finally:
        cluster.close()
    assert not cluster.running
    assert not base.exists()
    deadline = time.monotonic() + 5
    while processes_under(base) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert processes_under(base) == []
    assert list(root.iterdir()) == []


def test_each_submission_gets_its_own_database_and_role(service):
    before = service.inventory()
    with service.provision() as one, service.provision() as two:
        assert one.name != two.name and one.password != two.password
        with one.connect(autocommit=True) as conn:
            user, db, superuser = conn.execute(
                "SELECT current_user, current_database(), rolsuper FROM pg_roles WHERE rolname = current_user").fetchone()
            assert (user, db, superuser) == (one.role, one.name, False)
            for statement in ("CREATE DATABASE sneaky", "CREATE ROLE sneaky", "ALTER ROLE CURRENT_USER SUPERUSER",
                              "COPY (SELECT 1) TO PROGRAM 'id'"):
                with pytest.raises(psycopg.errors.InsufficientPrivilege):
                    conn.execute(statement)
        # Its own credentials do not open another submission's database, nor the grader's.
        message = connect_fails(**service.conninfo(user=one.role, password=one.password, dbname=two.name))
        assert "permission denied" in message
        connect_fails(**service.conninfo(user=one.role, password=one.password, dbname="postgres"))
        connect_fails(**service.conninfo(user=one.role, password=None, dbname=one.name))
        assert set(service.inventory()["databases"]) >= {one.name, two.name}
    assert service.inventory() == before == {"databases": [], "roles": []}


def test_provision_is_dropped_even_when_grading_fails(service):
    with pytest.raises(RuntimeError):
        with service.provision() as db:
            db.add_role("app")
            with db.connect() as conn:  # an open session does not prevent the drop
                conn.execute("CREATE TABLE t (x int)")
                raise RuntimeError("grading crashed")
    assert service.inventory() == {"databases": [], "roles": []}


def test_a_database_growing_past_its_limit_is_cut_off(service):
    with service.provision() as db:
        with pg.SizeGuard(db, max_mb=12, interval_s=0.1) as guard:
            try:
                with db.connect(autocommit=True) as conn:
                    for _ in range(20):  # ~2 MB each; the guard ends this session past 12 MB
                        conn.execute("CREATE TABLE IF NOT EXISTS filler (x text)")
                        conn.execute("INSERT INTO filler SELECT repeat('x', 200) FROM generate_series(1, 10000)")
                        time.sleep(0.05)
            except psycopg.OperationalError:
                pass
            assert guard.tripped
        connect_fails(**service.conninfo(user=db.role, password=db.password, dbname=db.name))
    assert service.inventory() == {"databases": [], "roles": []}


def test_template_clone_belongs_to_the_submission(service):
    template = service.template([C8_SCHEMA])
    assert service.template([C8_SCHEMA]) == template  # built once per service
    with service.provision(template=template) as db:
        with db.connect() as conn:
            owners = {r[0] for r in conn.execute("SELECT tableowner FROM pg_tables WHERE schemaname = 'public'")}
            assert owners == {db.role}
            conn.execute("INSERT INTO documents (title, kind) VALUES ('x', 'livre')")
            conn.execute("TRUNCATE loans, items, documents, members")
        with service.connect_admin() as admin:
            datdba, allowconn, is_template = admin.execute(
                "SELECT r.rolname, datallowconn, datistemplate FROM pg_database d JOIN pg_roles r ON r.oid = d.datdba "
                "WHERE datname = %s", [template]).fetchone()
        assert datdba != db.role and not allowconn and is_template
    assert service.inventory() == {"databases": [], "roles": []}


def test_trust_server_is_never_exposed_to_learner_code():
    url = os.environ.get("DATABASE_URL") or f"postgresql://postgres@/postgres?host={HOST_SOCKET}"
    try:
        external = pg.ExternalPostgres.from_url(url)
    except pg.ServiceError as exc:
        pytest.skip(f"no configured PostgreSQL server to probe: {exc}")
    trust = False
    try:
        psycopg.connect(**{**external.conninfo(user=external.admin_info.get("user", "postgres"), password=None,
                                                dbname="postgres"), "connect_timeout": 5}).close()
        trust = True
    except psycopg.OperationalError:
        pass
    if trust:
        assert not external.exposable and "trust" in external.exposure_note
    # Grader-only use of the configured server (no sandbox) is fine, and leaves nothing behind.
    with external.provision() as db:
        assert db.env == {} and db.mounts == []  # nothing to hand to a sandbox
        with db.connect() as conn:
            assert conn.execute("SELECT current_user").fetchone()[0] == db.role
    external.close()
    assert external.inventory() == {"databases": [], "roles": []}
    # The pool never hands a trust server to learner code: it falls back to the throwaway cluster.
    pool = ServicePool(env={"DATABASE_URL": url})
    pool._services["postgres-throwaway"] = default_pool().postgres(exposed=True)
    try:
        chosen = pool.postgres(exposed=True)
        assert chosen.exposable and (chosen is not pool._services["postgres-external"] or external.exposable)
        if trust:
            assert isinstance(chosen, pg.ThrowawayPostgres) and pool.notes
    finally:
        pool._services.pop("postgres-throwaway")
        pool.close()


# --- Redis -------------------------------------------------------------------------------------------
def test_redis_instances_are_separate_unprivileged_and_removed(redis_service):
    one, two = redis_service.provision(), redis_service.provision()
    try:
        a, b = one.client(), two.client()
        a.set("k", "one")
        assert b.get("k") is None
        with pytest.raises(Exception, match="no permissions"):
            a.config_set("dir", "/tmp")
        assert "REDIS_URL" in one.env and one.password not in " ".join(
            (Path(f"/proc/{one.proc.pid}/cmdline").read_bytes().decode(errors="replace")).split("\0"))
        if os.geteuid() == 0:
            uid = int(next(l for l in Path(f"/proc/{one.proc.pid}/status").read_text().splitlines()
                           if l.startswith("Uid:")).split()[1])
            assert uid >= rd.UID_RANGE[0]
    finally:
        one.release()
        two.release()
    for instance in (one, two):
        assert not instance.running and not instance.base.exists()
    assert redis_service.inventory() == {"servers": []}


# --- from the sandbox ----------------------------------------------------------------------------------
SANDBOX_PROBE = r"""
import os, socket, psycopg, redis
out = []
with psycopg.connect(os.environ["DATABASE_URL"]) as c:
    out.append("own-db:" + c.execute("select current_database() = current_user").fetchone()[0].__str__())
for user, db in (("cda_admin", "postgres"), (os.environ["PGUSER"], "postgres")):
    try:
        psycopg.connect(host="/run/cda-pg", user=user, dbname=db, password=os.environ["PGPASSWORD"], connect_timeout=3)
        out.append("reached:" + user + "@" + db)
    except psycopg.OperationalError:
        out.append("refused")
try:
    socket.create_connection(("127.0.0.1", 5432), timeout=2)
    out.append("tcp-open")
except OSError:
    out.append("no-tcp")
r = redis.Redis.from_url(os.environ["REDIS_URL"])
r.set("from-sandbox", "1", ex=60)
out.append("redis:" + r.get("from-sandbox").decode())
print(" ".join(out))
"""


@pytest.mark.skipif(BubblewrapSandbox.unavailable_reason() is not None,
                    reason=f"bubblewrap: {BubblewrapSandbox.unavailable_reason()}")
def test_learner_code_reaches_only_its_own_stores(tmp_path, service):
    class Ctx:
        services = {"pool": default_pool()}

    workspace = tmp_path / "ws"
    workspace.mkdir()
    with sandbox_services(Ctx(), ["postgres", "redis"]) as (env, mounts):
        assert {m.target for m in mounts} == {"/run/cda-pg", "/run/cda-redis"}
        run = BubblewrapSandbox().run([sys.executable, "-I", "-c", SANDBOX_PROBE],
                                      mounts=[Mount(workspace, "/workspace", True), *mounts], env=env,
                                      limits=RunLimits(wall_s=60))
    assert run.stdout.split() == ["own-db:True", "refused", "refused", "no-tcp", "redis:1"], run.stderr[-2000:]
    assert acquire(Ctx(), "postgres").inventory() == {"databases": [], "roles": []}
    assert default_pool().redis().inventory() == {"servers": []}


def test_stale_folders_of_dead_graders_are_swept(tmp_path, monkeypatch):
    monkeypatch.setenv("CDA_SERVICES_DIR", str(tmp_path))
    stale, alive = tmp_path / "cda-redis-stale", tmp_path / "cda-redis-alive"
    for folder, pid in ((stale, 2**22 + 12345), (alive, os.getpid())):
        folder.mkdir()
        (folder / OWNER_FILE).write_text(str(pid))
    assert services_root() == tmp_path
    assert sweep_stale("cda-redis-") == [stale]
    assert alive.exists() and not stale.exists()


def test_redis_url_is_for_the_grader_only():
    url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15")
    pool = ServicePool(env={"REDIS_URL": url})
    try:
        try:
            external = pool.redis(exposed=False)
        except rd.ServiceError as exc:
            pytest.skip(f"no Redis server at REDIS_URL: {exc}")
        assert isinstance(external, rd.ExternalRedis) and not external.exposable
        with external.provision() as scratch:
            assert scratch.env == {} and scratch.mounts == []
            external.client.set(scratch.name + "k", "v")
        assert external.client.get(scratch.name + "k") is None
        assert isinstance(pool.redis(exposed=True), rd.RedisService)  # learner code: its own server
    finally:
        pool.close()
