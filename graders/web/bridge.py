"""Reaching an application that runs in the sandbox's own network namespace.

Inside the sandbox the application listens on 127.0.0.1:PORT of the sandbox's loopback, which
the host cannot reach. `bridge_inside.py` (trusted, run in the sandbox next to the application)
relays a unix socket placed in a bind-mounted folder to that port; on the host, `UnixProxy`
listens on a random 127.0.0.1 port and relays to the socket, giving the browser an origin.

    with SandboxedApp(ctx, command, port=5000, ready="/") as app:
        app.origin  # "http://127.0.0.1:41234"
"""

from __future__ import annotations

import asyncio
import shutil
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from graders.checks.base import CheckContext
    from graders.sandbox.base import RunResult, Spawned

INSIDE_SCRIPT = Path(__file__).with_name("bridge_inside.py")
BRIDGE_DIR = "/bridge"
SOCKET_NAME = "app.sock"


class UnixProxy:
    """Host side: TCP on 127.0.0.1:<random> -> a unix socket, served by an asyncio loop in a thread."""

    def __init__(self, socket_path: Path):
        self.socket_path = str(socket_path)
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True, name="cda-unix-proxy")
        self.server: asyncio.AbstractServer | None = None
        self.port = 0

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            app_reader, app_writer = await asyncio.open_unix_connection(self.socket_path)
        except OSError:
            writer.close()
            return

        async def pipe(src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
            try:
                while data := await src.read(65536):
                    dst.write(data)
                    await dst.drain()
            except (ConnectionError, OSError):
                pass
            finally:
                try:
                    dst.close()
                except Exception:
                    pass

        await asyncio.gather(pipe(reader, app_writer), pipe(app_reader, writer))

    def start(self) -> int:
        self.thread.start()
        future = asyncio.run_coroutine_threadsafe(asyncio.start_server(self._handle, "127.0.0.1", 0), self.loop)
        self.server = future.result(timeout=10)
        self.port = self.server.sockets[0].getsockname()[1]
        return self.port

    def stop(self) -> None:
        async def close() -> None:
            if self.server is not None:
                self.server.close()
                await self.server.wait_closed()

        if self.thread.is_alive():
            try:
                asyncio.run_coroutine_threadsafe(close(), self.loop).result(timeout=5)
            except Exception:
                pass
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(timeout=5)
        self.loop.close()


@dataclass
class StartFailure(Exception):
    reason: str
    output: str = ""

    def __str__(self) -> str:
        return self.reason


def python_for(command: list[str]) -> list[str]:
    """`python`/`python3` means the grader's interpreter (it has the lab's dependencies)."""
    if command and command[0] in ("python", "python3"):
        return [sys.executable, *command[1:]]
    return list(command)


class SandboxedApp:
    """Start the learner's application in the sandbox, wait until it answers, stop it afterwards."""

    def __init__(self, ctx: "CheckContext", command: list[str], *, port: int, ready: str = "/",
                 ready_timeout_s: float = 30.0, env: dict[str, str] | None = None, mounts: list | None = None):
        self.ctx, self.command, self.port, self.ready = ctx, python_for(command), port, ready
        self.ready_timeout_s, self.env = ready_timeout_s, dict(env or {})
        self.extra_mounts = list(mounts or ())  # e.g. the unix socket folders of graders.services
        self.proc: "Spawned | None" = None
        self.proxy: UnixProxy | None = None
        self.run_dir = Path(tempfile.mkdtemp(prefix="web-", dir=ctx.scratch))
        # A unix socket path must stay under ~108 bytes: the shared folder lives in a short temp dir.
        self.bridge_dir = Path(tempfile.mkdtemp(prefix="cda-br-"))
        self.result: "RunResult | None" = None
        self.origin = ""

    def _mounts(self) -> list:
        from graders.sandbox.base import TRUSTED, WORKSPACE, Mount

        trusted = self.run_dir / "cda"
        trusted.mkdir()
        shutil.copyfile(INSIDE_SCRIPT, trusted / "bridge.py")
        bridge = self.bridge_dir
        bridge.chmod(0o777)
        if "private" in {f.name for f in fields(Mount)}:
            workspace = Mount(self.ctx.workspace, WORKSPACE, private=True)
        else:  # older sandbox interface: a writable copy
            copy = self.run_dir / "workspace"
            shutil.copytree(self.ctx.workspace, copy, symlinks=True)
            workspace = Mount(copy, WORKSPACE, True)
        return [workspace, Mount(trusted, TRUSTED), Mount(bridge, BRIDGE_DIR, True), *self.extra_mounts]

    def __enter__(self) -> "SandboxedApp":
        from graders.sandbox.base import TRUSTED
        from graders.web.anssi import fetch

        mounts = self._mounts()
        argv = [sys.executable, "-I", f"{TRUSTED}/bridge.py", f"{BRIDGE_DIR}/{SOCKET_NAME}", str(self.port), "--",
                *self.command]
        self.proc = self.ctx.sandbox.spawn(argv, mounts=mounts, limits=self.ctx.limits, env=self.env)
        self.proxy = UnixProxy(self.bridge_dir / SOCKET_NAME)
        self.origin = f"http://127.0.0.1:{self.proxy.start()}"
        deadline = time.monotonic() + self.ready_timeout_s
        while True:
            if self.proc.poll() is not None:
                self.stop()
                raise StartFailure(f"exited with code {self.result.returncode}", self.output())
            status, _body, _error = fetch(self.origin + self.ready, timeout=2)
            if status is not None and status < 500:
                return self
            if time.monotonic() > deadline:
                self.stop()
                raise StartFailure(f"no answer on {self.ready} within {self.ready_timeout_s:g} s", self.output())
            time.sleep(0.2)

    def output(self) -> str:
        if self.result is None:
            return ""
        return ((self.result.stderr or "") + (self.result.stdout or ""))[-2000:]

    def stop(self) -> None:
        if self.proxy is not None:
            self.proxy.stop()
            self.proxy = None
        if self.proc is not None and self.result is None:
            self.result = self.proc.stop()
        shutil.rmtree(self.run_dir, ignore_errors=True)
        shutil.rmtree(self.bridge_dir, ignore_errors=True)

    def __exit__(self, *exc) -> None:
        self.stop()
