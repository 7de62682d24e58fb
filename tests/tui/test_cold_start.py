"""The reader's first frame: what start-up imports, and what it does before the rows show.

Cold start is measured against a minimal Textual app (``tests/bench/run.py``,
``cold_start_once``); these tests keep the cuts that made it fast from coming undone.
"""

from __future__ import annotations

from pathlib import Path

from textual.widgets._footer import FooterKey

from tests.conftest import run_python
from tui.app import MarginApp
from tui.screens.library import LibraryFooter, LibraryScreen
from tui.widgets.library_table import LibraryTable

from .pilot_helpers import settle

REPO = Path(__file__).resolve().parents[2]

NOT_FOR_THE_FIRST_FRAME = [
    "store.prepare",  # turning drafts into rows: only when storing
    "store.images",  # image rows: only when an article with images opens
    "store.annotations",  # rapidfuzz and the anchoring code
    "store.search",
    "tui.screens.article",
    "tui.screens.search",
    "tui.screens.jump",
    "tui.cli",
    "click",
]


def test_the_library_screen_imports_nothing_the_first_frame_does_not_need() -> None:
    code = (
        "import sys\n"
        "import tui.app, tui.screens.library\n"
        f"print('LOADED', [m for m in {NOT_FOR_THE_FIRST_FRAME!r} if m in sys.modules])"
    )
    done = run_python(code)
    assert done.returncode == 0, done.stderr
    assert "LOADED []" in done.stdout


def test_the_store_still_offers_what_it_loads_lazily() -> None:
    import store.library as module

    assert module.prepare.__module__ == "store.prepare"
    assert module.unpack_markdown.__module__ == "store.prepare"
    assert module.PreparedArticle.__module__ == "store.prepare"


async def test_the_first_page_is_read_on_mount(app: MarginApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        table = app.screen.query_one(LibraryTable)
        # Read with the count on mount, not by a worker after the first paint.
        assert table._pages.get(0)
        await settle(pilot)


async def test_the_footer_keys_come_once_the_rows_are_on_screen(app: MarginApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)
        table = app.screen.query_one(LibraryTable)
        footer = app.screen.query_one(LibraryFooter)
        assert table._shown
        keys = [key.description for key in footer.query(FooterKey)]
        assert "Search" in keys and "Quit" in keys
        # Later changes of the bindings still reach the footer.
        app.screen.refresh_bindings()
        await pilot.pause(0.2)
        assert [key.description for key in footer.query(FooterKey)] == keys


async def test_the_other_screens_rules_come_before_the_first_other_screen(app: MarginApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert not app._screens_css_loaded  # the first frame parses the library's rules only
        await pilot.press("question_mark")
        await pilot.pause()
        assert app._screens_css_loaded
        await settle(pilot)
