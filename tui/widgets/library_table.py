"""LibraryTable: a virtual table of article summaries, paged from the store.

Only the rows on screen are drawn. Rows come from a ``fetch(offset, limit)``
callable a page at a time and are kept in an LRU cache of pages, so a library of
100,000 articles costs one page query to open and one per new page scrolled to.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip

from store.models import ArticleSummary

from .cursor_list import CursorList
from .text import cells, crop, one_line

PAGE_SIZE = 100
Fetch = Callable[[int, int], list[ArticleSummary]]


@dataclass(frozen=True, slots=True)
class Column:
    """A column: heading, width in cells (0 = takes the rest) and alignment."""

    key: str
    title: str
    width: int
    right: bool = False


def reading_minutes(words: int) -> int:
    """Minutes to read ``words`` at 230 words a minute, at least one."""
    return max(1, round(words / 230))


def length_label(words: int) -> str:
    """Words and minutes, compact: ``1.2k w · 5 min``."""
    count = f"{words / 1000:.1f}k" if words >= 10_000 else f"{words:,}"
    return f"{count}w {reading_minutes(words)}m"


def progress_label(summary: ArticleSummary) -> str:
    """Read progress: ``✓`` when finished, a percentage when started, else blank.

    Finished means read once to the end (or marked read): reopening it and scrolling back
    keeps the ✓, as the unread filter keeps it out.
    """
    if summary.finished or summary.progress >= 0.999:
        return "✓"
    if summary.progress > 0 or summary.last_read:
        return f"{int(summary.progress * 100)}%"
    return ""


def date_label(summary: ArticleSummary) -> tuple[str, bool]:
    """The Date column: the publication date, else ``~`` and the import date.

    Returns the label and whether it is the import date (drawn dim and italic), so
    an undated item never passes for a new one while it sorts by "published, else
    imported" as the date sort does.
    """
    if summary.published:
        return summary.published[:10], False
    if summary.imported_at:
        return "~" + summary.imported_at[:10], True
    return "", False


def marks_label(summary: ArticleSummary) -> str:
    """Three one-cell markers: bookmarked, has notes, excerpt."""
    return (
        ("★" if summary.bookmarked else " ")
        + ("✎" if summary.has_notes else " ")
        + ("❝" if summary.kind == "excerpt" else " ")
    )


class LibraryTable(CursorList):
    """A cursor-driven, virtual list of articles with a sticky header row."""

    COMPONENT_CLASSES = {
        "library-table--header",
        "library-table--cursor",
        "library-table--cursor-blurred",
        "library-table--mark",
        "library-table--dim",
        "library-table--finished",
        "library-table--imported",
    }

    DEFAULT_CSS = """
    LibraryTable {
        overflow-x: hidden;
        overflow-y: auto;
    }
    """

    BINDINGS: list[BindingType] = [
        Binding("j,down", "cursor(1)", "Down", show=False, id="library.down"),
        Binding("k,up", "cursor(-1)", "Up", show=False, id="library.up"),
        Binding("space,pagedown", "page(1)", "Page down", show=False, id="library.page_down"),
        Binding("b,pageup", "page(-1)", "Page up", show=False, id="library.page_up"),
        Binding("g,home", "first", "First", show=False, id="library.first"),
        Binding("G,end", "last", "Last", show=False, id="library.last"),
        Binding("enter", "select", "Open", id="library.open"),
    ]

    STYLE_PREFIX = "library-table"

    sort_key: reactive[str] = reactive("date")

    class Selected(Message):
        """An article was chosen (enter or double click)."""

        def __init__(self, summary: ArticleSummary) -> None:
            super().__init__()
            self.summary = summary

    class Highlighted(Message):
        """The cursor moved to another row."""

        def __init__(self, index: int, summary: ArticleSummary | None) -> None:
            super().__init__()
            self.index = index
            self.summary = summary

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, LibraryTable.Highlighted)

    class Shown(Message):
        """The table's first real rows (or its empty message) went to the terminal.

        Posted once, from the first frame that showed them; frames drawn inside a batch
        update (the app's start-up) are not written out and do not count.
        """

    def __init__(
        self,
        *,
        name: str | None = None,
        id: str | None = None,  # noqa: A002
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._fetch: Fetch | None = None
        self._count = 0
        self._pages: LRUCache[int, list[ArticleSummary]] = LRUCache(64)
        self._pending: set[int] = set()
        self._generation = 0
        self._shown = False

    # -- data ------------------------------------------------------------------------------
    @property
    def row_count(self) -> int:
        """Rows in the table."""
        return self._count

    def set_rows(self, fetch: Fetch, count: int, *, cursor: int = 0) -> None:
        """Show ``count`` rows that ``fetch(offset, limit)`` pages in."""
        self._fetch = fetch
        self._count = count
        self._pages.clear()
        self._pending.clear()
        self._generation += 1
        self.virtual_size = Size(self.scrollable_content_region.width, count + 1)
        self.cursor = max(0, min(cursor, count - 1))
        self.refresh()

    def prime(self, page: int, rows: list[ArticleSummary]) -> None:
        """Put a page fetched elsewhere (e.g. in a worker) into the cache."""
        self._pages[page] = rows

    def reload(self) -> None:
        """Forget cached pages (rows changed in the store) and redraw."""
        self._pages.clear()
        self._pending.clear()
        self._generation += 1
        self.refresh()

    def peek(self, index: int) -> ArticleSummary | None:
        """The summary at row ``index`` if its page is cached; else None, and fetch it
        in a thread (drawing never waits for the store)."""
        if not 0 <= index < self._count:
            return None
        page_number = index // PAGE_SIZE
        page = self._pages.get(page_number)
        if page is None:
            self._request(page_number)
            return None
        position = index - page_number * PAGE_SIZE
        return page[position] if position < len(page) else None

    def _request(self, page_number: int) -> None:
        if page_number in self._pending or self._fetch is None:
            return
        self._pending.add(page_number)
        fetch, generation = self._fetch, self._generation

        def load() -> None:
            rows = fetch(page_number * PAGE_SIZE, PAGE_SIZE)
            self.app.call_from_thread(self._arrived, page_number, rows, generation)

        self.run_worker(load, thread=True, group="library-pages", exit_on_error=False)

    def _arrived(self, page_number: int, rows: list[ArticleSummary], generation: int) -> None:
        if generation != self._generation:
            return
        self._pending.discard(page_number)
        self._pages[page_number] = rows
        self.refresh()

    def row(self, index: int) -> ArticleSummary | None:
        """The summary at row ``index``, fetched if needed."""
        if not 0 <= index < self._count or self._fetch is None:
            return None
        page_number = index // PAGE_SIZE
        page = self._pages.get(page_number)
        if page is None:
            page = self._fetch(page_number * PAGE_SIZE, PAGE_SIZE)
            self._pages[page_number] = page
        position = index - page_number * PAGE_SIZE
        return page[position] if position < len(page) else None

    @property
    def current(self) -> ArticleSummary | None:
        """The summary under the cursor."""
        return self.row(self.cursor)

    # -- cursor ------------------------------------------------------------------------------
    @property
    def _rows_visible(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    def watch_cursor(self, old: int, new: int) -> None:
        top = round(self.scroll_y)
        if new < top:
            self.scroll_to(y=new, animate=False, immediate=True, force=True)
        elif new >= top + self._rows_visible:
            self.scroll_to(
                y=new - self._rows_visible + 1, animate=False, immediate=True, force=True
            )
        self.refresh()
        self.post_message(self.Highlighted(new, self.peek(new)))

    def watch_sort_key(self) -> None:
        self.refresh()

    def action_select(self) -> None:
        """Open the article under the cursor."""
        summary = self.current
        if summary is not None:
            self.post_message(self.Selected(summary))

    def _row_at(self, y: int) -> int | None:
        return None if y < 1 else round(self.scroll_y) + y - 1

    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(self.scrollable_content_region.width, self._count + 1)

    # -- rendering -----------------------------------------------------------------------------
    def columns(self, width: int) -> list[Column]:
        """The columns that fit in ``width`` cells (section, then source, drop first)."""
        columns = [Column("marks", "", 3), Column("title", "Title", 0)]
        if width >= 70:
            columns.append(Column("source", "Source", 18 if width >= 120 else 14))
        if width >= 110:
            columns.append(Column("section", "Section", 14))
        columns.append(Column("date", "Date", 11))
        if width >= 60:
            columns.append(Column("length", "Length", 12, right=True))
        columns.append(Column("progress", "Read", 4, right=True))
        fixed = sum(c.width for c in columns) + len(columns) - 1
        title_width = max(10, width - fixed)
        return [Column(c.key, c.title, title_width) if c.key == "title" else c for c in columns]

    _SORT_COLUMN = {"date": "date", "title": "title", "source": "source", "read": "progress"}

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        columns = self.columns(width)
        if y == 0:
            sorted_column = self._SORT_COLUMN.get(self.sort_key)
            values = {c.key: c.title + (" ▼" if c.key == sorted_column else "") for c in columns}
            return self._line(
                columns, values, base + self._style("header"), width, base, header=True
            )
        index = round(self.scroll_y) + y - 1
        if index >= self._count:
            if self._count == 0 and y == 2 and self.empty_message:
                self._note_shown()
                return self._message_line(self.empty_message, width, base)
            return Strip.blank(width, base)
        summary = self.peek(index)
        if summary is None:
            placeholder = {"title": "…"}
            return self._line(columns, placeholder, base + self._style("dim"), width, base)
        self._note_shown()
        style = base
        if summary.finished or summary.progress >= 0.999:
            style = style + self._style("finished")
        overlay = None
        if index == self.cursor:
            overlay = self._style("cursor" if self.has_focus else "cursor-blurred")
        date, imported = date_label(summary)
        values = {
            "marks": marks_label(summary),
            "title": one_line(summary.title),
            "source": one_line(summary.source or ""),
            "section": one_line(summary.section or ""),
            "date": date,
            "length": length_label(summary.word_count),
            "progress": progress_label(summary),
        }
        extra = {"date": self._style("imported")} if imported else None
        return self._line(columns, values, style, width, base, overlay=overlay, extra=extra)

    def _note_shown(self) -> None:
        """Post ``Shown`` once, when a row is drawn for a frame the terminal gets."""
        if self._shown or getattr(self.app, "_batch_count", 0):
            return  # inside Textual's batch update nothing reaches the terminal
        self._shown = True
        self.post_message(self.Shown())

    def _message_line(self, message: str, width: int, base: Style) -> Strip:
        text = "    " + crop(message, max(0, width - 4))
        return Strip([Segment(text, base + self._style("dim"))]).adjust_cell_length(width, base)

    def _line(
        self,
        columns: list[Column],
        values: dict[str, str],
        style: Style,
        width: int,
        base: Style,
        header: bool = False,
        overlay: Style | None = None,
        extra: dict[str, Style] | None = None,
    ) -> Strip:
        segments = []
        if overlay is not None:
            style = style + overlay
        for number, column in enumerate(columns):
            if number:
                segments.append(Segment(" ", style))
            text = crop(values.get(column.key, ""), column.width)
            pad = " " * (column.width - cells(text))
            text = pad + text if column.right else text + pad
            column_style = style
            if header:
                pass
            elif column.key == "marks":
                column_style = style + self._style("mark")
            elif column.key in ("source", "section", "date", "length"):
                column_style = style + self._style("dim")
            if extra and column.key in extra:
                column_style = column_style + extra[column.key]
            if overlay is not None:
                column_style = column_style + overlay
            segments.append(Segment(text, column_style))
        return Strip(segments).adjust_cell_length(width, style)
