"""Every dialog works at 60×15 (issue 16): Pilot tests that press real keys, and snapshots."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.screen import ModalScreen
from textual.widget import Widget

from tui.app import MarginApp

from .pilot_helpers import settle
from .snapshot_app import make_app

SMALL = (60, 15)
DIALOGS: dict[str, tuple[str, ...]] = {
    "filters": ("F",),
    "tags": ("enter", "T"),
    "note-editor": ("enter", "v", "s", "a"),
    "import": ("i",),
    "picker": ("enter", "t"),
}
"""Keys that open each dialog from the library of the fixture."""


async def open_dialog(pilot: Pilot, name: str) -> ModalScreen:
    for key in DIALOGS[name]:
        await pilot.press(key)
        await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ModalScreen), name
    return screen


def dialog_of(screen: ModalScreen) -> Widget:
    return screen.query_one(".dialog")


def inside(widget: Widget, outer: Widget) -> bool:
    """Whether ``widget`` is drawn entirely within what ``outer`` shows of its content."""
    box, region = outer.content_region, widget.region
    return (
        region.x >= box.x
        and region.y >= box.y
        and region.right <= box.right
        and region.bottom <= box.bottom
    )


@pytest.mark.parametrize("name", list(DIALOGS))
async def test_each_dialog_fits_60x15(app: MarginApp, name: str) -> None:
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        screen = await open_dialog(pilot, name)
        dialog = dialog_of(screen)
        assert screen.has_class("-short")
        assert dialog.region.bottom <= SMALL[1] and dialog.region.right <= SMALL[0]
        assert not dialog.show_horizontal_scrollbar
        title = screen.query_one(".dialog-title")
        assert inside(title, dialog), "the title is shown"
        focused = app.focused
        assert focused is not None and inside(focused, dialog), "the focused field is shown"


async def test_the_filter_dialog_scrolls_every_field_and_button_into_view(app: MarginApp) -> None:
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        screen = await open_dialog(pilot, "filters")
        dialog = dialog_of(screen)
        assert dialog.max_scroll_y > 0, "at 60x15 the dialog is taller than the terminal"
        seen = []
        for _ in range(9):
            focused = app.focused
            assert focused is not None
            seen.append(focused.id)
            assert inside(focused, dialog), focused.id
            await pilot.press("tab")
            await pilot.pause()
        fields = {"filter-kind", "filter-archived", "filter-unread"}
        assert fields | {"apply", "clear", "cancel"} <= set(seen)
        # The last button works from there: cancel closes the dialog.
        while app.focused is None or app.focused.id != "cancel":
            await pilot.press("tab")
            await pilot.pause()
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, ModalScreen)


async def test_a_taller_terminal_keeps_the_roomy_dialog(app: MarginApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = await open_dialog(pilot, "filters")
        assert not screen.has_class("-short")
        await pilot.resize_terminal(*SMALL)
        await pilot.pause()
        assert screen.has_class("-short")


@pytest.mark.parametrize("name", list(DIALOGS))
def test_dialog_snapshot_60x15(snap_compare, tmp_path: Path, name: str) -> None:
    """Each dialog at 60×15, as reviewed."""

    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        await open_dialog(pilot, name)

    assert snap_compare(make_app(tmp_path), terminal_size=SMALL, run_before=run_before)
