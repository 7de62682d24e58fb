"""Which importer reads a source: decided by content, the extension only tips the balance."""

from __future__ import annotations

from functools import lru_cache

from store.models import ArticleDraft

from .base import Importer, Source
from .errors import ImportFailure

CERTAIN = 0.95
"""A detector this sure ends the search."""


@lru_cache(maxsize=1)
def importers() -> tuple[Importer, ...]:
    """Every format Margin reads, most specific first."""
    from .html import HtmlImporter
    from .markdown import MarkdownImporter
    from .pagedump import PageDumpImporter

    # Cheap, decisive detectors first: most files are settled before the page-dump
    # heuristics run.
    return (HtmlImporter(), MarkdownImporter(), PageDumpImporter())


def pick(source: Source) -> Importer:
    """The importer most confident it reads ``source``.

    :raises ImportFailure: when the data is not text or no importer recognises it.
    """
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
    return best


def parse_source(source: Source) -> list[ArticleDraft]:
    """Parse ``source`` with the importer that recognises it."""
    drafts = pick(source).parse(source)
    if not drafts:
        raise ImportFailure("no article found")
    return drafts
