"""A small yes/no dialog (deleting an article, say) that fits a 60×15 terminal."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static


class ConfirmScreen(ModalScreen[bool]):
    """Ask before doing something; dismisses with True (go ahead) or False.

    :param title: what is asked, e.g. ``Delete this article?``.
    :param subject: the thing it is about (untrusted text: shown literally).
    :param detail: what will happen, in a sentence.
    :param confirm: the label of the button that goes ahead.
    """

    BINDINGS: list[BindingType] = [
        Binding("escape,n", "cancel", "Cancel", id="confirm.cancel"),
        Binding("y", "confirm", "Yes", id="confirm.yes"),
        Binding("left,h", "app.focus_previous", "Previous button", show=False, id="confirm.left"),
        Binding("right,l", "app.focus_next", "Next button", show=False, id="confirm.right"),
    ]

    def __init__(self, title: str, subject: str, detail: str, confirm: str = "Delete") -> None:
        super().__init__()
        self.question = title
        self.subject = subject
        self.detail = detail
        self.confirm_label = confirm

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog confirm-dialog"):
            yield Label(Content(self.question), classes="dialog-title")
            yield Static(Content(self.subject), classes="confirm-subject")
            yield Static(Content(self.detail), classes="confirm-detail")
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.confirm_label, variant="error", id="confirm-yes", compact=True)
                yield Button("Cancel", id="confirm-no", compact=True)
            yield Label(
                Content(f"y {self.confirm_label.lower()} · n or escape cancel"),
                classes="dialog-hint",
            )

    def on_mount(self) -> None:
        # Cancel has the focus: enter alone never deletes by accident.
        self.query_one("#confirm-no", Button).focus()

    @on(Button.Pressed, "#confirm-yes")
    def action_confirm(self) -> None:
        """Go ahead."""
        self.dismiss(True)

    @on(Button.Pressed, "#confirm-no")
    def action_cancel(self) -> None:
        """Do nothing."""
        self.dismiss(False)
