"""The library: schema, migrations, the full-text index, dedup and annotations."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from store import migrations
from store.library import PAGE_SIZE, AnnotationsExist, Library, LibraryError
from tests.conftest import draft


def fts_ids(library: Library, word: str) -> list[int]:
    rows = library.conn.execute(
        "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? ORDER BY rowid", (word,)
    )
    return [r[0] for r in rows]


def test_new_file_is_created_with_folders_wal_and_latest_schema(db_path: Path) -> None:
    with Library(db_path) as library:
        assert db_path.exists()
        assert library.version == migrations.LATEST
        assert library.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert library.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert library.conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000
        assert library.backup_path is None


def test_a_new_file_gets_the_small_page_size_and_an_old_file_keeps_its_own(
    db_path: Path, tmp_path: Path
) -> None:
    with Library(db_path) as library:
        library.store([draft("Small pages", "Body " * 2000)])
        assert library.conn.execute("PRAGMA page_size").fetchone()[0] == PAGE_SIZE
        assert library.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    # A library made with 4 KiB pages (every release before) is read and migrated as is.
    old = tmp_path / "old.db"
    conn = sqlite3.connect(old)
    conn.execute("PRAGMA page_size = 4096")
    migrations.apply(conn, until=4)
    conn.close()
    with Library(old) as library:
        assert library.version == migrations.LATEST
        assert library.conn.execute("PRAGMA page_size").fetchone()[0] == 4096
        library.store([draft("Old pages", "Body")])
        assert fts_ids(library, "old") == [1]


def test_migration_of_an_existing_file_makes_a_backup_first(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Library(db_path) as library:
        library.store([draft("Kept", "Kept body")])
    extra = lambda: "CREATE TABLE extra (x);"  # noqa: E731
    monkeypatch.setattr(migrations, "MIGRATIONS", [*migrations.MIGRATIONS, extra])
    with Library(db_path) as library:
        assert library.version == len(migrations.MIGRATIONS)
        assert library.backup_path and Path(library.backup_path).exists()
        backup = sqlite3.connect(library.backup_path)
        assert backup.execute("PRAGMA user_version").fetchone()[0] == len(migrations.MIGRATIONS) - 1
        assert backup.execute("SELECT title FROM articles").fetchall() == [("Kept",)]


def test_a_failing_migration_leaves_the_file_at_its_old_version(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    Library(db_path).close()
    broken = lambda: "CREATE TABLE half (x); SELECT * FROM no_such_table;"  # noqa: E731
    monkeypatch.setattr(migrations, "MIGRATIONS", [*migrations.MIGRATIONS, broken])
    with pytest.raises(sqlite3.OperationalError):
        Library(db_path)
    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == migrations.LATEST
    assert conn.execute("SELECT name FROM sqlite_master WHERE name = 'half'").fetchone() is None


def test_a_file_that_is_not_a_database_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "notes.db"
    bad.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(LibraryError, match="not a Margin library"):
        Library(bad)


def test_store_derives_text_words_and_hash(library: Library) -> None:
    [result] = library.store([draft("Title", "Hello **world**, again.\n\n- one\n- two")])
    article = library.get(result.id)
    assert article is not None
    assert article.body_text == "Hello world, again.\n\none\n\ntwo"
    assert article.word_count == 5
    assert len(article.content_hash) == 32
    assert article.body_markdown.startswith("Hello **world**")


def test_index_follows_insert_update_and_delete(library: Library) -> None:
    [first] = library.store([draft("Alpha", "apples and pears", url="https://a.example/1")])
    assert fts_ids(library, "apples") == [first.id]
    library.store([draft("Alpha", "bananas only", url="https://a.example/1")])
    assert fts_ids(library, "apples") == []
    assert fts_ids(library, "bananas") == [first.id]
    # Title and body changing together keep the index exact.
    library.store([draft("Cherry", "plums now", url="https://a.example/1", author="Ann")])
    assert fts_ids(library, "alpha") == fts_ids(library, "bananas") == []
    assert fts_ids(library, "cherry") == fts_ids(library, "plums") == fts_ids(library, "ann")
    assert library.check() == []
    library.delete(first.id)
    assert fts_ids(library, "plums") == fts_ids(library, "cherry") == []
    assert library.check() == []


def test_bodies_stay_out_of_the_article_rows(library: Library) -> None:
    columns = {row[1] for row in library.conn.execute("PRAGMA table_info(articles)")}
    assert "body_text" not in columns and "body_markdown" not in columns
    [a] = library.store([draft("T", "body words")])
    library.delete(a.id)
    assert library.conn.execute("SELECT count(*) FROM article_bodies").fetchone()[0] == 0


def test_library_sorts_use_their_indexes(library: Library) -> None:
    for sort in ("date", "title", "source", "imported"):
        sql = (
            "EXPLAIN QUERY PLAN SELECT a.id FROM articles a LEFT JOIN reading_positions p "
            f"ON p.article_id = a.id ORDER BY {library_order(sort)} LIMIT 10"
        )
        plan = " ".join(str(row[-1]) for row in library.conn.execute(sql))
        assert "USE TEMP B-TREE" not in plan, (sort, plan)


def library_order(sort: str) -> str:
    from store.library import _ORDER_BY

    return _ORDER_BY[sort]  # type: ignore[index]


def test_title_author_source_section_are_indexed(library: Library) -> None:
    [a] = library.store([draft("Zebra", "x", author="Quentin", source="Daily", section="Wildlife")])
    for word in ("zebra", "quentin", "daily", "wildlife"):
        assert fts_ids(library, word) == [a.id]


def test_same_url_updates_in_place_and_keeps_the_id(library: Library) -> None:
    [a] = library.store([draft("T", "one", url="https://Example.com/story?utm_source=x#top")])
    [b] = library.store([draft("T", "two", url="https://example.com/story")])
    assert (a.outcome, b.outcome, b.id) == ("added", "updated", a.id)
    assert library.count() == 1


def test_same_content_is_a_duplicate_with_the_same_id(library: Library) -> None:
    [a] = library.store([draft("T", "Same words here.")])
    [b] = library.store([draft("T", "Same   words\nhere.")])
    assert b.outcome == "duplicate" and b.id == a.id


def test_same_origin_and_title_updates_an_edited_article(library: Library) -> None:
    [a] = library.store([draft("Story", "first version", origin="/tmp/page.txt")])
    [b] = library.store([draft("Story", "second version", origin="/tmp/page.txt")])
    assert b.outcome == "updated" and b.id == a.id
    assert library.get(a.id).body_text == "second version"  # type: ignore[union-attr]


def test_different_urls_with_the_same_text_stay_apart(library: Library) -> None:
    [a] = library.store([draft("T", "text", url="https://a.example/x")])
    [b] = library.store([draft("T", "text", url="https://b.example/x")])
    assert a.id != b.id and b.outcome == "added"


def test_reimport_keeps_known_metadata(library: Library) -> None:
    [a] = library.store([draft("T", "body", author="Ann", url="https://a.example/x")])
    library.store([draft("T", "body changed", url="https://a.example/x")])
    assert library.get(a.id).author == "Ann"  # type: ignore[union-attr]


def test_delete_refuses_when_notes_exist_and_keeps_them_detached(library: Library) -> None:
    [a] = library.store([draft("Noted", "text", url="https://n.example/")])
    library.conn.execute(
        "INSERT INTO notes (article_id, article_title, article_url, quote, body, created_at, "
        "updated_at) VALUES (?, 'Noted', 'https://n.example/', 'text', 'my note', 'now', 'now')",
        (a.id,),
    )
    with pytest.raises(AnnotationsExist):
        library.delete(a.id)
    assert library.get(a.id) is not None
    library.delete(a.id, keep_annotations=True)
    assert library.get(a.id) is None
    note = library.conn.execute("SELECT article_id, article_title, body FROM notes").fetchone()
    assert note == (None, "Noted", "my note")


def test_reading_position_round_trip_and_finished_sticks(library: Library) -> None:
    [a] = library.store([draft()])
    assert library.position(a.id) is None
    library.save_position(a.id, 3, 10, 0.5)
    library.save_position(a.id, 9, 0, 1.0, finished=True)
    library.save_position(a.id, 1, 0, 0.1)
    position = library.position(a.id)
    assert position is not None
    assert (position.paragraph, position.finished) == (1, True)
    assert library.count(unread=True) == 0


def test_tags_filters_and_sorting(library: Library) -> None:
    results = library.store(
        [
            draft("Banana", "b", source="S1", published="2021-01-02", tags=["fruit"]),
            draft("apple", "a", source="S2", published="2022-01-01"),
            draft("Cherry", "c", source="S1", published="2020-05-05", kind="excerpt"),
        ]
    )
    assert [s.title for s in library.summaries(sort="title")] == ["apple", "Banana", "Cherry"]
    assert [s.title for s in library.summaries(sort="date")] == ["apple", "Banana", "Cherry"]
    assert [s.title for s in library.summaries(tag="fruit")] == ["Banana"]
    assert [s.title for s in library.summaries(kind="excerpt")] == ["Cherry"]
    assert library.count(source="s1") == 2
    assert [s.title for s in library.summaries(text="an")] == ["Banana"]
    assert library.tags() == [("fruit", 1)]
    library.add_tags(results[1].id, ["Fruit", "red"])
    assert library.tags() == [("fruit", 2), ("red", 1)]
    assert library.facets("source") == [("S1", 2), ("S2", 1)]


def test_doctor_finds_a_stale_index_and_rebuild_fixes_it(library: Library) -> None:
    [a] = library.store([draft("T", "original words")])
    library.conn.execute("DROP TRIGGER article_bodies_au")
    library.conn.execute(
        "UPDATE article_bodies SET body_text = 'changed behind the index' WHERE article_id = ?",
        (a.id,),
    )
    assert any("full-text index" in p for p in library.check())
    assert library.check(rebuild=True) == []


def test_search_ranks_title_above_body(library: Library) -> None:
    library.store(
        [
            draft("Unrelated", "etim etim etim is mentioned in the body " * 3),
            draft("About ETIM", "a short body"),
        ]
    )
    assert [hit.title for hit in library.search("etim")][0] == "About ETIM"


def test_search_never_passes_syntax_to_fts(library: Library) -> None:
    library.store([draft("T", "body")])
    for query in ['"unbalanced', "NEAR(", "a OR", "title:", "*", "-", "))", "x" * 10_000]:
        library.search(query)


def test_original_is_stored_compressed_and_returned(library: Library) -> None:
    [a] = library.store([draft(original=b"<html>page</html>", original_type="text/html")])
    assert library.original(a.id) == (b"<html>page</html>", "text/html")
    assert library.ids_with_originals() == [a.id]


def test_last_read_sort_pages_through_opened_then_the_rest(library: Library) -> None:
    results = library.store(
        [draft(f"A{i}", f"body {i}", published=f"2020-01-{i + 1:02d}") for i in range(6)]
    )
    ids = [r.id for r in results]
    library.save_position(ids[1], 0, 0, 0.1)
    library.save_position(ids[4], 0, 0, 0.1)
    library.conn.execute(
        "UPDATE reading_positions SET updated_at = '2030' WHERE article_id = ?", (ids[1],)
    )
    whole = [s.id for s in library.summaries(sort="read", limit=10)]
    assert whole[:2] == [ids[1], ids[4]]
    assert whole[2:] == [ids[5], ids[3], ids[2], ids[0]]
    paged = [
        s.id for k in range(0, 6, 2) for s in library.summaries(sort="read", offset=k, limit=2)
    ]
    assert paged == whole
    assert [s.id for s in library.summaries(sort="read", limit=10, text="A4")] == [ids[4]]


def test_replace_keeps_the_id_and_reindexes(library: Library) -> None:
    [a] = library.store([draft("Old title", "old words", url="https://r.example/")])
    result = library.replace(a.id, draft("New title", "new words", author="Bea"))
    article = library.get(a.id)
    assert result.outcome == "updated" and article is not None
    assert (article.title, article.author, article.url) == (
        "New title",
        "Bea",
        "https://r.example/",
    )
    assert fts_ids(library, "new") == [a.id] and fts_ids(library, "old") == []
    again = library.replace(a.id, draft("New title", "new words"))
    assert again.outcome == "duplicate"
    assert library.check() == []


def test_another_programs_database_is_left_alone(tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE bookmarks_of_some_browser (url TEXT)")
    conn.commit()
    conn.close()
    with pytest.raises(LibraryError, match="holds other tables"):
        Library(other)
    untouched = sqlite3.connect(other)
    names = [r[0] for r in untouched.execute("SELECT name FROM sqlite_master")]
    assert names == ["bookmarks_of_some_browser"]
    assert untouched.execute("PRAGMA journal_mode").fetchone()[0] == "delete"


def test_reads_do_not_wait_behind_a_write_in_progress(tmp_path) -> None:
    import threading
    import time

    from tests.conftest import draft

    library = Library(tmp_path / "lib.db")
    (stored,) = library.store([draft("Before", "The committed text.")])
    writing = threading.Event()

    def long_write() -> None:
        with library._transaction():
            library.conn.execute("UPDATE articles SET title = 'During' WHERE id = ?", (stored.id,))
            writing.set()
            time.sleep(1.0)

    writer = threading.Thread(target=long_write)
    writer.start()
    writing.wait(5)
    started = time.perf_counter()
    article = library.get(stored.id)
    waited = time.perf_counter() - started
    writer.join()
    assert article is not None and article.title == "Before"  # the last committed state
    assert waited < 0.5, waited
    assert library.get(stored.id).title == "During"  # committed now
    library.close()
