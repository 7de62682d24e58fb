"""Wallabag's JSON export: saved articles with their content, tags and annotations.

Each entry becomes an article (its saved HTML content), or a link ``excerpt``
when wallabag had no content. Tags come along; starred and archived entries get
the tags ``starred`` and ``archived``. Annotations become notes anchored to
their quotes (through the W3C Web Annotation import, matched by the entry's URL).
"""

from __future__ import annotations

import json
import re
from typing import Any

from store.models import ArticleDraft

from .base import Source, is_url
from .dates import parse_date
from .decode import strip_controls
from .errors import ImportFailure
from .fragment import fragment_markdown

__all__ = ["WallabagImporter"]

_SIGNATURE = re.compile(r'^\s*\[\s*\{[^\[\]]*?"(?:is_archived|is_starred)"\s*:', re.S)
ANNOTATION_ID = "urn:wallabag:annotation:"


def _plain(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    text = " ".join(strip_controls(value).split())
    return text or None


def _flag(value: Any) -> bool:
    return value in (1, True, "1", "true")


class WallabagImporter:
    """``wallabag export`` JSON files (a list of entries)."""

    name = "wallabag"
    suffixes = (".json",)
    media_types = ()

    def detect(self, source: Source) -> float:
        """Certain for a JSON list whose first object has wallabag's ``is_archived`` flag."""
        head = source.data[:4096].decode("utf-8", "replace")
        return 0.98 if _SIGNATURE.match(head) else 0.0

    def parse(self, source: Source) -> list[ArticleDraft]:
        """One draft per entry; annotations go to ``source.annotations``."""
        try:
            data = json.loads(source.text)
        except (json.JSONDecodeError, RecursionError) as error:
            where = f" at line {error.lineno}" if isinstance(error, json.JSONDecodeError) else ""
            raise ImportFailure(f"not a readable wallabag export (invalid JSON{where})") from None
        if not isinstance(data, list):
            raise ImportFailure("not a wallabag export (expected a list of entries)")
        drafts = []
        for number, entry in enumerate(data, start=1):
            draft = self._entry(entry, source) if isinstance(entry, dict) else None
            if draft is None:
                source.warnings.append(f"entry {number} has no usable URL or title; skipped")
            else:
                drafts.append(draft)
                if draft.kind == "excerpt" and draft.url:
                    source.links.append(draft.url)
        return drafts

    def _entry(self, entry: dict[str, Any], source: Source) -> ArticleDraft | None:
        url = _plain(entry.get("url"))
        url = url if url and is_url(url) else None
        title = _plain(entry.get("title"))
        if not url and not title:
            return None
        body = None
        if isinstance(entry.get("content"), str) and entry["content"].strip():
            body = fragment_markdown(entry["content"], url)
            if not body.strip():
                body = None
        tags = [_plain(t.get("label") if isinstance(t, dict) else t) for t in _list(entry, "tags")]
        tags = [t for t in tags if t]
        if _flag(entry.get("is_starred")):
            tags.append("starred")
        if _flag(entry.get("is_archived")):
            tags.append("archived")
        authors = [_plain(a) for a in _list(entry, "published_by")]
        if url:
            self._annotations(entry, url, source)
        return ArticleDraft(
            title=title or url or "Untitled",
            body_markdown=body or f"<{url}>\n",
            author=", ".join(a for a in authors if a) or None,
            source=_plain(entry.get("domain_name")),
            url=url,
            published=parse_date(entry.get("published_at")),
            language=_plain(entry.get("language")),
            kind="article" if body else "excerpt",
            origin=source.name,
            tags=list(dict.fromkeys(tags)),
        )

    @staticmethod
    def _annotations(entry: dict[str, Any], url: str, source: Source) -> None:
        for note in _list(entry, "annotations"):
            if not isinstance(note, dict) or not _plain(note.get("quote")):
                continue
            annotation: dict[str, Any] = {
                "type": "Annotation",
                "id": f"{ANNOTATION_ID}{entry.get('id')}:{note.get('id')}",
                "target": {
                    "source": url,
                    "selector": [{"type": "TextQuoteSelector", "exact": _plain(note["quote"])}],
                },
            }
            if _plain(note.get("text")):
                annotation["body"] = [
                    {"type": "TextualBody", "value": note["text"].strip(), "purpose": "commenting"}
                ]
            for key, field in (("created_at", "created"), ("updated_at", "modified")):
                if parse_date(note.get(key)):
                    annotation[field] = parse_date(note.get(key))
            source.annotations.append(annotation)


def _list(entry: dict[str, Any], key: str) -> list[Any]:
    value = entry.get(key)
    return value if isinstance(value, list) else []
