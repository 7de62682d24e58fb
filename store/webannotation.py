"""Notes and bookmarks as W3C Web Annotations, out and back in.

Export writes one annotation per note or bookmark: ``target.source`` is the
article's URL, ``TextQuoteSelector`` holds the quote with its context and
``TextPositionSelector`` the code-point offsets into the article's plain text (as
``margin show ID --format text`` prints it). Import finds each article by that URL,
anchors every annotation from its selectors and keeps its ``id`` as the note's
``external_id``, so export → import → export gives the same JSON.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from typing import Any

from .annotations import (
    AnnotationError,
    add_bookmark,
    add_note_by_quote,
    add_tags,
    find_note_by_external_id,
    get_note,
    list_bookmarks,
    notes_for_export,
)
from .models import COLORS, Bookmark, Note
from .urls import canonical_url

CONTEXT_URL = "http://www.w3.org/ns/anno.jsonld"
NOTE_ID = "urn:margin:note:"
BOOKMARK_ID = "urn:margin:bookmark:"
HASH_SOURCE = "urn:margin:article:"
"""A source for articles without a URL: their content hash follows."""


def _sources(conn: sqlite3.Connection) -> dict[int, str]:
    return {
        article_id: url or f"{HASH_SOURCE}{content_hash}"
        for article_id, url, content_hash in conn.execute(
            "SELECT id, url, content_hash FROM articles WHERE id IN "
            "(SELECT article_id FROM notes UNION SELECT article_id FROM bookmarks)"
        )
    }


def _source(sources: dict[int, str], article_id: int | None, url: str | None) -> str:
    if article_id is not None and article_id in sources:
        return sources[article_id]
    return url or f"{HASH_SOURCE}detached"


def note_annotation(note: Note, source: str) -> dict[str, Any]:
    """One note or highlight as a W3C Web Annotation."""
    body: list[dict[str, Any]] = []
    if note.body:
        body.append(
            {
                "type": "TextualBody",
                "value": note.body,
                "format": "text/markdown",
                "purpose": "commenting",
            }
        )
    body.extend({"type": "TextualBody", "value": tag, "purpose": "tagging"} for tag in note.tags)
    selector: list[dict[str, Any]] = [
        {
            "type": "TextQuoteSelector",
            "exact": note.quote,
            "prefix": note.prefix,
            "suffix": note.suffix,
        }
    ]
    if note.start is not None and note.end is not None:
        selector.append({"type": "TextPositionSelector", "start": note.start, "end": note.end})
    annotation: dict[str, Any] = {
        "@context": CONTEXT_URL,
        "id": note.external_id or f"{NOTE_ID}{note.id}",
        "type": "Annotation",
        "motivation": "commenting" if note.body else "highlighting",
        "created": note.created,
        "modified": note.updated,
        "target": {"source": source, "selector": selector, "styleClass": note.color},
    }
    if body:
        annotation["body"] = body
    return annotation


def bookmark_annotation(bookmark: Bookmark, source: str) -> dict[str, Any]:
    """One bookmark as a W3C Web Annotation (motivation ``bookmarking``)."""
    target: dict[str, Any] = {"source": source}
    if bookmark.offset is not None:
        target["selector"] = [
            {"type": "TextQuoteSelector", "exact": bookmark.quote, "prefix": "", "suffix": ""},
            {
                "type": "TextPositionSelector",
                "start": bookmark.offset,
                "end": bookmark.offset + len(bookmark.quote),
            },
        ]
    annotation: dict[str, Any] = {
        "@context": CONTEXT_URL,
        "id": bookmark.external_id or f"{BOOKMARK_ID}{bookmark.id}",
        "type": "Annotation",
        "motivation": "bookmarking",
        "created": bookmark.created,
        "target": target,
    }
    if bookmark.label:
        annotation["body"] = [{"type": "TextualBody", "value": bookmark.label}]
    return annotation


def export_all(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """Every note, then every bookmark, oldest first, as W3C Web Annotations."""
    sources = _sources(conn)
    items = [
        note_annotation(note, _source(sources, note.article_id, note.article_url))
        for note in notes_for_export(conn)
    ]
    marks = sorted(list_bookmarks(conn), key=lambda b: (b.created, b.id))
    items.extend(
        bookmark_annotation(mark, _source(sources, mark.article_id, mark.article_url))
        for mark in marks
    )
    return items


# -- import ------------------------------------------------------------------------------
def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _target(annotation: dict[str, Any]) -> tuple[str | None, dict[str, Any]]:
    """The target's source and its selectors by type."""
    for target in _as_list(annotation.get("target")):
        if isinstance(target, str):
            return target, {}
        if isinstance(target, dict) and target.get("source"):
            found: dict[str, Any] = {"styleClass": target.get("styleClass")}
            for selector in _as_list(target.get("selector")):
                if isinstance(selector, dict) and selector.get("type"):
                    found.setdefault(selector["type"], selector)
                    for refined in _as_list(selector.get("refinedBy")):
                        if isinstance(refined, dict) and refined.get("type"):
                            found.setdefault(refined["type"], refined)
            return str(target["source"]), found
    return None, {}


def _bodies(annotation: dict[str, Any]) -> tuple[str, list[str]]:
    """The note text and the tags an annotation's bodies carry."""
    texts: list[str] = []
    tags: list[str] = []
    if isinstance(annotation.get("bodyValue"), str):
        texts.append(annotation["bodyValue"])
    for body in _as_list(annotation.get("body")):
        if isinstance(body, str):
            texts.append(body)
        elif isinstance(body, dict) and isinstance(body.get("value"), str):
            (tags if body.get("purpose") == "tagging" else texts).append(body["value"])
    return "\n\n".join(t for t in texts if t.strip()), tags


def _article_for(conn: sqlite3.Connection, source: str) -> int | None:
    if source.startswith(HASH_SOURCE):
        row = conn.execute(
            "SELECT id FROM articles WHERE content_hash = ? ORDER BY id LIMIT 1",
            (source[len(HASH_SOURCE) :],),
        ).fetchone()
    else:
        row = conn.execute(
            "SELECT id FROM articles WHERE url = ? OR url = ? ORDER BY id LIMIT 1",
            (canonical_url(source), source),
        ).fetchone()
    return row[0] if row else None


def _offset(selector: dict[str, Any] | None, key: str) -> int | None:
    value = (selector or {}).get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def _own_note(conn: sqlite3.Connection, ident: str, article_id: int) -> Note | None:
    """The note this annotation already is: imported with that id, or exported from here."""
    note = find_note_by_external_id(conn, ident)
    if note is None and ident.startswith(NOTE_ID) and ident[len(NOTE_ID) :].isdigit():
        note = get_note(conn, int(ident[len(NOTE_ID) :]))
        if note is not None and (note.article_id != article_id or note.external_id):
            note = None
    return note


def import_all(conn: sqlite3.Connection, items: Iterable[Any], *, stamp: str) -> dict[str, Any]:
    """Anchor every annotation on its article; see ``Library.import_annotations``."""
    report: dict[str, Any] = {
        "imported": 0,
        "anchored": 0,
        "orphaned": 0,
        "bookmarks": 0,
        "unchanged": 0,
        "skipped": [],
    }
    for number, item in enumerate(items, start=1):
        ident = str(item.get("id") or "") if isinstance(item, dict) else ""

        def skip(reason: str, ident: str = ident, number: int = number) -> None:
            report["skipped"].append({"id": ident or f"#{number}", "reason": reason})

        if not isinstance(item, dict):
            skip("not an annotation object")
            continue
        source, selectors = _target(item)
        if not source:
            skip("no target source (the article's URL)")
            continue
        article_id = _article_for(conn, source)
        if article_id is None:
            skip(f"no article with URL {source}; import the article first")
            continue
        text, tags = _bodies(item)
        created = item.get("created") if isinstance(item.get("created"), str) else None
        modified = item.get("modified") if isinstance(item.get("modified"), str) else None
        quote = selectors.get("TextQuoteSelector") or {}
        position = selectors.get("TextPositionSelector")
        try:
            if item.get("motivation") == "bookmarking":
                if ident and _bookmark_exists(conn, ident, article_id):
                    report["unchanged"] += 1
                    continue
                add_bookmark(
                    conn,
                    article_id,
                    offset=_offset(position, "start"),
                    label=text,
                    stamp=created or stamp,
                    external_id=ident or None,
                )
                report["bookmarks"] += 1
                continue
            if ident and _own_note(conn, ident, article_id) is not None:
                report["unchanged"] += 1
                continue
            exact = quote.get("exact") if isinstance(quote.get("exact"), str) else ""
            color = selectors.get("styleClass")
            note = add_note_by_quote(
                conn,
                article_id,
                exact,
                prefix=quote.get("prefix") if isinstance(quote.get("prefix"), str) else "",
                suffix=quote.get("suffix") if isinstance(quote.get("suffix"), str) else "",
                start=_offset(position, "start"),
                end=_offset(position, "end"),
                body=text,
                color=color if color in COLORS else None,
                external_id=ident or None,
                stamp=stamp,
                created=created,
                updated=modified,
            )
        except AnnotationError as error:
            skip(str(error))
            continue
        add_tags(conn, article_id, tags)
        report["imported"] += 1
        report["anchored" if note.state == "anchored" else "orphaned"] += 1
    return report


def _bookmark_exists(conn: sqlite3.Connection, ident: str, article_id: int) -> bool:
    if conn.execute("SELECT 1 FROM bookmarks WHERE external_id = ?", (ident,)).fetchone():
        return True
    if ident.startswith(BOOKMARK_ID) and ident[len(BOOKMARK_ID) :].isdigit():
        row = conn.execute(
            "SELECT article_id, external_id FROM bookmarks WHERE id = ?",
            (int(ident[len(BOOKMARK_ID) :]),),
        ).fetchone()
        return bool(row) and row[0] == article_id and row[1] is None
    return False
