"""Pocket's exports: the CSV (``title,url,time_added,tags,status``) and the older HTML list.

Every saved item becomes a link entry (an excerpt with its URL, title and tags;
archived items also get the tag ``archived``), fetched later by importing its URL.
"""

from __future__ import annotations

import csv
import io
import re

from store.models import ArticleDraft

from .base import Source
from .errors import ImportFailure
from .links import LinkRow, epoch_iso, link_entries

__all__ = ["PocketImporter"]

_CSV_HEADER = re.compile(r"^\ufeff?title,url,time_added,(?:cursor,)?tags,status\s*$", re.I)
_HTML_SIGN = re.compile(r"<title>\s*Pocket Export\s*</title>", re.I)


def _tags(value: str | None, separators: str) -> list[str]:
    parts = re.split(f"[{re.escape(separators)}]", value or "")
    return [" ".join(p.split()) for p in parts if p.strip()]


class PocketImporter:
    """``part_000000.csv`` and ``ril_export.html`` from Pocket."""

    name = "pocket"
    suffixes = (".csv", ".html")
    media_types = ()

    def detect(self, source: Source) -> float:
        """Certain for Pocket's CSV header or its export page title."""
        head = source.head
        first = head.split("\n", 1)[0]
        if _CSV_HEADER.match(first) or _HTML_SIGN.search(head):
            return 0.98
        return 0.0

    def parse(self, source: Source) -> list[ArticleDraft]:
        """One link entry per saved item; unusable rows are warnings."""
        if _CSV_HEADER.match(source.head.split("\n", 1)[0]):
            items = self._csv(source.text)
        else:
            items = self._html(source.text)
        return link_entries(source, items, service="Pocket")

    @staticmethod
    def _csv(text: str) -> list[LinkRow]:
        rows = []
        for row in csv.DictReader(io.StringIO(text.lstrip("\ufeff"))):
            tags = _tags(row.get("tags"), "|")
            if (row.get("status") or "").strip().lower() == "archive":
                tags.append("archived")
            rows.append(
                (
                    row.get("url") or "",
                    row.get("title"),
                    tags,
                    epoch_iso(row.get("time_added")),
                    None,
                )
            )
        return rows

    @staticmethod
    def _html(text: str) -> list[LinkRow]:
        import lxml.html

        try:
            tree = lxml.html.fromstring(text)
        except (ValueError, lxml.etree.ParserError):
            raise ImportFailure("not a readable Pocket export") from None
        rows = []
        archived = False
        for element in tree.iter("h1", "a"):
            if element.tag == "h1":
                archived = "archive" in element.text_content().lower()
                continue
            tags = _tags(element.get("tags"), ",")
            if archived:
                tags.append("archived")
            title = element.text_content()
            rows.append(
                (element.get("href") or "", title, tags, epoch_iso(element.get("time_added")), None)
            )
        return rows
