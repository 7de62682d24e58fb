"""The library screen: every article in a virtual table, sorted and filtered."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.reactive import reactive
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Input, Static

from store.library import SORT_KEYS, Library, SortKey
from store.models import ArticleSummary

from ..widgets.library_table import PAGE_SIZE, LibraryTable
from ..widgets.text import crop, one_line

if TYPE_CHECKING:
    from importers import ImportReport

SORT_CYCLE: tuple[SortKey, ...] = ("date", "title", "source", "read")
SORT_NAMES = {"date": "date", "title": "title", "source": "source", "read": "last read"}
SORT_SETTING = "ui.library.sort"


@dataclass(frozen=True, slots=True)
class LibraryQuery:
    """What the table shows: sort order and filters, as ``Library.summaries`` takes them."""

    sort: SortKey = "date"
    kind: str | None = None
    source: str | None = None
    section: str | None = None
    tag: str | None = None
    unread: bool = False
    text: str | None = None

    def filters(self) -> dict[str, Any]:
        """The filter keywords (without the sort)."""
        return {
            "kind": self.kind,
            "source": self.source,
            "section": self.section,
            "tag": self.tag,
            "unread": self.unread,
            "text": self.text,
        }

    @property
    def filtered(self) -> bool:
        """Whether any filter narrows the list."""
        return any(value for value in self.filters().values())

    def describe(self) -> str:
        """The filters in words, e.g. ``source: BBC · unread · "rust"``."""
        parts = []
        for name in ("kind", "source", "section", "tag"):
            value = getattr(self, name)
            if value:
                parts.append(f"{name}: {one_line(value)}")
        if self.unread:
            parts.append("unread")
        if self.text:
            parts.append(f'"{one_line(self.text)}"')
        return " · ".join(parts)


class LibraryScreen(Screen[None]):
    """The start screen: the whole library, fast at any size."""

    BINDINGS: list[BindingType] = [
        Binding("S", "feeds", "Feeds", show=False, id="library.feeds"),
        Binding("slash", "search", "Search", id="library.search"),
        Binding("f", "quick_filter", "Filter", id="library.quick_filter"),
        Binding("F", "filters", "Filters…", id="library.filters"),
        Binding("u", "toggle_unread", "Unread", id="library.unread"),
        Binding("o", "cycle_sort", "Sort", id="library.sort"),
        Binding("i", "import", "Import", id="library.import"),
        Binding(
            "N",
            "notes",
            "Notes",
            tooltip="Every bookmark, highlight and note",
            id="library.notes",
        ),
        Binding("m", "mark", "Mark to compare", show=False, id="library.mark"),
        Binding("c", "compare", "Compare", show=False, id="library.compare"),
        Binding("escape", "clear_filters", "Clear filters", show=False, id="library.clear"),
        Binding("q", "app.quit", "Quit", id="library.quit"),
    ]

    query_state: reactive[LibraryQuery] = reactive(LibraryQuery, init=False)

    def __init__(self, library: Library) -> None:
        super().__init__()
        self.library = library
        self._filter_timer: Timer | None = None
        self._count = 0

    def compose(self) -> ComposeResult:
        yield Static(id="library-status")
        yield LibraryTable(id="library-table")
        yield Input(placeholder="Filter titles, sources, sections (f)", id="quick-filter")
        yield Footer()

    def on_mount(self) -> None:
        sort = self.library.setting(SORT_SETTING, "date")
        query = LibraryQuery(sort=sort if sort in SORT_KEYS else "date")  # type: ignore[arg-type]
        self.set_reactive(LibraryScreen.query_state, query)
        table = self.query_one(LibraryTable)
        table.sort_key = query.sort
        # The first screenful is read right here, so the first paint shows rows.
        count = self.library.count(**query.filters())
        table.empty_message = self._empty_message(query)
        table.set_rows(self._fetcher(query), count)
        self._count = count
        self._show_status()
        table.focus()

    def on_screen_resume(self) -> None:
        """Back from an article: progress and markers may have changed."""
        self.query_one(LibraryTable).reload()

    @staticmethod
    def _empty_message(query: LibraryQuery) -> str:
        if query.filtered:
            return "Nothing matches these filters. Press escape to clear them."
        return "Your library is empty. Press i to import files, folders or URLs."

    # -- data --------------------------------------------------------------------------------
    def _fetcher(self, query: LibraryQuery):  # noqa: ANN202
        library = self.library

        def fetch(offset: int, limit: int) -> list[ArticleSummary]:
            return library.summaries(offset=offset, limit=limit, sort=query.sort, **query.filters())

        return fetch

    def watch_query_state(self, query: LibraryQuery) -> None:
        self.query_one(LibraryTable).sort_key = query.sort
        self._load(query)

    @work(thread=True, exclusive=True, group="library-rows")
    def _load(self, query: LibraryQuery) -> None:
        """Count the matching rows and read the first page off the UI thread."""
        fetch = self._fetcher(query)
        count = self.library.count(**query.filters())
        first = fetch(0, PAGE_SIZE) if count else []
        self.app.call_from_thread(self._loaded, query, fetch, count, first)

    def _loaded(self, query: LibraryQuery, fetch: Any, count: int, first: list) -> None:
        if query != self.query_state:
            return
        table = self.query_one(LibraryTable)
        current = table.current
        table.empty_message = self._empty_message(query)
        table.set_rows(fetch, count)
        table.prime(0, first)
        # Keep the cursor on the same article when it is still on the first page.
        if current is not None:
            for index, summary in enumerate(first):
                if summary.id == current.id:
                    table.cursor = index
                    break
        self._count = count
        self._show_status()

    def _show_status(self) -> None:
        query = self.query_state
        total = f"{self._count:,} article{'s' if self._count != 1 else ''}"
        parts = ["Margin", total, f"by {SORT_NAMES.get(query.sort, query.sort)}"]
        if query.filtered:
            parts.append(query.describe())
        width = max(10, self.size.width - 2)
        self.query_one("#library-status", Static).update(Content(crop(" · ".join(parts), width)))

    def reload(self) -> None:
        """Re-read the library (after an import)."""
        self._load(self.query_state)

    # -- events --------------------------------------------------------------------------------
    @on(LibraryTable.Selected)
    def open_selected(self, event: LibraryTable.Selected) -> None:
        """Open the chosen article."""
        from .article import ArticleScreen

        self.app.push_screen(
            ArticleScreen(self.library, event.summary.id, sort=self.query_state.sort)
        )

    @on(Input.Changed, "#quick-filter")
    def filter_changed(self, event: Input.Changed) -> None:
        """Narrow the list as the user types (after a short pause)."""
        if self._filter_timer is not None:
            self._filter_timer.stop()
        text = event.value.strip() or None
        self._filter_timer = self.set_timer(0.12, lambda: self._set_query(text=text))

    @on(Input.Submitted, "#quick-filter")
    def filter_submitted(self) -> None:
        """Enter in the filter line goes back to the table."""
        self.query_one(LibraryTable).focus()

    def _set_query(self, **changes: Any) -> None:
        self.query_state = replace(self.query_state, **changes)

    # -- actions ---------------------------------------------------------------------------------
    def action_search(self) -> None:
        """Full-text search."""
        self.app.action_search()  # type: ignore[attr-defined]

    def action_mark(self) -> None:
        """Mark the article under the cursor to compare it with another."""
        current = self.query_one(LibraryTable).current
        if current is not None:
            self.app.mark_for_compare(current.id)  # type: ignore[attr-defined]

    def action_compare(self) -> None:
        """Compare the marked article with the one under the cursor."""
        current = self.query_one(LibraryTable).current
        if current is None:
            return
        if not self.app.compare_with_mark(current.id):  # type: ignore[attr-defined]
            self.notify("Mark an article with m first, then press c on another.", timeout=3)

    def action_notes(self) -> None:
        """Every highlight and note."""
        from .notes import NotesScreen

        self.app.push_screen(NotesScreen(self.library))

    def action_feeds(self) -> None:
        """Feed subscriptions; choosing one shows its articles."""
        from .feeds import FeedsScreen

        def chosen(source: str | None) -> None:
            if source:
                self._set_query(source=source)
            else:
                self.reload()  # a refresh there may have added articles

        self.app.push_screen(FeedsScreen(self.library), chosen)

    def action_quick_filter(self) -> None:
        """Type to narrow the list."""
        self.query_one("#quick-filter", Input).focus()

    def action_toggle_unread(self) -> None:
        """Show only unread articles, or all."""
        self._set_query(unread=not self.query_state.unread)

    def action_cycle_sort(self) -> None:
        """Sort by date, title, source, last read in turn."""
        sort = self.query_state.sort
        following = (
            SORT_CYCLE[(SORT_CYCLE.index(sort) + 1) % len(SORT_CYCLE)]
            if (sort in SORT_CYCLE)
            else "date"
        )
        self.library.set_setting(SORT_SETTING, following)
        self._set_query(sort=following)

    def action_clear_filters(self) -> None:
        """Drop every filter (escape in the filter line returns to the table)."""
        box = self.query_one("#quick-filter", Input)
        if box.has_focus and not box.value:
            self.query_one(LibraryTable).focus()
            return
        box.value = ""
        if self._filter_timer is not None:
            self._filter_timer.stop()
        self.query_state = LibraryQuery(sort=self.query_state.sort)
        self.query_one(LibraryTable).focus()

    def action_filters(self) -> None:
        """Filter by source, section, tag, kind or unread."""
        from .filters import FilterScreen

        def chosen(result: LibraryQuery | None) -> None:
            if result is not None:
                self.query_state = replace(result, text=self.query_state.text)

        self.app.push_screen(FilterScreen(self.library, self.query_state), chosen)

    def action_import(self) -> None:
        """Import files, folders or URLs."""
        from .import_dialog import ImportScreen

        def finished(report: ImportReport | None) -> None:
            if report is not None:
                self.reload()

        self.app.push_screen(ImportScreen(self.library), finished)

    def on_resize(self) -> None:
        self._show_status()
