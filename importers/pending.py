"""Fetching the pages of saved links (read-later lists, summary-only feeds) into their entries.

Each queued link is an ``excerpt`` entry; its page is fetched and extracted by the
web importer and stored in that same entry (same id, now an ``article``). A link
that fails stays queued with its reason, for a retry.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass

from store.library import Library
from store.models import ArticleDraft, PendingLink

from .errors import ImportFailure
from .registry import parse_source
from .runner import read_source

__all__ = ["FetchOutcome", "fetch_pending"]

WORKERS = 4


@dataclass
class FetchOutcome:
    """One link's fetch: ``fetched`` (with the entry's id) or ``failed`` with a reason."""

    link: PendingLink
    status: str
    error: str | None = None
    title: str | None = None

    def to_dict(self) -> dict[str, object]:
        """JSON-ready data."""
        return {
            "article_id": self.link.article_id,
            "url": self.link.url,
            "status": self.status,
            "title": self.title,
            "error": self.error,
        }


def _page(link: PendingLink) -> ArticleDraft | str:
    """The page's article draft, or the one-line reason it could not be had."""
    try:
        drafts = parse_source(read_source(link.url))
        articles = [d for d in drafts if d.kind == "article"]
        if not articles:
            return "the page has no article, only teasers"
        return articles[0]
    except ImportFailure as error:
        return str(error) or "could not be fetched"
    except Exception as error:  # one bad page must not stop the rest
        return f"unexpected error: {type(error).__name__}: {error}"


def fetch_pending(
    library: Library,
    links: Iterable[PendingLink],
    *,
    progress: Callable[[int, int, FetchOutcome], None] | None = None,
    workers: int = WORKERS,
) -> list[FetchOutcome]:
    """Fetch every link's page (``workers`` at a time) and fill its entry; outcomes in order."""
    todo = list(links)
    outcomes: dict[int, FetchOutcome] = {}
    if not todo:
        return []
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = {pool.submit(_page, link): link for link in todo}
        for done, future in enumerate(as_completed(futures), start=1):
            link = futures[future]
            page = future.result()
            if isinstance(page, str):
                library.pending_failed(link.article_id, page)
                outcome = FetchOutcome(link, "failed", error=page)
            else:
                result = library.fill_pending(link, page)
                outcome = FetchOutcome(link, "fetched", title=result.title)
            outcomes[link.article_id] = outcome
            if progress is not None:
                progress(done, len(todo), outcome)
    return [outcomes[link.article_id] for link in todo]
