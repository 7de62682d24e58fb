"""Instapaper's exports: the CSV (``URL,Title,Selection,Folder,Timestamp[,Tags]``) and HTML.

Every bookmark becomes a link entry; its folder becomes a tag (``Archive`` as
``archived``, ``Starred`` as ``starred``, ``Unread`` none) and its selection the
entry's quoted text.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re

from store.models import ArticleDraft

from .base import Source
from .errors import ImportFailure
from .links import link_entry

__all__ = ["InstapaperImporter"]

_CSV_HEADER = re.compile(r"^\ufeff?URL,Title,Selection,Folder(?:,Timestamp)?(?:,Tags)?\s*$", re.I)
_HTML_SIGN = re.compile(r"<title>\s*Instapaper: Export\s*</title>", re.I)
_FOLDER_TAGS = {"unread": None, "archive": "archived", "starred": "starred"}

Row = tuple[str, str | None, list[str], str | None, str | None]


def _folder_tag(folder: str | None) -> list[str]:
    name = " ".join((folder or "").split())
    if not name:
        return []
    tag = _FOLDER_TAGS.get(name.lower(), name)
    return [tag] if tag else []


def _tags(value: str | None) -> list[str]:
    value = (value or "").strip()
    if value.startswith("["):
        try:
            items = json.loads(value)
        except json.JSONDecodeError:
            items = []
        return [" ".join(str(i).split()) for i in items if str(i).strip()]
    return [" ".join(p.split()) for p in value.split(",") if p.strip()]


class InstapaperImporter:
    """``instapaper-export.csv`` and ``instapaper-export.html``."""

    name = "instapaper"
    suffixes = (".csv", ".html")
    media_types = ()

    def detect(self, source: Source) -> float:
        """Certain for Instapaper's CSV header or its export page title."""
        head = source.head
        if _CSV_HEADER.match(head.split("\n", 1)[0]) or _HTML_SIGN.search(head):
            return 0.98
        return 0.0

    def parse(self, source: Source) -> list[ArticleDraft]:
        """One link entry per bookmark; unusable rows are warnings."""
        if _CSV_HEADER.match(source.head.split("\n", 1)[0]):
            rows = self._csv(source.text)
        else:
            rows = self._html(source.text)
        drafts = []
        for number, (url, title, tags, saved, selection) in enumerate(rows, start=1):
            draft = link_entry(
                url,
                title,
                tags=tags,
                saved=saved,
                service="Instapaper",
                origin=source.name,
                note=selection,
            )
            if draft is None:
                source.warnings.append(f"item {number}: not a web address: {url[:80]!r}")
            else:
                drafts.append(draft)
                source.links.append(url)
        if not drafts and not source.warnings:
            raise ImportFailure("the Instapaper export lists no bookmarks")
        return drafts

    @staticmethod
    def _csv(text: str) -> list[Row]:
        rows: list[Row] = []
        for row in csv.DictReader(io.StringIO(text.lstrip("\ufeff"))):
            stamp = (row.get("Timestamp") or "").strip()
            saved = (
                dt.datetime.fromtimestamp(int(stamp), dt.UTC).isoformat()
                if stamp.isdigit()
                else None
            )
            tags = _folder_tag(row.get("Folder")) + _tags(row.get("Tags"))
            rows.append((row.get("URL") or "", row.get("Title"), tags, saved, row.get("Selection")))
        return rows

    @staticmethod
    def _html(text: str) -> list[Row]:
        import lxml.html

        try:
            tree = lxml.html.fromstring(text)
        except (ValueError, lxml.etree.ParserError):
            raise ImportFailure("not a readable Instapaper export") from None
        rows: list[Row] = []
        folder: str | None = None
        for element in tree.iter("h1", "a"):
            if element.tag == "h1":
                folder = element.text_content()
                continue
            rows.append(
                (element.get("href") or "", element.text_content(), _folder_tag(folder), None, None)
            )
        return rows
