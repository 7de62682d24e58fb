"""NoteList: bookmarks, highlights and notes as two-line entries, drawn line by line.

Each entry shows a colour swatch and its quote on the first line, and the note's
first line, the article's tags, its title and its state on the second. Every piece
of text is the user's or an article's (untrusted): it is drawn as plain segments
after ``one_line``, never parsed as markup.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from rich.segment import Segment
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.strip import Strip

from store.annotations import BOOKMARK_QUOTE
from store.models import COLORS, Bookmark, Note

from .cursor_list import CursorList
from .text import cells, crop, one_line

EntryKind = Literal["note", "highlight", "bookmark"]
EntryState = Literal["anchored", "orphaned", "detached"]
KINDS: tuple[EntryKind, ...] = ("note", "highlight", "bookmark")
LINES_PER_ENTRY = 2


@dataclass(frozen=True, slots=True)
class Entry:
    """One row of the notes screen: a note, a highlight or a bookmark."""

    kind: EntryKind
    item: Note | Bookmark
    article_id: int | None
    article_title: str
    quote: str
    body: str
    """The note's Markdown, or a bookmark's label."""
    color: str | None
    """None for bookmarks."""
    tags: tuple[str, ...]
    state: EntryState
    created: str
    at: int | None
    """Plain-text offset to open the article at; None for the top or the saved place."""

    @property
    def key(self) -> str:
        """Unique across notes and bookmarks, e.g. ``note:12``."""
        return f"{'bookmark' if self.kind == 'bookmark' else 'note'}:{self.item.id}"

    haystack: str = field(default="", compare=False, repr=False)
    """What fuzzy find looks at, case-folded: quote, body, title and tags (made once)."""

    def __post_init__(self) -> None:
        words = (self.quote, self.body, self.article_title, " ".join(self.tags))
        object.__setattr__(self, "haystack", " ".join(words).casefold())

    @classmethod
    def from_note(cls, note: Note) -> Entry:
        """A note, or a highlight when it has no body."""
        if note.article_id is None:
            state: EntryState = "detached"
        else:
            state = note.state
        return cls(
            kind="highlight" if note.is_highlight else "note",
            item=note,
            article_id=note.article_id,
            article_title=note.article_title,
            quote=note.quote,
            body=note.body,
            color=note.color,
            tags=tuple(note.tags),
            state=state,
            created=note.created,
            at=note.start if note.state == "anchored" else None,
        )

    @classmethod
    def from_bookmark(cls, bookmark: Bookmark, tags: tuple[str, ...] = ()) -> Entry:
        """A bookmark of a whole article (no quote) or of a passage."""
        return cls(
            kind="bookmark",
            item=bookmark,
            article_id=bookmark.article_id,
            article_title=bookmark.article_title,
            quote=whole_words(bookmark.quote),
            body=bookmark.label,
            color=None,
            tags=tags,
            state="detached" if bookmark.article_id is None else "anchored",
            created=bookmark.created,
            at=bookmark.offset,
        )


def whole_words(quote: str) -> str:
    """A bookmark's quote (a fixed number of characters) cut back to its last whole word."""
    cut = quote.rstrip()
    if len(quote) < BOOKMARK_QUOTE or cut != quote or " " not in cut:
        return cut
    return cut.rsplit(" ", 1)[0].rstrip(" ,;:") + " …"


def merge_newest_first(entries: list[Entry]) -> list[Entry]:
    """Entries newest first (notes before bookmarks made in the same second)."""
    return sorted(entries, key=lambda e: (e.created, e.kind != "bookmark", e.item.id), reverse=True)


def first_line(text: str) -> str:
    """The first non-blank line of ``text``, on one line."""
    for line in text.splitlines():
        if line.strip():
            return one_line(line.strip())
    return ""


class NoteList(CursorList):
    """A cursor-driven list of entries, two lines each."""

    COMPONENT_CLASSES = {
        "note-list--cursor",
        "note-list--cursor-blurred",
        "note-list--quote",
        "note-list--body",
        "note-list--dim",
        "note-list--tag",
        "note-list--bookmark",
        "note-list--orphaned",
        *(f"note-list--{color}" for color in COLORS),
    }

    DEFAULT_CSS = """
    NoteList {
        overflow-x: hidden;
        overflow-y: auto;
    }
    """

    BINDINGS: list[BindingType] = [
        Binding("j,down", "cursor(1)", "Down", show=False, id="notes.down"),
        Binding("k,up", "cursor(-1)", "Up", show=False, id="notes.up"),
        Binding("space,pagedown", "page(1)", "Page down", show=False, id="notes.page_down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="notes.page_up"),
        Binding("g,home", "first", "First", show=False, id="notes.first"),
        Binding("G,end", "last", "Last", show=False, id="notes.last"),
        Binding("enter", "select", "Open", id="notes.open"),
    ]

    STYLE_PREFIX = "note-list"

    class Selected(Message):
        """An entry was chosen (enter or a second click)."""

        def __init__(self, entry: Entry) -> None:
            super().__init__()
            self.entry = entry

    def __init__(
        self,
        *,
        name: str | None = None,
        id: str | None = None,  # noqa: A002
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.entries: list[Entry] = []

    # -- data ------------------------------------------------------------------------------
    def set_entries(self, entries: list[Entry], *, keep: str | None = None) -> None:
        """Show ``entries``; the cursor stays on the entry with key ``keep`` if present."""
        index = self.cursor
        self.entries = entries
        if keep is not None:
            index = next((i for i, e in enumerate(entries) if e.key == keep), index)
        self._resize()
        self.cursor = index
        self.refresh()

    @property
    def current(self) -> Entry | None:
        """The entry under the cursor."""
        return self.entries[self.cursor] if 0 <= self.cursor < len(self.entries) else None

    def _resize(self) -> None:
        height = len(self.entries) * LINES_PER_ENTRY
        self.virtual_size = Size(self.scrollable_content_region.width, height)

    def on_resize(self, event: events.Resize) -> None:
        self._resize()

    # -- cursor ------------------------------------------------------------------------------
    @property
    def row_count(self) -> int:
        """Entries in the list."""
        return len(self.entries)

    @property
    def _rows_visible(self) -> int:
        return max(1, self.scrollable_content_region.height // LINES_PER_ENTRY)

    def watch_cursor(self, new: int) -> None:
        top = new * LINES_PER_ENTRY
        bottom = top + LINES_PER_ENTRY
        height = self.scrollable_content_region.height
        if top < self.scroll_y:
            self.scroll_to(y=top, animate=False, immediate=True, force=True)
        elif bottom > self.scroll_y + height:
            self.scroll_to(y=bottom - height, animate=False, immediate=True, force=True)
        self.refresh()

    def action_select(self) -> None:
        """Open the entry under the cursor."""
        entry = self.current
        if entry is not None:
            self.post_message(self.Selected(entry))

    def _row_at(self, y: int) -> int | None:
        return (round(self.scroll_y) + y) // LINES_PER_ENTRY

    # -- rendering -----------------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        line = round(self.scroll_y) + y
        index, part = divmod(line, LINES_PER_ENTRY)
        if not self.entries:
            if y == 1 and self.empty_message:
                text = "  " + crop(self.empty_message, max(0, width - 2))
                return Strip([Segment(text, base + self._style("dim"))]).adjust_cell_length(
                    width, base
                )
            return Strip.blank(width, base)
        if index >= len(self.entries):
            return Strip.blank(width, base)
        entry = self.entries[index]
        overlay = None
        if index == self.cursor:
            overlay = self._style("cursor" if self.has_focus else "cursor-blurred")
        pieces = self._first_line(entry, width) if part == 0 else self._second_line(entry, width)
        segments = []
        for text, name in pieces:
            style = base + self._style(name) if name else base
            if overlay is not None:
                style = style + overlay
            segments.append(Segment(text, style))
        fill = base + overlay if overlay is not None else base
        return Strip(segments).adjust_cell_length(width, fill)

    def _first_line(self, entry: Entry, width: int) -> list[tuple[str, str]]:
        if entry.kind == "bookmark":
            swatch = [(" ★ ", "bookmark")]
        else:
            glyph = "✎" if entry.kind == "note" else " "
            swatch = [(" ●", entry.color or "dim"), (glyph + " ", "body")]
        date = entry.created[:10]
        show_date = width >= 60 and bool(date)
        room = width - 3 - (len(date) + 2 if show_date else 0) - 1
        if entry.quote.strip():
            quote = crop("“" + one_line(" ".join(entry.quote.split())) + "”", max(1, room))
            pieces = [*swatch, (quote, "quote")]
        else:
            label = "whole article: " + one_line(entry.article_title)
            pieces = [*swatch, (crop(label, max(1, room)), "quote")]
        if show_date:
            used = sum(cells(text) for text, _ in pieces)
            pieces.append((" " * max(1, width - used - len(date) - 1), ""))
            pieces.append((date, "dim"))
        return pieces

    def _second_line(self, entry: Entry, width: int) -> list[tuple[str, str]]:
        indent = "   "
        room = max(1, width - len(indent) - 1)
        if entry.kind == "bookmark":
            body = first_line(entry.body) or "bookmark"
            body_style = "body" if entry.body.strip() else "dim"
        elif entry.kind == "note":
            body, body_style = first_line(entry.body), "body"
        else:
            body, body_style = "highlight", "dim"
        meta: list[tuple[str, str]] = []
        if entry.tags:
            meta.append((" ".join("#" + one_line(tag) for tag in entry.tags), "tag"))
        meta.append((one_line(entry.article_title) or "(untitled)", "dim"))
        state = {"orphaned": "⚠ orphaned", "detached": "⚠ article deleted"}
        state_text = state.get(entry.state)
        # The state is never cut; the body gets at least half of what is left.
        state_cells = cells(state_text) + 3 if state_text else 0
        rest = max(1, room - state_cells)
        meta_text_cells = sum(cells(text) for text, _ in meta) + 3 * len(meta)
        body_room = max(min(cells(body), rest - meta_text_cells), min(cells(body), rest // 2))
        pieces: list[tuple[str, str]] = [(indent, ""), (crop(body, body_room), body_style)]
        left = rest - cells(pieces[1][0])
        for text, name in meta:
            if left <= 4:
                break
            pieces.append((" · ", "dim"))
            cut = crop(text, left - 3)
            pieces.append((cut, name))
            left -= 3 + cells(cut)
        if state_text:
            pieces.append((" · ", "dim"))
            pieces.append((state_text, "orphaned"))
        return pieces
