"""The library: one object that owns the SQLite connection and every query."""

from __future__ import annotations

import functools
import itertools
import sqlite3
import threading
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, ParamSpec, TypeVar

from . import migrations
from .models import (
    Article,
    ArticleDraft,
    ArticleSummary,
    Bookmark,
    ImageInfo,
    LibraryError,
    Note,
    PendingLink,
    ReadingPosition,
    SearchHit,
    StoreResult,
    Subscription,
    Version,
)


class _LazyModule:
    """A store module imported on first use: ``annotations`` pulls in rapidfuzz and
    the anchoring code, ``prepare`` the Markdown parser and hashing, ``images`` hashing
    and Pillow's helpers; ``margin search`` and the reader's first paint need none."""

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attr: str) -> Any:
        import importlib

        module = importlib.import_module(self._name, __package__)
        return getattr(module, attr)


annotations = _LazyModule(".annotations")
versions = _LazyModule(".versions")
images = _LazyModule(".images")
_prepare = _LazyModule(".prepare")


def __getattr__(name: str) -> Any:
    """``prepare``, ``unpack_markdown`` and ``PreparedArticle``, as this module had them
    (imported from ``store.prepare`` on first use)."""
    if name in ("prepare", "unpack_markdown", "PreparedArticle"):
        return getattr(_prepare, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


if TYPE_CHECKING:
    import sqlite_utils

    from .jump import JumpIndex, JumpMatch
    from .note_search import NoteHit
    from .prepare import PreparedArticle
    from .search import SearchResults

SortKey = Literal["date", "title", "source", "read", "imported"]
SORT_KEYS: tuple[SortKey, ...] = ("date", "title", "source", "read", "imported")

PAGE_SIZE = 2048
"""Page size of new library files. Article bodies spill past one page, and the part each
keeps in its leaf varies from row to row, so leaves are left part empty; at 4,096 bytes
that slack was 71 MiB of the 100k bench library's 798 MiB of bodies (smaller pages leave
smaller gaps; 1,024 grows the index and the article rows more than it saves)."""

_METADATA = ("author", "source", "section", "url", "published", "language", "description")

_P = ParamSpec("_P")
_R = TypeVar("_R")

_SUMMARY_COLUMNS = """
    a.id, a.title, a.author, a.source, a.section, a.published, a.word_count, a.kind,
    a.imported_at,
    coalesce(p.progress, 0) AS progress,
    EXISTS (SELECT 1 FROM bookmarks b WHERE b.article_id = a.id) AS bookmarked,
    EXISTS (SELECT 1 FROM notes n WHERE n.article_id = a.id) AS has_notes,
    p.updated_at AS last_read,
    a.archived_at IS NOT NULL AS archived,
    p.finished_at IS NOT NULL AS finished
"""
_ORDER_BY: dict[SortKey, str] = {
    "date": "coalesce(a.published, a.imported_at) DESC, a.id DESC",
    "title": "a.title COLLATE NOCASE, a.id",
    "source": "a.source COLLATE NOCASE, coalesce(a.published, a.imported_at) DESC, a.id",
    "read": "p.updated_at IS NULL, p.updated_at DESC, a.id DESC",  # see _by_last_read
    "imported": "a.imported_at DESC, a.id DESC",
}


_DATE = "coalesce(a.published, a.imported_at)"
_Before = list[tuple[str, tuple[str, ...]]]
"""Clauses (with the names of their parameters) whose counts add up to the rows before."""
_BEFORE: dict[str, _Before] = {
    # The rows listed before an article in each order of _ORDER_BY, ties by id as there.
    # Each clause is one range of the sort's index plus a test on its entries: a row
    # value, or an OR of two ranges, makes SQLite read rows instead (5-20x slower).
    "date": [(f"{_DATE} >= ? AND ({_DATE} > ? OR a.id > ?)", ("date", "date", "id"))],
    "title": [
        (
            "a.title <= ? COLLATE NOCASE AND (a.title < ? COLLATE NOCASE OR a.id < ?)",
            ("title", "title", "id"),
        )
    ],
    "source": [
        ("a.source IS NULL", ()),  # NULL sorts first
        (
            f"a.source <= ? COLLATE NOCASE AND (a.source < ? COLLATE NOCASE OR {_DATE} > ? "
            f"OR ({_DATE} = ? AND a.id < ?))",
            ("source", "source", "date", "date", "id"),
        ),
    ],
}
_BEFORE_NULL_SOURCE: _Before = [
    (f"a.source IS NULL AND ({_DATE} > ? OR ({_DATE} = ? AND a.id < ?))", ("date", "date", "id"))
]


class StorageFull(LibraryError):
    """A write failed for want of disk space; nothing of it was kept."""


def _is_full(error: sqlite3.Error) -> bool:
    """Whether SQLite failed for want of space (a full disk or file-size limit)."""
    name = getattr(error, "sqlite_errorname", "")
    return name == "SQLITE_FULL" or "full" in str(error).casefold()


class AnnotationsExist(LibraryError):
    """Deleting an article that has notes or bookmarks needs ``keep_annotations=True``."""


def now() -> str:
    """The current UTC time as ISO 8601 to the second."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def _locked(method: Callable[_P, _R]) -> Callable[_P, _R]:
    """Serialise calls: the TUI calls the library from worker threads."""

    @functools.wraps(method)
    def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        with args[0]._lock:  # type: ignore[attr-defined]
            return method(*args, **kwargs)

    return wrapper


def _reads(method: Callable[_P, _R]) -> Callable[_P, _R]:
    """Run a read on the reading connection, so it never waits behind a write.

    WAL lets a second connection read the last committed state while the writing
    connection is inside a transaction (a batch of an import, say). A read made by
    the thread that is writing goes to the writing connection, to see its own work.
    """

    @functools.wraps(method)
    def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        library: Library = args[0]  # type: ignore[assignment]
        reader = library._reader
        local = library._local
        if getattr(local, "conn", None) is not None:  # a read inside a read
            return method(*args, **kwargs)
        if reader is None or getattr(local, "writing", 0):
            with library._lock:
                return method(*args, **kwargs)
        with library._read_lock:
            local.conn = reader
            try:
                return method(*args, **kwargs)
            finally:
                local.conn = None

    return wrapper


class Library:
    """An article library in one SQLite file.

    :param path: the database file (created with its folders on first use), or
        ``":memory:"``.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self._lock = threading.RLock()
        existed = self.path != ":memory:" and Path(self.path).exists()
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        try:
            conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            conn.execute("PRAGMA busy_timeout = 5000")
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            foreign = (
                version == 0
                and conn.execute(
                    "SELECT 1 FROM sqlite_master WHERE type = 'table' LIMIT 1"
                ).fetchone()
            )
            if foreign:
                # Someone else's database: change nothing in it, not even its journal mode.
                conn.close()
                raise LibraryError(f"{self.path}: not a Margin library (it holds other tables)")
            if version > migrations.LATEST:
                conn.close()
                raise LibraryError(
                    f"{self.path}: made by a newer Margin (schema {version}, this one knows "
                    f"{migrations.LATEST}); update Margin to open it"
                )
            if version == 0 and not foreign:
                # A new file: its page size is fixed from its first table on.
                conn.execute(f"PRAGMA page_size = {PAGE_SIZE}")
            if self.path != ":memory:":
                conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA synchronous = NORMAL")
        except sqlite3.DatabaseError as error:
            raise LibraryError(f"{self.path}: not a Margin library ({error})") from error
        self._conn = conn
        self._local = threading.local()
        self._reader: sqlite3.Connection | None = None
        self._read_lock = threading.RLock()
        self._savepoints = itertools.count()
        self.backup_path: str | None = None
        self._migrate(existed)
        if self.path != ":memory:":
            reader = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            # Reads never wait in WAL; the small upkeep writes some reads make (the
            # vocabulary copy) give up quickly when an import holds the write lock.
            reader.execute("PRAGMA busy_timeout = 250")
            reader.execute("PRAGMA foreign_keys = ON")
            self._reader = reader

    @property
    def conn(self) -> sqlite3.Connection:
        """The connection of this call: the reading one inside a read, else the writing one."""
        return getattr(self._local, "conn", None) or self._conn

    # -- lifecycle -------------------------------------------------------------------
    def _migrate(self, existed: bool) -> None:
        try:
            todo = migrations.pending(self.conn)
        except sqlite3.DatabaseError as error:
            raise LibraryError(f"{self.path}: not a Margin library ({error})") from error
        if not todo:
            return
        version = todo[0][0] - 1

        if existed and version > 0:
            stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S")
            backup = f"{self.path}.v{version}-{stamp}.bak"
            self.conn.execute("VACUUM INTO ?", (backup,))
            self.backup_path = backup
        migrations.apply(self.conn)

    def close(self) -> None:
        """Close the connections."""
        with self._lock, self._read_lock:
            if self._reader is not None:
                self._reader.close()
            self._conn.close()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def version(self) -> int:
        """The schema version of the open file."""
        return self.conn.execute("PRAGMA user_version").fetchone()[0]

    @functools.cached_property
    def db(self) -> sqlite_utils.Database:
        """The same connection as a sqlite-utils Database, for maintenance and scripts.

        Made on first use: importing sqlite-utils costs ~140 ms, too much for the
        reader's cold start, and the hot paths need nothing beyond ``sqlite3``.
        """
        import sqlite_utils

        return sqlite_utils.Database(self.conn, execute_plugins=False)

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """Mark this thread as writing (its reads then see its own changes)."""
        local = self._local
        local.writing = getattr(local, "writing", 0) + 1
        try:
            yield
        finally:
            local.writing -= 1

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        """One write transaction (a savepoint when nested).

        ``BEGIN IMMEDIATE`` takes the write lock up front, so a reader and an import
        in two processes wait on each other (busy timeout) instead of failing when a
        read transaction tries to become a write one.
        """
        with self._lock, self._writing():
            if self.conn.in_transaction:
                name = f"margin_{next(self._savepoints)}"
                self.conn.execute(f"SAVEPOINT {name}")
                try:
                    yield
                except BaseException:
                    self.conn.execute(f"ROLLBACK TO {name}")
                    self.conn.execute(f"RELEASE {name}")
                    raise
                self.conn.execute(f"RELEASE {name}")
                return
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield
                self.conn.execute("COMMIT")
            except BaseException as error:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                if isinstance(error, sqlite3.OperationalError) and _is_full(error):
                    raise StorageFull(
                        f"{self.path}: the disk is full, so nothing of this change was written; "
                        "free some space and try again"
                    ) from error
                raise

    # -- storing -----------------------------------------------------------------------
    @_locked
    def store(
        self, items: Iterable[ArticleDraft | PreparedArticle], *, version_origin: str = "import"
    ) -> list[StoreResult]:
        """Add or update articles in one transaction.

        A draft matching a stored article (same canonical URL, else same content
        hash, else same origin and title) updates it in place and keeps its id.

        :param items: drafts, or drafts already prepared with ``store.prepare``
            (import prepares them in worker processes).
        :param version_origin: what to record as having replaced a changed text
            (``import``, ``feed``).
        """
        from .prepare import PreparedArticle, prepare

        prepared = [item if isinstance(item, PreparedArticle) else prepare(item) for item in items]
        with self._transaction():
            return [self._store_one(item, version_origin) for item in prepared]

    def _store_one(self, item: PreparedArticle, version_origin: str) -> StoreResult:
        row = dict(item.row)
        moved = (0, 0)
        text = row.pop("body_text")
        existing = self._match(row)
        stamp = now()
        outcome: Literal["added", "updated", "duplicate"]
        if existing is None:
            cursor = self.conn.execute(
                f"INSERT INTO articles ({', '.join(row)}, imported_at, updated_at) "
                f"VALUES ({', '.join(':' + key for key in row)}, :stamp, :stamp)",
                {**row, "stamp": stamp},
            )
            article_id = int(cursor.lastrowid or 0)
            self.conn.execute(
                "INSERT INTO article_bodies (article_id, body_text, body_markdown) "
                "VALUES (?, ?, ?)",
                (article_id, text, item.markdown_blob),
            )
            outcome = "added"
        else:
            article_id = existing["id"]
            # Keep known metadata when the new copy lacks it (a page dump of a page
            # imported from its URL says less about itself).
            for key in _METADATA:
                if row[key] is None:
                    row[key] = existing[key]
            new_words = row["content_hash"] != existing["content_hash"]
            changed = [k for k in row if k != "origin" and row[k] != existing[k]]
            if existing["kind"] == "article" and row["kind"] == "excerpt":
                # A teaser or saved link of an article already here in full (a
                # summary-only feed, a read-later list) never replaces its text.
                changed = []
            if not changed:
                outcome = "duplicate"
            else:
                # The version keeps the old title, count and hash: write it first.
                if new_words:
                    moved = self._replace_body(
                        article_id, text, item.markdown_blob, origin=version_origin, stamp=stamp
                    )
                assignments = ", ".join(f"{key} = :{key}" for key in changed)
                self.conn.execute(
                    f"UPDATE articles SET {assignments}, updated_at = :stamp WHERE id = :id",
                    {**row, "stamp": stamp, "id": article_id},
                )
                outcome = "updated"
        if item.tags:
            self._add_tags(article_id, item.tags)
        if item.images:
            images.attach(self.conn, article_id, item.images)
        if item.original_blob is not None:
            self.conn.execute(
                "INSERT OR REPLACE INTO originals (article_id, media_type, data, stored_at) "
                "VALUES (?, ?, ?, ?)",
                (article_id, item.original_type, item.original_blob, stamp),
            )
        return StoreResult(article_id, outcome, item.kind, item.title, *moved)

    def _replace_body(
        self, article_id: int, text: str, markdown_blob: bytes, *, origin: str, stamp: str
    ) -> tuple[int, int]:
        """Write a new body, keeping the old one as a version and moving the notes.

        Runs inside the caller's transaction, so the text, its version and every
        note's new place are committed together or not at all.
        """
        old_text = versions.keep(self.conn, article_id, origin=origin, stamp=stamp)
        self.conn.execute(
            "UPDATE article_bodies SET body_text = ?, body_markdown = ? WHERE article_id = ?",
            (text, markdown_blob, article_id),
        )
        if old_text is None or old_text == text:
            return 0, 0
        return annotations.reanchor_article(self.conn, article_id, old_text, text, stamp=stamp)

    @contextmanager
    def bulk(self) -> Iterator[None]:
        """Faster large imports: defer full-text index merges, then merge once."""
        with self._lock:
            self.conn.execute("PRAGMA cache_size = -65536")
            self.conn.execute(
                "INSERT INTO articles_fts(articles_fts, rank) VALUES ('automerge', 0)"
            )
            self.conn.execute(
                "INSERT INTO articles_fts(articles_fts, rank) VALUES ('crisismerge', 64)"
            )
        try:
            yield
        finally:
            with self._lock:
                self.conn.execute(
                    "INSERT INTO articles_fts(articles_fts, rank) VALUES ('automerge', 4)"
                )
                self.conn.execute(
                    "INSERT INTO articles_fts(articles_fts, rank) VALUES ('crisismerge', 16)"
                )
                self.optimize()

    def _match(self, row: dict[str, Any]) -> dict[str, Any] | None:
        columns = (
            "id, title, author, source, section, url, published, language, description, "
            "word_count, content_hash, kind"
        )
        queries = []
        if row["url"]:
            queries.append((f"SELECT {columns} FROM articles WHERE url = ?", (row["url"],)))
        queries.append(
            (
                f"SELECT {columns} FROM articles WHERE content_hash = ? AND kind = ? "
                "AND (url IS NULL OR ? IS NULL OR url = ?) ORDER BY id LIMIT 1",
                (row["content_hash"], row["kind"], row["url"], row["url"]),
            )
        )
        if row["origin"]:
            queries.append(
                (
                    f"SELECT {columns} FROM articles WHERE origin = ? AND title = ? "
                    "AND kind = ? AND (url IS NULL OR ? IS NULL OR url = ?) ORDER BY id LIMIT 1",
                    (row["origin"], row["title"], row["kind"], row["url"], row["url"]),
                )
            )
        for sql, params in queries:
            cursor = self.conn.execute(sql, params)
            found = cursor.fetchone()
            if found:
                names = [d[0] for d in cursor.description]
                return dict(zip(names, found, strict=True))
        return None

    def _add_tags(self, article_id: int, names: Iterable[str]) -> None:
        annotations.add_tags(self.conn, article_id, names)

    @_locked
    def add_tags(self, article_id: int, names: Iterable[str]) -> None:
        """Tag an article (tags are created as needed, names are case-insensitive)."""
        with self._transaction():
            self._add_tags(article_id, names)

    @_locked
    def remove_tag(self, article_id: int, name: str) -> None:
        """Take one tag off an article."""
        with self._transaction():
            self.conn.execute(
                "DELETE FROM article_tags WHERE article_id = ? AND tag_id = "
                "(SELECT id FROM tags WHERE name = ?)",
                (article_id, name),
            )

    @_reads
    def tags(self) -> list[tuple[str, int]]:
        """Every tag in use with its article count, by name."""
        return self.conn.execute(
            "SELECT t.name, count(at.article_id) FROM tags t "
            "JOIN article_tags at ON at.tag_id = t.id GROUP BY t.id ORDER BY t.name COLLATE NOCASE"
        ).fetchall()

    # -- reading -------------------------------------------------------------------------
    @_reads
    def get(self, article_id: int) -> Article | None:
        """One article with its body and tags, or None."""
        row = self.conn.execute(
            "SELECT a.id, a.title, a.author, a.source, a.section, a.url, a.published, "
            "a.language, a.description, b.body_markdown, b.body_text, a.word_count, "
            "a.content_hash, a.kind, a.imported_at, a.updated_at, a.origin "
            "FROM articles a JOIN article_bodies b ON b.article_id = a.id WHERE a.id = ?",
            (article_id,),
        ).fetchone()
        if row is None:
            return None
        values = list(row)
        values[9] = _prepare.unpack_markdown(values[9], values[10])
        tags = [
            name
            for (name,) in self.conn.execute(
                "SELECT t.name FROM tags t JOIN article_tags at ON at.tag_id = t.id "
                "WHERE at.article_id = ? ORDER BY t.name COLLATE NOCASE",
                (article_id,),
            )
        ]
        return Article(*values, tags=tags)

    def iter_articles(self, kind: str | None = None) -> Iterator[Article]:
        """Every article in id order (for export), loaded one at a time."""
        where, params = ("WHERE kind = ?", (kind,)) if kind else ("", ())
        with self._lock:
            ids = [
                i
                for (i,) in self.conn.execute(
                    f"SELECT id FROM articles {where} ORDER BY id", params
                )
            ]
        for article_id in ids:
            article = self.get(article_id)
            if article is not None:
                yield article

    @staticmethod
    def _filters(
        kind: str | None,
        source: str | None,
        section: str | None,
        tag: str | None,
        unread: bool,
        text: str | None,
        archived: bool | None = False,
    ) -> tuple[str, list[Any]]:
        clauses, params = [], []
        if archived is not None:
            clauses.append(f"a.archived_at IS {'NOT ' if archived else ''}NULL")
        if kind in ("article", "excerpt"):
            # Written out, so the excerpts' partial index can answer a count.
            clauses.append(f"a.kind = '{kind}'")
        elif kind:
            clauses.append("a.kind = ?")
            params.append(kind)
        if source:
            clauses.append("a.source = ? COLLATE NOCASE")
            params.append(source)
        if section:
            clauses.append("a.section = ? COLLATE NOCASE")
            params.append(section)
        if tag:
            clauses.append(
                "a.id IN (SELECT at.article_id FROM article_tags at JOIN tags t "
                "ON t.id = at.tag_id WHERE t.name = ?)"
            )
            params.append(tag)
        if unread:
            clauses.append("p.finished_at IS NULL")
        if text:
            for word in text.split():
                escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
                clauses.append(
                    "(a.title LIKE ? ESCAPE '\\' OR coalesce(a.source, '') LIKE ? ESCAPE '\\'"
                    " OR coalesce(a.section, '') LIKE ? ESCAPE '\\')"
                )
                params.extend([f"%{escaped}%"] * 3)
        return ("WHERE " + " AND ".join(clauses)) if clauses else "", params

    @_reads
    def summaries(
        self,
        *,
        offset: int = 0,
        limit: int = 100,
        sort: SortKey = "date",
        kind: str | None = None,
        source: str | None = None,
        section: str | None = None,
        tag: str | None = None,
        unread: bool = False,
        text: str | None = None,
        archived: bool | None = False,
    ) -> list[ArticleSummary]:
        """A page of the library list, sorted and filtered.

        :param text: words that must each appear in the title, source or section.
        :param archived: False (default) hides archived articles, True lists only
            them, None lists both.
        """
        where, params = self._filters(kind, source, section, tag, unread, text, archived)
        if sort == "read":
            rows = self._by_last_read(where, params, offset, limit)
        else:
            rows = self._page(where, params, _ORDER_BY[sort], offset, limit)
        return [
            ArticleSummary(
                *row[:9],
                progress=row[9],
                bookmarked=bool(row[10]),
                has_notes=bool(row[11]),
                last_read=row[12],
                archived=bool(row[13]),
                finished=bool(row[14]),
            )
            for row in rows
        ]

    def _page(
        self, where: str, params: list[Any], order: str, offset: int, limit: int
    ) -> list[tuple[Any, ...]]:
        return self.conn.execute(
            f"SELECT {_SUMMARY_COLUMNS} FROM articles a "
            f"LEFT JOIN reading_positions p ON p.article_id = a.id {where} "
            f"ORDER BY {order} LIMIT ? OFFSET ?",
            [*params, limit, offset],
        ).fetchall()

    def _by_last_read(
        self, where: str, params: list[Any], offset: int, limit: int
    ) -> list[tuple[Any, ...]]:
        """Opened articles by last read, then the rest by date: two indexed walks.

        One ORDER BY over the outer join would sort every article on every page.
        """
        both = f"{where} AND" if where else "WHERE"
        opened = self.conn.execute(
            f"SELECT count(*) FROM articles a JOIN reading_positions p "
            f"ON p.article_id = a.id {where}",
            params,
        ).fetchone()[0]
        rows: list[tuple[Any, ...]] = []
        if offset < opened:
            rows = self._page(
                f"{both} p.article_id IS NOT NULL",
                params,
                "p.updated_at DESC, a.id DESC",
                offset,
                limit,
            )
        if len(rows) < limit:
            rows += self._page(
                f"{both} p.article_id IS NULL",
                params,
                _ORDER_BY["date"],
                max(0, offset - opened),
                limit - len(rows),
            )
        return rows

    @_reads
    def count(
        self,
        *,
        kind: str | None = None,
        source: str | None = None,
        section: str | None = None,
        tag: str | None = None,
        unread: bool = False,
        text: str | None = None,
        archived: bool | None = False,
    ) -> int:
        """How many articles match the same filters as ``summaries``."""
        filters = (kind, source, section, tag, unread, text)
        if archived is False:
            # All minus the archived: both counts read an index, where
            # ``archived_at IS NULL`` would read every row.
            return self._count(*filters, None) - self._count(*filters, True)
        return self._count(*filters, archived)

    def _count(
        self,
        kind: str | None,
        source: str | None,
        section: str | None,
        tag: str | None,
        unread: bool,
        text: str | None,
        archived: bool | None,
    ) -> int:
        where, params = self._filters(kind, source, section, tag, unread, text, archived)
        join = "LEFT JOIN reading_positions p ON p.article_id = a.id" if unread else ""
        return self.conn.execute(
            f"SELECT count(*) FROM articles a {join} {where}", params
        ).fetchone()[0]

    @_reads
    def facets(self, column: Literal["source", "section", "kind"]) -> list[tuple[str, int]]:
        """Distinct values of a column with their counts, most common first."""
        return self.conn.execute(
            f"SELECT {column}, count(*) FROM articles WHERE {column} IS NOT NULL "
            f"GROUP BY {column} ORDER BY count(*) DESC, {column}"
        ).fetchall()

    @_reads
    def titles(self) -> list[tuple[int, str, str | None, str | None]]:
        """(id, title, source, section) of every article, for the quick jump."""
        return self.conn.execute(
            "SELECT id, title, source, section FROM articles ORDER BY id"
        ).fetchall()

    @_reads
    def neighbours(self, article_id: int, sort: SortKey = "date") -> tuple[int | None, int | None]:
        """The ids before and after an article in the library's sort order."""
        ids = [
            i
            for (i,) in self.conn.execute(
                f"SELECT a.id FROM articles a LEFT JOIN reading_positions p "
                f"ON p.article_id = a.id ORDER BY {_ORDER_BY[sort]}"
            )
        ]
        try:
            at = ids.index(article_id)
        except ValueError:
            return None, None
        return (ids[at - 1] if at > 0 else None, ids[at + 1] if at + 1 < len(ids) else None)

    # -- search ---------------------------------------------------------------------------
    @_reads
    def search(self, query: str, *, limit: int = 20, offset: int = 0) -> list[SearchHit]:
        """Articles matching ``query``, best first (bm25, title above body)."""
        from .search import search

        return search(self.conn, query, limit=limit, offset=offset)

    # -- reading position ------------------------------------------------------------------
    @_reads
    def position(self, article_id: int) -> ReadingPosition | None:
        """Where reading stopped in an article, if it was opened before."""
        row = self.conn.execute(
            "SELECT article_id, paragraph, char_offset, progress, finished_at IS NOT NULL, "
            "updated_at FROM reading_positions WHERE article_id = ?",
            (article_id,),
        ).fetchone()
        return (
            ReadingPosition(row[0], row[1], row[2], row[3], bool(row[4]), row[5]) if row else None
        )

    @_locked
    def save_position(
        self,
        article_id: int,
        paragraph: int,
        offset: int,
        progress: float,
        *,
        finished: bool = False,
    ) -> None:
        """Remember the reading position; reaching the end marks the article read."""
        stamp = now()
        with self._transaction():
            self.conn.execute(
                "INSERT INTO reading_positions (article_id, paragraph, char_offset, progress, "
                "finished_at, updated_at) VALUES (?, ?, ?, ?, CASE WHEN ? THEN ? END, ?) "
                "ON CONFLICT(article_id) DO UPDATE SET paragraph = excluded.paragraph, "
                "char_offset = excluded.char_offset, progress = excluded.progress, "
                "finished_at = coalesce(reading_positions.finished_at, excluded.finished_at), "
                "updated_at = excluded.updated_at",
                (
                    article_id,
                    paragraph,
                    offset,
                    max(0.0, min(1.0, progress)),
                    finished,
                    stamp,
                    stamp,
                ),
            )

    # -- originals -------------------------------------------------------------------------
    @_locked
    def original(self, article_id: int) -> tuple[bytes, str | None] | None:
        """The stored original source of an article and its media type, if kept."""
        row = self.conn.execute(
            "SELECT data, media_type FROM originals WHERE article_id = ?", (article_id,)
        ).fetchone()
        return (zlib.decompress(row[0]), row[1]) if row else None

    @_locked
    def ids_with_originals(self) -> list[int]:
        """Ids of articles whose original source is stored."""
        return [i for (i,) in self.conn.execute("SELECT article_id FROM originals ORDER BY 1")]

    @_locked
    def replace(self, article_id: int, draft: ArticleDraft) -> StoreResult:
        """Overwrite an article's body and metadata from a new draft, keeping its id.

        Metadata the new draft lacks is kept; the URL and origin never change.
        """
        article = self.get(article_id)
        if article is None:
            raise LibraryError(f"no article {article_id}")
        from .prepare import prepare

        prepared = prepare(draft)
        row = prepared.row
        text = row["body_text"]
        metadata = {
            key: row[key] if row[key] is not None else getattr(article, key)
            for key in (
                "title",
                "author",
                "source",
                "section",
                "published",
                "language",
                "description",
            )
        }
        stamp = now()
        with self._transaction():
            moved = (0, 0)
            # The version keeps the old title, count and hash: write it first.
            if text != article.body_text or draft.body_markdown != article.body_markdown:
                moved = self._replace_body(
                    article_id, text, prepared.markdown_blob, origin="reextract", stamp=stamp
                )
            self.conn.execute(
                f"UPDATE articles SET {', '.join(f'{k} = :{k}' for k in metadata)}, "
                "word_count = :word_count, content_hash = :content_hash, updated_at = :stamp "
                "WHERE id = :id",
                {
                    **metadata,
                    "word_count": row["word_count"],
                    "content_hash": row["content_hash"],
                    "stamp": stamp,
                    "id": article_id,
                },
            )
            if prepared.images:
                images.attach(self.conn, article_id, prepared.images)
            if prepared.original_blob is not None:
                self.conn.execute(
                    "UPDATE originals SET data = ?, media_type = ? WHERE article_id = ?",
                    (prepared.original_blob, prepared.original_type, article_id),
                )
        changed = (
            text != article.body_text
            or draft.body_markdown != article.body_markdown
            or any(metadata[key] != getattr(article, key) for key in metadata)
        )
        return StoreResult(
            article_id,
            "updated" if changed else "duplicate",
            article.kind,
            metadata["title"],
            *moved,
        )

    # -- deleting --------------------------------------------------------------------------
    @_reads
    def annotation_count(self, article_id: int) -> int:
        """Notes and bookmarks attached to an article."""
        return self.conn.execute(
            "SELECT (SELECT count(*) FROM notes WHERE article_id = ?) + "
            "(SELECT count(*) FROM bookmarks WHERE article_id = ?)",
            (article_id, article_id),
        ).fetchone()[0]

    @_locked
    def delete(self, article_id: int, *, keep_annotations: bool = False) -> None:
        """Delete an article.

        Refuses with AnnotationsExist when it has notes or bookmarks, unless
        ``keep_annotations`` is set: then they stay, detached, with the article's
        title and URL, and still export.
        """
        attached = self.annotation_count(article_id)
        if attached and not keep_annotations:
            raise AnnotationsExist(
                f"article {article_id} has {attached} notes or bookmarks; "
                "delete with keep_annotations to keep them detached"
            )
        with self._transaction():
            self.conn.execute("DELETE FROM articles WHERE id = ?", (article_id,))

    # -- settings ----------------------------------------------------------------------------
    @_reads
    def setting(self, key: str, default: str | None = None) -> str | None:
        """A stored setting, or ``default``."""
        row = self.conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    @_locked
    def set_setting(self, key: str, value: str) -> None:
        """Store a setting."""
        with self._transaction():
            self.conn.execute(
                "INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", (key, value)
            )

    # -- maintenance ------------------------------------------------------------------------
    @_locked
    def stats(self) -> dict[str, Any]:
        """Counts and sizes: articles by kind, sources, words, file sizes."""
        kinds = dict(self.conn.execute("SELECT kind, count(*) FROM articles GROUP BY kind"))
        words, text_bytes = self.conn.execute(
            "SELECT coalesce(sum(word_count), 0), "
            "(SELECT coalesce(sum(length(CAST(body_text AS BLOB))), 0) FROM article_bodies) "
            "FROM articles"
        ).fetchone()
        page_size = self.conn.execute("PRAGMA page_size").fetchone()[0]
        pages = self.conn.execute("PRAGMA page_count").fetchone()[0]
        return {
            "path": self.path,
            "schema_version": self.version,
            "articles": kinds.get("article", 0),
            "excerpts": kinds.get("excerpt", 0),
            "sources": self.conn.execute("SELECT count(DISTINCT source) FROM articles").fetchone()[
                0
            ],
            "tags": self.db["tags"].count,
            "notes": self.db["notes"].count,
            "bookmarks": self.db["bookmarks"].count,
            "words": words,
            "text_bytes": text_bytes,
            "database_bytes": page_size * pages,
        }

    @_locked
    def check(self, *, rebuild: bool = False) -> list[str]:
        """Integrity problems of the file and the full-text index; [] when healthy.

        Includes the store's own triggers, indexes and views (``store.repair``).

        :param rebuild: recreate what is missing and rebuild the full-text indexes
            and every derived table from the articles and notes first.
        """
        from . import repair

        problems = []
        schema = repair.schema_problems(self.conn)
        if rebuild:
            with self._transaction():
                # Missing triggers first, so nothing drifts again after the rebuild.
                repair.restore(self.conn, schema)
                repair.rebuild_derived(self.conn)
            schema = repair.schema_problems(self.conn)
        problems.extend(repair.describe(problem) for problem in schema)
        for (line,) in self.conn.execute("PRAGMA integrity_check"):
            if line != "ok":
                problems.append(f"database: {line}")
        for row in self.conn.execute("PRAGMA foreign_key_check"):
            problems.append(f"foreign key: {row[0]} row {row[1]} points at missing {row[2]}")
        for index, label in (
            ("articles_fts", "full-text index"),
            ("notes_fts", "notes index"),
            ("titles_fts", "title index"),
            ("titles_tri", "title substring index"),
        ):
            try:
                self.conn.execute(
                    f"INSERT INTO {index}({index}, rank) VALUES ('integrity-check', 1)"
                )
            except sqlite3.DatabaseError as error:
                problems.append(f"{label}: {error} (run: margin doctor --rebuild)")
        return problems

    @_locked
    def annotation_health(self) -> dict[str, int]:
        """How many notes are orphaned and how many detached (``store.annotations.health``)."""
        return annotations.health(self.conn)

    @_locked
    def optimize(self) -> None:
        """Merge the full-text index's segments (after a large import)."""
        self.conn.execute("INSERT INTO articles_fts(articles_fts) VALUES ('optimize')")

    # -- annotations: notes, highlights, bookmarks, drafts ---------------------------------
    @_locked
    def add_note(
        self, article_id: int, start: int, end: int, *, body: str = "", color: str | None = None
    ) -> Note:
        """Highlight ``[start, end)`` of an article's plain text, with an optional note.

        :param body: the note in Markdown; empty for a plain highlight.
        :param color: one of ``COLORS`` (default the first).
        """
        with self._transaction():
            return annotations.add_note(
                self.conn, article_id, start, end, body=body, color=color, stamp=now()
            )

    @_locked
    def add_note_by_quote(
        self,
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
    ) -> Note:
        """Anchor a note from a text-quote selector (and offsets if known).

        A quote that cannot be placed is kept as an orphan, never dropped.
        """
        with self._transaction():
            return annotations.add_note_by_quote(
                self.conn,
                article_id,
                quote,
                prefix=prefix,
                suffix=suffix,
                start=start,
                end=end,
                body=body,
                color=color,
                external_id=external_id,
                stamp=now(),
            )

    @_reads
    def note(self, note_id: int) -> Note | None:
        """One note, or None."""
        return annotations.get_note(self.conn, note_id)

    @_reads
    def notes(self, article_id: int | None = None, **filters: Any) -> list[Note]:
        """Notes, filtered; see ``store.annotations.list_notes`` for the filters."""
        return annotations.list_notes(self.conn, article_id, **filters)

    @_locked
    def update_note(
        self,
        note_id: int,
        *,
        body: str | None = None,
        color: str | None = None,
        start: int | None = None,
        end: int | None = None,
    ) -> Note:
        """Edit a note's text or colour, or place it (an orphan too) on ``[start, end)``."""
        with self._transaction():
            return annotations.update_note(
                self.conn, note_id, body=body, color=color, start=start, end=end, stamp=now()
            )

    @_locked
    def delete_note(self, note_id: int) -> Note:
        """Delete a note; the returned copy can be given to ``restore_note`` to undo."""
        with self._transaction():
            return annotations.delete_note(self.conn, note_id)

    @_locked
    def restore_note(self, note: Note) -> Note:
        """Undo ``delete_note``: the note comes back with its id."""
        with self._transaction():
            return annotations.restore_note(self.conn, note)

    @_locked
    def restore_bookmark(self, bookmark: Bookmark) -> Bookmark:
        """Undo a bookmark's delete: it comes back with its id, label and date."""
        with self._transaction():
            return annotations.restore_bookmark(self.conn, bookmark)

    @_locked
    def add_bookmark(
        self, article_id: int, *, offset: int | None = None, label: str = ""
    ) -> Bookmark:
        """Bookmark an article (``offset`` None) or the passage at a plain-text offset."""
        with self._transaction():
            return annotations.add_bookmark(
                self.conn, article_id, offset=offset, label=label, stamp=now()
            )

    @_reads
    def bookmarks(self, article_id: int | None = None) -> list[Bookmark]:
        """One article's bookmarks in text order, or every bookmark, newest first."""
        return annotations.list_bookmarks(self.conn, article_id)

    @_locked
    def delete_bookmark(self, bookmark_id: int) -> Bookmark:
        """Delete a bookmark and return it."""
        with self._transaction():
            return annotations.delete_bookmark(self.conn, bookmark_id)

    @_locked
    def unbookmark(self, article_id: int) -> bool:
        """Remove an article's whole-article bookmark; True if it had one."""
        with self._transaction():
            return annotations.unbookmark_article(self.conn, article_id)

    @_reads
    def article_tags(self, article_id: int) -> list[str]:
        """An article's tags, by name."""
        return annotations.tag_names(self.conn, article_id)

    @_locked
    def save_draft(self, key: str, text: str) -> None:
        """Keep the text of a note being typed (committed at once)."""
        with self._transaction():
            annotations.save_draft(self.conn, key, text, stamp=now())

    @_reads
    def draft(self, key: str) -> str | None:
        """The draft kept under ``key``, if any."""
        return annotations.get_draft(self.conn, key)

    @_reads
    def drafts(self) -> list[tuple[str, str, str]]:
        """Every kept draft as (key, text, updated), newest first."""
        return annotations.list_drafts(self.conn)

    @_locked
    def drop_draft(self, key: str) -> None:
        """Forget a draft once its note is saved."""
        with self._transaction():
            annotations.drop_draft(self.conn, key)

    @_locked
    def export_annotations(self) -> list[dict[str, Any]]:
        """Every note and bookmark as W3C Web Annotations (``store.webannotation``)."""
        from .webannotation import export_all

        return export_all(self.conn)

    @_locked
    def import_annotations(self, items: Iterable[dict[str, Any]]) -> dict[str, Any]:
        """Anchor W3C Web Annotations on the articles their targets name, in one transaction.

        Returns counts (``imported``, ``anchored``, ``orphaned``, ``unchanged``) and
        ``skipped``: one ``{"id", "reason"}`` per annotation that was not taken.
        """
        from .webannotation import import_all

        with self._transaction():
            return import_all(self.conn, list(items), stamp=now())

    @_locked
    def export_notes_markdown(self) -> dict[str, str]:
        """File name → Markdown of every article's notes (``store.notes_markdown``)."""
        from .notes_markdown import export_files

        tags: dict[int, list[str]] = {}
        for article_id, name in self.conn.execute(
            "SELECT at.article_id, t.name FROM article_tags at JOIN tags t ON t.id = at.tag_id "
            "ORDER BY t.name COLLATE NOCASE"
        ):
            tags.setdefault(article_id, []).append(name)
        return export_files(
            annotations.notes_for_export(self.conn), annotations.list_bookmarks(self.conn), tags
        )

    # -- versions --------------------------------------------------------------------------
    @_reads
    def versions(self, article_id: int) -> list[Version]:
        """An article's earlier texts, oldest first (numbered from 1)."""
        return versions.list_versions(self.conn, article_id)

    @_reads
    def version_count(self, article_id: int) -> int:
        """How many earlier texts an article has."""
        return versions.count(self.conn, article_id)

    @_reads
    def version_text(self, article_id: int, number: int) -> str:
        """The plain text of version ``number``; LibraryError if there is none."""
        return self._version(article_id, number)[0]

    @_reads
    def version_markdown(self, article_id: int, number: int) -> str:
        """The Markdown of version ``number``; LibraryError if there is none."""
        return self._version(article_id, number)[1]

    def _version(self, article_id: int, number: int) -> tuple[str, str]:
        try:
            return versions.texts(self.conn, article_id, number)
        except KeyError:
            raise LibraryError(
                f"article {article_id} has no version {number} (see: margin versions {article_id})"
            ) from None

    # search ------------------------------------------------------------------------------
    @_reads
    def search_results(self, query: str, **options: Any) -> SearchResults:  # search
        """``store.search.SearchResults`` for ``query`` (hits, total, correction, hints)."""
        from .search import search_results

        return search_results(self.conn, query, **options)

    @_reads
    def story_marks(self, article_id: int, others: Sequence[int]) -> dict[int, str]:
        """Which of ``others`` tell the same story as ``article_id`` ("same story") or
        nearly copy it ("near-duplicate"); see ``store.similarity``."""
        from .similarity import story_marks

        return dict(story_marks(self.conn, article_id, others))

    @_reads
    def related(self, article_id: int, limit: int = 20) -> list[SearchHit]:  # search
        """Articles sharing an article's most distinctive terms."""
        from .search import related

        return related(self.conn, article_id, limit)

    @_reads
    def search_history(self) -> list[str]:  # search
        """Past search queries, most recent first."""
        from .search import history

        return history(self.conn)

    @_locked
    def remember_search(self, query: str) -> None:  # search
        """Add a query to the search history."""
        from .search import remember

        remember(self.conn, query)

    @_locked
    def refresh_vocabulary(self) -> str:  # search
        """Bring the search vocabulary copy up to date (call after a large import)."""
        from .search import refresh_vocabulary

        return refresh_vocabulary(self.conn)

    def jump_index(self) -> JumpIndex:  # search
        """The ``store.jump.JumpIndex`` over titles, sources, sections, tags and notes.

        Kept between calls and rebuilt only when the library changed; the library
        stays usable while it builds (the lock covers only the reads).
        """
        from .jump import cached_index

        return cached_index(self.conn, self._lock)

    def jump(self, text: str, limit: int = 20) -> list[JumpMatch]:  # search
        """Quick-jump matches (``store.jump.JumpMatch``) for ``text``, best first."""
        return self.jump_index().search(text, limit)

    @_reads
    def search_notes(  # notesui
        self, text: str, *, color: str | None = None, limit: int = 200
    ) -> list[NoteHit]:
        """Notes matching ``text`` with snippets; see ``store.note_search.search_notes``."""
        from .note_search import search_notes

        return search_notes(self.conn, text, color=color, limit=limit)

    # -- comparison (issue 13) --------------------------------------------------------------
    def compare(
        self,
        a: int,
        b: int,
        *,
        version: int | None = None,
        progress: Callable[[float], None] | None = None,
    ) -> Any:
        """``store.comparison.Comparison`` of article ``a`` (or its version) with ``b``.

        With ``version`` the left side is version ``version`` of ``a`` (compared in revision
        mode) and ``b`` is ignored;
        ``progress`` is called with the fraction done (from the computing thread).
        """
        from .comparison import compare_texts

        left_article, right_article = self.get(a), self.get(b)
        if left_article is None or right_article is None:
            raise LibraryError(f"no article {a if left_article is None else b}")
        left = self.version_text(a, version) if version is not None else left_article.body_text
        # Two texts of one article are a revision, however much it changed.
        mode = "revision" if version is not None else None
        return compare_texts(left, right_article.body_text, progress=progress, mode=mode)

    # -- feed subscriptions (issue 17) ------------------------------------------------------
    @_locked
    def add_subscription(
        self, url: str, title: str | None = None, *, folder: str | None = None
    ) -> Subscription:
        """Subscribe to a feed URL; LibraryError if already subscribed.

        :param folder: the folder to file it under (``News/Science``).
        """
        from . import feeds

        with self._transaction():
            return feeds.add(self.conn, url, title=title, stamp=now(), folder=folder)

    @_locked
    def move_subscription(self, subscription_id: int, url: str) -> bool:
        """Record that a feed moved for good to ``url``; False if that URL is subscribed."""
        from . import feeds

        with self._transaction():
            return feeds.move(self.conn, subscription_id, url)

    @_reads
    def subscription(self, key: int | str) -> Subscription | None:
        """A subscription by id or URL, with its article and unread counts."""
        from . import feeds

        return feeds.get(self.conn, key)

    @_reads
    def subscriptions(self) -> list[Subscription]:
        """Every subscription, by title."""
        from . import feeds

        return feeds.all_subscriptions(self.conn)

    @_locked
    def remove_subscription(self, key: int | str) -> Subscription:
        """Unsubscribe (the feed's articles stay); LibraryError if there is no such feed."""
        from . import feeds

        found = feeds.get(self.conn, key)
        if found is None:
            raise LibraryError(f"no subscription {key}")
        with self._transaction():
            feeds.remove(self.conn, found.id)
        return found

    @_locked
    def update_subscription(self, subscription_id: int, **state: str | None) -> None:
        """Record a refresh's outcome: ``status``, ``error``, validators, ``checked_at``..."""
        from . import feeds

        with self._transaction():
            feeds.update(self.conn, subscription_id, **state)

    @_reads
    def feed_entry_digests(self, subscription_id: int) -> dict[str, str]:
        """Entry key to content digest for every entry a feed has given."""
        from . import feeds

        return feeds.entry_digests(self.conn, subscription_id)

    @_locked
    def store_feed_entries(
        self,
        subscription_id: int,
        entries: Iterable[tuple[str, str, ArticleDraft | PreparedArticle]],
        **state: str | None,
    ) -> list[StoreResult]:
        """Store a refresh's new and changed entries and the feed's new state, atomically.

        ``entries`` are ``(entry_key, digest, draft)``. Each draft goes through the
        import path (matched by URL, so a changed entry keeps its id and its old text
        becomes a version with origin ``feed``). An entry whose link changed is first
        moved to its new link, so it too keeps its id.
        """
        from . import feeds
        from .prepare import PreparedArticle, prepare

        items = list(entries)
        prepared = [d if isinstance(d, PreparedArticle) else prepare(d) for _, _, d in items]
        stamp = now()
        with self._transaction():
            for (key, _, _), item in zip(items, prepared, strict=True):
                feeds.follow_link(self.conn, subscription_id, key, item.row["url"])
            results = [self._store_one(item, "feed") for item in prepared]
            feeds.record_entries(
                self.conn,
                subscription_id,
                [(key, r.id, digest) for (key, digest, _), r in zip(items, results, strict=True)],
                stamp=stamp,
            )
            feeds.update(self.conn, subscription_id, **state)
        return results

    # -- saved links waiting for their page (issue 17) --------------------------------------
    @_locked
    def add_pending_links(self, urls: Iterable[str]) -> int:
        """Queue the link entries stored under ``urls`` for ``margin fetch-pending``."""
        from . import pending

        with self._transaction():
            return pending.add_by_url(self.conn, urls, stamp=now())

    @_locked
    def add_pending_articles(self, article_ids: Iterable[int]) -> int:
        """Queue these excerpts (by id) to have their pages fetched."""
        from . import pending

        with self._transaction():
            return pending.add_articles(self.conn, article_ids, stamp=now())

    @_reads
    def pending_links(
        self, *, failed: bool = True, ids: Iterable[int] | None = None
    ) -> list[PendingLink]:
        """Queued links, oldest first (``failed=False``: only those never tried)."""
        from . import pending

        return pending.waiting(self.conn, failed=failed, ids=ids)

    @_locked
    def fill_pending(self, link: PendingLink, draft: ArticleDraft) -> StoreResult:
        """Store the fetched page of a queued link in its entry (same id) and dequeue it."""
        from dataclasses import replace

        from . import pending

        with self._transaction():
            # The entry is found by the saved URL, whatever the page calls itself.
            (result,) = self.store([replace(draft, url=link.url)], version_origin="fetch")
            pending.done(self.conn, link.article_id)
        return result

    @_locked
    def pending_failed(self, article_id: int, error: str) -> None:
        """Record a failed fetch of a queued link (it stays queued)."""
        from . import pending

        with self._transaction():
            pending.failed(self.conn, article_id, error, stamp=now())

    # -- library actions (issue 16) ------------------------------------------------------------
    @_locked
    def data_version(self) -> int:
        """A number that changes when another connection commits to the file.

        Cheap enough to poll every second or two (no file is read): the library
        screen refreshes when it moves, e.g. while ``margin import`` runs elsewhere.
        """
        return self.conn.execute("PRAGMA data_version").fetchone()[0]

    @_locked
    def kind_counts(self, **filters: Any) -> dict[str, int]:
        """Articles and excerpts matching ``summaries``' filters, counted apart."""
        kind = filters.pop("kind", None)
        if kind:
            return {"article": 0, "excerpt": 0, kind: self.count(kind=kind, **filters)}
        excerpts = self.count(kind="excerpt", **filters)
        return {"article": self.count(**filters) - excerpts, "excerpt": excerpts}

    @_locked
    def index_of(self, article_id: int, *, sort: SortKey = "date", **filters: Any) -> int | None:
        """The row of an article in ``summaries``' order and filters, or None if not listed."""
        if sort in _BEFORE:
            return self._index_by_count(article_id, sort, filters)
        args = {name: filters.get(name) for name in ("kind", "source", "section", "tag", "text")}
        where, params = self._filters(
            **args, unread=bool(filters.get("unread")), archived=filters.get("archived", False)
        )
        order = _ORDER_BY[sort]
        if sort == "read":
            # As _by_last_read pages it: the opened by last read, then the rest by date.
            order = (
                "p.updated_at IS NULL, p.updated_at DESC, "
                "CASE WHEN p.updated_at IS NULL THEN coalesce(a.published, a.imported_at) END "
                "DESC, a.id DESC"
            )
        row = self.conn.execute(
            f"SELECT n FROM (SELECT a.id, row_number() OVER (ORDER BY {order}) - 1 AS n "
            f"FROM articles a LEFT JOIN reading_positions p ON p.article_id = a.id {where}) "
            "WHERE id = ?",
            [*params, article_id],
        ).fetchone()
        return row[0] if row else None

    def _index_by_count(self, article_id: int, sort: str, filters: dict[str, Any]) -> int | None:
        """``index_of`` as a count of the rows listed before the article: a range of the
        sort's index (milliseconds at 100k articles), where numbering every row takes ~1 s."""
        row = self.conn.execute(
            "SELECT coalesce(published, imported_at), title, source FROM articles WHERE id = ?",
            (article_id,),
        ).fetchone()
        if row is None:
            return None
        date, title, source = row
        args = {name: filters.get(name) for name in ("kind", "source", "section", "tag", "text")}
        unread = bool(filters.get("unread"))
        archived = filters.get("archived", False)
        join = "LEFT JOIN reading_positions p ON p.article_id = a.id" if unread else ""
        where, params = self._filters(**args, unread=unread, archived=archived)
        listed = self.conn.execute(
            f"SELECT 1 FROM articles a {join} {where} {'AND' if where else 'WHERE'} a.id = ?",
            [*params, article_id],
        ).fetchone()
        if not listed:
            return None
        before = _BEFORE[sort]
        if sort == "source" and source is None:
            before = _BEFORE_NULL_SOURCE
        values = {"date": date, "title": title, "source": source, "id": article_id}

        def count(which: bool | None) -> int:
            where, params = self._filters(**args, unread=unread, archived=which)
            # The archived are few: read them from their index, not the sort's.
            table = "articles a INDEXED BY articles_archived" if which else "articles a"
            total = 0
            for clause, names in before:
                sql = f"{where} AND {clause}" if where else f"WHERE {clause}"
                total += self.conn.execute(
                    f"SELECT count(*) FROM {table} {join} {sql}",
                    [*params, *(values[name] for name in names)],
                ).fetchone()[0]
            return total

        if archived is False:
            # As in ``count``: all minus the archived reads indexes only.
            return count(None) - count(True)
        return count(archived)

    def _exists(self, article_id: int) -> None:
        if not self.conn.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone():
            raise LibraryError(f"no article {article_id}")

    @_locked
    def mark_read(self, article_id: int, read: bool = True) -> None:
        """Mark an article read (finished) or unread by hand.

        Unread forgets that it was finished and, when it was read to the end, starts
        it again from the top; a half-read article keeps its place either way.
        """
        stamp = now()
        with self._transaction():
            self._exists(article_id)
            if read:
                self.conn.execute(
                    "INSERT INTO reading_positions (article_id, progress, finished_at, "
                    "updated_at) VALUES (?, 1.0, ?, ?) ON CONFLICT(article_id) DO UPDATE SET "
                    "progress = 1.0, finished_at = coalesce(finished_at, excluded.finished_at)",
                    (article_id, stamp, stamp),
                )
                return
            self.conn.execute(
                "UPDATE reading_positions SET finished_at = NULL, "
                "paragraph = CASE WHEN progress >= 0.999 THEN 0 ELSE paragraph END, "
                "char_offset = CASE WHEN progress >= 0.999 THEN 0 ELSE char_offset END, "
                "progress = CASE WHEN progress >= 0.999 THEN 0 ELSE progress END "
                "WHERE article_id = ?",
                (article_id,),
            )

    @_locked
    def archive(self, article_id: int, archived: bool = True) -> None:
        """Archive an article (it leaves the default list; search still finds it), or undo."""
        with self._transaction():
            self._exists(article_id)
            self.conn.execute(
                "UPDATE articles SET archived_at = CASE WHEN ? THEN coalesce(archived_at, ?) END "
                "WHERE id = ?",
                (archived, now(), article_id),
            )

    @_locked
    def is_archived(self, article_id: int) -> bool:
        """Whether an article is archived (False if there is none)."""
        row = self.conn.execute(
            "SELECT archived_at IS NOT NULL FROM articles WHERE id = ?", (article_id,)
        ).fetchone()
        return bool(row and row[0])

    @_reads
    def last_read_since(self, stamp: str) -> int | None:
        """The article whose reading position was saved last, if at or after ``stamp``.

        The library screen puts its cursor back on the article just read, however it
        was reached (search, quick jump, alt+n).
        """
        row = self.conn.execute(
            "SELECT article_id FROM reading_positions WHERE updated_at >= ? "
            "ORDER BY updated_at DESC LIMIT 1",
            (stamp,),
        ).fetchone()
        return row[0] if row else None

    # -- images ------------------------------------------------------------------------------
    @_reads
    def article_images(self, article_id: int) -> dict[str, ImageInfo]:
        """The stored images of an article by their ``src`` in its Markdown (no bytes)."""
        return images.infos(self.conn, article_id)

    @_reads
    def image_data(self, digest: str) -> bytes | None:
        """The bytes of a stored image (by ``ImageInfo.hash``), or None if it is gone."""
        return images.data(self.conn, digest)

    @_reads
    def image_totals(self) -> tuple[int, int]:
        """Stored images and their bytes in all (each stored once, however often used)."""
        return images.totals(self.conn)
