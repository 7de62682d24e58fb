"""Full-text search over notes and highlights (the ``notes_fts`` index), with snippets."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from .annotations import check_color, get_note, words_match
from .models import Note


@dataclass(frozen=True)
class NoteHit:
    """One note matching a search, with its snippet (hits marked ``\\x02``…``\\x03``)."""

    note: Note
    snippet: str


def search_notes(
    conn: sqlite3.Connection,
    text: str,
    *,
    color: str | None = None,
    limit: int = 200,
) -> list[NoteHit]:
    """Notes whose quote or body has every word of ``text`` (last as a prefix), best first.

    :param color: only notes of this colour (one of ``COLORS``).
    """
    match = words_match(text)
    if match is None:
        return []
    sql = (
        "SELECT n.id, snippet(notes_fts, -1, char(2), char(3), '…', 24) "
        "FROM notes_fts JOIN notes n ON n.id = notes_fts.rowid WHERE notes_fts MATCH ?"
    )
    params: list[object] = [match]
    if color:
        sql += " AND n.color = ?"
        params.append(check_color(color))
    sql += " ORDER BY rank LIMIT ?"
    params.append(limit)
    hits = []
    for note_id, snippet in conn.execute(sql, params).fetchall():
        note = get_note(conn, note_id)
        if note is not None:
            hits.append(NoteHit(note, snippet))
    return hits
