"""Feed subscriptions: the feeds, their HTTP validators, and the entries each has given."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from typing import Any

from .models import LibraryError, Subscription
from .urls import canonical_url

_COLUMNS = (
    "s.id, s.url, s.title, s.site_url, s.etag, s.last_modified, s.added_at, s.checked_at, "
    "s.changed_at, s.status, s.error"
)
_COUNTS = (
    "(SELECT count(*) FROM feed_entries e JOIN articles a ON a.id = e.article_id "
    " WHERE e.subscription_id = s.id), "
    "(SELECT count(*) FROM feed_entries e JOIN articles a ON a.id = e.article_id "
    " LEFT JOIN reading_positions p ON p.article_id = a.id "
    " WHERE e.subscription_id = s.id AND p.finished_at IS NULL), s.body_hash, s.folder"
)
STATE_FIELDS = frozenset(
    {
        "title",
        "site_url",
        "etag",
        "last_modified",
        "body_hash",
        "checked_at",
        "changed_at",
        "status",
        "error",
        "folder",
    }
)


def _row(row: tuple[Any, ...]) -> Subscription:
    return Subscription(*row)


def normal_url(url: str) -> str:
    """The form a feed URL is stored in: stripped, lower-case host, no fragment.

    Query parameters stay (feeds are often addressed by them), tracking ones go.
    """
    return canonical_url(url.strip())


def add(
    conn: sqlite3.Connection,
    url: str,
    *,
    title: str | None,
    stamp: str,
    folder: str | None = None,
) -> Subscription:
    """Subscribe to ``url``; refuses a feed already subscribed.

    :param folder: the folder to file it under (``News/Science``).
    """
    url = normal_url(url)
    if conn.execute("SELECT 1 FROM subscriptions WHERE url = ?", (url,)).fetchone():
        raise LibraryError(f"already subscribed to {url}")
    cursor = conn.execute(
        "INSERT INTO subscriptions (url, title, added_at, status, folder) "
        "VALUES (?, ?, ?, 'new', ?)",
        (url, title, stamp, folder or None),
    )
    found = get(conn, int(cursor.lastrowid or 0))
    assert found is not None
    return found


def get(conn: sqlite3.Connection, key: int | str) -> Subscription | None:
    """A subscription by id, or by URL (as given or normalised)."""
    if isinstance(key, int) or (isinstance(key, str) and key.isdigit()):
        where, param = "s.id = ?", int(key)
    else:
        where, param = "s.url IN (?, ?)", None
    sql = f"SELECT {_COLUMNS}, {_COUNTS} FROM subscriptions s WHERE {where}"
    params: tuple[Any, ...] = (param,) if param is not None else (key, normal_url(str(key)))
    row = conn.execute(sql, params).fetchone()
    return _row(row) if row else None


def all_subscriptions(conn: sqlite3.Connection) -> list[Subscription]:
    """Every subscription, by folder (the top first), then title, then URL."""
    rows = conn.execute(
        f"SELECT {_COLUMNS}, {_COUNTS} FROM subscriptions s "
        "ORDER BY coalesce(s.folder, '') COLLATE NOCASE, "
        "coalesce(s.title, s.url) COLLATE NOCASE, s.url"
    ).fetchall()
    return [_row(row) for row in rows]


def move(conn: sqlite3.Connection, subscription_id: int, url: str) -> bool:
    """Give a subscription the address its feed moved to for good (HTTP 301 or 308).

    False, and nothing changed, when it is the address already or another subscription
    has it.
    """
    url = normal_url(url)
    current = conn.execute("SELECT url FROM subscriptions WHERE id = ?", (subscription_id,))
    if (current.fetchone() or (None,))[0] == url:
        return False
    taken = conn.execute(
        "SELECT 1 FROM subscriptions WHERE url = ? AND id != ?", (url, subscription_id)
    ).fetchone()
    if taken:
        return False
    conn.execute("UPDATE subscriptions SET url = ? WHERE id = ?", (url, subscription_id))
    return True


def remove(conn: sqlite3.Connection, subscription_id: int) -> None:
    """Forget a subscription and its entry records; the articles it gave stay."""
    conn.execute("DELETE FROM subscriptions WHERE id = ?", (subscription_id,))


def update(conn: sqlite3.Connection, subscription_id: int, **state: str | None) -> None:
    """Record what a refresh found (``title``, ``etag``, ``status``, ``error``, ...)."""
    unknown = set(state) - STATE_FIELDS
    if unknown:
        raise ValueError(f"not subscription state: {', '.join(sorted(unknown))}")
    if not state:
        return
    assignments = ", ".join(f"{key} = :{key}" for key in state)
    conn.execute(
        f"UPDATE subscriptions SET {assignments} WHERE id = :id", {**state, "id": subscription_id}
    )


def entry_digests(conn: sqlite3.Connection, subscription_id: int) -> dict[str, str]:
    """Entry key to digest for every entry this feed has given."""
    return dict(
        conn.execute(
            "SELECT entry_key, digest FROM feed_entries WHERE subscription_id = ?",
            (subscription_id,),
        ).fetchall()
    )


def record_entries(
    conn: sqlite3.Connection,
    subscription_id: int,
    entries: Iterable[tuple[str, int | None, str]],
    *,
    stamp: str,
) -> None:
    """Remember ``(entry_key, article_id, digest)`` for entries just stored."""
    conn.executemany(
        "INSERT INTO feed_entries (subscription_id, entry_key, article_id, digest, seen_at) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT (subscription_id, entry_key) DO UPDATE SET "
        "article_id = excluded.article_id, digest = excluded.digest, seen_at = excluded.seen_at",
        [(subscription_id, key, article_id, digest, stamp) for key, article_id, digest in entries],
    )


def follow_link(conn: sqlite3.Connection, subscription_id: int, key: str, url: str | None) -> None:
    """Give the article an entry became the entry's new link, if the link changed.

    Then storing the entry again (matched by URL) updates that same article. Left
    alone when another article already has the new link.
    """
    if not url:
        return
    row = conn.execute(
        "SELECT a.id, a.url FROM feed_entries e JOIN articles a ON a.id = e.article_id "
        "WHERE e.subscription_id = ? AND e.entry_key = ?",
        (subscription_id, key),
    ).fetchone()
    if row is None or row[1] == url:
        return
    if conn.execute("SELECT 1 FROM articles WHERE url = ?", (url,)).fetchone():
        return
    conn.execute("UPDATE articles SET url = ? WHERE id = ?", (url, row[0]))
