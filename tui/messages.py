"""Messages and results passed between Margin's screens (no Textual imports)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class OpenRequest:
    """Ask the app to open an article, highlighting ``terms`` and scrolling to the first hit.

    Search and quick-jump screens dismiss with one of these (or ``None``).
    """

    article_id: int
    terms: tuple[str, ...] = ()
    note: int | None = None
    """A note or highlight to open at (the article was found through it)."""
