"""The library screen: every article in a virtual table, sorted and filtered."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.reactive import reactive
from textual.screen import ModalScreen, Screen
from textual.timer import Timer
from textual.widgets import Input, Static

from store.library import SORT_KEYS, Library, LibraryError, SortKey, now
from store.models import ArticleSummary

from ..widgets.footer import FitFooter
from ..widgets.library_table import PAGE_SIZE, LibraryTable
from ..widgets.text import crop, one_line

if TYPE_CHECKING:
    from importers import ImportReport

    from .article import ArticleScreen

SORT_CYCLE: tuple[SortKey, ...] = ("date", "title", "source", "read")
SORT_NAMES = {"date": "date", "title": "title", "source": "source", "read": "last read"}
SORT_SETTING = "ui.library.sort"
CURSOR_SETTING = "ui.library.cursor"
"""The article under the cursor and its row, ``"ID ROW"``, for the next start."""
POLL_SECONDS = 2.0
"""How often the library checks whether another process changed the file."""
CURSOR_SAVE_DELAY = 0.5
"""The cursor is remembered once it rests this long."""
FOOTER_KEYS_LATEST = 1.0
"""Seconds after mounting by which the footer shows its keys even if no rows were drawn."""


class LibraryFooter(FitFooter):
    """The library's footer, whose keys are built once the first rows are on screen.

    Building the library's dozen keys costs ~40 ms of the UI thread (each key widget is
    styled three times over as it mounts); built at start-up, they held the first frame,
    and so the first rows, back by as much. The footer's line is there from the first
    frame (the layout does not move); its keys follow in the next one.
    """

    _keys_wanted = False

    def bindings_changed(self, screen: Screen) -> None:
        if self._keys_wanted:
            super().bindings_changed(screen)

    def show_keys(self) -> None:
        """Build the keys now (and on every later change of the screen's bindings)."""
        if not self._keys_wanted:
            self._keys_wanted = True
            # From the footer's own message pump, as the screen's signal would call it
            # (the keys bind their data to the footer that is active).
            self.call_later(self._bindings_now)

    def _bindings_now(self) -> None:
        if self.is_attached:
            super().bindings_changed(self.screen)


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
    archived: bool | None = False
    """Hide the archived articles (False), show only them (True, ``A``), or both (None)."""

    def filters(self) -> dict[str, Any]:
        """The filter keywords (without the sort)."""
        return {
            "kind": self.kind,
            "source": self.source,
            "section": self.section,
            "tag": self.tag,
            "unread": self.unread,
            "text": self.text,
            "archived": self.archived,
        }

    @property
    def filtered(self) -> bool:
        """Whether any filter narrows the list."""
        return self.archived is None or any(value for value in self.filters().values())

    def describe(self) -> str:
        """The filters in words, e.g. ``source: BBC · unread · "rust"``."""
        archive = {True: ["archived"], None: ["archived too"]}
        parts = archive.get(self.archived, [])
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
        Binding(
            "r",
            "toggle_read",
            "Read/unread",
            show=False,
            tooltip="Mark the article read, or unread again",
            id="library.toggle_read",
        ),
        Binding(
            "a",
            "toggle_archive",
            "Archive",
            show=False,
            tooltip="Archive the article (it leaves the list), or bring it back",
            id="library.archive",
        ),
        Binding(
            "A",
            "show_archive",
            "Show archive",
            show=False,
            tooltip="Show the archived articles, or the library again",
            id="library.show_archive",
        ),
        Binding(
            "d,delete",
            "delete",
            "Delete…",
            show=False,
            tooltip="Delete the article (after asking; its notes are kept)",
            id="library.delete",
        ),
        Binding(
            "ctrl+r",
            "refresh",
            "Refresh",
            show=False,
            tooltip="Read the library again (it also refreshes by itself)",
            id="library.refresh",
        ),
        Binding("escape", "clear_filters", "Clear filters", show=False, id="library.clear"),
        Binding("q", "app.quit", "Quit", id="library.quit"),
    ]

    query_state: reactive[LibraryQuery] = reactive(LibraryQuery, init=False)

    def __init__(self, library: Library) -> None:
        super().__init__()
        self.library = library
        self._filter_timer: Timer | None = None
        self._cursor_timer: Timer | None = None
        self._counts = {"article": 0, "excerpt": 0}
        self._data_version: int | None = None
        self._reading: ArticleScreen | None = None
        """The article screen this screen opened, to come back to its article."""
        self._table: LibraryTable | None = None
        self._under_dialog = False
        self._left_at: str | None = None
        """When the screen was last covered (a reading position saved since is "just read")."""

    def compose(self) -> ComposeResult:
        yield Static(id="library-status")
        yield LibraryTable(id="library-table")
        yield Input(placeholder="Filter titles, sources, sections (f)", id="quick-filter")
        yield LibraryFooter()

    def on_mount(self) -> None:
        sort = self.library.setting(SORT_SETTING, "date")
        query = LibraryQuery(sort=sort if sort in SORT_KEYS else "date")  # type: ignore[arg-type]
        self.set_reactive(LibraryScreen.query_state, query)
        table = self._table = self.query_one(LibraryTable)
        table.sort_key = query.sort
        # The first screenful is read right here, so the first paint shows rows.
        counts = self.library.kind_counts(**query.filters())
        count = counts["article"] + counts["excerpt"]
        table.empty_message = self._empty_message(query)
        fetch = self._fetcher(query)
        table.set_rows(fetch, count)
        if count:
            table.prime(0, fetch(0, PAGE_SIZE))  # ~1 ms at 100k: no "…" rows, no worker
        self._counts = counts
        self._show_status()
        table.focus()
        self.set_timer(FOOTER_KEYS_LATEST, self._show_footer_keys)
        self._data_version = self.library.data_version()
        self.set_interval(POLL_SECONDS, self._poll)
        saved = self._saved_cursor()
        if saved is not None and count:
            # Back to where the cursor was when Margin last ran (found off the UI thread).
            self._load(query, keep=saved, fallback=0, thorough=True)

    @on(LibraryTable.Shown)
    def _show_footer_keys(self) -> None:
        self.query_one(LibraryFooter).show_keys()

    async def on_screen_resume(self) -> None:
        """Back from an article: its progress and markers may have changed, and the cursor
        goes to the article just read."""
        # The reader saves its position in a worker: wait for it, so the list (sorted by
        # last read, or unread only) and the article just read include it.
        for worker in list(self.app.workers):
            if worker.group == "save-position" and not worker.is_finished:
                with contextlib.suppress(Exception):  # the reader reports its own failures
                    await worker.wait()
        reading, self._reading = self._reading, None
        table = self.query_one(LibraryTable)
        if self._under_dialog:
            # A dialog changed nothing, or its answer reloads by itself (filters, import,
            # delete): a second load here would only cancel that one.
            self._under_dialog = False
            table.refresh()
            return
        article_id = reading.article_id if reading is not None else None
        left_at = self._left_at
        if left_at is not None:
            self._back_to(article_id, left_at)
        else:
            table.reload()

    def on_unmount(self) -> None:
        # Quitting: remember the cursor now (a worker could find the library closed).
        table = self._table
        current = table.peek(table.cursor) if table is not None else None
        if table is not None and current is not None:
            with contextlib.suppress(Exception):
                self.library.set_setting(CURSOR_SETTING, f"{current.id} {table.cursor}")

    def on_screen_suspend(self) -> None:
        self._under_dialog = isinstance(self.app.screen, ModalScreen)
        self._left_at = now()
        self._save_cursor()

    @staticmethod
    def _empty_message(query: LibraryQuery) -> str:
        if query.archived:
            return "No archived articles. Press A to see the library again."
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
        current = self.query_one(LibraryTable).peek(self.query_one(LibraryTable).cursor)
        self._load(query, keep=(current.id, 0) if current else None, fallback=0)

    @work(thread=True, exclusive=True, group="library-rows")
    def _load(
        self,
        query: LibraryQuery,
        keep: tuple[int, int] | None = None,
        fallback: int = 0,
        thorough: bool = False,
    ) -> None:
        """Count the matching rows and read the first page off the UI thread.

        :param keep: ``(article_id, row)``: put the cursor on that article, looked for
            near that row (and on the first page) first.
        :param fallback: the cursor's row when the article is not listed.
        :param thorough: look through the whole list when it is not near (slower).
        """
        fetch = self._fetcher(query)
        counts = self.library.kind_counts(**query.filters())
        count = counts["article"] + counts["excerpt"]
        pages: dict[int, list[ArticleSummary]] = {0: fetch(0, PAGE_SIZE)} if count else {}
        index = None
        if keep is not None and count:
            index = self._locate(query, fetch, pages, count, *keep, thorough=thorough)
        self.app.call_from_thread(self._loaded, query, fetch, counts, pages, index, fallback)

    def _locate(
        self,
        query: LibraryQuery,
        fetch: Any,
        pages: dict[int, list[ArticleSummary]],
        count: int,
        article_id: int,
        near: int,
        *,
        thorough: bool,
    ) -> int | None:
        """The row of ``article_id``: looked for on the first page, then (``thorough``)
        in the whole list; the page it is on is read too, so its row draws at once."""
        for position, summary in enumerate(pages.get(0, [])):
            if summary.id == article_id:
                return position
        if not thorough:
            return None
        if query.sort == "read":
            # Numbering the whole list costs ~0.5 s at 100k: try the pages around first.
            middle = min(max(near, 0), count - 1) // PAGE_SIZE
            for page in (middle, middle - 1, middle + 1):
                if page <= 0 or page * PAGE_SIZE >= count:
                    continue
                rows = pages[page] = fetch(page * PAGE_SIZE, PAGE_SIZE)
                for position, summary in enumerate(rows):
                    if summary.id == article_id:
                        return page * PAGE_SIZE + position
        # By date, title or source a count over the sort's index: milliseconds at 100k.
        index = self.library.index_of(article_id, sort=query.sort, **query.filters())
        if index is not None and index // PAGE_SIZE not in pages:
            page = index // PAGE_SIZE
            pages[page] = fetch(page * PAGE_SIZE, PAGE_SIZE)
        return index

    def _loaded(
        self,
        query: LibraryQuery,
        fetch: Any,
        counts: dict[str, int],
        pages: dict[int, list[ArticleSummary]],
        index: int | None,
        fallback: int,
    ) -> None:
        if query != self.query_state:
            return
        table = self.query_one(LibraryTable)
        count = counts["article"] + counts["excerpt"]
        table.empty_message = self._empty_message(query)
        table.set_rows(fetch, count, cursor=index if index is not None else fallback)
        for page, rows in pages.items():
            table.prime(page, rows)
        self._counts = counts
        self._show_status()
        self._save_cursor_soon()

    def _show_status(self) -> None:
        query = self.query_state
        articles, excerpts = self._counts["article"], self._counts["excerpt"]
        # Articles and excerpts apart, as ``margin stats`` counts them.
        parts = ["Margin", f"{articles:,} article{'s' if articles != 1 else ''}"]
        if excerpts:
            parts.append(f"{excerpts:,} excerpt{'s' if excerpts != 1 else ''}")
        parts.append(f"by {SORT_NAMES.get(query.sort, query.sort)}")
        if query.filtered:
            parts.append(query.describe())
        width = max(10, self.size.width - 2)
        self.query_one("#library-status", Static).update(Content(crop(" · ".join(parts), width)))

    def reload(self) -> None:
        """Re-read the library (after an import), the cursor staying on its article."""
        self.refresh_rows()

    def refresh_rows(self, article_id: int | None = None) -> None:
        """Count and read the rows again, the cursor kept on ``article_id`` (default: the
        article under it), or on the same row when that article has left the list."""
        table = self.query_one(LibraryTable)
        current = table.peek(table.cursor)
        keep_id = article_id if article_id is not None else (current.id if current else None)
        keep = (keep_id, table.cursor) if keep_id is not None else None
        self._load(self.query_state, keep=keep, fallback=table.cursor, thorough=True)

    @work(thread=True, exclusive=True, group="library-back")
    def _back_to(self, article_id: int | None, left_at: str) -> None:
        """Reload with the cursor on the article just read (if one was)."""
        # The article screen opened from here knows; else (a search, the quick jump) the
        # position saved last since the screen was left tells.
        target = article_id if article_id is not None else self.library.last_read_since(left_at)
        self.app.call_from_thread(self.refresh_rows, target)

    # -- watching the file ---------------------------------------------------------------------
    def _poll(self) -> None:
        """Every few seconds: has another process (``margin import``, say) changed the file?"""
        if self.is_current:
            self._check_data_version()

    @work(thread=True, exclusive=True, group="library-poll", exit_on_error=False)
    def _check_data_version(self) -> None:
        # PRAGMA data_version moves only when another connection commits: no file is read.
        version = self.library.data_version()
        if version != self._data_version:
            self._data_version = version
            self.app.call_from_thread(self.refresh_rows)

    # -- the cursor across restarts ------------------------------------------------------------
    def _saved_cursor(self) -> tuple[int, int] | None:
        value = self.library.setting(CURSOR_SETTING)
        try:
            article_id, row = (int(part) for part in (value or "").split())
        except ValueError:
            return None
        return article_id, row

    @on(LibraryTable.Highlighted)
    def _cursor_moved(self) -> None:
        self._save_cursor_soon()

    def _save_cursor_soon(self) -> None:
        if self._cursor_timer is not None:
            self._cursor_timer.stop()
        self._cursor_timer = self.set_timer(CURSOR_SAVE_DELAY, self._save_cursor)

    def _save_cursor(self) -> None:
        """Remember the article under the cursor and its row (setting ``ui.library.cursor``)."""
        if self._cursor_timer is not None:
            self._cursor_timer.stop()
            self._cursor_timer = None
        table = self.query_one(LibraryTable)
        current = table.peek(table.cursor)
        if current is None:
            return
        value = f"{current.id} {table.cursor}"
        library = self.library
        self.app.run_worker(
            lambda: library.set_setting(CURSOR_SETTING, value),
            thread=True,
            group="settings",
            exit_on_error=False,
        )

    # -- events --------------------------------------------------------------------------------
    @on(LibraryTable.Selected)
    def open_selected(self, event: LibraryTable.Selected) -> None:
        """Open the chosen article."""
        query = self.query_state
        self._reading = self.app.article_screen(  # type: ignore[attr-defined]
            event.summary.id,
            sort=query.sort,
            filters=query.filters(),
            row=self.query_one(LibraryTable).cursor,
        )
        self.app.push_screen(self._reading)

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
    def _current(self) -> ArticleSummary | None:
        table = self.query_one(LibraryTable)
        return table.peek(table.cursor)

    def action_refresh(self) -> None:
        """Read the library again, the cursor staying on its article."""
        self.refresh_rows()
        self.notify("Refreshed.", timeout=1.5)

    def action_toggle_read(self) -> None:
        """Mark the article under the cursor read, or unread when it was read."""
        current = self._current()
        if current is not None:
            self._set_read(
                current.id, not (current.finished or current.progress >= 0.999), current.title
            )

    @work(thread=True, group="library-actions")
    def _set_read(self, article_id: int, read: bool, title: str) -> None:
        self._act(lambda: self.library.mark_read(article_id, read))
        self.app.call_from_thread(self.refresh_rows, article_id)
        label = "read" if read else "unread"
        self.app.call_from_thread(
            self.notify, Content(f"Marked {label}: ") + Content(one_line(title)), timeout=2
        )

    def action_toggle_archive(self) -> None:
        """Archive the article under the cursor (it leaves the list), or bring it back."""
        current = self._current()
        if current is not None:
            self._set_archived(current.id, not current.archived, current.title)

    @work(thread=True, group="library-actions")
    def _set_archived(self, article_id: int, archived: bool, title: str) -> None:
        self._act(lambda: self.library.archive(article_id, archived))
        self.app.call_from_thread(self.refresh_rows, article_id)
        said = "Archived (A shows the archive): " if archived else "Back in the library: "
        self.app.call_from_thread(self.notify, Content(said) + Content(one_line(title)), timeout=3)

    def action_show_archive(self) -> None:
        """Show the archived articles, or the library again."""
        self._set_query(archived=self.query_state.archived is not True)

    def action_delete(self) -> None:
        """Delete the article under the cursor, after asking (its notes are kept)."""
        current = self._current()
        if current is not None:
            self._ask_delete(current)

    @work(thread=True, exclusive=True, group="library-delete")
    def _ask_delete(self, summary: ArticleSummary) -> None:
        attached = self.library.annotation_count(summary.id)
        self.app.call_from_thread(self._confirm_delete, summary, attached)

    def _confirm_delete(self, summary: ArticleSummary, attached: int) -> None:
        from .confirm import ConfirmScreen

        if attached:
            what = "note or bookmark is" if attached == 1 else f"{attached} notes and bookmarks are"
            detail = f"Its {what} kept, detached: N (Notes) still lists them."
        else:
            detail = "It has no notes or bookmarks. This cannot be undone."

        def answered(yes: bool | None) -> None:
            if yes:
                self._delete(summary.id, summary.title, attached)

        self.app.push_screen(
            ConfirmScreen("Delete this article?", one_line(summary.title), detail), answered
        )

    @work(thread=True, group="library-actions")
    def _delete(self, article_id: int, title: str, attached: int) -> None:
        # Notes and bookmarks are never deleted with an article: they stay detached.
        self._act(lambda: self.library.delete(article_id, keep_annotations=True))
        self.app.call_from_thread(self.refresh_rows)
        kept = f" ({attached} kept, detached)" if attached else ""
        self.app.call_from_thread(
            self.notify, Content("Deleted: ") + Content(one_line(title) + kept), timeout=3
        )

    def _act(self, change: Any) -> None:
        """Run a change of the store in a worker; a failure is said, not raised."""
        try:
            change()
        except LibraryError as error:
            self.app.call_from_thread(self.notify, Content(str(error)), severity="error", timeout=4)

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
        """Filter by source, section, tag, kind, archive or unread."""
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
