"""The filter dialog reads its choices in a worker, never on the UI thread."""

from __future__ import annotations

import threading
from pathlib import Path

from textual.widgets import Select

from store.library import Library
from tests.conftest import draft
from tui.app import MarginApp
from tui.config import Config
from tui.screens.filters import FilterScreen
from tui.screens.library import LibraryScreen


def make_library(path: Path) -> Path:
    with Library(path) as library:
        library.store(
            [
                draft("One", "Body one.", source="Daily Bean", tags=["beans"]),
                draft("Two", "Body two.", source="Weekly Pea"),
            ]
        )
    return path


async def test_facets_are_read_off_the_ui_thread(tmp_path: Path) -> None:
    app = MarginApp(str(make_library(tmp_path / "lib.db")), config=Config())
    readers: list[str] = []
    release = threading.Event()
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        facets, tags = app.library.facets, app.library.tags

        def slow_facets(column: str) -> list[tuple[str, int]]:
            readers.append(threading.current_thread().name)
            release.wait(5)  # a big library: the UI must go on meanwhile
            return facets(column)  # type: ignore[arg-type]

        def recorded_tags() -> list[tuple[str, int]]:
            readers.append(threading.current_thread().name)
            return tags()

        app.library.facets = slow_facets  # type: ignore[method-assign]
        app.library.tags = recorded_tags  # type: ignore[method-assign]
        await pilot.press("F")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, FilterScreen)
        assert not screen.loaded
        assert len(screen.query_one("#filter-source", Select)._options) == 1  # the prompt only
        release.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.loaded
        assert readers and threading.main_thread().name not in readers
        source = screen.query_one("#filter-source", Select)
        assert len(source._options) == 3  # the prompt and two sources
        source.value = "Weekly Pea"
        await pilot.click("#apply")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, LibraryScreen)
        assert app.screen.query_state.source == "Weekly Pea"


async def test_apply_before_the_choices_arrive_keeps_the_filters(tmp_path: Path) -> None:
    app = MarginApp(str(make_library(tmp_path / "lib.db")), config=Config())
    release = threading.Event()
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        library_screen = app.screen
        assert isinstance(library_screen, LibraryScreen)
        library_screen._set_query(source="Daily Bean")
        await app.workers.wait_for_complete()
        await pilot.pause()
        facets = app.library.facets

        def blocked(column: str) -> list[tuple[str, int]]:
            release.wait(5)
            return facets(column)  # type: ignore[arg-type]

        app.library.facets = blocked  # type: ignore[method-assign]
        await pilot.press("F")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        release.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen is library_screen
        assert library_screen.query_state.source == "Daily Bean"
