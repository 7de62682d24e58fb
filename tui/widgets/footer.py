"""A footer that shows only the keys that fit whole, never one cut in the middle."""

from __future__ import annotations

from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

PINNED_KEYS = frozenset({"question_mark"})
"""Keys shown at any width: the help key, which lists every other."""


class FitFooter(Footer):
    """Textual's footer, with the keys that do not fit in full left out.

    Keys come in the order of the screen's bindings, so the first (most used) stay,
    and the help key (``?``) always shows: every key is there and in the command palette.
    """

    _shown: tuple[object, ...] | None = None
    """What the keys on show were built from, less their enabled state (None: not built)."""
    _held = False
    _fitted = False
    _stale = False
    """True from a change of the screen's bindings until the keys are rebuilt for it."""

    @property
    def fitted(self) -> bool:
        """Whether the keys on show are those of the screen's bindings, fitted to the width."""
        return self._fitted and not self._stale and not self._held

    def bindings_changed(self, screen: Screen) -> None:
        """Note that the keys are out of date until the rebuild Textual schedules runs."""
        super().bindings_changed(screen)
        if screen.app.app_focus and self.is_attached and screen is self.screen:
            self._stale = True

    def hold(self) -> None:
        """Keep the keys on show as they are until ``release`` (while a screen loads)."""
        self._held = True

    def release(self) -> None:
        """Show the keys of the screen's bindings again."""
        if self._held:
            self._held = False
            self._stale = True
            self.call_after_refresh(self.recompose)

    def _shown_bindings(self) -> list[tuple[str, Binding, bool, str]] | None:
        """The bindings the keys show, or None before they are ready."""
        if not self._bindings_ready or not self.is_attached:
            return None
        palette = self.app.COMMAND_PALETTE_BINDING
        return [
            (key, b, enabled, tooltip)
            for key, (_, b, enabled, tooltip) in self.screen.active_bindings.items()
            if b.show or key == palette
        ]

    def _signature(self, bindings: list[tuple[str, Binding, bool, str]]) -> tuple[object, ...]:
        """Everything the keys are laid out from (not whether each is enabled)."""
        app = self.app
        return (
            self.compact,
            self.show_command_palette,
            tuple(
                (key, b.action, b.description, b.show, b.group, app.get_key_display(b))
                for key, b, _, _ in bindings
            ),
        )

    def _update_keys(self, bindings: list[tuple[str, Binding, bool, str]]) -> None:
        """Enable, disable and retitle the keys on show in place (as ``compose`` would)."""
        palette = self.app.COMMAND_PALETTE_BINDING
        state: dict[str, tuple[bool, str]] = {}
        palette_state: tuple[bool, str] | None = None
        for key, b, enabled, tooltip in bindings:
            if key == palette:
                palette_state = (enabled, tooltip)
            if b.show:
                state.setdefault(b.action, (enabled, tooltip or ""))
        for footer_key in self.query(FooterKey):
            if footer_key.has_class("-command-palette"):
                if palette_state is None:
                    continue
                enabled, tooltip = palette_state
            elif footer_key.action in state:
                enabled, tooltip = state[footer_key.action]
                if footer_key.has_class("-grouped"):
                    tooltip = tooltip or footer_key.tooltip or ""
            else:
                continue
            footer_key._disabled = not enabled
            footer_key.set_class(not enabled, "-disabled")
            if tooltip and footer_key.tooltip != tooltip:
                footer_key.tooltip = tooltip

    async def recompose(self) -> None:
        """Build the keys again, then hide those beyond the width.

        Textual asks for this on every change of the screen's bindings (a focus change,
        a screen coming back, each ``refresh_bindings``): several times per article
        opened, each time styling some thirty new widgets on the UI thread. Keys that
        would come out the same are kept, and a key only enabled or disabled (an
        article's keys while it loads) is updated in place.
        """
        self._stale = False
        if self._held and self.children:
            return
        bindings = self._shown_bindings()
        signature = self._signature(bindings) if bindings is not None else None
        if signature is not None and signature == self._shown and self.children:
            assert bindings is not None
            self._update_keys(bindings)
            return
        self._fitted = False
        await super().recompose()
        self._shown = signature
        self._fit()

    def on_resize(self, event: events.Resize) -> None:
        """Fit the keys to the new width."""
        self._fit(event.size.width)

    def _fit(self, width: int | None = None) -> None:
        """Show the keys that fit whole in ``width`` cells (the footer's own by default).

        Widths come from each key's text and styles rather than from the layout, so the
        keys are fitted as soon as they are built, not a refresh or more later (a frame
        with keys cut at the edge, and under a dialog, where the screen below is not
        laid out again, for good).
        """
        room = self.size.width if width is None else width
        keys = [key for key in self.query(FooterKey) if not key.has_class("-command-palette")]
        palette = [key for key in self.query(FooterKey) if key.has_class("-command-palette")]
        room -= sum(_width(key) for key in palette)
        pinned = [key for key in keys if key.key in PINNED_KEYS]
        room -= sum(_width(key) for key in pinned)
        used, fits = 0, True
        for key in keys:
            if key in pinned:
                key.display = True
                continue
            used += _width(key)
            fits = fits and used <= room
            key.display = fits
        self._fitted = True


def _width(key: FooterKey) -> int:
    """The cells a key takes in the footer: its text, padding, border and margins."""
    styles = key.styles
    text = key.get_content_width(Size(0, 0), Size(0, 0))
    return text + styles.gutter.width + styles.margin.width
