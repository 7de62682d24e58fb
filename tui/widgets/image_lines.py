"""Images drawn line by line inside the article view, only when they are on screen.

``ArticleView`` reserves lines for each picture of a block (``rows``) when it lays
the article out, from the stored pixel size alone: nothing is read or decoded then,
so opening a long article costs no more with images. When a reserved line is drawn
(``line``) and the picture is not ready, its bytes are read from the library and
scaled in a worker thread, and the lines are drawn again when it is.

Pictures are drawn as half blocks (``▀``: the top pixel in the foreground colour,
the bottom one in the background), which every true-colour terminal and tmux
shows. In Kitty (found from its environment before the app starts, by
``prepare_terminal``), a picture is sent once with the Kitty graphics protocol
and its lines are Unicode placeholders (textual-image's encoding), which Kitty
fills with the picture wherever they are drawn: scrolling needs nothing more.
In a Sixel terminal (foot, WezTerm, mlterm, xterm with Sixel, ``TERM`` naming
sixel), the half blocks are drawn as ever and, while the whole picture is on
screen, its Sixel image (textual-image's encoder) is painted over them from the
line that starts it (``ArticleView`` adds it to that line's strip, so it goes out
through Textual's output, in order); partly scrolled off, the half blocks show.
``images = "sixel" | "kitty" | "halfcell"`` in the config or ``$MARGIN_IMAGES``
chooses instead of the environment.
With images off, or an image that was never stored, the alt text stands in:
``[image: alt]`` (nothing when the alt text is part of the text already).
"""

from __future__ import annotations

import base64
import io
import itertools
import math
import os
import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.color import Color
from rich.segment import Segment
from rich.style import Style
from textual.cache import LRUCache
from textual.widget import Widget

from .text import crop, visible

if TYPE_CHECKING:  # the Markdown parser is not needed to draw the first frame
    from store.document import Block, Picture
    from store.models import ImageInfo

MAX_ROWS = 20
"""Lines an image takes at most (its width shrinks to keep its shape)."""
CELL_PIXELS = 8
"""Image pixels per terminal column at which an image is drawn at its natural size."""

KITTY_CELL = (10, 20)
"""Pixels of a cell the picture is sent at for Kitty (which scales it to its cells)."""
SIXEL_CELL = (10, 20)
"""Pixels of a cell a Sixel picture is drawn at when the terminal does not say."""
_PLACEHOLDER = chr(0x10EEEE)
_protocol = "halfcell"
_sixel_cell = SIXEL_CELL
PROTOCOLS = ("sixel", "kitty", "halfcell")
ENV_VAR = "MARGIN_IMAGES"
"""Overrides how pictures are drawn (``sixel``, ``kitty``, ``halfcell``)."""
SIXEL_PROGRAMS = ("wezterm", "mlterm", "foot")
"""Terminals known to draw Sixel (by ``TERM_PROGRAM`` or ``TERM``)."""
_image_ids = itertools.count(random.randint(1, 2**23))


def _eight_bit_ids() -> tuple[int, ...]:
    """256-colour indexes usable as Kitty image ids: 16 to 255, less those (grey 59, 102,
    145, 188, 247 and up) that Textual's colour round trip turns into a neighbour, which
    would name another picture."""
    from rich._palettes import EIGHT_BIT_PALETTE
    from rich.color import ColorSystem

    return tuple(
        n
        for n in range(16, 256)
        if Color.from_rgb(*EIGHT_BIT_PALETTE[n]).downgrade(ColorSystem.EIGHT_BIT).number == n
    )


EIGHT_BIT_IDS = _eight_bit_ids()
"""The image ids written as 256-colour placeholders (each survives Textual's colours)."""

Loader = Callable[[str], bytes | None]
"""Reads a stored image's bytes by hash (``Library.image_data``); called in a worker."""


@dataclass(frozen=True, slots=True)
class Figure:
    """How one picture is laid out at one width."""

    picture: Picture
    info: ImageInfo | None
    columns: int
    """Width of the drawing in cells (0: alt text only)."""
    rows: int
    """Lines of the drawing (0: alt text only)."""
    caption: bool
    """A line of alt text follows (or stands in for) the drawing."""

    @property
    def height(self) -> int:
        """Lines this figure takes, without the blank line that parts it from the text."""
        return self.rows + (1 if self.caption else 0)


class ImageLines:
    """The pictures of one article: their layout and their half-block lines, cached.

    :param infos: the article's stored images by ``src`` (``Library.article_images``).
    :param loader: reads an image's bytes (in a worker thread).
    :param enabled: draw images (``False``: alt text only, the ``images`` setting).
    """

    def __init__(
        self, infos: Mapping[str, ImageInfo], loader: Loader | None, *, enabled: bool = True
    ) -> None:
        self.infos = dict(infos)
        self.loader = loader
        self.enabled = enabled and loader is not None
        self._drawn: LRUCache[tuple[str, int, int], list[list[Segment]]] = LRUCache(32)
        self._wanted: set[tuple[str, int, int]] = set()
        self._sixels: LRUCache[tuple[str, int, int], str] = LRUCache(32)
        self.protocol = _protocol
        """How pictures are drawn (chosen by ``prepare_terminal`` before the app starts)."""
        self.owner: Widget | None = None
        """The widget that draws the lines: it runs the workers and is refreshed."""
        self.background: tuple[int, int, int] = (0, 0, 0)
        """Colour transparent pixels are laid on (the view's background)."""

    # -- layout ------------------------------------------------------------------------------
    def figure(self, picture: Picture, width: int) -> Figure:
        """The layout of ``picture`` in a text column ``width`` cells wide."""
        info = self.infos.get(picture.src)
        caption = bool(picture.alt) and not picture.alt_in_text
        if not self.enabled or info is None or info.width <= 0 or info.height <= 0:
            return Figure(picture, info, 0, 0, caption)
        columns = max(1, min(width, math.ceil(info.width / CELL_PIXELS)))
        rows = max(1, round(columns * info.height / info.width / 2))
        if rows > MAX_ROWS:
            rows = MAX_ROWS
            columns = max(1, min(width, round(rows * 2 * info.width / info.height)))
        return Figure(picture, info, columns, rows, caption)

    def figures(self, block: Block, width: int, *, below: bool) -> list[Figure]:
        """The figures drawn above (or ``below``) a block, leaving out those with no lines."""
        out = []
        for picture in block.pictures:
            if picture.below == below:
                figure = self.figure(picture, width)
                if figure.height:
                    out.append(figure)
        return out

    # -- drawing -----------------------------------------------------------------------------
    def line(
        self, figure: Figure, row: int, width: int, base: Style, muted: Style
    ) -> list[Segment]:
        """The segments of line ``row`` of ``figure``, centred in ``width`` cells."""
        if row >= figure.rows:
            caption = visible(crop(self.caption(figure), width))
            return [Segment(caption.center(width) if figure.rows else caption, muted)]
        info = figure.info
        assert info is not None
        key = (info.hash, figure.columns, figure.rows)
        drawn = self._drawn.get(key)
        pad = Segment(" " * max(0, (width - figure.columns) // 2), base)
        if drawn is None:
            self._want(key)
            text = "loading image…" if row == figure.rows // 2 else ""
            return [Segment(crop(text, width).center(width), muted)]
        if row >= len(drawn):  # unreadable after all: laid out again without it
            return [Segment(" " * width, base)]
        return [pad, *drawn[row]]

    def caption(self, figure: Figure) -> str:
        """The alt text line under (or instead of) a drawing."""
        alt = " ".join(figure.picture.alt.split())
        if figure.rows:
            return alt
        return f"[image: {alt}]" if alt else "[image]"

    def _want(self, key: tuple[str, int, int]) -> None:
        """Read and scale an image in a worker, then draw its lines again."""
        owner = self.owner
        if key in self._wanted or owner is None or self.loader is None:
            return
        self._wanted.add(key)
        loader, background, protocol = self.loader, self.background, self.protocol

        def work() -> None:
            data = loader(key[0])
            if protocol == "sixel" and data:
                sixel = sixel_data(data, key[1], key[2], background)
                if sixel is not None:
                    owner.app.call_from_thread(self._sixels.set, key, sixel)
            if protocol == "kitty":
                png = kitty_png(data, key[1], key[2]) if data else None
                owner.app.call_from_thread(self._kitty_ready, key, png)
                return
            rows = half_blocks(data, key[1], key[2], background) if data else None
            owner.app.call_from_thread(self._ready, key, rows)

        owner.run_worker(work, thread=True, group="images", exit_on_error=False)

    def sixel(self, figure: Figure) -> str | None:
        """The Sixel image of a drawn figure (a DCS sequence), once it is ready."""
        info = figure.info
        if self.protocol != "sixel" or info is None or not figure.rows:
            return None
        return self._sixels.get((info.hash, figure.columns, figure.rows))

    def _ready(self, key: tuple[str, int, int], rows: list[list[Segment]] | None) -> None:
        if rows is None:
            # Damaged since it was stored: the alt text is all there is.
            digest = key[0]
            self.infos = {s: i for s, i in self.infos.items() if i.hash != digest}
            rows = []
        self._drawn[key] = rows
        self._wanted.discard(key)
        owner = self.owner
        if owner is not None:
            refresh = getattr(owner, "images_ready", None)
            if callable(refresh):
                refresh(relayout=not rows)

    def _kitty_ready(self, key: tuple[str, int, int], png: bytes | None) -> None:
        """Send a picture to Kitty (through Textual's output, in order) and draw its cells."""
        owner = self.owner
        driver = getattr(owner.app, "_driver", None) if owner is not None else None
        if png is None or driver is None:
            self._ready(key, None)
            return
        # The placeholders carry the id as their colour: 24 bits when Textual writes true
        # colour, else an id from EIGHT_BIT_IDS written as a 256-colour index (Rich would
        # turn a 24-bit colour into the nearest other one, another id).
        truecolor = getattr(owner.app.console, "color_system", None) == "truecolor"
        number = next(_image_ids)
        image_id = (
            (number & 0xFFFFFF or 1) if truecolor else EIGHT_BIT_IDS[number % len(EIGHT_BIT_IDS)]
        )
        driver.write(kitty_sequence(image_id, png, key[1], key[2]))
        self._ready(key, kitty_rows(image_id, key[1], key[2], truecolor=truecolor))


def prepare_terminal(environ: Mapping[str, str] | None = None, choice: str | None = None) -> str:
    """Choose how pictures are drawn; call before the app starts. Returns the choice.

    ``choice`` (the config's ``images = "…"``) or ``$MARGIN_IMAGES`` decide when set.
    Otherwise Kitty graphics with Unicode placeholders where the terminal says it is
    Kitty (``KITTY_WINDOW_ID``, ``TERM=xterm-kitty``) or Ghostty; Sixel in foot,
    WezTerm, mlterm, a ``TERM`` naming sixel, or an xterm that answers it has Sixel;
    never inside tmux or screen (which would need passthrough); half blocks elsewhere.
    """
    global _protocol, _sixel_cell
    env = os.environ if environ is None else environ
    wanted = (env.get(ENV_VAR) or choice or "").strip().lower()
    term = env.get("TERM", "")
    program = env.get("TERM_PROGRAM", "").lower()
    nested = bool(env.get("TMUX")) or term.startswith(("screen", "tmux"))
    if wanted in PROTOCOLS:
        _protocol = wanted
    elif nested:
        _protocol = "halfcell"
    elif env.get("KITTY_WINDOW_ID") or term == "xterm-kitty" or program == "ghostty":
        _protocol = "kitty"
    elif _sixel_terminal(env, term, program):
        _protocol = "sixel"
    elif env.get("XTERM_VERSION") and environ is None and _xterm_has_sixel():
        _protocol = "sixel"  # an xterm has Sixel only when built with it: asked
    else:
        _protocol = "halfcell"
    if environ is None:
        try:
            if _protocol == "kitty":
                _diacritics()  # loads textual-image now, while the terminal can still answer
            elif _protocol == "sixel":
                _sixel_cell = _cell_pixels()
        except (ImportError, AttributeError):
            _protocol = "halfcell"
    return _protocol


def _sixel_terminal(env: Mapping[str, str], term: str, program: str) -> bool:
    """Whether the environment names a terminal known to draw Sixel."""
    return (
        "sixel" in term
        or program in SIXEL_PROGRAMS
        or term.startswith(SIXEL_PROGRAMS)
        or bool(env.get("WEZTERM_EXECUTABLE") or env.get("MLTERM"))
    )


def _xterm_has_sixel() -> bool:
    """Ask an xterm (before the app starts) whether it was built with Sixel."""
    try:
        from textual_image.renderable.sixel import query_terminal_support

        return query_terminal_support()
    except (ImportError, OSError):
        return False


def _cell_pixels() -> tuple[int, int]:
    """The terminal's cell size in pixels (textual-image asks it), or a usual one."""
    from textual_image._terminal import get_cell_size

    size = get_cell_size()
    if size.width > 0 and size.height > 0:
        return size.width, size.height
    return SIXEL_CELL


def sixel_data(
    data: bytes, columns: int, rows: int, background: tuple[int, int, int] = (0, 0, 0)
) -> str | None:
    """The picture as a Sixel DCS sequence filling ``columns`` × ``rows`` cells, or None."""
    from PIL import Image
    from textual_image._sixel import image_to_sixels

    width, height = columns * _sixel_cell[0], rows * _sixel_cell[1]
    try:
        with Image.open(io.BytesIO(data)) as opened:
            opened.draft("RGB", (width, height))
            image = opened.convert("RGBA")
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        return None
    image = image.resize((width, height), Image.Resampling.LANCZOS)
    return image_to_sixels(image, background=(*background, 1.0))


def _diacritics() -> list[int]:
    # textual-image's row/column marks (Kitty's rowcolumn-diacritics.txt). Its package
    # detects the terminal when first imported, which is why this module is
    # imported lazily: only for Kitty, and then the answer is known already.
    from textual_image.renderable.tgp import _NUMBER_TO_DIACRITIC

    return list(_NUMBER_TO_DIACRITIC)


def kitty_png(data: bytes, columns: int, rows: int) -> bytes | None:
    """The picture as PNG at the size of ``columns`` × ``rows`` cells, or None if unreadable."""
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as opened:
            size = (columns * KITTY_CELL[0], rows * KITTY_CELL[1])
            opened.draft("RGB", size)
            image = opened.convert("RGBA")
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        return None
    image.thumbnail((columns * KITTY_CELL[0], rows * KITTY_CELL[1]))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def kitty_sequence(image_id: int, png: bytes, columns: int, rows: int) -> str:
    """Kitty graphics commands: transmit ``png`` as ``image_id``, place it virtually."""
    payload = base64.standard_b64encode(png).decode("ascii")
    chunks = [payload[i : i + 4096] for i in range(0, len(payload), 4096)] or [""]
    out = []
    for number, chunk in enumerate(chunks):
        more = 1 if number < len(chunks) - 1 else 0
        head = f"a=t,f=100,i={image_id},q=2,m={more}" if number == 0 else f"m={more},q=2"
        out.append(f"\x1b_G{head};{chunk}\x1b\\")
    out.append(f"\x1b_Ga=p,U=1,i={image_id},c={columns},r={rows},q=2\x1b\\")
    return "".join(out)


def kitty_rows(
    image_id: int, columns: int, rows: int, *, truecolor: bool = True
) -> list[list[Segment]]:
    """Placeholder cells for a placed picture: its id in the colour (24-bit, or a
    256-colour index), row and column marks."""
    marks = _diacritics()
    if truecolor:
        color = Color.from_rgb((image_id >> 16) & 255, (image_id >> 8) & 255, image_id & 255)
    else:
        color = Color.from_ansi(image_id)
    style = Style(color=color)
    return [
        [
            Segment(
                "".join(
                    f"{_PLACEHOLDER}{chr(marks[row])}{chr(marks[column])}"
                    for column in range(columns)
                ),
                style,
            )
        ]
        for row in range(rows)
    ]


def half_blocks(
    data: bytes, columns: int, rows: int, background: tuple[int, int, int] = (0, 0, 0)
) -> list[list[Segment]] | None:
    """An image as ``rows`` lines of ``columns`` half-block cells, or None if unreadable."""
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as opened:
            opened.draft("RGB", (columns, rows * 2))  # JPEG decodes at a fraction of the size
            image = opened.convert("RGBA")
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        return None
    canvas = Image.new("RGBA", image.size, (*background, 255))
    canvas.alpha_composite(image)
    small = canvas.convert("RGB").resize((columns, rows * 2), Image.Resampling.BOX)
    pixels = small.load()
    assert pixels is not None
    colors: dict[tuple[int, int, int], Color] = {}

    def color(value: tuple[int, int, int]) -> Color:
        found = colors.get(value)
        if found is None:
            found = colors[value] = Color.from_rgb(*value)
        return found

    lines = []
    for row in range(rows):
        segments = []
        for column in range(columns):
            top = pixels[column, row * 2]
            bottom = pixels[column, row * 2 + 1]
            assert isinstance(top, tuple) and isinstance(bottom, tuple)
            segments.append(Segment("▀", Style(color=color(top), bgcolor=color(bottom))))
        lines.append(segments)
    return lines
