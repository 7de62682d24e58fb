"""Saved links waiting for their page: link entries that ``margin fetch-pending`` fills in."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from .models import PendingLink
from .urls import canonical_url

_COLUMNS = "article_id, url, added_at, attempts, tried_at, error"


def add_by_url(conn: sqlite3.Connection, urls: Iterable[str], *, stamp: str) -> int:
    """Queue the excerpts stored under these URLs; full articles are never queued."""
    added = 0
    for url in dict.fromkeys(canonical_url(u) for u in urls):
        cursor = conn.execute(
            "INSERT OR IGNORE INTO pending_links (article_id, url, added_at) "
            "SELECT id, url, ? FROM articles WHERE url = ? AND kind = 'excerpt'",
            (stamp, url),
        )
        added += cursor.rowcount
    return added


def add_articles(conn: sqlite3.Connection, article_ids: Iterable[int], *, stamp: str) -> int:
    """Queue these excerpts (those with a URL) by id."""
    added = 0
    for article_id in dict.fromkeys(article_ids):
        cursor = conn.execute(
            "INSERT OR IGNORE INTO pending_links (article_id, url, added_at) "
            "SELECT id, url, ? FROM articles WHERE id = ? AND kind = 'excerpt' AND url IS NOT NULL",
            (stamp, article_id),
        )
        added += cursor.rowcount
    return added


def waiting(
    conn: sqlite3.Connection, *, failed: bool = True, ids: Iterable[int] | None = None
) -> list[PendingLink]:
    """Queued links, oldest first; ``failed=False`` leaves out those tried before."""
    sql = f"SELECT {_COLUMNS} FROM pending_links"
    clauses, params = [], []
    if not failed:
        clauses.append("attempts = 0")
    if ids is not None:
        chosen = list(ids)
        clauses.append(f"article_id IN ({', '.join('?' * len(chosen)) or 'NULL'})")
        params.extend(chosen)
    if clauses:
        sql += " WHERE " + " AND ".join(clauses)
    rows = conn.execute(sql + " ORDER BY added_at, article_id", params).fetchall()
    return [PendingLink(*row) for row in rows]


def done(conn: sqlite3.Connection, article_id: int) -> None:
    """The page was fetched: the link leaves the queue."""
    conn.execute("DELETE FROM pending_links WHERE article_id = ?", (article_id,))


def failed(conn: sqlite3.Connection, article_id: int, error: str, *, stamp: str) -> None:
    """Record a failed attempt; the link stays queued for a retry."""
    conn.execute(
        "UPDATE pending_links SET attempts = attempts + 1, tried_at = ?, error = ? "
        "WHERE article_id = ?",
        (stamp, error, article_id),
    )
