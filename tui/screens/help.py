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
    return [(keys, description) for keys, description, _ in binding_rows(screen)]


def binding_rows(screen: Screen) -> list[tuple[str, str, str]]:
    """``(keys, description, binding id)`` for every described binding active on ``screen``.

    The id is what ``[keys]`` in config.toml rebinds; empty for Textual's own bindings.
    """
    by_action: dict[tuple[int, str], tuple[list[str], str, list[str]]] = {}
    app = screen.app
    for key, active in screen.active_bindings.items():
        binding = active.binding
        if not binding.description or binding.action in _NOISE:
            continue
        entry = by_action.setdefault(
            (id(active.node), binding.action), ([], binding.description, [])
        )
        display = app.get_key_display(Binding(key, binding.action))
        if display not in entry[0]:
            entry[0].append(display)
        if binding.id and binding.id not in entry[2]:
            entry[2].append(binding.id)
    return [
        (" ".join(keys), description, " ".join(ids))
        for keys, description, ids in by_action.values()
    ]


class HelpScreen(ModalScreen[None]):
    """Lists the keys of ``screen``."""

    BINDINGS: list[BindingType] = [
        Binding("escape,q,question_mark", "dismiss", "Close", id="help.close"),
        Binding("j", "scroll_keys(1)", "Down", show=False, id="help.down"),
        Binding("k", "scroll_keys(-1)", "Up", show=False, id="help.up"),
        Binding("space", "page_keys(1)", "Page down", show=False, id="help.page_down"),
        Binding("b", "page_keys(-1)", "Page up", show=False, id="help.page_up"),
        Binding("g", "keys_edge(False)", "First", show=False, id="help.first"),
        Binding("G", "keys_edge(True)", "Last", show=False, id="help.last"),
    ]

    def __init__(self, screen: Screen) -> None:
        super().__init__()
        self.binding_rows = binding_rows(screen)
        self.rows = [(keys, description) for keys, description, _ in self.binding_rows]
        self.screen_name = type(screen).__name__.removesuffix("Screen") or "Screen"

    def compose(self) -> ComposeResult:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        table.add_column(style="dim")
        for keys, description, ids in self.binding_rows:
            table.add_row(Text(keys), Text(description), Text(ids))
        with VerticalScroll(id="help-dialog", classes="dialog"):
            yield Label(f"Keys — {self.screen_name}", classes="dialog-title")
            yield Static(table, id="help-keys")
            yield Label(
                Text("Rebind any of them in config.toml under [keys] by binding id."),
                classes="dialog-hint",
            )

    def action_scroll_keys(self, lines: int) -> None:
        """Scroll the list of keys by ``lines``."""
        self.query_one("#help-dialog", VerticalScroll).scroll_relative(y=lines, animate=False)

    def action_page_keys(self, pages: int) -> None:
        """Scroll the list of keys by ``pages`` screens."""
        dialog = self.query_one("#help-dialog", VerticalScroll)
        dialog.scroll_relative(
            y=pages * max(1, dialog.scrollable_content_region.height - 1), animate=False
        )

    def action_keys_edge(self, end: bool) -> None:
        """Scroll to the first (``end`` false) or last key."""
        dialog = self.query_one("#help-dialog", VerticalScroll)
        if end:
            dialog.scroll_end(animate=False)
        else:
            dialog.scroll_home(animate=False)

    async def action_dismiss(self, result: None = None) -> None:
        """Close the keys screen."""
        self.dismiss(result)
