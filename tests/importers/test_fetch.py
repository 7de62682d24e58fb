"""fetch(): a local HTTP server started by the test, no outside network."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from importers.base import ImportFailure
from importers.fetch import USER_AGENT, fetch, is_url
from importers.html import HtmlImporter

SAMPLES = Path(__file__).resolve().parent.parent / "samples" / "html"
PAGE = (SAMPLES / "opengraph_jsonld.html").read_bytes()
CAFE = (SAMPLES / "windows1252.html").read_bytes()
SEEN_AGENTS: list[str] = []


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        """Keep the test output quiet."""

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802
        SEEN_AGENTS.append(self.headers.get("User-Agent", ""))
        if self.path == "/article":
            self._send(200, PAGE, "text/html; charset=utf-8")
        elif self.path == "/old":
            self.send_response(301)
            self.send_header("Location", "/moved")
            self.end_headers()
        elif self.path == "/old-missing":
            self.send_response(301)
            self.send_header("Location", "/nowhere")
            self.end_headers()
        elif self.path == "/moved":
            self.send_response(302)
            self.send_header("Location", "/article")
            self.end_headers()
        elif self.path == "/slow":
            time.sleep(1.5)
            self._send(200, PAGE, "text/html")
        elif self.path == "/latin":
            self._send(200, CAFE.replace(b"charset=windows-1252", b""), "text/html; charset=cp1252")
        elif self.path == "/mislabelled":
            body = CAFE.decode("cp1252").replace("charset=windows-1252", "").encode("utf-8")
            self._send(200, body, "text/html; charset=iso-8859-1")
        elif self.path == "/pdf":
            self._send(200, b"%PDF-1.4 ...", "application/pdf")
        elif self.path == "/big":
            self._send(200, b"<html><body>" + b"<p>filler text</p>" * 20_000, "text/html")
        elif self.path == "/stream":
            # no Content-Length: the cap must stop the download while streaming
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            try:
                for _ in range(400):
                    self.wfile.write(b"<p>" + b"x" * 1000 + b"</p>")
            except (BrokenPipeError, ConnectionResetError):
                pass
        elif self.path == "/error":
            self._send(503, b"busy", "text/plain")
        else:
            self._send(404, b"<h1>Not here</h1>", "text/html")


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_is_url() -> None:
    assert is_url("https://example.org/a?b=c")
    assert is_url("http://127.0.0.1:8000/x")
    assert not is_url("notes/page.html")
    assert not is_url("ftp://example.org/file")
    assert not is_url("https://")


def test_fetch_page_and_import(server: str) -> None:
    source = fetch(f"{server}/article")
    assert source.name == f"{server}/article"
    assert source.media_type == "text/html"
    assert source.charset == "utf-8"
    assert source.data == PAGE
    assert "Margin" in USER_AGENT and SEEN_AGENTS[-1] == USER_AGENT
    draft = HtmlImporter().parse(source)[0]
    assert draft.title == "Tidal Clocks of the North Sea"


def test_redirects_are_followed_to_the_final_url(server: str) -> None:
    source = fetch(f"{server}/old")
    assert source.name == f"{server}/article"
    assert source.data == PAGE


def test_an_error_after_a_redirect_says_where_it_led(server: str) -> None:
    with pytest.raises(ImportFailure) as moved:
        fetch(f"{server}/old-missing")
    assert str(moved.value) == f"HTTP 404 Not Found (at {server}/nowhere)"


def test_http_errors_are_one_line(server: str) -> None:
    with pytest.raises(ImportFailure) as missing:
        fetch(f"{server}/nowhere")
    assert str(missing.value) == "HTTP 404 Not Found"
    with pytest.raises(ImportFailure, match=r"^HTTP 503 Service Unavailable"):
        fetch(f"{server}/error")


def test_slow_response_times_out(server: str) -> None:
    started = time.monotonic()
    with pytest.raises(ImportFailure) as slow:
        fetch(f"{server}/slow", timeout=0.3)
    assert str(slow.value).startswith("timed out after 0.3 s; try again")
    assert time.monotonic() - started < 1.4


def test_declared_charset_is_used(server: str) -> None:
    source = fetch(f"{server}/latin")
    assert source.charset == "cp1252"
    draft = HtmlImporter().parse(source)[0]
    assert draft.title == "Café Society on the Left Bank"
    assert "naïve" in draft.body_markdown


def test_wrong_declared_charset_still_decodes(server: str) -> None:
    source = fetch(f"{server}/mislabelled")
    assert source.charset == "iso-8859-1"
    draft = HtmlImporter().parse(source)[0]
    assert draft.title == "Café Society on the Left Bank"
    assert "“Lost Generation”" in draft.body_markdown


def test_non_html_content_type(server: str) -> None:
    with pytest.raises(ImportFailure, match=r"^not a web page \(application/pdf\)"):
        fetch(f"{server}/pdf")


def test_size_cap(server: str) -> None:
    with pytest.raises(ImportFailure, match=r"^page larger than"):
        fetch(f"{server}/big", max_bytes=100_000)
    with pytest.raises(ImportFailure, match=r"^page larger than"):
        fetch(f"{server}/stream", max_bytes=100_000)
    assert len(fetch(f"{server}/stream").data) > 400_000


def test_network_failure() -> None:
    with pytest.raises(ImportFailure, match=r"^network error \(.*\)$"):
        fetch("http://127.0.0.1:9/x", timeout=2)
