"""Tables in the reader: wrapped in fair columns, aligned, too-wide ones whole with ``W``."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.style import Style

from store.document import Block, parse_markdown
from store.library import Library
from store.models import ArticleDraft
from tui.app import MarginApp
from tui.config import Config
from tui.screens.table import TableScreen, table_text
from tui.widgets.article_view import CELL_GAP, ArticleView, fair_widths, layout_table
from tui.widgets.text import cells

from .test_reader import open_title, screen_text, settle

HEADERS = [
    "Country",
    "Capital city",
    "Population",
    "Area km²",
    "GDP",
    "Currency",
    "Language",
    "Continent",
    "Calling code",
    "Time zone",
    "Drives on",
]
ROWS = [
    ["France", "Paris", "68,000,000", "643,801", "2.9T", "Euro", "French", "Europe", "+33"],
    ["Japan", "Tokyo", "125,000,000", "377,975", "4.2T", "Yen", "Japanese", "Asia", "+81"],
    ["Brazil", "Brasília", "214,000,000", "8,515,767", "1.9T", "Real", "Portuguese", "South"],
]
WIDE = (
    "Intro paragraph before the table.\n\n| "
    + " | ".join(HEADERS)
    + " |\n|"
    + "|".join([":--"] + ["--:"] * 4 + [":-:"] * 6)
    + "|\n"
    + "".join("| " + " | ".join(row + [""] * (11 - len(row))) + " |\n" for row in ROWS)
    + "\nAfter the table.\n\n"
    + "\n\n".join(f"Filler paragraph {n} so the table can scroll away." for n in range(40))
)


def table_block(markdown: str = WIDE) -> Block:
    return next(b for b in parse_markdown(markdown).blocks if b.kind == "table")


def test_fair_widths_give_narrow_columns_what_they_need_and_share_the_rest() -> None:
    assert fair_widths([3, 40, 40], 50) == [3, 24, 23]
    assert fair_widths([3, 4], 50) == [3, 4]
    assert fair_widths([10, 30], 20, floors=[10, 6]) == [10, 10]
    assert sum(fair_widths([30, 30, 30], 61)) == 61


@pytest.mark.parametrize("width", [40, 60, 76, 120])
def test_a_laid_out_table_fits_its_width_and_cuts_no_word(width: int) -> None:
    block = table_block()
    table = layout_table(block, width)
    assert sum(table.widths) + CELL_GAP * (len(table.widths) - 1) <= width
    shown = len(table.widths)
    assert table.hidden == len(HEADERS) - shown
    pieces = {
        block.text[start:end].strip()
        for line in table.lines
        for start, end in line.parts
        if end > start
    }
    for header in HEADERS[:shown]:
        for word in header.split():
            assert any(word in piece.split() for piece in pieces), (width, word)


async def _open(tmp_path: Path, size: tuple[int, int]) -> tuple[MarginApp, Path]:
    path = tmp_path / "tables.db"
    with Library(path) as library:
        library.store([ArticleDraft(title="Countries", body_markdown=WIDE)])
    return MarginApp(str(path), config=Config()), path


async def test_the_reader_aligns_cells_and_says_what_does_not_fit(tmp_path: Path) -> None:
    app, _ = await _open(tmp_path, (80, 24))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_title(pilot, "Countries")
        text = screen_text(app)
        assert "more columns do not fit · W shows the whole table" in text
        view = app.screen.query_one(ArticleView)
        block = table_block()
        width = view._layout.width  # type: ignore[union-attr]
        table = layout_table(block, width)
        france = next(
            n
            for n, line in enumerate(table.lines)
            if line.parts and "France" in block.text[slice(*line.parts[0])]
        )
        line = "".join(s.text for s in view._table_line(block, france, width, Style()))
        cells_ = line.split(" │ ")
        # Column 0 is left-aligned, column 2 (Population) right-aligned, 5 centred.
        assert cells_[0].startswith("France")
        assert cells_[2].endswith("68,000,000") and cells(cells_[2]) == table.widths[2]
        assert cells_[5].strip() == "Euro" and not cells_[5].startswith("Euro")


async def test_w_opens_the_whole_table_and_it_scrolls_sideways(tmp_path: Path) -> None:
    app, _ = await _open(tmp_path, (60, 15))
    async with app.run_test(size=(60, 15)) as pilot:
        await settle(pilot)
        await open_title(pilot, "Countries")
        await pilot.press("W")
        await settle(pilot)
        assert isinstance(app.screen, TableScreen)
        whole = table_text(table_block()).plain
        for header in HEADERS:
            assert header in whole
        area = app.screen.query_one("#table-scroll")
        assert area.max_scroll_x > 20
        await pilot.press("l", "l", "l")
        await pilot.pause()
        assert area.scroll_x == 24
        await pilot.press("h")
        await pilot.pause()
        assert area.scroll_x == 16
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, TableScreen)
        # Far from any table, W says so and opens nothing.
        await pilot.press("G")
        await pilot.pause()
        await pilot.press("W")
        await settle(pilot)
        assert not isinstance(app.screen, TableScreen)
        assert "No table on screen." in [n.message for n in app._notifications]
