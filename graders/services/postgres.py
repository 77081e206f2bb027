"""PostgreSQL for graders: one fresh database and LOGIN role per submission, cloned from a template.

Two servers are possible:
- the one named by DATABASE_URL (CI, the instructor's infrastructure), administered by a superuser;
- a throwaway cluster (initdb as `nobody`, unix socket only, scram-sha-256 for every login) started
  from the installed binaries and stopped by `close()` (or killed with the grader's process).

Learner code reaches a database only through the server's unix socket, bind-mounted into the
sandbox. A configured server is exposed that way only when it is safe: every login needs a password
and no database other than the submission's own accepts connections from every role. A server with
`trust` authentication (the Debian default for local CI clusters) would let learner code log in as
`postgres`: `ServicePool` then runs learner-facing databases on a throwaway cluster instead.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import shutil
import subprocess
import threading
from pathlib import Path
from typing import Sequence

import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict

from graders.sandbox.base import Mount
from graders.services.base import (
    NOBODY, DatabaseService, Provision, ServiceError, as_user, chown, make_private_dir, password, services_root,
    stop_process, sweep_stale, token, wait_for,
)

log = logging.getLogger(__name__)

SANDBOX_SOCKET_DIR = "/run/cda-pg"
ADMIN = "cda_admin"
PORT = 5432  # names the socket file (.s.PGSQL.5432); the throwaway cluster listens on no TCP port
DIR_PREFIX = "cda-pg-"
# No ~/.pgpass: the grader passes every password explicitly (a missing file is ignored silently).
NO_PASSFILE = "/nonexistent/cda-no-pgpass"
# Every session of the grader's admin connections resolves names in pg_catalog only, so functions or
# operators a learner creates in their database can never run with the grader's rights.
ADMIN_OPTIONS = "-c search_path=pg_catalog -c statement_timeout=60000"
THROWAWAY_SETTINGS = {
    "listen_addresses": "",
    "port": str(PORT),
    "unix_socket_permissions": "0777",
    "password_encryption": "scram-sha-256",
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "shared_buffers": "32MB",
    "max_connections": "150",
    "jit": "off",
    "checkpoint_timeout": "30min",
    "max_wal_size": "1GB",
    "client_connection_check_interval": "1000",
    "idle_in_transaction_session_timeout": "120000",
    "logging_collector": "off",
    "log_min_messages": "warning",
    "log_connections": "off",
}
# PostgreSQL 15+: the server's log as one JSON record per line (user, database, message, statement,
# error position), in one file that never rotates. Nothing is logged per statement unless a database
# asks for it (graders/checks/statement_log.py sets log_statement on the databases it watches).
JSON_LOG_SETTINGS = {
    "logging_collector": "on",
    "log_destination": "jsonlog",
    "log_filename": "postgresql.log",  # the JSON file is postgresql.json
    "log_rotation_age": "0",
    "log_rotation_size": "0",
    "log_file_mode": "0600",
}
JSON_LOG_MIN_VERSION = 15
PER_ROLE = {"statement_timeout": "30s", "idle_in_transaction_session_timeout": "60s", "temp_file_limit": "256MB"}


def pg_bin(name: str) -> str:
    """A PostgreSQL client or server binary: CDA_PG_BIN, else the newest /usr/lib/postgresql/*/bin."""
    candidates = [Path(os.environ["CDA_PG_BIN"])] if os.environ.get("CDA_PG_BIN") else []
    root = Path("/usr/lib/postgresql")
    if root.is_dir():
        versions = sorted((p for p in root.iterdir() if (p / "bin").is_dir()),
                          key=lambda p: int(p.name) if p.name.isdigit() else 0, reverse=True)
        candidates += [p / "bin" for p in versions]
    for folder in candidates:
        if (folder / name).is_file():
            return str(folder / name)
    found = shutil.which(name)
    if found:
        return found
    raise ServiceError(f"PostgreSQL binary `{name}` not found (apt install postgresql, or set CDA_PG_BIN)")


def server_version() -> int:
    """Major version of the `postgres` binary the throwaway cluster runs (0 when unknown)."""
    try:
        out = subprocess.run([pg_bin("postgres"), "--version"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError, ServiceError):
        return 0
    found = re.search(r"\(PostgreSQL\) (\d+)", out)
    return int(found.group(1)) if found else 0


def unavailable_reason() -> str | None:
    """None when a throwaway PostgreSQL cluster can be started here."""
    try:
        for name in ("initdb", "postgres", "psql", "pg_dump", "pg_restore"):
            pg_bin(name)
    except ServiceError as exc:
        return str(exc)
    if shutil.which("setpriv") is None:
        return "`setpriv` not found (apt install util-linux)"
    return None


class PostgresDatabase(Provision):
    """A submission's database: `name` is both the database and its owner LOGIN role."""

    def __init__(self, service: "PostgresService", name: str, role_password: str):
        self.role = name
        self.password = role_password
        self.extra_roles: dict[str, tuple[str, str]] = {}
        super().__init__(service=service, name=name, host_url=service.url(name, role_password, name))
        if service.exposable:
            inside = service.url(name, role_password, name, socket_dir=SANDBOX_SOCKET_DIR)
            self.env = {"DATABASE_URL": inside, "PGHOST": SANDBOX_SOCKET_DIR, "PGPORT": str(service.port),
                        "PGUSER": name, "PGPASSWORD": role_password, "PGDATABASE": name}
            self.mounts = [Mount(Path(service.socket_dir), SANDBOX_SOCKET_DIR)]

    @property
    def pg_service(self) -> "PostgresService":
        return self.service  # type: ignore[return-value]

    def connect(self, role: str | None = None, **kwargs) -> psycopg.Connection:
        """A connection from the grader's process as the submission's role (or one of its extra roles)."""
        user, secret = (self.role, self.password) if role is None else self.extra_roles[role]
        return psycopg.connect(**self.pg_service.conninfo(user=user, password=secret, dbname=self.name), **kwargs)

    def admin(self) -> psycopg.Connection:
        """A superuser connection to this database (grader's introspection only: never runs learner SQL)."""
        return self.pg_service.connect_admin(self.name)

    def add_role(self, suffix: str) -> tuple[str, str]:
        """An extra LOGIN role allowed to connect to this database only, dropped with it."""
        return self.pg_service.add_role(self, suffix)

    def libpq_env(self, role: str | None = None) -> dict[str, str]:
        """Environment for a client binary (pg_dump, pg_restore) run by the grader as this role."""
        user, secret = (self.role, self.password) if role is None else self.extra_roles[role]
        info = self.pg_service.conninfo(user=user, password=secret, dbname=self.name)
        env = {"PGHOST": str(info["host"]), "PGPORT": str(info["port"]), "PGUSER": user, "PGPASSWORD": secret,
               "PGDATABASE": self.name, "PGPASSFILE": NO_PASSFILE, "PGSERVICEFILE": NO_PASSFILE,
               "PGCONNECT_TIMEOUT": "10", "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}
        return env


class SizeGuard:
    """Stops a submission's database from growing past `max_mb` (PostgreSQL has no quota).

    A thread polls pg_database_size; past the limit it forbids new connections to the database
    (CONNECTION LIMIT 0 binds every non-superuser) and terminates the open ones. `tripped` tells.
    """

    def __init__(self, db: PostgresDatabase, max_mb: int = 256, interval_s: float = 0.5):
        self.db, self.max_bytes, self.interval = db, max_mb << 20, interval_s
        self.tripped = False
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, name=f"cda-pg-size-{db.name}", daemon=True)

    def _watch(self) -> None:
        try:
            with self.db.pg_service.connect_admin() as conn:
                while not self._stop.wait(self.interval):
                    size = conn.execute("SELECT pg_database_size(%s)", [self.db.name]).fetchone()[0]
                    if size > self.max_bytes:
                        self.tripped = True
                        conn.execute(sql.SQL("ALTER DATABASE {} CONNECTION LIMIT 0").format(sql.Identifier(self.db.name)))
                        conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                     "WHERE datname = %s AND pid <> pg_backend_pid()", [self.db.name])
                        return
        except psycopg.Error:
            return  # the database was dropped, or the server stopped: nothing left to guard

    def __enter__(self) -> "SizeGuard":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(timeout=5)


class PostgresService(DatabaseService):
    """A PostgreSQL server administered by the grader (see the module docstring)."""

    kind = "postgres"

    def __init__(self, admin: dict, *, socket_dir: str | None, port: int, exposable: bool, note: str | None = None):
        self.admin_info = dict(admin)
        self.socket_dir = socket_dir
        self.port = port
        self.exposable = exposable
        self.exposure_note = note
        self.prefix = f"cda_{token(3)}"  # every database and role this service makes starts with it
        self.template_owner = f"{self.prefix}_tplowner"
        self._lock = threading.Lock()
        self._template_locks: dict[str, threading.Lock] = {}
        self._templates: dict[str, str] = {}
        self._open: dict[str, PostgresDatabase] = {}
        self.closed = False
        # The server's JSON log, when the grader can read it (the throwaway cluster's), else why not.
        self.json_log: Path | None = None
        self.json_log_note: str | None = "the grader cannot read this server's log (DATABASE_URL)"

    # -- connections -------------------------------------------------------------------------
    def conninfo(self, *, user: str, password: str | None, dbname: str) -> dict:
        host = self.socket_dir or self.admin_info.get("host")
        info = {"host": host, "port": self.port, "user": user, "dbname": dbname, "connect_timeout": 10,
                "passfile": NO_PASSFILE, "sslmode": self.admin_info.get("sslmode", "prefer")}
        if password is not None:
            info["password"] = password
        if self.socket_dir is None and self.admin_info.get("hostaddr"):
            info["hostaddr"] = self.admin_info["hostaddr"]
        return info

    def url(self, user: str, secret: str, dbname: str, *, socket_dir: str | None = None) -> str:
        host = socket_dir or self.socket_dir
        if host:
            return f"postgresql://{user}:{secret}@/{dbname}?host={host}&port={self.port}"
        return f"postgresql://{user}:{secret}@{self.admin_info.get('host', 'localhost')}:{self.port}/{dbname}"

    def connect_admin(self, dbname: str = "postgres") -> psycopg.Connection:
        info = {**self.admin_info, "dbname": dbname, "options": ADMIN_OPTIONS, "connect_timeout": 10}
        return psycopg.connect(**info, autocommit=True)

    # -- templates ---------------------------------------------------------------------------
    def template(self, files: Sequence[Path]) -> str:
        """A template database holding the (trusted, lab-provided) SQL `files`, made once per service.

        The objects belong to a NOLOGIN role; each clone hands them to the submission's role.
        """
        digest = hashlib.sha256(b"\0".join(Path(f).read_bytes() for f in files)).hexdigest()[:12]
        with self._lock:
            lock = self._template_locks.setdefault(digest, threading.Lock())
        with lock:
            if digest in self._templates:
                return self._templates[digest]
            name = f"{self.prefix}_tpl_{digest}"
            with self.connect_admin() as conn:
                conn.execute(sql.SQL("DO $$BEGIN CREATE ROLE {} NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END$$")
                             .format(sql.Identifier(self.template_owner)))
                # The database itself stays the superuser's: REASSIGN OWNED in a clone would also hand
                # over shared objects (databases) owned by the template owner.
                conn.execute(sql.SQL("CREATE DATABASE {} TEMPLATE template0 ENCODING 'UTF8'").format(sql.Identifier(name)))
                self._templates[digest] = name
                conn.execute(sql.SQL("REVOKE ALL ON DATABASE {} FROM PUBLIC").format(sql.Identifier(name)))
            with self.connect_admin(name) as conn:
                conn.execute(sql.SQL("GRANT CREATE ON SCHEMA public TO {}").format(sql.Identifier(self.template_owner)))
                conn.execute(sql.SQL("SET ROLE {}").format(sql.Identifier(self.template_owner)))
                conn.execute("SET search_path = public")
                with conn.transaction():
                    for path in files:
                        conn.execute(Path(path).read_text(encoding="utf-8"))
            with self.connect_admin() as conn:
                conn.execute(sql.SQL("ALTER DATABASE {} WITH IS_TEMPLATE true ALLOW_CONNECTIONS false").format(
                    sql.Identifier(name)))
            return name

    # -- provisioning ------------------------------------------------------------------------
    def provision(self, *, template: str | None = None, **_) -> PostgresDatabase:
        """A fresh database cloned from `template` (default: template0), owned by its own LOGIN role."""
        if self.closed:
            raise ServiceError("PostgreSQL service already closed")
        name = f"{self.prefix}_{token(5)}"
        secret = password()
        db = PostgresDatabase(self, name, secret)
        with self._lock:
            self._open[name] = db
        try:
            with self.connect_admin() as conn:
                verifier = conn.pgconn.encrypt_password(secret.encode(), name.encode(), b"scram-sha-256").decode()
                role = sql.Identifier(name)
                conn.execute(sql.SQL(
                    "CREATE ROLE {} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS "
                    "CONNECTION LIMIT 20 PASSWORD {}").format(role, sql.Literal(verifier)))
                conn.execute(sql.SQL("; ").join(
                    sql.SQL("ALTER ROLE {} SET {} = {}").format(role, sql.Identifier(k), sql.Literal(v))
                    for k, v in PER_ROLE.items()))
                conn.execute(sql.SQL("CREATE DATABASE {} OWNER {} TEMPLATE {}").format(
                    role, role, sql.Identifier(template or "template0")))
                conn.execute(sql.SQL("REVOKE ALL ON DATABASE {} FROM PUBLIC").format(role))
            if template:
                with self.connect_admin(name) as conn:
                    conn.execute(sql.SQL("REASSIGN OWNED BY {owner} TO {role}; REVOKE ALL ON SCHEMA public FROM {owner}").format(
                        owner=sql.Identifier(self.template_owner), role=sql.Identifier(name)))
        except BaseException:
            db.release()
            raise
        return db

    def add_role(self, db: PostgresDatabase, suffix: str) -> tuple[str, str]:
        role = f"{db.name}_{suffix}"
        secret = password()
        db.extra_roles[suffix] = (role, secret)
        with self.connect_admin() as conn:
            verifier = conn.pgconn.encrypt_password(secret.encode(), role.encode(), b"scram-sha-256").decode()
            ident = sql.Identifier(role)
            conn.execute(sql.SQL("CREATE ROLE {} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS "
                                 "CONNECTION LIMIT 10 PASSWORD {}").format(ident, sql.Literal(verifier)))
            conn.execute(sql.SQL("; ").join(
                sql.SQL("ALTER ROLE {} SET {} = {}").format(ident, sql.Identifier(k), sql.Literal(v))
                for k, v in PER_ROLE.items()))
            conn.execute(sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(sql.Identifier(db.name), ident))
        return role, secret

    def release(self, provision: Provision) -> None:
        assert isinstance(provision, PostgresDatabase)
        errors = []
        try:
            with self.connect_admin() as conn:
                conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(provision.name)))
                for role in [r for r, _ in provision.extra_roles.values()] + [provision.role]:
                    try:
                        conn.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(role)))
                    except psycopg.Error as exc:
                        errors.append(f"{role}: {exc}")
        except psycopg.Error as exc:
            errors.append(str(exc))
        with self._lock:
            self._open.pop(provision.name, None)
        if errors:
            log.warning("could not drop everything of %s: %s", provision.name, "; ".join(errors))

    # -- inventory and shutdown ----------------------------------------------------------------
    def inventory(self) -> dict[str, list[str]]:
        """Databases and roles this service made that still exist (templates and their owner apart)."""
        like = self.prefix.replace("_", r"\_") + r"\_%"
        with self.connect_admin() as conn:
            dbs = [r[0] for r in conn.execute("SELECT datname FROM pg_database WHERE datname LIKE %s ORDER BY 1", [like])]
            roles = [r[0] for r in conn.execute("SELECT rolname FROM pg_roles WHERE rolname LIKE %s ORDER BY 1", [like])]
        templates = set(self._templates.values())
        return {"databases": [d for d in dbs if d not in templates],
                "roles": [r for r in roles if r != self.template_owner]}

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        for db in list(self._open.values()):
            db.release()
        try:
            with self.connect_admin() as conn:
                for name in self._templates.values():
                    conn.execute(sql.SQL("ALTER DATABASE {} WITH IS_TEMPLATE false").format(sql.Identifier(name)))
                    conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
                conn.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(self.template_owner)))
        except psycopg.Error as exc:
            log.warning("could not drop the templates of %s: %s", self.prefix, exc)


class ExternalPostgres(PostgresService):
    """The server named by DATABASE_URL (its user must be a superuser)."""

    @classmethod
    def from_url(cls, url: str) -> "ExternalPostgres":
        info = conninfo_to_dict(url)
        info.setdefault("dbname", "postgres")
        try:
            conn = psycopg.connect(**{**info, "connect_timeout": 10, "options": ADMIN_OPTIONS}, autocommit=True)
        except psycopg.Error as exc:
            raise ServiceError(f"DATABASE_URL: cannot connect: {str(exc).strip()[:200]}") from None
        with conn:
            superuser = conn.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user").fetchone()[0]
            if not superuser:
                raise ServiceError("DATABASE_URL must name a superuser (the grader creates databases and roles)")
            port = int(conn.execute("SHOW port").fetchone()[0])
            directories = conn.execute("SHOW unix_socket_directories").fetchone()[0]
        host = str(info.get("host") or "")
        candidates = [host] if host.startswith("/") else [d.strip() for d in directories.split(",") if d.strip()]
        socket_dir = next((d for d in candidates if Path(d, f".s.PGSQL.{port}").exists()), None)
        admin = {k: v for k, v in info.items() if k != "dbname"}
        service = cls(admin, socket_dir=socket_dir, port=port, exposable=False)
        service.exposable, service.exposure_note = service.probe_exposure()
        return service

    def probe_exposure(self) -> tuple[bool, str | None]:
        """May learner code be given this server's socket? Only if logins need a password and no
        other database accepts every role."""
        if self.socket_dir is None:
            return False, "the server has no unix socket reachable from the grader"
        with self.connect_admin() as conn:
            open_dbs = [r[0] for r in conn.execute(
                "SELECT datname FROM pg_database WHERE datallowconn AND (datacl IS NULL OR EXISTS ("
                "SELECT 1 FROM aclexplode(datacl) a WHERE a.grantee = 0 AND a.privilege_type = 'CONNECT')) "
                "ORDER BY 1")]
        probe = f"{self.prefix}_probe"
        with self.connect_admin() as conn:
            secret = password()
            verifier = conn.pgconn.encrypt_password(secret.encode(), probe.encode(), b"scram-sha-256").decode()
            conn.execute(sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(sql.Identifier(probe), sql.Literal(verifier)))
        try:
            try:
                psycopg.connect(**{**self.conninfo(user=probe, password=None, dbname="postgres"), "connect_timeout": 5}).close()
                return False, "the server accepts logins without a password (trust): learner code could log in as any role"
            except psycopg.OperationalError as exc:
                text = str(exc)
                if "password" not in text and "28P01" not in text:
                    return False, f"password-less login probe was not refused for a password reason ({text.strip()[:120]})"
        finally:
            with self.connect_admin() as conn:
                conn.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(probe)))
        if open_dbs:
            return False, ("databases accept connections from every role (REVOKE CONNECT ... FROM PUBLIC): "
                           + ", ".join(open_dbs))
        return True, None


class ThrowawayPostgres(PostgresService):
    """A private cluster for this process: initdb as `nobody`, unix socket only, scram everywhere."""

    def __init__(self, *args, base: Path, **kwargs):
        super().__init__(*args, **kwargs)
        self.base = base
        self.proc: subprocess.Popen | None = None
        self._keeper: threading.Thread | None = None
        self._stop = threading.Event()

    @classmethod
    def start(cls) -> "ThrowawayPostgres":
        reason = unavailable_reason()
        if reason:
            raise ServiceError(reason)
        sweep_stale(DIR_PREFIX)
        uid = NOBODY
        base = make_private_dir(DIR_PREFIX, uid)
        data, sock = base / "data", base / "sock"
        chown(data, uid, 0o700)
        chown(sock, uid, 0o755)
        admin_password = password()
        secrets_dir = base / "init"
        chown(secrets_dir, uid, 0o700)
        pwfile = secrets_dir / "pw"
        pwfile.write_text(admin_password + "\n")
        if os.geteuid() == 0:
            os.chown(pwfile, uid, uid)
        pwfile.chmod(0o600)
        env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}
        init = subprocess.run(
            as_user([pg_bin("initdb"), "-D", str(data), "-U", ADMIN, "--pwfile", str(pwfile), "-A", "scram-sha-256",
                     "-E", "UTF8", "--locale=C.UTF-8", "--no-sync", "--no-instructions"], uid),
            capture_output=True, text=True, env=env, cwd=str(base), timeout=120)
        shutil.rmtree(secrets_dir, ignore_errors=True)
        if init.returncode != 0:
            shutil.rmtree(base, ignore_errors=True)
            raise ServiceError("initdb failed: " + " | ".join((init.stderr or init.stdout).strip().splitlines()[-3:]))
        # Only the unix socket, and a password for every role, the grader's included.
        (data / "pg_hba.conf").write_text("# written by graders.services.postgres\nlocal all all scram-sha-256\n")
        admin = {"host": str(sock), "port": PORT, "user": ADMIN, "password": admin_password, "passfile": NO_PASSFILE}
        service = cls(admin, socket_dir=str(sock), port=PORT, exposable=True, base=base)
        settings = {**THROWAWAY_SETTINGS, "unix_socket_directories": str(sock)}
        version = server_version()
        if version >= JSON_LOG_MIN_VERSION:
            chown(base / "log", uid, 0o700)
            settings |= {**JSON_LOG_SETTINGS, "log_directory": str(base / "log")}
            service.json_log, service.json_log_note = base / "log" / "postgresql.json", None
        else:
            service.json_log_note = f"PostgreSQL {version} has no JSON log ({JSON_LOG_MIN_VERSION} or later needed)"
        argv = as_user([pg_bin("postgres"), "-D", str(data), *[a for k, v in settings.items() for a in ("-c", f"{k}={v}")]], uid)
        try:
            service._spawn(argv, env)
            wait_for(service._ready, 60, "PostgreSQL (throwaway cluster)", service.proc, base / "server.log")
            with service.connect_admin() as conn:
                conn.execute("REVOKE CONNECT, TEMPORARY ON DATABASE postgres, template1 FROM PUBLIC")
        except BaseException:
            service.close()
            raise
        return service

    def _spawn(self, argv: list[str], env: dict) -> None:
        """Start the server from a thread that lives until close(): its parent-death signal (set by
        setpriv) then fires only when the service stops or the grader's process dies."""
        started = threading.Event()
        failure: list[BaseException] = []

        def keep() -> None:
            try:
                with open(self.base / "server.log", "ab") as logfile:
                    self.proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=logfile, stderr=subprocess.STDOUT,
                                                 env=env, cwd=str(self.base), start_new_session=True)
            except BaseException as exc:  # noqa: BLE001 (reported to the starting thread)
                failure.append(exc)
            finally:
                started.set()
            self._stop.wait()

        self._keeper = threading.Thread(target=keep, name=f"cda-pg-{self.prefix}", daemon=True)
        self._keeper.start()
        started.wait()
        if failure:
            raise ServiceError(f"cannot start postgres: {failure[0]}")

    def _ready(self) -> bool:
        if not Path(self.socket_dir, f".s.PGSQL.{PORT}").exists():
            return False
        try:
            self.connect_admin().close()
            return True
        except psycopg.OperationalError:
            return False

    def close(self) -> None:
        if self.closed:
            return
        if self.proc is not None and self.proc.poll() is None:
            super().close()  # tidy up politely (useful to catch leaks in tests) before stopping
        self.closed = True
        import signal

        stop_process(self.proc, signal.SIGINT, timeout=15)  # fast shutdown
        self._stop.set()
        if self._keeper is not None:
            self._keeper.join(timeout=5)
        shutil.rmtree(self.base, ignore_errors=True)

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None


__all__ = ["PostgresService", "PostgresDatabase", "SizeGuard", "ExternalPostgres", "ThrowawayPostgres", "pg_bin",
           "unavailable_reason", "SANDBOX_SOCKET_DIR", "services_root"]
