"""Fetching a web page over HTTP(S) into a Source, with clear one-line failures."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from dataclasses import dataclass

if "httpx" not in sys.modules:
    # httpx's package __init__ imports its command-line tool, which pulls in Rich
    # and Pygments whenever they are installed (Textual brings them). Importers must
    # stay UI-free and fast to import, so hide that one optional module: httpx then
    # falls back to a stub ``main`` and everything else works as usual.
    sys.modules["httpx._main"] = None  # type: ignore[assignment]
    import httpx

    del sys.modules["httpx._main"]
else:
    import httpx

from .base import Source, is_url
from .errors import ImportFailure

__all__ = ["USER_AGENT", "Fetched", "fetch", "fetch_if_changed", "is_url"]

USER_AGENT = "Margin/0.1 (offline article reader; +https://github.com/margin-reader)"
_ACCEPT = (
    "text/html,application/xhtml+xml;q=0.9,application/atom+xml;q=0.9,"
    "application/rss+xml;q=0.9,application/feed+json;q=0.9,*/*;q=0.5"
)


@dataclass
class Fetched:
    """The answer to a conditional request: a Source, or None when nothing changed (304)."""

    source: Source | None
    status: int
    etag: str | None = None
    last_modified: str | None = None
    size: int = 0
    """Bytes of body received."""
    moved_to: str | None = None
    """Where the address moved for good: every redirect on the way was a 301 or 308."""


def _moved_to(response: httpx.Response) -> str | None:
    """The final URL when only permanent redirects led there, else None."""
    hops = response.history
    if hops and all(hop.status_code in (301, 308) for hop in hops):
        return str(response.url)
    return None


def _accepted() -> frozenset[str]:
    from .registry import media_types

    return media_types()


def _seconds(value: float) -> str:
    return f"{value:g} s"


def fetch(
    url: str,
    *,
    timeout: float = 20.0,
    max_bytes: int = 20_000_000,
    client: httpx.Client | None = None,
    accept: Callable[[str], bool] | None = None,
) -> Source:
    """Download ``url`` (following redirects) and return it as a Source.

    The final URL after redirects becomes ``Source.name``; the Content-Type's
    media type and charset are kept. Only media types some importer declares are
    accepted (web pages, feeds). Raises ImportFailure with one plain line for HTTP
    errors, content no importer reads, timeouts, oversize pages and network errors.
    """
    fetched = fetch_if_changed(
        url, timeout=timeout, max_bytes=max_bytes, client=client, accept=accept
    )
    assert fetched.source is not None  # no validators sent, so never 304
    return fetched.source


def fetch_if_changed(
    url: str,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    timeout: float = 20.0,
    max_bytes: int = 20_000_000,
    client: httpx.Client | None = None,
    accept: Callable[[str], bool] | None = None,
) -> Fetched:
    """``fetch`` with a conditional request: ``If-None-Match`` / ``If-Modified-Since``.

    A 304 answer comes back as ``Fetched(source=None, status=304)``; the validators
    of a 200 answer are returned for the next request. ``accept`` decides which
    media types are taken (default: those some importer reads).
    """
    url = url.strip()
    if not is_url(url):
        raise ImportFailure(f"not a web address: {url}")
    own = client is None
    http = client or httpx.Client(
        follow_redirects=True,
        headers={"User-Agent": USER_AGENT, "Accept": _ACCEPT},
    )
    try:
        with http.stream(
            "GET",
            url,
            timeout=httpx.Timeout(timeout),
            follow_redirects=True,
            headers=_request_headers(etag, last_modified),
        ) as response:
            final = str(response.url)
            # The import report names the URL already; say where a redirect led.
            at = f" (at {final})" if final != url else ""
            moved_to = _moved_to(response)
            if response.status_code == 304:
                return Fetched(
                    None,
                    304,
                    response.headers.get("etag") or etag,
                    response.headers.get("last-modified") or last_modified,
                    moved_to=moved_to,
                )
            if response.status_code >= 400:
                phrase = response.reason_phrase or ""
                raise ImportFailure(f"HTTP {response.status_code} {phrase}".rstrip() + at)
            header = response.headers.get("content-type", "")
            media_type = header.split(";", 1)[0].strip().lower() or None
            if media_type and not (accept(media_type) if accept else media_type in _accepted()):
                raise ImportFailure(f"not a web page ({media_type}){at}")
            declared = response.headers.get("content-length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                raise ImportFailure(f"page larger than {max_bytes // 1_000_000} MB{at}")
            chunks: list[bytes] = []
            size = 0
            deadline = time.monotonic() + timeout
            for chunk in response.iter_bytes():
                if time.monotonic() > deadline:
                    raise httpx.ReadTimeout("overall deadline passed")
                size += len(chunk)
                if size > max_bytes:
                    raise ImportFailure(f"page larger than {max_bytes // 1_000_000} MB{at}")
                chunks.append(chunk)
            charset = response.charset_encoding if "charset=" in header.lower() else None
            validators = (response.headers.get("etag"), response.headers.get("last-modified"))
    except httpx.TimeoutException as err:
        raise ImportFailure(
            f"timed out after {_seconds(timeout)}; try again, or save the page and import the file"
        ) from err
    except httpx.TooManyRedirects as err:
        raise ImportFailure("too many redirects") from err
    except httpx.UnsupportedProtocol as err:
        raise ImportFailure("unsupported address") from err
    except httpx.HTTPError as err:
        reason = str(err).splitlines()[0] if str(err) else type(err).__name__
        raise ImportFailure(f"network error ({reason})") from err
    finally:
        if own:
            http.close()
    source = Source(name=final, data=b"".join(chunks), media_type=media_type, charset=charset)
    return Fetched(source, 200, *validators, size=size, moved_to=moved_to)


def _request_headers(etag: str | None, last_modified: str | None) -> dict[str, str]:
    headers = {"User-Agent": USER_AGENT, "Accept": _ACCEPT}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    return headers
