"""A library at every earlier schema version: migrated after a backup, or left alone.

The fixtures are made here from the migration list itself: migrations 1..k on an
empty file, with articles, a tag, a note, a bookmark and a reading position written
as Margin wrote them at version 1 (and a note draft from version 5 on). Together
with the file written by a real release (tests/store/schemas/v4.db) this covers
every schema Margin has shipped.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from store import migrations
from store.library import Library, LibraryError
from store.prepare import prepare
from tests.conftest import REPO, draft, newer_library
from tui.cli import READ_ONLY_COMMANDS, cli

OLDER = range(1, migrations.LATEST)
STAMP = "2024-05-01T10:00:00+00:00"
ARTICLES = [
    draft("Can the Taliban tame ETIM?", "The ETIM question, again. Taliban history.\n"),
    draft("Gardening", "Tomatoes need sun and water. Basil likes it warm.\n", source="Garden"),
]


def migrate_to(db: sqlite3.Connection, version: int) -> None:
    """Run migrations up to ``version`` only, as a release at that version did."""
    migrations.apply(db, until=version)


def write_v1_content(db: sqlite3.Connection) -> None:
    """Articles and annotations in the tables of schema 1."""
    for article in ARTICLES:
        prepared = prepare(article)
        row = dict(prepared.row)
        body_text = row.pop("body_text")
        cursor = db.execute(
            f"INSERT INTO articles ({', '.join(row)}, imported_at, updated_at) "
            f"VALUES ({', '.join(':' + key for key in row)}, :stamp, :stamp)",
            {**row, "stamp": STAMP},
        )
        db.execute(
            "INSERT INTO article_bodies (article_id, body_text, body_markdown) VALUES (?, ?, ?)",
            (cursor.lastrowid, body_text, prepared.markdown_blob),
        )
    db.execute("INSERT INTO tags (id, name) VALUES (1, 'asia')")
    db.execute("INSERT INTO article_tags VALUES (1, 1)")
    db.execute(
        "INSERT INTO notes (article_id, article_title, quote, prefix, suffix, paragraph, "
        "start_offset, end_offset, body, created_at, updated_at) "
        "VALUES (1, 'Can the Taliban tame ETIM?', 'ETIM question', 'The ', ', again', 0, 4, 17, "
        "'an old remark', ?, ?)",
        (STAMP, STAMP),
    )
    db.execute(
        "INSERT INTO bookmarks (article_id, article_title, label, created_at) "
        "VALUES (2, 'Gardening', 'later', ?)",
        (STAMP,),
    )
    db.execute(
        "INSERT INTO reading_positions (article_id, paragraph, progress, updated_at) "
        "VALUES (2, 0, 0.5, ?)",
        (STAMP,),
    )


def old_library(path: Path, version: int) -> Path:
    """A library file at schema ``version`` with the content above."""
    db = sqlite3.connect(path, isolation_level=None)
    try:
        db.execute("PRAGMA journal_mode = WAL")
        migrate_to(db, 1)
        db.execute("BEGIN")
        write_v1_content(db)
        db.execute("COMMIT")
        migrate_to(db, version)
        if version >= 5:
            db.execute(
                "INSERT INTO note_drafts VALUES ('article:2', 'typed, not saved', ?)", (STAMP,)
            )
        assert db.execute("PRAGMA user_version").fetchone()[0] == version
    finally:
        db.close()
    return path


@pytest.mark.parametrize("version", OLDER)
def test_each_older_schema_migrates_after_a_backup_and_keeps_everything(
    tmp_path: Path, version: int
) -> None:
    path = old_library(tmp_path / f"v{version}.db", version)
    with Library(path) as library:
        assert library.version == migrations.LATEST
        assert library.backup_path and Path(library.backup_path).exists()
        assert sorted(s.title for s in library.summaries()) == [
            "Can the Taliban tame ETIM?",
            "Gardening",
        ]
        assert [hit.id for hit in library.search("etim")] == [1]
        assert library.get(2).body_markdown.startswith("Tomatoes need sun")
        assert library.article_tags(1) == ["asia"]
        (note,) = library.notes(1)
        assert note.body == "an old remark"
        assert [n.id for n in library.notes(text="remark")] == [note.id]  # index built
        assert library.check() == []
        if version >= 5:
            assert library.draft("article:2") == "typed, not saved"
    backup = sqlite3.connect(library.backup_path)
    try:
        assert backup.execute("PRAGMA user_version").fetchone()[0] == version
        assert backup.execute("SELECT count(*) FROM articles").fetchone()[0] == 2
    finally:
        backup.close()


@pytest.mark.parametrize("version", OLDER)
def test_read_only_commands_refuse_an_older_library_and_touch_nothing(
    tmp_path: Path, version: int
) -> None:
    folder = tmp_path / "lib"
    folder.mkdir()
    path = old_library(folder / "old.db", version)
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    for command in sorted(READ_ONLY_COMMANDS):
        args = [*command, *(["1"] if command in {("show",), ("versions",)} else [])]
        args += ["x"] if command in {("search",), ("jump",)} else []
        result = CliRunner().invoke(cli, ["--db", str(path), *args])
        assert result.exit_code == 1, (command, result.output)
        assert "older Margin" in result.output and "margin upgrade" in result.output, command
        assert "\n" not in result.output.strip()
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


def test_upgrade_migrates_then_read_only_commands_work(tmp_path: Path) -> None:
    path = old_library(tmp_path / "old.db", 4)
    assert CliRunner().invoke(cli, ["--db", str(path), "list"]).exit_code == 1
    upgraded = CliRunner().invoke(cli, ["--db", str(path), "upgrade"])
    assert upgraded.exit_code == 0, upgraded.output
    assert "backup" in upgraded.output and "Upgraded" in upgraded.output
    listed = CliRunner().invoke(cli, ["--db", str(path), "list"])
    assert listed.exit_code == 0 and "Gardening" in listed.output
    again = CliRunner().invoke(cli, ["--db", str(path), "upgrade"])
    assert "up to date" in again.output


def test_a_newer_library_is_refused_by_every_command_untouched(tmp_path: Path) -> None:
    path = newer_library(tmp_path / "new.db")
    before = path.read_bytes()
    for args in (["list"], ["import", str(tmp_path / "nothing.md")], ["upgrade"], ["doctor"]):
        result = CliRunner().invoke(cli, ["--db", str(path), *args])
        assert result.exit_code == 1, args
        assert "newer Margin" in result.output, (args, result.output)
    with pytest.raises(LibraryError, match="newer"):
        Library(path)
    assert path.read_bytes() == before


def test_the_reader_refuses_a_newer_library_untouched(tmp_path: Path) -> None:
    path = newer_library(tmp_path / "new.db")
    before = path.read_bytes()
    done = subprocess.run(
        [sys.executable, "-m", "tui", "--db", str(path)],
        capture_output=True,
        cwd=REPO,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode != 0
    assert b"newer Margin" in done.stderr + done.stdout
    assert path.read_bytes() == before
