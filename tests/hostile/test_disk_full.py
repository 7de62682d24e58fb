"""A full disk during an import or a note save: a clear error, nothing half-written or lost."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

import importers.runner as runner
from importers import import_paths
from store.library import Library, StorageFull

from .test_crash import assert_whole

ARTICLES = 300


def fill_folder(folder: Path) -> None:
    folder.mkdir()
    for number in range(ARTICLES):
        words = " ".join(f"word{(number * 7 + k) % 997}x{number}" for k in range(300))
        (folder / f"a{number:04}.md").write_text(
            f"# Article number {number}\n\nUnique{number} marker. {words}\n", encoding="utf-8"
        )


def limit_pages(library: Library, room: int) -> None:
    """Let the file grow by ``room`` pages only, as a nearly full disk would."""
    pages = library.conn.execute("PRAGMA page_count").fetchone()[0]
    library.conn.execute(f"PRAGMA max_page_count = {pages + room}")


def test_a_full_disk_stops_the_import_cleanly_and_a_rerun_completes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(runner, "BATCH", 20)  # several batches in this small import
    batch = tmp_path / "batch"
    fill_folder(batch)
    path = tmp_path / "lib.db"
    library = Library(path)
    limit_pages(library, 150)
    report = import_paths(library, [batch], workers=0)
    assert len(report.failed) + report.added == ARTICLES  # every file accounted for
    assert report.failed and all("disk is full" in reason for _, reason in report.failed)
    stored = report.added
    assert 0 < stored < ARTICLES
    library.close()
    assert assert_whole(path) == stored  # whole articles only, indexes in step
    library = Library(path)  # opens fine; room again
    again = import_paths(library, [batch], workers=0)
    assert not again.failed
    library.close()
    assert assert_whole(path) == ARTICLES


def test_a_full_disk_while_saving_a_note_says_so_and_keeps_nothing_half(tmp_path: Path) -> None:
    library = Library(tmp_path / "lib.db")
    from tests.conftest import draft

    (article,) = library.store([draft("Title", "Some words to note on. " * 50)])
    limit_pages(library, 0)
    with pytest.raises(StorageFull, match="disk is full"):
        library.add_note(article.id, 0, 10, body="x" * 200_000)
    assert library.notes(article.id) == []
    assert library.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    with pytest.raises(sqlite3.Error):  # the limit is real: plain writes fail too
        library.conn.execute("CREATE TABLE t AS SELECT zeroblob(1000000) AS b")
