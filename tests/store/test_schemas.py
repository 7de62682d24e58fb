"""Libraries written by earlier Margin releases open, migrate with a backup, and keep everything."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from store import migrations
from store.library import Library, LibraryError
from tests.conftest import newer_library

SCHEMAS = Path(__file__).parent / "schemas"


def restore(version: int, path: Path) -> Path:
    """A copy of the library file written by the release with schema ``version``."""
    shutil.copyfile(SCHEMAS / f"v{version}.db", path)
    return path


@pytest.mark.parametrize("version", [4])
def test_released_schema_migrates_with_a_backup_and_keeps_its_articles(
    tmp_path: Path, version: int
) -> None:
    path = restore(version, tmp_path / "old.db")
    with Library(path) as library:
        assert library.version == migrations.LATEST
        assert library.backup_path and Path(library.backup_path).exists()
        titles = sorted(summary.title for summary in library.summaries())
        assert titles == ["Can the Taliban tame ETIM?", "Gardening"]
        assert [hit.id for hit in library.search("ETIM")] == [1]
        assert library.article_tags(1) == ["asia"]
        note = library.add_note(1, 4, 8, body="after the upgrade")
        assert library.notes(text="upgrade")[0].id == note.id
        assert library.check() == []
    backup = sqlite3.connect(library.backup_path)
    assert backup.execute("PRAGMA user_version").fetchone()[0] == version


def test_a_newer_library_is_refused_untouched(tmp_path: Path) -> None:
    path = newer_library(tmp_path / "new.db")
    before = path.read_bytes()
    with pytest.raises(LibraryError, match="newer"):
        Library(path)
    assert path.read_bytes() == before
