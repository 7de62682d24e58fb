"""Images in the reader: half blocks where shown, alt text where off or unavailable."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image
from textual.pilot import Pilot

from store.images import probe
from store.library import Library
from store.models import ArticleDraft, ImageFile
from tui.app import MarginApp
from tui.config import Config, parse_config
from tui.widgets.article_view import ArticleView

from .pilot_helpers import settle

SIZE = (80, 24)
BODY = (
    "The lighthouse stands on the point, white against the sky.\n\n"
    '![](<harbour_files/light.png> "The lighthouse at noon")\n\n'
    "Its lamp was lit every night for a hundred years.\n\n"
    '![](<harbour_files/gone.png> "A photo that was never saved")\n\n'
    "Today it is a museum."
)


def gradient() -> bytes:
    """A 160×100 picture: a blue-to-orange sky over a green strip (deterministic)."""
    image = Image.new("RGB", (160, 100))
    for y in range(100):
        for x in range(160):
            sky = (40 + x, 90 + y, 200 - x)
            image.putpixel((x, y), sky if y < 70 else (30, 140, 60))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def build(path: Path) -> None:
    data = gradient()
    media_type, width, height = probe(data)
    with Library(path) as library:
        library.store(
            [
                ArticleDraft(
                    title="The lighthouse",
                    body_markdown=BODY,
                    source="Coast News",
                    published="2024-04-01",
                    images=[ImageFile("harbour_files/light.png", data, media_type, width, height)],
                )
            ]
        )


def screen_text(app: MarginApp) -> str:
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(segment.text for segment in strip) for strip in strips)


async def open_article(pilot: Pilot) -> ArticleView:
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)
    return pilot.app.screen.query_one(ArticleView)


async def test_images_are_drawn_as_half_blocks_with_their_alt_text(tmp_path: Path) -> None:
    build(tmp_path / "lib.db")
    app = MarginApp(str(tmp_path / "lib.db"), config=Config())
    async with app.run_test(size=SIZE) as pilot:
        view = await open_article(pilot)
        text = screen_text(app)
        lines = text.splitlines()
        drawn = [line for line in lines if "▀" in line]
        assert len(drawn) == 6  # 160×100 px at 8 px a cell: 20 columns, 6 lines
        assert all(line.count("▀") == 20 for line in drawn)
        assert "The lighthouse at noon" in text  # the alt text as a caption
        assert "[image: A photo that was never saved]" in text  # not stored: alt text
        # The plain text (what notes anchor to) has no trace of the images.
        assert view.document.text == (
            "The lighthouse stands on the point, white against the sky.\n\n"
            "Its lamp was lit every night for a hundred years.\n\nToday it is a museum."
        )
        # Reading down past the picture and back keeps the drawing.
        await pilot.press("G", "g")
        await settle(pilot)
        assert sum("▀" in line for line in screen_text(app).splitlines()) == 6


async def test_images_off_shows_alt_text_only(tmp_path: Path) -> None:
    build(tmp_path / "lib.db")
    config = parse_config("images = false\n")
    assert config.images is False and not config.problems
    app = MarginApp(str(tmp_path / "lib.db"), config=config)
    async with app.run_test(size=SIZE) as pilot:
        await open_article(pilot)
        text = screen_text(app)
        assert "▀" not in text
        assert "[image: The lighthouse at noon]" in text
        assert "[image: A photo that was never saved]" in text


def test_a_wrong_images_value_is_named() -> None:
    assert parse_config('images = "yes"\n').problems == (
        'line 1: images must be true, false, "sixel", "kitty" or "halfcell"',
    )


async def test_opening_an_article_reads_no_image_bytes(tmp_path: Path) -> None:
    """Bytes are read only for a picture on screen, never for one further down."""
    build(tmp_path / "lib.db")
    with Library(tmp_path / "lib.db") as library:
        filler = "\n\n".join(f"Paragraph {n} of the approach." for n in range(60))
        library.store(
            [
                ArticleDraft(
                    title="A long way to the lighthouse",
                    body_markdown=filler + "\n\n" + BODY,
                    published="2025-01-01",
                    images=library_images(library),
                )
            ]
        )
    app = MarginApp(str(tmp_path / "lib.db"), config=Config())
    reads: list[str] = []
    async with app.run_test(size=SIZE) as pilot:
        original = app.library.image_data

        def counted(digest: str) -> bytes | None:
            reads.append(digest)
            return original(digest)

        app.library.image_data = counted  # type: ignore[method-assign]
        await open_article(pilot)  # the newest: the long one, picture far below
        assert "Paragraph 0" in screen_text(app)
        assert reads == []
        await pilot.press("G")
        await settle(pilot)
        assert len(reads) == 1
        assert sum("▀" in line for line in screen_text(app).splitlines()) == 6


def library_images(library: Library) -> list[ImageFile]:
    data = gradient()
    media_type, width, height = probe(data)
    return [ImageFile("harbour_files/light.png", data, media_type, width, height)]


def test_half_block_fallback_snapshot(snap_compare, tmp_path: Path) -> None:
    """The picture drawn in half blocks at 80×24 (as in tmux), the missing one as alt text."""
    build(tmp_path / "lib.db")
    app = MarginApp(str(tmp_path / "lib.db"), config=Config(theme="textual-dark"))

    async def run_before(pilot: Pilot) -> None:
        await open_article(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_kitty_is_chosen_from_the_environment_never_inside_tmux() -> None:
    from tui.widgets import image_lines

    try:
        assert image_lines.prepare_terminal({"TERM": "xterm-kitty"}) == "kitty"
        assert image_lines.prepare_terminal({"KITTY_WINDOW_ID": "3", "TERM": "xterm"}) == "kitty"
        assert image_lines.prepare_terminal({"TERM_PROGRAM": "ghostty"}) == "kitty"
        assert image_lines.prepare_terminal({"KITTY_WINDOW_ID": "3", "TMUX": "/t,1,0"}) == (
            "halfcell"
        )
        assert image_lines.prepare_terminal({"TERM": "tmux-256color"}) == "halfcell"
        assert image_lines.prepare_terminal({"TERM": "xterm-256color"}) == "halfcell"
    finally:
        image_lines.prepare_terminal({})


async def test_kitty_gets_the_picture_once_and_placeholder_cells(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rich.cells import cell_len

    from tui.widgets import image_lines

    build(tmp_path / "lib.db")
    monkeypatch.setattr(image_lines, "_protocol", "kitty")
    app = MarginApp(str(tmp_path / "lib.db"), config=Config())
    async with app.run_test(size=SIZE) as pilot:
        sent: list[str] = []
        monkeypatch.setattr(app._driver, "write", sent.append)
        await open_article(pilot)
        graphics = [s for s in sent if s.startswith("\x1b_G")]
        assert len(graphics) == 1
        assert "a=t,f=100," in graphics[0] and "a=p,U=1," in graphics[0]
        assert "c=20,r=6" in graphics[0]
        rows = [line for line in screen_text(app).splitlines() if "\U0010eeee" in line]
        assert len(rows) == 6
        assert all(cell_len(row) == SIZE[0] for row in rows)
        assert all(row.count("\U0010eeee") == 20 for row in rows)
        assert "▀" not in screen_text(app)
        await pilot.press("G", "g")
        await settle(pilot)
        assert len([s for s in sent if s.startswith("\x1b_G")]) == 1  # not sent again


def test_hostile_alt_text_is_shown_as_text() -> None:
    from rich.style import Style

    from store.document import Picture
    from tui.widgets.image_lines import ImageLines

    lines = ImageLines({}, None)
    picture = Picture("x.png", "[bold red]boom[/] \x1b[31mred\x07")
    figure = lines.figure(picture, 40)
    assert (figure.rows, figure.caption) == (0, True)
    (segment,) = lines.line(figure, 0, 40, Style(), Style())
    assert "\x1b" not in segment.text and "\x07" not in segment.text
    assert segment.text.startswith("[image: [bold red]boom[/]")
