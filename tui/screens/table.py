"""One table of an article full-screen, at its natural width: scrolls sideways."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import ScrollableContainer, Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from store.document import Block

from ..widgets.article_view import CELL_GAP, layout_table
from ..widgets.text import cells, visible

UNLIMITED = 1_000_000
"""A width no table reaches: every column at its natural width, none left out."""


def table_text(block: Block) -> Text:
    """The whole table as text: no column wrapped or left out, alignment kept."""
    table = layout_table(block, UNLIMITED)
    text = Text(no_wrap=True, overflow="ignore")
    gap = " " * ((CELL_GAP - 1) // 2)
    for number, line in enumerate(table.lines):
        if number:
            text.append("\n")
        if line.kind in ("rule", "row-rule"):
            dash = "─" if line.kind == "rule" else "┄"
            text.append(f"{dash}┼{dash}".join(dash * w for w in table.widths), "dim")
            continue
        if line.kind == "more":
            continue
        style = "bold" if line.kind == "head" else ""
        for column, (start, end) in enumerate(line.parts):
            if column:
                text.append(f"{gap}│{gap}", "dim")
            content = visible(block.text[start:end])
            pad = table.widths[column] - cells(content)
            align = block.align[column] if column < len(block.align) else ""
            before = pad if align == "right" else pad // 2 if align == "center" else 0
            text.append(" " * before + content + " " * (pad - before), style)
    return text


class TableScreen(ModalScreen[None]):
    """Shows one table whole; arrows or h/j/k/l scroll it, escape closes."""

    BINDINGS: list[BindingType] = [
        Binding("escape,q,W", "dismiss", "Close", id="table.close"),
        Binding("h,left", "scroll('left')", "Left", id="table.left"),
        Binding("l,right", "scroll('right')", "Right", id="table.right"),
        Binding("k,up", "scroll('up')", "Up", show=False, id="table.up"),
        Binding("j,down", "scroll('down')", "Down", show=False, id="table.down"),
    ]

    DEFAULT_CSS = """
    TableScreen #table-dialog {
        width: 100%;
        height: 100%;
        border: thick $primary;
        background: $surface;
        padding: 0 1;
    }
    TableScreen #table-title {
        width: 1fr;
        text-style: bold;
        color: $text-primary;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    TableScreen #table-scroll {
        height: 1fr;
        overflow-x: auto;
        overflow-y: auto;
        scrollbar-size: 1 1;
    }
    TableScreen #table-body {
        width: auto;
    }
    """

    def __init__(self, block: Block) -> None:
        super().__init__()
        self.block = block

    def compose(self) -> ComposeResult:
        with Vertical(id="table-dialog"):
            yield Label(
                Text("Table · h/l or ←/→ scroll sideways · escape closes"), id="table-title"
            )
            with ScrollableContainer(id="table-scroll"):
                yield Static(table_text(self.block), id="table-body")

    def on_mount(self) -> None:
        self.query_one("#table-scroll").focus()

    def action_scroll(self, direction: str) -> None:
        """Scroll the table a few cells (sideways) or a line."""
        area = self.query_one("#table-scroll", ScrollableContainer)
        dx = {"left": -8, "right": 8}.get(direction, 0)
        dy = {"up": -1, "down": 1}.get(direction, 0)
        area.scroll_relative(x=dx, y=dy, animate=False)

    async def action_dismiss(self, result: None = None) -> None:
        """Back to the article."""
        self.dismiss(result)
