"""Margin's library model: schema, migrations, search and annotations. No UI here.

The names below are loaded on first use (PEP 562): ``from store import vocabulary``
on ``margin search``'s path must not import the whole library and every record
(``store.library`` pulls in the Markdown parser, hashing and images: ~10 ms).
"""

from __future__ import annotations

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: `margin search` never imports typing
if TYPE_CHECKING:
    from typing import Any

    from .library import AnnotationsExist, Library, LibraryError
    from .models import (
        Article,
        ArticleDraft,
        ArticleSummary,
        ReadingPosition,
        SearchHit,
        StoreResult,
    )

_HOME = {
    "AnnotationsExist": "library",
    "Library": "library",
    "LibraryError": "library",
    "Article": "models",
    "ArticleDraft": "models",
    "ArticleSummary": "models",
    "ReadingPosition": "models",
    "SearchHit": "models",
    "StoreResult": "models",
}

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


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module 'store' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f".{home}", __name__), name)
    globals()[name] = value
    return value
