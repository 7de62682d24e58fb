"""Kitty (issue 16): the exact protocol output of a headless run, as a Kitty terminal would
get it: the picture transmitted once as PNG under one image id and placed virtually, and
its cells U+10EEEE placeholders whose colour is that id, with row and column marks."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import pytest
from PIL import Image
from rich.color import ColorSystem

from tui.app import MarginApp
from tui.config import Config
from tui.widgets import image_lines

from .test_images import SIZE, build, open_article
from .test_images_sixel import capture, written


@pytest.mark.parametrize(
    ("truecolor", "counter"), [(True, 5), (False, 0), (False, 231), (False, 9999)]
)
async def test_kitty_bytes_name_one_image_and_its_placeholders(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, truecolor: bool, counter: int
) -> None:
    """``counter`` is where image numbering starts: 231 once gave id 247, which Textual
    wrote as colour 246 (another picture's id)."""
    import io
    import itertools

    build(tmp_path / "lib.db")
    monkeypatch.setattr(image_lines, "_protocol", "kitty")
    monkeypatch.setattr(image_lines, "_image_ids", itertools.count(counter))
    app = MarginApp(str(tmp_path / "lib.db"), config=Config())
    async with app.run_test(size=SIZE) as pilot:
        system = ColorSystem.TRUECOLOR if truecolor else ColorSystem.EIGHT_BIT
        monkeypatch.setattr(app.console, "_color_system", system)
        sent = capture(app, monkeypatch)
        await open_article(pilot)
        out = await written(pilot, sent, "\x1b_Ga=p")
    commands = re.findall(r"\x1b_G([^;\x1b]*)(?:;([^\x1b]*))?\x1b\\", out)
    assert commands, "no Kitty graphics command was written"
    first, *rest = commands
    keys = dict(part.split("=") for part in first[0].split(","))
    assert keys["a"] == "t" and keys["f"] == "100" and keys["q"] == "2"
    image_id = int(keys["i"])
    payload = first[1] + "".join(data for head, data in rest if head.startswith("m="))
    with Image.open(io.BytesIO(base64.standard_b64decode(payload))) as png:
        assert png.format == "PNG" and png.size[0] <= 20 * image_lines.KITTY_CELL[0]
    place = rest[-1][0]
    assert place == f"a=p,U=1,i={image_id},c=20,r=6,q=2"
    assert out.count("\x1b_Ga=t") == 1
    # The placeholder cells are written in the image id as their foreground colour.
    if truecolor:
        colour = f"38;2;{(image_id >> 16) & 255};{(image_id >> 8) & 255};{image_id & 255}m"
    else:
        assert image_id in image_lines.EIGHT_BIT_IDS
        colour = f"38;5;{image_id}m"
    runs = re.findall(r"\x1b\[[0-9;]*" + re.escape(colour) + "([^\x1b]*)", out)
    cells = "".join(runs)
    assert cells.count("\U0010eeee") >= 6 * 20
    marks = image_lines._diacritics()
    # Row 0, column 0 then row 0, column 1: placeholder + row mark + column mark.
    assert (
        f"\U0010eeee{chr(marks[0])}{chr(marks[0])}\U0010eeee{chr(marks[0])}{chr(marks[1])}" in cells
    )
    assert f"\U0010eeee{chr(marks[5])}{chr(marks[19])}" in cells
