"""`margin doctor`: finds an out-of-sync full-text index, repairs it, reports notes at risk."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from click.testing import CliRunner

from store.library import Library
from tests.conftest import draft
from tui.cli import cli


def doctor(path: Path, *args: str) -> tuple[int, dict]:
    result = CliRunner().invoke(cli, ["--db", str(path), "doctor", "--json", *args])
    return result.exit_code, json.loads(result.stdout)


def test_doctor_repairs_the_index_and_counts_orphaned_and_detached_notes(tmp_path: Path) -> None:
    path = tmp_path / "lib.db"
    with Library(path) as library:
        kept, gone = library.store(
            [draft("Rivers", "Rivers carry water to the sea."), draft("Hills", "Hills rise.")]
        )
        library.add_note(kept.id, 0, 6, body="anchored")
        library.add_note_by_quote(kept.id, "a passage that is nowhere", body="orphan")
        library.add_note(gone.id, 0, 5, body="will be detached")
        library.delete(gone.id, keep_annotations=True)
    db = sqlite3.connect(path)  # the index falls out of step with the text behind its back
    db.execute("DROP TRIGGER article_bodies_au")
    db.execute(
        "UPDATE article_bodies SET body_text = 'Streams only' WHERE article_id = ?", (kept.id,)
    )
    db.commit()
    db.close()
    code, report = doctor(path)
    assert code == 1
    assert any(problem.startswith("full-text index") for problem in report["problems"])
    assert report["notes"] == {"orphaned": 1, "detached": 1}
    code, report = doctor(path, "--rebuild")
    assert (code, report["problems"]) == (0, [])
    with Library(path) as library:
        assert [hit.id for hit in library.search("streams")] == [kept.id]
        assert library.search("rivers carry") == []
        assert len(library.notes()) == 3  # nothing was deleted to repair anything
    plain = CliRunner().invoke(cli, ["--db", str(path), "doctor"])
    assert "1 notes lost their passage" in plain.output
    assert "1 notes belong to deleted articles" in plain.output


def test_doctor_recreates_every_kind_of_missing_store_object(tmp_path: Path) -> None:
    path = tmp_path / "lib.db"
    with Library(path) as library:
        first = library.store([draft("Rivers", "Rivers carry water to the sea.")])[0]
        library.add_note(first.id, 0, 6, body="estuary thoughts")
    code, report = doctor(path)
    assert (code, report["problems"]) == (0, [])  # a healthy library has nothing to report
    db = sqlite3.connect(path)
    dropped = {
        "article_bodies_ai": "DROP TRIGGER article_bodies_ai",  # new bodies into the index
        "notes_fts_au": "DROP TRIGGER notes_fts_au",  # edited notes into theirs
        "titles_tri_ai": "DROP TRIGGER titles_tri_ai",  # substring search of titles
        "articles_by_date": "DROP INDEX articles_by_date",
        "article_images_hash": "DROP INDEX article_images_hash",
    }
    for sql in dropped.values():
        db.execute(sql)
    db.commit()
    db.close()
    with Library(path) as library:  # the drift a missing trigger lets through
        second = library.store([draft("Glaciers", "Glaciers grind valleys slowly.")])[0]
        assert library.search("glaciers") == []
    code, report = doctor(path)
    assert code == 1
    for name in dropped:
        assert any(f" {name} is missing" in problem for problem in report["problems"]), name
    code, report = doctor(path, "--rebuild")
    assert (code, report["problems"]) == (0, [])
    db = sqlite3.connect(path)
    names = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
    db.close()
    assert set(dropped) <= names
    with Library(path) as library:
        assert [hit.id for hit in library.search("glaciers")] == [second.id]
        # The recreated triggers work: new text is searchable with no further rebuild.
        third = library.store([draft("Deltas", "Deltas fan out where rivers slow.")])[0]
        assert [hit.id for hit in library.search("deltas")] == [third.id]
        note = library.notes()[0]
        library.update_note(note.id, body="tidal flats")
        assert [hit.note.id for hit in library.search_notes("tidal")] == [note.id]
    code, report = doctor(path)
    assert (code, report["problems"]) == (0, [])


def test_doctor_reports_a_changed_trigger_and_a_missing_table(tmp_path: Path) -> None:
    path = tmp_path / "lib.db"
    Library(path).close()
    db = sqlite3.connect(path)
    db.execute("DROP TRIGGER jump_notes_ai")
    db.execute("CREATE TRIGGER jump_notes_ai AFTER INSERT ON notes BEGIN SELECT 1; END")
    db.execute("DROP TABLE pending_links")
    db.commit()
    db.close()
    code, report = doctor(path, "--rebuild")
    assert code == 1
    assert report["problems"] == [
        "schema: table pending_links is missing (restore a backup; --rebuild cannot)"
    ]
    db = sqlite3.connect(path)
    sql = db.execute("SELECT sql FROM sqlite_master WHERE name = 'jump_notes_ai'").fetchone()[0]
    db.close()
    assert "generation" in sql  # the definition was put back
