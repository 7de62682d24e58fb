"""Quick jump (``ctrl+p`` or ``:``): fzf-style finding of titles, sources, sections,
tags and notes as you type; Enter dismisses with an ``OpenRequest``.

The matcher (``store.jump.JumpIndex``) is built once per library state in a worker
thread and kept; each keystroke then takes a few milliseconds, so matching runs
right in the key handler.
"""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from store.jump import JumpIndex, JumpMatch
from store.library import Library

from ..messages import OpenRequest
from ..widgets.text import crop, one_line

MATCH_STYLE = "bold underline"
NOTE_PREFIX = "✎ "
LIMIT = 50


def match_text(match: JumpMatch, width: int = 200) -> Text:
    """A match's line with its matched characters styled (never markup)."""
    item = match.item
    line = one_line(item.text)
    text = Text(no_wrap=True, overflow="ellipsis")
    if item.kind == "note":
        text.append(NOTE_PREFIX, style="dim")
    marked = set(match.positions)
    run_start = 0
    for index in range(1, len(line) + 1):
        if index == len(line) or (index in marked) != (run_start in marked):
            piece = line[run_start:index]
            style = MATCH_STYLE if run_start in marked else ""
            if run_start >= item.title_end and not style:
                style = "dim"
            text.append(piece, style=style)
            run_start = index
    if text.cell_len > width:
        text.truncate(width, overflow="ellipsis")
    return text


class JumpScreen(ModalScreen[OpenRequest | None]):
    """Type to find an article by title, source, section, tag or note; Enter opens it."""

    DEFAULT_CSS = """
    JumpScreen { align: center top; }
    JumpScreen #jump-box { width: 90%; max-width: 110; height: 80%; margin-top: 2;
        border: round $accent; background: $surface; }
    JumpScreen #jump-status { height: 1; padding: 0 1; color: $text-muted; }
    JumpScreen #jump-results { height: 1fr; }
    """

    BINDINGS: list[BindingType] = [
        Binding("escape", "close", "Close", id="jump.close"),
        Binding("up,ctrl+k", "move(-1)", "Up", show=False, id="jump.up"),
        Binding("down,ctrl+j", "move(1)", "Down", show=False, id="jump.down"),
    ]

    def __init__(self, library: Library, query: str = "") -> None:
        super().__init__()
        self.library = library
        self.initial = query
        self.index: JumpIndex | None = None
        self.matches: list[JumpMatch] = []

    def compose(self) -> ComposeResult:
        from textual.containers import Vertical

        with Vertical(id="jump-box"):
            yield Input(
                value=self.initial,
                placeholder="Jump to a title, source, section, #tag or note",
                id="jump-input",
            )
            yield Static("Loading titles…", id="jump-status", markup=False)
            yield OptionList(id="jump-results")

    def on_mount(self) -> None:
        self.query_one("#jump-input", Input).focus()
        self._load()

    @work(thread=True, exclusive=True, group="jump-index")
    def _load(self) -> None:
        index = self.library.jump_index()
        self.app.call_from_thread(self._ready, index)

    def _ready(self, index: JumpIndex) -> None:
        self.index = index
        self.refresh_matches()

    @on(Input.Changed, "#jump-input")
    def _changed(self) -> None:
        self.refresh_matches()

    def refresh_matches(self) -> None:
        """Match the current text and show the best items."""
        if self.index is None:
            return
        text = self.query_one("#jump-input", Input).value
        self.matches = self.index.search(text, LIMIT)
        options = self.query_one("#jump-results", OptionList)
        options.clear_options()
        options.add_options([Option(match_text(m), id=f"{n}") for n, m in enumerate(self.matches)])
        if self.matches:
            options.highlighted = 0
        status = self.query_one("#jump-status", Static)
        count = len(self.matches)
        status.update(
            crop(
                f"{count}{'+' if count == LIMIT else ''} of {len(self.index):,} · "
                "↑↓ move · enter open · esc close",
                200,
            )
        )

    def action_move(self, step: int) -> None:
        """Move the highlight."""
        options = self.query_one("#jump-results", OptionList)
        if options.option_count:
            current = options.highlighted if options.highlighted is not None else 0
            options.highlighted = max(0, min(options.option_count - 1, current + step))

    @on(Input.Submitted, "#jump-input")
    def _submitted(self) -> None:
        self.open_highlighted()

    @on(OptionList.OptionSelected, "#jump-results")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.open_highlighted()

    def open_highlighted(self) -> None:
        """Dismiss with the highlighted match's article."""
        if not self.matches:
            return
        options = self.query_one("#jump-results", OptionList)
        index = options.highlighted if options.highlighted is not None else 0
        match = self.matches[min(index, len(self.matches) - 1)]
        self.dismiss(OpenRequest(match.item.article_id))

    def action_close(self) -> None:
        """Close without opening anything."""
        self.dismiss(None)
