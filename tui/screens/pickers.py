"""A small list picker (table of contents, links): enter picks, extra keys act."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Generic, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from .dialog_fit import FitsShortTerminal

T = TypeVar("T")


class PickerScreen(FitsShortTerminal, ModalScreen[tuple[str, T] | None], Generic[T]):
    """Pick one of ``items`` (label, value); dismisses with ``(action, value)`` or None.

    ``action`` is ``"pick"`` for enter, ``"copy"`` for ``y``.
    """

    BINDINGS: list[BindingType] = [
        Binding("escape,q", "cancel", "Close", id="picker.close"),
        Binding("y", "copy", "Copy", id="picker.copy"),
    ]

    def __init__(
        self,
        title: str,
        items: Sequence[tuple[str, T]],
        *,
        highlight: int = 0,
        copyable: bool = False,
    ) -> None:
        super().__init__()
        self.title_text = title
        self.items = list(items)
        self.start = highlight
        self.copyable = copyable

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog picker-dialog"):
            title = self.title_text
            if self.copyable:
                # The article's footer is behind the dialog: say what the keys do here.
                title += " · enter opens · y copies"
            yield Label(Content(title), classes="dialog-title")
            yield OptionList(*[Option(Content(label)) for label, _ in self.items], id="picker-list")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        if self.items:
            options.highlighted = max(0, min(self.start, len(self.items) - 1))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "copy":
            return self.copyable
        return True

    @on(OptionList.OptionSelected)
    def picked(self, event: OptionList.OptionSelected) -> None:
        """Enter or click: pick the item."""
        self.dismiss(("pick", self.items[event.option_index][1]))

    def action_copy(self) -> None:
        """Copy the highlighted item."""
        index = self.query_one(OptionList).highlighted
        if index is not None:
            self.dismiss(("copy", self.items[index][1]))

    def action_cancel(self) -> None:
        """Close without picking."""
        self.dismiss(None)
