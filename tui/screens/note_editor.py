"""The note editor: Markdown in a text area, kept as a draft while it is typed."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Label, TextArea

from store.library import Library, LibraryError

from .dialog_fit import FitsShortTerminal

DRAFT_SECONDS = 2.0
"""How often a note being typed is saved as a draft."""


class NoteEditor(FitsShortTerminal, ModalScreen[str | None]):
    """Write a note on ``quote``; dismisses with the text (ctrl+s) or None (escape).

    The text is saved under ``draft_key`` every few seconds while it changes, so a
    crash loses at most that much; the draft is dropped once the note is saved by
    the caller, or kept when the editor is closed without saving.
    """

    BINDINGS: list[BindingType] = [
        Binding("ctrl+s", "save", "Save", id="note_editor.save", priority=True),
        Binding("escape", "cancel", "Cancel", id="note_editor.cancel"),
    ]

    def __init__(self, library: Library, draft_key: str, quote: str, text: str = "") -> None:
        super().__init__()
        self.library = library
        self.draft_key = draft_key
        self.quote = quote
        self.initial = text
        self._saved_text = text
        self._timer: Timer | None = None

    def compose(self) -> ComposeResult:
        quote = " ".join(self.quote.split())
        with Vertical(classes="dialog note-editor"):
            yield Label(Content("Note on: ") + Content(quote[:200]), classes="dialog-title")
            yield TextArea(self.initial, id="note-text", soft_wrap=True, show_line_numbers=False)
            yield Label("ctrl+s save · escape cancel (kept as a draft)", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one(TextArea).focus()
        self._timer = self.set_interval(DRAFT_SECONDS, self._keep_draft)

    @property
    def text(self) -> str:
        """What is typed now."""
        return self.query_one(TextArea).text

    def _keep_draft(self) -> None:
        text = self.text
        if text != self._saved_text:
            self._saved_text = text
            self._save_draft(text)

    @work(thread=True, group="note-draft")
    def _save_draft(self, text: str) -> None:
        try:
            self.library.save_draft(self.draft_key, text)
        except LibraryError as error:
            # Keep typing; the text is still here and will be kept in a file on save.
            self.app.call_from_thread(
                self.notify, f"Draft not saved: {error}", severity="warning", timeout=6
            )

    def action_save(self) -> None:
        """Close with the note's text."""
        self.dismiss(self.text)

    def action_cancel(self) -> None:
        """Close without a note; what was typed stays as a draft."""
        if self.text.strip() and self.text != self._saved_text:
            self._save_draft(self.text)
        self.dismiss(None)
