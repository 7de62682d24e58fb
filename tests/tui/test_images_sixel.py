"""Sixel (issue 16): chosen from the environment (never inside tmux unless asked), its
bytes written once through Textual's output while the picture is on screen, and never
anything of the kind from untrusted text."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot

from store.images import probe
from store.library import Library
from store.models import ArticleDraft, ImageFile
from tui.app import MarginApp
from tui.config import Config, parse_config
from tui.widgets import image_lines

from .test_images import SIZE, build, gradient, open_article, screen_text, settle

DCS = "\x1bP"


def capture(app: MarginApp, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What Textual writes to the terminal from now on: the headless driver is made to
    take the screen updates a real terminal gets."""
    driver = app._driver
    assert driver is not None
    sent: list[str] = []
    monkeypatch.setattr(type(driver), "is_headless", property(lambda self: False))
    monkeypatch.setattr(driver, "write", sent.append)
    monkeypatch.setattr(driver, "flush", lambda: None)
    return sent


async def written(pilot: Pilot, sent: list[str], marker: str, *, seconds: float = 10.0) -> str:
    """All written so far, once ``marker`` is among it: pictures are drawn after the
    text, later still on a busy machine."""
    waited = 0.0
    while marker not in "".join(sent) and waited < seconds:
        await pilot.pause(0.05)
        waited += 0.05
    await settle(pilot)
    return "".join(sent)


def test_sixel_is_chosen_from_the_environment_never_inside_tmux() -> None:
    saved = image_lines._protocol
    try:
        prepare = image_lines.prepare_terminal
        assert prepare({"TERM": "foot"}) == "sixel"
        assert prepare({"TERM": "foot-extra"}) == "sixel"
        assert prepare({"TERM_PROGRAM": "WezTerm", "TERM": "xterm-256color"}) == "sixel"
        assert prepare({"TERM": "mlterm"}) == "sixel"
        assert prepare({"TERM": "xterm-sixel"}) == "sixel"
        assert prepare({"TERM_PROGRAM": "WezTerm", "TMUX": "/t,1,0"}) == "halfcell"
        assert prepare({"TERM": "screen-256color", "WEZTERM_EXECUTABLE": "/x"}) == "halfcell"
        assert prepare({"TERM": "xterm-256color"}) == "halfcell"
        # A plain xterm is only asked when it is the real terminal (not in a test).
        assert prepare({"TERM": "xterm-256color", "XTERM_VERSION": "XTerm(390)"}) == "halfcell"
        # The config's choice, and $MARGIN_IMAGES over it, win, even inside tmux.
        assert prepare({"TMUX": "/t,1,0"}, choice="sixel") == "sixel"
        assert prepare({"TERM": "foot", "MARGIN_IMAGES": "halfcell"}, choice="sixel") == "halfcell"
        assert prepare({"TERM": "foot"}, choice="kitty") == "kitty"
    finally:
        image_lines._protocol = saved


def test_the_images_setting_takes_a_protocol() -> None:
    assert parse_config('images = "sixel"\n').images == "sixel"
    assert parse_config("images = false\n").images is False
    assert parse_config('images = "iterm"\n').problems


def test_sixel_data_is_one_dcs_sized_to_the_cells() -> None:
    data = image_lines.sixel_data(gradient(), 20, 6)
    assert data is not None and data.startswith('\x1bP0;0;0q"1;1;200;120')
    assert data.endswith("\x1b\\") and data.count(DCS) == 1
    assert image_lines.sixel_data(b"not an image", 20, 6) is None


async def test_sixel_goes_out_once_through_textual_and_not_when_scrolled_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(tmp_path / "lib.db")
    monkeypatch.setattr(image_lines, "_protocol", "sixel")
    app = MarginApp(str(tmp_path / "lib.db"), config=Config())
    async with app.run_test(size=SIZE) as pilot:
        sent = capture(app, monkeypatch)
        view = await open_article(pilot)
        await written(pilot, sent, DCS)
        # Each screen update that draws the picture's lines carries its Sixel once (a
        # repaint of those lines covers it, so it goes out again with them).
        updates = [update for update in sent if DCS in update]
        assert updates and all(update.count(DCS) == 1 for update in updates)
        out = updates[-1]
        # Drawn where the picture's first line is: the cursor is saved, moved, put back.
        at = out.index(DCS)
        assert out[at - 20 : at].rsplit("\x1b7", 1)[1].startswith("\x1b[")
        assert out.index("\x1b8", at) > at
        assert '"1;1;200;120' in out  # 20 × 6 cells of 10 × 20 pixels
        assert "▀" in screen_text(app)  # the half blocks beneath, for when it is cut
        # Scrolled so that the picture is cut at the top: no Sixel, half blocks only.
        sent.clear()
        view.scroll_to(y=view.scroll_y + 3, animate=False)
        await settle(pilot)
        assert DCS not in "".join(sent)


async def test_untrusted_text_never_writes_a_dcs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = gradient()
    media_type, width, height = probe(data)
    hostile = "\x1bPq#0;2;0;0;0~~\x1b\\ and \x1b_Ga=T;AAAA\x1b\\"
    alt = "\x1bPq#0;2;0;0;0~~ alt"
    with Library(tmp_path / "lib.db") as library:
        library.store(
            [
                ArticleDraft(
                    title=f"Hostile {hostile}",
                    body_markdown=f"Text {hostile}\n\n![{alt}](<a.png>)\n\nEnd {hostile}",
                    source="Nowhere",
                    images=[ImageFile("a.png", data, media_type, width, height)],
                )
            ]
        )
    monkeypatch.setattr(image_lines, "_protocol", "sixel")
    app = MarginApp(str(tmp_path / "lib.db"), config=Config())
    async with app.run_test(size=SIZE) as pilot:
        sent = capture(app, monkeypatch)
        await open_article(pilot)
        updates = [update for update in sent if DCS in update]
        assert updates and all(update.count(DCS) == 1 for update in updates)  # the picture's
        out = "".join(sent)
        assert out.count("\x1b_G") == 0
        assert "\x1bPq#0" not in out and "\x1b_Ga=T" not in out
        assert "␛Pq#0;2;0;0;0~~" in out  # shown as text, harmless
