"""The keys screen: every binding of the screen below, as the keymap left it."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Label, Static

_NOISE = {"scroll_left", "scroll_right", "page_left", "page_right"}


def key_rows(screen: Screen) -> list[tuple[str, str]]:
    """``(keys, description)`` for every described binding active on ``screen``."""
    by_action: dict[tuple[int, str], tuple[list[str], str]] = {}
    app = screen.app
    for key, active in screen.active_bindings.items():
        binding = active.binding
        if not binding.description or binding.action in _NOISE:
            continue
        entry = by_action.setdefault((id(active.node), binding.action), ([], binding.description))
        display = app.get_key_display(Binding(key, binding.action))
        if display not in entry[0]:
            entry[0].append(display)
    return [(" ".join(keys), description) for keys, description in by_action.values()]


class HelpScreen(ModalScreen[None]):
    """Lists the keys of ``screen``."""

    BINDINGS: list[BindingType] = [
        Binding("escape,q,question_mark", "dismiss", "Close", id="help.close"),
    ]

    def __init__(self, screen: Screen) -> None:
        super().__init__()
        self.rows = key_rows(screen)
        self.screen_name = type(screen).__name__.removesuffix("Screen") or "Screen"

    def compose(self) -> ComposeResult:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        for keys, description in self.rows:
            table.add_row(Text(keys), Text(description))
        with VerticalScroll(id="help-dialog", classes="dialog"):
            yield Label(f"Keys — {self.screen_name}", classes="dialog-title")
            yield Static(table, id="help-keys")
            yield Label(
                Text("Rebind any of them in config.toml under [keys] by binding id."),
                classes="dialog-hint",
            )

    async def action_dismiss(self, result: None = None) -> None:
        """Close the keys screen."""
        self.dismiss(result)
