"""Fetching a web page over HTTP(S) into a Source, with clear one-line failures."""

from __future__ import annotations

import re
import sys
import time

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

from .base import Source
from .errors import ImportFailure

__all__ = ["USER_AGENT", "fetch", "is_url"]

USER_AGENT = "Margin/0.1 (offline article reader; +https://github.com/margin-reader)"
_ACCEPT = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5"
_HTML_TYPES = {
    "text/html",
    "application/xhtml+xml",
    "application/xml",
    "text/xml",
    "multipart/related",
    "application/x-mimearchive",
    "message/rfc822",
}
_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.I)


def is_url(text: str) -> bool:
    """True when ``text`` is an http(s) URL rather than a file path."""
    return bool(_URL.match(text.strip()))


def _seconds(value: float) -> str:
    return f"{value:g} s"


def fetch(
    url: str,
    *,
    timeout: float = 20.0,
    max_bytes: int = 20_000_000,
    client: httpx.Client | None = None,
) -> Source:
    """Download ``url`` (following redirects) and return it as an HTML Source.

    The final URL after redirects becomes ``Source.name``; the Content-Type's
    media type and charset are kept. Raises ImportFailure with one plain line
    for HTTP errors, non-HTML content, timeouts, oversize pages and network errors.
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
            headers={"User-Agent": USER_AGENT, "Accept": _ACCEPT},
        ) as response:
            final = str(response.url)
            # The import report names the URL already; say where a redirect led.
            at = f" (at {final})" if final != url else ""
            if response.status_code >= 400:
                phrase = response.reason_phrase or ""
                raise ImportFailure(f"HTTP {response.status_code} {phrase}".rstrip() + at)
            header = response.headers.get("content-type", "")
            media_type = header.split(";", 1)[0].strip().lower() or None
            if media_type and media_type not in _HTML_TYPES:
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
    return Source(name=final, data=b"".join(chunks), media_type=media_type, charset=charset)
