"""Broad queries through the impact lists: the same top as ranking every match by bm25.

The limits are lowered so that a few hundred generated articles have "common"
terms, lists shorter than their matches, proofs that need deepening and proofs
that fail; every answer is compared with FTS5 ranking every match itself.
"""

from __future__ import annotations

import json
import math
import random
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from store import impact
from store import search as search_mod
from store.library import Library
from store.models import ArticleDraft
from store.query import fts_expression, parse
from tests.store.impact_sizes import small_impact

WORDS = [f"w{n}" for n in range(60)]


def _draft(rng: random.Random, n: int) -> ArticleDraft:
    """An article of Zipf-distributed words (``w0`` in nearly all, ``w59`` in few)."""
    size = rng.randint(20, 400)
    body = " ".join(WORDS[min(59, int(rng.paretovariate(0.8)) - 1)] for _ in range(size))
    title = " ".join(rng.choice(WORDS[:12]) for _ in range(3))
    return ArticleDraft(f"{title} {n}", body, source="Gen")


@pytest.fixture
def library(monkeypatch: pytest.MonkeyPatch) -> Iterator[Library]:
    small_impact(monkeypatch, list_size=60, prefix_lengths=(2,))
    rng = random.Random(3)
    with Library(":memory:") as lib:
        lib.store([_draft(rng, n) for n in range(300)])
        lib.refresh_vocabulary()
        yield lib


def exact(library: Library, text: str, limit: int = 20) -> list[float]:
    expression = fts_expression(parse(text))
    return [
        row[0]
        for row in library.conn.execute(
            f"SELECT bm25(articles_fts, {search_mod._W}) AS s FROM articles_fts "
            "WHERE articles_fts MATCH ? ORDER BY s LIMIT ?",
            (expression, limit),
        )
    ]


def same_top(library: Library, text: str, limit: int = 20) -> str:
    """The plan, after checking the hits' scores are the exact top scores in order."""
    results = library.search_results(text, limit=limit)
    expression = fts_expression(parse(text))
    ids = [hit.id for hit in results.hits]
    scored = dict(
        library.conn.execute(
            f"SELECT rowid, bm25(articles_fts, {search_mod._W}) FROM articles_fts "
            "WHERE articles_fts MATCH ? AND +rowid IN (SELECT value FROM json_each(?))",
            (expression, json.dumps(ids)),
        ).fetchall()
    )
    mine = [scored[i] for i in ids]  # each hit's exact score, in Margin's order
    truth = exact(library, text, limit)
    assert len(mine) == len(truth), text
    for a, b in zip(mine, truth, strict=True):
        assert math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-15), (text, mine, truth)
    return results.plan


QUERIES = [
    "w0",
    "w1",
    "w2",
    "w0 w1",
    "w1 w3",
    "w0 -w2",
    "w1 OR w4",
    '"w0 w1"',
    "title:w0",
    "title:w1 w0",
    "w1 w30",
]


@pytest.mark.parametrize("text", QUERIES)
def test_broad_queries_return_the_exact_top(library: Library, text: str) -> None:
    plan = same_top(library, text)
    assert plan in ("impact", "impact-list", "ranked", "ranked-all")


def test_a_broad_prefix_from_its_list(library: Library) -> None:
    assert same_top(library, "w1*") == "impact-list"
    assert same_top(library, "w2*", limit=50) in ("impact-list", "ranked-all")


def test_a_changed_article_leaves_the_prefix_list(library: Library) -> None:
    top = library.search_results("w1*").hits[0]
    library.conn.execute(
        "UPDATE article_bodies SET body_text = 'nothing' WHERE article_id = ?", (top.id,)
    )
    library.conn.execute("UPDATE articles SET title = 'none' WHERE id = ?", (top.id,))
    library.refresh_vocabulary()
    results = library.search_results("w1*")
    assert top.id not in [hit.id for hit in results.hits]
    assert same_top(library, "w1*") == "impact-list"


def test_a_library_flagged_stale_ranks_prefixes_over_every_match(library: Library) -> None:
    library.conn.execute("INSERT INTO search_state (key, value) VALUES ('impact_stale', 1)")
    assert same_top(library, "w1*") == "ranked-all"


def test_live_prefixes_start_at_the_third_letter(library: Library) -> None:
    assert library.search_results("w1", live=True).query.clauses[0][0].prefix is False
    assert library.search_results("w1*", live=True).query.clauses[0][0].prefix is True


def test_common_words_use_the_lists(library: Library) -> None:
    assert library.search_results("w0").plan == "impact-list"
    assert library.search_results("w0 w1").plan == "impact"


def test_pages_beyond_the_first(library: Library) -> None:
    results = library.search_results("w1", limit=10, offset=10)
    truth = exact(library, "w1", 20)[10:]
    assert [h.score for h in results.hits] == pytest.approx(truth, rel=1e-9)


def test_articles_added_after_the_build_are_found(library: Library) -> None:
    # A short article made of the common word: the best match of all.
    library.store([ArticleDraft("w0 w0 w0", "w0 " * 30, source="New")])
    best = library.search_results("w0").hits[0]
    assert best.title == "w0 w0 w0"
    same_top(library, "w0")
    assert library.conn.execute("SELECT count(*) FROM search_impact_pending").fetchone()[0] == 0
    same_top(library, "w0 w1")


def test_longer_articles_move_the_bound(library: Library) -> None:
    # Long new articles raise the average length: every sat grows, the bound with it.
    rng = random.Random(9)
    long = [_draft(rng, 1000 + n) for n in range(40)]
    for draft in long:
        draft.body_markdown = draft.body_markdown * 6
    library.store(long)
    library.refresh_vocabulary()
    for text in QUERIES:
        same_top(library, text)


def test_deleted_and_changed_articles_keep_the_top_exact(library: Library) -> None:
    for hit in library.search_results("w1", limit=5).hits:
        library.conn.execute("DELETE FROM articles WHERE id = ?", (hit.id,))
    top = library.search_results("w2").hits[0]
    library.conn.execute(
        "UPDATE article_bodies SET body_text = 'w3 w3' WHERE article_id = ?", (top.id,)
    )
    assert (
        library.conn.execute(
            "SELECT value FROM search_state WHERE key = 'impact_removed'"
        ).fetchone()[0]
        == 6
    )
    for text in QUERIES:
        same_top(library, text)


def test_a_failed_proof_ranks_every_match(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(impact.Entry, "bound", lambda self, depth: 10.0)
    results = library.search_results("w0 w1")
    assert results.plan == "ranked-all"
    same_top(library, "w0 w1")


def test_theta_now_bounds_every_sat() -> None:
    rng = random.Random(1)
    for _ in range(5000):
        weighted, length = rng.uniform(0.5, 80), rng.randint(1, 5000)
        before, after = rng.uniform(100, 1500), rng.uniform(100, 1500)
        old = impact.sat(weighted, length, before)
        assert impact.sat(weighted, length, after) <= impact.theta_now(old, before, after) * (
            1 + 1e-12
        )


def test_stats_read_the_index(library: Library) -> None:
    stats = impact.stats(library.conn)
    assert stats.rows == 300
    assert stats.tokens > 300 * 20


# -- pairs of common words (phrases) -------------------------------------------------------------
PHRASES = ['"w0 w1"', '"w1 w0"', '"w0 w0"', '"w0 w2"']


def test_phrases_of_common_words_from_their_pair_lists(library: Library) -> None:
    pairs = {
        r[0] for r in library.conn.execute("SELECT term FROM search_impact WHERE instr(term, ' ')")
    }
    assert {"w0 w1", "w1 w0", "w0 w0"} <= pairs
    for text in PHRASES:
        plan = same_top(library, text)
        assert plan == ("impact-list" if text.strip('"') in pairs else "ranked-all"), text


def test_a_pair_list_takes_new_articles_in(library: Library) -> None:
    # The best "w0 w0" of all (overlapping: "w0 w0 w0" holds it twice), added after the build.
    library.store([ArticleDraft("w0 w0 w0 w0 w0", "w0 " * 12 + "w1", source="New")])
    library.store([ArticleDraft("w1 w0 w1 w0", "w2 w3", source="New")])
    library.refresh_vocabulary()
    assert library.conn.execute("SELECT count(*) FROM search_impact_pending").fetchone()[0] == 0
    results = library.search_results('"w0 w0"')
    assert results.plan == "impact-list"
    assert results.hits[0].title == "w0 w0 w0 w0 w0"
    assert library.search_results('"w1 w0"').hits[0].title == "w1 w0 w1 w0"
    for text in PHRASES:
        same_top(library, text)


def test_pending_or_changed_articles_rank_the_phrase_exactly(library: Library) -> None:
    library.store([ArticleDraft("pending", "w0 w1 " * 5, source="New")])
    assert same_top(library, '"w0 w1"') == "impact-list"  # a search syncs a few first
    top = library.search_results('"w0 w1"').hits[0]
    library.conn.execute(
        "UPDATE article_bodies SET body_text = 'w5' WHERE article_id = ?", (top.id,)
    )
    library.refresh_vocabulary()
    for text in PHRASES:  # the sync took the changed article out of the lists
        assert same_top(library, text) in ("impact-list", "ranked-all", "ranked")
    assert same_top(library, '"w0 w1"') == "impact-list"
    _lists_exact(library)


def test_a_library_built_before_pairs_gets_them_at_the_next_refresh(library: Library) -> None:
    library.conn.execute("DELETE FROM search_impact WHERE instr(term, ' ')")
    library.conn.execute("DELETE FROM search_state WHERE key = 'impact_pairs'")
    library.refresh_vocabulary()
    assert impact.entry(library.conn, "w0 w1") is not None
    assert same_top(library, '"w0 w1"') == "impact-list"


PHRASES_ON_DEMAND = ['"w0 w3"', '"w3 w0"', '"w0 w1 w0"', '"w1 w0 w0"', '"w0 w0 w0"']


def _unlisted(library: Library) -> None:
    """The on-demand phrases without lists (some pairs got one at the build)."""
    library.conn.executemany(
        "DELETE FROM search_impact WHERE term = ?", [(t.strip('"'),) for t in PHRASES_ON_DEMAND]
    )


def test_other_phrases_get_a_list_when_first_searched(library: Library) -> None:
    _unlisted(library)
    for text in PHRASES_ON_DEMAND:
        key = text.strip('"')
        assert impact.entry(library.conn, key) is None, key
        assert same_top(library, text) == "impact-list", text
        assert impact.entry(library.conn, key) is not None, key
        assert same_top(library, text) == "impact-list", text
    _lists_exact(library)


def test_lists_made_on_demand_stay_exact_through_changes(library: Library) -> None:
    _unlisted(library)
    for text in PHRASES_ON_DEMAND:
        same_top(library, text)
    # New articles that top them, one changed and one deleted article, a reused rowid.
    library.store([ArticleDraft("w0 w1 w0 w0 w0", "w0 w3 " * 6 + "w1 w0 w0 " * 4, source="N")])
    library.store([ArticleDraft("w3 w0 w3 w0", "w0 w0 w0 w0", source="N")])
    top = library.search_results('"w0 w1 w0"').hits[0]
    library.conn.execute(
        "UPDATE article_bodies SET body_text = 'w9' WHERE article_id = ?", (top.id,)
    )
    library.conn.execute("UPDATE articles SET title = 'w9' WHERE id = ?", (top.id,))
    last = library.conn.execute("SELECT max(id) FROM articles").fetchone()[0]
    library.delete(last)
    library.store([ArticleDraft("reused", "w8 w8", source="N")])
    library.refresh_vocabulary()
    _lists_exact(library)
    for text in PHRASES_ON_DEMAND + PHRASES:
        assert same_top(library, text) == "impact-list", text


def test_a_full_cache_still_answers_a_new_phrase(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    _unlisted(library)
    monkeypatch.setattr(impact, "ON_DEMAND_LIMIT", -impact.PAIR_LIMIT)
    assert same_top(library, '"w1 w0 w0"') == "impact-list"
    assert impact.entry(library.conn, "w1 w0 w0") is None


def _lists_exact(library: Library) -> None:
    """Every list (phrases, prefixes, terms; built or made on demand) holds each
    listed (live) article's exact ``sat``, and every live article left out of a list
    is within its bound (``theta``)."""
    st = impact.stats(library.conn)
    for (key,) in library.conn.execute("SELECT term FROM search_impact").fetchall():
        found = impact.entry(library.conn, key)
        assert found is not None
        rows = library.conn.execute(
            f"SELECT rowid, bm25(articles_fts, {search_mod._W}) FROM articles_fts "
            "WHERE articles_fts MATCH ?",
            (impact.key_expression(key),),
        ).fetchall()
        weight = impact.idf(st.rows, len(rows))
        lengths = impact.lengths(library.conn, [r[0] for r in rows])
        sats = {i: impact.sat_now(-s / weight, lengths[i], st.avgdl, found.avgdl) for i, s in rows}
        live = impact.lengths(library.conn, found.ids)
        for i, value in zip(found.ids, found.sats, strict=True):
            if i in live:
                assert i in sats, (key, i, "listed but not a match")
                assert value == pytest.approx(sats[i], rel=1e-6), (key, i)
        for i, value in sats.items():
            if i not in found.ids:
                assert value <= found.theta * (1 + 1e-6), (key, i)


def test_a_reused_rowid_leaves_no_stale_phrase_hit(library: Library) -> None:
    # The best "w0 w1" of all joins the list at a sync, then is deleted; SQLite gives
    # the next article its rowid (the largest), and that article has no "w0 w1".
    [stored] = library.store([ArticleDraft("best pair", "w0 w1 " * 12, source="New")])
    library.refresh_vocabulary()
    assert library.search_results('"w0 w1"').hits[0].id == stored.id
    library.delete(stored.id)
    [reused] = library.store([ArticleDraft("no pair here", "w5 w7 w5", source="New")])
    assert reused.id == stored.id
    library.refresh_vocabulary()
    results = library.search_results('"w0 w1"')
    assert reused.id not in [hit.id for hit in results.hits]
    assert same_top(library, '"w0 w1"') == "impact-list"
    _lists_exact(library)
    for text in PHRASES + QUERIES:
        same_top(library, text)


def test_a_reused_rowid_of_an_article_listed_at_the_build(library: Library) -> None:
    top = library.conn.execute("SELECT max(id) FROM articles").fetchone()[0]
    library.delete(top)
    [reused] = library.store([ArticleDraft("w0 w1 w0 w1", "w0 w1 " * 3 + "w4", source="New")])
    assert reused.id == top
    library.refresh_vocabulary()
    _lists_exact(library)
    for text in PHRASES + QUERIES:
        same_top(library, text)


# -- short prefixes and late terms: lists made when first searched ---------------------------
def test_a_one_letter_prefix_gets_a_list_when_first_searched(library: Library) -> None:
    # The build lists prefixes of PREFIX_LENGTHS (here 2) letters: "w*" (every article)
    # had none, and was ranked over every match (FTS5 merging every completion).
    assert impact.entry(library.conn, "w*") is None
    assert same_top(library, "w*") == "impact-list"
    made = impact.entry(library.conn, "w*")
    assert made is not None and made.theta > 0 and len(made.ids) == impact.LIST_SIZE
    assert same_top(library, "w*") == "impact-list"
    assert same_top(library, "w*", limit=50) == "impact-list"
    results = library.search_results("w*", limit=10, offset=10)
    assert [h.score for h in results.hits] == pytest.approx(
        [h.score for h in library.search_results("w*", limit=20).hits[10:]], rel=1e-12
    )
    _lists_exact(library)


def test_a_term_without_a_list_gets_one_when_first_searched(library: Library) -> None:
    library.conn.execute("DELETE FROM search_impact WHERE term = 'w1'")
    assert same_top(library, "w1") == "impact-list"
    made = impact.entry(library.conn, "w1")
    assert made is not None
    # Its docs are a lower bound on the matches (the proofs of two-word queries use it).
    matches = library.conn.execute(
        "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'w1'"
    ).fetchone()[0]
    assert made.docs <= matches
    _lists_exact(library)
    for text in QUERIES:
        same_top(library, text)


def test_lists_of_short_prefixes_stay_exact_through_changes(library: Library) -> None:
    same_top(library, "w*")
    # A new article that tops "w*" (a long title of w-words, a short body), a changed
    # and a deleted one, and a new one reusing the deleted one's rowid.
    [best] = library.store([ArticleDraft(" ".join(WORDS[:20]), "w0", source="N")])
    library.refresh_vocabulary()
    assert library.search_results("w*").hits[0].id == best.id
    top = library.search_results("w*").hits[1]
    library.conn.execute(
        "UPDATE article_bodies SET body_text = 'nothing' WHERE article_id = ?", (top.id,)
    )
    library.conn.execute("UPDATE articles SET title = 'none' WHERE id = ?", (top.id,))
    library.delete(best.id)
    [reused] = library.store([ArticleDraft("reused", "plain words", source="N")])
    assert reused.id == best.id
    library.refresh_vocabulary()
    _lists_exact(library)
    ids = [hit.id for hit in library.search_results("w*", limit=50).hits]
    assert top.id not in ids and reused.id not in ids
    assert same_top(library, "w*") == "impact-list"
    assert same_top(library, "w*", limit=50) in ("impact-list", "ranked-all")


def test_a_read_only_connection_answers_without_keeping_the_list(
    library: Library, tmp_path: Path
) -> None:
    path = tmp_path / "lib.db"
    rng = random.Random(3)
    with Library(path) as lib:
        lib.store([_draft(rng, n) for n in range(300)])
        lib.refresh_vocabulary()
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        results = search_mod.search_results(conn, "w*")
        assert results.plan == "impact-list"
        truth = [
            r[0]
            for r in conn.execute(
                f"SELECT bm25(articles_fts, {search_mod._W}) AS s FROM articles_fts "
                "WHERE articles_fts MATCH '\"w\" *' ORDER BY s LIMIT 20"
            )
        ]
        assert [h.score for h in results.hits] == pytest.approx(truth, rel=1e-9)
        assert impact.entry(conn, "w*") is None
    finally:
        conn.close()


PAIRS = ["w0 w1", "w1 w3", "w0 w2", "w2 w4", "w1 w2", "w3 w5", "w0 w1 w2"]


def _first_passes(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Sizes of the first passes :class:`search_mod._Lists` ranks (spied on)."""
    sizes: list[int] = []
    over = search_mod._Lists.over

    def spy(self: search_mod._Lists, floor: float) -> set[int]:
        found = over(self, floor)
        sizes.append(len(found))
        return found

    monkeypatch.setattr(search_mod._Lists, "over", spy)
    return sizes


@pytest.mark.parametrize("margin", [search_mod.LIKELY_MARGIN, 0.05, 1000.0])
def test_several_listed_words_rank_the_likeliest_first_and_stay_exact(
    library: Library, monkeypatch: pytest.MonkeyPatch, margin: float
) -> None:
    # 0.05: the first pass brings back too few, and the rest are ranked after it;
    # 1000: no first pass is smaller than all the candidates.
    monkeypatch.setattr(search_mod, "LIKELY_MARGIN", margin)
    sizes = _first_passes(monkeypatch)
    for text in PAIRS:
        assert same_top(library, text) == "impact", text
    if margin < 1000:
        assert sizes, "no query took the first pass"
        everyone = len(library.conn.execute("SELECT id FROM articles").fetchall())
        assert min(sizes) < everyone
