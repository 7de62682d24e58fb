"""Snapshots of every reader screen, both themes, at 80×24 and 160×48.

Update baselines with ``uv run pytest tests/tui/test_snapshots.py --snapshot-update``
and review the SVGs in ``tests/tui/__snapshots__/``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot

from .pilot_helpers import settle
from .snapshot_app import make_app

SCREENS: dict[str, tuple[str, ...]] = {
    "library": (),
    "article": ("enter",),
    "article-find": ("enter", "slash", *"needle", "enter"),
    "contents": ("enter", "t"),
    "links": ("enter", "o"),
    "help": ("question_mark",),
    "import": ("i",),
    "filters": ("F",),
    "hostile": ("j", "enter"),
    "article-notes": ("enter", "right_curly_bracket"),
    "article-select": ("enter", "v", "s"),
    "compare-version": ("right_square_bracket",),
    "compare-story": ("tab",),
}


@pytest.fixture(autouse=True)
def no_read_mark(monkeypatch: pytest.MonkeyPatch) -> None:
    """A short article is marked read after a few seconds on screen; on a slow machine
    that would land in some shots and not others, so the shots never wait that long."""
    monkeypatch.setattr("tui.widgets.reader_pane.END_DWELL", 3600.0)


ANNOTATED = {"article-notes"}
"""Screens shot with a highlight and a note on the first article."""


def compare(pilot: Pilot, screen: str) -> None:
    """Open the comparison of the harbour report with its version, or with another outlet."""
    from .compare_fixture import add_comparison_articles

    app = pilot.app
    report, other = add_comparison_articles(app.library)  # type: ignore[attr-defined]
    if screen == "compare-version":
        app.compare(report, None, 1)  # type: ignore[attr-defined]
    else:
        app.compare(report, other)  # type: ignore[attr-defined]


def annotate(pilot: Pilot) -> None:
    """A green highlight and a two-line note on the long article (the first row)."""
    library = pilot.app.library  # type: ignore[attr-defined]
    article = library.get(library.summaries()[0].id)
    text = article.body_text
    start = text.index("rivers and mountains")
    library.add_note(article.id, start, start + 20, color="green")
    start = text.index("Paragraph 1.1")
    library.add_note(
        article.id, start, start + 13, body="Compare with the survey. Which rivers, exactly?"
    )


@pytest.mark.parametrize("size", [(80, 24), (160, 48)], ids=["80x24", "160x48"])
@pytest.mark.parametrize("theme", ["dark", "light"])
@pytest.mark.parametrize("screen", list(SCREENS))
def test_screen(snap_compare, tmp_path: Path, screen: str, theme: str, size: tuple[int, int]):
    """Each screen looks as reviewed."""

    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        if screen in ANNOTATED:
            annotate(pilot)
        if screen.startswith("compare"):
            compare(pilot, screen)
            await settle(pilot)
        for key in SCREENS[screen]:
            await pilot.press(key)
            await settle(pilot)

    assert snap_compare(make_app(tmp_path, theme), terminal_size=size, run_before=run_before)


NOTES_SCREENS: dict[str, tuple[str, ...]] = {
    "notes": ("N",),
    "notes-filtered": ("N", "n", "slash", *"rivr"),
}


@pytest.mark.parametrize("size", [(80, 24), (160, 48)], ids=["80x24", "160x48"])
@pytest.mark.parametrize("theme", ["dark", "light"])
@pytest.mark.parametrize("screen", list(NOTES_SCREENS))
def test_notes_screen(snap_compare, tmp_path: Path, screen: str, theme: str, size: tuple[int, int]):
    """The notes & bookmarks screen, with notes of every kind (and hostile text)."""
    from store.library import Library

    from .test_notes_screen import seed_notes

    app = make_app(tmp_path, theme)
    with Library(tmp_path / "snapshot.db") as library:
        seed_notes(library)

    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        for key in NOTES_SCREENS[screen]:
            await pilot.press(key)
            await settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


def seed_feeds(library) -> None:  # noqa: ANN001 - a store.library.Library
    """Subscriptions in every state, one in a folder, one with a hostile title."""
    ok = library.add_subscription("https://harbour.example.org/feed.xml", "The Slow Harbour")
    library.update_subscription(
        ok.id, status="ok", checked_at="2026-12-01T08:30:00+00:00", changed_at="2026-12-01"
    )
    library.add_subscription("https://lab.example.net/rss", "Lab notes", folder="News/Science")
    dead = library.add_subscription("https://gone.example.com/atom", "[bold]Gone[/bold] \x1b[31m")
    library.update_subscription(
        dead.id, status="error", error="HTTP 404 Not Found", checked_at="2026-12-02T07:00:00+00:00"
    )


@pytest.mark.parametrize("size", [(80, 24), (160, 48)], ids=["80x24", "160x48"])
@pytest.mark.parametrize("theme", ["dark", "light"])
def test_feeds_screen(snap_compare, tmp_path: Path, theme: str, size: tuple[int, int]):
    """The feeds screen: states, a folder, an error, and a title that is not markup."""
    from store.library import Library

    app = make_app(tmp_path, theme)
    with Library(tmp_path / "snapshot.db") as library:
        seed_feeds(library)

    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.press("S")
        await settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)
