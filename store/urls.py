"""Canonical URLs, so one article saved twice is recognised as one."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

_TRACKING_PREFIXES = ("utm_", "mc_", "pk_", "hsa_")
_TRACKING_KEYS = {
    "fbclid",
    "gclid",
    "dclid",
    "msclkid",
    "igshid",
    "ref",
    "ref_src",
    "cmpid",
    "ocid",
    "yclid",
    "twclid",
    "mkt_tok",
    "_hsenc",
    "_hsmi",
    "amp",
}
_AMP_VALUES = {("outputtype", "amp"), ("output", "amp")}
_AMP_CACHE = ".cdn.ampproject.org"


def canonical_url(url: str) -> str:
    """Lower-case scheme and host, no fragment, no tracking parameters, no default port,
    no trailing slash, and the AMP edition of a page (``/amp``, ``amp.`` host, ``?amp=1``,
    the AMP cache) taken as the page itself.

    Non-HTTP strings come back stripped but otherwise unchanged.
    """
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return url
    host = parts.hostname or ""
    if host.endswith(_AMP_CACHE):
        # https://www-example-com.cdn.ampproject.org/c/s/www.example.com/story
        match = re.match(r"^/[cvi]/(s/)?([^/]+)(/.*)?$", parts.path)
        if match:
            scheme = "https" if match.group(1) else "http"
            inner = f"{scheme}://{match.group(2)}{match.group(3) or '/'}"
            return canonical_url(inner + (f"?{parts.query}" if parts.query else ""))
    if host.startswith("amp.") and host.count(".") >= 2:
        host = host[4:]
    port = parts.port if parts.port and parts.port not in (80, 443) else None
    netloc = f"{host}:{port}" if port else host
    query = urlencode(
        [
            (key, value)
            for key, value in parse_qsl(parts.query, keep_blank_values=True)
            if not key.lower().startswith(_TRACKING_PREFIXES)
            and key.lower() not in _TRACKING_KEYS
            and (key.lower(), value.lower()) not in _AMP_VALUES
        ]
    )
    path = parts.path or "/"
    if len(path) > 1 and path.endswith("/"):
        path = path.rstrip("/")
    if path.endswith("/amp") and len(path) > 4:
        # The AMP edition of a page: the same story, one article.
        path = path[: -len("/amp")] or "/"
    return urlunsplit((parts.scheme.lower(), netloc, path, query, ""))
