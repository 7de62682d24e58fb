"""Plain records that cross the boundary between the library and its users."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from .colors import COLORS as COLORS
from .hits import HIT_END as HIT_END
from .hits import HIT_START as HIT_START
from .hits import SearchHit as SearchHit

Kind = Literal["article", "excerpt"]
"""What an entry is: a whole article, or an excerpt of one (a quote kept with its source)."""

Outcome = Literal["added", "updated", "duplicate"]


class LibraryError(Exception):
    """A library operation was refused; the message says why and what to do."""


@dataclass(frozen=True, slots=True)
class ImageFile:
    """An image an importer found for a reference in an article's Markdown."""

    src: str
    """The reference as the Markdown writes it (``![](src "alt")``)."""
    data: bytes
    media_type: str
    width: int
    height: int


@dataclass(frozen=True, slots=True)
class ImageInfo:
    """A stored image, without its bytes: enough to lay it out."""

    hash: str
    media_type: str
    width: int
    height: int
    size: int


@dataclass(slots=True)
class ArticleDraft:
    """An article as an importer produces it, before it is stored.

    Only ``title`` and ``body_markdown`` are required; the library derives the
    plain text, word count and content hash from the Markdown.
    """

    title: str
    body_markdown: str
    author: str | None = None
    source: str | None = None
    section: str | None = None
    url: str | None = None
    published: str | None = None
    language: str | None = None
    description: str | None = None
    kind: Kind = "article"
    origin: str | None = None
    tags: list[str] = field(default_factory=list)
    original: bytes | None = None
    """The untouched source (e.g. fetched HTML) kept for re-extraction."""
    original_type: str | None = None
    """Media type of ``original``, e.g. ``text/html``."""
    images: list[ImageFile] = field(default_factory=list)
    """Images the Markdown refers to, found at import (none: keep what is stored)."""


@dataclass(slots=True)
class Article:
    """A stored article with every field."""

    id: int
    title: str
    author: str | None
    source: str | None
    section: str | None
    url: str | None
    published: str | None
    language: str | None
    description: str | None
    body_markdown: str
    body_text: str
    word_count: int
    content_hash: str
    kind: Kind
    imported_at: str
    updated_at: str
    origin: str | None
    tags: list[str] = field(default_factory=list)

    @property
    def reading_minutes(self) -> int:
        """Minutes to read at 230 words a minute, at least one."""
        return max(1, round(self.word_count / 230))

    def to_dict(self) -> dict[str, object]:
        """Every field as JSON-ready data."""
        return {
            "id": self.id,
            "title": self.title,
            "author": self.author,
            "source": self.source,
            "section": self.section,
            "url": self.url,
            "published": self.published,
            "language": self.language,
            "description": self.description,
            "kind": self.kind,
            "word_count": self.word_count,
            "reading_minutes": self.reading_minutes,
            "content_hash": self.content_hash,
            "imported_at": self.imported_at,
            "updated_at": self.updated_at,
            "origin": self.origin,
            "tags": list(self.tags),
            "body_markdown": self.body_markdown,
            "body_text": self.body_text,
        }


@dataclass(slots=True, frozen=True)
class ArticleSummary:
    """One row of the library list: what a table needs, without the body."""

    id: int
    title: str
    author: str | None
    source: str | None
    section: str | None
    published: str | None
    word_count: int
    kind: Kind
    imported_at: str
    progress: float = 0.0
    bookmarked: bool = False
    has_notes: bool = False
    last_read: str | None = None
    archived: bool = False
    """Hidden from the library's default view (``Library.archive``)."""
    finished: bool = False
    """Read to the end (or marked read by hand), even if reopened and scrolled back since."""

    def to_dict(self) -> dict[str, object]:
        """JSON-ready data."""
        return {
            "id": self.id,
            "title": self.title,
            "author": self.author,
            "source": self.source,
            "section": self.section,
            "published": self.published,
            "word_count": self.word_count,
            "kind": self.kind,
            "imported_at": self.imported_at,
            "progress": self.progress,
            "bookmarked": self.bookmarked,
            "has_notes": self.has_notes,
            "last_read": self.last_read,
            "archived": self.archived,
            "read": self.finished,
        }


@dataclass(slots=True, frozen=True)
class StoreResult:
    """What storing one draft did."""

    id: int
    outcome: Outcome
    kind: Kind
    title: str
    reanchored: int = 0
    """Notes and bookmarks placed again on the article's new text."""
    orphaned: int = 0
    """Notes and bookmarks that lost their passage (kept, marked orphaned)."""


@dataclass(slots=True, frozen=True)
class ReadingPosition:
    """Where the reader left an article, by paragraph so it survives re-wrapping."""

    article_id: int
    paragraph: int
    offset: int
    progress: float
    finished: bool
    updated_at: str


"""Highlight colours, in the order of keys 1 to 5; the first is the default."""

NoteState = Literal["anchored", "orphaned"]


@dataclass(slots=True, frozen=True)
class Note:
    """A highlight or a note on a passage (a highlight is a note with no body).

    ``start`` and ``end`` are code-point offsets into the article's plain text
    (``Article.body_text``); both are None while the note is orphaned.
    """

    id: int
    article_id: int | None
    """None once the article was deleted: the note is kept, detached."""
    article_title: str
    article_url: str | None
    quote: str
    """The text now covered, or the last text covered while orphaned."""
    prefix: str
    suffix: str
    start: int | None
    end: int | None
    paragraph: int | None
    """Index of the block that holds ``start``."""
    body: str
    color: str
    state: NoteState
    tags: tuple[str, ...]
    """The article's tags."""
    created: str
    updated: str
    external_id: str | None = None

    @property
    def is_highlight(self) -> bool:
        """True for a highlight with no written note."""
        return not self.body.strip()

    def to_dict(self) -> dict[str, object]:
        """JSON-ready data, as ``margin notes list --json`` prints it."""
        return {
            "id": self.id,
            "article_id": self.article_id,
            "article_title": self.article_title,
            "article_url": self.article_url,
            "quote": self.quote,
            "prefix": self.prefix,
            "suffix": self.suffix,
            "start": self.start,
            "end": self.end,
            "paragraph": self.paragraph,
            "state": self.state,
            "body": self.body,
            "color": self.color,
            "tags": list(self.tags),
            "created": self.created,
            "updated": self.updated,
            "external_id": self.external_id,
        }


@dataclass(slots=True, frozen=True)
class Bookmark:
    """A place to come back to: a whole article (``offset`` None) or a passage."""

    id: int
    article_id: int | None
    article_title: str
    article_url: str | None
    paragraph: int | None
    offset: int | None
    """Plain-text offset of the passage; None for the whole article."""
    label: str
    created: str
    quote: str = ""
    """A few words at the passage, so it re-anchors when the text changes."""
    external_id: str | None = None

    def to_dict(self) -> dict[str, object]:
        """JSON-ready data."""
        return {
            "id": self.id,
            "article_id": self.article_id,
            "article_title": self.article_title,
            "article_url": self.article_url,
            "paragraph": self.paragraph,
            "offset": self.offset,
            "quote": self.quote,
            "label": self.label,
            "created": self.created,
            "external_id": self.external_id,
        }


@dataclass(slots=True, frozen=True)
class Version:
    """An earlier text of an article, kept when a re-import or re-extraction changed it."""

    number: int
    """1 for the oldest; the current text is not a version."""
    article_id: int
    title: str
    replaced_at: str
    origin: str | None
    """What replaced it: ``import``, ``reextract`` or ``feed``."""
    word_count: int
    content_hash: str

    def to_dict(self) -> dict[str, object]:
        """JSON-ready data."""
        return {
            "number": self.number,
            "article_id": self.article_id,
            "title": self.title,
            "replaced_at": self.replaced_at,
            "origin": self.origin,
            "word_count": self.word_count,
            "content_hash": self.content_hash,
        }


@dataclass(slots=True, frozen=True)
class Subscription:
    """A feed Margin refreshes, with what the last refresh found."""

    id: int
    url: str
    title: str | None
    site_url: str | None
    etag: str | None
    last_modified: str | None
    added_at: str
    checked_at: str | None
    changed_at: str | None
    status: str | None
    """``new`` (never refreshed), ``ok``, ``unchanged`` (HTTP 304) or ``error``."""
    error: str | None
    articles: int = 0
    """Articles this feed has given that are still in the library."""
    unread: int = 0
    """Of those, the ones not read to the end."""
    body_hash: str | None = None
    """Hash of the feed document last read: a server without validators that sends the
    same document again is not parsed again."""
    folder: str | None = None
    """The folder it is filed under, ``/``-joined (``News/Science``); None for the top."""

    def to_dict(self) -> dict[str, object]:
        """JSON-ready data."""
        return {
            "id": self.id,
            "url": self.url,
            "title": self.title,
            "site_url": self.site_url,
            "added_at": self.added_at,
            "checked_at": self.checked_at,
            "changed_at": self.changed_at,
            "status": self.status,
            "error": self.error,
            "articles": self.articles,
            "unread": self.unread,
            "folder": self.folder,
        }


@dataclass(slots=True, frozen=True)
class PendingLink:
    """A saved link (an ``excerpt`` entry) whose page has not been fetched yet."""

    article_id: int
    url: str
    added_at: str
    attempts: int
    tried_at: str | None
    error: str | None
    """Why the last attempt failed; None if never tried."""

    def to_dict(self) -> dict[str, object]:
        """JSON-ready data."""
        return {
            "article_id": self.article_id,
            "url": self.url,
            "added_at": self.added_at,
            "attempts": self.attempts,
            "tried_at": self.tried_at,
            "error": self.error,
        }
