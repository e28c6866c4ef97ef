"""A real HTTP server on 127.0.0.1 that answers as badly as a test asks it to.

The endpoint code must hold against servers that lie, trickle, flood or send formats that
can fetch or expand things. Each test starts one with a handler of its own
(``hostile_server(handler)``); the handler gets the request (method, path, headers,
body) and writes the answer with the helpers of :class:`Reply`. Every request is recorded,
so a test can also prove that nothing was sent.
"""

from __future__ import annotations

import http.server
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Reply:
    """What the handler sends: status, headers, and the body as chunks with pauses."""

    handler: http.server.BaseHTTPRequestHandler

    def send(
        self,
        status: int,
        body: bytes = b"",
        content_type: str = "text/plain",
        headers: dict[str, str] | None = None,
        length: bool = True,
    ) -> None:
        self.handler.send_response(status)
        self.handler.send_header("Content-Type", content_type)
        for key, value in (headers or {}).items():
            self.handler.send_header(key, value)
        if length:
            self.handler.send_header("Content-Length", str(len(body)))
        self.handler.end_headers()
        self.handler.wfile.write(body)

    def stream(
        self, status: int, chunks: Iterator[bytes], content_type: str, pause: float = 0.0
    ) -> None:
        """Send chunks one by one (no length: the connection closes at the end)."""
        self.handler.send_response(status)
        self.handler.send_header("Content-Type", content_type)
        self.handler.send_header("Connection", "close")
        self.handler.end_headers()
        try:
            for chunk in chunks:
                self.handler.wfile.write(chunk)
                self.handler.wfile.flush()
                if pause:
                    time.sleep(pause)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client stopped reading: what a bounded client should do


@dataclass
class HostileServer:
    url: str
    requests: list[Request] = field(default_factory=list)


Handler = Callable[[Request, Reply], None]


@contextmanager
def hostile_server(handle: Handler) -> Iterator[HostileServer]:
    """Serve ``handle`` on a free 127.0.0.1 port for the duration of the block."""
    server_state = HostileServer("")

    class _Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _any(self) -> None:
            size = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(size) if size else b""
            request = Request(self.command, self.path, dict(self.headers), body)
            server_state.requests.append(request)
            handle(request, Reply(self))

        do_GET = do_POST = do_PUT = do_DELETE = _any

        def log_message(self, *args: object) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    server_state.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield server_state
    finally:
        httpd.shutdown()
        httpd.server_close()
