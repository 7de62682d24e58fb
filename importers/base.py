"""The small interface every importer implements."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Protocol

from store.models import ArticleDraft

from .decode import decode_text
from .errors import ImportFailure

__all__ = ["GZIP_INNER_SUFFIXES", "ImportFailure", "Importer", "Source", "is_url"]

GZIP_INNER_SUFFIXES = (".html", ".txt", ".md")
"""Formats read from ``NAME.SUFFIX.gz`` files: gunzipped, then read as ``SUFFIX``."""

_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.I)


def is_url(text: str) -> bool:
    """True when ``text`` is an http(s) URL rather than a file path (the one URL test)."""
    return bool(_URL.match(text.strip()))


@dataclass
class Source:
    """One thing to import: the raw bytes and where they came from.

    ``name`` is the file path or URL shown to the user and stored as the origin.
    """

    name: str
    data: bytes
    media_type: str | None = None
    """A media type the transport reported (HTTP ``Content-Type``), if any."""
    charset: str | None = None
    """A charset the transport reported, tried first when decoding."""
    extras: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    """One-line notes from parsing: the source was imported, but not all of it."""
    annotations: list[dict[str, Any]] = field(default_factory=list)
    """W3C Web Annotations an export carries (highlights, notes), as plain dicts: the
    runner anchors them on their articles (found by target URL) once those are stored."""
    links: list[str] = field(default_factory=list)
    """URLs of link entries among the drafts whose pages should be fetched later: the
    runner queues them for ``margin fetch-pending``."""

    @property
    def suffix(self) -> str:
        """The lower-case file extension of ``name`` (``.md``), or ``""``.

        For gzipped text (``a.html.gz``) it is the inner extension, ``.html``.
        """
        tail = Path(self.name.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1])
        suffix = tail.suffix.lower()
        if suffix == ".gz" and Path(tail.stem).suffix.lower() in GZIP_INNER_SUFFIXES:
            return Path(tail.stem).suffix.lower()
        return suffix

    @cached_property
    def text(self) -> str:
        """The decoded, NFC-normalised text with control characters removed.

        Raises ImportFailure for binary or undecodable data.
        """
        return decode_text(self.data, hint=self.charset)

    @property
    def head(self) -> str:
        """The first 4 KB of the text, for cheap detection."""
        return self.text[:4096]


class Importer(Protocol):
    """A format: tells whether a source is its kind, and parses it into drafts."""

    name: str
    """Short format name shown in reports (``markdown``, ``page-dump``, ``html``)."""
    suffixes: tuple[str, ...]
    """File extensions this format usually has (``.xml``); a hint, never decisive."""
    media_types: tuple[str, ...]
    """HTTP media types this format arrives as; the fetcher accepts the union of all."""

    def detect(self, source: Source) -> float:
        """How sure this importer is that it reads ``source``: 0 (no) to 1 (certain)."""
        ...

    def parse(self, source: Source) -> list[ArticleDraft]:
        """Turn ``source`` into article drafts; raise ImportFailure with a reason."""
        ...
