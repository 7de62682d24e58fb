"""Migration 9: articles whose plain text changed with footnotes, task lists and ``<br>``."""

from __future__ import annotations

from pathlib import Path

import pytest

from store import migrations
from store.document import markdown_to_text
from store.library import Library
from store.prepare import prepare, unpack_markdown
from tests.conftest import draft

MARKDOWN = (
    "Intro text[^1] and more.\n\n"
    "- [ ] a task to do\n- [x] a task done\n\n"
    "line one<br>line two\n\n"
    "After the footnote come the words we highlighted, and then some.\n\n"
    "[^1]: The footnote text.\n"
)
OLD_TEXT = (
    "Intro text[^1] and more.\n\n[ ] a task to do\n\n[x] a task done\n\n"
    "line one<br>line two\n\n"
    "After the footnote come the words we highlighted, and then some.\n\n"
    "[^1]: The footnote text."
)
"""What the parser before migration 9 made of ``MARKDOWN`` (as stored then)."""
PLAIN = "No footnotes here, just words we highlighted."


def _number() -> int:
    return next(
        n
        for n, m in enumerate(migrations.MIGRATIONS, start=1)
        if isinstance(m, migrations.DataMigration) and m.run is migrations._v9_rederive_text
    )


@pytest.fixture
def old_library(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, int, int]:
    """A library at the version before migration 9 holding the old plain text and notes."""
    number = _number()
    before = migrations.MIGRATIONS[: number - 1]
    with monkeypatch.context() as patch:
        patch.setattr(migrations, "MIGRATIONS", before)
        with Library(db_path) as library:
            old = prepare(draft("Footnoted", MARKDOWN), text=OLD_TEXT)
            article_id = library.store([old])[0].id
            plain_id = library.store([draft("Plain", PLAIN)])[0].id
            start = OLD_TEXT.index("words we highlighted")
            library.add_note(article_id, start, start + len("words we highlighted"), body="mine")
            library.add_note(article_id, 0, len("Intro"), body="first word")
            library.add_bookmark(article_id, offset=OLD_TEXT.index("After the footnote"))
            library.add_note(plain_id, PLAIN.index("words"), len(PLAIN) - 1, body="untouched")
            assert library.version == number - 1
    return db_path, article_id, plain_id


def test_the_old_text_really_differs_from_the_new(old_library: tuple[Path, int, int]) -> None:
    new = markdown_to_text(MARKDOWN)
    assert new != OLD_TEXT
    assert OLD_TEXT.index("words we highlighted") != new.index("words we highlighted")


def test_notes_after_a_footnote_stay_on_the_same_words(old_library: tuple[Path, int, int]) -> None:
    db_path, article_id, plain_id = old_library
    with Library(db_path) as library:
        assert library.version >= _number()
        text = library.conn.execute(
            "SELECT body_text, body_markdown FROM article_bodies WHERE article_id = ?",
            (article_id,),
        ).fetchone()
        assert text[0] == markdown_to_text(MARKDOWN)
        assert unpack_markdown(text[1], text[0]) == MARKDOWN
        notes = {note.body: note for note in library.notes(article_id)}
        assert set(notes) == {"mine", "first word"}
        for note in notes.values():
            assert note.state != "orphaned"
            assert text[0][note.start : note.end] == note.quote
        assert notes["mine"].quote == "words we highlighted"
        assert notes["first word"].quote == "Intro"
        (mark,) = [b for b in library.bookmarks(article_id) if b.offset is not None]
        assert text[0][mark.offset :].startswith("After the footnote")
        # The index follows: the footnote reads [1] now.
        hits = library.conn.execute(
            "SELECT rowid FROM articles_fts WHERE articles_fts MATCH 'footnote'"
        ).fetchall()
        assert (article_id,) in hits
        (other,) = library.notes(plain_id)
        assert (other.start, other.end, other.quote) == (
            PLAIN.index("words"),
            len(PLAIN) - 1,
            PLAIN[PLAIN.index("words") : -1],
        )


def test_a_fresh_library_stores_the_new_text(db_path: Path) -> None:
    with Library(db_path) as library:
        article_id = library.store([draft("Footnoted", MARKDOWN)])[0].id
        row = library.conn.execute(
            "SELECT body_text FROM article_bodies WHERE article_id = ?", (article_id,)
        ).fetchone()
        assert row[0] == markdown_to_text(MARKDOWN)
