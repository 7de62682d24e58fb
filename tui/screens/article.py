"""The article screen: one article for reading, with find, contents, links and position."""

from __future__ import annotations

import contextlib
import webbrowser
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Input, Static

from store.document import Document, parse_markdown
from store.library import Library, LibraryError, SortKey
from store.models import COLORS

from ..widgets.article_view import MAX_MEASURE, MIN_MEASURE, ArticleView, HeaderLine
from ..widgets.library_table import reading_minutes
from ..widgets.text import crop, one_line

if TYPE_CHECKING:
    from store.models import Article, Note

SAVE_DELAY = 0.8
"""Seconds of stillness before the reading position is written."""
MEASURE_STEP = 4


def open_in_browser(url: str) -> None:
    """Open ``url`` in the user's browser (tests replace this)."""
    webbrowser.open(url)


def byline(article: Article) -> str:
    """Author, source, section, date and length on one line."""
    parts = [
        article.author,
        article.source,
        article.section,
        (article.published or "")[:10] or None,
        f"{article.word_count:,} words · {reading_minutes(article.word_count)} min read",
    ]
    return " · ".join(one_line(part) for part in parts if part)


class ArticleScreen(Screen[None]):
    """Read one article."""

    BINDINGS: list[BindingType] = [
        Binding("q,escape", "back", "Back", id="article.back"),
        Binding(
            "left_square_bracket",
            "heading(-1)",
            "Prev heading",
            show=False,
            id="article.previous_heading",
        ),
        Binding(
            "right_square_bracket",
            "heading(1)",
            "Next heading",
            show=False,
            id="article.next_heading",
        ),
        Binding("t", "contents", "Contents", id="article.contents"),
        Binding("slash", "find", "Find", id="article.find"),
        Binding("n", "hit(1)", "Next hit", show=False, id="article.next_hit"),
        Binding("N", "hit(-1)", "Prev hit", show=False, id="article.previous_hit"),
        Binding("o", "links", "Links", id="article.links"),
        Binding("r", "related", "Related", show=False, id="article.related"),
        Binding("y", "copy", "Copy", id="article.copy"),
        Binding("less_than_sign", "measure(-1)", "Narrower", show=False, id="article.narrower"),
        Binding("greater_than_sign", "measure(1)", "Wider", show=False, id="article.wider"),
        Binding("h", "highlight(0)", "Highlight", id="article.highlight"),
        *(
            Binding(
                str(number),
                f"highlight({number - 1})",
                f"Highlight {color}",
                show=False,
                id=f"article.highlight_{color}",
            )
            for number, color in enumerate(COLORS, start=1)
        ),
        Binding("a", "annotate", "Note", id="article.note"),
        Binding("B", "bookmark", "Bookmark", id="article.bookmark"),
        Binding("b", "bookmark_passage", "Mark place", show=False, id="article.bookmark_passage"),
        Binding("T", "tag", "Tags", show=False, id="article.tags"),
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
    ) -> None:
        """
        :param terms: find these and scroll to the first hit.
        :param at: a plain-text offset to open at instead of the saved position.
        """
        super().__init__()
        self.library = library
        self.article_id = article_id
        self.article: Article | None = None
        self.document = Document()
        self.terms = terms
        self.sort = sort
        self.at = at
        self._save_timer: Timer | None = None
        self._dirty = False
        self._finished = False

    def compose(self) -> ComposeResult:
        yield ArticleView(id="article-view")
        yield Input(placeholder="Find in article (enter: done, n/N: next/previous)", id="find")
        yield Static(id="article-status")
        yield Footer()

    def on_mount(self) -> None:
        view = self.query_one(ArticleView)
        measure = self.library.setting("ui.measure")
        config = getattr(self.app, "config", None)
        default = getattr(config, "measure", 80)
        view.measure = int(measure) if measure and measure.isdigit() else default
        self.query_one("#find").display = False
        self.load(self.article_id, self.terms, at=self.at)
        view.focus()

    @property
    def view(self) -> ArticleView:
        """The reading view."""
        return self.query_one(ArticleView)

    # -- loading -------------------------------------------------------------------------------
    def load(self, article_id: int, terms: tuple[str, ...] = (), *, at: int | None = None) -> None:
        """Show article ``article_id`` at its saved position, at plain-text offset ``at``,
        or at its first hit of ``terms``."""
        if self.article is not None:
            self.save_position()
        article = self.library.get(article_id)
        if article is None:
            self.notify(f"No article {article_id}.", severity="error")
            return
        self.article_id = article_id
        self.article = article
        self.terms = terms
        self.document = parse_markdown(article.body_markdown)
        header = [HeaderLine(article.title, "title"), HeaderLine(byline(article), "meta")]
        position = self.library.position(article_id)
        self._finished = bool(position and position.finished)
        self._dirty = False
        view = self.view
        target = self.document.block_at(at) if at is not None else None
        if target is not None and at is not None:
            index = self.document.blocks.index(target)
            view.set_document(self.document, header, block=index, offset=max(0, at - target.start))
        elif position is not None and not terms:
            view.set_document(
                self.document, header, block=position.paragraph, offset=position.offset
            )
        else:
            view.set_document(self.document, header)
        if terms:
            if view.highlight(terms):
                if target is None:
                    view.goto_hit(0)
            else:
                self.notify("No matches in this article.", severity="information")
        self.sub_title = article.title
        self._show_status()
        self._load_notes(article_id)

    # -- highlights and bookmarks ----------------------------------------------------------------
    @work(thread=True, exclusive=True, group="article-notes")
    def _load_notes(self, article_id: int) -> None:
        notes = self.library.notes(article_id)
        self.app.call_from_thread(self._show_notes, article_id, notes)

    def _show_notes(self, article_id: int, notes: list[Note]) -> None:
        """Draw each colour's highlights as a layer of the view."""
        if article_id != self.article_id:
            return
        by_color: dict[str, list[tuple[int, int, int]]] = {color: [] for color in COLORS}
        for note in notes:
            if note.start is not None and note.end is not None:
                spans = self.document.block_spans(note.start, note.end)
                by_color.setdefault(note.color, []).extend(spans)
        for color, spans in by_color.items():
            self.view.set_layer(f"highlight-{color}", spans, f"highlight-{color}")

    def _selected_range(self, key: str) -> tuple[int, int] | None:
        """The selection as a plain-text range, or None after telling the user why."""
        selected = self.get_selected_text()
        if not selected or not selected.strip():
            self.notify(f"Select a passage first (drag over it), then press {key}.", timeout=3)
            return None
        top, _ = self.view.top_block
        near = self.document.blocks[top].start if 0 <= top < len(self.document.blocks) else 0
        found = self.document.find_passage(selected, near)
        if found is None:
            self.notify("That selection is not in the article's text.", severity="warning")
            return None
        self.clear_selection()
        return found

    def action_highlight(self, color: int) -> None:
        """Highlight the selected passage in colour number ``color``."""
        found = self._selected_range("h")
        if found is not None:
            self._add_note(self.article_id, *found, COLORS[color % len(COLORS)])

    def action_annotate(self) -> None:
        """Write a note on the selected passage."""
        found = self._selected_range("a")
        if found is not None:
            self._open_editor(self.article_id, *found)

    @work(thread=True, group="article-notes-editor")
    def _open_editor(self, article_id: int, start: int, end: int) -> None:
        from .note_editor import NoteEditor

        key = f"new:{article_id}:{start}:{end}"
        kept = self.library.draft(key) or ""
        quote = self.document.text[start:end]

        def saved(text: str | None) -> None:
            if text is not None and text.strip():
                self._add_note(article_id, start, end, COLORS[0], text, key)

        editor = NoteEditor(self.library, key, quote, kept)
        self.app.call_from_thread(self.app.push_screen, editor, saved)

    @work(thread=True, group="article-write")
    def _add_note(
        self, article_id: int, start: int, end: int, color: str, body: str = "", draft: str = ""
    ) -> None:
        try:
            self.library.add_note(article_id, start, end, color=color, body=body)
            if draft:
                self.library.drop_draft(draft)
        except LibraryError as error:
            self.app.call_from_thread(self.notify, f"Not saved: {error}", severity="error")
            return
        if body:
            self.app.call_from_thread(self.notify, "Note saved.", timeout=2)
        self.app.call_from_thread(self._load_notes, article_id)

    def action_tag(self) -> None:
        """Edit the article's tags."""
        from .tag_dialog import TagDialog

        if self.article is None:
            return

        def tagged(tags: list[str] | None) -> None:
            if tags is not None:
                self.notify("Tags: " + (", ".join(tags) or "none"), timeout=2, markup=False)

        self.app.push_screen(TagDialog(self.library, self.article_id, self.article.title), tagged)

    def action_bookmark_passage(self) -> None:
        """Bookmark the passage at the top of the screen: a place to come back to."""
        top, offset = self.view.top_block
        if not 0 <= top < len(self.document.blocks):
            top, offset = 0, 0
        if not self.document.blocks:
            return
        self._add_place(self.article_id, self.document.blocks[top].start + offset)

    @work(thread=True, group="article-write")
    def _add_place(self, article_id: int, offset: int) -> None:
        self.library.add_bookmark(article_id, offset=offset)
        self.app.call_from_thread(self.notify, "Place bookmarked.", timeout=2)

    def action_bookmark(self) -> None:
        """Bookmark the article, or take its bookmark off."""
        self._toggle_bookmark(self.article_id)

    @work(thread=True, group="article-write")
    def _toggle_bookmark(self, article_id: int) -> None:
        if self.library.unbookmark(article_id):
            message = "Bookmark removed."
        else:
            self.library.add_bookmark(article_id)
            message = "Bookmarked."
        self.app.call_from_thread(self.notify, message, timeout=2)

    # -- position --------------------------------------------------------------------------------
    @on(ArticleView.Moved)
    def moved(self) -> None:
        """Remember the position once the reader pauses."""
        self._dirty = True
        self._show_status()
        if self._save_timer is not None:
            self._save_timer.stop()
        self._save_timer = self.set_timer(SAVE_DELAY, self.save_position)

    def save_position(self) -> None:
        """Write the reading position (by block and offset) now."""
        if self._save_timer is not None:
            self._save_timer.stop()
            self._save_timer = None
        if self.article is None or not self._dirty:
            return
        view = self.view
        block, offset = view.top_block
        finished = view.at_end and view.virtual_size.height > 0
        self._finished = self._finished or finished
        self.library.save_position(self.article_id, block, offset, view.progress, finished=finished)
        self._dirty = False

    def on_screen_suspend(self) -> None:
        self.save_position()

    def on_unmount(self) -> None:
        with contextlib.suppress(Exception):  # the view may be gone already
            self.save_position()

    def _show_status(self) -> None:
        view = self.view
        parts = [f"{int(view.progress * 100)}%"]
        if self._finished or view.at_end:
            parts.append("read ✓")
        hits = view.hits
        if hits:
            current = view.current_hit
            parts.append(f"hit {current + 1}/{len(hits)}" if current >= 0 else f"{len(hits)} hits")
        block, _ = view.top_block
        heading = next((h for h in reversed(self.document.headings) if h.index <= block), None)
        if heading is not None:
            parts.append(one_line(heading.text))
        width = max(10, self.size.width - 2)
        self.query_one("#article-status", Static).update(Content(crop(" · ".join(parts), width)))

    # -- actions -----------------------------------------------------------------------------------
    def action_back(self) -> None:
        """Close the find line, or go back to the library."""
        find = self.query_one("#find", Input)
        if find.display:
            find.display = False
            self.view.focus()
            return
        self.save_position()
        self.dismiss()

    def action_heading(self, direction: int) -> None:
        """Jump to the next or previous heading."""
        heading = self.view.heading_near(direction > 0)
        if heading is None:
            self.notify("No more headings.", timeout=1.5)
            return
        self.view.scroll_to_block(heading.index)

    def action_contents(self) -> None:
        """Pick a heading from the table of contents."""
        from .pickers import PickerScreen

        headings = self.document.headings
        if not headings:
            self.notify("This article has no headings.", timeout=2)
            return
        top, _ = self.view.top_block
        current = max((n for n, h in enumerate(headings) if h.index <= top), default=0)
        items = [("  " * (h.level - 1) + one_line(h.text), h.index) for h in headings]

        def chosen(result: tuple[str, int] | None) -> None:
            if result is not None:
                self.view.scroll_to_block(result[1])

        self.app.push_screen(PickerScreen("Contents", items, highlight=current), chosen)

    def action_find(self) -> None:
        """Find in the article; hits are highlighted as you type."""
        find = self.query_one("#find", Input)
        find.display = True
        find.focus()

    @on(Input.Changed, "#find")
    def find_changed(self, event: Input.Changed) -> None:
        """Highlight as the user types and show the first hit from here on."""
        terms = (event.value,) if event.value.strip() else ()
        self.terms = terms
        if self.view.highlight(terms):
            self.view.next_hit()
        self._show_status()

    @on(Input.Submitted, "#find")
    def find_submitted(self) -> None:
        """Enter: keep the hits, back to reading (n/N cycle them)."""
        find = self.query_one("#find", Input)
        find.display = False
        self.view.focus()
        if self.terms and not self.view.hits:
            self.notify("Not found.", timeout=2)

    def action_hit(self, direction: int) -> None:
        """Go to the next or previous hit."""
        if self.view.next_hit(direction > 0) is None:
            self.notify("No hits (/ to find).", timeout=1.5)
        self._show_status()

    def action_related(self) -> None:
        """Articles sharing this one's most distinctive terms; enter opens one."""
        from .search import related_screen

        self.app.push_screen(
            related_screen(self.library, self.article_id),
            self.app.open_request,  # type: ignore[attr-defined]
        )

    def action_links(self) -> None:
        """List the article's links: enter opens one, y copies it."""
        from .pickers import PickerScreen

        links = self.document.links
        if not links:
            self.notify("This article has no links.", timeout=2)
            return
        visible = self.view.visible_blocks()
        start = next((n for n, link in enumerate(links) if link.block >= visible.start), 0)
        items = [
            (f"{crop(one_line(link.text), 40)}  →  {one_line(link.href)}", link.href)
            for link in links
        ]

        def chosen(result: tuple[str, str] | None) -> None:
            if result is None:
                return
            action, href = result
            if action == "copy":
                self._copy(href, "link")
            else:
                self.open_link(href)

        self.app.push_screen(PickerScreen("Links", items, highlight=start, copyable=True), chosen)

    def open_link(self, href: str) -> None:
        """Open a link in the browser."""
        open_in_browser(href)
        self.notify(crop(one_line(href), 80), title="Opening", timeout=2)

    @on(ArticleView.LinkClicked)
    def link_clicked(self, event: ArticleView.LinkClicked) -> None:
        """Clicking a link opens it."""
        self.open_link(event.href)

    def action_copy(self) -> None:
        """Copy the selection, else the first link on screen, else the article's URL."""
        selected = self.get_selected_text()
        if selected:
            self._copy(selected, "selection")
            return
        visible = self.view.visible_blocks()
        for link in self.document.links:
            if link.block in visible:
                self._copy(link.href, "link")
                return
        if self.article is not None and self.article.url:
            self._copy(self.article.url, "article URL")
            return
        self.notify("Nothing to copy.", timeout=2)

    def _copy(self, text: str, what: str) -> None:
        self.app.copy_to_clipboard(text)
        self.notify(crop(one_line(text), 80), title=f"Copied {what}", timeout=2)

    def action_measure(self, direction: int) -> None:
        """Make the text column narrower or wider."""
        view = self.view
        view.measure = max(MIN_MEASURE, min(MAX_MEASURE, view.measure + direction * MEASURE_STEP))
        self.library.set_setting("ui.measure", str(view.measure))
        self.notify(f"Text width {view.measure}", timeout=1)

    def action_neighbour(self, direction: int) -> None:
        """Open the next or previous article in the library's order."""
        self._find_neighbour(self.article_id, direction)

    @work(thread=True, exclusive=True, group="neighbour")
    def _find_neighbour(self, article_id: int, direction: int) -> None:
        before, after = self.library.neighbours(article_id, self.sort)
        target = after if direction > 0 else before
        self.app.call_from_thread(self._open_neighbour, target, direction)

    def _open_neighbour(self, target: int | None, direction: int) -> None:
        if target is None:
            self.notify("No more articles that way.", timeout=2)
            return
        self.load(target)
