"""The feeds screen: S from the library, r refreshes in the background, Enter filters by feed."""

from __future__ import annotations

import shutil
from pathlib import Path

from textual.widgets import DataTable

from importers.subscriptions import refresh_subscriptions
from store.library import Library
from tests.importers.feedserver import serving
from tests.tui.pilot_helpers import settle
from tui.app import MarginApp
from tui.config import Config
from tui.screens.feeds import FeedsScreen
from tui.screens.library import LibraryScreen

SAMPLES = Path(__file__).resolve().parent.parent / "importers" / "samples" / "feeds"


async def test_feeds_screen_refresh_and_filter(library_path: Path, tmp_path: Path) -> None:
    served = tmp_path / "served"
    served.mkdir()
    shutil.copy(SAMPLES / "rss2.xml", served / "harbour.xml")
    (served / "evil.xml").write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>[bold]Evil[/bold] [link]'
        "</title><item><title>x</title><link>https://e.example/1</link>"
        "<description>teaser</description></item></channel></rss>",
        encoding="utf-8",
    )
    with serving(served) as server:
        with Library(library_path) as lib:
            harbour = lib.add_subscription(server.url("harbour.xml"))
            refresh_subscriptions(lib, [harbour])
            lib.add_subscription(server.url("evil.xml"))
        app = MarginApp(str(library_path), config=Config())
        async with app.run_test(size=(120, 30)) as pilot:
            await settle(pilot)
            await pilot.press("S")
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, FeedsScreen)
            table = screen.query_one(DataTable)
            assert table.row_count == 2
            titles = [sub.title for sub in screen.subs]
            assert titles == [None, "The Slow Harbour"]  # the first is not fetched yet
            assert screen.subs[1].unread == 3
            await pilot.press("r")
            await settle(pilot)
            assert not screen.refreshing
            assert [sub.title for sub in screen.subs] == [
                "[bold]Evil[/bold] [link]",
                "The Slow Harbour",
            ]
            assert server.not_modified["harbour.xml"] == 1  # refreshed with a conditional request
            # The feed's title is shown as written, never read as markup.
            cell = table.get_row_at(0)[0]
            assert cell.plain == "[bold]Evil[/bold] [link]" and not cell.spans
            await pilot.press("down", "enter")
            await settle(pilot)
            assert isinstance(app.screen, LibraryScreen)
            assert app.screen.query_state.source == "The Slow Harbour"
