"""Refreshing feed subscriptions: conditional requests, only new or changed entries stored.

Feeds are fetched and parsed in threads (mostly waiting on the network); the
library is written from the calling thread, one transaction per feed, so a feed
that fails is reported and leaves every other feed's entries in place.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urljoin

from store.library import Library
from store.models import StoreResult, Subscription

from .base import Source, is_url
from .errors import ImportFailure
from .feed import FeedEntry, FeedImporter, ParsedFeed, parse_feed

__all__ = ["RefreshResult", "discover_feeds", "refresh_subscriptions", "subscribe"]

WORKERS = 8
"""Feeds fetched at once: enough to hide network latency, few enough to be polite."""
_FEED_LINK_TYPES = ("application/rss+xml", "application/atom+xml", "application/feed+json")


@dataclass
class RefreshResult:
    """What refreshing one feed did."""

    subscription: Subscription
    status: str
    """``ok`` (fetched and read), ``unchanged`` (HTTP 304, or the very document read last
    time) or ``error``."""
    added: int = 0
    updated: int = 0
    """Entries whose text or metadata changed since the last refresh (same article id)."""
    unchanged: int = 0
    """Entries already stored as they are now: skipped without touching the library."""
    error: str | None = None
    received: int = 0
    """Bytes of feed transferred (0 for a 304)."""
    warnings: list[str] = field(default_factory=list)
    results: list[StoreResult] = field(default_factory=list)
    moved_to: str | None = None
    """The feed's new address, when it moved for good (HTTP 301/308) and was followed."""

    def summary(self) -> str:
        """One line for the user."""
        name = self.subscription.title or self.subscription.url
        moved = f" (moved to {self.moved_to})" if self.moved_to else ""
        if self.status == "error":
            return f"{name}: failed: {self.error}"
        if self.status == "unchanged":
            same = " (sent again, byte for byte the same)" if self.received else ""
            return f"{name}: not modified{same}{moved}"
        counts = f"{self.added} new, {self.updated} changed, {self.unchanged} unchanged"
        return f"{name}: {counts}{moved}"

    def to_dict(self) -> dict[str, object]:
        """JSON-ready data."""
        return {
            "id": self.subscription.id,
            "url": self.subscription.url,
            "title": self.subscription.title,
            "status": self.status,
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "error": self.error,
            "received_bytes": self.received,
            "warnings": list(self.warnings),
            "moved_to": self.moved_to,
            "articles": [
                {"id": r.id, "outcome": r.outcome, "kind": r.kind, "title": r.title}
                for r in self.results
            ],
        }


Progress = Callable[[int, int, RefreshResult], None]
"""Called as ``progress(done, total, result)`` after each feed."""


def _stamp() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _client(timeout: float):  # noqa: ANN202 - httpx.Client, imported lazily
    from .fetch import USER_AGENT, httpx

    limits = httpx.Limits(max_connections=WORKERS * 2, max_keepalive_connections=WORKERS)
    return httpx.Client(
        follow_redirects=True,
        headers={"User-Agent": USER_AGENT},
        timeout=httpx.Timeout(timeout),
        limits=limits,
    )


@dataclass
class _Fetched:
    subscription: Subscription
    status: str
    feed: ParsedFeed | None = None
    etag: str | None = None
    last_modified: str | None = None
    error: str | None = None
    received: int = 0
    body_hash: str | None = None
    moved_to: str | None = None


def _fetch_one(sub: Subscription, client: object, timeout: float) -> _Fetched:
    """Fetch and parse one feed (in a worker thread); never raises."""
    from .fetch import fetch_if_changed

    try:
        got = fetch_if_changed(
            sub.url,
            etag=sub.etag,
            last_modified=sub.last_modified,
            timeout=timeout,
            client=client,  # type: ignore[arg-type]
        )
        # Not modified (304), or sent in full but byte for byte what was read last time.
        digest = hashlib.sha256(got.source.data).hexdigest()[:32] if got.source else None
        if got.source is None or digest == sub.body_hash:
            return _Fetched(
                sub,
                "unchanged",
                etag=got.etag,
                last_modified=got.last_modified,
                received=got.size,
                moved_to=got.moved_to,
            )
        if FeedImporter().detect(got.source) < 0.5:
            raise ImportFailure(f"not a feed ({got.source.media_type or 'unknown type'})")
        feed = parse_feed(got.source, allow_empty=True)
        return _Fetched(
            sub,
            "ok",
            feed,
            got.etag,
            got.last_modified,
            received=got.size,
            body_hash=digest,
            moved_to=got.moved_to,
        )
    except ImportFailure as error:
        return _Fetched(sub, "error", error=str(error) or "could not be read")
    except Exception as error:  # a bug on one feed must not stop the others
        return _Fetched(sub, "error", error=f"unexpected error: {type(error).__name__}: {error}")


def _store(library: Library, got: _Fetched) -> RefreshResult:
    """Write one feed's outcome: its new and changed entries, and its state."""
    sub = got.subscription
    stamp = _stamp()
    result = RefreshResult(sub, got.status, error=got.error, received=got.received)
    if got.moved_to and library.move_subscription(sub.id, got.moved_to):
        result.moved_to = got.moved_to  # the next refresh asks the new address
    if got.status == "error":
        library.update_subscription(sub.id, status="error", error=got.error, checked_at=stamp)
        return result
    if got.status == "unchanged" or got.feed is None:
        library.update_subscription(
            sub.id,
            status="unchanged",
            error=None,
            checked_at=stamp,
            etag=got.etag,
            last_modified=got.last_modified,
        )
        return result
    known = library.feed_entry_digests(sub.id)
    todo: list[FeedEntry] = []
    seen: set[str] = set()
    for entry in got.feed.entries:
        if entry.key in seen:
            continue  # the same guid twice in one document: the first one counts
        seen.add(entry.key)
        before = known.get(entry.key)
        if before == entry.digest:
            result.unchanged += 1
            continue
        todo.append(entry)
        if before is None:
            result.added += 1
        else:
            result.updated += 1
    result.warnings = list(got.feed.warnings)
    state: dict[str, str | None] = {
        "status": "ok",
        "error": None,
        "checked_at": stamp,
        "etag": got.etag,
        "last_modified": got.last_modified,
        "body_hash": got.body_hash,
        "title": got.feed.title or sub.title,
        "site_url": got.feed.link or sub.site_url,
    }
    if todo:
        state["changed_at"] = stamp
    result.results = library.store_feed_entries(
        sub.id, [(e.key, e.digest, e.draft) for e in todo], **state
    )
    return result


def refresh_subscriptions(
    library: Library,
    subscriptions: Iterable[Subscription],
    *,
    progress: Progress | None = None,
    timeout: float = 20.0,
    workers: int = WORKERS,
) -> list[RefreshResult]:
    """Refresh feeds concurrently; each feed's result, in the order given.

    A feed that is unreachable, broken or not a feed is reported (status
    ``error``) and recorded on its subscription; the others go on.
    """
    subs = list(subscriptions)
    results: dict[int, RefreshResult] = {}
    if not subs:
        return []
    with _client(timeout) as client, ThreadPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(_fetch_one, sub, client, timeout) for sub in subs]
        for done, future in enumerate(as_completed(futures), start=1):
            got = future.result()
            result = _store(library, got)
            results[got.subscription.id] = result
            if progress is not None:
                progress(done, len(subs), result)
    ordered = [results[sub.id] for sub in subs]
    # Report the feed as it is now (its title comes from the feed itself).
    for result in ordered:
        result.subscription = library.subscription(result.subscription.id) or result.subscription
    return ordered


def discover_feeds(page: str, base: str) -> list[str]:
    """Feed URLs a web page announces with ``<link rel="alternate" type="...rss+xml">``."""
    import lxml.html

    try:
        tree = lxml.html.fromstring(page)
    except (ValueError, lxml.etree.ParserError):
        return []
    found: list[str] = []
    for link in tree.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        kind = (link.get("type") or "").lower().split(";")[0].strip()
        href = (link.get("href") or "").strip()
        if "alternate" in rel and kind in _FEED_LINK_TYPES and href:
            url = urljoin(base, href)
            if is_url(url) and url not in found:
                found.append(url)
    return found


def subscribe(
    library: Library, url: str, *, timeout: float = 20.0, folder: str | None = None
) -> tuple[Subscription, str]:
    """Check that ``url`` is a feed (or a page announcing one) and subscribe to it.

    :param folder: the folder to file it under (``News/Science``).

    :returns: the subscription and the feed URL used (the announced one for a page).
    :raises ImportFailure: when the address cannot be fetched or holds no feed.
    """
    from .fetch import fetch

    source = fetch(url, timeout=timeout)
    feed_url = source.name
    if FeedImporter().detect(source) < 0.5:
        candidates = discover_feeds(_page_text(source), source.name)
        if not candidates:
            raise ImportFailure("not a feed, and the page announces none")
        feed_url = candidates[0]
        source = fetch(feed_url, timeout=timeout)
        if FeedImporter().detect(source) < 0.5:
            raise ImportFailure(f"the page's feed {feed_url} is not a feed")
    feed = parse_feed(source, allow_empty=True)
    return library.add_subscription(feed_url, title=feed.title, folder=folder), feed_url


def _page_text(source: Source) -> str:
    try:
        return source.text
    except ImportFailure:
        return ""
