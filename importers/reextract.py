"""Re-running extraction on a stored original page, without the network."""

from __future__ import annotations

from store.models import ArticleDraft

from .base import Source
from .html import HtmlImporter

__all__ = ["reextract"]


def reextract(original: bytes, origin: str | None) -> ArticleDraft:
    """Extract the article again from ``original`` (stored HTML or MHTML bytes).

    ``origin`` is the URL or path the page first came from; it is kept as the
    draft's origin and used as the page URL when the page names none.
    Raises ImportFailure when the page holds no article.
    """
    source = Source(name=origin or "stored page.html", data=original)
    # Offline: images are read from beside the page if still there, never fetched.
    draft = HtmlImporter(fetch_images=False).parse(source)[0]
    draft.origin = origin
    return draft
