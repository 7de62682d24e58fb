"""Impact lists: candidates that provably hold the best bm25 matches of common terms.

FTS5 scores every match of a query (1-3 us each), so ranking a term in most
articles costs 80-300 ms at 100,000 articles. For one query phrase FTS5's bm25 is
``idf * sat(d)`` with ``sat(d) = F (k1 + 1) / (F + k1 (1 - b + b D / avgdl))``:
``F`` the column-weighted count of the phrase in article ``d``, ``D`` the article's
length in tokens, ``k1 = 1.2``, ``b = 0.75``; a query's score is the sum over its
phrases. So for every term in many articles (and every broad prefix as typed) we
keep the ``LIST_SIZE`` articles with the highest ``sat`` (``search_impact``), and
``theta``: the ``sat`` of the last one. Every article not listed has ``sat <= theta``.

A query then re-scores, exactly by FTS5 (``MATCH ... AND +rowid IN (...)``), the
union of its terms' lists (plus every article changed since), and checks a proof:
an article in no list scores at most ``sum(idf_now * theta_now)`` over the query's
listed phrases (a phrase or a column filter only lowers ``F``; a query with a
phrase never adds to it). When the ``limit``-th best candidate scores better than
that bound, the candidates' order *is* the exact top; otherwise the search ranks
every match. ``theta_now`` allows for the library's average length having moved
since the lists were built (see :func:`theta_now`); the idf is computed from the
library as it is now.

Articles inserted or changed after a build are queued in ``search_impact_pending``
by triggers; :func:`sync` tokenizes them (as the index does) and adds each to the
lists whose ``theta`` it reaches, which keeps every bound true. A changed article,
or a new one reusing a deleted article's rowid, first leaves every list it is in,
so each stored ``sat`` stays that of the article's text now. Until then they are
candidates of every query.
"""

from __future__ import annotations

import bisect
import math
import sqlite3
from array import array
from collections.abc import Sequence

from .migrations import FTS_COLUMNS
from .query import quote
from .record import Record

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: `margin search` never imports typing
if TYPE_CHECKING:
    from typing import Any

K1 = 1.2
B = 0.75
WEIGHTS = (10.0, 3.0, 2.0, 2.0, 1.0)
"""bm25 weights in FTS column order (the same as ``store.search.WEIGHTS``)."""
_W = ", ".join(str(w) for w in WEIGHTS)

LIST_SIZE = 1000
"""Articles kept per term: deep enough that two-word queries still prove their top."""
MIN_DOCS = 6000
"""Terms (and prefixes) in at least this many articles get a list: fewer are ranked
exactly in about 10 ms (``store.search.EXACT_LIMIT``)."""
PREFIX_LENGTHS: tuple[int, ...] = (3, 4, 5, 6)
"""Prefix lengths that get lists when broad (the search box as typed)."""
PENDING_CANDIDATES = 2000
"""Changed articles up to which queries take them as candidates (else: exact plan)."""
SYNC_LIMIT = 2000
"""Pending articles up to which :func:`sync` updates the lists (else rebuild)."""
PAIR_TERMS = 300
"""Most frequent terms whose adjacent pairs may get a list (phrases of common words)."""
PAIR_LIMIT = 1000
"""Pairs listed at most (each costs one ranking of every match at a build)."""
PAIR_SAMPLE = 400
"""Articles tokenized at a build to find which pairs of common words are frequent."""


class Entry(Record):
    """One term's list: the best articles and the bound for all others.

    :param sats: ``sat`` of each listed article at ``avgdl``, descending.
    :param docs: articles matching at the build.
    """

    __slots__ = ("ids", "sats", "theta", "avgdl", "docs")

    def __init__(
        self, ids: list[int], sats: list[float], theta: float, avgdl: float, docs: int = 0
    ) -> None:
        self.ids = ids
        self.sats = sats
        self.theta = theta
        self.avgdl = avgdl
        self.docs = docs

    def bound(self, depth: int) -> float:
        """``sat`` (at ``avgdl``) that no article beyond the first ``depth`` exceeds."""
        if depth < len(self.ids):
            return self.sats[depth - 1] if depth > 0 else math.inf
        return self.theta


IDS_CODE = "i"
"""Listed article ids are packed int32 (half of ``q``): a library holds fewer than 2**31."""
SATS_CODE = "f"
"""``sat`` values are packed float32, each rounded up (see :func:`pack`)."""
assert array(IDS_CODE).itemsize == 4 and array(SATS_CODE).itemsize == 4


def pack(ids: Sequence[int], sats: Sequence[float]) -> tuple[bytes, bytes]:
    """A list's ``ids`` and ``sats`` blobs: int32 ids (int64 when one does not fit)
    and float32 ``sat`` values, each rounded up.

    Rounding up keeps every stored value an upper bound of the article's ``sat``,
    which is all the proofs use them for; orders differ from float64 ones only
    between articles whose ``sat`` agree to 7 digits. Half the bytes of float64
    (the lists are a tenth of a 100,000-article library).
    """
    try:
        packed_ids = array(IDS_CODE, ids).tobytes()
    except OverflowError:
        packed_ids = array("q", ids).tobytes()
    packed = array(SATS_CODE, sats)
    low = [n for n, (v, f) in enumerate(zip(sats, packed, strict=True)) if f < v]
    if low:
        bits = array("I", packed.tobytes())
        for n in low:  # the next float32 up: sats are >= 0, so one more in the bits
            bits[n] += 1
        packed = array(SATS_CODE, bits.tobytes())
    return packed_ids, packed.tobytes()


def unpack(ids_blob: bytes, sats_blob: bytes) -> tuple[list[int], list[float]]:
    """A list's ids and ``sat`` values from its blobs (see :func:`pack`)."""
    sats = array(SATS_CODE)
    sats.frombytes(sats_blob)
    wide = len(sats) and len(ids_blob) == 8 * len(sats)
    ids = array("q" if wide else IDS_CODE)
    ids.frombytes(ids_blob)
    return ids.tolist(), sats.tolist()


class Stats(Record):
    """The index's own statistics (FTS5's averages record)."""

    __slots__ = ("rows", "tokens")

    def __init__(self, rows: int, tokens: int) -> None:
        self.rows = rows
        self.tokens = tokens

    @property
    def avgdl(self) -> float:
        """Average article length in tokens, all columns."""
        return self.tokens / self.rows if self.rows else 0.0


def _varint(data: bytes, at: int) -> tuple[int, int]:
    """An SQLite varint at ``at``: (value, next offset)."""
    value = 0
    for i in range(8):
        byte = data[at + i]
        value = (value << 7) | (byte & 0x7F)
        if not byte & 0x80:
            return value, at + i + 1
    return (value << 8) | data[at + 8], at + 9


def lengths(conn: sqlite3.Connection, ids: list[int]) -> dict[int, int]:
    """Articles' lengths in tokens (all columns), from FTS5's docsize table."""
    out = {}
    marks = ", ".join("?" for _ in ids)
    for rowid, blob in conn.execute(
        f"SELECT id, sz FROM articles_fts_docsize WHERE id IN ({marks})", ids
    ):
        data, at, total = bytes(blob), 0, 0
        while at < len(data):
            value, at = _varint(data, at)
            total += value
        out[rowid] = total
    return out


def sat_now(value: float, length: int, built_avgdl: float, avgdl: float) -> float:
    """An article's ``sat`` now, from its ``sat`` at ``built_avgdl`` and its length."""
    if avgdl == built_avgdl or value <= 0:
        return value
    share = value / (K1 + 1)  # F / (F + c) at the build
    before = K1 * (1 - B + B * length / built_avgdl)
    weighted = share * before / (1 - share)
    return sat(weighted, length, avgdl)


def stats(conn: sqlite3.Connection) -> Stats:
    """Row count and total tokens as FTS5's bm25 reads them."""
    row = conn.execute("SELECT block FROM articles_fts_data WHERE id = 1").fetchone()
    if not row or not row[0]:
        return Stats(0, 0)
    data = bytes(row[0])
    rows, at = _varint(data, 0)
    tokens = 0
    for _ in FTS_COLUMNS:
        if at >= len(data):
            break
        value, at = _varint(data, at)
        tokens += value
    return Stats(rows, tokens)


def idf(rows: int, hits: int) -> float:
    """FTS5's bm25 idf (clamped to 1e-6 for phrases in more than half the rows)."""
    value = math.log((0.5 + rows - hits) / (0.5 + hits)) if rows else 0.0
    return value if value > 0 else 1e-6


def sat(weighted: float, length: int, avgdl: float) -> float:
    """bm25's term-frequency part for one phrase in one article."""
    if weighted <= 0:
        return 0.0
    return weighted * (K1 + 1) / (weighted + K1 * (1 - B + B * length / avgdl))


def theta_now(theta: float, built_avgdl: float, avgdl: float) -> float:
    """An upper bound on ``sat`` now, for articles whose ``sat`` was <= ``theta`` at build.

    A longer average raises every ``sat`` (a shorter one lowers it). With
    ``r = avgdl / built_avgdl`` and ``q = (k1 + 1 - s) / s``, an article's ``sat`` moves
    from ``s`` to at most ``(k1 + 1) / (1 + q / r)``, which grows with ``s``: so the
    bound is that of ``s = theta``. (Dropping the ``k1 (1 - b)`` part of the length
    term only loosens it.)
    """
    if theta <= 0 or avgdl <= built_avgdl or built_avgdl <= 0:
        return theta
    r = avgdl / built_avgdl
    q = (K1 + 1 - theta) / theta
    return (K1 + 1) / (1 + q / r) * (1 + 1e-9)


# -- reading -------------------------------------------------------------------------------
def built(conn: sqlite3.Connection) -> bool:
    """Whether the lists were built (any library with articles has some after a build)."""
    row = conn.execute("SELECT value FROM search_state WHERE key = 'impact_built'").fetchone()
    return bool(row and row[0])


def stale(conn: sqlite3.Connection) -> bool:
    """Whether a library flagged a listed article as changed (before :func:`sync` made
    the lists exact for changed articles): prefix and pair lists, scored from their
    stored values, are then not used until the next build."""
    row = conn.execute("SELECT value FROM search_state WHERE key = 'impact_stale'").fetchone()
    return bool(row and row[0])


def pairs_built(conn: sqlite3.Connection) -> bool:
    """Whether the build included the pairs' lists (libraries built before them did not)."""
    row = conn.execute("SELECT value FROM search_state WHERE key = 'impact_pairs'").fetchone()
    return bool(row and row[0])


def removed(conn: sqlite3.Connection) -> int:
    """Articles changed or deleted since the build (each may have lost any term)."""
    row = conn.execute("SELECT value FROM search_state WHERE key = 'impact_removed'").fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def entry(conn: sqlite3.Connection, key: str) -> Entry | None:
    """The list of an index term, or of a prefix written ``pre*``."""
    row = conn.execute(
        "SELECT ids, sats, theta, avgdl, docs FROM search_impact WHERE term = ?", (key,)
    ).fetchone()
    if row is None:
        return None
    ids, sats = unpack(row[0], row[1])
    return Entry(ids, sats, row[2], row[3], row[4])


def pending_ids(conn: sqlite3.Connection, limit: int) -> list[int] | None:
    """Articles changed since the build, or None when there are more than ``limit``."""
    ids = [
        r[0]
        for r in conn.execute("SELECT article_id FROM search_impact_pending LIMIT ?", (limit + 1,))
    ]
    return None if len(ids) > limit else ids


# -- building ------------------------------------------------------------------------------
def _list_for(
    conn: sqlite3.Connection, expression: str, rows: int
) -> tuple[array, array, float, int]:
    """(ids best first, their sats, theta, matches) of one phrase, ranked by FTS5 itself."""
    hits = conn.execute(
        "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?", (expression,)
    ).fetchone()[0]
    ranked = conn.execute(
        f"SELECT rowid, bm25(articles_fts, {_W}) AS s FROM articles_fts "
        "WHERE articles_fts MATCH ? ORDER BY s LIMIT ?",
        (expression, LIST_SIZE),
    ).fetchall()
    ids = array("q", [r[0] for r in ranked])
    weight = idf(rows, hits)
    # Slightly raised: a sat recovered from a score may be an ulp low.
    sats = array("d", [-r[1] / weight * (1 + 1e-9) for r in ranked])
    if len(ranked) < LIST_SIZE or hits <= len(ranked):
        return ids, sats, 0.0, hits  # every match is listed
    return ids, sats, sats[-1], hits


def is_pair(key: str) -> bool:
    """Whether a list's key is a run of adjacent tokens (``"of the"``, ``"one of the"``)."""
    return " " in key


def pair_keys(conn: sqlite3.Connection, rows: int, *, with_estimates: bool = False) -> list[Any]:
    """Pairs of frequent terms likely in at least :data:`MIN_DOCS` articles as a phrase.

    Estimated from an even sample of the articles, tokenized as the index does it:
    a pair left out only costs speed (its phrase is ranked over every match), never
    a right answer, since each listed pair's list and bound come from FTS5 itself.
    """
    if rows < MIN_DOCS:
        return []
    frequent = [
        t
        for (t,) in conn.execute(
            "SELECT term FROM search_vocab WHERE doc >= ? ORDER BY doc DESC LIMIT ?",
            (MIN_DOCS, PAIR_TERMS),
        )
    ]
    if not frequent:
        return []
    step = max(1, rows // PAIR_SAMPLE)
    ids = [
        r[0]
        for r in conn.execute(
            "SELECT id FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM articles) "
            "WHERE n % ? = 0 LIMIT ?",
            (step, PAIR_SAMPLE),
        )
    ]
    _tokenize(conn, ids)
    try:
        sampled = _pair_counts(conn, set(frequent), None)
    finally:
        conn.execute("DELETE FROM temp.margin_tok")
    docs: dict[str, int] = {}
    for key, _doc in sampled:
        docs[key] = docs.get(key, 0) + 1
    need = MIN_DOCS * len(ids) / rows
    wanted = sorted((k for k, n in docs.items() if n >= need), key=lambda k: -docs[k])
    wanted = wanted[:PAIR_LIMIT]
    if with_estimates:
        return [(k, round(docs[k] * rows / len(ids))) for k in wanted]
    return wanted


def _tokenize(conn: sqlite3.Connection, ids: list[int]) -> None:
    """Put articles into ``temp.margin_tok`` (emptied first) to read their tokens."""
    from .vocabulary import tokenizer

    columns = ", ".join(f"coalesce({c}, '')" for c in FTS_COLUMNS)
    tokenizer(conn)
    conn.execute("DELETE FROM temp.margin_tok")
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ", ".join("?" for _ in chunk)
        conn.execute(
            f"INSERT INTO temp.margin_tok (rowid, {', '.join(FTS_COLUMNS)}) "
            f"SELECT id, {columns} FROM article_texts WHERE id IN ({marks})",
            chunk,
        )


def _pair_counts(
    conn: sqlite3.Connection, terms: set[str], keys: set[str] | None
) -> dict[tuple[str, int], float]:
    """Column-weighted counts of runs of adjacent tokens per article in ``temp.margin_tok``.

    Keyed ``(run, doc)``; only runs of ``terms``: pairs when ``keys`` is None, else the
    runs (of any length) in ``keys``. As FTS5 counts a phrase: every position where
    the run starts ("a a a" has "a a" twice).
    """
    if not terms:
        return {}
    longest = max((k.count(" ") + 1 for k in keys), default=2) if keys is not None else 2
    sizes = range(2, longest + 1)
    out: dict[tuple[str, int], float] = {}
    run: list[str] = []
    previous: tuple[int, str, int] | None = None
    for term, doc, col, offset in conn.execute(
        "SELECT term, doc, col, offset FROM temp.margin_tok_instance "
        "WHERE term IN (SELECT value FROM json_each(?)) ORDER BY doc, col, offset",
        (_strings_json(sorted(terms)),),
    ):
        if previous is not None and previous == (doc, col, offset - 1):
            run.append(term)
            if len(run) > longest:
                del run[0]
            for size in sizes:
                if size > len(run):
                    break
                key = " ".join(run[-size:])
                if keys is None or key in keys:
                    w = WEIGHTS[FTS_COLUMNS.index(col)]
                    out[(key, doc)] = out.get((key, doc), 0.0) + w
        else:
            run = [term]
        previous = (doc, col, offset)
    return out


def broad_keys(conn: sqlite3.Connection) -> list[str]:
    """Terms and prefixes (``pre*``) in at least :data:`MIN_DOCS` articles, by the vocabulary.

    A prefix is keyed by its own token, as FTS5 reads it and as a search looks it
    up: the porter stemmer turns ``res`` into ``re``, so ``res*`` matches every term
    starting ``re`` and its list is ``re*``'s (which the search box asks for).
    """
    from .vocabulary import tokens

    rows = conn.execute("SELECT term, doc FROM search_vocab ORDER BY term").fetchall()
    keys = [t for t, d in rows if d >= MIN_DOCS]
    sums: dict[str, int] = {}
    for term, doc in rows:
        for length in PREFIX_LENGTHS:
            if len(term) >= length:
                sums[term[:length]] = sums.get(term[:length], 0) + doc
    prefixes: dict[str, None] = {}
    for prefix, total in sorted(sums.items()):
        if total >= MIN_DOCS:
            stems = tokens(conn, prefix)
            if len(stems) == 1:  # else FTS5 reads it as a phrase: no prefix list
                prefixes[stems[0] + "*"] = None
    # A prefix that is the only completion of itself is served by the term's list.
    keys.extend(sorted(prefixes))
    return keys


def _lists(
    conn: sqlite3.Connection,
    keys: list[str],
    st: Stats,
    *,
    progress: bool = False,
    pairs: dict[str, int] | None = None,
) -> list[tuple[str, bytes, bytes, float, float, int]]:
    """The ``search_impact`` rows of these keys (those still broad), ranked by FTS5.

    :param pairs: keys that are pairs of :func:`pair_keys`, with their estimated
        matches (listed whenever they match at all).
    """
    out = []
    # A prefix in more than half the articles gets half of them as its count (a
    # lower bound, see _ranked_list): still broad, whatever MIN_DOCS is.
    broad = min(MIN_DOCS, (st.rows + 1) // 2)
    for n, key in enumerate(keys):
        found = None
        if pairs is not None and key in pairs:
            ids, sats, theta, hits = _ranked_list(conn, key, st, pairs[key])
            if len(ids):
                out.append((key, *pack(ids, sats), theta, st.avgdl, hits))
            continue
        if key.endswith("*"):
            # One ranking, no count: counting a prefix merges every completion's
            # doclist again (10 of 46 ms per prefix at 100,000 articles). A term's
            # count is cheap, and its proofs (store.search) read it as the idf.
            found = _ranked_list(conn, key, st, 0)
        if found is None or not len(found[0]):
            found = _list_for(conn, key_expression(key), st.rows)
        ids, sats, theta, hits = found
        if hits >= (broad if key.endswith("*") else MIN_DOCS):
            out.append((key, *pack(ids, sats), theta, st.avgdl, hits))
        if progress and n % 200 == 0:
            print(f"  impact lists: {n:,}/{len(keys):,}", flush=True)
    return out


PARALLEL_KEYS = 64
"""Keys from which a rebuild outside a transaction ranks them on every core."""


def _lists_of_file(
    path: str, keys: list[str], st: Stats, pairs: dict[str, int] | None
) -> list[tuple[str, bytes, bytes, float, float, int]]:
    """``_lists`` on a read-only connection of its own (in a worker process)."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    conn.execute("PRAGMA cache_size = -65536")
    try:
        return _lists(conn, keys, st, pairs=pairs)
    finally:
        conn.close()


def _parallel_lists(
    conn: sqlite3.Connection, keys: list[str], st: Stats, pairs: dict[str, int] | None = None
) -> list[tuple[str, bytes, bytes, float, float, int]] | None:
    """The lists ranked on every core, or None when this connection cannot share them.

    Ranking every broad term is most of the time a large import spends after its
    last batch, and the parsing processes are idle by then. Other connections see
    only committed rows, so this runs only outside a transaction (the stats were
    read on the same committed state) and on a file, never ``:memory:``.
    """
    import os

    cores = os.cpu_count() or 1
    if cores < 2 or len(keys) < PARALLEL_KEYS or conn.in_transaction:
        return None
    path = next((r[2] for r in conn.execute("PRAGMA database_list") if r[1] == "main"), "")
    if not path:
        return None
    from concurrent.futures import ProcessPoolExecutor

    # A fresh import sits in the WAL, which other connections read slowly (3x here).
    conn.execute("PRAGMA wal_checkpoint(PASSIVE)")

    # Round-robin, so that each share holds as many broad prefixes as terms.
    shares = [keys[i::cores] for i in range(cores)]
    with ProcessPoolExecutor(max_workers=cores - 1) as pool:
        futures = [pool.submit(_lists_of_file, path, share, st, pairs) for share in shares[1:]]
        mine = _lists(conn, shares[0], st, pairs=pairs)
        rows = mine + [row for future in futures for row in future.result()]
    order = {key: n for n, key in enumerate(keys)}
    rows.sort(key=lambda row: order[row[0]])
    return rows


class _savepoint:
    """All or nothing for the lists, inside or outside the caller's transaction.

    A class rather than ``contextlib.contextmanager``: importing contextlib costs a
    ``margin search`` process over a millisecond.
    """

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def __enter__(self) -> None:
        self.conn.execute("SAVEPOINT margin_impact")

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        if kind is not None:
            self.conn.execute("ROLLBACK TO margin_impact")
        self.conn.execute("RELEASE margin_impact")


def _max_listed(conn: sqlite3.Connection) -> int | None:
    """The largest article id any list may hold (None: not recorded, so any)."""
    row = conn.execute("SELECT value FROM search_state WHERE key = 'impact_max_id'").fetchone()
    return int(row[0]) if row and row[0] is not None else None


def _set_max_listed(conn: sqlite3.Connection, value: int) -> None:
    conn.execute(
        "INSERT OR REPLACE INTO search_state (key, value) VALUES ('impact_max_id', ?)", (value,)
    )


def same_matches(conn: sqlite3.Connection, keys: list[str]) -> dict[str, str]:
    """Keys whose expression matches the very index terms an earlier key's matches.

    Their FTS5 results are the same rows with the same scores, so their lists are
    the same bytes: ranking them again is wasted (at 100,000 articles 1,681 of 7,317
    keys, most of the rebuild's time being prefixes). A prefix ``pre*`` matches the
    index terms starting with its own token, read off the vocabulary copy; a term
    key matches itself when it tokenizes to itself. Only with a current copy: a
    term missing from it could tell two prefixes apart (then nothing is shared).
    """
    from . import vocabulary

    if vocabulary.pending(conn):
        return {}
    terms = sorted(t for (t,) in conn.execute("SELECT term FROM search_vocab"))
    first: dict[tuple[str, ...], str] = {}
    out = {}
    for key in keys:
        prefix = key.endswith("*")
        stems = vocabulary.tokens(conn, key[:-1] if prefix else key)
        if len(stems) != 1 or (not prefix and stems[0] != key):
            continue  # not one token: FTS5 reads it as a phrase, ranked on its own
        if prefix:
            low = bisect.bisect_left(terms, stems[0])
            high = bisect.bisect_left(terms, stems[0] + "\U0010ffff")
            matched = tuple(terms[low:high])
        else:
            matched = (key,)
        if not matched:
            continue
        if matched in first:
            out[key] = first[matched]
        else:
            first[matched] = key
    return out


def _with_shared(
    rows: list[tuple[str, bytes, bytes, float, float, int]], keys: list[str], same: dict[str, str]
) -> list[tuple[str, bytes, bytes, float, float, int]]:
    """``rows`` with a copy of its key's row for every key of ``same``, in ``keys`` order."""
    by_key = {row[0]: row for row in rows}
    out = []
    for key in keys:
        row = by_key.get(same.get(key, key))
        if row is not None:
            out.append((key, *row[1:]))
    return out


def rebuild(conn: sqlite3.Connection, *, progress: bool = False) -> int:
    """Build every list from the index (tens of seconds at 100,000 articles); the count."""
    st = stats(conn)
    keys = broad_keys(conn)
    same = same_matches(conn, keys)
    own = [key for key in keys if key not in same]
    # The pairs are ranked with the terms: each is a phrase of two common words,
    # as slow to rank as a broad term (769 at 100,000 articles).
    pairs = _pairs(conn, st)
    ranked = own + list(pairs)
    lists = None if progress else _parallel_lists(conn, ranked, st, pairs)
    if lists is None:
        lists = _lists(conn, ranked, st, progress=progress, pairs=pairs)
    paired = [row for row in lists if row[0] in pairs]
    out = paired + _with_shared([row for row in lists if row[0] not in pairs], keys, same)
    with _savepoint(conn):
        conn.execute("DELETE FROM search_impact")
        conn.executemany(
            "INSERT INTO search_impact (term, ids, sats, theta, avgdl, docs) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            out,
        )
        conn.execute("DELETE FROM search_impact_pending")
        conn.execute("INSERT OR REPLACE INTO search_state (key, value) VALUES ('impact_built', 1)")
        conn.execute("DELETE FROM search_state WHERE key = 'impact_stale'")
        conn.execute(
            "INSERT OR REPLACE INTO search_state (key, value) VALUES ('impact_removed', 0)"
        )
        conn.execute("INSERT OR REPLACE INTO search_state (key, value) VALUES ('impact_pairs', 1)")
        top = conn.execute("SELECT coalesce(max(id), 0) FROM articles").fetchone()[0]
        _set_max_listed(conn, top)
    return len(out)


ON_DEMAND_LIMIT = 4000
"""Phrases' lists (beyond the built pairs) kept at most: see :func:`made_entry`."""


def made_entry(conn: sqlite3.Connection, key: str, estimate: int) -> Entry | None:
    """The list of ``key``, made now when it has none, and kept (best effort: a busy or
    read-only library serves it once).

    ``key`` is a phrase of index tokens (``"which did"``, ``"one of the"``), a prefix
    (``cl*``: a build lists prefixes of :data:`PREFIX_LENGTHS` letters only, since one
    or two letters merge the doclists of thousands of completions, ~0.4-1.5 s each at
    100,000 articles) or a term that became broad after the build. Its one FTS5
    ranking costs what ranking the key's every match costs (the exact answer); from
    then on it is read from its list, which :func:`sync` keeps exact like the built
    ones (a rebuild drops it). Only while nothing is pending, so the list is that of
    the library as it is; outside a transaction the check, the ranking and the insert
    are one snapshot (a write in between makes the insert fail: nothing is kept).
    """
    found = entry(conn, key)
    if found is not None or stale(conn):
        return found
    own = not conn.in_transaction
    if own:
        conn.execute("BEGIN")
    try:
        made = _made(conn, key, estimate)
        if own:
            conn.execute("COMMIT")
    except sqlite3.OperationalError:
        made = None  # no temporary tables either (query_only): rank every match
    finally:
        if own and conn.in_transaction:
            conn.execute("ROLLBACK")
    return made


def _made(conn: sqlite3.Connection, key: str, estimate: int) -> Entry | None:
    """:func:`made_entry`'s list, ranked and (when there is room) stored."""
    if pending_ids(conn, 0) != []:
        return None
    st = stats(conn)
    ids, sats, theta, hits = _ranked_list(conn, key, st, estimate)
    if not len(ids):
        return None
    row = (key, *pack(ids, sats), theta, st.avgdl, hits)
    try:
        kept = 0
        if is_pair(key):
            kept = conn.execute(
                "SELECT count(*) FROM search_impact WHERE instr(term, ' ') > 0"
            ).fetchone()[0]
        # Tokens and prefixes need no cap: each has more than EXACT_LIMIT matches.
        if kept < PAIR_LIMIT + ON_DEMAND_LIMIT:
            with _savepoint(conn):
                conn.execute(
                    "INSERT OR REPLACE INTO search_impact (term, ids, sats, theta, avgdl, docs) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    row,
                )
    except sqlite3.OperationalError:
        pass  # read-only or busy: this search still gets its answer
    return Entry(ids.tolist(), sats.tolist(), theta, st.avgdl, hits)


def key_expression(key: str) -> str:
    """The FTS5 expression a list's key stands for: ``"cl" *``, ``"of the"``, ``"market"``."""
    return quote(key[:-1]) + " *" if key.endswith("*") else quote(key)


def _weighted(conn: sqlite3.Connection, key: str, doc: int) -> float:
    """The column-weighted count of ``key`` in one article, from its tokens (as
    FTS5 counts it: a prefix counts every token it starts; a run every start)."""
    _tokenize(conn, [doc])
    try:
        if is_pair(key):
            return _pair_counts(conn, set(key.split(" ")), {key}).get((key, doc), 0.0)
        prefix = key.endswith("*")
        stem = key[:-1] if prefix else key
        total = 0.0
        for term, col, count in conn.execute(
            "SELECT term, col, count(*) FROM temp.margin_tok_instance WHERE doc = ? "
            "GROUP BY term, col",
            (doc,),
        ):
            if term == stem or (prefix and term.startswith(stem)):
                total += WEIGHTS[FTS_COLUMNS.index(col)] * count
        return total
    finally:
        conn.execute("DELETE FROM temp.margin_tok")


def _ranked_list(
    conn: sqlite3.Connection, key: str, st: Stats, estimate: int
) -> tuple[array, array, float, int]:
    """(ids best first, their sats, theta, matches) of a key, ranked by FTS5.

    One ranking and no count of the matches (a broad prefix's count merges every
    completion's doclist again; a phrase's walks both words' positions in most
    articles): the idf that turns scores into ``sat`` is read off the best article,
    whose ``sat`` is computed here from its tokens. ``matches`` follows from that
    idf; where FTS5 clamps it (more than half the articles match) it is ``estimate``
    for a phrase (shown scores only) and half the articles for a token or prefix
    (a lower bound on its matches, as ``store.search``'s proofs need).
    """
    ranked = conn.execute(
        f"SELECT rowid, bm25(articles_fts, {_W}) AS s FROM articles_fts "
        "WHERE articles_fts MATCH ? ORDER BY s LIMIT ?",
        (key_expression(key), LIST_SIZE),
    ).fetchall()
    if not ranked:
        return array("q"), array("d"), 0.0, 0
    best = ranked[0][0]
    weighted = _weighted(conn, key, best)
    length = lengths(conn, [best]).get(best, 0)
    top = sat(weighted, length, st.avgdl)
    weight = -ranked[0][1] / top if top > 0 else 0.0
    if weight <= 0:
        return array("q"), array("d"), 0.0, 0  # not as the index counts it: no list
    # Clamped idf: at least half the articles match, so (rows + 1) // 2 is a lower
    # bound on the count whose idf is clamped too (rows // 2 is not, for odd rows).
    hits = estimate if is_pair(key) else (st.rows + 1) // 2
    if weight > 2e-6:  # not clamped: idf = ln((rows - hits + 0.5) / (hits + 0.5))
        e = math.exp(weight)
        hits = round((st.rows + 0.5 - 0.5 * e) / (1 + e))
    ids = array("q", [r[0] for r in ranked])
    sats = array("d", [-r[1] / weight * (1 + 1e-9) for r in ranked])
    if len(ranked) < LIST_SIZE:
        return ids, sats, 0.0, len(ranked)  # every match is listed
    return ids, sats, sats[-1], max(hits, len(ranked))


def _pairs(conn: sqlite3.Connection, st: Stats) -> dict[str, int]:
    """The pairs of :func:`pair_keys` that get a list, with their estimated matches."""
    from .vocabulary import tokens

    out = {}
    for key, estimate in pair_keys(conn, st.rows, with_estimates=True):
        # A pair whose stems would tokenize differently is left out (its key must be
        # the phrase's own tokens).
        if tokens(conn, key) == key.split(" "):
            out[key] = estimate
    return out


def _pair_entries(conn: sqlite3.Connection) -> list[tuple[str, bytes, bytes, float, float, int]]:
    """Rows of ``search_impact`` for the pairs of :func:`pair_keys`."""
    st = stats(conn)
    pairs = _pairs(conn, st)
    return _lists(conn, list(pairs), st, pairs=pairs)


def rebuild_pairs(conn: sqlite3.Connection) -> int:
    """Build the pairs' lists alone (a library built before they existed); the count."""
    out = _pair_entries(conn)
    with _savepoint(conn):
        conn.execute("DELETE FROM search_impact WHERE instr(term, ' ') > 0")
        conn.executemany(
            "INSERT OR REPLACE INTO search_impact (term, ids, sats, theta, avgdl, docs) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            out,
        )
        conn.execute("INSERT OR REPLACE INTO search_state (key, value) VALUES ('impact_pairs', 1)")
    return len(out)


def sync(conn: sqlite3.Connection, *, limit: int = SYNC_LIMIT, rebuild_ok: bool = True) -> str:
    """Bring the lists up to date: "current", "added", "rebuilt" or "waiting".

    Each pending article is tokenized as the index does it; where its ``sat`` (at the
    list's build average) reaches a list's ``theta``, it joins the list.
    """
    if not built(conn):
        if not rebuild_ok:
            return "waiting"
        rebuild(conn)
        return "rebuilt"
    if not pairs_built(conn):
        if not rebuild_ok:
            return "waiting"
        rebuild_pairs(conn)
    waiting = conn.execute("SELECT count(*) FROM search_impact_pending").fetchone()[0]
    if not waiting:
        return "current"
    if waiting > limit:
        if not rebuild_ok:
            return "waiting"
        total = conn.execute("SELECT count(*) FROM articles").fetchone()[0] or 1
        if waiting > 0.2 * total:  # cheaper to rank every broad term again
            rebuild(conn)
            return "rebuilt"
    queued = conn.execute("SELECT article_id, changed FROM search_impact_pending").fetchall()
    ids = [r[0] for r in queued]
    # Articles that may already be listed under an old text: changed ones, and new
    # ones reusing the rowid of a deleted one (SQLite reuses the largest rowid).
    # Each leaves every list it is in and joins again by its text now.
    seen = _max_listed(conn)
    recheck = {i for i, changed in queued if changed or seen is None or i <= seen}
    _tokenize(conn, ids)
    weighted: dict[tuple[str, int], float] = {}
    lengths: dict[int, int] = {}
    for term, doc, col, count in conn.execute(
        "SELECT term, doc, col, count(*) FROM temp.margin_tok_instance GROUP BY term, doc, col"
    ):
        w = WEIGHTS[FTS_COLUMNS.index(col)] * count
        weighted[(term, doc)] = weighted.get((term, doc), 0.0) + w
        lengths[doc] = lengths.get(doc, 0) + count
    entries = {
        key: (blob, sats, theta, avgdl)
        for key, blob, sats, theta, avgdl in conn.execute(
            "SELECT term, ids, sats, theta, avgdl FROM search_impact"
        )
    }
    pairs = {k for k in entries if is_pair(k)}
    try:
        paired = _pair_counts(conn, {t for k in pairs for t in k.split(" ")}, pairs)
    finally:
        conn.execute("DELETE FROM temp.margin_tok")
    # Prefix lists add up their completions' counts (any length: some are made on
    # demand, see made_entry).
    sizes = sorted({len(k) - 1 for k in entries if k.endswith("*")})
    by_key: dict[tuple[str, int], float] = {}
    for (term, doc), w in weighted.items():
        if term in entries:
            by_key[(term, doc)] = by_key.get((term, doc), 0.0) + w
        for length in sizes:
            key = term[:length] + "*"
            if len(term) >= length and key in entries:
                by_key[(key, doc)] = by_key.get((key, doc), 0.0) + w
    by_key.update(paired)
    additions: dict[str, list[tuple[float, int]]] = {}
    for (key, doc), w in by_key.items():
        _, _, theta, avgdl = entries[key]
        value = sat(w, lengths[doc], avgdl) * (1 + 1e-9)
        if value >= theta * (1 - 1e-9):
            additions.setdefault(key, []).append((value, doc))
    if recheck:
        for key, (blob, *_) in entries.items():
            listed, _ = unpack(blob, entries[key][1])
            if not recheck.isdisjoint(listed):
                additions.setdefault(key, [])
    with _savepoint(conn):
        for key, docs in additions.items():
            # Re-sorted, so that every prefix of a list bounds the rest (Entry.bound).
            listed, sats = unpack(entries[key][0], entries[key][1])
            changed = recheck | {d for _, d in docs}
            pairs = [(v, i) for v, i in zip(sats, listed, strict=True) if i not in changed]
            pairs.extend(docs)
            pairs.sort(key=lambda pair: -pair[0])
            new_ids, new_sats = pack([i for _, i in pairs], [v for v, _ in pairs])
            conn.execute(
                "UPDATE search_impact SET ids = ?, sats = ? WHERE term = ?",
                (new_ids, new_sats, key),
            )
        _set_max_listed(conn, max([seen or 0, *ids]))
        conn.executemany(
            "DELETE FROM search_impact_pending WHERE article_id = ?", [(i,) for i in ids]
        )
    return "added"


def _strings_json(items: list[str]) -> str:
    """Strings as a JSON array (for a build, where importing json costs nothing)."""
    import json

    return json.dumps(items)


def ids_json(ids: list[int]) -> str:
    """Row ids as the JSON array ``json_each`` reads (written out: ``margin search``
    never imports json, whose decoder imports ``re``)."""
    return "[" + ",".join(str(int(i)) for i in ids) + "]"
