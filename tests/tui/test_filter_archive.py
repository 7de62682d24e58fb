"""The filter dialog's archive field (issue 16): not archived / only archived / both, the
same filter as ``A``, named in the header."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Select

from store.library import Library
from tui.app import MarginApp
from tui.config import Config
from tui.screens.filters import FilterScreen
from tui.screens.library import LibraryScreen

from .pilot_helpers import settle
from .test_reader_neighbours import listed

SIZE = (100, 30)


def header(app: MarginApp) -> str:
    screen = app.screen_stack[1]
    assert isinstance(screen, LibraryScreen)
    return str(screen.query_one("#library-status").render())


async def choose_archive(app: MarginApp, pilot, label: str) -> None:  # noqa: ANN001
    """Open the dialog, pick ``label`` in the archive field with keys, apply."""
    await pilot.press("F")
    await settle(pilot)
    screen = app.screen
    assert isinstance(screen, FilterScreen)
    field = screen.query_one("#filter-archived", Select)
    field.focus()
    await pilot.press("enter")  # open the list
    await pilot.pause()
    target = ["not archived", "only archived", "both"].index(label)
    for _ in range((target - field.value) % 3):  # type: ignore[operator]
        await pilot.press("down")  # the list wraps round
    await pilot.press("enter")
    await pilot.pause()
    await pilot.press("ctrl+s")
    await settle(pilot)


async def test_the_archive_field_filters_like_capital_a(library_path: Path) -> None:
    with Library(library_path) as library:
        everything = [s.id for s in library.summaries(limit=10)]
        library.archive(everything[2], True)
    app = MarginApp(str(library_path), config=Config())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert everything[2] not in listed(app)
        await choose_archive(app, pilot, "only archived")
        assert listed(app) == [everything[2]]
        assert "· archived" in header(app)
        await choose_archive(app, pilot, "both")
        assert listed(app) == everything
        assert "archived too" in header(app)
        await choose_archive(app, pilot, "not archived")
        assert everything[2] not in listed(app) and len(listed(app)) == 4
        assert "archived" not in header(app)
        # The dialog shows what A chose, and A leaves "both" for the archive alone.
        await pilot.press("A")
        await settle(pilot)
        await pilot.press("F")
        await settle(pilot)
        assert app.screen.query_one("#filter-archived", Select).value == 1
        await pilot.click("#clear")
        await settle(pilot)
        assert len(listed(app)) == 4 and "archived" not in header(app)
        await choose_archive(app, pilot, "both")
        await pilot.press("A")
        await settle(pilot)
        assert listed(app) == [everything[2]]


def test_the_archive_field_at_60x15_snapshot(snap_compare, tmp_path: Path) -> None:  # noqa: ANN001
    """At 60×15 the dialog scrolls the archive field into view when tabbed to."""
    from .snapshot_app import make_app

    async def run_before(pilot) -> None:  # noqa: ANN001
        await settle(pilot)
        await pilot.press("F")
        await settle(pilot)
        await pilot.press("tab", "tab", "tab", "tab")
        await pilot.pause()
        assert pilot.app.focused is not None and pilot.app.focused.id == "filter-archived"

    assert snap_compare(make_app(tmp_path), terminal_size=(60, 15), run_before=run_before)
