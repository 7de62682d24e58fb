"""OPML subscription lists: read the feeds another reader exports, write Margin's own."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from store.models import ArticleDraft, Subscription

from .base import Source, is_url
from .errors import ImportFailure

__all__ = ["OpmlFeed", "OpmlImporter", "read_opml", "write_opml"]

_DOCTYPE = re.compile(rb"<!DOCTYPE|<!ENTITY", re.I)
_OPML_ROOT = re.compile(r"^\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--.*?-->\s*)*<opml[\s>]", re.I | re.S)
MAX_OPML_BYTES = 20_000_000


@dataclass(frozen=True)
class OpmlFeed:
    """One feed outline: its feed URL, title, web site and enclosing folders."""

    url: str
    title: str | None = None
    site_url: str | None = None
    folder: str | None = None
    """The enclosing outlines' titles, ``/``-joined (``News/Science``)."""


def read_opml(data: bytes) -> tuple[list[OpmlFeed], list[str]]:
    """The feeds an OPML document lists, and one-line notes on outlines skipped.

    :raises ImportFailure: for data that is not OPML, is damaged, or declares a
        DOCTYPE (entities are never expanded or fetched).
    """
    if len(data) > MAX_OPML_BYTES:
        raise ImportFailure(f"OPML file larger than {MAX_OPML_BYTES // 1_000_000} MB")
    if _DOCTYPE.search(data[:65536]):
        raise ImportFailure("OPML with a DOCTYPE is refused (entities are never expanded)")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as error:
        line = error.position[0] if error.position else 0
        raise ImportFailure(f"not readable OPML (damaged XML at line {line})") from None
    if root.tag.lower() != "opml":
        raise ImportFailure(f"not OPML (the document is <{root.tag}>)")
    body = root.find("body")
    if body is None:
        raise ImportFailure("not OPML (no <body>)")
    feeds: list[OpmlFeed] = []
    skipped: list[str] = []
    seen: set[str] = set()

    def walk(element: ET.Element, folders: list[str]) -> None:
        for outline in element.findall("outline"):
            attributes = {k.lower(): v for k, v in outline.attrib.items()}
            title = " ".join((attributes.get("title") or attributes.get("text") or "").split())
            url = (attributes.get("xmlurl") or "").strip()
            if url:
                if not is_url(url):
                    skipped.append(f"outline {title or url!r}: not a web address: {url}")
                elif url not in seen:
                    seen.add(url)
                    site = (attributes.get("htmlurl") or "").strip() or None
                    folder = "/".join(folders) or None
                    feeds.append(OpmlFeed(url, title or None, site, folder))
            walk(outline, [*folders, title] if title and not url else folders)

    walk(body, [])
    return feeds, skipped


def write_opml(
    subscriptions: Iterable[Subscription], *, title: str = "Margin subscriptions"
) -> str:
    """An OPML 2.0 document listing ``subscriptions``."""
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = title
    ET.SubElement(head, "dateCreated").text = datetime.now(UTC).strftime(
        "%a, %d %b %Y %H:%M:%S GMT"
    )
    body = ET.SubElement(root, "body")
    folders: dict[str, ET.Element] = {}

    def folder_of(path: str | None) -> ET.Element:
        """The outline for folder ``path`` (``News/Science``), made on first use."""
        if not path:
            return body
        if path not in folders:
            parent, _, name = path.rpartition("/")
            folders[path] = ET.SubElement(
                folder_of(parent), "outline", {"text": name, "title": name}
            )
        return folders[path]

    for sub in sorted(subscriptions, key=lambda s: (s.folder or "", (s.title or s.url).casefold())):
        name = sub.title or sub.url
        attributes = {"type": "rss", "text": name, "title": name, "xmlUrl": sub.url}
        if sub.site_url:
            attributes["htmlUrl"] = sub.site_url
        ET.SubElement(folder_of(sub.folder), "outline", attributes)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


class OpmlImporter:
    """Recognises OPML given to ``margin import``, to say what to do with it instead.

    An OPML file is a list of subscriptions, not articles: ``margin feeds import``
    reads it. Without this, the HTML importer would look for an article in it.
    """

    name = "opml"
    suffixes = (".opml",)
    media_types = ("text/x-opml", "application/xml+opml")

    def detect(self, source: Source) -> float:
        """Certain for an ``<opml>`` root element."""
        return 0.98 if _OPML_ROOT.match(source.head) else 0.0

    def parse(self, source: Source) -> list[ArticleDraft]:
        """Always refuses, naming the command that reads subscriptions."""
        raise ImportFailure(
            "an OPML list of feeds, not articles: subscribe with margin feeds import FILE"
        )
