"""Earlier texts of an article: kept whenever a re-import or re-extraction changes it.

Each version holds the plain text (zlib) and the Markdown (packed against that
text, as the current body is), deduplicated by content hash per article. Nothing
here runs on its own: ``Library`` calls ``keep`` in the transaction that changes
the text, before the new text is written.
"""

from __future__ import annotations

import sqlite3
import zlib

from .models import Version
from .prepare import COMPRESSION_LEVEL, unpack_markdown

_COLUMNS = "id, article_id, title, replaced_at, origin, word_count, content_hash"


def keep(
    conn: sqlite3.Connection, article_id: int, *, origin: str | None, stamp: str
) -> str | None:
    """Keep an article's current text as a version; return that plain text.

    Call before overwriting the body. A text already kept (same hash) is not stored
    twice: its date moves to this replacement.
    """
    row = conn.execute(
        "SELECT a.title, a.word_count, a.content_hash, b.body_text, b.body_markdown "
        "FROM articles a JOIN article_bodies b ON b.article_id = a.id WHERE a.id = ?",
        (article_id,),
    ).fetchone()
    if row is None:
        return None
    title, words, content_hash, text, markdown_blob = row
    conn.execute(
        "INSERT INTO article_versions (article_id, content_hash, title, word_count, origin, "
        "replaced_at, body_text, body_markdown) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (article_id, content_hash) DO UPDATE SET replaced_at = excluded.replaced_at, "
        "origin = excluded.origin",
        (
            article_id,
            content_hash,
            title,
            words,
            origin,
            stamp,
            zlib.compress(text.encode(), COMPRESSION_LEVEL),
            markdown_blob,
        ),
    )
    return text


def _rows(conn: sqlite3.Connection, article_id: int) -> list[tuple]:
    return conn.execute(
        f"SELECT {_COLUMNS} FROM article_versions WHERE article_id = ? ORDER BY replaced_at, id",
        (article_id,),
    ).fetchall()


def list_versions(conn: sqlite3.Connection, article_id: int) -> list[Version]:
    """An article's earlier texts, oldest first, numbered from 1."""
    return [
        Version(number, r[1], r[2], r[3], r[4], r[5], r[6])
        for number, r in enumerate(_rows(conn, article_id), start=1)
    ]


def count(conn: sqlite3.Connection, article_id: int) -> int:
    """How many earlier texts an article has."""
    return conn.execute(
        "SELECT count(*) FROM article_versions WHERE article_id = ?", (article_id,)
    ).fetchone()[0]


def texts(conn: sqlite3.Connection, article_id: int, number: int) -> tuple[str, str]:
    """Version ``number``'s plain text and Markdown; KeyError if there is no such version."""
    rows = _rows(conn, article_id)
    if not 1 <= number <= len(rows):
        raise KeyError(number)
    text_blob, markdown_blob = conn.execute(
        "SELECT body_text, body_markdown FROM article_versions WHERE id = ?",
        (rows[number - 1][0],),
    ).fetchone()
    text = zlib.decompress(text_blob).decode()
    return text, unpack_markdown(markdown_blob, text)
