"""Every highlight and note, newest first, with fuzzy find; Enter opens the article."""

from __future__ import annotations

from rapidfuzz import fuzz
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input

from store.library import Library
from store.models import Note

from ..widgets.text import one_line
from .article import ArticleScreen


def note_line(note: Note) -> str:
    """The text fuzzy find looks at: quote, note, tags, colour and article title."""
    return " ".join(
        (note.quote, note.body, " ".join(note.tags), note.color, note.article_title or "")
    )


def fuzzy_filter(notes: list[Note], text: str) -> list[Note]:
    """Notes matching ``text`` (fuzzy, words in any order), best first; all when empty."""
    if not text.strip():
        return notes
    scored = [
        (fuzz.partial_token_set_ratio(text, note_line(n), processor=str.casefold), n) for n in notes
    ]
    return [n for score, n in sorted(scored, key=lambda s: -s[0]) if score >= 80]


class NotesScreen(Screen[None]):
    """Highlights and notes across the library."""

    DEFAULT_CSS = """
    NotesScreen #notes-find { dock: top; }
    NotesScreen DataTable { height: 1fr; }
    """
    BINDINGS: list[BindingType] = [
        Binding("escape", "back", "Back", id="notes.back"),
        Binding("slash", "find", "Find", id="notes.find"),
    ]

    def __init__(self, library: Library) -> None:
        super().__init__()
        self.library = library
        self.all_notes: list[Note] = []
        self.shown: list[Note] = []

    def compose(self) -> ComposeResult:
        yield Input(placeholder="find in notes…", id="notes-find")
        table: DataTable[str] = DataTable(cursor_type="row", id="notes-table")
        yield table
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Quote", "Note", "Tags", "Colour", "Article")
        table.focus()
        self._load()

    @work(thread=True, exclusive=True)
    def _load(self) -> None:
        notes = self.library.notes()
        self.app.call_from_thread(self._loaded, notes)

    def _loaded(self, notes: list[Note]) -> None:
        self.all_notes = notes
        self._show(self.query_one(Input).value)

    def _show(self, text: str) -> None:
        self.shown = fuzzy_filter(self.all_notes, text)
        table = self.query_one(DataTable)
        table.clear()
        for note in self.shown:
            table.add_row(
                one_line(note.quote)[:60],
                one_line(note.body)[:40],
                ", ".join(note.tags),
                note.color,
                one_line(note.article_title or "(deleted)")[:40],
            )

    @on(Input.Changed, "#notes-find")
    def _find(self, event: Input.Changed) -> None:
        self._show(event.value)

    @on(Input.Submitted, "#notes-find")
    def _to_table(self) -> None:
        self.query_one(DataTable).focus()

    @on(DataTable.RowSelected)
    def _open(self, event: DataTable.RowSelected) -> None:
        note = self.shown[event.cursor_row]
        if note.article_id is None:
            self.notify("Its article was deleted", severity="warning")
            return
        # Until ArticleScreen takes an offset, the quote's words lead it to the passage.
        terms = tuple(note.quote.split()[:8])
        self.app.push_screen(ArticleScreen(self.library, note.article_id, terms))

    def action_find(self) -> None:
        """Type to narrow the list."""
        self.query_one(Input).focus()

    def action_back(self) -> None:
        """Back to the library."""
        self.dismiss(None)
