"""At a wide terminal a table takes the free margins beside the text column, so all its
columns show (issue 16), centred on the column; narrow terminals are as before."""

from __future__ import annotations

from pathlib import Path

from tui.app import MarginApp
from tui.config import Config

from .pilot_helpers import settle
from .test_reader import open_title, screen_text
from .test_tables import HEADERS, _open


async def test_all_columns_show_at_160(tmp_path: Path) -> None:
    app, _ = await _open(tmp_path, (160, 48))
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await open_title(pilot, "Countries")
        text = screen_text(app)
        head = next(line for line in text.splitlines() if "Country │" in line)
        assert [cell.strip() for cell in head.split("│")] == HEADERS
        assert "do not fit" not in text
        intro = next(line for line in text.splitlines() if "Intro paragraph" in line)
        # Wider than the text column: it starts left of it, and stays on the screen.
        assert head.index("Country") < intro.index("Intro")
        assert len(head.rstrip()) < 160


def test_a_wide_table_at_160_snapshot(snap_compare, tmp_path: Path) -> None:  # noqa: ANN001
    from .test_tables import WIDE  # noqa: F401 - the same table as the narrow tests

    async def run_before(pilot) -> None:  # noqa: ANN001
        await settle(pilot)
        await open_title(pilot, "Countries")

    path = tmp_path / "tables.db"
    from store.library import Library
    from store.models import ArticleDraft

    with Library(path) as library:
        library.store([ArticleDraft(title="Countries", body_markdown=WIDE)])
    app = MarginApp(str(path), config=Config())
    assert snap_compare(app, terminal_size=(160, 48), run_before=run_before)
