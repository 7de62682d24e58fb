"""A footer that shows only the keys that fit whole, never one cut in the middle."""

from __future__ import annotations

from textual import events
from textual.widgets import Footer
from textual.widgets._footer import FooterKey


class FitFooter(Footer):
    """Textual's footer, with the keys that do not fit in full left out.

    Keys come in the order of the screen's bindings, so the first (most used) stay;
    every key is still in the help screen (``?``) and the command palette.
    """

    _shown: tuple[object, ...] | None = None
    """What the keys on show were built from (None: not built yet)."""

    def _signature(self) -> tuple[object, ...] | None:
        """Everything the keys are built from, or None before the bindings are ready."""
        if not self._bindings_ready or not self.is_attached:
            return None
        app = self.app
        return (
            self.compact,
            self.show_command_palette,
            tuple(
                (
                    key,
                    b.action,
                    b.description,
                    b.show,
                    b.group,
                    enabled,
                    tooltip,
                    app.get_key_display(b),
                )  # fmt: skip
                for key, (_, b, enabled, tooltip) in self.screen.active_bindings.items()
                if b.show or key == app.COMMAND_PALETTE_BINDING
            ),
        )

    async def recompose(self) -> None:
        """Build the keys again, then hide those beyond the width.

        Textual asks for this on every change of the screen's bindings (a focus change,
        a screen coming back, each ``refresh_bindings``): several times per article
        opened, each time styling some thirty new widgets on the UI thread. Keys that
        would come out the same are kept.
        """
        signature = self._signature()
        if signature is not None and signature == self._shown and self.children:
            return
        await super().recompose()
        self._shown = signature
        self.call_after_refresh(self._fit)

    def on_resize(self, event: events.Resize) -> None:
        """Show every key again so the new width can be filled, then fit them."""
        for key in self.query(FooterKey):
            key.display = True
        self.call_after_refresh(self._fit)

    def _fit(self, tries: int = 5) -> None:
        keys = [key for key in self.query(FooterKey) if not key.has_class("-command-palette")]
        if tries and any(key.display and not key.region.width for key in keys):
            # Not laid out yet (just composed): measure on a later refresh.
            self.call_after_refresh(self._fit, tries - 1)
            return
        palette = [key for key in self.query(FooterKey) if key.has_class("-command-palette")]
        room = self.size.width - sum(key.outer_size.width for key in palette)
        left = self.region.x
        fits = True
        for key in keys:
            right = key.region.right + key.styles.margin.right - left
            fits = fits and right <= room
            key.display = fits
