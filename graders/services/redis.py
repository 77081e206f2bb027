"""Redis for graders: a throwaway redis-server on a unix socket for each provision (one per grading run).

Why one server per submission rather than ACL users with key prefixes on a shared server: a
dedicated server costs ~10 ms, and it isolates completely (SCAN/KEYS, FLUSHDB, SELECT, INFO
keyspace, memory and client limits are the submission's own), so learner code behaves exactly as
on their machine. Each server runs under its own unprivileged uid, with no TCP port, no persistence,
a random password, and without administrative commands (CONFIG, DEBUG, MODULE, SHUTDOWN... via
`-@admin`), then is killed and its folder removed on release.

REDIS_URL, when set, names a server the grader itself may use (`ExternalRedis`); it is never handed
to learner code: a shared keyspace cannot be split safely between submissions.
"""

from __future__ import annotations

import logging
import secrets
import shutil
import signal
import subprocess
import threading
from pathlib import Path

from graders.sandbox.base import Mount
from graders.sandbox.uids import UidLease, lease_uid
from graders.services.base import (
    DatabaseService, Provision, ServiceError, as_user, chown, is_root, make_private_dir, password, stop_process,
    sweep_stale, wait_for,
)

log = logging.getLogger(__name__)

SANDBOX_SOCKET_DIR = "/run/cda-redis"
SOCKET = "redis.sock"
DIR_PREFIX = "cda-redis-"
# Each server runs as its own uid from this range (outside the sandbox's range) when the grader is root.
UID_RANGE = (270_000, 280_000)
MONITOR_USER = "cda-monitor"


def redis_server_bin() -> str:
    found = shutil.which("redis-server")
    if found is None:
        raise ServiceError("`redis-server` not found (apt install redis-server)")
    return found


def unavailable_reason() -> str | None:
    try:
        redis_server_bin()
    except ServiceError as exc:
        return str(exc)
    try:
        import redis  # noqa: F401
    except ImportError:
        return "the `redis` Python package is not installed"
    return None


class RedisInstance(Provision):
    """One submission's redis-server. `env` gives REDIS_URL for the sandbox."""

    def __init__(self, service: "RedisService", base: Path, secret: str):
        self.base = base
        self.password = secret
        self.socket_path = base / "sock" / SOCKET
        self.proc: subprocess.Popen | None = None
        self.lease: UidLease | None = None
        super().__init__(service=service, name=base.name, host_url=f"unix://:{secret}@{self.socket_path}")
        self.env = {"REDIS_URL": f"unix://:{secret}@{SANDBOX_SOCKET_DIR}/{SOCKET}"}
        # The grader's own user: MONITOR and nothing else (graders/checks/redis_monitor.py).
        self.monitor_credentials = (MONITOR_USER, password())
        self.mounts = [Mount(base / "sock", SANDBOX_SOCKET_DIR)]

    def client(self):
        import redis

        return redis.Redis(unix_socket_path=str(self.socket_path), password=self.password, socket_timeout=5)

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None


class RedisService(DatabaseService):
    """Starts a throwaway redis-server per provision (see the module docstring)."""

    kind = "redis"
    exposable = True

    def __init__(self) -> None:
        reason = unavailable_reason()
        if reason:
            raise ServiceError(reason)
        sweep_stale(DIR_PREFIX)
        self._open: dict[str, RedisInstance] = {}
        self._lock = threading.Lock()
        self.closed = False

    def provision(self, *, maxmemory_mb: int = 64, **_) -> RedisInstance:
        if self.closed:
            raise ServiceError("Redis service already closed")
        lease = lease_uid(*UID_RANGE) if is_root() else None  # its own uid on this machine while it lives
        uid = lease.uid if lease else None
        try:
            base = make_private_dir(DIR_PREFIX, uid)
        except BaseException:
            if lease:
                lease.release()
            raise
        instance = RedisInstance(self, base, password())
        instance.lease = lease
        with self._lock:
            self._open[instance.name] = instance
        try:
            chown(base / "sock", uid, 0o755)
            chown(base / "data", uid, 0o700)
            # The configuration (with the password) goes through stdin: not in the process list, no file.
            config = "\n".join([
                "port 0", f"unixsocket {instance.socket_path}", "unixsocketperm 777", f"dir {base / 'data'}",
                'save ""', "appendonly no", "daemonize no", "protected-mode yes", "databases 16",
                f"maxmemory {maxmemory_mb}mb", "maxmemory-policy noeviction", "maxclients 64",
                "loglevel warning", 'logfile ""',
                "enable-protected-configs no", "enable-debug-command no", "enable-module-command no",
                # The only user: a password, every key and channel, no administrative command.
                f"user default on >{instance.password} ~* &* +@all -@admin",
                f"user {MONITOR_USER} on >{instance.monitor_credentials[1]} nocommands +monitor",
            ]) + "\n"
            with open(base / "server.log", "ab") as logfile:
                instance.proc = subprocess.Popen(
                    as_user([redis_server_bin(), "-"], uid), stdin=subprocess.PIPE, stdout=logfile,
                    stderr=subprocess.STDOUT, cwd=str(base), start_new_session=True, env={"PATH": "/usr/bin:/bin"})
            instance.proc.stdin.write(config.encode())
            instance.proc.stdin.close()
            wait_for(lambda: _ping(instance), 15, "redis-server", instance.proc, base / "server.log")
        except BaseException:
            instance.release()
            raise
        return instance

    def release(self, provision: Provision) -> None:
        assert isinstance(provision, RedisInstance)
        stop_process(provision.proc, signal.SIGKILL, timeout=5)  # nothing to save
        shutil.rmtree(provision.base, ignore_errors=True)
        if provision.lease is not None:
            provision.lease.release()
        with self._lock:
            self._open.pop(provision.name, None)

    def inventory(self) -> dict[str, list[str]]:
        return {"servers": sorted(self._open)}

    def close(self) -> None:
        self.closed = True
        for instance in list(self._open.values()):
            instance.release()


def _ping(instance: RedisInstance) -> bool:
    if not instance.socket_path.exists():
        return False
    try:
        with instance.client() as client:
            return bool(client.ping())
    except Exception:  # noqa: BLE001 (not ready yet)
        return False


class ExternalRedis(DatabaseService):
    """The server named by REDIS_URL, for the grader's own use only: never exposed to learner code.

    A provision is a key prefix (`cda:<token>:`) on that server; releasing it deletes its keys.
    """

    kind = "redis"
    exposable = False
    exposure_note = "a shared Redis keyspace cannot be isolated per submission (SCAN, FLUSHDB, INFO)"

    def __init__(self, url: str):
        import redis

        self.url = url
        try:
            self.client = redis.Redis.from_url(url, socket_timeout=5)
            self.client.ping()
        except redis.RedisError as exc:
            raise ServiceError(f"REDIS_URL: cannot connect: {exc}") from None
        self._open: dict[str, Provision] = {}

    def provision(self, **_) -> Provision:
        prefix = f"cda:{secrets.token_hex(6)}:"
        provision = Provision(service=self, name=prefix, host_url=self.url)  # no env, no mounts: grader only
        self._open[prefix] = provision
        return provision

    def release(self, provision: Provision) -> None:
        keys = list(self.client.scan_iter(match=provision.name + "*", count=500))
        if keys:
            self.client.delete(*keys)
        self._open.pop(provision.name, None)

    def inventory(self) -> dict[str, list[str]]:
        return {"prefixes": sorted(self._open)}

    def close(self) -> None:
        for provision in list(self._open.values()):
            provision.release()
        self.client.close()
