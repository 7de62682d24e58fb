"""The search, related and quick-jump screens: Pilot flows and 80x24 snapshots.

Update the snapshots with
``uv run pytest tests/tui/test_search_screen.py --snapshot-update`` and review
the SVGs in ``tests/tui/__snapshots__/``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Static

from store.library import Library
from tests.tui.pilot_helpers import settle
from tui.app import MarginApp
from tui.messages import OpenRequest
from tui.screens.article import ArticleScreen
from tui.screens.jump import JumpScreen
from tui.screens.search import RelatedScreen, SearchScreen, related_screen
from tui.widgets.article_view import ArticleView

from .fixture_library import HOSTILE_TITLE

SIZE = (100, 30)


@pytest.fixture(autouse=True)
def no_debounce(monkeypatch: pytest.MonkeyPatch) -> None:
    """Search on every keystroke, so tests wait for workers instead of timers."""
    monkeypatch.setattr(SearchScreen, "DEBOUNCE", 0)


def screen_text(app: App[object]) -> str:
    """What the terminal shows, as plain text."""
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(segment.text for segment in strip) for strip in strips)


async def type_text(pilot: Pilot[object], text: str) -> None:
    for char in text:
        await pilot.press("space" if char == " " else char)
        await pilot.app.workers.wait_for_complete()
    await settle(pilot)


class ScreenApp(App[object]):
    """A bare app that pushes one screen and records what it dismissed with."""

    def __init__(self, library: Library, make: object) -> None:
        super().__init__()
        self.library = library
        self.make = make
        self.results: list[OpenRequest | None] = []

    def compose(self) -> ComposeResult:
        yield Static("base")

    def on_mount(self) -> None:
        self.push_screen(self.make(self.library), self.results.append)  # type: ignore[operator]


@pytest.fixture
def library(library_path: Path) -> Library:
    lib = Library(library_path)
    yield lib  # type: ignore[misc]
    lib.close()


async def test_search_open_and_cycle_hits(app: MarginApp) -> None:
    """search -> open -> n/N: the article opens at the first hit, n/N cycle them."""
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, SearchScreen)
        await type_text(pilot, "needle")
        assert "A long read about rivers" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ArticleScreen)
        reader = app.screen.query_one(ArticleView)
        assert len(reader.hits) == 2 and reader.current_hit == 0
        assert reader.hits[0].block in reader.visible_blocks()
        await pilot.press("n")
        assert reader.current_hit == 1
        await pilot.press("N")
        assert reader.current_hit == 0


async def test_enter_dismisses_with_open_request(library: Library) -> None:
    app = ScreenApp(library, SearchScreen)
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "coffee")
        assert "Short note on coffee" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
    (request,) = app.results
    assert isinstance(request, OpenRequest)
    assert library.get(request.article_id).title == "Short note on coffee"  # type: ignore[union-attr]
    assert "coffee" in request.terms


async def test_escape_dismisses_with_none(library: Library) -> None:
    app = ScreenApp(library, SearchScreen)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("escape")
        await pilot.pause()
    assert app.results == [None]


async def test_results_move_with_down_and_live_prefix(library: Library) -> None:
    app = ScreenApp(library, SearchScreen)
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "dail")  # live: the word being typed is a prefix
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        assert screen.results is not None and len(screen.results.hits) == 2
        await pilot.press("down")
        assert screen.query_one(OptionList).highlighted == 1
        await pilot.press("enter")
        await pilot.pause()
    (request,) = app.results
    assert request is not None and request.article_id == screen.results.hits[1].id


async def test_typo_shows_correction_and_search_instead(library: Library) -> None:
    app = ScreenApp(library, SearchScreen)
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "zebrsa ")
        text = screen_text(app)
        assert "showing results for zebra" in text
        assert "search instead for zebrsa" in text
        assert "Zebra crossings explained" in text
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert "showing results for" not in screen_text(app)


async def test_correction_is_shown_as_the_word_is_written(tmp_path: Path) -> None:
    """ "jupiter" is indexed as the stem "jupit": the status line says "jupiter"."""
    from store.models import ArticleDraft

    with Library(tmp_path / "planets.db") as planets:
        planets.store([ArticleDraft("Moons of Jupiter", "Jupiter has many moons.")])
        planets.refresh_vocabulary()
        app = ScreenApp(planets, SearchScreen)
        async with app.run_test(size=SIZE) as pilot:
            await type_text(pilot, "jupitor ")
            text = screen_text(app)
            assert "showing results for jupiter " in text
            assert "showing results for jupit " not in text
            assert "Moons of Jupiter" in text


async def test_hostile_text_is_shown_literally(library: Library) -> None:
    app = ScreenApp(library, SearchScreen)
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "evil")
        text = screen_text(app)
        assert "[bold]not bold[/bold]" in text
        assert "\x1b" not in text
    assert HOSTILE_TITLE.startswith("Evil")


async def test_hostile_queries_do_not_break_the_screen(library: Library) -> None:
    app = ScreenApp(library, SearchScreen)
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "NEAR( foo:bar OR -")
        assert isinstance(app.screen, SearchScreen)
        assert "unknown filter foo:" in screen_text(app)
        await type_text(pilot, ' "x')
        assert "closing quote added" in screen_text(app)


async def test_history_is_recalled_with_up_and_down(library: Library) -> None:
    library.remember_search("rivers")
    library.remember_search("coffee")
    app = ScreenApp(library, SearchScreen)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)  # the history is read in the warm-up worker
        field = app.screen.query_one(Input)
        await pilot.press("up")
        assert field.value == "coffee"
        await pilot.press("up")
        assert field.value == "rivers"
        await pilot.press("down")
        assert field.value == "coffee"
        await pilot.press("down")
        assert field.value == ""
        await pilot.press("up", "enter")
        await settle(pilot)
    assert app.results and app.results[0] is not None
    assert library.search_history()[0] == "coffee"


async def test_initial_query_searches_at_once(library: Library) -> None:
    app = ScreenApp(library, lambda lib: SearchScreen(lib, "zebras"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "Zebra crossings explained" in screen_text(app)


async def test_related_screen(library: Library) -> None:
    first = library.summaries(sort="title", limit=10)
    rivers = next(s.id for s in first if s.title.startswith("A long read"))
    app = ScreenApp(library, lambda lib: related_screen(lib, rivers))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, RelatedScreen)
        assert "Related to: A long read about rivers" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
    assert app.results == [None]


async def test_jump_opens_the_article(app: MarginApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        assert isinstance(app.screen, JumpScreen)
        for char in "zebra":
            await pilot.press(char)
        await pilot.pause()
        assert "Zebra crossings explained" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ArticleScreen)
        assert app.screen.article is not None
        assert app.screen.article.title == "Zebra crossings explained"


async def test_jump_fuzzy_and_sources(library: Library) -> None:
    app = ScreenApp(library, JumpScreen)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for char in "dlybean":
            await pilot.press(char)
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, JumpScreen)
        assert {m.item.text.split("  ·  ")[1] for m in screen.matches[:2]} == {"Daily Bean"}
        await pilot.press("down", "enter")
        await pilot.pause()
    (request,) = app.results
    assert request == OpenRequest(screen.matches[1].item.article_id)


# -- snapshots ----------------------------------------------------------------------------------
def _snapshot_library(tmp_path: Path) -> Library:
    from .fixture_library import build_library

    path = tmp_path / "snap.db"
    build_library(path)
    return Library(path)


def test_search_snapshot(snap_compare, tmp_path: Path) -> None:
    """The search screen with results for a word, at 80x24."""
    library = _snapshot_library(tmp_path)
    app = ScreenApp(library, lambda lib: SearchScreen(lib, "rivers"))

    async def run_before(pilot: Pilot[object]) -> None:
        await settle(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_jump_snapshot(snap_compare, tmp_path: Path) -> None:
    """The quick jump with a fuzzy query, at 80x24."""
    library = _snapshot_library(tmp_path)
    app = ScreenApp(library, lambda lib: JumpScreen(lib, "co"))

    async def run_before(pilot: Pilot[object]) -> None:
        await settle(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


async def test_related_from_the_article_screen(app: MarginApp) -> None:
    """r on an article lists related ones; enter opens the chosen one in its place."""
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await type_text(pilot, "zebras")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ArticleScreen)
        await pilot.press("r")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RelatedScreen)
        assert "Related to: Zebra crossings explained" in screen_text(app)
        if screen.hits:
            chosen = screen.hits[0].id
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, ArticleScreen)
            assert app.screen.article_id == chosen
        else:
            await pilot.press("escape")
            await settle(pilot)
            assert isinstance(app.screen, ArticleScreen)


async def test_back_from_a_hit_returns_to_the_results_then_the_article(app: MarginApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # an article first
        await settle(pilot)
        first = app.screen
        assert isinstance(first, ArticleScreen)
        await pilot.press("s")
        await settle(pilot)
        await type_text(pilot, "the")
        search = app.screen
        assert isinstance(search, SearchScreen) and search.results and len(search.results.hits) > 1
        highlighted = search.query_one("#search-results").highlighted
        await pilot.press("enter")
        await settle(pilot)
        opened = app.screen
        assert isinstance(opened, ArticleScreen)
        assert opened.article_id == search.results.hits[highlighted].id
        await pilot.press("alt+n")  # the next result, not the next in the library
        await settle(pilot)
        assert opened.article_id == search.results.hits[highlighted + 1].id
        await pilot.press("q")
        await settle(pilot)
        assert app.screen is search
        assert search.query_one("#search-results").highlighted == highlighted
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is first


async def test_a_search_finds_an_article_through_a_note_and_opens_at_it(app: MarginApp) -> None:
    with Library(app.library.path) as library:
        rivers = next(s for s in library.summaries(limit=50) if "rivers" in s.title)
        text = library.get(rivers.id).body_text
        start = text.index("Paragraph 3.2")
        note = library.add_note(rivers.id, start, start + 13, body="the quixotic bend")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        await type_text(pilot, "quixotic")
        search = app.screen
        assert isinstance(search, SearchScreen) and search.results is not None
        assert [h.note_id for h in search.results.hits] == [note.id]
        assert "your note: the quixotic bend" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        opened = app.screen
        assert isinstance(opened, ArticleScreen) and opened.article_id == rivers.id
        assert opened.pane.current_note is not None and opened.pane.current_note.id == note.id
        block = opened.document.block_at(start)
        assert opened.view.top_block[0] <= block.index


async def test_status_says_how_to_reach_results_and_history_and_titles_mark_hits(
    tmp_path: Path,
) -> None:
    """Issue 16: the status line names ↑↓/enter and the history; hits in titles are styled."""
    from store.models import ArticleDraft
    from tui.screens.search import HIT_STYLE

    with Library(tmp_path / "planets.db") as planets:
        planets.store([ArticleDraft("Moons of Jupiter", "Jupiter has many moons.")])
        planets.refresh_vocabulary()
        app = ScreenApp(planets, SearchScreen)
        async with app.run_test(size=SIZE) as pilot:
            assert "↑ history" in screen_text(app)
            await type_text(pilot, "moons ")
            assert "↑↓ choose, enter opens" in screen_text(app)
            options = app.screen.query_one("#search-results", OptionList)
            prompt = options.get_option_at_index(0).prompt
            title = prompt.plain.split("\n")[0]
            start = title.index("Moons")
            styled = [
                span
                for span in prompt.spans
                if span.start <= start and span.end >= start + len("Moons")
            ]
            assert any(str(span.style) == HIT_STYLE for span in styled), prompt.spans


async def test_a_bad_filter_value_is_a_clear_message(tmp_path: Path) -> None:
    """``after:notadate`` says what to type instead of searching "after not"."""
    from store.models import ArticleDraft

    with Library(tmp_path / "planets.db") as planets:
        planets.store([ArticleDraft("Moons of Jupiter", "Jupiter has many moons.")])
        planets.refresh_vocabulary()
        app = ScreenApp(planets, SearchScreen)
        async with app.run_test(size=SIZE) as pilot:
            await type_text(pilot, "after:notadate moons")
            text = screen_text(app)
            assert "after:notadate ignored: use a date such as 2021" in text
            assert "Moons of Jupiter" in text
