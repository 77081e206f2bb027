"""The embedded broker of `cda serve`: a Redis server of its own, persistent for its lifetime.

Unlike the per-submission stores of `graders/services/redis.py` (no persistence, unix socket), the
broker keeps every write in an append-only file synced at each write, so that a restarted broker
gives back the queue and the unacknowledged messages it held; it listens on loopback with a random
password (other machines' workers use a broker of their own choosing: `--broker URL`).
"""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
from pathlib import Path

from graders.services.base import (NOBODY, as_user, chown, is_root, make_private_dir, password, stop_process,
                                   sweep_stale, wait_for)
from graders.services.redis import redis_server_bin

DIR_PREFIX = "cda-broker-"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class EmbeddedBroker:
    def __init__(self) -> None:
        sweep_stale(DIR_PREFIX)
        self.uid = NOBODY if is_root() else None
        self.base = make_private_dir(DIR_PREFIX, self.uid)
        chown(self.base / "data", self.uid, 0o700)
        self.port = free_port()
        self.secret = password()
        self.proc: subprocess.Popen | None = None
        self.start()

    @property
    def url(self) -> str:
        return f"redis://:{self.secret}@127.0.0.1:{self.port}/0"

    def start(self) -> None:
        config = "\n".join([
            "bind 127.0.0.1", f"port {self.port}", f"dir {self.base / 'data'}", "appendonly yes",
            "appendfsync always", 'save ""', "daemonize no", "protected-mode yes", "loglevel warning",
            'logfile ""', "enable-debug-command no", "enable-module-command no",
            f"user default on >{self.secret} ~* &* +@all -@admin",
        ]) + "\n"
        with open(self.base / "server.log", "ab") as logfile:
            self.proc = subprocess.Popen(as_user([redis_server_bin(), "-"], self.uid), stdin=subprocess.PIPE,
                                         stdout=logfile, stderr=subprocess.STDOUT, cwd=str(self.base),
                                         start_new_session=True, env={"PATH": "/usr/bin:/bin"})
        self.proc.stdin.write(config.encode())
        self.proc.stdin.close()
        wait_for(self.ping, 15, "the broker (redis-server)", self.proc, self.base / "server.log")

    def ping(self) -> bool:
        import redis

        try:
            with redis.Redis(host="127.0.0.1", port=self.port, password=self.secret, socket_timeout=2) as client:
                return bool(client.ping())
        except redis.RedisError:
            return False

    def restart(self) -> None:
        """Stop and start again on the same port and data (what the fault benchmark does)."""
        stop_process(self.proc, signal.SIGTERM, timeout=10)
        self.start()

    def close(self) -> None:
        stop_process(self.proc, signal.SIGTERM, timeout=10)
        shutil.rmtree(self.base, ignore_errors=True)

    def __enter__(self) -> "EmbeddedBroker":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
