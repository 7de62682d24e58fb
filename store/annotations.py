"""Notes, highlights, bookmarks and drafts: their SQL and their re-anchoring.

Every function takes the library's connection; ``Library`` wraps each call in its
lock and a transaction, so each write is committed when made. A note is anchored
by a text-quote selector (``quote`` with ``prefix`` and ``suffix``) and a position
selector (``start``/``end`` offsets into the plain text, ``paragraph`` the block),
as the W3C Web Annotation model does. When an article's text changes, its notes
move with it (``reanchor_article``); what cannot be placed is kept as an orphan.
Nothing here ever deletes a note except ``delete_note``.
"""

from __future__ import annotations

import bisect
import functools
import re
import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any

from .anchoring import Anchor, Placement, reanchor, selectors
from .document import parse_markdown
from .models import COLORS, Bookmark, LibraryError, Note
from .prepare import unpack_markdown
from .query import quote as fts_quote

CONTEXT = 32
"""Characters of text kept before and after a quote."""
BOOKMARK_QUOTE = 60
"""Characters kept at a passage bookmark, so it can be found again."""

_TAGS = (
    "(SELECT group_concat(t.name, char(31)) FROM article_tags at JOIN tags t "
    "ON t.id = at.tag_id WHERE at.article_id = n.article_id)"
)
_NOTE_COLUMNS = (
    "n.id, n.article_id, n.article_title, n.article_url, n.quote, n.prefix, n.suffix, "
    "n.start_offset, n.end_offset, n.paragraph, n.body, n.color, n.orphaned, "
    f"{_TAGS}, n.created_at, n.updated_at, n.external_id"
)
_BOOKMARK_COLUMNS = (
    "id, article_id, article_title, article_url, paragraph, char_offset, label, created_at, "
    "quote, external_id"
)


def words_match(text: str) -> str | None:
    """An FTS5 expression finding every word of ``text`` (the last as a prefix), or None."""
    words = re.findall(r"\w+", text)
    if not words:
        return None
    terms = [fts_quote(word) for word in words]
    terms[-1] += " *"
    return " AND ".join(terms)


class AnnotationError(LibraryError):
    """An annotation request that cannot be done; the message says why."""


def check_color(color: str | None) -> str:
    """``color`` if it is one of ``COLORS`` (None gives the default)."""
    if color is None:
        return COLORS[0]
    if color not in COLORS:
        raise AnnotationError(f"unknown colour {color!r}; use one of {', '.join(COLORS)}")
    return color


# -- the article's text ------------------------------------------------------------------
def article_text(conn: sqlite3.Connection, article_id: int) -> tuple[str, str | None, str]:
    """An article's title, URL and plain text; AnnotationError if there is none."""
    row = conn.execute(
        "SELECT a.title, a.url, b.body_text FROM articles a "
        "JOIN article_bodies b ON b.article_id = a.id WHERE a.id = ?",
        (article_id,),
    ).fetchone()
    if row is None:
        raise AnnotationError(f"no article {article_id} (see: margin list)")
    return row[0], row[1], row[2]


def _block_starts(conn: sqlite3.Connection, article_id: int) -> tuple[int, ...]:
    row = conn.execute(
        "SELECT b.body_text, b.body_markdown, a.content_hash FROM article_bodies b "
        "JOIN articles a ON a.id = b.article_id WHERE b.article_id = ?",
        (article_id,),
    ).fetchone()
    if row is None:
        return (0,)
    return _starts_of(row[2], row[1], row[0])


@functools.lru_cache(maxsize=32)
def _starts_of(_hash: str, blob: bytes, text: str) -> tuple[int, ...]:
    blocks = parse_markdown(unpack_markdown(blob, text)).blocks
    return tuple(block.start for block in blocks) or (0,)


def paragraph_of(starts: Sequence[int], offset: int) -> int:
    """The index of the block holding plain-text ``offset``."""
    return max(0, bisect.bisect_right(starts, offset) - 1)


def _check_range(text: str, start: int, end: int) -> None:
    if not 0 <= start < end <= len(text):
        raise AnnotationError(
            f"offsets {start}-{end} are outside the article's text (0-{len(text)})"
        )


# -- notes -------------------------------------------------------------------------------
def _note(row: Sequence[Any]) -> Note:
    tags = tuple(sorted(row[13].split("\x1f"), key=str.casefold)) if row[13] else ()
    return Note(
        id=row[0],
        article_id=row[1],
        article_title=row[2],
        article_url=row[3],
        quote=row[4] or "",
        prefix=row[5] or "",
        suffix=row[6] or "",
        start=None if row[12] else row[7],
        end=None if row[12] else row[8],
        paragraph=None if row[12] else row[9],
        body=row[10] or "",
        color=row[11] or COLORS[0],
        state="orphaned" if row[12] else "anchored",
        tags=tags,
        created=row[14],
        updated=row[15],
        external_id=row[16],
    )


def get_note(conn: sqlite3.Connection, note_id: int) -> Note | None:
    """One note, or None."""
    row = conn.execute(f"SELECT {_NOTE_COLUMNS} FROM notes n WHERE n.id = ?", (note_id,)).fetchone()
    return _note(row) if row else None


def _require_note(conn: sqlite3.Connection, note_id: int) -> Note:
    note = get_note(conn, note_id)
    if note is None:
        raise AnnotationError(f"no note {note_id} (see: margin notes list)")
    return note


def _insert_note(conn: sqlite3.Connection, **columns: object) -> Note:
    """Insert one notes row from column values (names are ours, never the user's)."""
    names = ", ".join(columns)
    marks = ", ".join("?" * len(columns))
    cursor = conn.execute(f"INSERT INTO notes ({names}) VALUES ({marks})", tuple(columns.values()))
    return _require_note(conn, int(cursor.lastrowid or 0))


def add_note(
    conn: sqlite3.Connection,
    article_id: int,
    start: int,
    end: int,
    *,
    body: str = "",
    color: str | None = None,
    external_id: str | None = None,
    stamp: str,
    created: str | None = None,
    updated: str | None = None,
) -> Note:
    """Anchor a new note on ``[start, end)`` of an article's plain text.

    :param stamp: the time to record (``created``/``updated`` override it, for imports).
    """
    title, url, text = article_text(conn, article_id)
    _check_range(text, start, end)
    anchor = selectors(text, start, end, CONTEXT)
    paragraph = paragraph_of(_block_starts(conn, article_id), start)
    return _insert_note(
        conn,
        article_id=article_id,
        article_title=title,
        article_url=url,
        quote=anchor.quote,
        prefix=anchor.prefix,
        suffix=anchor.suffix,
        paragraph=paragraph,
        start_offset=start,
        end_offset=end,
        body=body,
        color=check_color(color),
        orphaned=0,
        created_at=created or stamp,
        updated_at=updated or created or stamp,
        external_id=external_id,
    )


def add_note_by_quote(
    conn: sqlite3.Connection,
    article_id: int,
    quote: str,
    *,
    prefix: str = "",
    suffix: str = "",
    start: int | None = None,
    end: int | None = None,
    body: str = "",
    color: str | None = None,
    external_id: str | None = None,
    stamp: str,
    created: str | None = None,
    updated: str | None = None,
) -> Note:
    """Anchor a note from its selectors; a quote that cannot be placed is kept orphaned."""
    if not quote.strip():
        raise AnnotationError("the quote is empty; give the text the note is about")
    title, url, text = article_text(conn, article_id)
    placement = reanchor([Anchor(quote, prefix, suffix, start, end)], None, text)[0]
    if placement is not None:
        return add_note(
            conn,
            article_id,
            placement.start,
            placement.end,
            body=body,
            color=color,
            external_id=external_id,
            stamp=stamp,
            created=created,
            updated=updated,
        )
    return _insert_note(
        conn,
        article_id=article_id,
        article_title=title,
        article_url=url,
        quote=quote,
        prefix=prefix,
        suffix=suffix,
        body=body,
        color=check_color(color),
        orphaned=1,
        created_at=created or stamp,
        updated_at=updated or created or stamp,
        external_id=external_id,
    )


def list_notes(
    conn: sqlite3.Connection,
    article_id: int | None = None,
    *,
    orphaned: bool | None = None,
    tag: str | None = None,
    color: str | None = None,
    text: str | None = None,
    detached: bool | None = None,
    limit: int | None = None,
) -> list[Note]:
    """Notes matching every filter given.

    One article's notes come orphans first, then in text order; otherwise newest
    first.

    :param text: words to find in the quote or the note (full-text, prefixes allowed).
    :param detached: True for notes whose article was deleted, False for the others.
    """
    clauses: list[str] = []
    params: list[Any] = []
    if article_id is not None:
        clauses.append("n.article_id = ?")
        params.append(article_id)
    if orphaned is not None:
        clauses.append("n.orphaned = ?")
        params.append(int(orphaned))
    if tag:
        clauses.append(
            "n.article_id IN (SELECT at.article_id FROM article_tags at JOIN tags t "
            "ON t.id = at.tag_id WHERE t.name = ?)"
        )
        params.append(" ".join(tag.split()))
    if color:
        clauses.append("n.color = ?")
        params.append(check_color(color))
    if detached is not None:
        clauses.append("n.article_id IS NULL" if detached else "n.article_id IS NOT NULL")
    if text and text.strip():
        match = words_match(text)
        if match is None:
            return []
        clauses.append("n.id IN (SELECT rowid FROM notes_fts WHERE notes_fts MATCH ?)")
        params.append(match)
    where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
    order = (
        "n.orphaned DESC, n.start_offset, n.id"
        if article_id is not None
        else "n.created_at DESC, n.id DESC"
    )
    sql = f"SELECT {_NOTE_COLUMNS} FROM notes n {where} ORDER BY {order}"
    if limit:
        sql += " LIMIT ?"
        params.append(limit)
    return [_note(row) for row in conn.execute(sql, params)]


def update_note(
    conn: sqlite3.Connection,
    note_id: int,
    *,
    body: str | None = None,
    color: str | None = None,
    start: int | None = None,
    end: int | None = None,
    stamp: str,
) -> Note:
    """Change a note's text or colour, or place it on ``[start, end)`` of its article."""
    note = _require_note(conn, note_id)
    changes: dict[str, Any] = {}
    if body is not None:
        changes["body"] = body
    if color is not None:
        changes["color"] = check_color(color)
    if start is not None or end is not None:
        if start is None or end is None:
            raise AnnotationError("give both start and end to move a note")
        if note.article_id is None:
            raise AnnotationError(f"note {note_id} has no article any more; it cannot be placed")
        _title, _url, text = article_text(conn, note.article_id)
        _check_range(text, start, end)
        anchor = selectors(text, start, end, CONTEXT)
        changes.update(
            quote=anchor.quote,
            prefix=anchor.prefix,
            suffix=anchor.suffix,
            start_offset=start,
            end_offset=end,
            paragraph=paragraph_of(_block_starts(conn, note.article_id), start),
            orphaned=0,
        )
    if not changes:
        return note
    assignments = ", ".join(f"{key} = :{key}" for key in changes)
    conn.execute(
        f"UPDATE notes SET {assignments}, updated_at = :stamp WHERE id = :id",
        {**changes, "stamp": stamp, "id": note_id},
    )
    return _require_note(conn, note_id)


def delete_note(conn: sqlite3.Connection, note_id: int) -> Note:
    """Delete a note and return it, so the user can undo."""
    note = _require_note(conn, note_id)
    conn.execute("DELETE FROM notes WHERE id = ?", (note_id,))
    return note


def restore_note(conn: sqlite3.Connection, note: Note) -> Note:
    """Put a deleted note back with its id, text and place (undo of ``delete_note``)."""
    if get_note(conn, note.id) is not None:
        return _require_note(conn, note.id)
    article_id = note.article_id
    if (
        article_id is not None
        and not conn.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone()
    ):
        article_id = None
    conn.execute(
        "INSERT INTO notes (id, article_id, article_title, article_url, quote, prefix, suffix, "
        "paragraph, start_offset, end_offset, body, color, orphaned, created_at, updated_at, "
        "external_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            note.id,
            article_id,
            note.article_title,
            note.article_url,
            note.quote,
            note.prefix,
            note.suffix,
            note.paragraph,
            note.start,
            note.end,
            note.body,
            note.color,
            int(note.state == "orphaned"),
            note.created,
            note.updated,
            note.external_id,
        ),
    )
    return _require_note(conn, note.id)


def notes_for_export(conn: sqlite3.Connection) -> list[Note]:
    """Every note, oldest first (a stable order for exports)."""
    rows = conn.execute(f"SELECT {_NOTE_COLUMNS} FROM notes n ORDER BY n.created_at, n.id")
    return [_note(row) for row in rows]


def find_note_by_external_id(conn: sqlite3.Connection, external_id: str) -> Note | None:
    """The note imported with this annotation id, if any."""
    row = conn.execute(
        f"SELECT {_NOTE_COLUMNS} FROM notes n WHERE n.external_id = ? ORDER BY n.id LIMIT 1",
        (external_id,),
    ).fetchone()
    return _note(row) if row else None


# -- re-anchoring ------------------------------------------------------------------------
def reanchor_article(
    conn: sqlite3.Connection, article_id: int, old_text: str, new_text: str, *, stamp: str
) -> tuple[int, int]:
    """Move an article's notes and passage bookmarks onto its new text.

    Runs inside the transaction that changed the text. Notes that cannot be placed
    become orphans (kept with their last quote); orphans from before are tried again
    from their quote alone. Returns (re-anchored, newly orphaned).
    """
    rows = conn.execute(
        "SELECT id, quote, prefix, suffix, start_offset, end_offset, orphaned FROM notes "
        "WHERE article_id = ?",
        (article_id,),
    ).fetchall()
    marks = conn.execute(
        "SELECT id, quote, prefix, suffix, char_offset FROM bookmarks "
        "WHERE article_id = ? AND char_offset IS NOT NULL AND quote IS NOT NULL",
        (article_id,),
    ).fetchall()
    if not rows and not marks:
        return 0, 0
    placed_notes = reanchor(
        [Anchor(r[1] or "", r[2] or "", r[3] or "", r[4], r[5]) for r in rows if not r[6]],
        old_text,
        new_text,
    )
    retried = reanchor(
        [Anchor(r[1] or "", r[2] or "", r[3] or "", None, None) for r in rows if r[6]],
        None,
        new_text,
    )
    starts = _block_starts(conn, article_id)
    anchored_iter, orphan_iter = iter(placed_notes), iter(retried)
    reanchored = orphaned = 0
    for row in rows:
        placement = next(orphan_iter) if row[6] else next(anchored_iter)
        if placement is None:
            if not row[6]:
                orphaned += 1
                conn.execute(
                    "UPDATE notes SET orphaned = 1, updated_at = ? WHERE id = ?", (stamp, row[0])
                )
            continue
        reanchored += 1
        _place(conn, row[0], new_text, placement, starts)
    _reanchor_bookmarks(conn, marks, old_text, new_text, starts)
    return reanchored, orphaned


def _place(
    conn: sqlite3.Connection,
    note_id: int,
    text: str,
    placement: Placement,
    starts: Sequence[int],
) -> None:
    anchor = selectors(text, placement.start, placement.end, CONTEXT)
    conn.execute(
        "UPDATE notes SET quote = ?, prefix = ?, suffix = ?, start_offset = ?, end_offset = ?, "
        "paragraph = ?, orphaned = 0 WHERE id = ?",
        (
            anchor.quote,
            anchor.prefix,
            anchor.suffix,
            placement.start,
            placement.end,
            paragraph_of(starts, placement.start),
            note_id,
        ),
    )


def _reanchor_bookmarks(
    conn: sqlite3.Connection,
    marks: Sequence[Sequence[Any]],
    old_text: str,
    new_text: str,
    starts: Sequence[int],
) -> None:
    if not marks:
        return
    anchors = [Anchor(m[1], m[2] or "", m[3] or "", m[4], m[4] + len(m[1])) for m in marks]
    for mark, placement in zip(marks, reanchor(anchors, old_text, new_text), strict=True):
        # A bookmark is a place to come back to: when its words are gone it stays
        # near where it was rather than being lost.
        offset = placement.start if placement else min(mark[4], max(0, len(new_text) - 1))
        quote, prefix, suffix = _bookmark_selectors(new_text, offset)
        conn.execute(
            "UPDATE bookmarks SET char_offset = ?, paragraph = ?, quote = ?, prefix = ?, "
            "suffix = ? WHERE id = ?",
            (offset, paragraph_of(starts, offset), quote, prefix, suffix, mark[0]),
        )


# -- bookmarks ---------------------------------------------------------------------------
def _bookmark(row: Sequence[Any]) -> Bookmark:
    return Bookmark(
        id=row[0],
        article_id=row[1],
        article_title=row[2],
        article_url=row[3],
        paragraph=row[4],
        offset=row[5],
        label=row[6] or "",
        created=row[7],
        quote=row[8] or "",
        external_id=row[9],
    )


def _bookmark_selectors(text: str, offset: int) -> tuple[str, str, str]:
    end = min(len(text), offset + BOOKMARK_QUOTE)
    return text[offset:end], text[max(0, offset - CONTEXT) : offset], text[end : end + CONTEXT]


def add_bookmark(
    conn: sqlite3.Connection,
    article_id: int,
    *,
    offset: int | None = None,
    label: str = "",
    stamp: str,
    external_id: str | None = None,
) -> Bookmark:
    """Bookmark an article, or the passage at plain-text ``offset``.

    Bookmarking the whole article again only updates its label.
    """
    title, url, text = article_text(conn, article_id)
    label = " ".join(label.split())
    if offset is None:
        existing = conn.execute(
            "SELECT id FROM bookmarks WHERE article_id = ? AND char_offset IS NULL",
            (article_id,),
        ).fetchone()
        if existing:
            if label:
                conn.execute("UPDATE bookmarks SET label = ? WHERE id = ?", (label, existing[0]))
            return get_bookmark(conn, existing[0])  # type: ignore[return-value]
        cursor = conn.execute(
            "INSERT INTO bookmarks (article_id, article_title, article_url, label, created_at, "
            "external_id) VALUES (?, ?, ?, ?, ?, ?)",
            (article_id, title, url, label, stamp, external_id),
        )
    else:
        if not 0 <= offset <= len(text):
            raise AnnotationError(f"offset {offset} is outside the article's text (0-{len(text)})")
        quote, prefix, suffix = _bookmark_selectors(text, offset)
        cursor = conn.execute(
            "INSERT INTO bookmarks (article_id, article_title, article_url, paragraph, "
            "char_offset, label, created_at, quote, prefix, suffix, external_id) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                article_id,
                title,
                url,
                paragraph_of(_block_starts(conn, article_id), offset),
                offset,
                label,
                stamp,
                quote,
                prefix,
                suffix,
                external_id,
            ),
        )
    return get_bookmark(conn, int(cursor.lastrowid or 0))  # type: ignore[return-value]


def get_bookmark(conn: sqlite3.Connection, bookmark_id: int) -> Bookmark | None:
    """One bookmark, or None."""
    row = conn.execute(
        f"SELECT {_BOOKMARK_COLUMNS} FROM bookmarks WHERE id = ?", (bookmark_id,)
    ).fetchone()
    return _bookmark(row) if row else None


def list_bookmarks(conn: sqlite3.Connection, article_id: int | None = None) -> list[Bookmark]:
    """One article's bookmarks in text order (whole article first), or all, newest first."""
    if article_id is not None:
        rows = conn.execute(
            f"SELECT {_BOOKMARK_COLUMNS} FROM bookmarks WHERE article_id = ? "
            "ORDER BY char_offset IS NOT NULL, char_offset, id",
            (article_id,),
        )
    else:
        rows = conn.execute(
            f"SELECT {_BOOKMARK_COLUMNS} FROM bookmarks ORDER BY created_at DESC, id DESC"
        )
    return [_bookmark(row) for row in rows]


def delete_bookmark(conn: sqlite3.Connection, bookmark_id: int) -> Bookmark:
    """Delete a bookmark and return it."""
    bookmark = get_bookmark(conn, bookmark_id)
    if bookmark is None:
        raise AnnotationError(f"no bookmark {bookmark_id} (see: margin bookmarks list)")
    conn.execute("DELETE FROM bookmarks WHERE id = ?", (bookmark_id,))
    return bookmark


def restore_bookmark(conn: sqlite3.Connection, bookmark: Bookmark) -> Bookmark:
    """Put a deleted bookmark back with its id, label, place and date (undo of a delete)."""
    if get_bookmark(conn, bookmark.id) is not None:
        return get_bookmark(conn, bookmark.id)  # type: ignore[return-value]
    article_id = bookmark.article_id
    prefix = suffix = ""
    quote = bookmark.quote
    try:
        text = article_text(conn, article_id)[2] if article_id is not None else None
    except AnnotationError:
        text, article_id = None, None
    if text is not None and bookmark.offset is not None and 0 <= bookmark.offset <= len(text):
        quote, prefix, suffix = _bookmark_selectors(text, bookmark.offset)
    conn.execute(
        "INSERT INTO bookmarks (id, article_id, article_title, article_url, paragraph, "
        "char_offset, label, created_at, quote, prefix, suffix, external_id) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            bookmark.id,
            article_id,
            bookmark.article_title,
            bookmark.article_url,
            bookmark.paragraph,
            bookmark.offset,
            bookmark.label,
            bookmark.created,
            quote,
            prefix,
            suffix,
            bookmark.external_id,
        ),
    )
    return get_bookmark(conn, bookmark.id)  # type: ignore[return-value]


def unbookmark_article(conn: sqlite3.Connection, article_id: int) -> bool:
    """Remove the whole-article bookmark; True if there was one."""
    cursor = conn.execute(
        "DELETE FROM bookmarks WHERE article_id = ? AND char_offset IS NULL", (article_id,)
    )
    return cursor.rowcount > 0


# -- drafts ------------------------------------------------------------------------------
def save_draft(conn: sqlite3.Connection, key: str, text: str, *, stamp: str) -> None:
    """Keep the text of a note being typed under ``key``."""
    conn.execute(
        "INSERT INTO note_drafts (key, text, updated_at) VALUES (?, ?, ?) "
        "ON CONFLICT (key) DO UPDATE SET text = excluded.text, updated_at = excluded.updated_at",
        (key, text, stamp),
    )


def get_draft(conn: sqlite3.Connection, key: str) -> str | None:
    """The draft kept under ``key``, if any."""
    row = conn.execute("SELECT text FROM note_drafts WHERE key = ?", (key,)).fetchone()
    return row[0] if row else None


def list_drafts(conn: sqlite3.Connection) -> list[tuple[str, str, str]]:
    """Every draft as (key, text, updated), newest first."""
    return conn.execute(
        "SELECT key, text, updated_at FROM note_drafts ORDER BY updated_at DESC"
    ).fetchall()


def drop_draft(conn: sqlite3.Connection, key: str) -> None:
    """Forget the draft under ``key`` (the note was saved or abandoned)."""
    conn.execute("DELETE FROM note_drafts WHERE key = ?", (key,))


# -- search ------------------------------------------------------------------------------
def matching_note_articles(
    conn: sqlite3.Connection, match: str, limit: int = 200
) -> list[tuple[int, int, str]]:
    """Articles whose notes match an FTS5 expression, as (article, note, snippet), best first.

    The snippet marks hits with ``\\x02``/``\\x03`` like article search snippets.
    """
    rows = conn.execute(
        "SELECT n.article_id, n.id, "
        "snippet(notes_fts, -1, char(2), char(3), '…', 24) "
        "FROM notes_fts JOIN notes n ON n.id = notes_fts.rowid "
        "WHERE notes_fts MATCH ? AND n.article_id IS NOT NULL ORDER BY rank LIMIT ?",
        (match, limit),
    ).fetchall()
    seen: set[int] = set()
    found = []
    for article_id, note_id, snippet in rows:
        if article_id not in seen:
            seen.add(article_id)
            found.append((article_id, note_id, snippet))
    return found


def tag_names(conn: sqlite3.Connection, article_id: int) -> list[str]:
    """An article's tags, by name."""
    return [
        name
        for (name,) in conn.execute(
            "SELECT t.name FROM tags t JOIN article_tags at ON at.tag_id = t.id "
            "WHERE at.article_id = ? ORDER BY t.name COLLATE NOCASE",
            (article_id,),
        )
    ]


def add_tags(conn: sqlite3.Connection, article_id: int, names: Iterable[str]) -> None:
    """Tag an article, creating tags as needed (names are case-insensitive)."""
    for name in clean_tags(names):
        conn.execute("INSERT OR IGNORE INTO tags (name) VALUES (?)", (name,))
        conn.execute(
            "INSERT OR IGNORE INTO article_tags (article_id, tag_id) "
            "SELECT ?, id FROM tags WHERE name = ?",
            (article_id, name),
        )


def clean_tags(names: Iterable[str]) -> list[str]:
    """Tag names with white space folded, empty ones dropped, each once."""
    seen: dict[str, str] = {}
    for name in names:
        folded = " ".join(name.split()).lstrip("#")
        if folded and folded.casefold() not in seen:
            seen[folded.casefold()] = folded
    return list(seen.values())


def health(conn: sqlite3.Connection) -> dict[str, int]:
    """Counts a user should know about: ``orphaned`` notes and ``detached`` ones.

    Detached notes belong to deleted articles; neither kind is a fault, both are kept.
    """
    orphaned, detached = conn.execute(
        "SELECT count(*) FILTER (WHERE orphaned), count(*) FILTER (WHERE article_id IS NULL) "
        "FROM notes"
    ).fetchone()
    return {"orphaned": orphaned, "detached": detached}
