"""Pilot tests: the article screen kept between opens shows each article as a new one would."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot
from textual.widgets._footer import FooterKey

from tui.app import MarginApp
from tui.screens.article import ArticleScreen
from tui.screens.library import LibraryScreen
from tui.widgets import reader_pane
from tui.widgets.footer import FitFooter

from .test_reader import SIZE, open_title, screen_text, settle


async def back(pilot: Pilot) -> None:
    await pilot.press("q")
    await settle(pilot)


async def test_second_open_reuses_the_screen_and_shows_only_the_new_article(
    app: MarginApp,
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        first = await open_title(pilot, "A long read")
        await pilot.press("pagedown", "pagedown")
        await back(pilot)
        assert isinstance(app.screen, LibraryScreen)
        second = await open_title(pilot, "Short note on coffee")
        assert second is first
        assert second.article is not None and second.article.title == "Short note on coffee"
        text = screen_text(app)
        assert "Coffee is a drink" in text
        assert "rivers and mountains" not in text
        assert second.view.has_focus
        await back(pilot)
        again = await open_title(pilot, "A long read")
        assert again is first
        # Back at the position saved when it was left, as a new screen would open it.
        assert again.view.top_block[0] > 0
        assert "rivers and mountains" in screen_text(app)


async def test_a_short_article_left_at_once_is_not_marked_read_later(
    app: MarginApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reader_pane, "END_DWELL", 1.0)
    monkeypatch.setattr(reader_pane, "SKIM_WORDS_PER_SECOND", 1000.0)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await open_title(pilot, "Short note on coffee")
        assert screen.article is not None
        article_id = screen.article.id
        await back(pilot)
        left = app.library.position(article_id)
        assert left is None or not left.finished  # (else it stayed a second on screen)
        await pilot.pause(1.2)  # past the dwell that marks a text read once it stayed
        await settle(pilot)
        position = app.library.position(article_id)
        assert position is None or not position.finished


async def test_opening_over_the_kept_screen_makes_another(app: MarginApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        kept = await open_title(pilot, "A long read")
        coffee = next(s.id for s in app.library.summaries() if s.title.startswith("Short"))
        app.open_over(coffee, (), [coffee])
        await settle(pilot)
        assert isinstance(app.screen, ArticleScreen) and app.screen is not kept
        assert app.screen.article is not None and app.screen.article.id == coffee
        await back(pilot)
        assert app.screen is kept
        assert kept.article is not None and kept.article.title.startswith("A long read")


async def test_an_article_gone_from_the_library_says_so_and_drops_the_last_articles_keys(
    app: MarginApp,
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        kept = await open_title(pilot, "A long read")
        await back(pilot)
        coffee = next(s.id for s in app.library.summaries() if s.title.startswith("Short"))
        app.library.delete(coffee)  # as another process would, under the library's list
        app.open_article(coffee)
        await settle(pilot)
        await pilot.pause()
        assert app.screen is kept
        assert kept.article is None
        text = screen_text(app)
        assert "no longer in the library" in text
        assert "rivers and mountains" not in text
        # The footer shows the keys of a screen with nothing to annotate, not the last
        # article's: no highlight or note keys.
        footer = kept.query_one(FitFooter)
        shown = {key.key for key in footer.query(FooterKey) if key.display}
        assert "h" not in shown and "a" not in shown
        assert "q" in shown
