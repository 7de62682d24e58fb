"""A feed server for tests and benchmarks: files from a folder on 127.0.0.1, with validators.

Answers ``If-None-Match`` (ETag = hash of the file) and ``If-Modified-Since``
(the file's modification time) with 304, and counts requests and body bytes sent.
"""

from __future__ import annotations

import contextlib
import hashlib
import threading
from collections import Counter
from collections.abc import Iterator
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

TYPES = {
    ".xml": "application/rss+xml",
    ".atom": "application/atom+xml",
    ".json": "application/feed+json",
    ".html": "text/html; charset=utf-8",
}


class FeedServer:
    """Serves ``root``; ``url(name)`` is a file's address."""

    def __init__(self, root: Path, *, etags: bool = True, dates: bool = True) -> None:
        self.root = root
        self.etags = etags
        self.dates = dates
        self.requests: Counter[str] = Counter()
        self.not_modified: Counter[str] = Counter()
        self.body_bytes = 0
        self.redirects: dict[str, tuple[int, str]] = {}
        """``name`` answered by a redirect: (status, the name it points to)."""
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                """Quiet."""

            def do_GET(self) -> None:  # noqa: N802
                server._answer(self)

        class Server(ThreadingHTTPServer):
            # The default backlog of 5 drops SYNs when a refresh opens eight
            # connections at once; each dropped one costs a 1 s retransmit.
            request_queue_size = 128

        self.httpd = Server(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def url(self, name: str) -> str:
        """The address of ``name`` under the served folder."""
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/{name}"

    def _answer(self, handler: BaseHTTPRequestHandler) -> None:
        name = handler.path.lstrip("/").split("?", 1)[0]
        with self._lock:
            self.requests[name] += 1
        if name in self.redirects:
            status, target = self.redirects[name]
            handler.send_response(status)
            handler.send_header("Location", self.url(target))
            handler.send_header("Content-Length", "0")
            handler.end_headers()
            return
        path = self.root / name
        if name == "dead" or not path.is_file():
            self._send(handler, 404, b"gone", "text/plain")
            return
        data = path.read_bytes()
        etag = '"' + hashlib.sha1(data).hexdigest()[:16] + '"'
        modified = formatdate(int(path.stat().st_mtime), usegmt=True)
        if self._fresh(handler, etag, path.stat().st_mtime):
            with self._lock:
                self.not_modified[name] += 1
            handler.send_response(304)
            self._validators(handler, etag, modified)
            handler.send_header("Content-Length", "0")
            handler.end_headers()
            return
        content_type = TYPES.get(path.suffix, "application/octet-stream")
        self._send(handler, 200, data, content_type, etag, modified)

    def _fresh(self, handler: BaseHTTPRequestHandler, etag: str, mtime: float) -> bool:
        match = handler.headers.get("If-None-Match")
        if self.etags and match:
            return match == etag
        since = handler.headers.get("If-Modified-Since")
        if self.dates and since:
            try:
                return int(mtime) <= parsedate_to_datetime(since).timestamp()
            except (TypeError, ValueError):
                return False
        return False

    def _validators(self, handler: BaseHTTPRequestHandler, etag: str, modified: str) -> None:
        if self.etags:
            handler.send_header("ETag", etag)
        if self.dates:
            handler.send_header("Last-Modified", modified)

    def _send(
        self,
        handler: BaseHTTPRequestHandler,
        status: int,
        body: bytes,
        content_type: str,
        etag: str | None = None,
        modified: str | None = None,
    ) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(body)))
        if etag and modified:
            self._validators(handler, etag, modified)
        handler.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            handler.wfile.write(body)
        with self._lock:
            self.body_bytes += len(body)


@contextlib.contextmanager
def serving(root: Path, **options: bool) -> Iterator[FeedServer]:
    """A running FeedServer for the duration of the block."""
    server = FeedServer(root, **options)
    server.thread.start()
    try:
        yield server
    finally:
        server.httpd.shutdown()
        server.httpd.server_close()
