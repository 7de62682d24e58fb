"""Margin's own JSON Lines export (``margin export``): articles, tags and notes back in.

Every field an article has in the export comes back (its id and timestamps are the
new library's own); the notes and bookmarks each line carries as W3C Web
Annotations are anchored again on it, so export → import → export is the same.
"""

from __future__ import annotations

import json
import re
from typing import Any

from store.models import ArticleDraft

from .base import Source
from .errors import ImportFailure

__all__ = ["MarginJsonlImporter"]

_KEYS = (re.compile(r'"content_hash"\s*:'), re.compile(r'"body_markdown"\s*:'))
_FIELDS = ("author", "source", "section", "url", "published", "language", "description")


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


class MarginJsonlImporter:
    """``articles.jsonl`` as ``margin export`` writes it."""

    name = "margin-jsonl"
    suffixes = (".jsonl",)
    media_types = ()

    def detect(self, source: Source) -> float:
        """Certain when the first line is an exported article."""
        first = source.data[:65536].split(b"\n", 1)[0].decode("utf-8", "replace")
        exported = first.lstrip().startswith("{") and all(key.search(first) for key in _KEYS)
        return 0.99 if exported else 0.0

    def parse(self, source: Source) -> list[ArticleDraft]:
        """One draft per line; a damaged line is a warning naming its number."""
        drafts = []
        for number, line in enumerate(source.text.split("\n"), start=1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
            except (json.JSONDecodeError, RecursionError):
                source.warnings.append(f"line {number} is not valid JSON; skipped")
                continue
            if not isinstance(item, dict) or not isinstance(item.get("body_markdown"), str):
                source.warnings.append(f"line {number} is not an exported article; skipped")
                continue
            drafts.append(
                ArticleDraft(
                    title=_text(item.get("title")) or "Untitled",
                    body_markdown=item["body_markdown"],
                    kind="excerpt" if item.get("kind") == "excerpt" else "article",
                    origin=_text(item.get("origin")),
                    tags=[t for t in item.get("tags") or [] if isinstance(t, str)],
                    **{key: _text(item.get(key)) for key in _FIELDS},
                )
            )
            notes = item.get("annotations")
            if isinstance(notes, list):
                source.annotations.extend(n for n in notes if isinstance(n, dict))
        if not drafts:
            raise ImportFailure("no exported articles in this file")
        return drafts
