"""The lost-notes dialog: notes whose passage a new text no longer holds, to place or dismiss."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from store.models import Note

from ..widgets.text import crop, one_line


class OrphansScreen(ModalScreen[tuple[str, Note] | None]):
    """List ``notes`` (orphans); dismisses with ``("place", note)``, ``("dismiss", note)``
    or None.

    :param can_place: whether a passage is selected to place a note on.
    """

    BINDINGS: list[BindingType] = [
        Binding("escape,q", "cancel", "Close", id="orphans.close"),
        Binding("p", "choose('place')", "Place on selection", id="orphans.place"),
        Binding("d", "choose('dismiss')", "Dismiss", id="orphans.dismiss"),
    ]

    def __init__(self, notes: list[Note], *, can_place: bool) -> None:
        super().__init__()
        self.notes = notes
        self.can_place = can_place

    def compose(self) -> ComposeResult:
        hint = (
            "enter/p: place on the selected passage · d: dismiss (delete) · escape: close"
            if self.can_place
            else "Select the passage first (v or drag), then O and p · d: dismiss · escape"
        )
        with Vertical(classes="dialog picker-dialog"):
            yield Label(
                f"{len(self.notes)} note(s) lost their passage when the text changed",
                classes="dialog-title",
            )
            yield OptionList(*[Option(self._label(note)) for note in self.notes], id="orphans-list")
            yield Label(hint, classes="dialog-hint")

    @staticmethod
    def _label(note: Note) -> Content:
        quote = Content("“") + Content(crop(one_line(note.quote), 70)) + Content("”")
        if note.body.strip():
            quote += Content("\n  ✎ ") + Content(crop(one_line(note.body), 70))
        return quote

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "choose" and parameters and parameters[0] == "place":
            return self.can_place
        return True

    def _highlighted(self) -> Note | None:
        index = self.query_one(OptionList).highlighted
        return self.notes[index] if index is not None and 0 <= index < len(self.notes) else None

    def action_choose(self, what: str) -> None:
        """Place the highlighted note on the selection, or dismiss it."""
        note = self._highlighted()
        if note is not None:
            self.dismiss((what, note))

    @on(OptionList.OptionSelected)
    def selected(self) -> None:
        """Enter places the note when a passage is selected."""
        if self.can_place:
            self.action_choose("place")
        else:
            self.notify("Select the passage first (v or drag), then press O.", timeout=3)

    def action_cancel(self) -> None:
        """Close without changing anything."""
        self.dismiss(None)
