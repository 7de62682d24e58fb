"""alt+n / alt+p from an article opened in the library follow the list as it is shown:
its sort, its filters, and the archive hidden unless the archive view (``A``) is on."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot

from store.library import Library
from tui.app import MarginApp
from tui.config import Config
from tui.screens.article import ArticleScreen
from tui.screens.library import LibraryScreen
from tui.widgets.library_table import LibraryTable

from .pilot_helpers import settle

SIZE = (100, 30)


def listed(app: MarginApp) -> list[int]:
    """The ids in the library table, top to bottom."""
    screen = app.screen_stack[1]
    assert isinstance(screen, LibraryScreen)
    rows = screen.query_one(LibraryTable)
    return [rows.row(i).id for i in range(rows.row_count)]  # type: ignore[union-attr]


async def walk(pilot: Pilot, key: str, steps: int) -> list[int]:
    """Press ``key`` ``steps`` times in the reader; the articles shown, in turn."""
    screen = pilot.app.screen
    assert isinstance(screen, ArticleScreen)
    seen = []
    for _ in range(steps):
        await pilot.press(key)
        await settle(pilot)
        seen.append(screen.article_id)
    return seen


def archive_second_and_fourth(library_path: Path) -> list[int]:
    """Archive the library's 2nd and 4th articles; every id, in the library's order."""
    with Library(library_path) as library:
        everything = [s.id for s in library.summaries(limit=10)]
        library.archive(everything[1], True)
        library.archive(everything[3], True)
    return everything


async def test_next_article_skips_the_archived(library_path: Path) -> None:
    everything = archive_second_and_fourth(library_path)
    app = MarginApp(str(library_path), config=Config())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        shown = listed(app)
        assert shown == [everything[0], everything[2], everything[4]]
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.article_id == shown[0]  # type: ignore[attr-defined]
        assert await walk(pilot, "alt+n", 3) == [shown[1], shown[2], shown[2]]
        assert "No more articles" in str([n.message for n in app._notifications])
        assert await walk(pilot, "alt+p", 2) == [shown[1], shown[0]]


async def test_the_archive_view_walks_the_archive(library_path: Path) -> None:
    everything = archive_second_and_fourth(library_path)
    app = MarginApp(str(library_path), config=Config())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("A")
        await settle(pilot)
        assert listed(app) == [everything[1], everything[3]]
        await pilot.press("enter")
        await settle(pilot)
        assert await walk(pilot, "alt+n", 2) == [everything[3], everything[3]]
        assert await walk(pilot, "alt+p", 1) == [everything[1]]


async def test_next_unread_after_the_article_read_left_the_list(library_path: Path) -> None:
    with Library(library_path) as library:
        everything = [s.id for s in library.summaries(limit=10)]
        library.mark_read(everything[1], True)
    app = MarginApp(str(library_path), config=Config())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("u")  # unread only
        await settle(pilot)
        shown = listed(app)
        assert shown == [everything[0], *everything[2:]]
        await pilot.press("j", "enter")
        await settle(pilot)
        assert app.screen.article_id == shown[1]  # type: ignore[attr-defined]
        # Read by hand while reading, it leaves the unread list: alt+n still goes on from
        # where it was, and alt+p back to the one before it.
        app.library.mark_read(shown[1], True)
        assert await walk(pilot, "alt+n", 1) == [shown[2]]
        app.library.mark_read(shown[2], True)
        assert await walk(pilot, "alt+p", 1) == [shown[0]]
