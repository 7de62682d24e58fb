"""Pilot tests of the library's actions (issue 16): read/unread, archive, delete with a
confirmation, refreshing when another process writes, the cursor coming back, undated items."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot

import tui.screens.library as library_screen
from store.library import Library
from store.models import ArticleDraft
from tui.app import MarginApp
from tui.config import Config
from tui.screens.article import ArticleScreen
from tui.screens.confirm import ConfirmScreen
from tui.screens.help import HelpScreen
from tui.screens.library import LibraryScreen
from tui.widgets.library_table import LibraryTable

from .fixture_library import build_library
from .pilot_helpers import settle

SIZE = (100, 30)


def screen_text(app: MarginApp) -> str:
    """What the terminal shows, as plain text."""
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(segment.text for segment in strip) for strip in strips)


def table(app: MarginApp) -> LibraryTable:
    screen = app.screen_stack[1]
    assert isinstance(screen, LibraryScreen)
    return screen.query_one(LibraryTable)


def cursor_title(app: MarginApp) -> str:
    rows = table(app)
    summary = rows.row(rows.cursor)
    assert summary is not None
    return summary.title


@pytest.fixture
def quiet_poll(monkeypatch: pytest.MonkeyPatch) -> None:
    """The library does not poll on its own (the refresh key is tested alone)."""
    monkeypatch.setattr(library_screen, "POLL_SECONDS", 3600.0)


def draft(title: str, published: str | None = "2030-01-01") -> ArticleDraft:
    return ArticleDraft(
        title=title, body_markdown=f"{title}: a few words.", source="Elsewhere", published=published
    )


# -- undated items -----------------------------------------------------------------------------
async def test_undated_items_show_the_import_date_marked_as_such(library_path: Path) -> None:
    with Library(library_path) as library:
        [undated] = library.store([draft("No date at all", published=None)])
    app = MarginApp(str(library_path), config=Config())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        rows = table(app)
        # Sorted by "published, else imported": imported today, it comes first...
        first = rows.row(0)
        assert first is not None and first.id == undated.id
        text = screen_text(app)
        line = next(line for line in text.splitlines() if "No date at all" in line)
        # ...but its date says it is the import date, not a publication date.
        assert "~" + first.imported_at[:10] in line
        assert "2024-05-03" in text and "~2024-05-03" not in text
        # And it is drawn apart (dim, italic) from the publication dates.
        date_segments = [s for s in rows.render_line(1) if s.text.startswith("~")]
        assert date_segments and date_segments[0].style.italic
        dated = [s for s in rows.render_line(2) if s.text.startswith("2024-05-03")]
        assert dated and not dated[0].style.italic


# -- counts ------------------------------------------------------------------------------------
async def test_header_counts_articles_and_excerpts_apart(app: MarginApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        status = screen_text(app).splitlines()[0]
        assert "4 articles · 1 excerpt" in status


# -- read / unread -----------------------------------------------------------------------------
async def test_r_marks_read_then_unread(app: MarginApp, library_path: Path) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("j", "j")
        title = cursor_title(app)
        await pilot.press("r")
        await settle(pilot)
        summary = table(app).row(2)
        assert summary is not None and summary.title == title and summary.progress >= 0.999
        assert app.library.position(summary.id).finished
        line = next(line for line in screen_text(app).splitlines() if title in line)
        assert line.rstrip().endswith("✓")
        await pilot.press("u")  # unread only: it has gone
        await settle(pilot)
        assert all(table(app).row(i).title != title for i in range(table(app).row_count))
        await pilot.press("u")
        await settle(pilot)
        assert cursor_title(app) == title or table(app).row(2).title == title
        table(app).cursor = 2
        await pilot.press("r")
        await settle(pilot)
        summary = table(app).row(2)
        assert summary is not None and summary.progress == 0
        assert not app.library.position(summary.id).finished


# -- archive -----------------------------------------------------------------------------------
async def test_a_archives_and_capital_a_shows_the_archive(app: MarginApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("j")
        title = cursor_title(app)
        await pilot.press("a")
        await settle(pilot)
        rows = table(app)
        assert rows.row_count == 4
        assert all(rows.row(i).title != title for i in range(rows.row_count))
        assert rows.cursor == 1  # the next article slid up under the cursor
        assert "3 articles · 1 excerpt" in screen_text(app)
        await pilot.press("A")
        await settle(pilot)
        assert "archived" in screen_text(app).splitlines()[0]
        assert table(app).row_count == 1 and cursor_title(app) == title
        await pilot.press("a")  # in the archive: back into the library
        await settle(pilot)
        assert table(app).row_count == 0
        assert "No archived articles" in screen_text(app)
        await pilot.press("A")
        await settle(pilot)
        assert table(app).row_count == 5


# -- delete ------------------------------------------------------------------------------------
async def test_d_asks_then_deletes_keeping_the_notes(app: MarginApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        summary = table(app).row(0)
        assert summary is not None
        app.library.add_note(summary.id, 0, 5, body="keep me")
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        text = screen_text(app)
        assert "Delete this article?" in text and summary.title in text
        assert "note or bookmark is kept, detached" in text
        await pilot.press("enter")  # Cancel has the focus: enter alone deletes nothing
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)
        assert app.library.get(summary.id) is not None
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert app.library.get(summary.id) is not None
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert app.library.get(summary.id) is None
        assert table(app).row_count == 4
        [note] = [n for n in app.library.notes() if n.body == "keep me"]
        assert note.article_id is None  # detached, not deleted
        assert app.library.annotation_health()["detached"] == 1


async def test_delete_dialog_fits_60x15(app: MarginApp) -> None:
    async with app.run_test(size=(60, 15)) as pilot:
        await settle(pilot)
        await pilot.press("j", "d")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ConfirmScreen)
        for selector in ("#confirm-yes", "#confirm-no", ".dialog-hint"):
            region = screen.query_one(selector).region
            assert region.height >= 1 and region.bottom <= 15 and region.right <= 60, selector
        # The buttons work by mouse too.
        await pilot.click("#confirm-yes")
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)
        assert table(app).row_count == 4


# -- refresh -----------------------------------------------------------------------------------
async def test_another_process_importing_shows_up_with_the_cursor_kept(
    library_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(library_screen, "POLL_SECONDS", 0.1)
    app = MarginApp(str(library_path), config=Config())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("j", "j")
        title = cursor_title(app)
        with Library(library_path) as other:  # another connection: another process
            other.store([draft("Newer than all"), draft("Newest of all", "2031-01-01")])
        for _ in range(20):
            await pilot.pause(0.1)
            await settle(pilot)
            if table(app).row_count == 7:
                break
        assert table(app).row_count == 7
        assert "Newest of all" in screen_text(app)
        assert table(app).cursor == 4 and cursor_title(app) == title


async def test_ctrl_r_refreshes(library_path: Path, quiet_poll: None) -> None:
    app = MarginApp(str(library_path), config=Config())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("G")
        title = cursor_title(app)
        with Library(library_path) as other:
            other.store([draft("Newer than all")])
        await pilot.pause(0.2)
        assert table(app).row_count == 5  # no poll in this test
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert table(app).row_count == 6
        assert table(app).cursor == 5 and cursor_title(app) == title


# -- the cursor coming back --------------------------------------------------------------------
async def test_back_from_reading_puts_the_cursor_on_the_article_just_read(app: MarginApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("j", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ArticleScreen)
        await pilot.press("alt+n", "alt+n")
        await settle(pilot)
        read_last = app.screen.article_id
        await pilot.press("q")
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)
        rows = table(app)
        assert rows.cursor == 3 and rows.row(3).id == read_last


async def test_back_in_last_read_order_follows_the_article(app: MarginApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for _ in range(3):
            await pilot.press("o")  # date → title → source → last read
            await settle(pilot)
        assert "by last read" in screen_text(app)
        await pilot.press("G")
        title = cursor_title(app)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("space")  # read a little: the position is saved
        await settle(pilot)
        await pilot.press("q")
        await settle(pilot)
        # Read last, it is first now; the cursor went with it.
        assert table(app).cursor == 0 and cursor_title(app) == title


async def test_cursor_is_where_it_was_after_a_restart(library_path: Path, quiet_poll: None) -> None:
    app = MarginApp(str(library_path), config=Config())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("j", "j", "j")
        title = cursor_title(app)
        await pilot.press("q")
    with Library(library_path) as library:
        library.store([draft("Newer than all")])  # the article moved down a row meanwhile
    again = MarginApp(str(library_path), config=Config())
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert table(again).cursor == 4 and cursor_title(again) == title


# -- keys in help and palette ------------------------------------------------------------------
async def test_actions_are_in_help_and_palette(app: MarginApp) -> None:
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        titles = {command.title for command in app.get_system_commands(app.screen)}
        names = ("Read/unread", "Archive", "Show archive", "Delete…", "Refresh")
        assert set(names) <= titles
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        for name in names:
            assert name in text, name


# -- snapshots ---------------------------------------------------------------------------------
SNAPSHOTS: dict[str, tuple[tuple[int, int], tuple[str, ...]]] = {
    "undated-80x24": ((80, 24), ()),
    "undated-160x48": ((160, 48), ()),
    "archive-80x24": ((80, 24), ("j", "a", "A")),
    "delete-80x24": ((80, 24), ("j", "j", "d")),
    "delete-60x15": ((60, 15), ("j", "j", "d")),
}


@pytest.mark.parametrize("shot", list(SNAPSHOTS))
def test_snapshot(snap_compare, tmp_path: Path, shot: str, quiet_poll: None) -> None:
    """The library with an undated item, the archive view, the delete dialog."""
    path = tmp_path / "snapshot.db"
    build_library(path)
    with Library(path) as library:
        [undated] = library.store([draft("Saved without a date", published=None)])
        # A fixed import date, so the picture does not change from day to day.
        library.conn.execute(
            "UPDATE articles SET imported_at = '2026-12-03T10:00:00+00:00' WHERE id = ?",
            (undated.id,),
        )
        ids = [s.id for s in library.summaries()]
        library.add_note(ids[2], 0, 4, body="a note")
    size, keys = SNAPSHOTS[shot]

    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)

    app = MarginApp(str(path), config=Config(theme="textual-dark"))
    assert snap_compare(app, terminal_size=size, run_before=run_before)


async def test_an_article_read_to_the_end_then_scrolled_back_stays_read(
    app: MarginApp,
) -> None:
    """Finished, reopened and left at 40 %: the list shows ✓ (as the unread filter hides it),
    and ``r`` then marks it unread, not read again."""
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        summary = table(app).row(0)
        assert summary is not None
        app.library.save_position(summary.id, 0, 0, 1.0, finished=True)
        app.library.save_position(summary.id, 0, 0, 0.4)
        await pilot.press("ctrl+r")
        await settle(pilot)
        row = table(app).row(0)
        assert row is not None and row.id == summary.id and row.finished
        line = next(line for line in screen_text(app).splitlines() if summary.title[:15] in line)
        assert line.rstrip().endswith("✓"), line
        await pilot.press("r")
        await settle(pilot)
        assert not app.library.position(summary.id).finished
        line = next(line for line in screen_text(app).splitlines() if summary.title[:15] in line)
        assert not line.rstrip().endswith("✓"), line
