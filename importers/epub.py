"""EPUB 2 and 3 e-books: each chapter an article, grouped under the book, in reading order.

The book's title is every chapter's source and the chapter's title (from the
table of contents: the EPUB 3 navigation document, else the EPUB 2 NCX) its
section and title. Author and language come from the package metadata. XML is
parsed with entities neither resolved nor fetched, and the archive through
``importers.archive`` (size caps, no paths outside the book).
"""

from __future__ import annotations

import posixpath
import re
from typing import Any

from store.models import ArticleDraft

from .archive import SafeZip, is_zip
from .base import Source
from .dates import parse_date
from .decode import strip_controls
from .errors import ImportFailure
from .fragment import fragment_markdown

__all__ = ["EpubImporter"]

_NS = {
    "c": "urn:oasis:names:tc:opendocument:xmlns:container",
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "ncx": "http://www.daisy.org/z3986/2005/ncx/",
    "x": "http://www.w3.org/1999/xhtml",
    "epub": "http://www.idpf.org/2007/ops",
}
_XHTML_TYPES = ("application/xhtml+xml", "text/html")
_MIN_WORDS = 3
"""Spine documents with fewer words (cover images, blank pages) are skipped."""


def _xml(data: bytes, what: str) -> Any:
    """Parse XML with no entity expansion, no DTD loading and no network."""
    from lxml import etree

    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, recover=False
    )
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        raise ImportFailure(f"damaged {what} ({error.msg})") from None


def _words(text: str | None) -> str | None:
    value = " ".join(strip_controls(text or "").split())
    return value or None


class EpubImporter:
    """``.epub`` files (zip archives with an OPF package)."""

    name = "epub"
    suffixes = (".epub",)
    media_types = ("application/epub+zip",)
    binary = True

    def detect(self, source: Source) -> float:
        """Certain for a zip whose first member is ``mimetype`` = ``application/epub+zip``."""
        data = source.data
        if is_zip(data) and b"mimetypeapplication/epub+zip" in data[:120]:
            return 0.99
        if is_zip(data) and source.suffix == ".epub":
            return 0.96
        return 0.0

    def parse(self, source: Source) -> list[ArticleDraft]:
        """One draft per chapter of the spine, in reading order."""
        book = SafeZip(source.data)
        container = _xml(book.read("META-INF/container.xml"), "container.xml")
        rootfile = container.find(".//c:rootfile", _NS)
        if rootfile is None or not rootfile.get("full-path"):
            raise ImportFailure("not an EPUB (container.xml names no package)")
        opf_path = SafeZip.resolve("", rootfile.get("full-path"))
        base = posixpath.dirname(opf_path)
        package = _xml(book.read(opf_path), "package document")
        meta = package.find("opf:metadata", _NS)

        def dc(name: str) -> list[str]:
            found = meta.findall(f"dc:{name}", _NS) if meta is not None else []
            return [v for v in (_words(e.text) for e in found) if v]

        title = next(iter(dc("title")), None) or posixpath.basename(source.name)
        author = ", ".join(dict.fromkeys(dc("creator"))) or None
        language = next(iter(dc("language")), None)
        published = parse_date(next(iter(dc("date")), None))
        manifest: dict[str, tuple[str, str, str]] = {}
        for item in package.iterfind("opf:manifest/opf:item", _NS):
            if item.get("id") and item.get("href"):
                href = SafeZip.resolve(base, item.get("href"))
                manifest[item.get("id")] = (
                    href,
                    item.get("media-type") or "",
                    item.get("properties") or "",
                )
        spine = package.find("opf:spine", _NS)
        if spine is None:
            raise ImportFailure("not an EPUB (the package has no spine)")
        toc = self._toc(book, manifest, spine)
        drafts = []
        for number, itemref in enumerate(spine.iterfind("opf:itemref", _NS), start=1):
            entry = manifest.get(itemref.get("idref") or "")
            if entry is None or entry[1] not in _XHTML_TYPES or itemref.get("linear") == "no":
                continue
            href = entry[0]
            chapter = _xml(book.read(href), f"chapter {href}")
            body = chapter.find("x:body", _NS)
            if body is None:
                body = chapter
            from lxml import etree

            html = "".join(
                etree.tostring(child, encoding="unicode", method="html") for child in body
            )
            markdown = fragment_markdown(re.sub(r"\sxmlns(:\w+)?=\"[^\"]*\"", "", html))
            if len(markdown.split()) < _MIN_WORDS:
                continue
            if href not in toc and toc and drafts and _first_heading(markdown) is None:
                # A chapter split over several files: the table of contents names only
                # its first one, and the rest carry on from it.
                drafts[-1].body_markdown = drafts[-1].body_markdown.rstrip("\n") + "\n\n" + markdown
                continue
            name = toc.get(href) or _first_heading(markdown) or f"Chapter {number}"
            if not markdown.lstrip().startswith("#"):
                markdown = f"# {name}\n\n{markdown}"
            drafts.append(
                ArticleDraft(
                    title=name if name != title else f"{title} ({number})",
                    body_markdown=markdown,
                    author=author,
                    source=title,
                    section=name,
                    published=published,
                    language=language,
                    origin=f"{source.name}#{href}",
                )
            )
        if not drafts:
            raise ImportFailure("the book has no chapters with text")
        return drafts

    @staticmethod
    def _toc(
        book: SafeZip, manifest: dict[str, tuple[str, str, str]], spine: Any
    ) -> dict[str, str]:
        """Chapter file → its title in the table of contents (first entry for each file)."""
        titles: dict[str, str] = {}
        nav = next((m for m in manifest.values() if "nav" in m[2].split()), None)
        if nav is not None:
            doc = _xml(book.read(nav[0]), "navigation document")
            base = posixpath.dirname(nav[0])
            for link in doc.iterfind(".//x:nav//x:a", _NS):
                label = _words("".join(link.itertext()))
                if link.get("href") and label:
                    titles.setdefault(SafeZip.resolve(base, link.get("href")), label)
            if titles:
                return titles
        ncx = manifest.get(spine.get("toc") or "")
        if ncx is not None:
            doc = _xml(book.read(ncx[0]), "table of contents (NCX)")
            base = posixpath.dirname(ncx[0])
            for point in doc.iterfind(".//ncx:navPoint", _NS):
                label = point.find("ncx:navLabel/ncx:text", _NS)
                content = point.find("ncx:content", _NS)
                if label is not None and content is not None and content.get("src"):
                    text = _words(label.text)
                    if text:
                        titles.setdefault(SafeZip.resolve(base, content.get("src")), text)
        return titles


def _first_heading(markdown: str) -> str | None:
    match = re.search(r"^#{1,6} +(.+?) *#*$", markdown, re.M)
    return _words(match.group(1).replace("\\", "")) if match else None
