"""Link entries: saved URLs without their text (read-later lists), kept as excerpts.

A later ``margin import URL`` of the same address fetches the page and fills the
entry in place (same canonical URL, same id).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from store.models import ArticleDraft

from .base import Source, is_url
from .decode import strip_controls
from .errors import ImportFailure
from .fragment import plain_markdown

__all__ = ["LinkRow", "epoch_iso", "link_entries", "link_entry"]

LinkRow = tuple[str, str | None, list[str], str | None, str | None]
"""One saved link as an export lists it: URL, title, tags, date saved, quoted note."""


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


def epoch_iso(value: str | None) -> str | None:
    """A Unix timestamp written as digits, as an ISO date in UTC; None for anything else."""
    value = (value or "").strip()
    return dt.datetime.fromtimestamp(int(value), dt.UTC).isoformat() if value.isdigit() else None


def link_entries(
    source: Source, rows: Iterable[LinkRow], *, service: str, what: str = "items"
) -> list[ArticleDraft]:
    """One link entry per row; a row whose URL is not a web address is a warning.

    :param what: what the export calls its entries, for the error when there are none.

    :raises ImportFailure: when the export lists nothing at all.
    """
    drafts = []
    for number, (url, title, tags, saved, note) in enumerate(rows, start=1):
        draft = link_entry(
            url, title, tags=tags, saved=saved, service=service, origin=source.name, note=note
        )
        if draft is None:
            source.warnings.append(f"item {number}: not a web address: {url[:80]!r}")
        else:
            drafts.append(draft)
            source.links.append(url)
    if not drafts and not source.warnings:
        raise ImportFailure(f"the {service} export lists no {what}")
    return drafts
