"""Margin's library model: schema, migrations, search and annotations. No UI here."""

from .library import AnnotationsExist, Library, LibraryError
from .models import Article, ArticleDraft, ArticleSummary, ReadingPosition, SearchHit, StoreResult

__all__ = [
    "AnnotationsExist",
    "Article",
    "ArticleDraft",
    "ArticleSummary",
    "Library",
    "LibraryError",
    "ReadingPosition",
    "SearchHit",
    "StoreResult",
]
