"""Full-text search over the library's FTS5 index."""

from __future__ import annotations

import re
import sqlite3

from .models import HIT_END, HIT_START, SearchHit

# bm25 weights in FTS column order: title, author, source, section, body_text.
WEIGHTS = (10.0, 3.0, 2.0, 2.0, 1.0)
_WORD = re.compile(r"\w+", re.UNICODE)


def fts_terms(query: str) -> str | None:
    """The words of ``query`` as an FTS5 expression where all must match; None if empty.

    Every word is quoted, so nothing a user types reaches FTS5 as syntax.
    """
    words = _WORD.findall(query)
    if not words:
        return None
    return " ".join('"' + word.replace('"', '""') + '"' for word in words)


def search(
    conn: sqlite3.Connection, query: str, *, limit: int = 20, offset: int = 0
) -> list[SearchHit]:
    """Articles matching every word of ``query``, ranked by bm25 (title above body)."""
    match = fts_terms(query)
    if match is None:
        return []
    weights = ", ".join(str(w) for w in WEIGHTS)
    rows = conn.execute(
        f"""
        SELECT a.id, a.title, a.source, a.published, a.kind,
               snippet(articles_fts, 4, '{HIT_START}', '{HIT_END}', '…', 24),
               bm25(articles_fts, {weights}) AS score
        FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid
        WHERE articles_fts MATCH ?
        ORDER BY score LIMIT ? OFFSET ?
        """,
        (match, limit, offset),
    ).fetchall()
    return [SearchHit(*row) for row in rows]
