"""Omnivore's export archive: ``metadata_*.json``, ``content/SLUG.md|html``, ``highlights/SLUG.md``.

Each saved item becomes an article (its Markdown or HTML content), or a link
entry when the archive has no content for it. Labels become tags (archived
items also get ``archived``); highlights and their notes become Margin notes
anchored to their quotes, on the article with the item's URL.
"""

from __future__ import annotations

import json
import re
from typing import Any

from store.models import ArticleDraft

from .archive import SafeZip, is_zip
from .base import Source, is_url
from .dates import parse_date
from .decode import decode_text, strip_controls
from .errors import ImportFailure
from .fragment import fragment_markdown
from .links import link_entry

__all__ = ["OmnivoreImporter"]

_METADATA = re.compile(r"(?:^|/)metadata_\d+_to_\d+\.json$")
_BACKLINK = re.compile(r"\s*\[[^\]]*\]\(https?://omnivore\.app/[^)]*\)\s*$")
ANNOTATION_ID = "urn:omnivore:highlight:"


def _plain(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    return " ".join(strip_controls(value).split()) or None


class OmnivoreImporter:
    """Zip archives written by Omnivore's export."""

    name = "omnivore"
    suffixes = (".zip",)
    media_types = ()
    binary = True

    def detect(self, source: Source) -> float:
        """Certain for a zip holding ``metadata_N_to_M.json`` files."""
        if not is_zip(source.data):
            return 0.0
        try:
            names = SafeZip(source.data).names
        except ImportFailure:
            return 0.0
        return 0.99 if any(_METADATA.search(name) for name in names) else 0.0

    def parse(self, source: Source) -> list[ArticleDraft]:
        """One draft per saved item; highlights go to ``source.annotations``."""
        archive = SafeZip(source.data)
        items: list[dict[str, Any]] = []
        for name in sorted(n for n in archive.names if _METADATA.search(n)):
            try:
                data = json.loads(decode_text(archive.read(name)))
            except (json.JSONDecodeError, RecursionError):
                source.warnings.append(f"{name} is not valid JSON; its items were skipped")
                continue
            if isinstance(data, list):
                items.extend(item for item in data if isinstance(item, dict))
        drafts = []
        for number, item in enumerate(items, start=1):
            draft = self._item(item, archive, source)
            if draft is None:
                source.warnings.append(f"item {number} has no usable URL; skipped")
            else:
                drafts.append(draft)
        if not drafts and not source.warnings:
            raise ImportFailure("the Omnivore export lists no items")
        return drafts

    def _item(self, item: dict[str, Any], archive: SafeZip, source: Source) -> ArticleDraft | None:
        url = _plain(item.get("url"))
        if not url or not is_url(url):
            return None
        slug = _plain(item.get("slug")) or ""
        labels = item.get("labels") if isinstance(item.get("labels"), list) else []
        tags = [_plain(lb.get("name") if isinstance(lb, dict) else lb) for lb in labels]
        tags = [t for t in tags if t]
        if str(item.get("state", "")).lower() == "archived":
            tags.append("archived")
        body = self._content(archive, slug, url)
        self._highlights(archive, slug, url, item, source)
        if body is None:
            draft = link_entry(
                url,
                _plain(item.get("title")),
                tags=tags,
                saved=parse_date(item.get("savedAt")),
                service="Omnivore",
                origin=source.name,
            )
            if draft is not None:
                source.links.append(url)
            return draft
        return ArticleDraft(
            title=_plain(item.get("title")) or url,
            body_markdown=body,
            author=_plain(item.get("author")),
            url=url,
            published=parse_date(item.get("publishedAt")),
            description=_plain(item.get("description")),
            origin=source.name,
            tags=list(dict.fromkeys(tags)),
        )

    @staticmethod
    def _content(archive: SafeZip, slug: str, url: str) -> str | None:
        if not slug or "/" in slug:
            return None
        for suffix in (".md", ".html"):
            name = f"content/{slug}{suffix}"
            if name in archive.names:
                text = decode_text(archive.read(name))
                body = (
                    strip_controls(text).strip()
                    if suffix == ".md"
                    else fragment_markdown(text, url)
                )
                if body.strip():
                    return body.strip() + "\n"
        return None

    @staticmethod
    def _highlights(
        archive: SafeZip, slug: str, url: str, item: dict[str, Any], source: Source
    ) -> None:
        found: list[tuple[str, str]] = []
        for highlight in item.get("highlights") or []:
            if isinstance(highlight, dict) and _plain(highlight.get("quote")):
                found.append((highlight["quote"], highlight.get("annotation") or ""))
        name = f"highlights/{slug}.md"
        if slug and "/" not in slug and name in archive.names:
            found.extend(_highlights_markdown(decode_text(archive.read(name))))
        for number, (quote, note) in enumerate(dict.fromkeys(found), start=1):
            annotation: dict[str, Any] = {
                "type": "Annotation",
                "id": f"{ANNOTATION_ID}{item.get('id') or slug}:{number}",
                "target": {
                    "source": url,
                    "selector": [{"type": "TextQuoteSelector", "exact": _plain(quote)}],
                },
            }
            if note.strip():
                annotation["body"] = [
                    {"type": "TextualBody", "value": note.strip(), "purpose": "commenting"}
                ]
            source.annotations.append(annotation)


def _highlights_markdown(text: str) -> list[tuple[str, str]]:
    """``> quote [⤴️](link)`` blocks, each optionally followed by its note."""
    found: list[tuple[str, str]] = []
    for block in re.split(r"\n\s*\n", text.strip()):
        lines = block.strip().split("\n")
        if lines and lines[0].startswith(">"):
            quote = " ".join(line.lstrip("> ").strip() for line in lines if line.startswith(">"))
            found.append((_BACKLINK.sub("", quote), ""))
        elif found and block.strip() and not block.lstrip().startswith("#"):
            quote, note = found[-1]
            found[-1] = (quote, (note + "\n\n" + block.strip()).strip())
    return found
