"""Pilot tests: every key of the library and article screens on a real small library."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.pilot import Pilot

from store.library import Library
from tui.app import THEME_SETTING, MarginApp
from tui.config import Config
from tui.messages import OpenRequest
from tui.screens.article import ArticleScreen
from tui.screens.help import HelpScreen
from tui.screens.library import LibraryScreen
from tui.widgets.article_view import ArticleView, Decoration
from tui.widgets.library_table import LibraryTable

from .fixture_library import HOSTILE_TITLE
from .pilot_helpers import settle

SIZE = (100, 30)


def screen_text(app: MarginApp) -> str:
    """What the terminal shows, as plain text."""
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(segment.text for segment in strip) for strip in strips)


def table(app: MarginApp) -> LibraryTable:
    return app.screen.query_one(LibraryTable)


def view(app: MarginApp) -> ArticleView:
    return app.screen.query_one(ArticleView)


async def open_title(pilot: Pilot, title_start: str) -> ArticleScreen:
    """Move the cursor to the article whose title starts with ``title_start`` and open it."""
    app = pilot.app
    rows = table(app)
    for index in range(rows.row_count):
        summary = rows.row(index)
        assert summary is not None
        if summary.title.startswith(title_start):
            rows.cursor = index
            break
    else:
        raise AssertionError(f"no row {title_start!r}")
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(app.screen, ArticleScreen)
    return app.screen


# -- library screen ----------------------------------------------------------------------------
async def test_library_lists_every_article(app: MarginApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)
        assert table(app).row_count == 5
        text = screen_text(app)
        assert "4 articles · 1 excerpt" in text  # counted apart, as stats does
        assert "A long read about rivers" in text
        assert "Long Reads" in text
        assert "2024-05-03" in text
        assert "min" in text or "m " in text
        assert "❝" in text  # the excerpt marker


async def test_cursor_keys(app: MarginApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        rows = table(app)
        await pilot.press("j", "j")
        assert rows.cursor == 2
        await pilot.press("k")
        assert rows.cursor == 1
        await pilot.press("G")
        assert rows.cursor == 4
        await pilot.press("g")
        assert rows.cursor == 0
        await pilot.press("space")
        assert rows.cursor == 4
        await pilot.press("b")
        assert rows.cursor == 0


async def test_sort_cycles_and_is_remembered(app: MarginApp, library_path: Path) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert table(app).row(0).title == "A long read about rivers"
        await pilot.press("o")
        await settle(pilot)
        assert "by title" in screen_text(app)
        assert table(app).row(0).title.startswith("A long read")
        assert table(app).row(4).title.startswith("Zebra")
        await pilot.press("o")
        await settle(pilot)
        assert "by source" in screen_text(app)
        assert table(app).row(0).source == "City Desk"
        await pilot.press("o", "o")
        await settle(pilot)
        assert "by date" in screen_text(app)
    with Library(library_path) as library:
        assert library.setting("ui.library.sort") == "date"


async def test_quick_filter_narrows_as_you_type(app: MarginApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f")
        await pilot.press(*"coff")
        await pilot.pause(0.2)
        await settle(pilot)
        assert table(app).row_count == 1
        assert table(app).row(0).title == "Short note on coffee"
        await pilot.press("enter")
        assert table(app).has_focus
        await pilot.press("escape")
        await settle(pilot)
        assert table(app).row_count == 5


async def test_empty_library_and_empty_filter_say_what_to_do(tmp_path: Path) -> None:
    empty = MarginApp(str(tmp_path / "empty.db"), config=Config())
    async with empty.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "Your library is empty. Press i to import" in screen_text(empty)


async def test_filter_matching_nothing_says_how_to_clear_it(app: MarginApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f", *"zzzq")
        await pilot.pause(0.2)
        await settle(pilot)
        assert table(app).row_count == 0
        assert "Nothing matches these filters. Press escape" in screen_text(app)


async def test_unread_toggle(app: MarginApp, library_path: Path) -> None:
    with Library(library_path) as library:
        first = library.summaries(limit=1)[0]
        library.save_position(first.id, 0, 0, 1.0, finished=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        assert table(app).row_count == 4
        assert "unread" in screen_text(app)
        await pilot.press("u")
        await settle(pilot)
        assert table(app).row_count == 5


async def test_filter_dialog_by_source(app: MarginApp) -> None:
    from textual.widgets import Select

    from tui.screens.filters import FilterScreen

    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("F")
        await settle(pilot)  # the choices are read in a worker
        assert isinstance(app.screen, FilterScreen)
        app.screen.query_one("#filter-source", Select).value = "Daily Bean"
        await pilot.click("#apply")
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)
        assert table(app).row_count == 2
        assert "source: Daily Bean" in screen_text(app)
        await pilot.press("F")
        await settle(pilot)
        app.screen.query_one("#filter-kind", Select).value = "excerpt"
        await pilot.click("#apply")
        await settle(pilot)
        assert table(app).row_count == 1
        await pilot.press("escape")
        await settle(pilot)
        assert table(app).row_count == 5


async def test_import_dialog(app: MarginApp, tmp_path: Path) -> None:
    from tui.screens.import_dialog import ImportScreen

    source = tmp_path / "new.md"
    source.write_text("# Freshly imported\n\nA new article about kites.\n", encoding="utf-8")
    missing = tmp_path / "nope.md"
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, ImportScreen)
        await pilot.press(*f"{source} {missing}")
        await pilot.press("enter")
        await settle(pilot)
        report = app.screen.report
        assert report is not None
        assert report.failed and str(missing) in report.failed[0][0]
        text = screen_text(app)
        assert "✗" in text and "nope.md" in text
        # Every item's outcome is in a report file, and the dialog says where.
        written = app.screen.report_path
        assert written is not None and "Every item's outcome: " in text
        lines = [json.loads(line) for line in written.read_text(encoding="utf-8").splitlines()]
        assert sorted(item["outcome"] for item in lines) == ["added", "failed"]
        assert {item["source"] for item in lines} == {str(source), str(missing)}
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)
        assert table(app).row_count == 6


# -- article screen ----------------------------------------------------------------------------
async def test_open_article_shows_header_and_body(app: MarginApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_title(pilot, "A long read")
        text = screen_text(app)
        assert "A long read about rivers" in text
        assert "Ada Writer · Long Reads · Nature · 2024-05-03" in text
        assert "min read" in text
        assert "Opening paragraph" in text
        await pilot.press("q")
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)


async def test_scroll_keys(app: MarginApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_title(pilot, "A long read")
        reader = view(app)
        await pilot.press("j", "j", "j")
        assert reader.scroll_y == 3
        await pilot.press("k")
        assert reader.scroll_y == 2
        await pilot.press("space")
        page = reader.scrollable_content_region.height - 1
        assert reader.scroll_y == 2 + page
        await pilot.press("ctrl+b")
        assert reader.scroll_y == 2
        await pilot.press("d")
        assert reader.scroll_y == 2 + page // 2
        await pilot.press("u")
        assert reader.scroll_y == 2
        await pilot.press("G")
        assert reader.at_end
        assert "Closing paragraph" in screen_text(app)
        await pilot.press("g")
        assert reader.scroll_y == 0


async def test_heading_keys_and_contents(app: MarginApp) -> None:
    from tui.screens.pickers import PickerScreen

    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_title(pilot, "A long read")
        reader = view(app)
        headings = reader.document.headings
        await pilot.press("right_square_bracket")
        assert reader.top_block[0] == headings[0].index
        await pilot.press("right_square_bracket")
        assert reader.top_block[0] == headings[1].index
        await pilot.press("left_square_bracket")
        assert reader.top_block[0] == headings[0].index
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)
        assert "Section 4" in screen_text(app)
        await pilot.press("down", "down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ArticleScreen)
        assert reader.top_block[0] == headings[2].index


async def test_find_and_cycle_hits(app: MarginApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_title(pilot, "A long read")
        reader = view(app)
        await pilot.press("slash")
        await pilot.press(*"needle")
        await pilot.press("enter")
        await pilot.pause()
        assert len(reader.hits) == 2
        assert reader.current_hit == 0
        first = reader.hits[0]
        assert first.block in reader.visible_blocks()
        assert "needle" in screen_text(app)
        await pilot.press("n")
        assert reader.current_hit == 1
        assert reader.hits[1].block in reader.visible_blocks()
        await pilot.press("n")
        assert reader.current_hit == 0
        await pilot.press("N")
        assert reader.current_hit == 1
        assert "hit 2/2" in screen_text(app)


async def test_links_open_and_copy(app: MarginApp, opened: list[str]) -> None:
    from tui.screens.pickers import PickerScreen

    copied: list[str] = []
    app.copy_to_clipboard = copied.append  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_title(pilot, "A long read")
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)
        assert "https://example.com/two" in screen_text(app)
        assert "Links · enter opens · y copies" in screen_text(app)
        await pilot.press("down", "enter")
        await pilot.pause()
        assert opened == ["https://example.com/two"]
        await pilot.press("o")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert copied == ["https://example.com/one"]
        # y on the article copies the selection only: nothing is selected.
        await pilot.press("y")
        assert copied == ["https://example.com/one"]
        assert any("Nothing selected" in str(n.message) for n in app._notifications)
        await pilot.press("o")  # the article's own link comes first
        await pilot.pause()
        await pilot.press("home", "enter")
        await pilot.pause()
        assert opened[-1] == "https://example.com/long"


async def test_click_on_link_opens_it(app: MarginApp, opened: list[str]) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_title(pilot, "A long read")
        reader = view(app)
        text = screen_text(app).splitlines()
        row = next(n for n, line in enumerate(text) if "first link" in line)
        column = text[row].index("first link") + 2
        await pilot.click(ArticleView, offset=(column - reader.region.x, row - reader.region.y))
        assert opened == ["https://example.com/one"]


async def test_mouse_selection_is_highlighted_and_copied(app: MarginApp) -> None:
    from textual.geometry import Offset
    from textual.selection import Selection

    copied: list[str] = []
    app.copy_to_clipboard = copied.append  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_title(pilot, "A long read")
        article = view(app)
        lines = [
            "".join(seg.text for seg in article.render_line(y)) for y in range(article.size.height)
        ]
        row = next(y for y, line in enumerate(lines) if "Opening paragraph" in line)
        column = lines[row].index("Opening")
        # What a drag from "Opening" to the end of "paragraph" selects.
        app.screen.selections = {
            article: Selection(Offset(column, row), Offset(column + len("Opening paragraph"), row))
        }
        await pilot.pause()
        selected_style = app.screen.get_component_rich_style("screen--selection")
        strip = article.render_line(row)
        assert any(seg.style and seg.style.bgcolor == selected_style.bgcolor for seg in strip)
        await pilot.press("y")
        assert copied == ["Opening paragraph"]
        # A selection over several lines comes back without the left margin.
        below = next(y for y in range(row + 1, len(lines)) if lines[y].strip())
        app.screen.selections = {article: Selection(Offset(column, row), Offset(column + 9, below))}
        await pilot.pause()
        await pilot.press("y")
        parts = copied[-1].split("\n")
        assert parts[0].startswith("Opening paragraph")
        assert parts[-1] == lines[below].strip()[:9]


async def test_shift_y_copies_the_article_link(app: MarginApp) -> None:
    copied: list[str] = []
    app.copy_to_clipboard = copied.append  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_title(pilot, "Zebra")
        await pilot.press("Y")
        assert copied == ["https://example.com/zebra"]


async def test_no_browser_copies_the_link_and_says_so(
    app: MarginApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tui.browser as browser

    monkeypatch.setattr(browser, "find_browser", lambda url: browser.Browser("none"))
    copied: list[str] = []
    app.copy_to_clipboard = copied.append  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_title(pilot, "Zebra")
        await pilot.press("o", "enter")
        await pilot.pause()
        assert copied == ["https://example.com/zebra"]
        assert any("No browser found" in str(n.message) for n in app._notifications)


async def test_terminal_browser_runs_with_the_app_suspended(
    app: MarginApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    import contextlib
    import subprocess

    import tui.browser as browser

    monkeypatch.setattr(
        browser, "find_browser", lambda url: browser.Browser("terminal", ("lynx", url))
    )
    events: list[object] = []

    @contextlib.contextmanager
    def suspend():  # noqa: ANN202
        events.append("suspended")
        yield
        events.append("resumed")

    monkeypatch.setattr(subprocess, "run", lambda command, check: events.append(command))
    async with app.run_test(size=SIZE) as pilot:
        monkeypatch.setattr(app, "suspend", suspend)
        await settle(pilot)
        await open_title(pilot, "Zebra")
        await pilot.press("o", "enter")
        await pilot.pause()
    assert events == ["suspended", ["lynx", "https://example.com/zebra"], "resumed"]


async def test_measure_keys(app: MarginApp, library_path: Path) -> None:
    async with app.run_test(size=(140, 30)) as pilot:
        await settle(pilot)
        await open_title(pilot, "A long read")
        reader = view(app)
        assert reader.measure == 80
        await pilot.press("greater_than_sign")
        assert reader.measure == 84
        await pilot.press("less_than_sign", "less_than_sign")
        assert reader.measure == 76
        lines = [line for line in screen_text(app).splitlines() if "Words flow" in line]
        assert lines and all(len(line.strip()) <= 76 for line in lines)
    with Library(library_path) as library:
        assert library.setting("ui.measure") == "76"


async def test_next_and_previous_article(app: MarginApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await open_title(pilot, "A long read")
        await pilot.press("alt+n")
        await settle(pilot)
        assert screen.article is not None
        assert screen.article.title == HOSTILE_TITLE
        await pilot.press("alt+n")
        await settle(pilot)
        assert screen.article.title == "Short note on coffee"
        await pilot.press("alt+p")
        await settle(pilot)
        assert screen.article.title == HOSTILE_TITLE


async def test_position_saved_and_restored(app: MarginApp, library_path: Path) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await open_title(pilot, "A long read")
        await pilot.press("right_square_bracket", "right_square_bracket", "j")
        block, offset = view(app).top_block
        article_id = screen.article_id
        await pilot.press("q")
        await settle(pilot)
        with Library(library_path) as library:
            position = library.position(article_id)
        assert position is not None
        assert (position.paragraph, position.offset) == (block, offset)
        assert not position.finished
        # Reopen at another width: the same paragraph is on top.
        await pilot.resize_terminal(70, 30)
        await open_title(pilot, "A long read")
        assert view(app).top_block[0] == block
        await pilot.press("G")
        await pilot.press("q")
        await settle(pilot)
        with Library(library_path) as library:
            position = library.position(article_id)
        assert position is not None and position.finished
        assert "✓" in screen_text(app)


async def test_position_saved_after_a_pause(app: MarginApp, library_path: Path) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await open_title(pilot, "A long read")
        await pilot.press("space")
        await pilot.pause(1.0)
        with Library(library_path) as library:
            position = library.position(screen.article_id)
        assert position is not None and position.progress > 0


async def test_resize_keeps_the_paragraph(app: MarginApp) -> None:
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await open_title(pilot, "A long read")
        reader = view(app)
        reader.measure = 100
        await pilot.press("right_square_bracket", "right_square_bracket", "right_square_bracket")
        block = reader.top_block[0]
        await pilot.resize_terminal(50, 30)
        await pilot.pause()
        assert reader.top_block[0] == block


# -- app-wide keys -----------------------------------------------------------------------------
async def test_help_lists_keys(app: MarginApp) -> None:
    async with app.run_test(size=(100, 60)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        for description in ("Sort", "Unread", "Import", "Filter", "Search", "Jump", "Theme"):
            assert description in text
        await pilot.press("escape")
        await open_title(pilot, "A long read")
        await pilot.press("question_mark")
        await pilot.pause()
        text = screen_text(app)
        for description in (
            "Next heading",
            "Contents",
            "Find",
            "Next hit",
            "Links",
            "Copy",
            "Narrower",
            "Next article",
            "Half page down",
            "Back",
        ):
            assert description in text


async def test_palette_lists_every_action(app: MarginApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_title(pilot, "A long read")
        titles = {command.title for command in app.get_system_commands(app.screen)}
        for description in (
            "Contents",
            "Find",
            "Links",
            "Next article",
            "Wider",
            "Theme",
            "Next heading",
            "Page down",
        ):
            assert description in titles
        commands = {c.title: c for c in app.get_system_commands(app.screen)}
        commands["Next heading"].callback()
        await pilot.pause()
        assert view(app).top_block[0] == view(app).document.headings[0].index


async def test_theme_toggle_is_remembered(app: MarginApp, library_path: Path) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.current_theme.dark
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert not app.current_theme.dark
    with Library(library_path) as library:
        assert library.setting(THEME_SETTING) == "textual-light"
    again = MarginApp(str(library_path), config=Config())
    async with again.run_test(size=SIZE) as pilot:
        assert again.theme == "textual-light"


async def test_search_and_jump_keys(app: MarginApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for keys in (("s",), ("slash",), ("ctrl+p",), ("colon",)):
            before = len(app.screen_stack)
            await pilot.press(*keys)
            await pilot.pause()
            pushed = len(app.screen_stack) > before
            if pushed:
                app.screen.dismiss(None)
                await pilot.pause()
            else:
                assert any("not built yet" in str(n.message) for n in app._notifications)
            assert isinstance(app.screen, LibraryScreen)


async def test_open_request_highlights_terms(app: MarginApp, library_path: Path) -> None:
    with Library(library_path) as library:
        article_id = library.summaries(sort="title", limit=1)[0].id
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_request(OpenRequest(article_id, ("needle",)))
        await settle(pilot)
        reader = view(app)
        assert len(reader.hits) == 2 and reader.current_hit == 0
        assert reader.hits[0].block in reader.visible_blocks()
        await pilot.press("n")
        assert reader.current_hit == 1


async def test_keymap_from_config(library_path: Path) -> None:
    app = MarginApp(
        str(library_path),
        config=Config(keys={"view.line_down": "ctrl+e", "library.down": "ctrl+j"}),
    )
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+j")
        assert table(app).cursor == 1
        await pilot.press("k")
        await open_title(pilot, "A long read")
        await pilot.press("ctrl+e")
        assert view(app).scroll_y == 1
        await pilot.press("j")
        assert view(app).scroll_y == 1


# -- untrusted text ----------------------------------------------------------------------------
async def test_untrusted_text_is_literal(app: MarginApp) -> None:
    async with app.run_test(size=(140, 30)) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "Evil ␛[31mred␛[0m [bold]not bold[/bold] [link=x]y[/link]" in text
        assert "Hostile [b]Sourc" in text
        assert "\x1b" not in text
        await open_title(pilot, "Evil")
        text = screen_text(app)
        assert "[bold]not bold[/bold]" in text
        assert "␛]0;pwned␇" in text
        assert "[red]markup[/red]" in text
        assert "\x1b" not in text and "\x07" not in text


# -- the view on its own -----------------------------------------------------------------------
async def test_view_api_decorations_and_scroll_to_block() -> None:
    from textual.app import App, ComposeResult

    from store.document import parse_markdown

    from .fixture_library import long_markdown

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield ArticleView()

    bare = Bare()
    async with bare.run_test(size=(80, 20)) as pilot:
        reader = bare.query_one(ArticleView)
        document = parse_markdown(long_markdown())
        reader.set_document(document)
        reader.scroll_to_block(10)
        await pilot.pause()
        assert reader.top_block == (10, 0)
        reader.set_decorations({10: Decoration("✎", "bold")})
        await pilot.pause()
        line = "".join(s.text for s in reader.render_line(0))
        assert "✎" in line
        assert reader.highlight(["rivers"]) > 0
        assert reader.highlight([]) == 0


@pytest.mark.parametrize("width", [20, 37, 80])
def test_wrap_ranges_fit(width: int) -> None:
    from tui.widgets.text import cells, wrap

    text = "Some words, a verylongwordthatneedssplittinghere and 漢字の文章 too.\nNew line"
    for start, end in wrap(text, width):
        assert cells(text[start:end]) <= width
