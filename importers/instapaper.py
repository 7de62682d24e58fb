"""Instapaper's exports: the CSV (``URL,Title,Selection,Folder,Timestamp[,Tags]``) and HTML.

Every bookmark becomes a link entry; its folder becomes a tag (``Archive`` as
``archived``, ``Starred`` as ``starred``, ``Unread`` none) and its selection the
entry's quoted text.
"""

from __future__ import annotations

import csv
import io
import json
import re

from store.models import ArticleDraft

from .base import Source
from .errors import ImportFailure
from .links import LinkRow, epoch_iso, link_entries

__all__ = ["InstapaperImporter"]

_CSV_HEADER = re.compile(r"^\ufeff?URL,Title,Selection,Folder(?:,Timestamp)?(?:,Tags)?\s*$", re.I)
_HTML_SIGN = re.compile(r"<title>\s*Instapaper: Export\s*</title>", re.I)
_FOLDER_TAGS = {"unread": None, "archive": "archived", "starred": "starred"}


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
        return link_entries(source, rows, service="Instapaper", what="bookmarks")

    @staticmethod
    def _csv(text: str) -> list[LinkRow]:
        rows: list[LinkRow] = []
        for row in csv.DictReader(io.StringIO(text.lstrip("\ufeff"))):
            saved = epoch_iso(row.get("Timestamp"))
            tags = _folder_tag(row.get("Folder")) + _tags(row.get("Tags"))
            rows.append((row.get("URL") or "", row.get("Title"), tags, saved, row.get("Selection")))
        return rows

    @staticmethod
    def _html(text: str) -> list[LinkRow]:
        import lxml.html

        try:
            tree = lxml.html.fromstring(text)
        except (ValueError, lxml.etree.ParserError):
            raise ImportFailure("not a readable Instapaper export") from None
        rows: list[LinkRow] = []
        folder: str | None = None
        for element in tree.iter("h1", "a"):
            if element.tag == "h1":
                folder = element.text_content()
                continue
            rows.append(
                (element.get("href") or "", element.text_content(), _folder_tag(folder), None, None)
            )
        return rows
