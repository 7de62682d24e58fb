"""Full-text search over the library: the query language, planning, ranking, snippets.

How a query runs (see ``docs`` in the module's functions for the details):

1. :func:`store.query.parse` turns the text into clauses and filters; no text
   reaches FTS5 as syntax.
2. Words missing from the index are corrected against the vocabulary copy
   (:mod:`store.vocabulary`), weighed and shown as the library writes them:
   "showing results for jupiter" (the index holds the stem ``jupit``), "search
   instead for ...".
3. The planner estimates the number of matches from the vocabulary's document
   frequencies (prefixes: the sum over their completions). FTS5 scores every
   match (1-3 us each), so:

   * up to :data:`EXACT_LIMIT` estimated matches, every match is ranked by bm25
     (title 10, author 3, source 2, section 2, body 1), no date or recency boost;
   * beyond it (common words) the candidates of the impact lists
     (:mod:`store.impact`) are ranked exactly by FTS5, when a bound proves that no
     other article can enter the page; ``title:`` terms take every title match from
     the titles-only index as candidates. When neither works (a broad prefix as
     typed, a failed proof), every match is ranked: slower, never wrong.
     ``total`` is then the planner's estimate.

4. Snippets are made for the page of results only (``snippet()`` in a ranked
   query is evaluated for every match before the sort), for broad queries from a
   window of each body around its first match, found here and confirmed by the
   index's tokenizer (see :func:`_snippets`).
5. A word search that finds nothing, or a ``~term``, runs the substring search:
   the trigram index over titles, then the index terms containing the text
   (parts of words), then -- for text with punctuation the tokenizer splits on --
   a scan of the newest articles' bodies with a time cap (:data:`SCAN_SECONDS`).
   A trigram index over bodies would be 4x the text (PERFORMANCE.md); titles
   alone are 17 MiB.
"""

from __future__ import annotations

import heapq
import math
import sqlite3
import time
from collections.abc import Iterator, Sequence

from . import impact, typos, vocabulary
from .hits import HIT_END, HIT_START, SearchHit
from .query import (
    Clause,
    Query,
    Term,
    clause_expression,
    negatives_expression,
    parse,
    quote,
    term_expression,
)
from .record import Record

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: `margin search` never imports typing
if TYPE_CHECKING:
    import re
    from typing import Any

WEIGHTS = (10.0, 3.0, 2.0, 2.0, 1.0)
"""bm25 weights in FTS column order: title, author, source, section, body_text."""
_W = ", ".join(str(w) for w in WEIGHTS)

EXACT_LIMIT = 6000
"""Estimated matches up to which every match is ranked by bm25 (~10 ms)."""
LIVE_PREFIX_MIN = 3
"""Letters of the word being typed from which it is searched as a prefix."""
IMPACT_DEPTH = 64
"""Articles of each impact list a query re-scores first (deepened 4x until proven)."""
TITLE_CANDIDATES = 20_000
"""``title:`` matches up to which all are taken as candidates of a broad query."""
SCAN_SECONDS = 0.1
"""Time cap of the body scan of the substring search."""
SCAN_CHUNK = 2000
MIN_CORRECTED = 4
"""Shorter words are never corrected (too many near neighbours)."""
COUNT_CHEAP = 3000
"""Ranked queries count their matches when there are at most about this many
(phrases never: checking positions costs as much as ranking); else ``total`` is
the planner's estimate."""
COUNT_LIMIT = 10_000
"""Counts stop here ("about 10,000")."""
HISTORY_KEY = "search.history"
HISTORY_SIZE = 50
SNIPPET_TOKENS = 24
SNIPPET_DIRECT = 2000
"""Up to this many matches, snippets are made on the whole articles straight away."""
SNIPPET_WINDOW = 480
"""Characters of a hit's body around its first match that a snippet is made from
(24 tokens are ~160 characters; see ``_snippets``)."""
_SNIPPET = f"snippet(articles_fts, 4, '{HIT_START}', '{HIT_END}', '…', {SNIPPET_TOKENS})"


class SearchResults(Record):
    """One search's answer, with what the UI says about it.

    :param exact: False when ``total`` is an estimate (the ranking is exact either way).
    :param corrected: the query actually searched, when words were corrected ("showing
        results for").
    :param original: what was typed, when corrected ("search instead for").
    :param substring: the hits come from the substring search.
    :param scanned: (articles scanned, articles) when the substring body scan stopped at
        its cap.
    :param plan: which way the search was answered ("ranked", "impact", ...).
    """

    __slots__ = (
        "query",
        "hits",
        "total",
        "exact",
        "corrected",
        "original",
        "substring",
        "scanned",
        "plan",
        "elapsed_ms",
    )

    def __init__(
        self,
        query: Query,
        hits: list[SearchHit] | None = None,
        total: int = 0,
        exact: bool = True,
        corrected: str | None = None,
        original: str | None = None,
        substring: bool = False,
        scanned: tuple[int, int] | None = None,
        plan: str = "empty",
        elapsed_ms: float = 0.0,
    ) -> None:
        self.query = query
        self.hits: list[SearchHit] = [] if hits is None else hits
        self.total = total
        self.exact = exact
        self.corrected = corrected
        self.original = original
        self.substring = substring
        self.scanned = scanned
        self.plan = plan
        self.elapsed_ms = elapsed_ms

    @property
    def hints(self) -> list[str]:
        """What the parser could not read, in short words."""
        return self.query.hints

    @property
    def terms(self) -> tuple[str, ...]:
        """Words and phrases to highlight in the reader: the query's and the hits' forms."""
        seen = dict.fromkeys(self.query.words())
        for hit in self.hits:
            for marked in _marked(hit.snippet):
                seen.setdefault(marked.casefold(), None)
        return tuple(t for t in seen if t)

    def status(self) -> str:
        """A one-line summary: count, correction, hints."""
        parts = []
        if self.corrected is not None:
            parts.append(f"showing results for {self.corrected}")
        count = f"{self.total:,}" if self.exact else f"about {self.total:,}"
        noun = "match" if self.total == 1 else "matches"
        parts.append(f"{count} {noun}" + (" (substring)" if self.substring else ""))
        if self.scanned:
            parts.append(f"scanned the newest {self.scanned[0]:,} of {self.scanned[1]:,}")
        parts.extend(self.query.hints)
        return " · ".join(parts)

    def to_dict(self) -> dict[str, object]:
        """JSON-ready data."""
        return {
            "query": self.query.text,
            "searched": self.corrected,
            "total": self.total,
            "exact": self.exact,
            "substring": self.substring,
            "hints": list(self.query.hints),
            "hits": [hit.to_dict() for hit in self.hits],
        }


def _marked(snippet: str) -> list[str]:
    out = []
    start = snippet.find(HIT_START)
    while start >= 0:
        end = snippet.find(HIT_END, start)
        if end < 0:
            break
        out.append(snippet[start + 1 : end])
        start = snippet.find(HIT_START, end)
    return out


# -- entry points --------------------------------------------------------------------------
def search(
    conn: sqlite3.Connection, query: str, *, limit: int = 20, offset: int = 0
) -> list[SearchHit]:
    """Articles matching ``query`` (the full language), best first.

    :param query: what the user typed.
    :param limit: the page size.
    :param offset: results to skip.
    """
    return search_results(conn, query, limit=limit, offset=offset, count=False).hits


def search_results(
    conn: sqlite3.Connection,
    text: str,
    *,
    limit: int = 20,
    offset: int = 0,
    live: bool = False,
    correct: bool = True,
    count: bool = True,
) -> SearchResults:
    """Search with everything the UI shows: hits, total, correction, hints.

    :param text: what the user typed.
    :param live: the user is still typing (the last word is searched as a prefix).
    :param correct: correct words missing from the index ("search instead" passes False).
    :param count: count every match of a ranked query (else ``total`` may be an estimate).
    """
    started = time.perf_counter()
    query = parse_query(text, live=live)
    result = SearchResults(query)
    if query.is_empty:
        return result
    limit, offset = max(0, int(limit)), max(0, int(offset))
    vocab = _vocabulary(conn)
    searched = query
    # A word the user wrote in a note is not a typo, even if no article has it.
    noted = None  # whether a note has the query's words (None: not asked)
    if correct and query.clauses:
        noted = _found_in_notes(conn, query)
    if noted is False:
        fixed = _correct(conn, vocab, query)
        if fixed is not None:
            searched = fixed
            result.query = fixed
            result.corrected = fixed.display()
            result.original = query.text
    if searched.clauses:
        _text_search(conn, vocab, searched, result, limit, offset, count)
        if not result.hits and live and correct:
            # The last word as typed may be a whole, misspelled word ("serch"): try
            # it as a word, with correction, before falling back to substrings.
            whole = search_results(
                conn, text, limit=limit, offset=offset, live=False, correct=True, count=count
            )
            if whole.hits:
                return whole
        if not result.hits and offset == 0 and not searched.substrings:
            words = [t.text for c in searched.clauses for t in c if not t.field]
            if words and not searched.negatives:
                fallback = searched.replace(
                    clauses=[], negatives=[], substrings=[" ".join(words).casefold()]
                )
                _substring_search(conn, vocab, fallback, result, limit, offset, scan=False)
                result.query = searched
        if offset == 0 and not (noted is False and searched is query):
            # (No note has the words: the filtered look-up would find none either.)
            _add_note_hits(conn, searched, result)
    elif query.substrings:
        _substring_search(conn, vocab, query, result, limit, offset)
    else:
        _filter_listing(conn, query, result, limit, offset)
    result.elapsed_ms = (time.perf_counter() - started) * 1000
    return result


def parse_query(text: str, *, live: bool = False) -> Query:
    """What :func:`search_results` searches for ``text``: the parsed query, with the
    word being typed a prefix only from its :data:`LIVE_PREFIX_MIN`-th letter."""
    query = parse(text, live=live)
    return _live_prefix_floor(query, text) if live else query


def _live_prefix_floor(query: Query, text: str) -> Query:
    """The word being typed is a prefix from its :data:`LIVE_PREFIX_MIN`-th letter on.

    One or two letters match nearly every article (a prefix merges the doclists
    of thousands of completions: seconds at 100,000 articles, for an order that
    means nothing); until then the letters are searched as a word. A ``*`` typed
    by the user is always a prefix.
    """
    if not query.clauses or text.rstrip().endswith("*"):
        return query
    last = query.clauses[-1][-1]
    if last.prefix and not last.phrase and len(last.text.strip()) < LIVE_PREFIX_MIN:
        return query.replace_term(last, last.replace(prefix=False))
    return query


def refresh_vocabulary(conn: sqlite3.Connection, *, limit: int | None = None) -> str:
    """Bring the vocabulary copy up to date (after an import); see :func:`vocabulary.sync`."""
    status = vocabulary.sync(conn, limit=limit or vocabulary.INCREMENTAL_LIMIT)
    vocabulary.load(conn).prepare()  # the typo buckets too, before the first typo
    if _has_impact(conn):
        impact.sync(conn)
    return status


def refresh_vocabulary_file(path: str) -> str:
    """Bring a library file's vocabulary copy up to date on a connection of its own.

    A rebuild after a big import reads the whole index (~2 s at 100,000 articles);
    on its own connection it does not hold the library's lock meanwhile (WAL lets
    the library keep reading), and the library's connection picks the new copy up
    by its generation number.
    """
    conn = sqlite3.connect(path, timeout=5.0, isolation_level=None)
    try:
        status = vocabulary.sync(conn)
        if _has_impact(conn):
            impact.sync(conn)
        return status
    finally:
        conn.close()


def _vocabulary(conn: sqlite3.Connection) -> vocabulary.Vocabulary:
    """The vocabulary copy, synced first when only a few articles are pending."""
    try:
        waiting = vocabulary.pending(conn)
        if waiting and (waiting <= 200 or not _has_vocabulary(conn)):
            vocabulary.sync(conn)
        if _has_impact(conn):
            impact.sync(conn, limit=200, rebuild_ok=False)
    except sqlite3.OperationalError:
        pass  # read-only or busy: the copy is a little stale, probes fill the gaps
    return vocabulary.load(conn)


def _has_impact(conn: sqlite3.Connection) -> bool:
    """Whether the library has the impact tables (migration 6)."""
    return (
        conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'search_impact_pending'").fetchone()
        is not None
    )


def _has_vocabulary(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT EXISTS (SELECT 1 FROM search_vocab)").fetchone()[0] == 1


# -- typo correction -----------------------------------------------------------------------
def _present(conn: sqlite3.Connection, text: str) -> bool:
    """Whether the index has any article matching ``text`` as a phrase."""
    return (
        conn.execute(
            "SELECT 1 FROM articles_fts WHERE articles_fts MATCH ? LIMIT 1", (quote(text),)
        ).fetchone()
        is not None
    )


def _correct(conn: sqlite3.Connection, vocab: vocabulary.Vocabulary, query: Query) -> Query | None:
    """The query with words missing from the index replaced by the nearest indexed words,
    each as the library writes it ("jupitor" -> "jupiter", not the stem "jupit")."""
    fixed = query
    changed = False
    for clause in query.clauses:
        for term in clause:
            if term.phrase or term.prefix or len(term.text) < MIN_CORRECTED:
                continue
            stems = vocabulary.tokens(conn, term.text)
            if len(stems) != 1:
                continue
            stem = stems[0]
            if vocab.df.get(stem) or _present(conn, term.text):
                continue
            written = _correction(conn, vocab, term.text, stem)
            if written is not None:
                fixed = fixed.replace_term(term, Term(written, field=term.field))
                changed = True
    return fixed if changed else None


CORRECTION_POOL = 8
"""Nearest index terms (to the typed word's stem, and to the word) weighed for a correction."""
CORRECTION_CUTOFF = 66.0


def _correction(
    conn: sqlite3.Connection, vocab: vocabulary.Vocabulary, typed: str, stem: str
) -> str | None:
    """The written word a misspelt ``typed`` (index form ``stem``) most likely meant.

    Candidates are the index terms nearest to the stem and to the word; each is
    compared as written (:func:`vocabulary.surface`) with the word as typed, by
    edits that charge the usual slips less (:mod:`store.typos`; stems mislead:
    "jeniter" stems to "jenit", nearer to "jent" than to "jeinter"), and frequent
    words are preferred.
    """
    low = typed.casefold()
    # Long words get a looser cutoff than suggest's own: an ending may hide the
    # likeness of the stems ("fsoaunou" / "fosaun").
    cutoff = CORRECTION_CUTOFF if len(low) >= 8 else 72.0
    pool = {s.term: s for s in vocab.suggest(stem, CORRECTION_POOL, cutoff)}
    if low != stem:
        for suggestion in vocab.suggest(low, CORRECTION_POOL, cutoff):
            pool.setdefault(suggestion.term, suggestion)
    scored = []
    for suggestion in pool.values():
        written = vocabulary.surface(conn, suggestion.term, near=typed) or _surface(
            conn, typed, stem, suggestion.term
        )
        # Edits with swaps ("fsoaun" is one from "fosaun"), a neighbouring key dearer
        # than an unrelated one ("glaturk" meant "glatirk", not "glaurk").
        likeness = typos.likeness(low, written)
        scored.append((likeness + 2.0 * math.log10(suggestion.doc + 1), written))
    scored.sort(key=lambda pair: -pair[0])
    for _, written in scored:
        if _present(conn, written):
            return written
    return None


def _surface(conn: sqlite3.Connection, typed: str, stem: str, suggestion: str) -> str:
    """A readable word for an index stem: the typed word's ending on the suggested stem."""
    low = typed.casefold()
    if low != stem and low.startswith(stem):
        candidate = suggestion + low[len(stem) :]
        if vocabulary.tokens(conn, candidate) == [suggestion]:
            return candidate
    return suggestion


# -- estimating ----------------------------------------------------------------------------
def _term_df(conn: sqlite3.Connection, vocab: vocabulary.Vocabulary, term: Term) -> int:
    """Estimated articles matching one term (an upper bound for phrases and fields)."""
    stems = vocabulary.tokens(conn, term.text)
    if not stems:
        return 0
    counts = []
    for n, stem in enumerate(stems):
        if term.prefix and n == len(stems) - 1:
            total, _ = vocab.prefix_df(stem)
            counts.append(min(total, vocab.articles))
        elif stem in vocab.df:
            counts.append(vocab.df[stem])
        else:
            counts.append(_probe(conn, quote(stem)))
    return min(counts)


def _probe(conn: sqlite3.Connection, expression: str) -> int:
    """Matches of an expression, counted up to ``EXACT_LIMIT + 1`` (cheap: unranked)."""
    return conn.execute(
        "SELECT count(*) FROM (SELECT 1 FROM articles_fts WHERE articles_fts MATCH ? LIMIT ?)",
        (expression, EXACT_LIMIT + 1),
    ).fetchone()[0]


def _estimate(conn: sqlite3.Connection, vocab: vocabulary.Vocabulary, query: Query) -> int:
    """Estimated matches of the positive clauses: the rarest clause bounds them."""
    estimates = []
    for clause in query.clauses:
        estimates.append(min(vocab.articles, sum(_term_df(conn, vocab, t) for t in clause)))
    return min(estimates) if estimates else 0


# -- SQL pieces ----------------------------------------------------------------------------
def _filters(query: Query) -> tuple[list[str], list[object]]:
    """WHERE clauses (on ``articles a``) and parameters for the non-text filters."""
    clauses: list[str] = []
    params: list[object] = []
    tag_sql = (
        "SELECT at.article_id FROM article_tags at JOIN tags t ON t.id = at.tag_id WHERE t.name = ?"
    )
    for tag in query.tags:
        clauses.append(f"a.id IN ({tag_sql})")
        params.append(tag)
    for tag in query.exclude_tags:
        clauses.append(f"a.id NOT IN ({tag_sql})")
        params.append(tag)
    if query.kind:
        clauses.append("a.kind = ?")
        params.append(query.kind)
    if query.after:
        clauses.append("a.published >= ?")
        params.append(query.after)
    if query.before:
        clauses.append("a.published < ?")
        params.append(query.before)
    if query.bookmarked:
        clauses.append("EXISTS (SELECT 1 FROM bookmarks b WHERE b.article_id = a.id)")
    finished = (
        "EXISTS (SELECT 1 FROM reading_positions p WHERE p.article_id = a.id "
        "AND p.finished_at IS NOT NULL)"
    )
    if query.unread is True:
        clauses.append("NOT " + finished)
    elif query.unread is False:
        clauses.append(finished)
    if query.has_notes:
        clauses.append("EXISTS (SELECT 1 FROM notes n WHERE n.article_id = a.id)")
    if query.archived is not None:  # libact
        clauses.append(f"a.archived_at IS {'NOT ' if query.archived else ''}NULL")
    if query.color:  # notesui
        clauses.append("EXISTS (SELECT 1 FROM notes n WHERE n.article_id = a.id AND n.color = ?)")
        params.append(query.color)
    for words in query.notes:  # notesui: every word (last as prefix) in the quote or note
        clauses.append(
            "a.id IN (SELECT n.article_id FROM notes_fts JOIN notes n "
            "ON n.id = notes_fts.rowid WHERE notes_fts MATCH ?)"
        )
        params.append(note_match(words))
    return clauses, params


def _ranked(
    conn: sqlite3.Connection,
    expression: str,
    query: Query,
    limit: int,
    offset: int = 0,
    low_rowid: int | None = None,
    exclude: Sequence[int] = (),
    candidates: set[int] | None = None,
) -> list[tuple[Any, ...]]:
    """(id, bm25) of the best matches of ``expression`` passing the query's filters.

    :param candidates: rank only these articles (``+rowid``: a filter on one pass
        over the matches; a bare ``rowid IN`` makes FTS5 seek once per id, and bm25
        count every phrase's matches again at each seek).
    """
    where, params = _filters(query)
    sql_where = ["articles_fts MATCH ?"]
    args: list[object] = [expression]
    if candidates is not None:
        sql_where.append("+f.rowid IN (SELECT value FROM json_each(?))")
        args.append(impact.ids_json(sorted(candidates)))
    if low_rowid is not None:
        sql_where.append("f.rowid >= ?")
        args.append(low_rowid)
    if exclude:
        sql_where.append(f"f.rowid NOT IN ({', '.join('?' for _ in exclude)})")
        args.extend(exclude)
    join = ""
    if where:
        join = "JOIN articles a ON a.id = f.rowid"
        sql_where.extend(where)
        args.extend(params)
    sql = (
        f"SELECT f.rowid, bm25(articles_fts, {_W}) AS score FROM articles_fts f {join} "
        f"WHERE {' AND '.join(sql_where)} ORDER BY score LIMIT ? OFFSET ?"
    )
    return conn.execute(sql, [*args, limit, offset]).fetchall()


def _hits(
    conn: sqlite3.Connection,
    ranked: Sequence[tuple[int, float]],
    snippet_expression: str | None,
    matches: int | None = None,
) -> list[SearchHit]:
    """SearchHits for ranked ids, with snippets made for these rows only.

    :param matches: unused (kept for callers).
    """
    if not ranked:
        return []
    ids = [row[0] for row in ranked]
    marks = ", ".join("?" for _ in ids)
    meta = {
        row[0]: row
        for row in conn.execute(
            f"SELECT id, title, source, published, kind FROM articles WHERE id IN ({marks})",
            ids,
        )
    }
    snippets = _snippets(conn, ids, snippet_expression, matches) if snippet_expression else {}
    missing = [i for i in ids if i not in snippets]
    if missing:
        # Only hits without a snippet read their body (the first words stand in).
        marks = ", ".join("?" for _ in missing)
        for article_id, lead in conn.execute(
            "SELECT article_id, substr(body_text, 1, 200) FROM article_bodies "
            f"WHERE article_id IN ({marks})",
            missing,
        ):
            snippets[article_id] = _lead(lead)
    hits = []
    for article_id, score, *_ in ranked:
        row = meta.get(article_id)
        if row is None:
            continue
        snippet = snippets.get(article_id, "")
        hits.append(SearchHit(article_id, row[1], row[2], row[3], row[4], snippet, score))
    return hits


def _snippets(
    conn: sqlite3.Connection, ids: list[int], expression: str, matches: int | None = None
) -> dict[int, str]:
    """Snippets of some hits, each cut around the expression's matches in its body.

    ``snippet()`` tokenizes the whole article and scores a fragment at every match
    against every other (8 ms for an article with a thousand ``the``). So for broad
    queries each body is searched here for the first word that is a match of the
    query's first word (checked by the index's tokenizer), and a window of
    :data:`SNIPPET_WINDOW` characters around it goes into a small temporary index,
    where the snippet is made; only hits without such a window are made on the
    whole article, still in the small index (no seek, no prefix merge).
    """
    snippets: dict[int, str] = {}
    if matches is not None and matches <= SNIPPET_DIRECT:
        return _full_snippets(conn, ids, expression, snippets)
    marks = ", ".join("?" for _ in ids)
    bodies = dict(
        conn.execute(
            f"SELECT article_id, body_text FROM article_bodies WHERE article_id IN ({marks})", ids
        ).fetchall()
    )
    finder = _HitFinder(conn, expression)
    windows: dict[int, tuple[int, str, bool]] = {}
    absent: set[int] = set()
    for article_id in ids:
        body = bodies.get(article_id) or ""
        at = finder.first(body)
        if at is not None:
            windows[article_id] = _window(body, at)
        elif finder.surely_absent(body):
            absent.add(article_id)  # a title match, say: its lead stands in
    _snippet_tables(conn)
    # Any of the words: a window may hold the first word and not the others.
    anywhere = _any_word(expression)
    _window_snippets(conn, windows, anywhere, snippets)
    rest = {
        i: (0, bodies.get(i) or "", False) for i in ids if i not in snippets and i not in absent
    }
    if rest:  # the whole article, still in the small index (no seek, no merge)
        _window_snippets(conn, rest, anywhere, snippets)
    return snippets


def _quoted(expression: str) -> list[tuple[int, int]]:
    """(start, end) of each quoted phrase in an FTS5 expression, quotes included.

    As the pattern ``"(?:[^"]|"")*"`` finds them (``""`` is a quote inside a
    phrase), scanned by hand: ``margin search`` never imports ``re`` (10 ms).
    """
    spans = []
    i, n = 0, len(expression)
    while True:
        i = expression.find('"', i)
        if i < 0:
            return spans
        j, last_pair = i + 1, -1
        while j < n:
            if expression[j] != '"':
                j += 1
            elif expression.startswith('""', j):
                last_pair = j
                j += 2
            else:
                break
        if j < n:
            end = j + 1
        elif last_pair >= 0:
            end = last_pair + 1  # unclosed: the pattern backs off to the last pair
        else:
            i += 1
            continue
        spans.append((i, end))
        i = end


def _any_word(expression: str) -> str:
    """A positive FTS5 expression with its ANDs made ORs (outside the quoted phrases)."""
    out, at = [], 0
    for start, end in _quoted(expression):
        out += [expression[at:start].replace(" AND ", " OR "), expression[start:end]]
        at = end
    out.append(expression[at:].replace(" AND ", " OR "))
    return "".join(out)


_ACCENTED: list[re.Pattern[str]] = []


def _accented() -> re.Pattern[str]:
    """A letter outside ASCII (an accented form may stand for an unaccented term)."""
    if not _ACCENTED:
        import re

        _ACCENTED.append(re.compile(r"(?![\x00-\x7f])[^\W\d_]"))
    return _ACCENTED[0]


class _HitFinder:
    """Finds where a body first has a match of an expression's first phrase.

    A regular expression finds words starting like the index terms (one after the
    other for a phrase), and the index's own tokenizer confirms each find (stems:
    ``awai`` is "away", not "awaited").
    """

    LOOKS = 40
    """Candidate finds tried per body before giving up (the caller falls back)."""

    def __init__(self, conn: sqlite3.Connection, expression: str) -> None:
        self.conn = conn
        self.pattern: re.Pattern[str] | None = None
        self.lowered: re.Pattern[str] | None = None
        self.whole = False
        self.looked = 0
        self.known: dict[str, bool] = {}
        import re

        found = re.search(r'"((?:[^"]|"")*)"(\s*\*)?', expression)
        if not found:
            return
        typed = found.group(1).replace('""', '"').split()
        self.prefix = bool(found.group(2))
        stems = [vocabulary.tokens(conn, word) for word in typed]
        if not typed or any(len(s) != 1 for s in stems):
            # Words the tokenizer splits (AT&T): look for the first token alone.
            first = vocabulary.tokens(conn, typed[0]) if typed else []
            if not first:
                return
            typed, stems, self.prefix = [first[0]], [first[:1]], False
        self.stems = [s[0] for s in stems]
        leads = []
        for word, stem in zip(typed, self.stems, strict=True):
            lead = ""
            for a, b in zip(word.casefold(), stem, strict=False):
                if a != b:
                    break
                lead += a
            if not lead:
                return
            if lead == stem and stem.endswith(("i", "bl")) and len(stem) > 2:
                # Porter stems are prefixes of their words but for y -> i and
                # -bility -> -bl: "fami" is also "famy".
                lead = stem[:-1]
            leads.append(lead)
        words = r"[\W_]+".join(re.escape(lead) + r"[^\W_]*" for lead in leads)
        self.pattern = re.compile(r"(?<![^\W_])" + words, re.IGNORECASE)
        # On the lower-cased body, with the word start checked by hand: a pattern that
        # starts with its words is sought by their first letter (7x faster).
        self.lowered = re.compile(words)
        self.whole = all(
            stem.startswith(lead) for lead, stem in zip(leads, self.stems, strict=True)
        )

    def _is_hit(self, text: str) -> bool:
        verdict = self.known.get(text)
        if verdict is None:
            tokens = vocabulary.tokens(self.conn, text)
            if len(tokens) != len(self.stems):
                verdict = False
            elif self.prefix:
                verdict = tokens[:-1] == self.stems[:-1] and tokens[-1].startswith(self.stems[-1])
            else:
                verdict = tokens == self.stems
            self.known[text] = verdict
        return verdict

    def first(self, body: str) -> int | None:
        """Offset of the first confirmed match in ``body``, or None."""
        self.looked = 0
        if self.pattern is None or self.lowered is None:
            return None
        low = body.lower()
        # Equal lengths: every character lowered to one, so offsets stay the body's.
        lowered = len(low) == len(body)
        for match in self.lowered.finditer(low) if lowered else self.pattern.finditer(body):
            at = match.start()
            if lowered and at and low[at - 1].isalnum():
                continue  # inside a word: the pattern's look-behind, by hand
            self.looked += 1
            if self.looked > self.LOOKS:
                return None
            if self._is_hit(body[at : match.end()]):
                return at
        return None

    def surely_absent(self, body: str) -> bool:
        """After :meth:`first` found nothing in ``body``: whether there is surely no
        match (every word starting like the stem was checked, and no accented letter
        could hide one from the pattern)."""
        if self.pattern is None or not self.whole or self.looked > self.LOOKS:
            return False
        return body.isascii() or _accented().search(body) is None


def _window(body: str, at: int) -> tuple[int, str, bool]:
    """(start, text, more): :data:`SNIPPET_WINDOW` characters of ``body`` around offset ``at``,
    cut at spaces so that no cut word can match."""
    start = max(0, at - SNIPPET_WINDOW // 4)
    if start:
        space = body.find(" ", start, at)
        start = space + 1 if space >= 0 else at
    end = start + SNIPPET_WINDOW
    if end < len(body):
        space = body.rfind(" ", at, end)
        end = space if space > at else end
    return start, body[start:end], end < len(body)


def _window_snippets(
    conn: sqlite3.Connection,
    windows: dict[int, tuple[int, str, bool]],
    expression: str,
    snippets: dict[int, str],
) -> None:
    """Snippets made in the temporary index on part of each body (added to ``snippets``).

    :param windows: article id -> (offset in the body, the text there, whether
        the body goes on after it).
    """
    if not windows:
        return
    try:
        conn.executemany(
            "INSERT INTO temp.margin_snip_text "
            "SELECT a.id, a.title, a.author, a.source, a.section, ?, ? FROM articles a "
            "WHERE a.id = ?",
            [(start, text, i) for i, (start, text, _) in windows.items()],
        )
        conn.execute("INSERT INTO temp.margin_snip (margin_snip) VALUES ('rebuild')")
        window = _SNIPPET.replace("articles_fts", "margin_snip")
        for article_id, start, snippet in conn.execute(
            f"SELECT f.rowid, t.start, {window} FROM temp.margin_snip f "
            "JOIN temp.margin_snip_text t ON t.id = f.rowid WHERE margin_snip MATCH ?",
            (expression,),
        ):
            if snippet and HIT_START in snippet:
                if start > 0 and not snippet.startswith("…"):
                    snippet = "…" + snippet
                if windows[article_id][2] and not snippet.endswith("…"):
                    snippet += "…"
                snippets[article_id] = snippet
    finally:
        conn.execute("INSERT INTO temp.margin_snip (margin_snip) VALUES ('delete-all')")
        conn.execute("DELETE FROM temp.margin_snip_text")


_SNIPPET_READY: set[int] = set()


def _snippet_tables(conn: sqlite3.Connection) -> None:
    """The temporary window index of :func:`_snippets` (external content: emptied at once)."""
    if id(conn) in _SNIPPET_READY:
        try:
            conn.execute("SELECT 1 FROM temp.margin_snip_text LIMIT 0")
            return
        except sqlite3.OperationalError:
            pass
    from .migrations import FTS_COLUMNS, FTS_TOKENIZE

    columns = ", ".join(FTS_COLUMNS)
    conn.execute(
        "CREATE TEMP TABLE IF NOT EXISTS margin_snip_text "
        "(id INTEGER PRIMARY KEY, title, author, source, section, start INTEGER, body_text)"
    )
    conn.execute(
        f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.margin_snip USING fts5({columns}, "
        f"content='margin_snip_text', content_rowid='id', tokenize='{FTS_TOKENIZE}')"
    )
    _SNIPPET_READY.add(id(conn))


def _full_snippets(
    conn: sqlite3.Connection, rest: list[int], expression: str, snippets: dict[int, str]
) -> dict[int, str]:
    """Snippets made on whole articles (added to ``snippets``)."""
    if not rest:
        return snippets
    if "*" in expression or not _has_multiword_phrase(expression):
        # One pass over the (at most SNIPPET_DIRECT) matches, snippets for these rows
        # only: cheaper than a seek per hit (a rare word at 100k: 0.97 vs 1.09 ms for
        # 20). A phrase of several words is sought per hit (no walk of its positions
        # in every match).
        rows = conn.execute(
            f"SELECT rowid, {_SNIPPET} FROM articles_fts WHERE articles_fts MATCH ? "
            "AND +rowid IN (SELECT value FROM json_each(?))",
            (expression, impact.ids_json(rest)),
        ).fetchall()
    else:
        sql = f"SELECT rowid, {_SNIPPET} FROM articles_fts WHERE articles_fts MATCH ? AND rowid = ?"
        rows = [r for i in rest for r in conn.execute(sql, (expression, i)).fetchall()]
    for article_id, snippet in rows:
        if snippet:
            snippets[article_id] = snippet
    return snippets


def _has_multiword_phrase(expression: str) -> bool:
    """Whether an FTS5 expression quotes a phrase of more than one word."""
    return any(" " in expression[a + 1 : b - 1].strip() for a, b in _quoted(expression))


def _lead(text: str | None) -> str:
    """The first words of a body, as a snippet without hits."""
    words = " ".join((text or "").split())
    return words[:160] + ("…" if len(words) > 160 else "")


def _positive_expression(query: Query, clauses: Sequence[Clause] | None = None) -> str:
    return " AND ".join(clause_expression(c) for c in (clauses or query.clauses))


def _with_negatives(query: Query, positive: str) -> str:
    negatives = negatives_expression(query)
    return f"({positive}) NOT ({negatives})" if negatives else positive


# -- the word search -------------------------------------------------------------------------
def _text_search(
    conn: sqlite3.Connection,
    vocab: vocabulary.Vocabulary,
    query: Query,
    result: SearchResults,
    limit: int,
    offset: int,
    count: bool = True,
) -> None:
    estimate = _estimate(conn, vocab, query)
    positive = _positive_expression(query)
    expression = _with_negatives(query, positive)
    if estimate <= EXACT_LIMIT:
        result.plan = "ranked"
        ranked = _ranked(conn, expression, query, limit, offset)
        result.hits = _hits(
            conn, ranked, positive if _searches_bodies(query) else None, matches=estimate
        )
        result.exact = True
        single = (
            len(query.clauses) == 1
            and len(query.clauses[0]) == 1
            and not query.clauses[0][0].phrase
            and not query.clauses[0][0].prefix
            and not query.clauses[0][0].field
            and not query.negatives
            and not query.has_filters
        )
        if len(ranked) < limit and (ranked or offset == 0):
            result.total = offset + len(ranked)
        elif single and vocab.current:
            result.total = estimate  # the vocabulary's document count is exact
        elif count and estimate <= COUNT_CHEAP and not _has_phrase(query):
            result.total = _count(conn, expression, query)
        else:
            result.total, result.exact = estimate, False
        return
    if _prefix_search(conn, vocab, query, result, limit, offset, estimate):
        return
    if not _impact_search(conn, query, result, limit, offset, estimate):
        _rank_all(conn, query, result, limit, offset, estimate)


def _searches_bodies(query: Query) -> bool:
    """Whether any word may match in a body (else a body snippet has no hits to show)."""
    return any(not t.field for clause in query.clauses for t in clause)


def _has_phrase(query: Query) -> bool:
    return any(t.phrase or " " in t.text.strip() for clause in query.clauses for t in clause)


def _count(conn: sqlite3.Connection, expression: str, query: Query) -> int:
    where, params = _filters(query)
    join = "JOIN articles a ON a.id = f.rowid" if where else ""
    conditions = " AND ".join(["articles_fts MATCH ?", *where])
    return conn.execute(
        f"SELECT count(*) FROM articles_fts f {join} WHERE {conditions}", [expression, *params]
    ).fetchone()[0]


def _rank_all(
    conn: sqlite3.Connection,
    query: Query,
    result: SearchResults,
    limit: int,
    offset: int,
    estimate: int,
) -> None:
    """Rank every match by bm25 (right, and slow for the broadest queries)."""
    result.plan = "ranked-all"
    positive = _positive_expression(query)
    ranked = _ranked(conn, _with_negatives(query, positive), query, limit, offset)
    result.hits = _hits(conn, ranked, positive if _searches_bodies(query) else None)
    result.total, result.exact = estimate, False
    if len(ranked) < limit and (ranked or offset == 0):
        result.total, result.exact = offset + len(ranked), True


def _prefix_search(
    conn: sqlite3.Connection,
    vocab: vocabulary.Vocabulary,
    query: Query,
    result: SearchResults,
    limit: int,
    offset: int,
    estimate: int,
) -> bool:
    """A lone broad word, prefix (the search box as typed) or pair phrase from its list.

    FTS5 cannot re-score a broad prefix cheaply (it merges every completion's
    doclist first), nor any common word (one pass over 100,000 matches is 25 ms,
    and bm25 counts them all again), so the list's stored ``sat`` values are brought to the current
    average length (:func:`store.impact.sat_now`) and ordered here: for one phrase
    bm25 is ``idf * sat``, the same order. Only while no listed article changed
    since the build and none is pending (else False: the caller ranks every match).
    The scores shown use the vocabulary's estimate of the idf (a pair's: its count
    at the build). A phrase of two common words (``"of the"``) is one phrase too:
    its pair's list (:func:`store.impact.pair_keys`) orders it the same way, where
    FTS5 would walk both words' positions in most articles (130-370 ms at 100k).
    Any other phrase of broad words (``"which did"``, ``"one of the"``), a prefix
    of one or two letters (``cl*``, which a build does not list) and a term that
    became broad after the build get their list the first time they are searched
    (:func:`store.impact.made_entry`: that search costs one ranking of every match,
    the later ones read the list).
    """
    if len(query.clauses) != 1 or len(query.clauses[0]) != 1:
        return False
    term = query.clauses[0][0]
    if term.field or query.negatives or query.has_filters:
        return False
    stems = vocabulary.tokens(conn, term.text)
    if not _has_impact(conn) or not impact.built(conn):
        return False
    if len(stems) >= 2 and not term.prefix:
        key = " ".join(stems)  # a phrase of common words
    elif len(stems) == 1 and not term.phrase:
        key = stems[0] + ("*" if term.prefix else "")
    else:
        return False
    # Its list from the build, or one made for it now (see impact.made_entry).
    found = impact.made_entry(conn, key, estimate)
    if found is None or impact.stale(conn) or impact.pending_ids(conn, 0) != []:
        return False
    st = impact.stats(conn)
    wanted = offset + limit
    depth = max(IMPACT_DEPTH, 2 * wanted)
    while True:
        ids = found.ids[:depth]
        lengths = impact.lengths(conn, ids)  # deleted articles have none
        now = sorted(
            (
                (-impact.sat_now(value, lengths[i], found.avgdl, st.avgdl), i)
                for i, value in zip(ids, found.sats, strict=False)
                if i in lengths
            ),
        )
        bound = impact.theta_now(found.bound(depth), found.avgdl, st.avgdl)
        if len(now) >= wanted and -now[wanted - 1][0] >= bound:
            break
        if depth >= len(found.ids):
            if found.theta > 0:
                return False
            break  # the list holds every match
        depth *= 4
    hits = found.docs if impact.is_pair(key) else estimate  # a phrase's estimate is loose
    weight = impact.idf(st.rows, min(st.rows, hits))
    ranked = [(i, value * weight) for value, i in now[offset:wanted]]
    result.plan = "impact-list"
    result.hits = _hits(conn, ranked, _positive_expression(query))
    result.total, result.exact = estimate, False
    return True


def _impact_search(
    conn: sqlite3.Connection,
    query: Query,
    result: SearchResults,
    limit: int,
    offset: int,
    estimate: int,
) -> bool:
    """Rank the candidates of the impact lists exactly, when they provably hold the top.

    See :mod:`store.impact`. False (nothing set) when a term has no list and too
    many matches to take them all, or when the proof fails: the caller then ranks
    every match.
    """
    if not _has_impact(conn) or not impact.built(conn):
        return False
    pending = impact.pending_ids(conn, impact.PENDING_CANDIDATES)
    if pending is None:
        return False
    st = impact.stats(conn)
    removed = impact.removed(conn)
    candidates: set[int] = set(pending)
    listed: list[tuple[impact.Entry, float]] = []
    shares: list[float] = []  # of the articles each listed term is in
    for clause in query.clauses:
        for term in clause:
            stems = vocabulary.tokens(conn, term.text)
            if not stems:
                continue
            expression = term_expression(term)
            if term.field == "title":
                # Every title match, from the titles-only index (it has prefix indexes).
                rows = conn.execute(
                    "SELECT rowid FROM titles_fts WHERE titles_fts MATCH ? LIMIT ?",
                    (term_expression(term, column=False), TITLE_CANDIDATES + 1),
                ).fetchall()
                if len(rows) > TITLE_CANDIDATES:
                    return False
                candidates.update(r[0] for r in rows)
                continue
            if term.prefix:
                return False  # a broad prefix: FTS5 merges every completion (see module)
            if len(stems) > 1:
                # A phrase: its tokens' lists bound it far too loosely to prove anything.
                return False
            # A phrase or a column filter only lowers a token's weighted count, so
            # any token's list bounds the term: take the tightest.
            best: impact.Entry | None = None
            for stem in dict.fromkeys(stems):
                found = impact.entry(conn, stem)
                if found is not None and (best is None or found.theta < best.theta):
                    best = found
            if best is None:
                rows = conn.execute(
                    "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? LIMIT ?",
                    (expression, impact.MIN_DOCS * 2 + 1),
                ).fetchall()
                if len(rows) > impact.MIN_DOCS * 2:
                    return False
                candidates.update(r[0] for r in rows)
                continue
            if term.field:
                hits = conn.execute(
                    "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?", (expression,)
                ).fetchone()[0]
            else:
                # No pass over the matches: a lower bound on them (an upper one on idf).
                hits = max(0, best.docs - removed)
            listed.append((best, impact.idf(st.rows, hits)))
            shares.append(hits / st.rows if st.rows else 1.0)
    wanted = offset + limit
    positive = _positive_expression(query)
    expression = _with_negatives(query, positive)
    # Deepen the lists until the proof holds. Each try is one pass over the matches,
    # so several words (which need deep lists) start deep.
    depth = max(IMPACT_DEPTH if len(listed) == 1 else IMPACT_DEPTH * 16, 2 * wanted)
    while True:
        chosen = set(candidates)
        bound = 0.0
        for found, weight in listed:
            chosen.update(found.ids[:depth])
            theta = impact.theta_now(found.bound(depth), found.avgdl, st.avgdl)
            bound += weight * theta
        ranked = None
        if len(listed) > 1 and len(candidates) == len(set(pending)):
            lists = _Lists(listed, shares, depth, st)
            ranked = lists.top(conn, expression, query, wanted, set(pending))
        if ranked is None:
            ranked = _ranked(conn, expression, query, wanted, 0, candidates=chosen)
        if bound == 0.0 or (len(ranked) >= wanted and -ranked[wanted - 1][1] >= bound):
            break
        if all(depth >= len(found.ids) for found, _ in listed):
            return False
        depth *= 4
    result.plan = "impact"
    result.hits = _hits(conn, ranked[offset:wanted], positive if _searches_bodies(query) else None)
    result.total, result.exact = estimate, False
    if bound == 0.0 and len(ranked) < wanted:
        result.total, result.exact = len(ranked), True
    return True


LIKELY_MARGIN = 4.0
"""Times more likely matches than wanted that the first pass of :class:`_Lists` takes:
the top of a list is short articles, less likely to hold the other words than the
odds say (a second pass costs a whole walk of the matches)."""


class _Lists:
    """The candidates of several listed terms, and what the lists say of their scores.

    A candidate's ``ub`` is the most it can score: its ``sat`` in the lists it is in,
    each other list's bound elsewhere. Its ``guess`` is what it scores if it matches
    and adds nothing where it is not listed, and its ``odds`` of matching take the
    terms it is not listed for as independent of the rest. Lists hold ``sat`` in
    descending order, so the candidates over a ``ub`` are a prefix of each list plus
    some of the few listed for several terms.
    """

    def __init__(
        self,
        listed: list[tuple[impact.Entry, float]],
        shares: list[float],
        depth: int,
        st: impact.Stats,
    ) -> None:
        self.parts: list[tuple[list[int], list[float], float]] = []
        self.floors: list[float] = []
        for found, weight in listed:
            sats = found.sats[:depth]
            if st.avgdl > found.avgdl:  # else theta_now is the identity
                sats = [impact.theta_now(v, found.avgdl, st.avgdl) for v in sats]
            self.parts.append((found.ids[:depth], sats, weight))
            self.floors.append(weight * impact.theta_now(found.bound(depth), found.avgdl, st.avgdl))
        self.shares = shares
        seen: set[int] = set()
        self.several: set[int] = set()
        for ids, _, _ in self.parts:
            self.several.update(seen.intersection(ids))
            seen.update(ids)
        self.everyone = seen
        values = [dict(zip(ids, sats, strict=True)) for ids, sats, _ in self.parts]
        self.exact: dict[int, tuple[float, float]] = {}  # several lists: (guess, ub)
        for doc in self.several:
            guess = ub = 0.0
            for found, (_, _, weight), floor in zip(values, self.parts, self.floors, strict=True):
                value = found.get(doc)
                ub += floor if value is None else weight * value
                guess += 0.0 if value is None else weight * value
            self.exact[doc] = (guess, ub)

    def _odds(self, part: int) -> float:
        odds = 1.0
        for n, share in enumerate(self.shares):
            if n != part:
                odds *= share
        return odds

    def _stream(self, part: int) -> Iterator[tuple[float, float]]:
        """(-score, odds) of the candidates listed for one term only, best first."""
        ids, sats, weight = self.parts[part]
        odds = self._odds(part)
        several = self.several
        return ((-weight * v, odds) for i, v in zip(ids, sats, strict=True) if i not in several)

    def _likely_floor(self, wanted: int) -> float | None:
        """The score ``LIKELY_MARGIN * wanted`` likely matches reach, or None if too few."""
        streams = [self._stream(n) for n in range(len(self.parts))]
        streams.append(iter(sorted((-g, 1.0) for g, _ in self.exact.values())))
        expected = 0.0
        for negative, odds in heapq.merge(*streams):
            expected += odds
            if expected >= LIKELY_MARGIN * wanted:
                return -negative
        return None

    def over(self, floor: float) -> set[int]:
        """The candidates whose ``ub`` reaches ``floor``."""
        total = sum(self.floors)
        out = {doc for doc, (_, ub) in self.exact.items() if ub >= floor}
        for (ids, sats, weight), own in zip(self.parts, self.floors, strict=True):
            need = floor - (total - own)
            lo, hi = 0, len(sats)
            while lo < hi:  # first index whose weighted sat is below need
                mid = (lo + hi) // 2
                if weight * sats[mid] >= need:
                    lo = mid + 1
                else:
                    hi = mid
            out.update(ids[:lo])
        return out

    def top(
        self,
        conn: sqlite3.Connection,
        expression: str,
        query: Query,
        wanted: int,
        always: set[int],
    ) -> list[tuple[Any, ...]] | None:
        """The exact best ``wanted`` of the candidates (and of ``always``), or None.

        Only the candidates that could beat the score of about the ``wanted``-th likely
        match are ranked first; the others can reach the top only when fewer or lower
        scores came back than guessed, and are ranked then. None when that first pass
        would not be much smaller than all of them (one pass is cheaper).
        """
        floor = self._likely_floor(wanted)
        if floor is None:
            return None
        first = self.over(floor)
        if len(first) * 2 > len(self.everyone):
            return None
        ranked = _ranked(conn, expression, query, wanted, 0, candidates=first | always)
        reached = -ranked[wanted - 1][1] if len(ranked) >= wanted else -math.inf
        if reached >= floor:
            return ranked  # every candidate not ranked scores below ``floor``
        rest = (self.everyone if reached == -math.inf else self.over(reached)) - first
        if rest:
            more = _ranked(conn, expression, query, wanted, 0, candidates=rest)
            ranked = sorted(ranked + more, key=lambda row: row[1])[:wanted]
        return ranked


# -- filters only ----------------------------------------------------------------------------
def _filter_listing(
    conn: sqlite3.Connection, query: Query, result: SearchResults, limit: int, offset: int
) -> None:
    """Articles passing the filters and negations, newest first (by the published index)."""
    result.plan = "filters"
    where, params = _filters(query)
    negatives = negatives_expression(query)
    if negatives:
        where.append("a.id NOT IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)")
        params.append(negatives)
    condition = ("WHERE " + " AND ".join(where)) if where else ""
    rows = conn.execute(
        f"SELECT a.id FROM articles a {condition} ORDER BY a.published DESC LIMIT ? OFFSET ?",
        [*params, limit, offset],
    ).fetchall()
    result.hits = _hits(conn, [(r[0], 0.0) for r in rows], None)
    result.total = conn.execute(
        f"SELECT count(*) FROM (SELECT 1 FROM articles a {condition} LIMIT ?)",
        [*params, COUNT_LIMIT + 1],
    ).fetchone()[0]
    if result.total > COUNT_LIMIT:
        result.total, result.exact = COUNT_LIMIT, False


# -- substring search -------------------------------------------------------------------------
def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _substring_search(
    conn: sqlite3.Connection,
    vocab: vocabulary.Vocabulary,
    query: Query,
    result: SearchResults,
    limit: int,
    offset: int,
    *,
    scan: bool = True,
) -> None:
    """Titles by trigram, parts of index words, then a capped scan of the newest bodies.

    :param scan: scan bodies when the indexes found too few (not for the automatic
        fallback of a word search, which must stay fast).
    """
    result.plan = "substring"
    result.substring = True
    needles = query.substrings
    wanted = offset + limit
    where, params = _filters(query)
    negatives = negatives_expression(query)
    if negatives:
        where.append("a.id NOT IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)")
        params.append(negatives)
    extra = (" AND " + " AND ".join(where)) if where else ""
    found: dict[int, float] = {}
    # 1. Titles: the trigram index matches needles of three characters or more.
    title_like = " AND ".join("a.title LIKE ? ESCAPE '\\'" for _ in needles)
    if all(len(n) >= 3 for n in needles):
        sql = (
            "SELECT a.id FROM articles a WHERE a.id IN "
            "(SELECT rowid FROM titles_tri WHERE titles_tri MATCH ?)"
            f"{extra} ORDER BY a.id DESC LIMIT ?"
        )
        match = " AND ".join(quote(n) for n in needles)
        rows = conn.execute(sql, [match, *params, wanted]).fetchall()
    else:
        rows = conn.execute(
            f"SELECT a.id FROM articles a WHERE {title_like}{extra} ORDER BY a.id DESC LIMIT ?",
            [*(_like(n) for n in needles), *params, wanted],
        ).fetchall()
    for (article_id,) in rows:
        found.setdefault(article_id, -2.0)
    # 2. Bodies: index terms containing each needle (parts of words), searched as words.
    if len(found) < wanted and all(_is_word(n) for n in needles):
        clauses = []
        for needle in needles:
            containing = vocab.containing(needle, 40)
            if not containing:
                clauses = []
                break
            clauses.append("(" + " OR ".join(quote(t) for t, _ in containing) + ")")
        if clauses:
            expression = " AND ".join(clauses)
            for article_id, score in _ranked(conn, expression, query, wanted, 0, None, list(found)):
                found.setdefault(article_id, score)
    # 3. Bodies by scanning, newest first, until enough are found or time is up.
    total_articles = vocab.articles
    if scan and len(found) < wanted:
        top = conn.execute("SELECT max(id) FROM articles").fetchone()[0] or 0
        deadline = time.perf_counter() + SCAN_SECONDS
        high, scanned = top, 0
        # LIKE (ASCII case-insensitive) scans ~3x faster than instr(lower(...)).
        instr = " AND ".join("b.body_text LIKE ? ESCAPE '\\'" for _ in needles)
        while high > 0 and len(found) < wanted:
            low = max(0, high - SCAN_CHUNK)
            rows = conn.execute(
                "SELECT a.id FROM articles a JOIN article_bodies b ON b.article_id = a.id "
                f"WHERE a.id > ? AND a.id <= ? AND {instr}{extra} "
                "ORDER BY a.id DESC",
                [low, high, *(_like(n) for n in needles), *params],
            ).fetchall()
            scanned += conn.execute(
                "SELECT count(*) FROM articles WHERE id > ? AND id <= ?", (low, high)
            ).fetchone()[0]
            for (article_id,) in rows:
                found.setdefault(article_id, -1.0)
            high = low
            if time.perf_counter() > deadline:
                break
        if high > 0:
            result.scanned = (scanned, total_articles)
    ranked = list(found.items())[offset:wanted]
    result.hits = _substring_hits(conn, ranked, needles)
    result.total = len(found)
    result.exact = result.scanned is None and len(found) < wanted


def _is_word(text: str) -> bool:
    return all(c.isalnum() for c in text)


def _substring_hits(
    conn: sqlite3.Connection, ranked: Sequence[tuple[int, float]], needles: Sequence[str]
) -> list[SearchHit]:
    """Hits with a snippet cut around the first occurrence of a needle."""
    hits = _hits(conn, ranked, None)
    out = []
    for hit in hits:
        body = conn.execute(
            "SELECT body_text FROM article_bodies WHERE article_id = ?", (hit.id,)
        ).fetchone()[0]
        out.append(
            SearchHit(
                hit.id,
                hit.title,
                hit.source,
                hit.published,
                hit.kind,
                substring_snippet(body, needles) or hit.snippet,
                hit.score,
            )
        )
    return out


def substring_snippet(text: str, needles: Sequence[str], width: int = 160) -> str:
    """A snippet of ``text`` around the first needle, every needle marked."""
    low = text.lower()
    positions = [(low.find(n), n) for n in needles if n]
    positions = [(p, n) for p, n in positions if p >= 0]
    if not positions:
        return ""
    first = min(p for p, _ in positions)
    start = max(0, first - width // 3)
    end = min(len(text), start + width)
    piece = text[start:end]
    low_piece = piece.lower()
    marks: list[tuple[int, int]] = []
    for needle in needles:
        at = low_piece.find(needle)
        while at >= 0 and needle:
            marks.append((at, at + len(needle)))
            at = low_piece.find(needle, at + len(needle))
    marks.sort()
    out, cursor = [], 0
    for a, b in marks:
        if a < cursor:
            continue
        out.append(piece[cursor:a] + HIT_START + piece[a:b] + HIT_END)
        cursor = b
    out.append(piece[cursor:])
    text_out = " ".join("".join(out).split())
    return ("…" if start else "") + text_out + ("…" if end < len(text) else "")


# -- related articles --------------------------------------------------------------------------
def related(conn: sqlite3.Connection, article_id: int, limit: int = 20) -> list[SearchHit]:
    """Articles sharing an article's most distinctive terms (more-like-this).

    The article is tokenized as the index does it; its terms are weighted by
    tf-idf with document frequencies from the vocabulary copy (terms in one
    article only, or in more than a tenth of the library, say nothing), and the
    best dozen are OR-searched and ranked by bm25.
    """
    from .migrations import FTS_COLUMNS

    columns = ", ".join(f"coalesce({c}, '')" for c in FTS_COLUMNS)
    row = conn.execute(
        f"SELECT {columns} FROM article_texts WHERE id = ?", (article_id,)
    ).fetchone()
    if row is None:
        return []
    vocab = _vocabulary(conn)
    counts = vocabulary.term_counts(conn, [tuple(row)])
    articles = max(1, vocab.articles)
    # In a small library every shared word is in a good part of it.
    widest = articles / 10 if articles >= 100 else articles * 0.6
    scored = []
    for term, (_, occurrences) in counts.items():
        doc = vocab.df.get(term, 0)
        if doc < 2 or doc > widest or term.isdigit() or len(term) < 3:
            continue
        scored.append(((1 + math.log(occurrences)) * math.log(articles / doc), term))
    scored.sort(reverse=True)
    terms = [term for _, term in scored[:12]]
    if not terms:
        return []
    expression = " OR ".join(quote(t) for t in terms)
    ranked = conn.execute(
        f"SELECT rowid, bm25(articles_fts, {_W}) AS score FROM articles_fts "
        "WHERE articles_fts MATCH ? AND rowid != ? ORDER BY score LIMIT ?",
        (expression, article_id, limit),
    ).fetchall()
    return _hits(conn, ranked, expression)


# -- history ----------------------------------------------------------------------------------
def history(conn: sqlite3.Connection) -> list[str]:
    """Past queries, most recent first."""
    row = conn.execute("SELECT value FROM settings WHERE key = ?", (HISTORY_KEY,)).fetchone()
    if not row:
        return []
    import json  # not at the top: `margin search` never imports json (nor re)

    try:
        items = json.loads(row[0])
    except (TypeError, ValueError):
        return []
    return [i for i in items if isinstance(i, str)] if isinstance(items, list) else []


def remember(conn: sqlite3.Connection, text: str) -> None:
    """Put a query at the top of the history (once; the oldest fall off)."""
    text = " ".join(text.split())
    if not text:
        return
    import json

    items = [text, *(i for i in history(conn) if i != text)][:HISTORY_SIZE]
    conn.execute(
        "INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)",
        (HISTORY_KEY, json.dumps(items)),
    )


__all__ = [
    "SearchResults",
    "history",
    "parse_query",
    "refresh_vocabulary",
    "refresh_vocabulary_file",
    "related",
    "remember",
    "search",
    "search_results",
    "substring_snippet",
    "term_expression",
]


NOTE_HITS = 5
"""At most this many articles found through the user's notes head the first page."""


def _note_expression(query: Query) -> str | None:
    """The query's words as an expression over the notes index (None: not a query of words)."""
    if query.negatives or query.substrings or not query.clauses:
        return None
    parts = []
    for clause in query.clauses:
        alternatives = []
        for term in clause:
            if term.field:
                return None  # title:, author: … ask about the article, not the notes
            alternatives.append(quote(term.text) + (" *" if term.prefix else ""))
        parts.append("(" + " OR ".join(alternatives) + ")")
    return " AND ".join(parts)


def _found_in_notes(conn: sqlite3.Connection, query: Query) -> bool:
    """Whether some note or highlight has the query's words."""
    expression = _note_expression(query)
    if expression is None:
        return False
    from . import note_search  # the notes code is not needed before a search has words

    return bool(note_search.articles_by_notes(conn, expression, limit=1))


def _add_note_hits(conn: sqlite3.Connection, query: Query, result: SearchResults) -> None:
    """Put the articles whose notes or highlights match first, the matching note as snippet.

    The user wrote those notes, so they are the best evidence of what the user looks
    for; an article found both ways moves up, one found only through a note joins.
    """
    expression = _note_expression(query)
    if expression is None:
        return
    from . import note_search

    where, params = _filters(query)
    found = note_search.articles_by_notes(conn, expression, where, params, limit=NOTE_HITS)
    if not found:
        return
    by_id = {hit.id: hit for hit in result.hits}
    new = [article_id for article_id, _, _ in found if article_id not in by_id]
    if new:
        marks = ", ".join("?" for _ in new)
        for row in conn.execute(
            f"SELECT id, title, source, published, kind FROM articles WHERE id IN ({marks})", new
        ):
            by_id[row[0]] = SearchHit(row[0], row[1], row[2], row[3], row[4], "", 0.0)
    head = [
        by_id[article_id].replace(snippet=snippet, note_id=note_id)
        for article_id, note_id, snippet in found
        if article_id in by_id
    ]
    moved = {hit.id for hit in head}
    if not result.hits:
        result.substring = False  # found through notes, not by the substring fallback
    result.hits = head + [hit for hit in result.hits if hit.id not in moved]
    result.total += len(new)


def note_match(text: str) -> str | None:
    """``store.annotations.words_match``, imported on first use: the annotations module
    pulls in the anchoring code and rapidfuzz, which a plain search never needs."""
    from .annotations import words_match

    return words_match(text)
