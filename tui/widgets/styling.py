"""Component styles for line-API widgets that layer them over other styles."""

from __future__ import annotations

from rich.style import Style
from textual.widget import Widget


def layer_style(widget: Widget, name: str) -> Style:
    """A component's style, ready to add on top of another.

    Colours are resolved against the widget (so ``$text-muted`` or ``50%`` alpha
    colours come out right in both themes); a background is only set when the
    component sets one, so a cursor row's background shows through.
    """
    partial = widget.get_component_rich_style(name, partial=True)
    full = widget.get_component_rich_style(name)
    return partial + Style(
        color=full.color if partial.color is not None else None,
        bgcolor=full.bgcolor if partial.bgcolor is not None else None,
    )
