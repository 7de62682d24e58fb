"""Full-text search over notes and highlights (the ``notes_fts`` index), with snippets."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from .record import FrozenRecord

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: `margin search` never imports typing
if TYPE_CHECKING:  # a plain ``margin search`` process never loads every record class
    from .models import Note


class NoteHit(FrozenRecord):
    """One note matching a search, with its snippet (hits marked ``\\x02``…``\\x03``)."""

    __slots__ = ("note", "snippet")

    note: Note
    snippet: str

    def __init__(self, note: Note, snippet: str) -> None:
        object.__setattr__(self, "note", note)
        object.__setattr__(self, "snippet", snippet)


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
    # Imported here: a plain search asks articles_by_notes, which needs none of it.
    from .annotations import check_color, get_note, words_match

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


def articles_by_notes(
    conn: sqlite3.Connection,
    expression: str,
    where: Sequence[str] = (),
    params: Sequence[object] = (),
    *,
    limit: int = 5,
) -> list[tuple[int, int, str]]:
    """(article id, note id, snippet) of the best matching note of each article, best first.

    :param expression: an FTS5 expression over the notes index.
    :param where: SQL conditions on the note's article (``articles a``), with ``params``.
    """
    sql = (
        "SELECT n.article_id, n.id, snippet(notes_fts, -1, char(2), char(3), '…', 24) "
        "FROM notes_fts JOIN notes n ON n.id = notes_fts.rowid "
        "JOIN articles a ON a.id = n.article_id WHERE notes_fts MATCH ?"
    )
    for condition in where:
        sql += f" AND {condition}"
    sql += " ORDER BY notes_fts.rank LIMIT ?"
    found: dict[int, tuple[int, int, str]] = {}
    # A few notes per article at most are worth reading to find ``limit`` articles.
    for article_id, note_id, snippet in conn.execute(sql, [expression, *params, limit * 8]):
        if article_id not in found:
            found[article_id] = (article_id, note_id, snippet)
            if len(found) == limit:
                break
    return list(found.values())
