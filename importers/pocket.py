"""Pocket's exports: the CSV (``title,url,time_added,tags,status``) and the older HTML list.

Every saved item becomes a link entry (an excerpt with its URL, title and tags;
archived items also get the tag ``archived``), fetched later by importing its URL.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

from store.models import ArticleDraft

from .base import Source
from .errors import ImportFailure
from .links import link_entry

__all__ = ["PocketImporter"]

_CSV_HEADER = re.compile(r"^\ufeff?title,url,time_added,(?:cursor,)?tags,status\s*$", re.I)
_HTML_SIGN = re.compile(r"<title>\s*Pocket Export\s*</title>", re.I)


def _saved(value: str | None) -> str | None:
    if value and value.strip().isdigit():
        return dt.datetime.fromtimestamp(int(value), dt.UTC).isoformat()
    return None


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
        drafts = []
        for number, (url, title, tags, saved) in enumerate(items, start=1):
            draft = link_entry(
                url, title, tags=tags, saved=saved, service="Pocket", origin=source.name
            )
            if draft is None:
                source.warnings.append(f"item {number}: not a web address: {url[:80]!r}")
            else:
                drafts.append(draft)
                source.links.append(url)
        if not drafts and not source.warnings:
            raise ImportFailure("the Pocket export lists no items")
        return drafts

    @staticmethod
    def _csv(text: str) -> list[tuple[str, str | None, list[str], str | None]]:
        rows = []
        for row in csv.DictReader(io.StringIO(text.lstrip("\ufeff"))):
            tags = _tags(row.get("tags"), "|")
            if (row.get("status") or "").strip().lower() == "archive":
                tags.append("archived")
            rows.append(
                (row.get("url") or "", row.get("title"), tags, _saved(row.get("time_added")))
            )
        return rows

    @staticmethod
    def _html(text: str) -> list[tuple[str, str | None, list[str], str | None]]:
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
            rows.append((element.get("href") or "", title, tags, _saved(element.get("time_added"))))
        return rows
