"""ArticleView: a line-API reader for a ``Document``, fast on very long articles.

Nothing is laid out as widgets. Each block is wrapped to the text column width
(line ranges cached per ``(block, width)``), and only the lines on screen are
styled into ``Strip``s (LRU cache). The view can jump to any block, reports the
block at the top (for reading positions that survive another width), highlights
search terms and cycles through their hits, and takes per-block decorations (a
gutter mark and a style) for notes and comparisons to build on.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from rich.segment import ControlType, Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Offset, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.selection import Selection
from textual.strip import Strip

from store.document import Block, Document
from store.models import COLORS

from .styling import layer_style
from .text import CONTINUATION, cells, crop, fold, is_continuation, visible, wrap

if TYPE_CHECKING:
    from .image_lines import Figure, ImageLines

GUTTER = 2
_NO_MOVE = ((ControlType.CURSOR_FORWARD, 0),)
"""Marks a segment as a control sequence (Rich leaves its text alone, counts no cells)."""
"""Cells left of the text column for decoration marks."""
MIN_MEASURE = 30
MAX_MEASURE = 200
WIDE = 120
"""From this many columns, notes stand in a column beside the text."""
NOTE_GAP = 3
MAX_NOTE_LINES = 6
CELL_GAP = 3
"""Cells between two table columns (`` │ ``)."""
MIN_CELL = 6
"""A table column narrower than its content gets at least this many cells."""


@dataclass(frozen=True, slots=True)
class Decoration:
    """How to mark a block: a gutter mark (one or two cells) and a style for its text."""

    mark: str = ""
    style: str | Style | None = None


@dataclass(frozen=True, slots=True)
class Hit:
    """One highlighted match: ``[start, end)`` in block ``block``'s text."""

    block: int
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class MarginNote:
    """A note drawn in the margin beside its passage (block ``block`` at ``offset``)."""

    id: int
    block: int
    offset: int
    body: str
    color: str = "yellow"


@dataclass(frozen=True, slots=True)
class HeaderLine:
    """A line of the header above the article (title, byline); ``role`` picks the style."""

    text: str
    role: str = "meta"


@dataclass(frozen=True, slots=True)
class _TableLine:
    """One screen line of a table: a rule, a notice, or a piece of each cell of a row."""

    kind: Literal["head", "body", "rule", "row-rule", "more"]
    parts: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True, slots=True)
class _Table:
    """A table laid out for one width: its column widths and its lines."""

    widths: tuple[int, ...]
    hidden: int
    """Columns that do not fit even wrapped, left out (and said so)."""
    lines: tuple[_TableLine, ...]


def fair_widths(
    natural: Sequence[int], room: int, floors: Sequence[int] | None = None
) -> list[int]:
    """Column widths within ``room``: narrow columns get what they need, wide ones share.

    Each column gets at least its floor (its longest word, when there is room for
    every floor), then the cells left are shared out evenly among the columns that
    still want more, so no column is wider than its content.
    """
    widths = list(natural)
    if sum(natural) <= room:
        return widths
    floors = floors if floors is not None else [1] * len(natural)
    widths = [max(1, min(f, n)) for f, n in zip(floors, natural, strict=True)]
    left = room - sum(widths)
    while left > 0:
        wanting = [c for c, w in enumerate(widths) if w < natural[c]]
        if not wanting:
            break
        share = max(1, left // len(wanting))
        for column in wanting:
            give = min(share, natural[column] - widths[column], left)
            widths[column] += give
            left -= give
            if not left:
                break
    return widths


def _longest_word(text: str) -> int:
    return max((cells(word) for word in text.split()), default=1)


def layout_table(block: Block, width: int) -> _Table:
    """Wrap a table block's cells into columns that fit ``width`` cells.

    Columns are left out from the right (and said so) until every column shown has
    room for its longest word (up to a third of the width), so words are not cut.
    """
    rows = block.cells
    columns = max((len(row) for row in rows), default=0)
    natural = [1] * columns
    words = [1] * columns
    for row in rows:
        for column, (start, end) in enumerate(row):
            cell = block.text[start:end]
            words[column] = max(words[column], _longest_word(cell))
            for line in cell.split("\n"):
                natural[column] = max(natural[column], cells(line))
    cap = max(MIN_CELL, width // 3)
    floors = [min(n, max(min(w, cap), MIN_CELL)) for n, w in zip(natural, words, strict=True)]
    shown = columns
    while shown > 1 and sum(floors[:shown]) + CELL_GAP * (shown - 1) > width:
        shown -= 1
    room = max(shown, width - CELL_GAP * (shown - 1))
    widths = fair_widths(natural[:shown], room, floors[:shown])
    lines: list[_TableLine] = []
    wrapped_rows = []
    for row in rows:
        cell_lines = []
        for column in range(shown):
            start, end = row[column] if column < len(row) else (0, 0)
            pieces = wrap(block.text[start:end], widths[column]) if end > start else [(0, 0)]
            cell_lines.append([(start + a, start + b) for a, b in pieces])
        wrapped_rows.append(cell_lines)
    tall = any(max(map(len, cell_lines)) > 1 for cell_lines in wrapped_rows[1:])
    for number, cell_lines in enumerate(wrapped_rows):
        if number > 1 and tall:
            lines.append(_TableLine("row-rule"))
        for n in range(max(map(len, cell_lines), default=1)):
            parts = tuple(pieces[n] if n < len(pieces) else (0, 0) for pieces in cell_lines)
            lines.append(_TableLine("head" if number == 0 else "body", parts))
        if number == 0:
            lines.append(_TableLine("rule"))
    if shown < columns:
        lines.append(_TableLine("more"))
    return _Table(tuple(widths), columns - shown, tuple(lines))


@dataclass(slots=True)
class _Layout:
    """Where every block sits for one text width."""

    width: int
    header: list[tuple[int, str, int, int]]  # (header index, role, start, end) per line
    tops: list[int]  # first line of each block
    lines: list[list[tuple[int, int]]]  # line ranges of each block
    height: int
    figures: list[tuple[int, Figure]] = field(default_factory=list)  # (first line, figure)


def _finish(segments: list[Segment], width: int, style: Style) -> Strip:
    """A strip of exactly ``width`` cells from ``segments`` (padded or cropped)."""
    used = 0
    for segment in segments:
        text = segment.text
        used += len(text) if text.isascii() else cells(text)
    if used < width:
        segments.append(Segment(" " * (width - used), style))
    elif used > width:
        return Strip(segments).crop(0, width)
    return Strip(segments, width)


def term_pattern(terms: Iterable[str]) -> re.Pattern[str] | None:
    """A case-insensitive pattern matching any of ``terms`` at a word start."""
    cleaned = sorted(
        {t.strip().strip('"*^').strip() for t in terms if t.strip().strip('"*^').strip()},
        key=len,
        reverse=True,
    )
    if not cleaned:
        return None
    alternatives = "|".join(re.escape(term) for term in cleaned)
    return re.compile(rf"(?<!\w)(?:{alternatives})", re.IGNORECASE)


class ArticleView(ScrollView, can_focus=True):
    """A scrollable, centred, word-wrapped view of a document's blocks."""

    COMPONENT_CLASSES = {
        "article-view--title",
        "article-view--meta",
        "article-view--heading",
        "article-view--heading-minor",
        "article-view--link",
        "article-view--code",
        "article-view--em",
        "article-view--strong",
        "article-view--strike",
        "article-view--quote",
        "article-view--marker",
        "article-view--rule",
        "article-view--table",
        "article-view--footnote",
        "article-view--hit",
        "article-view--current-hit",
        "article-view--gutter",
        "article-view--selection",
        "article-view--note",
        "article-view--note-current",
        "article-view--cmp-same",
        "article-view--cmp-similar",
        "article-view--cmp-only",
        "article-view--cmp-moved",
        "article-view--cmp-delete",
        "article-view--cmp-insert",
        *(f"article-view--highlight-{color}" for color in COLORS),
    }

    DEFAULT_CSS = """
    ArticleView {
        overflow-x: hidden;
        overflow-y: auto;
    }
    ArticleView > .article-view--footnote {
        color: $text-accent;
    }
    """

    BINDINGS: list[BindingType] = [
        Binding("j,down", "line_down", "Down", show=False, id="view.line_down"),
        Binding("k,up", "line_up", "Up", show=False, id="view.line_up"),
        Binding("space,pagedown", "page_down", "Page down", show=False, id="view.page_down"),
        Binding("pageup,ctrl+b", "page_up", "Page up", show=False, id="view.page_up"),
        Binding("d", "half_down", "Half page down", show=False, id="view.half_down"),
        Binding("u", "half_up", "Half page up", show=False, id="view.half_up"),
        Binding("g,home", "top", "Top", show=False, id="view.top"),
        Binding("G,end", "bottom", "Bottom", show=False, id="view.bottom"),
        Binding("W", "whole_table", "Whole table", show=False, id="view.whole_table"),
    ]

    measure: reactive[int] = reactive(80, layout=False)
    """Widest text column in cells (narrower when the view is)."""

    class Moved(Message):
        """The view scrolled (to read ``top_block``/``progress`` from ``view``)."""

        def __init__(self, view: ArticleView) -> None:
            super().__init__()
            self.view = view

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, ArticleView.Moved) and message.view is self.view

    class LinkClicked(Message):
        """A link in the text was clicked."""

        def __init__(self, view: ArticleView, href: str, text: str) -> None:
            super().__init__()
            self.view = view
            self.href = href
            self.text = text

    def __init__(
        self,
        document: Document | None = None,
        *,
        name: str | None = None,
        id: str | None = None,  # noqa: A002
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._document = document or Document()
        self._header: list[HeaderLine] = []
        self._wrap_cache: LRUCache[tuple[int, int], list[tuple[int, int]]] = LRUCache(8192)
        self._table_cache: LRUCache[tuple[int, int], _Table] = LRUCache(256)
        self._hidden_block = -1
        self._strip_cache: LRUCache[tuple[int, int], Strip] = LRUCache(1024)
        self._layout: _Layout | None = None
        self._hits: list[Hit] = []
        self._hits_by_block: dict[int, list[Hit]] = {}
        self._current_hit = -1
        self._decorations: dict[int, Decoration] = {}
        self._layers: dict[str, tuple[str, dict[int, list[tuple[int, int]]]]] = {}
        self._styles: dict[str, Style] = {}
        self._pending_anchor: tuple[int, int] | None = None
        self._pending_reveal: tuple[int, int] | None = None
        self._spacers: dict[int, int] = {}
        self._margin_notes: list[MarginNote] = []
        self._margin_lines: dict[int, tuple[str, int]] = {}
        self._note_marks: set[int] = set()
        self._current_margin_note: int | None = None
        self._images: ImageLines | None = None
        self.declined: frozenset[str] = frozenset()
        """Actions this view leaves to its parents for now (``d`` on a note deletes it)."""

    # -- public API -------------------------------------------------------------------
    @property
    def document(self) -> Document:
        """The document shown."""
        return self._document

    def set_document(
        self,
        document: Document,
        header: Sequence[HeaderLine] = (),
        *,
        block: int = 0,
        offset: int = 0,
        images: ImageLines | None = None,
    ) -> None:
        """Show ``document`` (with ``header`` lines above it), scrolled to ``block``.

        :param images: draws the document's pictures; without it they take no lines.
        """
        self._document = document
        self._images = images
        if images is not None:
            images.owner = self
        self._header = list(header)
        self._wrap_cache.clear()
        self._table_cache.clear()
        self._hits, self._hits_by_block, self._current_hit = [], {}, -1
        self._pending_reveal = None
        self._decorations = {}
        self._layers = {}
        self._layout = None
        self._relayout()
        # (0, 0) means the very top, header included.
        self.scroll_to_block(-1 if (block, offset) == (0, 0) else block, offset)

    def scroll_to_block(self, index: int, offset: int = 0, *, context: int = 0) -> None:
        """Scroll so block ``index`` (at character ``offset``) is at the top.

        :param index: a block index; -1 for the top of the document (its header).
        :param context: lines to leave visible above it.
        """
        layout = self._layout
        if layout is None or not self.size.width:
            self._pending_anchor = (index, offset)
            return
        self._pending_anchor = None
        y = self._line_of(layout, index, offset) - context
        self.scroll_to(y=max(0, y), animate=False, immediate=True, force=True)
        self.post_message(self.Moved(self))

    @property
    def top_block(self) -> tuple[int, int]:
        """``(block index, character offset)`` of the first line on screen."""
        block, offset = self._anchor()
        return (max(0, block), offset)

    def _anchor(self) -> tuple[int, int]:
        """Like ``top_block``, but -1 when the header is at the top."""
        if self._pending_anchor is not None:
            return self._pending_anchor
        layout = self._layout
        if layout is None or not self._document.blocks:
            return (-1, 0)
        return self._anchor_at(layout, round(self.scroll_y))

    @property
    def progress(self) -> float:
        """How far through the document the bottom of the screen is, 0 to 1."""
        height = self.virtual_size.height
        if self._layout is None or not self.size.height:
            return 0.0
        if height <= 0:
            return 1.0
        return min(1.0, (self.scroll_y + self.scrollable_content_region.height) / height)

    @property
    def at_end(self) -> bool:
        """Whether the last line is on screen."""
        if self._layout is None or not self.size.height or self._pending_anchor is not None:
            return False
        return self.scroll_y >= self.max_scroll_y

    def highlight(self, terms: Iterable[str]) -> int:
        """Highlight every occurrence of ``terms`` (at word starts); returns the hit count."""
        pattern = term_pattern(terms)
        hits: list[Hit] = []
        if pattern is not None:
            for block in self._document.blocks:
                hits.extend(Hit(block.index, *m.span()) for m in pattern.finditer(block.text))
        self._hits = hits
        by_block: dict[int, list[Hit]] = {}
        for hit in hits:
            by_block.setdefault(hit.block, []).append(hit)
        self._hits_by_block = by_block
        self._current_hit = -1
        self._refresh_lines()
        return len(hits)

    @property
    def hits(self) -> list[Hit]:
        """The highlighted hits, in reading order."""
        return list(self._hits)

    @property
    def current_hit(self) -> int:
        """Index of the current hit in ``hits``, or -1."""
        return self._current_hit

    def goto_hit(self, index: int) -> Hit | None:
        """Make hit ``index`` (wrapping around) current and scroll to it."""
        if not self._hits:
            return None
        self._current_hit = index % len(self._hits)
        hit = self._hits[self._current_hit]
        self._refresh_lines()
        self.reveal(hit.block, hit.start)
        return hit

    def next_hit(self, forward: bool = True) -> Hit | None:
        """Go to the hit after (or before) the current one, or the first one on screen."""
        if not self._hits:
            return None
        if self._current_hit < 0:
            top, _ = self.top_block
            starts = [h.block for h in self._hits]
            at = bisect_right(starts, top - 1)
            return self.goto_hit(at if forward else at - 1)
        return self.goto_hit(self._current_hit + (1 if forward else -1))

    def set_decorations(self, decorations: Mapping[int, Decoration]) -> None:
        """Mark blocks (by index) with a gutter mark and/or a text style."""
        self._decorations = dict(decorations)
        self._refresh_lines()

    def set_layer(self, name: str, spans: Iterable[tuple[int, int, int]], style: str) -> None:
        """Draw ``spans`` (``(block, start, end)`` ranges) in component style ``style``.

        Layers (highlights by colour, note anchors, diff marks) are drawn under find
        hits; changing one restyles the lines on screen without wrapping again.
        """
        by_block: dict[int, list[tuple[int, int]]] = {}
        for block, start, end in spans:
            by_block.setdefault(block, []).append((start, end))
        self._layers[name] = (style, by_block)
        self._refresh_lines()

    def clear_layer(self, name: str) -> None:
        """Remove the layer ``name`` if it is drawn."""
        if self._layers.pop(name, None) is not None:
            self._refresh_lines()

    @property
    def layers(self) -> dict[str, list[tuple[int, int, int]]]:
        """Each drawn layer's spans as ``(block, start, end)``, in block order."""
        return {
            name: [(block, *span) for block in sorted(spans) for span in spans[block]]
            for name, (_, spans) in self._layers.items()
        }

    def heading_near(self, forward: bool) -> Block | None:
        """The heading after (or before) the block at the top of the screen."""
        top, offset = self.top_block
        headings = self._document.headings
        if forward:
            return next((h for h in headings if h.index > top), None)
        before = [h for h in headings if h.index < top or (h.index == top and offset > 0)]
        return before[-1] if before else None

    def visible_blocks(self) -> range:
        """Indexes of the blocks with a line on screen."""
        layout = self._layout
        if layout is None or not layout.tops:
            return range(0)
        first = max(0, self._anchor_at(layout, round(self.scroll_y))[0])
        bottom = round(self.scroll_y) + self.scrollable_content_region.height - 1
        last = max(first, bisect_right(layout.tops, bottom) - 1)
        return range(first, last + 1)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Pass the keys of ``declined`` actions on to the parents."""
        return action not in self.declined

    def set_spacers(self, spacers: Mapping[int, int]) -> None:
        """Leave ``spacers[index]`` blank lines above block ``index`` (to level two views)."""
        if dict(spacers) != self._spacers:
            self._spacers = {i: n for i, n in spacers.items() if n > 0}
            if self._layout is not None:
                self._relayout(keep_position=True)

    def line_of(self, index: int, offset: int = 0) -> int:
        """The document line where block ``index`` shows character ``offset`` (0 before layout)."""
        layout = self._layout
        return 0 if layout is None else self._line_of(layout, index, offset)

    def reveal(self, index: int, offset: int = 0) -> None:
        """Scroll so block ``index`` at ``offset`` is on screen, a third down if it was not."""
        layout = self._layout
        if layout is None or not self.size.width:
            # Decided once laid out: a hit in the first lines keeps the title on screen.
            self._pending_reveal = (index, offset)
            return
        y = self._line_of(layout, index, offset)
        height = self.scrollable_content_region.height
        if not (self.scroll_y <= y < self.scroll_y + height):
            self.scroll_to(y=max(0, y - height // 3), animate=False, immediate=True, force=True)

    # -- margin notes ------------------------------------------------------------------------
    def set_margin_notes(self, notes: Sequence[MarginNote]) -> None:
        """Show ``notes`` beside their passages (wide views) or as gutter marks (narrow)."""
        was_wide = bool(self.margin_width)
        self._margin_notes = list(notes)
        if bool(self.margin_width) != was_wide and self._layout is not None:
            self._relayout(keep_position=True)
        else:
            self._place_notes()
            self._refresh_lines()

    @property
    def margin_width(self) -> int:
        """Cells of the note column, or 0 when notes are shown as marks."""
        total = self.scrollable_content_region.width
        if not self._margin_notes or total < WIDE:
            return 0
        return max(24, min(48, total // 4))

    @property
    def current_margin_note(self) -> int | None:
        """The id of the note drawn as current."""
        return self._current_margin_note

    @current_margin_note.setter
    def current_margin_note(self, note_id: int | None) -> None:
        if note_id != self._current_margin_note:
            self._current_margin_note = note_id
            self._refresh_lines()

    def margin_note_at(self, y: int) -> int | None:
        """The id of the note drawn on screen line ``y``, if any."""
        placed = self._margin_lines.get(round(self.scroll_y) + y)
        return placed[1] if placed else None

    def _place_notes(self) -> None:
        """Lay the margin notes out line by line; a note that would overlap moves down."""
        self._margin_lines = {}
        self._note_marks = set()
        layout = self._layout
        if layout is None:
            return
        column = self.margin_width
        free = 0
        for note in sorted(self._margin_notes, key=lambda n: (n.block, n.offset)):
            y = self._line_of(layout, note.block, note.offset)
            self._note_marks.add(y)
            if not column:
                continue
            pieces: list[str] = []
            for paragraph in note.body.strip().splitlines() or [""]:
                pieces.extend(paragraph[a:b] for a, b in wrap(paragraph, column - 3) or [(0, 0)])
            if len(pieces) > MAX_NOTE_LINES:
                pieces = pieces[:MAX_NOTE_LINES]
                pieces[-1] = crop(pieces[-1] + " …", column - 2)
            y = max(y, free)
            for n, piece in enumerate(pieces):
                self._margin_lines[y + n] = (("✎ " if n == 0 else "  ") + piece, note.id)
            free = y + len(pieces) + 1
        if self._margin_lines:
            needed = max(self._margin_lines) + 1
            if needed > layout.height:
                self.virtual_size = Size(self.scrollable_content_region.width, needed)

    # -- mouse selection as offsets -------------------------------------------------------------
    def selected_range(self) -> tuple[int, int] | None:
        """The mouse selection as a plain-text ``[start, end)`` of the document, or None."""
        selection = self.text_selection
        layout = self._layout
        if selection is None or layout is None or not self._document.blocks:
            return None
        text = self._document.text
        start = self._offset_at(layout, selection.start) if selection.start is not None else 0
        end = self._offset_at(layout, selection.end) if selection.end is not None else len(text)
        start, end = min(start, end), max(start, end)
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        return (start, end) if end > start else None

    def _offset_at(self, layout: _Layout, point: Offset) -> int:
        """The plain-text offset drawn at document line ``point.y``, cell ``point.x``."""
        blocks = self._document.blocks
        located = self._locate(layout, point.y)
        if located is None:
            position = bisect_right(layout.tops, point.y)
            if position >= len(blocks):
                return blocks[-1].end
            return blocks[position].start
        block_index, line_index = located
        block = blocks[block_index]
        col = point.x - self._left_margin(layout.width) - GUTTER
        if block.kind == "table":
            index = self._table_index_at(block, line_index, col)
            if index is not None:
                return block.start + index
        if block.kind in ("table", "rule"):
            return block.start if col <= 0 else block.end
        start, end = layout.lines[block_index][line_index]
        col -= cells(self._prefix(block, line_index))
        used = 0
        for index in range(start, end):
            if used >= col:
                return block.start + index
            used += cells(block.text[index])
        return block.start + end

    # -- actions ---------------------------------------------------------------------------
    def action_line_down(self) -> None:
        """Scroll one line down."""
        self.scroll_to(y=self.scroll_y + 1, animate=False, immediate=True, force=True)

    def action_line_up(self) -> None:
        """Scroll one line up."""
        self.scroll_to(y=self.scroll_y - 1, animate=False, immediate=True, force=True)

    def _page(self, fraction: float) -> None:
        step = max(1, int((self.scrollable_content_region.height - 1) * abs(fraction)))
        target = self.scroll_y + (step if fraction > 0 else -step)
        self.scroll_to(y=target, animate=False, immediate=True, force=True)

    def action_page_down(self) -> None:
        """Scroll one screen down."""
        self._page(1)

    def action_page_up(self) -> None:
        """Scroll one screen up."""
        self._page(-1)

    def action_half_down(self) -> None:
        """Scroll half a screen down."""
        self._page(0.5)

    def action_half_up(self) -> None:
        """Scroll half a screen up."""
        self._page(-0.5)

    def table_on_screen(self) -> Block | None:
        """The first table with a line on screen, if any."""
        layout = self._layout
        if layout is None:
            return None
        top = round(self.scroll_y)
        bottom = top + self.scrollable_content_region.height
        blocks = self._document.blocks
        for position in range(max(0, bisect_right(layout.tops, top) - 1), len(blocks)):
            y = layout.tops[position]
            if y >= bottom:
                break
            if blocks[position].kind == "table" and y + len(layout.lines[position]) > top:
                return blocks[position]
        return None

    def action_whole_table(self) -> None:
        """Open the table on screen full-screen, at its natural width (scrolls sideways)."""
        from ..screens.table import TableScreen

        block = self.table_on_screen()
        if block is None:
            self.notify("No table on screen.", severity="warning")
            return
        self.app.push_screen(TableScreen(block))

    def action_top(self) -> None:
        """Go to the start."""
        self.scroll_to(y=0, animate=False, immediate=True, force=True)

    def action_bottom(self) -> None:
        """Go to the end."""
        self.scroll_to(y=self.max_scroll_y, animate=False, immediate=True, force=True)

    # -- events ----------------------------------------------------------------------------
    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if round(old_value) != round(new_value):
            self.post_message(self.Moved(self))

    def watch_measure(self, old: int, new: int) -> None:
        if old != new and self._layout is not None:
            self._relayout(keep_position=True)

    def on_resize(self, event: events.Resize) -> None:
        layout = self._layout
        if layout is None or layout.width != self._text_width():
            self._relayout(keep_position=layout is not None)
        else:
            self._place_notes()
        if self._pending_anchor is not None:
            self.scroll_to_block(*self._pending_anchor)
        if self._pending_reveal is not None and self.size.width:
            pending, self._pending_reveal = self._pending_reveal, None
            self.reveal(*pending)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles.clear()
        self._strip_cache.clear()

    def on_click(self, event: events.Click) -> None:
        found = self.link_at(event.x, event.y)
        if found is not None:
            event.stop()
            self.post_message(self.LinkClicked(self, found[0], found[1]))

    def link_at(self, x: int, y: int) -> tuple[str, str] | None:
        """The ``(href, text)`` of the link at screen cell ``(x, y)`` of the view, if any."""
        layout = self._layout
        if layout is None:
            return None
        line_no = round(self.scroll_y) + y
        located = self._locate(layout, line_no)
        if located is None:
            return None
        block_index, line_index = located
        block = self._document.blocks[block_index]
        if block.kind in ("code", "rule"):
            return None
        col = x - self._left_margin(layout.width) - GUTTER
        found: int | None = None
        if block.kind == "table":
            found = self._table_index_at(block, line_index, col)
        else:
            start, end = layout.lines[block_index][line_index]
            col -= cells(self._prefix(block, line_index))
            used = 0
            for index in range(start, end if col >= 0 else start):
                used += cells(block.text[index])
                if used > col:
                    found = index
                    break
        if found is None:
            return None
        for span in block.spans:
            if span.style == "link" and span.href and span.start <= found < span.end:
                return span.href, block.text[span.start : span.end]
        return None

    # -- layout ----------------------------------------------------------------------------
    def _text_width(self) -> int:
        available = self.scrollable_content_region.width - GUTTER - 2
        column = self.margin_width
        if column:
            available -= column + NOTE_GAP
        return max(10, min(self.measure, available))

    def _left_margin(self, width: int) -> int:
        total = self.scrollable_content_region.width
        column = self.margin_width
        if column:
            return max(0, (total - width - GUTTER - column - NOTE_GAP) // 2)
        return max(0, (total - width - GUTTER) // 2)

    def _table_room(self, width: int) -> int:
        """Cells a table may take: the text column and the free margins beside it (a
        wide terminal shows all of a table's columns, not just those the column holds)."""
        return width + self._left_margin(width) + self._right_space(width)

    def _right_space(self, width: int) -> int:
        if self.margin_width:
            return 0  # the margin notes stand there
        total = self.scrollable_content_region.width
        return max(0, total - self._left_margin(width) - GUTTER - width - 1)

    def _table_shift(self, table: _Table, width: int) -> int:
        """How far left of the text column a table wider than it starts (centred on it)."""
        wide = sum(table.widths) + CELL_GAP * max(0, len(table.widths) - 1)
        if wide <= width:
            return 0
        extra = wide - width
        return min(
            self._left_margin(width), max((extra + 1) // 2, extra - self._right_space(width))
        )

    def _relayout(self, keep_position: bool = False) -> None:
        anchor = self._anchor() if keep_position and self._layout is not None else None
        width = self._text_width()
        header: list[tuple[int, str, int, int]] = []
        for number, line in enumerate(self._header):
            for start, end in wrap(line.text, width):
                header.append((number, line.role, start, end))
        if header:
            header.append((-1, "rule", 0, 0))
            header.append((-1, "", 0, 0))
        tops: list[int] = []
        all_lines: list[list[tuple[int, int]]] = []
        y = len(header)
        blocks = self._document.blocks
        spacers = self._spacers
        self._hidden_block = self._title_heading()
        images = self._images
        figures: list[tuple[int, Figure]] = []
        for position, block in enumerate(blocks):
            lines = [] if position == self._hidden_block else self._wrap_block(block, width)
            y += spacers.get(position, 0)
            if images is not None and block.pictures:
                for figure in images.figures(block, width, below=False):
                    figures.append((y, figure))
                    y += figure.height + 1
            tops.append(y)
            all_lines.append(lines)
            y += len(lines)
            if images is not None and block.pictures:
                for figure in images.figures(block, width, below=True):
                    figures.append((y + 1, figure))
                    y += figure.height + 1
            if not lines:
                continue
            following = blocks[position + 1] if position + 1 < len(blocks) else None
            if following is not None and not (block.kind == "item" and following.kind == "item"):
                y += 1
        self._layout = _Layout(width, header, tops, all_lines, y, figures)
        self._strip_cache.clear()
        self.virtual_size = Size(self.scrollable_content_region.width, y)
        self._place_notes()
        if anchor is not None:
            self.scroll_to_block(*anchor)
        self.refresh()

    def _title_heading(self) -> int:
        """0 when the first block is a heading repeating the title shown above it, else -1."""
        blocks = self._document.blocks
        title = next((line.text for line in self._header if line.role == "title"), None)
        if title is None or not blocks or blocks[0].kind != "heading":
            return -1
        same = " ".join(title.split()).casefold() == " ".join(blocks[0].text.split()).casefold()
        return 0 if same else -1

    def _table(self, block: Block, width: int) -> _Table:
        key = (block.index, width)
        table = self._table_cache.get(key)
        if table is None:
            table = self._table_cache[key] = layout_table(block, width)
        return table

    def _wrap_block(self, block: Block, width: int) -> list[tuple[int, int]]:
        key = (block.index, width)
        cached = self._wrap_cache.get(key)
        if cached is not None:
            return cached
        inner = max(4, width - cells(self._prefix(block, 0)))
        if block.kind == "code":
            lines = fold(block.text, inner)
        elif block.kind == "table":
            # Each line's range starts at its first cell piece, so offsets find lines.
            lines = []
            last = 0
            for line in self._table(block, self._table_room(width)).lines:
                starts = [start for start, end in line.parts if end > start]
                last = max(last, min(starts)) if starts else last
                lines.append((last, last))
        elif block.kind == "rule":
            lines = [(0, len(block.text))]
        else:
            lines = wrap(block.text, inner)
        self._wrap_cache[key] = lines
        return lines

    def _line_of(self, layout: _Layout, index: int, offset: int) -> int:
        if not layout.tops or index < 0:
            return 0
        index = min(index, len(layout.tops) - 1)
        lines = layout.lines[index]
        starts = [start for start, _ in lines]
        line_index = max(0, bisect_right(starts, offset) - 1)
        return layout.tops[index] + line_index

    def _locate(self, layout: _Layout, y: int) -> tuple[int, int] | None:
        """The ``(block, line)`` drawn at document line ``y``, or None for gaps/header."""
        position = bisect_right(layout.tops, y) - 1
        if position < 0:
            return None
        line_index = y - layout.tops[position]
        if line_index >= len(layout.lines[position]):
            return None
        return position, line_index

    def _anchor_at(self, layout: _Layout, y: int) -> tuple[int, int]:
        position = bisect_right(layout.tops, y) - 1
        if position < 0:
            return (-1, 0) if y < len(layout.header) else (0, 0)
        line_index = y - layout.tops[position]
        lines = layout.lines[position]
        if line_index >= len(lines):
            if position + 1 < len(layout.tops):
                return (position + 1, 0)
            return (position, lines[-1][0] if lines else 0)
        return (position, lines[line_index][0])

    # -- rendering ---------------------------------------------------------------------------
    def _style(self, name: str) -> Style:
        style = self._styles.get(name)
        if style is None:
            style = layer_style(self, f"article-view--{name}")
            self._styles[name] = style
        return style

    def _refresh_lines(self) -> None:
        self._strip_cache.clear()
        self.refresh()

    def render_line(self, y: int) -> Strip:
        scroll_y = round(self.scroll_y)
        line_no = scroll_y + y
        strip = self._line_strip(line_no)
        selection = self.text_selection
        if selection is not None:
            span = selection.get_span(line_no)
            if span is not None:
                strip = self._select(strip, *span)
        # Offsets let the mouse select text here, in the same line coordinates.
        strip = strip.apply_offsets(0, line_no)
        images = self._images
        if images is not None and images.protocol == "sixel":
            strip = self._with_sixel(strip, line_no, y)
        return strip

    def _with_sixel(self, strip: Strip, line_no: int, y: int) -> Strip:
        """On the first line of a picture wholly on screen, its Sixel image (painted over
        the half blocks from there; the cursor is put back after)."""
        layout, images = self._layout, self._images
        if layout is None or images is None or not layout.figures:
            return strip
        at = bisect_right(layout.figures, line_no, key=lambda item: item[0]) - 1
        if at < 0 or layout.figures[at][0] != line_no:
            return strip
        figure = layout.figures[at][1]
        if y + figure.rows > self.scrollable_content_region.height or not self.screen.is_active:
            return strip
        data = images.sixel(figure)
        if data is None:
            return strip
        region = self.content_region
        column = self._left_margin(layout.width) + GUTTER + (layout.width - figure.columns) // 2
        x, top = region.x + column - round(self.scroll_x), region.y + y
        # A zero-width control segment: Textual writes it as it is, and counts no cells.
        sixel = Segment(f"\x1b7\x1b[{top + 1};{x + 1}H{data}\x1b8", Style(), _NO_MOVE)
        return Strip([*strip, sixel], strip.cell_length)

    def _line_strip(self, line_no: int) -> Strip:
        key = (line_no, self.scrollable_content_region.width)
        strip = self._strip_cache.get(key)
        if strip is None:
            strip = self._render_document_line(line_no)
            self._strip_cache[key] = strip
        return strip

    def _select(self, strip: Strip, start: int, end: int) -> Strip:
        """``strip`` with cells ``[start, end)`` (-1: to the end) in the selection style."""
        length = strip.cell_length
        end = length if end == -1 else min(end, length)
        if end <= start:
            return strip
        selected = self.screen.get_component_rich_style("screen--selection")
        middle = Strip(
            [
                Segment(text, (style or Style()) + selected, control)
                for text, style, control in strip.crop(start, end)
            ]
        )
        return Strip.join([strip.crop(0, start), middle, strip.crop(end, length)])

    def get_selection(self, selection: Selection) -> tuple[str, str] | None:
        """The text under a mouse selection, as displayed, without the left margin."""
        layout = self._layout
        if layout is None:
            return None
        first = selection.start.y if selection.start is not None else 0
        last = selection.end.y if selection.end is not None else layout.height - 1
        last = min(last, layout.height - 1)
        lines = [
            "".join(segment.text for segment in self._line_strip(n)).rstrip()
            for n in range(first, last + 1)
        ]
        # A folded code line's continuation mark is not part of the text, and the line
        # it continues had no break there: join them again (with the space cut at).
        joins: dict[int, str] = {}
        for n in range(first, last + 1):
            if self._is_folded(layout, n):
                lines[n - first] = lines[n - first].replace(CONTINUATION, " ", 1)
                located = self._locate(layout, n)
                if located is not None:
                    block = self._document.blocks[located[0]]
                    start = layout.lines[located[0]][located[1]][0]
                    before = block.text[start - 1]
                    joins[n - first] = before if before.isspace() else ""
        local = Selection(
            selection.start - Offset(0, first) if selection.start is not None else None,
            selection.end - Offset(0, first) if selection.end is not None else None,
        )
        text = local.extract("\n".join(lines))
        margin = self._left_margin(layout.width) + GUTTER
        out = [
            line[margin:] if line[:margin].isspace() else line.lstrip() for line in text.split("\n")
        ]
        for index in sorted(joins, reverse=True):
            if 0 < index < len(out):
                out[index - 1] = out[index - 1].rstrip() + joins[index] + out.pop(index).lstrip()
        return "\n".join(out).strip("\n"), "\n"

    def selection_updated(self, selection: Selection | None) -> None:
        self.refresh()

    def _base(self) -> Style:
        style = self._styles.get("")
        if style is None:
            style = self._styles[""] = self.rich_style
        return style

    def _render_document_line(self, line_no: int) -> Strip:
        base = self._base()
        width = self.scrollable_content_region.width
        layout = self._layout
        if layout is None or line_no >= layout.height:
            return Strip.blank(width, base)
        margin = self._left_margin(layout.width)
        segments: list[Segment] = [Segment(" " * (margin + GUTTER), base)]
        if line_no < len(layout.header):
            number, role, start, end = layout.header[line_no]
            if role == "rule":
                segments.append(Segment("─" * layout.width, base + self._style("rule")))
            elif role:
                text = visible(self._header[number].text[start:end])
                segments.append(Segment(text, base + self._style(role)))
            return _finish(segments, width, base)
        located = self._locate(layout, line_no)
        if located is None:
            if layout.figures:
                segments.extend(self._figure_line(layout, line_no, base))
            return self._with_margin_note(segments, line_no, width, layout)
        block_index, line_index = located
        block = self._document.blocks[block_index]
        if line_no in self._note_marks and not self.margin_width:
            segments[0] = Segment(" " * margin, base)
            segments.append(Segment("✎ ", base + self._style("note")))
        decoration = self._decorations.get(block_index)
        if decoration is not None:
            mark = decoration.mark if line_index == 0 else ""
            segments[0] = Segment(" " * margin, base)
            segments.append(Segment(crop(mark, GUTTER).ljust(GUTTER), base + self._style("gutter")))
            if decoration.style is not None:
                extra = (
                    Style.parse(decoration.style)
                    if isinstance(decoration.style, str)
                    else decoration.style
                )
                base = base + extra
        if block.kind == "table":
            shift = self._table_shift(
                self._table(block, self._table_room(layout.width)), layout.width
            )
            if shift:
                segments[0] = Segment(" " * max(0, len(segments[0].text) - shift), base)
        segments.extend(self._block_line(block, line_index, layout, base))
        return self._with_margin_note(segments, line_no, width, layout)

    def _figure_line(self, layout: _Layout, line_no: int, base: Style) -> list[Segment]:
        """The piece of a picture drawn on document line ``line_no`` (none in a gap)."""
        images = self._images
        at = bisect_right(layout.figures, line_no, key=lambda item: item[0]) - 1
        if images is None or at < 0:
            return []
        top, figure = layout.figures[at]
        row = line_no - top
        if base.bgcolor is not None:
            images.background = tuple(base.bgcolor.get_truecolor())
        if row >= figure.height:
            return []
        return images.line(figure, row, layout.width, base, base + self._style("meta"))

    def images_ready(self, *, relayout: bool = False) -> None:
        """Pictures finished loading: draw their lines (lay out again if one failed)."""
        if relayout and self._layout is not None:
            self._relayout(keep_position=True)
        else:
            self._refresh_lines()

    def _with_margin_note(
        self, segments: list[Segment], line_no: int, width: int, layout: _Layout
    ) -> Strip:
        """Finish a line, with the piece of a margin note that stands beside it."""
        base = self._base()
        placed = self._margin_lines.get(line_no)
        if placed is None:
            return _finish(segments, width, base)
        text, note_id = placed
        column = self._left_margin(layout.width) + GUTTER + layout.width + NOTE_GAP
        strip = _finish(segments, column, base)
        name = "note-current" if note_id == self._current_margin_note else "note"
        note = Segment(visible(crop(text, self.margin_width)), base + self._style(name))
        return _finish([*strip, note], width, base)

    def _prefix(self, block: Block, line_index: int) -> str:
        if block.kind == "item":
            indent = "  " * max(0, block.level - 1)
            marker = block.marker or ""
            width = max(2, len(marker) + 1)
            return indent + (marker.ljust(width) if line_index == 0 else " " * width)
        if block.kind == "quote":
            return "▎ " * max(1, block.level)
        if block.kind == "code":
            return "  " * (block.level + 1)
        return ""

    def _is_folded(self, layout: _Layout, line_no: int) -> bool:
        """Whether document line ``line_no`` continues a folded code line."""
        located = self._locate(layout, line_no)
        if located is None:
            return False
        block = self._document.blocks[located[0]]
        start = layout.lines[located[0]][located[1]][0]
        return block.kind == "code" and is_continuation(block.text, start)

    def _code_prefix(self, block: Block, start: int) -> str:
        """A code line's indent, ending in the continuation mark on folded lines."""
        indent = "  " * block.level
        return indent + (f"{CONTINUATION} " if is_continuation(block.text, start) else "  ")

    def _block_line(
        self, block: Block, line_index: int, layout: _Layout, base: Style
    ) -> list[Segment]:
        kind = block.kind
        width = layout.width
        if kind == "table":
            return self._table_line(block, line_index, width, base)
        if kind == "rule":
            text = block.text.center(width)
            return [Segment(text, base + self._style("rule"))]
        start, end = layout.lines[block.index][line_index]
        if kind == "code":
            prefix = self._code_prefix(block, start)
        else:
            prefix = self._prefix(block, line_index)
        block_style = base
        prefix_style = base + self._style("marker")
        if kind == "heading":
            block_style = base + self._style("heading" if block.level <= 2 else "heading-minor")
        elif kind == "quote":
            block_style = base + self._style("quote")
            prefix_style = block_style
        elif kind == "code":
            block_style = base + self._style("code")
            prefix_style = block_style
            if prefix.endswith(f"{CONTINUATION} "):
                prefix_style = block_style + self._style("marker")
        segments = [Segment(prefix, prefix_style)] if prefix else []
        segments.extend(self._styled(block, start, end, block_style))
        if kind == "code":
            used = cells(prefix) + cells(block.text[start:end])
            if used < width:
                segments.append(Segment(" " * (width - used), block_style))
        return segments

    def _styled(self, block: Block, start: int, end: int, style: Style) -> list[Segment]:
        """Segments for ``block.text[start:end]`` with inline spans and hits applied."""
        text = block.text
        marks: list[tuple[int, int, Style]] = []
        for span in block.spans:
            if span.end > start and span.start < end:
                marks.append((max(span.start, start), min(span.end, end), self._style(span.style)))
        for style_name, spans_by_block in self._layers.values():
            for left, right in spans_by_block.get(block.index, ()):
                if right > start and left < end:
                    marks.append((max(left, start), min(right, end), self._style(style_name)))
        hits = self._hits_by_block.get(block.index)
        if hits:
            current = self._hits[self._current_hit] if self._current_hit >= 0 else None
            for hit in hits:
                if hit.end > start and hit.start < end:
                    name = "current-hit" if hit == current else "hit"
                    marks.append((max(hit.start, start), min(hit.end, end), self._style(name)))
        if not marks:
            return [Segment(visible(text[start:end]), style)]
        points = sorted({start, end, *(m[0] for m in marks), *(m[1] for m in marks)})
        segments = []
        for left, right in zip(points, points[1:], strict=False):
            piece_style = style
            for mark_start, mark_end, mark_style in marks:
                if mark_start <= left and right <= mark_end:
                    piece_style = piece_style + mark_style
            segments.append(Segment(visible(text[left:right]), piece_style))
        return segments

    def _table_line(self, block: Block, line_index: int, width: int, base: Style) -> list[Segment]:
        table = self._table(block, self._table_room(width))
        line = table.lines[line_index]
        border = base + self._style("rule")
        if line.kind in ("rule", "row-rule"):
            dash = "─" if line.kind == "rule" else "┄"
            return [Segment(f"{dash}┼{dash}".join(dash * w for w in table.widths), border)]
        if line.kind == "more":
            more = (
                f"→ {table.hidden} more column{'s do' if table.hidden > 1 else ' does'} not fit"
                " · W shows the whole table"
            )
            return [Segment(crop(more, width), border)]
        style = base + self._style("table")
        if line.kind == "head":
            style = style + self._style("strong")
        segments: list[Segment] = []
        last = len(line.parts) - 1
        for column, (start, end) in enumerate(line.parts):
            if column:
                segments.append(Segment(" │ ", border))
            pad = table.widths[column] - cells(block.text[start:end])
            align = block.align[column] if column < len(block.align) else ""
            before = pad if align == "right" else pad // 2 if align == "center" else 0
            if before > 0:
                segments.append(Segment(" " * before, style))
            if end > start:
                segments.extend(self._styled(block, start, end, style))
            if pad - before > 0 and column < last:
                segments.append(Segment(" " * (pad - before), style))
        return segments

    def _table_index_at(self, block: Block, line_index: int, col: int) -> int | None:
        """The index in ``block.text`` drawn at cell ``col`` of a table line, if any."""
        layout = self._layout
        if layout is None:
            return None
        table = self._table(block, self._table_room(layout.width))
        col += self._table_shift(table, layout.width)
        line = table.lines[line_index]
        left = 0
        for column, (start, end) in enumerate(line.parts):
            if col < left + table.widths[column] + CELL_GAP:
                pad = table.widths[column] - cells(block.text[start:end])
                align = block.align[column] if column < len(block.align) else ""
                used = left + (pad if align == "right" else pad // 2 if align == "center" else 0)
                for index in range(start, end):
                    used += cells(block.text[index])
                    if used > col:
                        return index
                return None
            left += table.widths[column] + CELL_GAP
        return None
