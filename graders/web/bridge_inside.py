"""Runs INSIDE the sandbox (copied to /cda/bridge.py, started with `python -I`): starts the
learner's application and relays a unix socket (in a folder shared with the host) to the
application's TCP port on the sandbox's own loopback. The sandbox has no network: the socket
is the only way in, and nothing gets out.

Usage: bridge.py SOCKET PORT -- COMMAND...
Exits with the application's exit code; on SIGTERM, stops the application first.
"""

import asyncio
import os
import signal
import subprocess
import sys

BUFFER = 65536


async def pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while True:
            data = await reader.read(BUFFER)
            if not data:
                break
            writer.write(data)
            await writer.drain()
    except (ConnectionError, OSError):
        pass
    finally:
        try:
            writer.close()
        except Exception:
            pass


async def serve(socket_path: str, port: int, app: subprocess.Popen) -> None:
    async def handle(client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
        try:
            app_reader, app_writer = await asyncio.open_connection("127.0.0.1", port)
        except OSError:
            client_writer.close()
            return
        await asyncio.gather(pipe(client_reader, app_writer), pipe(app_reader, client_writer))

    server = await asyncio.start_unix_server(handle, path=socket_path)
    os.chmod(socket_path, 0o666)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    loop.add_signal_handler(signal.SIGINT, stop.set)
    while not stop.is_set() and app.poll() is None:
        try:
            await asyncio.wait_for(stop.wait(), timeout=0.2)
        except asyncio.TimeoutError:
            pass
    server.close()


def main(argv: list[str]) -> int:
    if "--" not in argv or argv.index("--") != 2:
        print("usage: bridge.py SOCKET PORT -- COMMAND...", file=sys.stderr)
        return 2
    socket_path, port, command = argv[0], int(argv[1]), argv[3:]
    app = subprocess.Popen(command)
    try:
        asyncio.run(serve(socket_path, port, app))
    finally:
        if app.poll() is None:
            app.terminate()
            try:
                app.wait(timeout=2)
            except subprocess.TimeoutExpired:
                app.kill()
    return app.wait()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
