"""Full-text search: results live as you type, history, corrections; related articles.

``SearchScreen(library, query="")`` dismisses with an ``OpenRequest`` (the article
and the words to highlight) or ``None``. ``related_screen(library, article_id)``
returns a screen of articles like one article, dismissing the same way.

Untrusted titles and snippets are rendered as rich ``Text`` with styles, never
markup, with control characters made visible.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from store.library import Library
from store.models import HIT_END, HIT_START, SearchHit

from ..messages import OpenRequest
from ..widgets.article_view import term_pattern
from ..widgets.footer import FitFooter
from ..widgets.text import crop, one_line

if TYPE_CHECKING:
    from store.search import SearchResults

HIT_STYLE = "bold reverse"
TITLE_STYLE = "bold"
META_STYLE = "dim"
PAGE = 50
"""Results fetched per search."""
EMPTY_HINT = "Type to search · ↑ history · ctrl+o search exactly as typed"
"""The status line before anything is typed: says how to reach the history."""


def hit_text(
    hit: SearchHit, width: int = 200, terms: tuple[str, ...] = (), mark: str | None = None
) -> Text:
    """One result: title (its hits styled), source and date, then the snippet with hits styled.

    :param mark: what the hit is to the article it was found for ("same story", say).
    """
    text = Text(no_wrap=False, overflow="ellipsis")
    title = Text(crop(one_line(hit.title), width), style=TITLE_STYLE)
    pattern = term_pattern(terms)
    if pattern is not None:
        for match in pattern.finditer(title.plain):
            title.stylize(HIT_STYLE, *match.span())
    text.append_text(title)
    meta = [one_line(hit.source or ""), (hit.published or "")[:10]]
    if hit.kind == "excerpt":
        meta.append("excerpt")
    if mark:
        meta.append(f"◆ {mark}")
    meta_line = " · ".join(part for part in meta if part)
    if meta_line:
        text.append("\n")
        text.append(crop(meta_line, width), style=META_STYLE)
    snippet = snippet_text(hit.snippet)
    if snippet.plain:
        text.append("\n")
        if hit.note_id is not None:
            text.append("✎ your note: ", style=META_STYLE)
        text.append_text(snippet)
    return text


def snippet_text(snippet: str) -> Text:
    """A snippet with its ``\\x02``/``\\x03`` hit marks turned into a style."""
    out = Text()
    inside = False
    for part in _split_marks(snippet):
        if part == HIT_START:
            inside = True
        elif part == HIT_END:
            inside = False
        elif part:
            out.append(one_line(part), style=HIT_STYLE if inside else "")
    return out


def _split_marks(snippet: str) -> list[str]:
    parts: list[str] = []
    current = []
    for char in snippet:
        if char in (HIT_START, HIT_END):
            parts.append("".join(current))
            parts.append(char)
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts


def open_over(
    app: object,
    article_id: int,
    terms: tuple[str, ...],
    order: list[int],
    note: int | None = None,
) -> bool:
    """Open an article over the results, so back returns to them; False if the app cannot.

    :param note: a note or highlight to open at (the article was found through it).
    """
    opener = getattr(app, "open_over", None)
    if opener is None:
        return False
    opener(article_id, terms, order, note=note)
    return True


class SearchScreen(Screen[OpenRequest | None]):
    """Search the library; Enter opens the highlighted result.

    :param library: the library to search.
    :param query: text to start with.
    """

    DEBOUNCE = 0.12
    """Seconds of typing pause before a search runs (tests set 0)."""

    DEFAULT_CSS = """
    SearchScreen #search-status { height: 1; padding: 0 1; color: $text-muted; }
    SearchScreen #search-results { height: 1fr; }
    SearchScreen #search-title { height: 1; padding: 0 1; text-style: bold; }
    """

    BINDINGS: list[BindingType] = [
        Binding("escape", "close", "Close", id="search.close"),
        Binding("up", "up", "History / previous", show=False, id="search.up"),
        Binding("down", "down", "History / next", show=False, id="search.down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="search.page_up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="search.page_down"),
        Binding("ctrl+o", "search_instead", "Search as typed", id="search.instead"),
    ]

    def __init__(self, library: Library, query: str = "") -> None:
        super().__init__()
        self.library = library
        self.initial = query
        self.results: SearchResults | None = None
        self._timer: Timer | None = None
        self._generation = 0
        self._history: list[str] = []
        self._history_at = -1
        self._draft = ""
        self._recalling = False
        self._exact = False

    def compose(self) -> ComposeResult:
        yield Input(
            value=self.initial,
            placeholder='Search: words "phrases" OR -not prefix* title: tag: after: ~part',
            id="search-input",
        )
        yield Static(EMPTY_HINT, id="search-status", markup=False)
        yield OptionList(id="search-results")
        yield FitFooter()

    def on_mount(self) -> None:
        self.query_one("#search-input", Input).focus()
        self._warm_up()
        if self.initial.strip():
            self.search_now()

    @work(thread=True, exclusive=True, group="search-warmup")
    def _warm_up(self) -> None:
        """Bring the vocabulary copy up to date before the first correction needs it.

        A file library is synced on a connection of its own, so a rebuild after a
        big import does not hold the library's lock; then the copy is loaded. The
        search history is read first, so the up arrow has it at once.
        """
        history = self.library.search_history()
        self.app.call_from_thread(setattr, self, "_history", history)
        if self.library.path != ":memory:":
            import contextlib
            import sqlite3

            from store.search import refresh_vocabulary_file

            # Busy or read-only: the library syncs what it can by itself.
            with contextlib.suppress(sqlite3.Error):
                refresh_vocabulary_file(self.library.path)
        self.library.refresh_vocabulary()

    # -- searching -------------------------------------------------------------------------
    @property
    def text(self) -> str:
        """The query as typed."""
        return self.query_one("#search-input", Input).value

    @on(Input.Changed, "#search-input")
    def _changed(self, event: Input.Changed) -> None:
        if not self._recalling:
            self._history_at = -1
        self._recalling = False
        self._exact = False
        if self._timer is not None:
            self._timer.stop()
        if self.DEBOUNCE <= 0:
            self.search_now()
        else:
            self._timer = self.set_timer(self.DEBOUNCE, self.search_now)

    def search_now(self) -> None:
        """Run the search for the current text (in a worker thread)."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self._generation += 1
        text = self.text
        if not text.strip():
            self._show(self._generation, None)
            return
        self._search(text, self._generation, not self._exact)

    @work(thread=True, exclusive=True, group="search")
    def _search(self, text: str, generation: int, correct: bool) -> None:
        results = self.library.search_results(text, limit=PAGE, live=True, correct=correct)
        self.app.call_from_thread(self._show, generation, results)

    def _show(self, generation: int, results: SearchResults | None) -> None:
        if generation != self._generation:
            return  # an older search answered late
        self.results = results
        options = self.query_one("#search-results", OptionList)
        options.clear_options()
        status = self.query_one("#search-status", Static)
        if results is None:
            status.update(EMPTY_HINT)
            return
        line = results.status()
        if results.original is not None:
            line += f" · ctrl+o: search instead for {one_line(results.original)}"
        elif results.hits:
            line += " · ↑↓ choose, enter opens · ↑ in an empty box: history"
        status.update(one_line(line))
        terms = tuple(results.terms)
        options.add_options(
            [Option(hit_text(hit, terms=terms), id=str(hit.id)) for hit in results.hits]
        )
        if results.hits:
            options.highlighted = 0

    # -- opening ---------------------------------------------------------------------------
    @on(Input.Submitted, "#search-input")
    def _submitted(self) -> None:
        if self._timer is not None or self.results is None:
            # Typed faster than the debounce: search now, then open the best hit.
            if self._timer is not None:
                self._timer.stop()
            self._timer = None
            self._generation += 1
            if self.text.strip():
                self._search_then_open(self.text, self._generation, not self._exact)
            return
        self.open_highlighted()

    @work(thread=True, exclusive=True, group="search")
    def _search_then_open(self, text: str, generation: int, correct: bool) -> None:
        results = self.library.search_results(text, limit=PAGE, correct=correct)
        self.app.call_from_thread(self._show, generation, results)
        self.app.call_from_thread(self.open_highlighted)

    @on(OptionList.OptionSelected, "#search-results")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.open_highlighted()

    def open_highlighted(self) -> None:
        """Dismiss with the highlighted result (remembering the query)."""
        options = self.query_one("#search-results", OptionList)
        if self.results is None or not self.results.hits:
            return
        index = options.highlighted if options.highlighted is not None else 0
        hit = self.results.hits[min(index, len(self.results.hits) - 1)]
        if self.text.strip():
            self._remember(self.text)
        order = [h.id for h in self.results.hits]
        if not open_over(self.app, hit.id, self.results.terms, order, hit.note_id):
            self.dismiss(OpenRequest(hit.id, self.results.terms, hit.note_id))

    def _remember(self, text: str) -> None:
        """Add ``text`` to the search history, in a worker of the app (the screen may close)."""
        library = self.library
        self.app.run_worker(lambda: library.remember_search(text), thread=True, group="history")

    # -- keys ------------------------------------------------------------------------------
    def action_close(self) -> None:
        """Close without opening anything."""
        self.dismiss(None)

    def action_search_instead(self) -> None:
        """Search the text exactly as typed (no correction)."""
        self._exact = True
        self._generation += 1
        if self.text.strip():
            self._search(self.text, self._generation, False)

    def action_up(self) -> None:
        """Older history when recalling (or the input is empty), else the previous result."""
        options = self.query_one("#search-results", OptionList)
        if self._history_at >= 0 or not self.text.strip() or not options.option_count:
            self._recall(1)
        elif options.highlighted:
            options.highlighted -= 1

    def action_down(self) -> None:
        """Newer history when recalling, else the next result."""
        options = self.query_one("#search-results", OptionList)
        if self._history_at >= 0:
            self._recall(-1)
        elif options.option_count:
            current = options.highlighted if options.highlighted is not None else -1
            options.highlighted = min(options.option_count - 1, current + 1)

    def action_page(self, direction: int) -> None:
        """Move the highlight a page of results."""
        options = self.query_one("#search-results", OptionList)
        if options.option_count:
            current = options.highlighted or 0
            options.highlighted = max(0, min(options.option_count - 1, current + 5 * direction))

    def _recall(self, step: int) -> None:
        if not self._history:
            return
        if self._history_at < 0:
            self._draft = self.text
        target = self._history_at + step
        if target >= len(self._history):
            return
        self._history_at = target
        value = self._draft if target < 0 else self._history[target]
        self._recalling = target >= 0
        field = self.query_one("#search-input", Input)
        field.value = value
        field.cursor_position = len(value)


class RelatedScreen(Screen[OpenRequest | None]):
    """Articles sharing an article's most distinctive terms; Enter opens one."""

    DEFAULT_CSS = """
    RelatedScreen #related-title { height: 1; padding: 0 1; text-style: bold; }
    RelatedScreen #related-results { height: 1fr; }
    """

    BINDINGS: list[BindingType] = [
        Binding("escape,q", "close", "Close", id="related.close"),
        Binding("c", "compare", "Compare", id="related.compare"),
    ]

    def __init__(self, library: Library, article_id: int) -> None:
        super().__init__()
        self.library = library
        self.article_id = article_id
        self.hits: list[SearchHit] = []
        self.marks: dict[int, str] = {}
        """Hits that tell the same story or nearly copy the article, by id."""

    def compose(self) -> ComposeResult:
        yield Static("Related articles", id="related-title", markup=False)
        yield OptionList(id="related-results")
        yield FitFooter()

    def on_mount(self) -> None:
        self.query_one("#related-results", OptionList).focus()
        self._load()

    @work(thread=True, exclusive=True, group="related")
    def _load(self) -> None:
        article = self.library.get(self.article_id)
        hits = self.library.related(self.article_id, 30)
        marks = self.library.story_marks(self.article_id, [h.id for h in hits])
        self.app.call_from_thread(self._show, hits, article.title if article else None, marks)

    def _show(
        self, hits: list[SearchHit], title: str | None = None, marks: dict[int, str] | None = None
    ) -> None:
        if title is not None:
            heading = self.query_one("#related-title", Static)
            heading.update(Text("Related to: " + one_line(title)))
        self.hits = hits
        self.marks = marks or {}
        options = self.query_one("#related-results", OptionList)
        options.clear_options()
        if not hits:
            options.add_option(Option(Text("Nothing related found."), disabled=True))
            return
        options.add_options(
            [Option(hit_text(hit, mark=self.marks.get(hit.id)), id=str(hit.id)) for hit in hits]
        )
        options.highlighted = 0

    @on(OptionList.OptionSelected, "#related-results")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if self.hits and event.option_index < len(self.hits):
            chosen = self.hits[event.option_index].id
            if not open_over(self.app, chosen, (), [h.id for h in self.hits]):
                self.dismiss(OpenRequest(chosen))

    def action_close(self) -> None:
        """Close without opening anything."""
        self.dismiss(None)

    def action_compare(self) -> None:
        """Compare the article with the highlighted related one."""
        index = self.query_one("#related-results", OptionList).highlighted
        compare = getattr(self.app, "compare", None)
        if index is not None and index < len(self.hits) and compare is not None:
            compare(self.article_id, self.hits[index].id)


def related_screen(library: Library, article_id: int) -> RelatedScreen:
    """The screen of articles related to ``article_id`` (push it with a callback)."""
    return RelatedScreen(library, article_id)
