"""Turning a draft into the row the library stores: pure work, safe in worker processes."""

from __future__ import annotations

import hashlib
import zlib
from dataclasses import dataclass, field
from typing import Any

from .document import markdown_to_text, word_count
from .models import ArticleDraft, ImageFile, Kind
from .urls import canonical_url

COMPRESSION_LEVEL = 6


def content_hash(title: str, text: str) -> str:
    """A hash of an article's words, blind to whitespace and case.

    Short texts (teasers) include the title, so two teasers with the same first
    sentence stay apart.
    """
    words = " ".join(text.split()).casefold()
    if len(words) < 400:
        words = " ".join(title.split()).casefold() + "\n" + words
    return hashlib.sha256(words.encode()).hexdigest()[:32]


_WITH_TEXT = b"T"
"""Blob prefix: zlib stream primed with the article's plain text as its dictionary."""
_WINDOW = 32_768


def pack_markdown(markdown: str, text: str) -> bytes:
    """Compress an article's Markdown, using its plain text (stored anyway) as dictionary.

    Markdown is mostly its own plain text plus markup, so primed with the text it
    shrinks to little more than the markup (about 5 % of the text instead of 50 %).
    zlib looks back at most 32 KB, so longer texts only prime their first window.
    """
    data = markdown.encode()
    packer = zlib.compressobj(COMPRESSION_LEVEL, zdict=text.encode()[:_WINDOW])
    return _WITH_TEXT + packer.compress(data) + packer.flush()


def unpack_markdown(blob: bytes, text: str) -> str:
    """The Markdown stored by ``pack_markdown`` (or plain zlib) for this plain text."""
    if blob[:1] == _WITH_TEXT:
        unpacker = zlib.decompressobj(zdict=text.encode()[:_WINDOW])
        return (unpacker.decompress(blob[1:]) + unpacker.flush()).decode()
    return zlib.decompress(blob).decode()


@dataclass(slots=True)
class PreparedArticle:
    """A draft with everything derived: plain text, counts, hash, compressed blobs."""

    row: dict[str, Any]
    """Column values of ``articles`` except the body blob and timestamps."""
    markdown_blob: bytes
    kind: Kind
    title: str
    tags: list[str] = field(default_factory=list)
    original_blob: bytes | None = None
    original_type: str | None = None
    images: list[ImageFile] = field(default_factory=list)


def prepare(draft: ArticleDraft, text: str | None = None) -> PreparedArticle:
    """Derive the stored form of a draft.

    :param text: the body's plain text if already known (``markdown_to_text``).
    """
    if text is None:
        text = markdown_to_text(draft.body_markdown)
    title = " ".join(draft.title.split()) or "Untitled"
    row: dict[str, Any] = {
        "title": title,
        "author": draft.author or None,
        "source": draft.source or None,
        "section": draft.section or None,
        "url": canonical_url(draft.url) if draft.url else None,
        "published": draft.published or None,
        "language": draft.language or None,
        "description": draft.description or None,
        "body_text": text,
        "word_count": word_count(text),
        "content_hash": content_hash(title, text),
        "kind": draft.kind,
        "origin": draft.origin,
    }
    return PreparedArticle(
        row=row,
        markdown_blob=pack_markdown(draft.body_markdown, text),
        kind=draft.kind,
        title=title,
        tags=list(draft.tags),
        original_blob=(
            zlib.compress(draft.original, COMPRESSION_LEVEL) if draft.original is not None else None
        ),
        original_type=draft.original_type,
        images=list(draft.images),
    )
