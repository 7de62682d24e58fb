"""How impact lists are keyed and packed: prefix keys as FTS5 reads them, half-size blobs."""

from __future__ import annotations

import random
import sqlite3
from array import array
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from store import impact
from store.library import Library
from store.models import ArticleDraft
from tests.store.impact_sizes import small_impact
from tests.store.test_search_impact import same_top

FLOAT32_STEP = 2.0**-23


@given(st.lists(st.floats(min_value=0.0, max_value=3.0, allow_nan=False), max_size=50))
def test_pack_rounds_every_sat_up_by_less_than_a_float32_step(sats: list[float]) -> None:
    ids = list(range(len(sats)))
    back_ids, back = impact.unpack(*impact.pack(ids, sats))
    assert back_ids == ids
    for original, stored in zip(sats, back, strict=True):
        assert stored >= original  # still an upper bound: the proofs stay true
        assert stored - original <= original * FLOAT32_STEP + 1e-44


@given(st.lists(st.floats(min_value=0.0, max_value=3.0, allow_nan=False), max_size=50))
def test_pack_keeps_a_descending_list_descending(sats: list[float]) -> None:
    ordered = sorted(sats, reverse=True)
    _, back = impact.unpack(*impact.pack(range(len(ordered)), ordered))
    assert back == sorted(back, reverse=True)


def test_pack_halves_the_bytes_and_widens_ids_that_do_not_fit() -> None:
    ids_blob, sats_blob = impact.pack([1, 2, 3], [2.0, 1.5, 1.0])
    assert (len(ids_blob), len(sats_blob)) == (12, 12)
    big = [2**40, 7]
    ids_blob, sats_blob = impact.pack(big, [1.0, 0.5])
    assert len(ids_blob) == 16
    assert impact.unpack(ids_blob, sats_blob)[0] == big


WORDS = ["research", "results", "respond", "rest", "resort", "read", "real", "report"]


@pytest.fixture
def library(monkeypatch: pytest.MonkeyPatch) -> Iterator[Library]:
    small_impact(monkeypatch, list_size=30, prefix_lengths=(3,))
    rng = random.Random(5)
    drafts = [
        ArticleDraft(f"Piece {n}", " ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 80))))
        for n in range(120)
    ]
    with Library(":memory:") as lib:
        lib.store(drafts)
        lib.refresh_vocabulary()
        yield lib


def test_a_prefix_is_keyed_by_its_token(library: Library) -> None:
    # The porter stemmer reads "res" as "re": FTS5's "res" * matches "read" too.
    keys = impact.broad_keys(library.conn)
    assert "re*" in keys
    assert "res*" not in keys


def test_the_search_box_finds_the_prefix_list_the_build_made(library: Library) -> None:
    kept = library.conn.execute("SELECT count(*) FROM search_impact").fetchone()[0]
    results = library.search_results("res", live=True)
    assert results.plan == "impact-list"
    # Served by the build's list: no list was made on demand for it.
    assert library.conn.execute("SELECT count(*) FROM search_impact").fetchone()[0] == kept
    assert same_top(library, "res*") == "impact-list"


def test_migration_12_packs_old_lists_without_ranking_again(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    rng = random.Random(9)
    with Library(str(path)) as lib:
        words = [" ".join(rng.choice(WORDS) for _ in range(40)) for _ in range(50)]
        lib.store([ArticleDraft(f"T {n}", text) for n, text in enumerate(words)])
        ids, sats = [5, 3, 9], [1.7000000000000002, 1.3, 0.9000000000000001]
        old = (array("q", ids).tobytes(), array("d", sats).tobytes())
        lib.conn.execute(
            "INSERT INTO search_impact (term, ids, sats, theta, avgdl, docs) "
            "VALUES ('zz', ?, ?, 0.5, 40.0, 3)",
            old,
        )
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 11")
    conn.commit()
    conn.close()
    with Library(str(path)) as lib:
        entry = impact.entry(lib.conn, "zz")
    assert entry is not None
    assert entry.ids == ids
    for new, was in zip(entry.sats, sats, strict=True):
        assert 0 <= new - was <= was * FLOAT32_STEP
    assert (entry.theta, entry.avgdl, entry.docs) == (0.5, 40.0, 3)
