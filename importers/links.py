"""Link entries: saved URLs without their text (read-later lists), kept as excerpts.

A later ``margin import URL`` of the same address fetches the page and fills the
entry in place (same canonical URL, same id).
"""

from __future__ import annotations

from store.models import ArticleDraft

from .base import is_url
from .decode import strip_controls
from .fragment import plain_markdown

__all__ = ["link_entry"]


def link_entry(
    url: str,
    title: str | None,
    *,
    tags: list[str],
    saved: str | None,
    service: str,
    origin: str,
    note: str | None = None,
) -> ArticleDraft | None:
    """The excerpt for one saved link, or None when ``url`` is not a web address."""
    url = url.strip()
    if not is_url(url):
        return None
    title = " ".join(strip_controls(title or "").split()) or url
    body = f"<{url}>\n"
    if note and note.strip():
        body += "\n" + "\n".join("> " + line for line in plain_markdown(note).split("\n")) + "\n"
    when = f" on {saved[:10]}" if saved else ""
    return ArticleDraft(
        title=title,
        body_markdown=body,
        url=url,
        kind="excerpt",
        origin=origin,
        description=f"Saved to {service}{when}",
        tags=list(dict.fromkeys(t for t in tags if t)),
    )
