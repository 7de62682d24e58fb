"""The index's vocabulary: document frequencies for the planner, typo correction.

FTS5 can list its terms with their document counts (``fts5vocab``), but reading
them walks every doclist: ~2 s at 100,000 articles, and even one common term's
count walks its whole doclist. So Margin keeps a copy, ``search_vocab`` (term,
doc), filled by the search migration and brought up to date incrementally:
triggers queue changed articles in ``search_vocab_pending`` and :func:`sync`
tokenizes just those (through a temporary FTS5 table with the index's own
tokenizer, so the terms are exactly the index's porter stems) and adds their
counts. A large backlog (a big import) is cheaper to rebuild from ``fts5vocab``
than to tokenize again, so :func:`sync` does that instead. Counts of deleted
or re-imported articles are not taken back until the next rebuild: they are
estimates for planning and candidates for correction, and every correction is
checked against the index itself before it is used.

In memory, :class:`Vocabulary` holds the terms sorted (prefix ranges with
cumulative counts, for prefix document frequencies) and bucketed by first letter
and length (typo candidates), loaded once per generation of the table. A process
that runs one search (``margin search``) calls :func:`read_by_term` first: then
:func:`load` gives a :class:`TermLookups`, which answers the same questions from
the stored copy term by term (its primary key) instead of loading all of it
(~0.1 s at 100,000 articles, most of such a process).
"""

from __future__ import annotations

import bisect
import math
import sqlite3
from _thread import allocate_lock
from collections.abc import Iterator, Mapping

from .migrations import FTS_COLUMNS, FTS_TOKENIZE
from .record import Record

INCREMENTAL_LIMIT = 400
"""Pending articles up to this many are tokenized; more, and the copy is rebuilt."""

_TOKENIZER_READY: set[int] = set()
_CACHE: dict[int, Vocabulary] = {}
# threading.Lock is _thread's lock; importing threading costs margin search ~1-2 ms.
_CACHE_LOCK = allocate_lock()
_BY_TERM = [False]


def read_by_term(on: bool = True) -> None:
    """Make :func:`load` look terms up one by one in this process (see the module doc)."""
    _BY_TERM[0] = on


def tokenizer(conn: sqlite3.Connection) -> None:
    """Create the temporary tokenizing table ``temp.margin_tok`` on this connection (once).

    It has the index's columns and tokenizer (search makes snippets in it too).
    """
    if id(conn) in _TOKENIZER_READY:
        try:
            conn.execute("SELECT 1 FROM temp.margin_tok LIMIT 0")
            return
        except sqlite3.OperationalError:
            pass
    columns = ", ".join(FTS_COLUMNS)
    conn.execute(
        f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.margin_tok USING fts5({columns}, "
        f"tokenize='{FTS_TOKENIZE}')"
    )
    conn.execute(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.margin_tok_instance "
        "USING fts5vocab(temp, margin_tok, instance)"
    )
    conn.execute(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.margin_tok_row "
        "USING fts5vocab(temp, margin_tok, row)"
    )
    _TOKENIZER_READY.add(id(conn))


_TOKEN_CACHE: dict[str, list[str]] = {}
_TOKEN_CACHE_SIZE = 4096


def tokens(conn: sqlite3.Connection, text: str) -> list[str]:
    """``text`` as the index stores it: lower-cased, unaccented porter stems, in order.

    Query words repeat from keystroke to keystroke, and the tokenizer is the same
    for every library, so results are cached by text.
    """
    if not text.strip():
        return []
    cached = _TOKEN_CACHE.get(text)
    if cached is None:
        if len(_TOKEN_CACHE) >= _TOKEN_CACHE_SIZE:
            _TOKEN_CACHE.clear()
        cached = _TOKEN_CACHE[text] = _tokenize(conn, text)
    return list(cached)


def _tokenize(conn: sqlite3.Connection, text: str) -> list[str]:
    tokenizer(conn)
    conn.execute("DELETE FROM temp.margin_tok")
    conn.execute("INSERT INTO temp.margin_tok (rowid, body_text) VALUES (1, ?)", (text,))
    terms = [
        t for (t,) in conn.execute("SELECT term FROM temp.margin_tok_instance ORDER BY offset")
    ]
    conn.execute("DELETE FROM temp.margin_tok")
    return terms


def term_counts(
    conn: sqlite3.Connection, texts: list[tuple[str, ...]]
) -> dict[str, tuple[int, int]]:
    """Index terms of some documents: term -> (documents containing it, occurrences).

    :param texts: one tuple per document, in ``FTS_COLUMNS`` order.
    """
    tokenizer(conn)
    conn.execute("DELETE FROM temp.margin_tok")
    placeholders = ", ".join("?" for _ in FTS_COLUMNS)
    conn.executemany(
        f"INSERT INTO temp.margin_tok ({', '.join(FTS_COLUMNS)}) VALUES ({placeholders})",
        texts,
    )
    counts = {
        term: (doc, cnt)
        for term, doc, cnt in conn.execute("SELECT term, doc, cnt FROM temp.margin_tok_row")
    }
    conn.execute("DELETE FROM temp.margin_tok")
    return counts


# -- the stored copy ------------------------------------------------------------------------
def generation(conn: sqlite3.Connection) -> int:
    """A random number drawn anew whenever the stored vocabulary changes."""
    row = conn.execute("SELECT value FROM search_state WHERE key = 'vocab_generation'").fetchone()
    return int(row[0]) if row else 0


def _bump(conn: sqlite3.Connection) -> None:
    conn.execute(
        "INSERT OR REPLACE INTO search_state (key, value) VALUES ('vocab_generation', random())"
    )


def built(conn: sqlite3.Connection) -> bool:
    """Whether the vocabulary copy holds anything yet."""
    return conn.execute("SELECT EXISTS (SELECT 1 FROM search_vocab)").fetchone()[0] == 1


def pending(conn: sqlite3.Connection) -> int:
    """Articles changed since the vocabulary copy was last brought up to date."""
    return conn.execute("SELECT count(*) FROM search_vocab_pending").fetchone()[0]


def rebuild(conn: sqlite3.Connection) -> None:
    """Copy the whole vocabulary out of ``fts5vocab`` (seconds on a big library)."""
    conn.execute(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.margin_articles_vocab "
        "USING fts5vocab(main, articles_fts, row)"
    )
    with _savepoint(conn):
        conn.execute("DELETE FROM search_vocab")
        conn.execute(
            "INSERT INTO search_vocab (term, doc) SELECT term, doc FROM temp.margin_articles_vocab"
        )
        conn.execute("DELETE FROM search_vocab_pending")
        conn.execute("INSERT OR REPLACE INTO search_state (key, value) VALUES ('vocab_added', 0)")
        _bump(conn)


def sync(conn: sqlite3.Connection, *, limit: int = INCREMENTAL_LIMIT) -> str:
    """Bring the copy up to date: "current", "added" (incrementally) or "rebuilt".

    :param limit: the most pending articles to tokenize; beyond it, rebuild.
    """
    waiting = pending(conn)
    if not waiting:
        return "current"
    total = conn.execute("SELECT count(*) FROM articles").fetchone()[0] or 1
    added_row = conn.execute("SELECT value FROM search_state WHERE key = 'vocab_added'").fetchone()
    added = int(added_row[0]) if added_row else 0
    if waiting > limit or added + waiting > 0.2 * total:
        rebuild(conn)
        return "rebuilt"
    ids = [i for (i,) in conn.execute("SELECT article_id FROM search_vocab_pending")]
    columns = ", ".join(f"coalesce({c}, '')" for c in FTS_COLUMNS)
    texts = []
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ", ".join("?" for _ in chunk)
        texts.extend(
            conn.execute(f"SELECT {columns} FROM article_texts WHERE id IN ({marks})", chunk)
        )
    counts = term_counts(conn, texts) if texts else {}
    with _savepoint(conn):
        conn.executemany(
            "INSERT INTO search_vocab (term, doc) VALUES (?, ?) "
            "ON CONFLICT(term) DO UPDATE SET doc = doc + excluded.doc",
            [(term, doc) for term, (doc, _) in counts.items()],
        )
        conn.executemany(
            "DELETE FROM search_vocab_pending WHERE article_id = ?", [(i,) for i in ids]
        )
        conn.execute(
            "INSERT INTO search_state (key, value) VALUES ('vocab_added', ?) "
            "ON CONFLICT(key) DO UPDATE SET value = value + excluded.value",
            (len(texts),),
        )
        _bump(conn)
    return "added"


class _savepoint:
    """A savepoint that works inside or outside a transaction."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def __enter__(self) -> None:
        self.conn.execute("SAVEPOINT margin_vocab")

    def __exit__(self, kind: object, *rest: object) -> None:
        if kind is None:
            self.conn.execute("RELEASE margin_vocab")
        else:
            self.conn.execute("ROLLBACK TO margin_vocab")
            self.conn.execute("RELEASE margin_vocab")


# -- in memory ------------------------------------------------------------------------------
# Plain classes, not dataclasses: margin search imports this module on every run
# (see store.record).
class Suggestion(Record):
    """An indexed term close to a word that is not in the index."""

    __slots__ = ("term", "score", "doc")

    def __init__(self, term: str, score: float, doc: int) -> None:
        self.term = term
        self.score = score
        self.doc = doc


class Vocabulary:
    """The vocabulary copy in memory: sorted terms with counts, typo buckets.

    :param current: no article was waiting to be counted when this copy was loaded.
    """

    surfaces: dict[str, dict[str, int]]
    """Written forms of terms found so far (see :func:`forms`)."""

    def __init__(
        self,
        generation: int,
        terms: list[str],
        docs: list[int],
        *,
        articles: int = 0,
        current: bool = True,
    ) -> None:
        self.generation = generation
        self.terms = terms
        self.docs = docs
        self.articles = articles
        self.current = current
        self.buckets: dict[str, list[str]] = {}
        self.by_length: dict[int, list[str]] = {}
        self.surfaces = {}
        self.df: dict[str, int] = dict(zip(terms, docs, strict=True))
        total = 0
        self.cumulative = [0]
        for count in docs:
            total += count
            self.cumulative.append(total)

    def prepare(self) -> None:
        """Build the typo buckets now (~0.1 s at 100,000 articles) rather than at the
        first correction."""
        self._ensure_buckets()

    def _ensure_buckets(self) -> None:
        if self.buckets or not self.terms:
            return
        buckets: dict[str, list[str]] = {}
        lengths: dict[int, list[str]] = {}
        for term in self.terms:
            if term.isdigit():
                continue
            buckets.setdefault(term[0] + chr(min(len(term), 40)), []).append(term)
            lengths.setdefault(len(term), []).append(term)
        self.buckets, self.by_length = buckets, lengths

    def prefix_df(self, prefix: str) -> tuple[int, int]:
        """(sum of document counts, number of terms) of the terms starting with ``prefix``."""
        lo = bisect.bisect_left(self.terms, prefix)
        hi = bisect.bisect_left(self.terms, prefix + "\U0010ffff")
        return self.cumulative[hi] - self.cumulative[lo], hi - lo

    def completions(self, prefix: str, limit: int) -> list[tuple[str, int]]:
        """The ``limit`` most frequent terms starting with ``prefix``."""
        lo = bisect.bisect_left(self.terms, prefix)
        hi = bisect.bisect_left(self.terms, prefix + "\U0010ffff")
        found = list(zip(self.terms[lo:hi], self.docs[lo:hi], strict=True))
        found.sort(key=lambda pair: -pair[1])
        return found[:limit]

    def containing(self, needle: str, limit: int) -> list[tuple[str, int]]:
        """Terms containing ``needle`` (for substring search), most frequent first."""
        found = [(t, self.df[t]) for t in self.terms if needle in t]
        found.sort(key=lambda pair: -pair[1])
        return found[:limit]

    def suggest(self, word: str, limit: int = 3, cutoff: float = 72.0) -> list[Suggestion]:
        """Indexed terms nearest to ``word`` (an index-form token), best first.

        Candidates share the first letter and are within two letters of the length;
        when none is close enough, every term within one letter of the length is
        tried (a typo in the first letter).
        """
        if not word:
            return []
        # Imported here: ~50 ms that a search without a typo never needs.
        from rapidfuzz import fuzz, process

        self._ensure_buckets()
        size = len(word)
        pool: list[str] = []
        for length in range(max(1, size - 2), size + 3):
            pool.extend(self.buckets.get(word[0] + chr(min(length, 40)), ()))
        found = process.extract(word, pool, scorer=fuzz.ratio, score_cutoff=cutoff, limit=12)
        if not found and size >= 4:
            wide: list[str] = []
            for length in range(size - 1, size + 2):
                wide.extend(self.by_length.get(length, ()))
            found = process.extract(word, wide, scorer=fuzz.ratio, score_cutoff=cutoff, limit=12)
        ranked = [
            Suggestion(term, score + 2.0 * math.log10(self.df.get(term, 1) + 1), self.df[term])
            for term, score, _ in found
            if term != word
        ]
        ranked.sort(key=lambda s: -s.score)
        return ranked[:limit]


def load(conn: sqlite3.Connection) -> Vocabulary:
    """The in-memory vocabulary of this connection, reloaded when the table changed
    (after :func:`read_by_term`, a :class:`TermLookups` instead)."""
    current = generation(conn)
    with _CACHE_LOCK:
        cached = _CACHE.get(id(conn))
        if cached is not None and cached.generation == current:
            return cached
    if _BY_TERM[0]:
        lookups = TermLookups(conn, current)
        with _CACHE_LOCK:
            _CACHE[id(conn)] = lookups
        return lookups
    rows = conn.execute("SELECT term, doc FROM search_vocab ORDER BY term").fetchall()
    articles = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    vocabulary = Vocabulary(
        current,
        [r[0] for r in rows],
        [r[1] for r in rows],
        articles=articles,
        current=pending(conn) == 0,
    )
    with _CACHE_LOCK:
        _CACHE[id(conn)] = vocabulary
    return vocabulary


class _StoredCounts(Mapping[str, int]):
    """Document counts of the stored copy, read by primary key as they are asked for."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.known: dict[str, int | None] = {}

    def _doc(self, term: str) -> int | None:
        if term not in self.known:
            row = self.conn.execute(
                "SELECT doc FROM search_vocab WHERE term = ?", (term,)
            ).fetchone()
            self.known[term] = row[0] if row else None
        return self.known[term]

    def __getitem__(self, term: str) -> int:
        doc = self._doc(term) if isinstance(term, str) else None
        if doc is None:
            raise KeyError(term)
        return doc

    def __contains__(self, term: object) -> bool:
        return isinstance(term, str) and self._doc(term) is not None

    def __iter__(self) -> Iterator[str]:
        return (t for (t,) in self.conn.execute("SELECT term FROM search_vocab ORDER BY term"))

    def __len__(self) -> int:
        return self.conn.execute("SELECT count(*) FROM search_vocab").fetchone()[0]


_LAST = "\U0010ffff"
"""Above every character: ``[p, p + _LAST)`` is the terms starting with ``p`` (UTF-8's
byte order, SQLite's BINARY collation, is the order of code points, Python's)."""


class TermLookups(Vocabulary):
    """The questions :class:`Vocabulary` answers, each answered from the stored copy
    by a query on its primary key: the same answers, in the same order, without
    loading every term (for a process that runs one search)."""

    def __init__(self, conn: sqlite3.Connection, generation: int) -> None:
        self.conn = conn
        self.generation = generation
        self.terms, self.docs, self.cumulative = [], [], []
        self.df = _StoredCounts(conn)  # type: ignore[assignment]
        self.buckets, self.by_length = {}, {}
        self.surfaces = {}
        self._articles: int | None = None
        self._current: bool | None = None

    @property  # type: ignore[override]
    def articles(self) -> int:
        """Articles in the library, as the full-text index counts them: one read of its
        totals record instead of counting 100,000 rows (3.5 ms of a ``margin search``)."""
        if self._articles is None:
            from .impact import stats

            self._articles = stats(self.conn).rows
        return self._articles

    @property  # type: ignore[override]
    def current(self) -> bool:
        """No article is waiting to be counted."""
        if self._current is None:
            self._current = pending(self.conn) == 0
        return self._current

    def prepare(self) -> None:
        """Nothing to build: typo candidates are read when a correction needs them."""

    def prefix_df(self, prefix: str) -> tuple[int, int]:
        """(sum of document counts, number of terms) of the terms starting with ``prefix``."""
        total, terms = self.conn.execute(
            "SELECT coalesce(sum(doc), 0), count(*) FROM search_vocab WHERE term >= ? AND term < ?",
            (prefix, prefix + _LAST),
        ).fetchone()
        return total, terms

    def completions(self, prefix: str, limit: int) -> list[tuple[str, int]]:
        """The ``limit`` most frequent terms starting with ``prefix``."""
        return self.conn.execute(
            "SELECT term, doc FROM search_vocab WHERE term >= ? AND term < ? "
            "ORDER BY doc DESC, term LIMIT ?",
            (prefix, prefix + _LAST, limit),
        ).fetchall()

    def containing(self, needle: str, limit: int) -> list[tuple[str, int]]:
        """Terms containing ``needle`` (for substring search), most frequent first."""
        return self.conn.execute(
            "SELECT term, doc FROM search_vocab WHERE instr(term, ?) > 0 "
            "ORDER BY doc DESC, term LIMIT ?",
            (needle, limit),
        ).fetchall()

    def suggest(self, word: str, limit: int = 3, cutoff: float = 72.0) -> list[Suggestion]:
        """Indexed terms nearest to ``word``, as :meth:`Vocabulary.suggest` finds them:
        the candidates are read in the order the in-memory buckets hold them."""
        if not word:
            return []
        from rapidfuzz import fuzz, process

        size = len(word)
        low = max(1, size - 2)
        # Terms of 40 letters and more share one bucket.
        shortest, longest = min(low, 40), (size + 2 if size + 2 < 40 else 1 << 30)
        rows = self.conn.execute(
            "SELECT term, doc FROM search_vocab WHERE term >= ? AND term < ? "
            "AND length(term) BETWEEN ? AND ? ORDER BY term",
            (word[0], word[0] + _LAST, shortest, longest),
        ).fetchall()
        buckets: dict[int, list[str]] = {}
        docs: dict[str, int] = {}
        for term, doc in rows:
            if term.isdigit():
                continue
            buckets.setdefault(min(len(term), 40), []).append(term)
            docs[term] = doc
        pool: list[str] = []
        for length in range(low, size + 3):
            pool.extend(buckets.get(min(length, 40), ()))
        found = process.extract(word, pool, scorer=fuzz.ratio, score_cutoff=cutoff, limit=12)
        if not found and size >= 4:
            wide_rows = self.conn.execute(
                "SELECT term, doc FROM search_vocab WHERE length(term) BETWEEN ? AND ? "
                "ORDER BY length(term), term",
                (size - 1, size + 1),
            ).fetchall()
            wide = [t for t, _ in wide_rows if not t.isdigit()]
            docs.update(wide_rows)
            found = process.extract(word, wide, scorer=fuzz.ratio, score_cutoff=cutoff, limit=12)
        ranked = [
            Suggestion(term, score + 2.0 * math.log10(docs.get(term, 1) + 1), docs[term])
            for term, score, _ in found
            if term != word
        ]
        ranked.sort(key=lambda s: -s.score)
        return ranked[:limit]


def forget(conn: sqlite3.Connection) -> None:
    """Drop this connection's cached copy (when it closes)."""
    with _CACHE_LOCK:
        _CACHE.pop(id(conn), None)
    _TOKENIZER_READY.discard(id(conn))


# -- written forms --------------------------------------------------------------------------
_SURFACES_SIZE = 4096
SURFACE_ARTICLES = 4
"""Titles read for an index term's written forms."""
SURFACE_BODIES = 2
"""Bodies read for an index term's written forms."""


def _marked(text: str) -> list[str]:
    """The words the index marked (``\\x02word\\x03``) in a highlighted text."""
    out = []
    for part in text.split("\x02")[1:]:
        end = part.find("\x03")
        if end >= 0:
            out.append(part[:end])
    return out


def forms(conn: sqlite3.Connection, term: str) -> dict[str, int]:
    """How the library writes an index term (``jupit``: ``jupiter``, ``jupiters``),
    lower-cased, with how often each form was seen in a few articles that have it.

    The index marks the term's words in a few titles (their own index) and bodies.
    """
    cache = load(conn).surfaces
    if term in cache:
        return dict(cache[term])
    counts: dict[str, int] = {}
    expression = '"' + term.replace('"', '""') + '"'
    for (marked,) in conn.execute(
        "SELECT highlight(titles_fts, 0, char(2), char(3)) FROM titles_fts "
        "WHERE titles_fts MATCH ? LIMIT ?",
        (expression, SURFACE_ARTICLES),
    ):
        for word in _marked(marked or ""):
            counts[word.casefold()] = counts.get(word.casefold(), 0) + 1
    # The index marks the term in the shortest of a few bodies too (no bm25: no pass
    # over the term's matches; highlight() tokenizes just these bodies).
    from .impact import lengths

    ids = [
        r[0]
        for r in conn.execute(
            "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? LIMIT ?",
            (expression, SURFACE_BODIES * 8),
        )
    ]
    sizes = lengths(conn, ids) if ids else {}
    for article_id in sorted(ids, key=lambda i: sizes.get(i, 0))[:SURFACE_BODIES]:
        for (marked,) in conn.execute(
            "SELECT highlight(articles_fts, 4, char(2), char(3)) FROM articles_fts "
            "WHERE articles_fts MATCH ? AND rowid = ?",
            (expression, article_id),
        ):
            for word in _marked(marked or ""):
                counts[word.casefold()] = counts.get(word.casefold(), 0) + 1
    if len(cache) >= _SURFACES_SIZE:
        cache.clear()
    cache[term] = dict(counts)
    return counts


def surface(conn: sqlite3.Connection, term: str, near: str | None = None) -> str | None:
    """The written form of an index term (see :func:`forms`): the most frequent, or
    with ``near``, the one most like that word; None when no article has the term."""
    found = forms(conn, term)
    if not found:
        return None
    if near is not None:
        from rapidfuzz import fuzz  # only a correction needs it

        low = near.casefold()
        return max(found, key=lambda w: (fuzz.ratio(low, w), found[w], -len(w)))
    return min(found, key=lambda w: (-found[w], len(w), w))
