"""Numbered schema migrations, recorded in ``PRAGMA user_version``.

Append new migrations to ``MIGRATIONS``; never edit one that has shipped. Before
any migration runs on a file that already holds data, the library makes a backup
copy beside it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime

FTS_TOKENIZE = "porter unicode61 remove_diacritics 2"
FTS_COLUMNS = ("title", "author", "source", "section", "body_text")
"""Indexed columns, in order; bm25 weights in ``store.search`` follow this order."""


def _v1_initial() -> str:
    """Articles with their full-text index, and the tables annotations hang on.

    Bodies live in their own table: the article rows stay narrow, so listing,
    sorting and filtering 100k of them never reads a body. The full-text index
    reads its content through the ``article_texts`` view that joins the two.
    """
    fts = ", ".join(FTS_COLUMNS)
    meta = "title, author, source, section"
    return f"""
        CREATE TABLE articles (
            id INTEGER PRIMARY KEY,
            title TEXT NOT NULL,
            author TEXT,
            source TEXT,
            section TEXT,
            url TEXT,
            published TEXT,
            language TEXT,
            description TEXT,
            word_count INTEGER NOT NULL,
            content_hash TEXT NOT NULL,
            kind TEXT NOT NULL DEFAULT 'article' CHECK (kind IN ('article', 'excerpt')),
            imported_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            origin TEXT
        );
        CREATE UNIQUE INDEX articles_url ON articles(url) WHERE url IS NOT NULL;
        CREATE INDEX articles_hash ON articles(content_hash);
        CREATE INDEX articles_origin_title ON articles(origin, title);
        CREATE INDEX articles_section ON articles(section COLLATE NOCASE);
        -- One index per sort order of the library list, matching its ORDER BY.
        CREATE INDEX articles_by_date ON articles(coalesce(published, imported_at) DESC, id DESC);
        CREATE INDEX articles_by_title ON articles(title COLLATE NOCASE, id);
        CREATE INDEX articles_by_source
            ON articles(source COLLATE NOCASE, coalesce(published, imported_at) DESC, id);
        CREATE INDEX articles_by_imported ON articles(imported_at DESC, id DESC);

        CREATE TABLE article_bodies (
            article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
            body_text TEXT NOT NULL,
            body_markdown BLOB NOT NULL  -- packed against body_text: see store.prepare
        );
        CREATE VIEW article_texts AS
            SELECT a.id AS id, a.title AS title, a.author AS author, a.source AS source,
                   a.section AS section, b.body_text AS body_text
            FROM articles a JOIN article_bodies b ON b.article_id = a.id;

        CREATE VIRTUAL TABLE articles_fts USING fts5(
            {fts},
            content='article_texts', content_rowid='id',
            tokenize='{FTS_TOKENIZE}'
        );
        -- The article row is written first, its body second: index on the body.
        -- Every 'delete' passes exactly the values that were indexed, as external
        -- content tables require; doctor's integrity check proves it.
        CREATE TRIGGER article_bodies_ai AFTER INSERT ON article_bodies BEGIN
            INSERT INTO articles_fts(rowid, {fts})
            SELECT a.id, {", ".join("a." + c for c in ("title", "author", "source", "section"))},
                   new.body_text
            FROM articles a WHERE a.id = new.article_id;
        END;
        CREATE TRIGGER article_bodies_au AFTER UPDATE OF body_text ON article_bodies BEGIN
            INSERT INTO articles_fts(articles_fts, rowid, {fts})
            SELECT 'delete', a.id, a.title, a.author, a.source, a.section, old.body_text
            FROM articles a WHERE a.id = old.article_id;
            INSERT INTO articles_fts(rowid, {fts})
            SELECT a.id, a.title, a.author, a.source, a.section, new.body_text
            FROM articles a WHERE a.id = new.article_id;
        END;
        CREATE TRIGGER article_bodies_ad AFTER DELETE ON article_bodies
        WHEN EXISTS (SELECT 1 FROM articles WHERE id = old.article_id) BEGIN
            INSERT INTO articles_fts(articles_fts, rowid, {fts})
            SELECT 'delete', a.id, a.title, a.author, a.source, a.section, old.body_text
            FROM articles a WHERE a.id = old.article_id;
        END;
        CREATE TRIGGER articles_au AFTER UPDATE OF {meta} ON articles BEGIN
            INSERT INTO articles_fts(articles_fts, rowid, {fts})
            SELECT 'delete', old.id, old.title, old.author, old.source, old.section, b.body_text
            FROM article_bodies b WHERE b.article_id = old.id;
            INSERT INTO articles_fts(rowid, {fts})
            SELECT new.id, new.title, new.author, new.source, new.section, b.body_text
            FROM article_bodies b WHERE b.article_id = new.id;
        END;
        CREATE TRIGGER articles_bd BEFORE DELETE ON articles BEGIN
            INSERT INTO articles_fts(articles_fts, rowid, {fts})
            SELECT 'delete', old.id, old.title, old.author, old.source, old.section, b.body_text
            FROM article_bodies b WHERE b.article_id = old.id;
        END;

        -- The original source (e.g. fetched HTML), compressed, for re-extraction.
        CREATE TABLE originals (
            article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
            media_type TEXT,
            data BLOB NOT NULL,
            stored_at TEXT NOT NULL
        );

        CREATE TABLE tags (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE COLLATE NOCASE
        );
        CREATE TABLE article_tags (
            article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            tag_id INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
            PRIMARY KEY (article_id, tag_id)
        ) WITHOUT ROWID;
        CREATE INDEX article_tags_tag ON article_tags(tag_id);

        -- Annotations outlive their article: deleting one sets article_id to NULL and
        -- the copied title/url keep them readable and exportable.
        CREATE TABLE bookmarks (
            id INTEGER PRIMARY KEY,
            article_id INTEGER REFERENCES articles(id) ON DELETE SET NULL,
            article_title TEXT NOT NULL,
            article_url TEXT,
            paragraph INTEGER,          -- NULL: the whole article
            char_offset INTEGER,
            label TEXT,
            created_at TEXT NOT NULL
        );
        CREATE INDEX bookmarks_article ON bookmarks(article_id);
        CREATE TABLE notes (
            id INTEGER PRIMARY KEY,
            article_id INTEGER REFERENCES articles(id) ON DELETE SET NULL,
            article_title TEXT NOT NULL,
            article_url TEXT,
            quote TEXT,                 -- text-quote selector: exact, prefix, suffix
            prefix TEXT,
            suffix TEXT,
            paragraph INTEGER,          -- position selector: block index and offsets
            start_offset INTEGER,
            end_offset INTEGER,
            body TEXT NOT NULL DEFAULT '',
            color TEXT,
            orphaned INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX notes_article ON notes(article_id);

        CREATE TABLE reading_positions (
            article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
            paragraph INTEGER NOT NULL DEFAULT 0,
            char_offset INTEGER NOT NULL DEFAULT 0,
            progress REAL NOT NULL DEFAULT 0,
            finished_at TEXT,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX reading_positions_by_time ON reading_positions(updated_at DESC);

        CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT);
        """


def _v2_search() -> str:
    """Search support (issue 6): a vocabulary copy and a trigram index of titles.

    ``search_vocab`` is a copy of the index's vocabulary (term, document count)
    for the query planner and typo correction; reading it from ``fts5vocab`` takes
    seconds on a big library, so it is filled once here and then kept current
    from ``search_vocab_pending``, which triggers fill (``store.vocabulary``).
    ``titles_tri`` is a trigram index over titles only (17 MiB at 100k articles,
    where one over bodies would be 4x the text) for substring search.
    """
    return f"""
        CREATE TABLE search_state (key TEXT PRIMARY KEY, value) WITHOUT ROWID;
        CREATE TABLE search_vocab (
            term TEXT PRIMARY KEY,
            doc INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE search_vocab_pending (article_id INTEGER PRIMARY KEY);
        CREATE TRIGGER search_vocab_ai AFTER INSERT ON articles BEGIN
            INSERT OR IGNORE INTO search_vocab_pending (article_id) VALUES (new.id);
        END;
        CREATE TRIGGER search_vocab_au AFTER UPDATE OF title, author, source, section
            ON articles BEGIN
            INSERT OR IGNORE INTO search_vocab_pending (article_id) VALUES (new.id);
        END;
        CREATE TRIGGER search_vocab_body_au AFTER UPDATE OF body_text ON article_bodies BEGIN
            INSERT OR IGNORE INTO search_vocab_pending (article_id) VALUES (new.article_id);
        END;
        CREATE TRIGGER search_vocab_ad AFTER DELETE ON articles BEGIN
            DELETE FROM search_vocab_pending WHERE article_id = old.id;
        END;
        CREATE VIRTUAL TABLE temp.migration_vocab USING fts5vocab(main, articles_fts, row);
        INSERT INTO search_vocab (term, doc) SELECT term, doc FROM temp.migration_vocab;
        DROP TABLE temp.migration_vocab;
        INSERT INTO search_state (key, value) VALUES ('vocab_generation', random());

        {_title_index("titles_tri", "tokenize='trigram case_sensitive 0'")}
        """


def _title_index(name: str, options: str) -> str:
    """An FTS5 index over article titles only, kept in sync by triggers, then filled."""
    return f"""
        CREATE VIRTUAL TABLE {name} USING fts5(
            title, content='articles', content_rowid='id', {options}
        );
        CREATE TRIGGER {name}_ai AFTER INSERT ON articles BEGIN
            INSERT INTO {name}(rowid, title) VALUES (new.id, new.title);
        END;
        CREATE TRIGGER {name}_ad AFTER DELETE ON articles BEGIN
            INSERT INTO {name}({name}, rowid, title) VALUES ('delete', old.id, old.title);
        END;
        CREATE TRIGGER {name}_au AFTER UPDATE OF title ON articles BEGIN
            INSERT INTO {name}({name}, rowid, title) VALUES ('delete', old.id, old.title);
            INSERT INTO {name}(rowid, title) VALUES (new.id, new.title);
        END;
        INSERT INTO {name}({name}) VALUES ('rebuild');
        """


def _v3_titles_index() -> str:
    """Search support (issue 6): a word index over titles alone, with prefix indexes.

    Broad queries rank title matches first (``store.search``). In the main index a
    title-only match of a common word still walks every position of the word in
    every body; this index holds titles only (a few MiB at 100k articles), and its
    1-3 character prefix indexes answer a prefix as typed without merging the
    doclists of all its completions.
    """
    return f"""
        {_title_index("titles_fts", f"tokenize='{FTS_TOKENIZE}', prefix='1 2 3'")}
        """


def _v4_jump_generation() -> str:
    """Quick jump: a counter that moves whenever anything the jump shows changes.

    The jump keeps an in-memory index of every title; reading one row tells it
    whether to rebuild, where counting or scanning the articles would cost more
    than the search itself on every keystroke.
    """
    bump = "UPDATE jump_state SET generation = generation + 1;"
    triggers = [
        ("jump_articles_ai", "AFTER INSERT ON articles"),
        ("jump_articles_ad", "AFTER DELETE ON articles"),
        ("jump_articles_au", "AFTER UPDATE OF title, source, section ON articles"),
        ("jump_tags_ai", "AFTER INSERT ON article_tags"),
        ("jump_tags_ad", "AFTER DELETE ON article_tags"),
        ("jump_notes_ai", "AFTER INSERT ON notes"),
        ("jump_notes_ad", "AFTER DELETE ON notes"),
        ("jump_notes_au", "AFTER UPDATE OF body, quote, article_id ON notes"),
    ]
    created = "\n".join(
        f"CREATE TRIGGER {name} {when} BEGIN {bump} END;" for name, when in triggers
    )
    return f"""
        CREATE TABLE jump_state (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            generation INTEGER NOT NULL
        );
        INSERT INTO jump_state (id, generation) VALUES (1, 0);
        {created}
        """


def _v5_annotations() -> str:
    """Annotations (issue 12) and versions (issue 13).

    Notes gain the id they were imported with and their own full-text index;
    passage bookmarks keep a quote so they re-anchor like notes; drafts keep a
    note being typed; versions keep every text an article had, compressed and
    deduplicated by hash.
    """
    fts = "quote, body"
    return f"""
        ALTER TABLE notes ADD COLUMN external_id TEXT;
        CREATE INDEX notes_external ON notes(external_id) WHERE external_id IS NOT NULL;
        CREATE INDEX notes_by_created ON notes(created_at DESC, id DESC);
        ALTER TABLE bookmarks ADD COLUMN quote TEXT;
        ALTER TABLE bookmarks ADD COLUMN prefix TEXT;
        ALTER TABLE bookmarks ADD COLUMN suffix TEXT;
        ALTER TABLE bookmarks ADD COLUMN external_id TEXT;

        CREATE VIRTUAL TABLE notes_fts USING fts5(
            {fts}, content='notes', content_rowid='id', tokenize='{FTS_TOKENIZE}'
        );
        CREATE TRIGGER notes_fts_ai AFTER INSERT ON notes BEGIN
            INSERT INTO notes_fts(rowid, {fts}) VALUES (new.id, new.quote, new.body);
        END;
        CREATE TRIGGER notes_fts_ad AFTER DELETE ON notes BEGIN
            INSERT INTO notes_fts(notes_fts, rowid, {fts})
            VALUES ('delete', old.id, old.quote, old.body);
        END;
        CREATE TRIGGER notes_fts_au AFTER UPDATE OF quote, body ON notes BEGIN
            INSERT INTO notes_fts(notes_fts, rowid, {fts})
            VALUES ('delete', old.id, old.quote, old.body);
            INSERT INTO notes_fts(rowid, {fts}) VALUES (new.id, new.quote, new.body);
        END;
        INSERT INTO notes_fts(notes_fts) VALUES ('rebuild');

        CREATE TABLE note_drafts (
            key TEXT PRIMARY KEY,
            text TEXT NOT NULL,
            updated_at TEXT NOT NULL
        ) WITHOUT ROWID;

        CREATE TABLE article_versions (
            id INTEGER PRIMARY KEY,
            article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            content_hash TEXT NOT NULL,
            title TEXT NOT NULL,
            word_count INTEGER NOT NULL,
            origin TEXT,
            replaced_at TEXT NOT NULL,
            body_text BLOB NOT NULL,        -- zlib
            body_markdown BLOB NOT NULL,    -- store.prepare.pack_markdown
            UNIQUE (article_id, content_hash)
        );
        """


def _v8_subscriptions() -> str:
    """Feed subscriptions with their HTTP validators, the entries each feed has given,
    and saved links waiting to be fetched (``pending_links``, one per link entry).

    ``feed_entries`` maps a feed's entry key (guid, else link) to the article it
    became and a digest of what it said: a refresh stores only new or changed
    entries, and a deleted article's entry is not brought back (its row stays with
    ``article_id`` NULL).
    """
    return """
        CREATE TABLE subscriptions (
            id INTEGER PRIMARY KEY,
            url TEXT NOT NULL UNIQUE,
            title TEXT,
            site_url TEXT,
            etag TEXT,
            last_modified TEXT,
            body_hash TEXT,
            added_at TEXT NOT NULL,
            checked_at TEXT,
            changed_at TEXT,
            status TEXT,
            error TEXT
        );
        CREATE TABLE feed_entries (
            subscription_id INTEGER NOT NULL REFERENCES subscriptions(id) ON DELETE CASCADE,
            entry_key TEXT NOT NULL,
            article_id INTEGER REFERENCES articles(id) ON DELETE SET NULL,
            digest TEXT NOT NULL,
            seen_at TEXT NOT NULL,
            PRIMARY KEY (subscription_id, entry_key)
        ) WITHOUT ROWID;
        CREATE INDEX feed_entries_by_article ON feed_entries(article_id);

        CREATE TABLE pending_links (
            article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
            url TEXT NOT NULL,
            added_at TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            tried_at TEXT,
            error TEXT
        );
        """


def _v6_impact_lists() -> str:
    """Search ranking (issue 15): per-term impact lists, see ``store.impact``.

    ``search_impact`` holds, for every term and prefix in many articles, the
    articles with the highest bm25 term-frequency part and the bound for all
    others; ``store.impact.rebuild`` fills it (after an import, not here: it ranks
    every broad term once). Triggers queue every article whose indexed text
    changes in ``search_impact_pending`` until ``store.impact.sync`` adds it.
    """
    queue = "INSERT OR IGNORE INTO search_impact_pending (article_id, changed) VALUES"
    # Articles changed or deleted since the build: a term's matches now are at least
    # its count at the build minus these (a lower bound, so an upper bound on idf).
    removed = "UPDATE search_state SET value = value + 1 WHERE key = 'impact_removed';"
    return f"""
        CREATE TABLE search_impact (
            term TEXT PRIMARY KEY,      -- an index term, or a prefix written 'pre*'
            ids BLOB NOT NULL,          -- article ids, packed int64 (array 'q'), best first
            sats BLOB NOT NULL,         -- their sat at avgdl, packed float64 (array 'd');
                                        -- int32 and float32 since migration 12
            theta REAL NOT NULL,        -- every article not listed has sat <= theta
            avgdl REAL NOT NULL,        -- the average length theta was computed at
            docs INTEGER NOT NULL       -- articles matching at the build
        ) WITHOUT ROWID;
        CREATE TABLE search_impact_pending (
            article_id INTEGER PRIMARY KEY,
            changed INTEGER NOT NULL    -- 1: an article that was already listed may be stale
        );
        CREATE TRIGGER search_impact_body_ai AFTER INSERT ON article_bodies BEGIN
            {queue} (new.article_id, 0);
        END;
        CREATE TRIGGER search_impact_body_au AFTER UPDATE OF body_text ON article_bodies BEGIN
            {queue} (new.article_id, 1);
            {removed}
        END;
        CREATE TRIGGER search_impact_au AFTER UPDATE OF title, author, source, section
            ON articles BEGIN
            {queue} (new.id, 1);
            {removed}
        END;
        CREATE TRIGGER search_impact_ad AFTER DELETE ON articles BEGIN
            DELETE FROM search_impact_pending WHERE article_id = old.id;
            {removed}
        END;
        """


def _v13_subscription_folders() -> str:
    """The folder a subscription is filed under (OPML outline nesting, ``News/Science``)."""
    return "ALTER TABLE subscriptions ADD COLUMN folder TEXT;"


def _v8_archived() -> str:
    """Archiving (issue 16): an archived article leaves the library's default view.

    A timestamp on the article row (NULL: not archived). The index is partial, so
    the list's sort indexes stay the planner's choice for ``archived_at IS NULL``
    while counting or listing the (few) archived articles reads only them. The
    excerpts' partial index counts them apart for the library's header.
    """
    return """
        ALTER TABLE articles ADD COLUMN archived_at TEXT;
        CREATE INDEX articles_archived ON articles(archived_at) WHERE archived_at IS NOT NULL;
        CREATE INDEX articles_excerpts ON articles(id) WHERE kind = 'excerpt';
        """


def _v10_images() -> str:
    """Images (issue 16): stored once per content hash, listed per article by source.

    ``article_images`` names, for each image reference in an article's Markdown
    (its ``src`` as written), the stored image it points to. An image no article
    uses any more is deleted with its last reference.
    """
    return """
        CREATE TABLE images (
            hash TEXT PRIMARY KEY,      -- sha256 of the bytes, hex
            media_type TEXT NOT NULL,
            width INTEGER NOT NULL,
            height INTEGER NOT NULL,
            size INTEGER NOT NULL,
            data BLOB NOT NULL
        );
        CREATE TABLE article_images (
            article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            src TEXT NOT NULL,
            image_hash TEXT NOT NULL REFERENCES images(hash),
            PRIMARY KEY (article_id, src)
        ) WITHOUT ROWID;
        CREATE INDEX article_images_hash ON article_images (image_hash);
        CREATE TRIGGER article_images_ad AFTER DELETE ON article_images
        WHEN NOT EXISTS (SELECT 1 FROM article_images WHERE image_hash = old.image_hash)
        BEGIN
            DELETE FROM images WHERE hash = old.image_hash;
        END;
        """


_V9_SUSPECTS = ("%^%", "%<br%", "%[ ]%", "%[x]%")
"""What the plain text held before migration 9 where the new text differs: a footnote's
``[^1]`` (or the ``^1`` of one read as a link), a raw ``<br>``, a task's ``[ ]``/``[x]``
(LIKE is case-blind for ASCII, so ``[X]`` too)."""


def _v9_rederive_text(db: sqlite3.Connection) -> None:
    """Plain text again for articles with footnotes, task lists or ``<br>`` (issue 16).

    The text those render to changed (``[1]`` and a Notes list, ☐/☑ as markers, a line
    break), and notes hang on plain-text offsets: each affected body is derived again
    from its Markdown and its notes and bookmarks are moved onto the new text as a
    re-import moves them (orphans are kept, nothing is deleted). No version is kept:
    the article's words did not change, only how Margin reads its Markdown.
    """
    # Imported here: the migration list must not pull the parser into every import.
    from .annotations import reanchor_article
    from .document import markdown_to_text, word_count
    from .prepare import content_hash, pack_markdown, unpack_markdown

    stamp = datetime.now(UTC).isoformat(timespec="seconds")
    where = " OR ".join("b.body_text LIKE ?" for _ in _V9_SUSPECTS)
    rows = db.execute(
        "SELECT b.article_id, a.title, b.body_text, b.body_markdown FROM article_bodies b "
        f"JOIN articles a ON a.id = b.article_id WHERE {where}",
        _V9_SUSPECTS,
    ).fetchall()
    for article_id, title, old_text, blob in rows:
        markdown = unpack_markdown(blob, old_text)
        text = markdown_to_text(markdown)
        if text == old_text:
            continue
        db.execute(
            "UPDATE article_bodies SET body_text = ?, body_markdown = ? WHERE article_id = ?",
            (text, pack_markdown(markdown, text), article_id),
        )
        db.execute(
            "UPDATE articles SET word_count = ?, content_hash = ? WHERE id = ?",
            (word_count(text), content_hash(title, text), article_id),
        )
        reanchor_article(db, article_id, old_text, text, stamp=stamp)


def _v12_compact_impact(db: sqlite3.Connection) -> None:
    """Impact lists packed in half the bytes (issue 15): int32 ids, float32 ``sat``.

    Each list is rewritten as :func:`store.impact.pack` writes it now (``sat``
    rounded up, so every bound stays a bound); nothing is ranked again.
    """
    from array import array

    from .impact import pack

    rows = db.execute("SELECT term, ids, sats FROM search_impact").fetchall()
    for term, ids_blob, sats_blob in rows:
        ids, sats = array("q"), array("d")
        ids.frombytes(ids_blob)
        sats.frombytes(sats_blob)
        db.execute(
            "UPDATE search_impact SET ids = ?, sats = ? WHERE term = ?", (*pack(ids, sats), term)
        )


class DataMigration:
    """A migration that rewrites rows in Python, in the transaction ``apply`` opens."""

    __slots__ = ("run",)

    def __init__(self, run: Callable[[sqlite3.Connection], None]) -> None:
        self.run = run


Migration = Callable[[], str] | DataMigration
"""A migration returns the SQL script that applies it, or rewrites data itself."""

MIGRATIONS: list[Migration] = [
    _v1_initial,
    _v2_search,
    _v3_titles_index,
    _v4_jump_generation,
    _v5_annotations,
    _v8_subscriptions,
    _v6_impact_lists,
    _v13_subscription_folders,
    _v8_archived,
    DataMigration(_v9_rederive_text),
    _v10_images,
    DataMigration(_v12_compact_impact),
]
"""Migration ``n`` (1-based) brings ``user_version`` from ``n - 1`` to ``n``."""

LATEST = len(MIGRATIONS)


def pending(db: sqlite3.Connection, until: int | None = None) -> list[tuple[int, Migration]]:
    """Migrations this database has not had yet, as (version, function).

    :param until: the last version wanted (a test builds a library of an older release);
        None for all.
    """
    current = db.execute("PRAGMA user_version").fetchone()[0]
    last = len(MIGRATIONS) if until is None else until
    return [(n, m) for n, m in enumerate(MIGRATIONS, start=1) if current < n <= last]


def apply(db: sqlite3.Connection, until: int | None = None) -> list[int]:
    """Run every pending migration, each in its own transaction; return their numbers.

    :param until: stop after this version (None: the latest).
    """
    done = []
    for number, migration in pending(db, until):
        # executescript commits first and runs the script as is, so the transaction
        # is part of the script: a failure leaves the file at the previous version.
        try:
            if isinstance(migration, DataMigration):
                db.execute("BEGIN IMMEDIATE")
                migration.run(db)
                db.execute(f"PRAGMA user_version = {number}")
                db.execute("COMMIT")
            else:
                db.executescript(
                    f"BEGIN IMMEDIATE;\n{migration()}\nPRAGMA user_version = {number};\nCOMMIT;"
                )
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise
        done.append(number)
    return done


def stored_version(path: str) -> int | None:
    """The schema version recorded in the file at ``path``, read without opening it.

    Reads ``user_version`` from the SQLite header (4 bytes at offset 60), so nothing
    is created, locked or changed: read-only commands decide from it whether the
    file needs a migration. None when the file is not an SQLite database; 0 for an
    empty file.
    """
    with open(path, "rb") as file:
        header = file.read(100)
    if not header:
        return 0
    if len(header) < 100 or not header.startswith(b"SQLite format 3\x00"):
        return None
    return int.from_bytes(header[60:64], "big")
