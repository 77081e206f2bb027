"""A tiny static HTTP server for local files (`cda audit page.html`), test fixtures and benchmarks.

Serves one folder on 127.0.0.1 (or another loopback name) in a daemon thread. A sidecar file
`<name>.headers` adds response headers to `<name>` (one `Name: value` per line; `Status: 404`
sets the status). Unknown paths get `_404.html` (and its sidecar) when the folder has one.
"""

from __future__ import annotations

import mimetypes
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit


class _Handler(BaseHTTPRequestHandler):
    root: Path
    replace: dict[str, str] = {}
    server_version = "cda-static"
    sys_version = ""

    def log_message(self, format, *args) -> None:  # quiet
        pass

    def _target(self) -> tuple[Path | None, int]:
        path = unquote(urlsplit(self.path).path, errors="replace")
        candidate = (self.root / path.lstrip("/")).resolve()
        if candidate.is_dir():
            candidate = candidate / "index.html"
        if candidate.is_relative_to(self.root) and candidate.is_file() and not candidate.name.endswith(".headers"):
            return candidate, 200
        fallback = self.root / "_404.html"
        return (fallback if fallback.is_file() else None), 404

    def _send(self, body_wanted: bool) -> None:
        target, status = self._target()
        body = target.read_bytes() if target else b"<!DOCTYPE html><title>404</title><p>Not found</p>"
        if self.replace and target and target.suffix in (".html", ".js", ".css", ".txt"):
            text = body.decode("utf-8")
            for old, new in self.replace.items():
                text = text.replace(old, new)
            body = text.encode("utf-8")
        headers: list[tuple[str, str]] = []
        sidecar = target.with_name(target.name + ".headers") if target else None
        if sidecar and sidecar.is_file():
            sidecar_text = sidecar.read_text(encoding="utf-8")
            for old, new in self.replace.items():
                sidecar_text = sidecar_text.replace(old, new)
            for line in sidecar_text.splitlines():
                if ":" in line and not line.lstrip().startswith("#"):
                    name, value = line.split(":", 1)
                    if name.strip().lower() == "status":
                        status = int(value.strip())
                    else:
                        headers.append((name.strip(), value.strip()))
        content_type = mimetypes.guess_type(target.name)[0] if target else "text/html"
        if content_type in (None, "text/html", "text/css", "text/javascript", "application/javascript"):
            content_type = (content_type or "application/octet-stream") + "; charset=utf-8"
        self.send_response(status)
        if not any(name.lower() == "content-type" for name, _ in headers):
            self.send_header("Content-Type", content_type)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body_wanted:
            try:
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):  # the browser gave up (e.g. the load cut-off)
                pass

    def do_GET(self) -> None:
        self._send(True)

    def do_HEAD(self) -> None:
        self._send(False)

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(min(length, 1 << 20))
        self._send(True)


class StaticServer:
    """`with StaticServer(folder) as server: server.url("page.html")`.

    `replace` rewrites text in served HTML, JS, CSS and header sidecars (e.g. another server's origin).
    """

    def __init__(self, root: Path, host: str = "127.0.0.1", port: int = 0, replace: dict[str, str] | None = None):
        handler = type("Handler", (_Handler,), {"root": Path(root).resolve(), "replace": dict(replace or {})})
        self.httpd = ThreadingHTTPServer((host if host != "localhost" else "127.0.0.1", port), handler)
        self.httpd.daemon_threads = True
        self.host = host
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return self.httpd.server_address[1]

    @property
    def origin(self) -> str:
        return f"http://{self.host}:{self.port}"

    def url(self, path: str = "") -> str:
        return f"{self.origin}/{path.lstrip('/')}"

    def start(self) -> "StaticServer":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def __enter__(self) -> "StaticServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
