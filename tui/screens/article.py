"""The article screen: one reader pane, plus going back and to neighbouring articles."""

from __future__ import annotations

import webbrowser
from typing import Any

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen

from store.library import Library, SortKey

from ..widgets.article_view import ArticleView
from ..widgets.footer import FitFooter
from ..widgets.reader_pane import ReaderPane, byline
from ..widgets.text import one_line

__all__ = ["ArticleScreen", "byline", "open_in_browser"]


def open_in_browser(url: str) -> None:
    """Open ``url`` in the user's browser (tests replace this)."""
    webbrowser.open(url)


class ArticleScreen(Screen[None]):
    """Read one article."""

    BINDINGS: list[BindingType] = [
        Binding("q,escape", "back", "Back", id="article.back"),
        Binding("r", "related", "Related", show=False, id="article.related"),
        Binding("c", "compare", "Compare", id="article.compare"),
        Binding("m", "mark", "Mark to compare", show=False, id="article.mark"),
        Binding("V", "previous_version", "Changes", show=False, id="article.previous_version"),
        Binding("alt+n", "neighbour(1)", "Next article", show=False, id="article.next_article"),
        Binding(
            "alt+p", "neighbour(-1)", "Prev article", show=False, id="article.previous_article"
        ),
    ]

    def __init__(
        self,
        library: Library,
        article_id: int,
        terms: tuple[str, ...] = (),
        *,
        sort: SortKey = "date",
        at: int | None = None,
        order: list[int] | None = None,
        note: int | None = None,
        filters: dict[str, Any] | None = None,
        row: int | None = None,
    ) -> None:
        """
        :param terms: find these and scroll to the first hit.
        :param at: a plain-text offset to open at instead of the saved position.
        :param note: the id of a note or highlight to open at, shown as the current one.
        :param order: the list the article was chosen from (search results, say), which
            alt+n and alt+p follow; None follows the library in ``sort`` order.
        :param filters: the library's filters (``LibraryQuery.filters()``) as shown when
            the article was opened; None is the default view (the archive hidden).
        :param row: the article's row in that list, to go on from if it leaves the list.
        """
        super().__init__()
        self.library = library
        self._aim(article_id, terms, sort, at, order, note, filters, row)
        self._css_seen = -1
        """The app's count of CSS changes when the screen was last left."""

    def compose(self) -> ComposeResult:
        yield ReaderPane(self.library, id="reader")
        yield FitFooter()

    def on_mount(self) -> None:
        self.load(self.article_id, self.terms, at=self.at, note=self.note)
        self.view.focus()

    def reopen(
        self,
        article_id: int,
        terms: tuple[str, ...] = (),
        *,
        sort: SortKey = "date",
        at: int | None = None,
        order: list[int] | None = None,
        note: int | None = None,
        filters: dict[str, Any] | None = None,
        row: int | None = None,
    ) -> None:
        """Make this screen, off the stack, open ``article_id`` as a new one would
        (the arguments are the constructor's); it loads now when already mounted."""
        self._aim(article_id, terms, sort, at, order, note, filters, row)
        if not self.is_mounted:
            return  # on_mount loads it
        self._clear()
        self.load(article_id, terms, at=at, note=note)
        self.view.focus()

    def _aim(
        self,
        article_id: int,
        terms: tuple[str, ...],
        sort: SortKey,
        at: int | None,
        order: list[int] | None,
        note: int | None,
        filters: dict[str, Any] | None,
        row: int | None,
    ) -> None:
        """Remember what to open and where it came from (the constructor's arguments)."""
        self.article_id, self.terms, self.sort, self.at = article_id, terms, sort, at
        self.order, self.note, self.filters, self.row = order, note, filters, row

    def _clear(self) -> None:
        """Show nothing (a kept screen between opens): no article to act on."""
        pane = self.pane
        pane.close_find()
        if pane.article is not None:
            # The footer keeps the keys of the article until the next one is shown:
            # an article's keys are the same from one to the next, and laying them out
            # again for the empty pane, then again for the article, would cost two
            # footers' worth of new widgets per open.
            self.query_one(FitFooter).hold()
            pane.show_text("", "")
        self.sub_title = ""

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        # Textual restyles every widget of a screen coming back, to catch up with CSS
        # changed while it was away. A theme change restyles every mounted screen
        # (this one too, off the stack) and is counted; nothing else is missed, so a
        # screen kept between opens skips the ~20 ms unless the count moved.
        if self._css_seen == self.app._css_update_count:
            event.refresh_styles = False

    @property
    def pane(self) -> ReaderPane:
        """The reader pane."""
        return self.query_one(ReaderPane)

    @property
    def view(self) -> ArticleView:
        """The reading view."""
        return self.pane.view

    @property
    def document(self):  # noqa: ANN201 - the pane's Document
        """The document shown."""
        return self.pane.document

    @property
    def article(self):  # noqa: ANN201 - the pane's Article or None
        """The article shown, once loaded."""
        return self.pane.article

    def load(
        self,
        article_id: int,
        terms: tuple[str, ...] = (),
        *,
        at: int | None = None,
        note: int | None = None,
    ) -> None:
        """Show article ``article_id`` (see ``ReaderPane.load``)."""
        self.article_id = article_id
        self.pane.load(article_id, terms, at=at, note=note)

    @on(ReaderPane.Loaded)
    def loaded(self, event: ReaderPane.Loaded) -> None:
        """Title the screen after the article."""
        if event.pane.article is not None:
            self.sub_title = event.pane.article.title
            self.query_one(FitFooter).release()

    @on(ReaderPane.Failed)
    def failed(self, event: ReaderPane.Failed) -> None:
        """Nothing to show: the footer gives up the last article's keys."""
        self.sub_title = ""
        self.query_one(FitFooter).release()

    def save_position(self) -> None:
        """Write the reading position now."""
        self.pane.save_position()

    def on_screen_suspend(self) -> None:
        self._css_seen = self.app._css_update_count
        self.save_position()

    def action_back(self) -> None:
        """Leave visual mode, close the find line, or go back to the library."""
        pane = self.pane
        if pane.visual is not None:
            pane.action_visual_cancel()
            return
        if pane.close_find():
            return
        self.save_position()
        if self.app.is_screen_installed(self):
            # Kept for the next open: drop the article now, so nothing of it (a timer
            # marking it read, say) goes on while the screen is off the stack.
            self._clear()
        self.dismiss()

    def action_related(self) -> None:
        """Articles sharing this one's most distinctive terms; enter opens one."""
        from .search import related_screen

        self.app.push_screen(
            related_screen(self.library, self.article_id),
            self.app.open_request,  # type: ignore[attr-defined]
        )

    def action_mark(self) -> None:
        """Mark this article to compare it with another."""
        self.app.mark_for_compare(self.article_id)  # type: ignore[attr-defined]

    def action_compare(self) -> None:
        """Compare with the marked article, else pick one of its versions or related articles."""
        if self.app.compare_with_mark(self.article_id):  # type: ignore[attr-defined]
            return
        self._compare_choices(self.article_id)

    @work(thread=True, exclusive=True, group="compare-choices")
    def _compare_choices(self, article_id: int) -> None:
        versions = self.library.versions(article_id)
        related = self.library.related(article_id, limit=8)
        items: list[tuple[str, tuple[int, int | None, int | None]]] = [
            (
                f"Version {v.number} (replaced {v.replaced_at[:10]}) → the text now",
                (article_id, None, v.number),
            )
            for v in reversed(versions)
        ]
        items += [(f"{one_line(hit.title)}", (article_id, hit.id, None)) for hit in related]
        self.app.call_from_thread(self._pick_comparison, items)

    def _pick_comparison(self, items: list[tuple[str, tuple[int, int | None, int | None]]]) -> None:
        from .pickers import PickerScreen

        if not items:
            self.notify(
                "No versions or related articles. Mark one with m in the library, then c here.",
                timeout=3,
            )
            return

        def chosen(result: tuple[str, tuple[int, int | None, int | None]] | None) -> None:
            if result is not None:
                self.app.compare(*result[1])  # type: ignore[attr-defined]

        self.app.push_screen(PickerScreen("Compare with", items), chosen)

    def action_previous_version(self) -> None:
        """Compare the previous version of this article with its text now."""
        self._previous_version(self.article_id)

    @work(thread=True, exclusive=True, group="compare-choices")
    def _previous_version(self, article_id: int) -> None:
        count = self.library.version_count(article_id)
        if not count:
            self.app.call_from_thread(self.notify, "This article has no earlier versions.")
            return
        self.app.call_from_thread(self.app.compare, article_id, None, count)  # type: ignore[attr-defined]

    def action_neighbour(self, direction: int) -> None:
        """Open the next or previous article of the list this one was opened from."""
        if self.order is not None:
            at = self.order.index(self.article_id) if self.article_id in self.order else -1
            index = at + direction
            target = self.order[index] if at >= 0 and 0 <= index < len(self.order) else None
            self._open_neighbour(target)
            return
        self._find_neighbour(self.article_id, direction)

    @work(thread=True, exclusive=True, group="neighbour")
    def _find_neighbour(self, article_id: int, direction: int) -> None:
        # The library as the user sees it: its sort and filters (the archive hidden, unless
        # the archive view was on), paged by the store like the table.
        filters = self.filters or {}
        index = self.library.index_of(article_id, sort=self.sort, **filters)
        if index is None and self.row is None:
            before, after = self.library.neighbours(article_id, self.sort)
            self.app.call_from_thread(self._open_neighbour, after if direction > 0 else before)
            return
        if index is None:
            # It has left the list (read while "unread only", say): its row now holds the
            # next one, the row above the one before.
            index = self.row - (1 if direction > 0 else 0)  # type: ignore[operator]
        target = index + direction
        found = (
            self.library.summaries(offset=target, limit=1, sort=self.sort, **filters)
            if target >= 0
            else []
        )
        self.app.call_from_thread(
            self._open_neighbour, found[0].id if found else None, target if found else None
        )

    def _open_neighbour(self, target: int | None, row: int | None = None) -> None:
        if target is None:
            self.notify("No more articles that way.", timeout=2)
            return
        if row is not None:
            self.row = row
        self.load(target, self.terms if self.order is not None else ())
