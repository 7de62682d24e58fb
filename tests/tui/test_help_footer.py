"""The keys screen, the command palette's entries and the footer at 80 columns (issue 16)."""

from __future__ import annotations

from textual.containers import VerticalScroll
from textual.widgets._footer import FooterKey

from tui.app import MarginApp
from tui.screens.help import HelpScreen
from tui.widgets.footer import FitFooter

from .test_reader import open_title, screen_text, settle


async def test_j_and_k_scroll_the_keys(app: MarginApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        dialog = app.screen.query_one("#help-dialog", VerticalScroll)
        assert dialog.max_scroll_y > 0
        await pilot.press("j", "j", "j")
        await pilot.pause()
        assert dialog.scroll_y == 3
        await pilot.press("k")
        await pilot.pause()
        assert dialog.scroll_y == 2
        assert isinstance(app.screen, HelpScreen)


async def test_space_b_g_and_capital_g_page_through_the_keys(app: MarginApp) -> None:
    """The help scrolls with the pager keys the rest of Margin uses, not only j/k."""
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        dialog = app.screen.query_one("#help-dialog", VerticalScroll)
        await pilot.press("G")
        await pilot.pause()
        assert dialog.scroll_y == dialog.max_scroll_y > 0
        await pilot.press("g")
        await pilot.pause()
        assert dialog.scroll_y == 0
        await pilot.press("space")
        await pilot.pause()
        assert dialog.scroll_y > 3
        await pilot.press("b")
        await pilot.pause()
        assert dialog.scroll_y == 0
        assert isinstance(app.screen, HelpScreen)


async def test_each_key_shows_its_binding_id_and_the_hint_keeps_its_brackets(
    app: MarginApp,
) -> None:
    async with app.run_test(size=(120, 80)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        text = screen_text(app)
        assert "app.toggle_theme" in text
        line = next(line for line in text.splitlines() if "Theme" in line)
        assert "ctrl+t" in line or "^t" in line
        assert "app.toggle_theme" in line
        app.screen.query_one("#help-dialog", VerticalScroll).scroll_end(animate=False)
        await pilot.pause()
        assert "config.toml under [keys] by binding id" in screen_text(app)


async def test_the_palette_has_one_theme_entry(app: MarginApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert titles.count("Theme") == 1
        assert "Quit" in titles


async def test_the_article_footer_at_80_columns_cuts_no_key(app: MarginApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_title(pilot, "A long read")
        await pilot.pause(0.3)
        footer = app.screen.query_one(FitFooter)
        keys = list(footer.query(FooterKey))
        (palette,) = [key for key in keys if key.has_class("-command-palette")]
        shown = [key for key in keys if key.display and key is not palette]
        assert len(shown) >= 4
        assert len(shown) < len(keys) - 1  # some keys really did not fit
        for key in shown:
            assert key.region.right <= palette.region.x, key.description
        # Wider, the keys left out come back.
        await pilot.resize_terminal(200, 24)
        await pilot.pause(0.3)
        assert len([key for key in footer.query(FooterKey) if key.display]) > len(shown) + 1


async def test_the_footer_keeps_its_keys_until_the_bindings_change(app: MarginApp) -> None:
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await open_title(pilot, "A long read")
        await pilot.pause(0.3)
        footer = app.screen.query_one(FitFooter)
        before = list(footer.query(FooterKey))
        app.screen.refresh_bindings()
        await pilot.pause(0.3)
        assert list(footer.query(FooterKey)) == before  # the same widgets, not rebuilt
        # Visual mode changes which keys apply: then the keys are built again.
        await pilot.press("v")
        await pilot.pause(0.3)
        after = list(footer.query(FooterKey))
        assert after and after[0] is not before[0]
        assert [k.description for k in after] != [k.description for k in before]


async def test_at_80_columns_the_footer_shows_help_and_the_keys_for_notes(app: MarginApp) -> None:
    """A new user at 80 columns sees how to highlight, annotate and reach every key."""
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        footer_line = screen_text(app).splitlines()[-1]
        assert "? Keys" in footer_line  # the library's keys fill the width before it
        await open_title(pilot, "A long read")
        await pilot.pause(0.3)
        footer_line = screen_text(app).splitlines()[-1]
        for key in ("v Select", "h Highlight", "a Note", "/ Find", "? Keys"):
            assert key in footer_line, footer_line
        await pilot.resize_terminal(60, 15)
        await pilot.pause(0.3)
        assert "? Keys" in screen_text(app).splitlines()[-1]
