"""CursorList: the cursor, keys, clicks and cached styles that Margin's virtual lists share."""

from __future__ import annotations

from typing import ClassVar

from rich.style import Style
from textual import events
from textual.reactive import reactive
from textual.scroll_view import ScrollView

from .styling import layer_style


class CursorList(ScrollView, can_focus=True):
    """A focusable, line-drawn list with one cursor row.

    Subclasses say how many rows there are (``row_count``), how many fit on screen
    (``_rows_visible``), which row a click's ``y`` lands on (``_row_at``), and what
    ``action_select`` posts. Component styles are looked up as
    ``{STYLE_PREFIX}--{name}`` and cached until the styles change.
    """

    STYLE_PREFIX: ClassVar[str] = ""

    cursor: reactive[int] = reactive(0, always_update=True)

    def __init__(
        self,
        *,
        name: str | None = None,
        id: str | None = None,  # noqa: A002
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._styles: dict[str, Style] = {}
        self.empty_message = ""
        """Shown when there are no rows (what to do next)."""

    @property
    def row_count(self) -> int:
        """Rows in the list."""
        raise NotImplementedError

    @property
    def _rows_visible(self) -> int:
        raise NotImplementedError

    def _row_at(self, y: int) -> int | None:
        """The row a click at ``y`` (widget lines) lands on, or None."""
        raise NotImplementedError

    def action_select(self) -> None:
        """Open the row under the cursor."""
        raise NotImplementedError

    def validate_cursor(self, value: int) -> int:
        return max(0, min(value, self.row_count - 1))

    def action_cursor(self, delta: int) -> None:
        """Move the cursor ``delta`` rows."""
        self.cursor += delta

    def action_page(self, direction: int) -> None:
        """Move the cursor a screen up or down."""
        self.cursor += direction * self._rows_visible

    def action_first(self) -> None:
        """Go to the first row."""
        self.cursor = 0

    def action_last(self) -> None:
        """Go to the last row."""
        self.cursor = self.row_count - 1

    def on_click(self, event: events.Click) -> None:
        index = self._row_at(event.y)
        if index is None or not 0 <= index < self.row_count:
            return
        if self.cursor == index or event.chain >= 2:
            self.cursor = index
            self.action_select()
        else:
            self.cursor = index

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles.clear()

    def _style(self, name: str) -> Style:
        style = self._styles.get(name)
        if style is None:
            style = layer_style(self, f"{self.STYLE_PREFIX}--{name}")
            self._styles[name] = style
        return style
