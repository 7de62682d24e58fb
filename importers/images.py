"""The images an article's Markdown refers to, gathered at import so they show offline.

From a saved page's own files (relative paths beside the page, its ``*_files/``
folder), ``data:`` URIs, and, for pages imported from their URL, downloads with
the fetcher under size, count and time caps. An image that cannot be had leaves
its alt text in place; the import goes on and its report names what was missed.
Nothing here runs when reading.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, unquote_to_bytes, urljoin, urlsplit

from store.document import parse_markdown
from store.images import MAX_IMAGE_BYTES, MAX_IMAGES, ImageRejected, probe
from store.models import ImageFile

from .base import is_url
from .errors import ImportFailure

__all__ = ["DATA_PREFIX", "Gathered", "gather", "image_markdown"]

DATA_PREFIX = "margin-image:"
"""A ``data:`` URI is stored by content: the Markdown then says ``margin-image:HASH``."""
FETCH_TIMEOUT = 10.0
"""Seconds for one image download."""
FETCH_BUDGET = 30.0
"""Seconds for all the downloads of one article; later images keep their alt text."""
_LISTED = 3
"""Missed images named in the report line; the rest are counted."""


@dataclass
class Gathered:
    """An article's Markdown (``data:`` URIs shortened), its images and what was missed."""

    markdown: str
    files: list[ImageFile] = field(default_factory=list)
    missed: list[tuple[str, str]] = field(default_factory=list)
    """(src, reason) for every image that could not be kept."""

    def warning(self) -> str | None:
        """One report line about the missed images, or None when none was."""
        if not self.missed:
            return None
        total = len(self.files) + len(self.missed)
        named = "; ".join(f"{_short(src)}: {why}" for src, why in self.missed[:_LISTED])
        more = len(self.missed) - _LISTED
        rest = f"; and {more} more" if more > 0 else ""
        return (
            f"{len(self.missed)} of {total} images not kept, their alt text is shown "
            f"({named}{rest})"
        )


def image_markdown(src: str, alt: str) -> str:
    """``![](src "alt")``: an image that adds nothing to the plain text (see ``Picture``)."""
    target = src.replace("<", "%3C").replace(">", "%3E").replace("\n", "")
    title = " ".join(alt.split()).replace("\\", "\\\\").replace('"', '\\"')
    title_part = f' "{title}"' if title else ""
    return f"![](<{target}>{title_part})"


def gather(
    markdown: str,
    base: str | None,
    *,
    fetch_remote: bool = False,
    files: dict[str, bytes] | None = None,
) -> Gathered:
    """Find and check the images ``markdown`` refers to.

    :param base: the page's file path or URL, against which relative sources resolve.
    :param fetch_remote: download ``http(s)`` images (for pages imported from a URL).
    :param files: images that came with the page (an MHTML archive's parts), by URL.
    """
    result = Gathered(markdown)
    if "![" not in markdown:  # the common case, without parsing again
        return result
    sources = list(dict.fromkeys(p.src for _, p in parse_markdown(markdown).pictures))
    if not sources:
        return result
    fetcher = _Fetcher() if fetch_remote else None
    try:
        for src in sources:
            if len(result.files) >= MAX_IMAGES:
                result.missed.append((src, f"more than {MAX_IMAGES} images"))
                continue
            try:
                data = _load(src, base, fetcher, files or {})
                media_type, width, height = probe(data)
            except (ImportFailure, ImageRejected) as error:
                result.missed.append((src, str(error)))
                if src.startswith("data:"):
                    result.markdown = result.markdown.replace(src, f"{DATA_PREFIX}missing")
                continue
            kept = src
            if src.startswith("data:"):
                kept = DATA_PREFIX + hashlib.sha256(data).hexdigest()[:32]
                result.markdown = result.markdown.replace(src, kept)
            result.files.append(ImageFile(kept, data, media_type, width, height))
    finally:
        if fetcher is not None:
            fetcher.close()
    return result


def _load(src: str, base: str | None, fetcher: _Fetcher | None, files: dict[str, bytes]) -> bytes:
    """The bytes ``src`` names, or ImportFailure with the reason it has none."""
    if src.startswith("data:"):
        return _data_uri(src)
    if base and is_url(base):
        url = urljoin(base, src)
    elif is_url(src):
        url = src
    else:
        return _local(src, base)
    if url in files or src in files:
        return files.get(url) or files[src]
    if not is_url(url):
        raise ImportFailure("not a web address")
    if fetcher is None:
        raise ImportFailure("not downloaded (a file import stays offline)")
    return fetcher.get(url)


def _data_uri(src: str) -> bytes:
    head, comma, payload = src.partition(",")
    if not comma:
        raise ImportFailure("damaged data: URI")
    if len(payload) > MAX_IMAGE_BYTES * 4 // 3 + 4:
        raise ImportFailure(f"larger than {MAX_IMAGE_BYTES // 1_000_000} MB")
    if head.lower().endswith(";base64"):
        try:
            return base64.b64decode("".join(payload.split()), validate=True)
        except (binascii.Error, ValueError):
            raise ImportFailure("damaged data: URI") from None
    return unquote_to_bytes(payload)


def _local(src: str, base: str | None) -> bytes:
    """A file beside the page (or in a folder under it): never outside that folder."""
    if base is None:
        raise ImportFailure("no page folder to look in")
    parts = urlsplit(src)
    if parts.scheme not in ("", "file") or parts.netloc:
        raise ImportFailure(f"unsupported address ({parts.scheme or src})")
    folder = Path(base).resolve().parent
    path = (folder / unquote(parts.path)).resolve()
    if not path.is_relative_to(folder):
        raise ImportFailure("outside the page's folder")
    try:
        if path.stat().st_size > MAX_IMAGE_BYTES:
            raise ImportFailure(f"larger than {MAX_IMAGE_BYTES // 1_000_000} MB")
        return path.read_bytes()
    except FileNotFoundError:
        raise ImportFailure("no such file") from None
    except IsADirectoryError:
        raise ImportFailure("is a folder") from None
    except OSError as error:
        raise ImportFailure(error.strerror or "cannot be read") from None


class _Fetcher:
    """Downloads with one connection pool, each capped, all within ``FETCH_BUDGET``."""

    def __init__(self) -> None:
        from .fetch import USER_AGENT, httpx

        self.client = httpx.Client(
            follow_redirects=True, headers={"User-Agent": USER_AGENT, "Accept": "image/*"}
        )
        self.deadline = time.monotonic() + FETCH_BUDGET

    def get(self, url: str) -> bytes:
        from .fetch import fetch

        left = self.deadline - time.monotonic()
        if left <= 0:
            raise ImportFailure(f"not fetched: {FETCH_BUDGET:g} s for this page's images ran out")
        source = fetch(
            url,
            timeout=min(FETCH_TIMEOUT, left),
            max_bytes=MAX_IMAGE_BYTES,
            client=self.client,
            accept=lambda media_type: (
                media_type.startswith("image/") or media_type == "application/octet-stream"
            ),
        )
        return source.data

    def close(self) -> None:
        self.client.close()


def _short(src: str) -> str:
    """A source short enough for a report line."""
    if src.startswith(("data:", DATA_PREFIX)):
        return "data: URI"
    return src if len(src) <= 60 else src[:28] + "…" + src[-28:]
