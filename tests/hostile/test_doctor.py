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
