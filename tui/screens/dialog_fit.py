"""Dialogs on short terminals: a ``-short`` class the stylesheet tightens them with."""

from __future__ import annotations

from textual import events
from textual.screen import Screen

SHORT = 20
"""Below this many rows a dialog drops its padding and margins (60×15 must work)."""


class FitsShortTerminal:
    """Mixin for a dialog screen: the ``-short`` class while the terminal is short."""

    def on_mount(self) -> None:
        """Size the dialog for the terminal it opens on."""
        assert isinstance(self, Screen)
        self.set_class(self.app.size.height < SHORT, "-short")

    def on_resize(self, event: events.Resize) -> None:
        """Size the dialog again when the terminal changes."""
        assert isinstance(self, Screen)
        self.set_class(self.app.size.height < SHORT, "-short")
