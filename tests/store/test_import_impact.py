"""The rebuild after an import ranks each distinct set of matched terms once."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from store import impact
from store.library import Library
from tests.store.test_search_impact import _draft


@pytest.fixture
def small_lists(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(impact, "MIN_DOCS", 25)
    monkeypatch.setattr(impact, "LIST_SIZE", 60)
    monkeypatch.setattr(impact, "PREFIX_LENGTHS", (2, 3, 4))
    monkeypatch.setattr(impact, "PARALLEL_KEYS", 10**9)


def test_shared_keys_get_the_lists_ranking_each_would_give(
    tmp_path: Path, small_lists: None
) -> None:
    rng = random.Random(7)
    with Library(tmp_path / "lib.db") as lib:
        lib.store([_draft(rng, n) for n in range(300)])
        lib.refresh_vocabulary()
        conn = lib.conn
        keys = impact.broad_keys(conn)
        same = impact.same_matches(conn, keys)
        assert same, "the test library has no prefixes sharing their matches"
        assert all(key.endswith("*") for key in same)
        st = impact.stats(conn)
        every = impact._lists(conn, keys, st)  # each key ranked by FTS5 itself
        impact.rebuild(conn)
        built = conn.execute(
            "SELECT term, ids, sats, theta, avgdl, docs FROM search_impact "
            "WHERE instr(term, ' ') = 0"
        ).fetchall()
        assert [row[:5] for row in sorted(built)] == [row[:5] for row in sorted(every)]
        # A prefix ranked on its own counts half the articles when more match (a lower
        # bound); sharing a term's list gives its exact count.
        for mine, own in zip(sorted(built), sorted(every), strict=True):
            assert own[5] <= mine[5]


def test_nothing_is_shared_while_the_vocabulary_copy_is_behind(
    tmp_path: Path, small_lists: None
) -> None:
    """A term the copy lacks could tell two prefixes apart."""
    rng = random.Random(8)
    with Library(tmp_path / "lib.db") as lib:
        lib.store([_draft(rng, n) for n in range(300)])
        lib.refresh_vocabulary()
        keys = impact.broad_keys(lib.conn)
        assert impact.same_matches(lib.conn, keys)
        lib.store([_draft(rng, 1000)])
        assert impact.same_matches(lib.conn, keys) == {}
