"""Feed subscriptions: unread counts per feed, refresh in the background, Enter filters by feed."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from store.library import Library
from store.models import Subscription

from ..widgets.text import one_line


def _checked(sub: Subscription) -> str:
    return (sub.checked_at or "never")[:16].replace("T", " ")


def _state(sub: Subscription) -> str:
    if sub.status == "error":
        return f"error: {sub.error or ''}"
    return {"unchanged": "not modified", "new": "not fetched yet"}.get(sub.status or "", "ok")


class FeedsScreen(Screen[str | None]):
    """Every subscription; dismisses with the chosen feed's title (the articles' source)."""

    DEFAULT_CSS = """
    FeedsScreen #feeds-status { dock: top; height: 1; padding: 0 1; }
    FeedsScreen DataTable { height: 1fr; }
    """
    BINDINGS: list[BindingType] = [
        Binding("escape", "back", "Back", id="feeds.back"),
        Binding("r", "refresh", "Refresh all", id="feeds.refresh"),
    ]

    def __init__(self, library: Library) -> None:
        super().__init__()
        self.library = library
        self.subs: list[Subscription] = []
        self.refreshing = False

    def compose(self) -> ComposeResult:
        yield Static(id="feeds-status")
        table: DataTable[Text] = DataTable(cursor_type="row", id="feeds-table")
        yield table
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Feed", "Unread", "Articles", "Checked", "State")
        table.focus()
        self._load()

    @work(thread=True, exclusive=True, group="feeds-load")
    def _load(self) -> None:
        subs = self.library.subscriptions()
        self.app.call_from_thread(self._loaded, subs)

    def _loaded(self, subs: list[Subscription]) -> None:
        self.subs = subs
        table = self.query_one(DataTable)
        table.clear()
        for sub in subs:
            name = Text(one_line(sub.title or sub.url)[:60])
            if sub.folder:
                name = Text(one_line(sub.folder)[:30] + "/ ", style="dim") + name
            # Text objects, never strings: a feed's title is not markup.
            table.add_row(
                name,
                Text(str(sub.unread), justify="right"),
                Text(str(sub.articles), justify="right"),
                Text(_checked(sub)),
                Text(one_line(_state(sub))[:50]),
            )
        if not self.refreshing:
            self._status(
                f"{len(subs)} feeds, {sum(s.unread for s in subs)} unread — r refreshes, "
                "Enter shows a feed's articles"
                if subs
                else "No subscriptions yet: margin feeds add URL"
            )

    def _status(self, text: str) -> None:
        self.query_one("#feeds-status", Static).update(Text(one_line(text)))

    def action_refresh(self) -> None:
        """Refresh every feed in the background (conditional requests)."""
        if self.refreshing or not self.subs:
            return
        self.refreshing = True
        self._status(f"Refreshing {len(self.subs)} feeds…")
        self._refresh(list(self.subs))

    @work(thread=True, exclusive=True, group="feeds-refresh")
    def _refresh(self, subs: list[Subscription]) -> None:
        from importers.subscriptions import RefreshResult, refresh_subscriptions

        def progress(done: int, total: int, result: RefreshResult) -> None:
            self.app.call_from_thread(self._status, f"[{done}/{total}] {result.summary()}")

        results = refresh_subscriptions(self.library, subs, progress=progress)
        added = sum(r.added for r in results)
        failed = sum(r.status == "error" for r in results)
        self.app.call_from_thread(self._refreshed, added, failed)

    def _refreshed(self, added: int, failed: int) -> None:
        self.refreshing = False
        summary = f"{added} new entries" + (f", {failed} feeds failed" if failed else "")
        self.notify(summary, severity="warning" if failed else "information", timeout=4)
        self._load()

    @on(DataTable.RowSelected)
    def _chosen(self, event: DataTable.RowSelected) -> None:
        if 0 <= event.cursor_row < len(self.subs):
            sub = self.subs[event.cursor_row]
            self.dismiss(sub.title or None)

    def action_back(self) -> None:
        """Back to the library."""
        self.dismiss(None)
