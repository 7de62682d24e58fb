"""The notes screen: open from the library, fuzzy find, Enter opens the article."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import DataTable

from store.library import Library
from tui.app import MarginApp
from tui.config import Config
from tui.screens.article import ArticleScreen
from tui.screens.notes import NotesScreen


async def settle(pilot: Pilot[object]) -> None:
    """Let workers finish and the screen repaint."""
    for _ in range(2):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def test_open_find_and_enter_opens_the_article(library_path: Path) -> None:
    with Library(library_path) as lib:
        ids = [row[0] for row in lib.conn.execute("SELECT id FROM articles ORDER BY id LIMIT 2")]
        lib.add_note(ids[0], 0, 5, body="zebra crossing thoughts", color="blue")
        lib.add_note(ids[1], 0, 5, body="quiet owls")
    app = MarginApp(str(library_path), config=Config())
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("N")
        await settle(pilot)
        assert isinstance(app.screen, NotesScreen)
        table = app.screen.query_one(DataTable)
        assert table.row_count == 2
        await pilot.press("slash", *"zebr")
        await settle(pilot)
        assert table.row_count == 1
        assert app.screen.shown[0].article_id == ids[0]
        await pilot.press("enter", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ArticleScreen)
