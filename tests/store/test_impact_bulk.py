"""Impact lists ranked on every core after an import: the very lists one process builds."""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

import pytest

from store import impact
from store.library import Library
from tests.store.test_search_impact import _draft


def _lists(conn: sqlite3.Connection) -> list[tuple[object, ...]]:
    return conn.execute("SELECT * FROM search_impact ORDER BY term").fetchall()


@pytest.fixture
def small_lists(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(impact, "MIN_DOCS", 25)
    monkeypatch.setattr(impact, "LIST_SIZE", 60)
    monkeypatch.setattr(impact, "PREFIX_LENGTHS", (2,))
    monkeypatch.setattr(impact, "PARALLEL_KEYS", 1)


def test_parallel_rebuild_builds_the_serial_lists(
    tmp_path: Path, small_lists: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    rng = random.Random(5)
    with Library(tmp_path / "lib.db") as lib:
        lib.store([_draft(rng, n) for n in range(300)])
        lib.refresh_vocabulary()
        st = impact.stats(lib.conn)
        keys = impact.broad_keys(lib.conn)
        assert len(keys) > 4
        parallel = impact._parallel_lists(lib.conn, keys, st)
        assert parallel == impact._lists(lib.conn, keys, st)
        pairs = impact._pair_entries(lib.conn)  # the phrase lists come with every rebuild
        assert pairs
        # ... and are ranked on every core with the terms.
        estimates = impact._pairs(lib.conn, st)
        both = impact._parallel_lists(lib.conn, keys + list(estimates), st, estimates)
        assert both is not None
        assert [row for row in both if row[0] in estimates] == pairs
        assert impact.rebuild(lib.conn) == len(parallel) + len(pairs)
        built = _lists(lib.conn)
        lib.conn.execute("DELETE FROM search_impact")
        monkeypatch.setattr(impact, "PARALLEL_KEYS", 10**9)  # the one-process path
        impact.rebuild(lib.conn)
        assert _lists(lib.conn) == built


def test_no_parallel_ranking_inside_a_transaction(
    tmp_path: Path, small_lists: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Other processes would not see the uncommitted articles."""
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    rng = random.Random(6)
    with Library(tmp_path / "lib.db") as lib:
        lib.store([_draft(rng, n) for n in range(100)])
        lib.refresh_vocabulary()
        keys = impact.broad_keys(lib.conn)
        assert keys
        lib.conn.execute("BEGIN")
        lib.conn.execute(
            "INSERT INTO articles (title, word_count, content_hash, imported_at, updated_at) "
            "VALUES ('x', 0, 'h', '', '')"
        )
        assert impact._parallel_lists(lib.conn, keys, impact.stats(lib.conn)) is None
        lib.conn.execute("ROLLBACK")


def test_no_parallel_ranking_in_memory(small_lists: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    rng = random.Random(7)
    with Library(":memory:") as lib:
        lib.store([_draft(rng, n) for n in range(100)])
        lib.refresh_vocabulary()
        keys = impact.broad_keys(lib.conn)
        assert keys
        assert impact._parallel_lists(lib.conn, keys, impact.stats(lib.conn)) is None
