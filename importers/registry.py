"""Which importer reads a source: decided by content, the extension only tips the balance."""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache
from typing import Any

from store.models import ArticleDraft

from .base import Importer, Source
from .decode import strip_controls
from .errors import ImportFailure

CERTAIN = 0.95
"""A detector this sure ends the search."""


@lru_cache(maxsize=1)
def importers() -> tuple[Importer, ...]:
    """Every format Margin reads, most specific first."""
    from .epub import EpubImporter
    from .feed import FeedImporter
    from .html import HtmlImporter
    from .hypothesis import HypothesisImporter
    from .instapaper import InstapaperImporter
    from .margin_jsonl import MarginJsonlImporter
    from .markdown import MarkdownImporter
    from .omnivore import OmnivoreImporter
    from .opml import OpmlImporter
    from .pagedump import PageDumpImporter
    from .pocket import PocketImporter
    from .wallabag import WallabagImporter

    # Cheap, decisive detectors first: most files are settled before the page-dump
    # heuristics run. Feeds come before HTML: their content often carries HTML tags.
    # Read-later exports come first: their signatures are exact, and their HTML
    # lists would otherwise be taken for web pages.
    return (
        EpubImporter(),
        OmnivoreImporter(),
        MarginJsonlImporter(),
        WallabagImporter(),
        HypothesisImporter(),
        PocketImporter(),
        InstapaperImporter(),
        FeedImporter(),
        OpmlImporter(),
        HtmlImporter(),
        MarkdownImporter(),
        PageDumpImporter(),
    )


@lru_cache(maxsize=1)
def media_types() -> frozenset[str]:
    """Every media type some importer declares: what the fetcher accepts."""
    return frozenset(t for importer in importers() for t in getattr(importer, "media_types", ()))


@lru_cache(maxsize=1)
def suffixes() -> frozenset[str]:
    """Every file extension some importer declares."""
    return frozenset(s for importer in importers() for s in getattr(importer, "suffixes", ()))


def pick(source: Source) -> Importer:
    """The importer most confident it reads ``source``.

    :raises ImportFailure: when the data is not text or no importer recognises it.
    """
    for importer in importers():
        # Formats that are binary (zip archives) are recognised before decoding.
        if getattr(importer, "binary", False) and importer.detect(source) >= CERTAIN:
            return importer
    source.text  # noqa: B018 - decode once up front: binary data fails here, clearly
    best: Importer | None = None
    best_score = 0.0
    for importer in importers():
        score = importer.detect(source)
        if score > best_score:
            best, best_score = importer, score
        if score >= CERTAIN:
            break
    if best is None:
        raise ImportFailure("not a format Margin can import")
    declared = getattr(best, "media_types", ())
    if source.media_type and best_score < CERTAIN and source.media_type not in declared:
        # A fetched JSON API answer or XML document that no format claims for sure
        # must not be taken for plain text just because the fetcher accepts feeds.
        raise ImportFailure(f"not a format Margin can import ({source.media_type})")
    return best


def parse_source(source: Source) -> list[ArticleDraft]:
    """Parse ``source`` with the importer that recognises it."""
    drafts = [_without_controls(draft) for draft in pick(source).parse(source)]
    if not drafts and not source.annotations:
        raise ImportFailure("no article found")
    return drafts


_TEXT_FIELDS = (
    "title",
    "body_markdown",
    "author",
    "source",
    "section",
    "url",
    "published",
    "language",
    "description",
)


def _without_controls(draft: ArticleDraft) -> ArticleDraft:
    """The draft with control and bidi characters dropped from every text field.

    Decoding already cleans the file's text, but escapes inside it (JSON ``\\u202e``,
    YAML ``"\\x01"``, HTML entities) produce such characters after decoding.
    """
    changes: dict[str, Any] = {}
    for name in _TEXT_FIELDS:
        value = getattr(draft, name)
        cleaned = strip_controls(value) if value else value
        if cleaned != value:
            changes[name] = cleaned
    tags = [tag for tag in map(strip_controls, draft.tags) if tag.strip()]
    if tags != draft.tags:
        changes["tags"] = tags
    return replace(draft, **changes) if changes else draft
