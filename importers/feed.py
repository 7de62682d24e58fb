"""Web feeds: RSS 0.9x/1.0/2.0 and Atom (through feedparser) and JSON Feed.

Each entry becomes one article: its full content when the feed carries it
(``content:encoded``, Atom ``content``, JSON Feed ``content_html``), else its
summary as an ``excerpt``. The feed's title is the articles' source.
"""

from __future__ import annotations

import hashlib
import html
import io
import json
import re
import xml.sax
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin

from store.models import ArticleDraft, Kind

from .base import Source, is_url
from .dates import parse_date
from .decode import strip_controls
from .errors import ImportFailure
from .fragment import fragment_markdown, plain_markdown

__all__ = ["FeedEntry", "FeedImporter", "ParsedFeed", "parse_feed"]

FEED_MEDIA_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/feed+json",
    "application/json",
    "text/xml",
    "application/xml",
)
_PROLOG = re.compile(
    rb"\A(?:\xef\xbb\xbf)?(?:\s+|<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^\[>]*(?:\[.*?\])?\s*>)*",
    re.S | re.I,
)
_ROOT = re.compile(rb"<([A-Za-z_][\w:.-]*)")
_FEED_ROOTS = {b"rss", b"feed", b"rdf:rdf"}
_CLOSING = re.compile(rb"</(?:rss|feed|rdf:RDF)\s*>\s*\Z", re.I)
# External entities, and entities whose value refers to other entities (the
# expansion bomb); character references (&#160;) in a value are harmless.
_ENTITY = re.compile(
    rb"<!ENTITY\s+%?\s*[\w.-]+\s+(SYSTEM|PUBLIC|\"[^\"]*&[A-Za-z_%]|'[^']*&[A-Za-z_%])", re.I
)
_TAG = re.compile(r"<[^>]+>")
_JSON_FEED = re.compile(r'"version"\s*:\s*"https?://jsonfeed\.org/version/', re.I)
_DESCRIPTION_CHARS = 500


@dataclass
class FeedEntry:
    """One entry of a feed: its stable key, a hash of what it says, and its draft."""

    key: str
    """The entry's id (guid), else its link, else a hash of its title and date."""
    digest: str
    """Changes when the entry's text or metadata change."""
    draft: ArticleDraft


@dataclass
class ParsedFeed:
    """A feed's own title and link, and its entries in feed order."""

    title: str | None
    link: str | None
    entries: list[FeedEntry] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


class FeedImporter:
    """RSS, Atom and JSON Feed documents, from files or URLs."""

    name = "feed"
    suffixes = (".xml", ".rss", ".atom", ".rdf", ".json")
    media_types = FEED_MEDIA_TYPES

    def detect(self, source: Source) -> float:
        """Certain for a root element ``rss``/``feed``/``rdf:RDF``, or a JSON Feed."""
        data = _as_utf8(source)[:8192]
        start = data.lstrip()[:1]
        if start == b"{" or source.media_type == "application/feed+json":
            return 0.97 if _JSON_FEED.search(data[:4096].decode("utf-8", "replace")) else 0.0
        if _root_element(data) in _FEED_ROOTS:
            return 0.97
        if source.media_type in ("application/rss+xml", "application/atom+xml"):
            return 0.6
        return 0.0

    def parse(self, source: Source) -> list[ArticleDraft]:
        """One draft per entry; raises ImportFailure for a broken, hostile or empty feed."""
        feed = parse_feed(source)
        source.warnings.extend(feed.warnings)
        return [entry.draft for entry in feed.entries]


_WIDE = (b"\xff\xfe", b"\xfe\xff")
_DECLARED = re.compile(rb"""^(\s*<\?xml[^>]*?encoding\s*=\s*)["'][^"']*["']""")


def _as_utf8(source: Source) -> bytes:
    """The document as UTF-8 bytes: UTF-16/32 feeds are transcoded (declaration and all),
    so every byte-level check below sees the same text the parser will."""
    data = source.data
    if not (data.startswith(_WIDE) or b"\x00" in data[:64]):
        return data
    try:
        text = source.text.encode("utf-8")
    except ImportFailure:
        return data
    return _DECLARED.sub(rb'\1"utf-8"', text, count=1)


def _root_element(data: bytes) -> bytes | None:
    head = data[:65536]
    prolog = _PROLOG.match(head)
    match = _ROOT.match(head, prolog.end() if prolog else 0)
    return match.group(1).lower() if match else None


def parse_feed(source: Source, *, allow_empty: bool = False) -> ParsedFeed:
    """Read a feed document into its entries.

    :param allow_empty: accept a feed without entries (a subscription that has not
        published yet) instead of failing.
    :raises ImportFailure: for a truncated document, a document declaring external
        or nested XML entities (never resolved or expanded), or a feed without entries.
    """
    stripped = _as_utf8(source).lstrip(b"\xef\xbb\xbf \t\r\n")
    feed = _parse_json_feed(source) if stripped[:1] == b"{" else _parse_xml_feed(source)
    if not feed.entries and not allow_empty:
        raise ImportFailure("the feed has no entries")
    return feed


# --------------------------------------------------------------------------- XML feeds


def _check_entities(data: bytes) -> None:
    """Refuse DOCTYPE entity tricks up front, before any parser sees them."""
    prolog = _PROLOG.match(data[:65536])
    match = _ENTITY.search(data[: prolog.end()] if prolog else b"")
    if match is None:
        return
    if match.group(1).upper() in (b"SYSTEM", b"PUBLIC"):
        raise ImportFailure("the feed declares external XML entities; refused (never fetched)")
    raise ImportFailure("the feed declares nested XML entities (an expansion bomb?); refused")


def _feedparser(data: bytes, source: Source) -> Any:
    """feedparser on bytes, never on a string it might take for a path or URL."""
    import feedparser

    headers = {}
    if source.media_type:
        # A transcoded document is UTF-8 now, whatever the server said.
        charset = f"; charset={source.charset}" if source.charset and data is source.data else ""
        headers["content-type"] = source.media_type + charset
    if is_url(source.name):
        headers["content-location"] = source.name
    # No sanitising or link resolution here: fragment_markdown does both, far faster.
    return feedparser.parse(
        io.BytesIO(data),
        response_headers=headers,
        sanitize_html=False,
        resolve_relative_uris=False,
    )


def _parse_xml_feed(source: Source) -> ParsedFeed:
    data = _as_utf8(source)
    _check_entities(data)
    parsed = _feedparser(data, source)
    warnings = []
    if parsed.get("bozo"):
        error = parsed.get("bozo_exception")
        if isinstance(error, xml.sax.SAXParseException):
            where = f"{error.getMessage()} at line {error.getLineNumber()}"
            if not _CLOSING.search(data[-4096:].rstrip()):
                raise ImportFailure(f"the feed is truncated ({where})")
            if not parsed.entries:
                raise ImportFailure(f"not a readable feed ({where})")
            warnings.append(f"the feed is not well-formed XML ({where}); read leniently")
    meta = parsed.get("feed", {})
    if not parsed.entries and not parsed.get("version") and not meta.get("title"):
        raise ImportFailure("not a feed")
    feed_title = _text_of(meta.get("title_detail")) or _plain(meta.get("title"))
    feed = ParsedFeed(feed_title, meta.get("link"), warnings=warnings)
    feed_author = _people(meta)
    language = meta.get("language")
    for number, entry in enumerate(parsed.entries, start=1):
        made = _xml_entry(entry, feed_title, feed_author, language, source.name, feed.link)
        if made is None:
            feed.warnings.append(f"entry {number} has no title, text or link; skipped")
        else:
            feed.entries.append(made)
    return feed


def _xml_entry(
    entry: Any,
    feed_title: str | None,
    feed_author: str | None,
    language: str | None,
    origin: str,
    home: str | None,
) -> FeedEntry | None:
    contents = [c for c in entry.get("content", []) if (c.get("value") or "").strip()]
    content = max(
        contents, key=lambda c: ("html" in (c.get("type") or ""), len(c.value)), default=None
    )
    summary = entry.get("summary_detail") or (
        {"value": entry.get("summary"), "type": "text/html"} if entry.get("summary") else None
    )
    title = _text_of(entry.get("title_detail")) or _plain(entry.get("title"))
    link = entry.get("link") or (entry.get("id") if is_url(entry.get("id") or "") else None)
    if link and not is_url(link):
        # A relative link: against the feed's own site when it names one, else dropped.
        link = urljoin(home, link) if home and is_url(home) else None
        link = link if link and is_url(link) else None
    section = next((t.get("term") for t in entry.get("tags", []) if t.get("term")), None)
    body = _markdown_of(content, link) if content else None
    copied = bool(content and summary and summary.get("value") == content.get("value"))
    return _make_entry(
        key=entry.get("id") or link,
        title=title,
        content=body,
        summary=_markdown_of(summary, link) if summary and body is None else None,
        description=_text_of(summary) if body and summary and not copied else None,
        author=_people(entry) or feed_author,
        published=entry.get("published") or entry.get("updated") or entry.get("created"),
        link=link,
        source=feed_title,
        section=_plain(section),
        language=(content or {}).get("language") or language,
        origin=origin,
    )


def _text_of(detail: Any) -> str | None:
    """A feedparser text construct (title, summary) as plain text."""
    if not detail or not detail.get("value"):
        return None
    value = detail["value"]
    if "html" in (detail.get("type") or ""):
        return _plain(_TAG.sub(" ", value))
    return _plain(value)


def _plain(value: Any) -> str | None:
    if not value:
        return None
    text = " ".join(strip_controls(html.unescape(str(value))).split())
    return text or None


def _markdown_of(detail: Any, base: str | None = None) -> str | None:
    """Entry content as Markdown: HTML cleaned and converted, plain text escaped."""
    value = (detail.get("value") or "").strip()
    if not value:
        return None
    if "html" in (detail.get("type") or "") or _TAG.search(value):
        text = fragment_markdown(value, base)
    else:
        text = plain_markdown(value)
    text = strip_controls(text).strip()
    return text or None


def _people(item: Any) -> str | None:
    names = [
        a.get("name") for a in item.get("authors", []) if isinstance(a, dict) and a.get("name")
    ]
    if not names and item.get("author_detail", {}).get("name"):
        names = [item["author_detail"]["name"]]
    if not names and item.get("author"):
        names = [item["author"]]
    unique = list(dict.fromkeys(_plain(n) for n in names if _plain(n)))
    return ", ".join(n for n in unique if n) or None


def _make_entry(
    *,
    key: str | None,
    title: str | None,
    content: str | None,
    summary: str | None,
    description: str | None = None,
    author: str | None,
    published: object,
    link: str | None,
    source: str | None,
    section: str | None,
    language: str | None,
    origin: str,
) -> FeedEntry | None:
    """The draft for one entry: full content as an article, else the summary as an excerpt."""
    kind: Kind = "article"
    body = content
    if body is None:
        kind = "excerpt"
        body = summary
    if body is None:
        if not link:
            return None
        # Only a link: keep it (as a link excerpt) rather than lose the entry.
        body = f"<{link}>"
    if not title:
        first = _plain(re.sub(r"[\\*_#>`\[\]()]", "", body.split("\n", 1)[0])) or ""
        title = (first[:80] + "…") if len(first) > 80 else (first or "Untitled")
    date = parse_date(published)
    draft = ArticleDraft(
        title=title,
        body_markdown=body + "\n",
        author=author,
        source=source,
        section=section,
        url=link,
        published=date,
        language=language,
        description=description[:_DESCRIPTION_CHARS] if description else None,
        kind=kind,
        origin=origin,
    )
    digest = hashlib.sha256(
        "\x00".join(str(v or "") for v in (title, body, author, date, link, kind)).encode()
    ).hexdigest()[:32]
    if not key:
        key = "sha:" + hashlib.sha256(f"{title}\x00{date}".encode()).hexdigest()[:24]
    return FeedEntry(key=str(key), digest=digest, draft=draft)


# --------------------------------------------------------------------------- JSON Feed


def _parse_json_feed(source: Source) -> ParsedFeed:
    try:
        data = json.loads(source.text)
    except (json.JSONDecodeError, RecursionError) as error:
        where = f" at line {error.lineno}" if isinstance(error, json.JSONDecodeError) else ""
        raise ImportFailure(f"not a readable JSON Feed (invalid JSON{where})") from None
    if not isinstance(data, dict) or not str(data.get("version", "")).startswith(
        ("https://jsonfeed.org/version/", "http://jsonfeed.org/version/")
    ):
        raise ImportFailure("not a JSON Feed (no jsonfeed.org version)")
    items = data.get("items")
    if not isinstance(items, list):
        raise ImportFailure("not a readable JSON Feed (items is not a list)")
    feed_title = _plain(data.get("title"))
    feed = ParsedFeed(feed_title, data.get("home_page_url") or data.get("feed_url"))
    feed_author = _json_people(data)
    for number, item in enumerate(items, start=1):
        made = _json_entry(item, feed_title, feed_author, data.get("language"), source.name)
        if made is None:
            feed.warnings.append(f"item {number} has no title, text or link; skipped")
        else:
            feed.entries.append(made)
    return feed


def _json_people(item: dict[str, Any]) -> str | None:
    people = item.get("authors") or ([item["author"]] if item.get("author") else [])
    if not isinstance(people, list):
        return None
    names = [_plain(p.get("name")) for p in people if isinstance(p, dict)]
    return ", ".join(n for n in names if n) or None


def _json_entry(
    item: Any, feed_title: str | None, feed_author: str | None, language: Any, origin: str
) -> FeedEntry | None:
    if not isinstance(item, dict):
        return None

    def text(key: str) -> str | None:
        value = item.get(key)
        return value if isinstance(value, str) and value.strip() else None

    content = None
    if text("content_html"):
        content = _markdown_of({"value": text("content_html"), "type": "text/html"}, text("url"))
    elif text("content_text"):
        content = _markdown_of({"value": text("content_text"), "type": "text/plain"})
    summary = text("summary")
    link = text("url") or text("external_url")
    key = item.get("id")
    tags = item.get("tags") if isinstance(item.get("tags"), list) else []
    return _make_entry(
        key=str(key) if key not in (None, "") else link,
        title=_plain(text("title")),
        content=content,
        summary=_markdown_of({"value": summary, "type": "text/plain"}) if summary else None,
        description=_plain(summary) if content and summary else None,
        author=_json_people(item) or feed_author,
        published=text("date_published") or text("date_modified"),
        link=link if link and is_url(link) else None,
        source=feed_title,
        section=_plain(tags[0]) if tags else None,
        language=_plain(item.get("language") or language),
        origin=origin,
    )
