"""Web pages: saved HTML (and MHTML) files to one article, with its metadata.

The main text comes from trafilatura, converted to Markdown with markdownify;
metadata comes from the page's own declarations (JSON-LD, OpenGraph, ``<meta>``,
``<time>``) before anything guessed from the text.
"""

from __future__ import annotations

import email
import email.policy
import json
import re
from collections.abc import Iterable, Iterator
from copy import deepcopy
from dataclasses import dataclass
from typing import Any

import lxml.html
from lxml import etree
from markdownify import MarkdownConverter

from store.models import ArticleDraft

from .base import Source
from .decode import DecodeError, clean_text, decode_bytes
from .errors import ImportFailure

__all__ = ["HtmlImporter", "decode_html", "extract_article", "html_to_markdown"]

_MHTML_HEAD = re.compile(rb"^(?:[\w-]+:[^\n]*\r?\n|[ \t][^\n]*\r?\n)*?MIME-Version:", re.I)
_META_CHARSET = re.compile(
    rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9_:.\-]+)""", re.I
)
_TAG = re.compile(r"<(?:!doctype html|html|head|body|div|p|a|span|meta|title|script|article)\b", re.I)


# --------------------------------------------------------------------------- decoding


def _mhtml_html_part(data: bytes) -> tuple[bytes, str | None, str | None]:
    """The first ``text/html`` part of an MHTML archive: (bytes, charset, location)."""
    message = email.message_from_bytes(data, policy=email.policy.compat32)
    for part in message.walk():
        if part.get_content_type() == "text/html":
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes):
                return payload, part.get_content_charset(), part.get("Content-Location")
    raise ImportFailure("MHTML archive without an HTML page")


def _is_mhtml(data: bytes) -> bool:
    head = data[:4096]
    return bool(_MHTML_HEAD.match(head)) and b"multipart/related" in head.lower()


def _declared_charset(data: bytes) -> str | None:
    """The charset a ``<meta charset>`` or http-equiv tag declares in the first 4 KB."""
    match = _META_CHARSET.search(data[:4096])
    return match.group(1).decode("ascii", "replace") if match else None


def decode_html(data: bytes, http_charset: str | None = None) -> str:
    """Decode an HTML page: BOM, then valid UTF-8, then HTTP charset, meta charset, detection.

    Bytes that are valid UTF-8 with non-ASCII characters are read as UTF-8 even when
    a header claims a legacy charset: servers often mislabel pages as ISO-8859-1, and
    legacy text is almost never valid UTF-8 by accident.
    """
    hint = http_charset or _declared_charset(data)
    if hint and hint.lower().replace("_", "-") not in {"utf-8", "utf8"}:
        try:
            text = data.decode("utf-8")
            if not text.isascii():
                return clean_text(text)
        except UnicodeDecodeError:
            pass
    try:
        return clean_text(decode_bytes(data, hint))
    except DecodeError:
        raise
    except (LookupError, ValueError):
        return clean_text(decode_bytes(data, None))


# --------------------------------------------------------------------------- metadata


_WS = re.compile(r"\s+")
_ARTICLE_TYPES = {
    "article", "newsarticle", "blogposting", "reportagenewsarticle", "analysisnewsarticle",
    "opinionnewsarticle", "reviewnewsarticle", "backgroundnewsarticle", "scholarlyarticle",
    "techarticle", "socialmediaposting", "liveblogposting", "report", "webpage", "posting",
    "review", "creativework", "medicalwebpage", "itempage", "discussionforumposting",
}


def _norm(text: str | None) -> str:
    return _WS.sub(" ", text or "").strip()


def _json_items(tree: lxml.html.HtmlElement) -> Iterator[dict[str, Any]]:
    """Every JSON-LD object on the page, flattening ``@graph`` and lists."""
    for script in tree.iterfind(".//script"):
        kind = (script.get("type") or "").lower()
        if "ld+json" not in kind or not script.text:
            continue
        raw = script.text.strip().rstrip(";")
        try:
            data = json.loads(raw)
        except ValueError:
            try:
                data = json.loads(re.sub(r"[\x00-\x1f]+", " ", raw))
            except ValueError:
                continue
        stack = [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                if "@graph" in item:
                    stack.extend(item["@graph"] if isinstance(item["@graph"], list) else [])
                yield item


def _types(item: dict[str, Any]) -> set[str]:
    kind = item.get("@type", "")
    kinds = kind if isinstance(kind, list) else [kind]
    return {str(k).lower() for k in kinds}


def _names(value: Any) -> list[str]:
    """Person names from a JSON-LD ``author`` value."""
    out: list[str] = []
    for item in value if isinstance(value, list) else [value]:
        if isinstance(item, str):
            out.append(item)
        elif isinstance(item, dict):
            name = item.get("name")
            if isinstance(name, list):
                name = " ".join(map(str, name))
            if isinstance(name, str):
                out.append(name)
            elif item.get("givenName") or item.get("familyName"):
                out.append(f"{item.get('givenName', '')} {item.get('familyName', '')}")
    return [n for n in (_norm(x) for x in out) if n]


@dataclass
class PageMeta:
    """Metadata declared by a page."""

    title: str | None = None
    authors: list[str] | None = None
    site: str | None = None
    published: str | None = None
    url: str | None = None
    language: str | None = None
    description: str | None = None


def _meta_map(tree: lxml.html.HtmlElement) -> dict[str, list[str]]:
    """``<meta>`` contents keyed by lower-case name/property/itemprop/http-equiv."""
    found: dict[str, list[str]] = {}
    for meta in tree.iterfind(".//meta"):
        content = meta.get("content")
        if content is None or not content.strip():
            continue
        for attr in ("property", "name", "itemprop", "http-equiv"):
            key = meta.get(attr)
            if key:
                found.setdefault(key.strip().lower(), []).append(_norm(content))
    return found


def _first(meta: dict[str, list[str]], *keys: str) -> str | None:
    for key in keys:
        for value in meta.get(key, ()):
            if value:
                return value
    return None


_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}:\d{2}(?::\d{2})?(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?)?")


def _iso_date(value: str | None) -> str | None:
    """``YYYY-MM-DD`` (or a full ISO datetime) from a declared date, else None."""
    if not value:
        return None
    match = _DATE.search(value)
    if not match:
        return None
    year, month, day, clock, zone = match.groups()
    if not (1990 <= int(year) <= 2100 and 1 <= int(month) <= 12 and 1 <= int(day) <= 31):
        return None
    day_part = f"{year}-{int(month):02d}-{int(day):02d}"
    if clock:
        clock = clock.split(".")[0]
        if clock.count(":") == 1:
            clock += ":00"
        zone = "+00:00" if zone == "Z" else (zone[:3] + ":" + zone[-2:] if zone else "")
        return f"{day_part}T{int(clock[:2]):02d}{clock[clock.index(':'):]}{zone}"
    return day_part


def page_metadata(tree: lxml.html.HtmlElement) -> PageMeta:
    """Read the metadata the page declares about itself."""
    meta = _meta_map(tree)
    info = PageMeta()
    article: dict[str, Any] | None = None
    others: list[dict[str, Any]] = []
    for item in _json_items(tree):
        kinds = _types(item)
        if article is None and kinds & _ARTICLE_TYPES and (
            item.get("headline") or item.get("author") or item.get("datePublished")
        ):
            article = item
        else:
            others.append(item)
    for item in [article] if article else []:
        headline = item.get("headline") or item.get("name")
        if isinstance(headline, str):
            info.title = _norm(headline)
        if item.get("author"):
            info.authors = _names(item["author"]) or None
        info.published = _iso_date(str(item.get("datePublished") or "")) or None
        publisher = item.get("publisher")
        if isinstance(publisher, dict) and isinstance(publisher.get("name"), str):
            info.site = _norm(publisher["name"])
        if isinstance(item.get("inLanguage"), str):
            info.language = item["inLanguage"]
        if isinstance(item.get("description"), str):
            info.description = _norm(item["description"])
        if isinstance(item.get("url"), str) and item["url"].startswith("http"):
            info.url = item["url"]
    for item in others:
        if not info.site and "website" in _types(item) and isinstance(item.get("name"), str):
            info.site = _norm(item["name"])

    info.title = info.title or _first(meta, "og:title", "twitter:title", "title")
    if not info.authors:
        author = _first(meta, "author", "article:author", "dc.creator", "byl", "sailthru.author",
                        "parsely-author", "dcterms.creator")
        if author and not author.startswith("http"):
            info.authors = [a for a in (_norm(x) for x in re.split(r"\s*(?:,|;|\band\b|&)\s*", author)) if a]
    info.published = info.published or _iso_date(
        _first(meta, "article:published_time", "datepublished", "pubdate", "publishdate",
               "date", "dc.date", "dc.date.issued", "dcterms.date", "sailthru.date",
               "parsely-pub-date", "og:published_time", "published_time", "article.published",
               "publish-date", "cxenseparse:recs:publishtime")
    )
    if not info.published:
        for time_el in tree.iterfind(".//time"):
            stamp = _iso_date(time_el.get("datetime") or "")
            if stamp:
                info.published = stamp
                break
    info.site = info.site or _first(meta, "og:site_name", "application-name", "twitter:site")
    if info.site and info.site.startswith("@"):
        info.site = info.site[1:]
    canonical = None
    for link in tree.iterfind(".//link"):
        if (link.get("rel") or "").lower() == "canonical" and link.get("href", "").startswith("http"):
            canonical = link.get("href")
            break
    info.url = canonical or _first(meta, "og:url") or info.url
    if info.url and not info.url.startswith("http"):
        info.url = None
    lang = tree.get("lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang")
    info.language = _lang(lang or info.language or _first(meta, "content-language", "og:locale", "language"))
    info.description = info.description or _first(meta, "description", "og:description", "twitter:description")
    return info


def _lang(value: str | None) -> str | None:
    if not value:
        return None
    value = value.strip().replace("_", "-").split(",")[0]
    if not re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*", value):
        return None
    head, _, tail = value.partition("-")
    return head.lower() + (f"-{tail.upper()}" if tail and len(tail) == 2 else f"-{tail}" if tail else "")


# --------------------------------------------------------------------------- markdown


_BLOCK_START = re.compile(r"^(\s*)(\d{1,9}(?=[.)]\s)|[-+*#>=](?=\s|$))")
_HTML_LIKE = re.compile(r"<(?=[A-Za-z/!?])")


class _Converter(MarkdownConverter):
    """markdownify that escapes text that would read as Markdown, images as alt text."""

    def escape(self, text: str, parent_tags: set[str]) -> str:  # noqa: D102
        text = super().escape(text, parent_tags)
        text = _HTML_LIKE.sub(r"\\<", text)
        match = _BLOCK_START.match(text)
        if match:
            if match.group(2)[0].isdigit():
                end = match.end()
                text = f"{text[:end]}\\{text[end:]}"
            else:
                start = match.start(2)
                text = f"{text[:start]}\\{text[start:]}"
        return text

    def convert_img(self, el: Any, text: str, parent_tags: set[str]) -> str:  # noqa: D102
        alt = _norm(el.attrs.get("alt") or el.attrs.get("title") or "")
        src = el.attrs.get("src") or ""
        if not alt:
            return ""
        if "_inline" in parent_tags or not src or src.startswith("data:"):
            return alt
        return f"[{alt}]({src})"


_MD_OPTIONS = {
    "heading_style": "ATX",
    "bullets": "-",
    "strip": ["script", "style", "iframe", "form", "button", "noscript"],
    "escape_misc": False,
    "code_language": "",
}


def html_to_markdown(html: str) -> str:
    """Convert (already cleaned) article HTML to tidy Markdown."""
    text = _Converter(**_MD_OPTIONS).convert(html)
    text = re.sub(r"[ \t]+\n", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip() + "\n"


# --------------------------------------------------------------------------- extraction


@dataclass
class Extracted:
    """One page's extracted article."""

    markdown: str
    meta: PageMeta
    title: str | None


_PARSER = lxml.html.HTMLParser(
    collect_ids=False, default_doctype=False, remove_comments=True, remove_pis=True
)
_PROLOG = re.compile(r"^\s*(?:<\?xml[^>]*\?>\s*)?(?:<!doctype[^>]*>)?", re.I)


def _parse_tree(text: str) -> lxml.html.HtmlElement:
    """Parse a page once, without comments or processing instructions."""
    try:
        tree = lxml.html.fromstring(_PROLOG.sub("", text, count=1), parser=_PARSER)
    except (etree.ParserError, ValueError) as err:
        raise ImportFailure("no article found in this page") from err
    if tree is None or tree.tag != "html":
        wrapper = lxml.html.fromstring(f"<html><body>{text}</body></html>", parser=_PARSER)
        tree = wrapper if wrapper is not None else tree
    if tree is None:
        raise ImportFailure("no article found in this page")
    return tree


_TRAFILATURA: dict[str, Any] = {
    "favor_precision": True,
    "include_comments": False,
    "include_tables": True,
    "include_images": False,
    "include_formatting": True,
    "include_links": True,
    "with_metadata": True,
}


def extract_article(text: str, url: str | None = None) -> Extracted:
    """Find the main article in a decoded page and convert it to Markdown."""
    import trafilatura
    from trafilatura.htmlprocessing import convert_to_html

    tree = _parse_tree(text)
    meta = page_metadata(tree)
    doc = trafilatura.bare_extraction(deepcopy(tree), url=url or meta.url, **_TRAFILATURA)
    if doc is None or doc.body is None or not "".join(doc.body.itertext()).strip():
        raise ImportFailure("no article found in this page")
    html = etree.tostring(convert_to_html(doc.body), encoding="unicode")
    markdown = html_to_markdown(html)
    if len(markdown.split()) < 5:
        raise ImportFailure("no article found in this page")
    if not meta.authors and doc.author:
        meta.authors = [a.strip() for a in doc.author.split(";") if a.strip()]
    meta.published = meta.published or _iso_date(doc.date)
    meta.site = meta.site or doc.sitename
    meta.description = meta.description or doc.description
    return Extracted(markdown=markdown, meta=meta, title=doc.title or meta.title)


# --------------------------------------------------------------------------- importer


class HtmlImporter:
    """Saved web pages (``.html``, ``.htm``, ``.mhtml``) and fetched HTML."""

    name = "html"

    def detect(self, source: Source) -> float:
        """How sure we are that ``source`` is an HTML page (or MHTML archive)."""
        if _is_mhtml(source.data):
            return 0.95
        try:
            head = source.head
        except ImportFailure:
            return 0.0
        lowered = head.lstrip()[:200].lower()
        if lowered.startswith(("<!doctype html", "<html")):
            return 0.97
        if re.search(r"<(?:html|head|body)\b", head, re.I):
            return 0.92
        tags = len(_TAG.findall(head))
        score = 0.0
        if tags >= 8:
            score = 0.8
        elif tags >= 3:
            score = 0.5
        if source.suffix in {".html", ".htm", ".xhtml", ".mhtml", ".mht"}:
            score = max(score, 0.6) + 0.1
        if source.media_type and "html" in source.media_type:
            score = max(score, 0.9)
        return min(score, 0.96)

    def parse(self, source: Source) -> list[ArticleDraft]:
        """Extract the one article in ``source``."""
        data, charset, location = source.data, source.charset, None
        if _is_mhtml(data):
            data, charset, location = _mhtml_html_part(data)
        text = decode_html(data, charset)
        origin_url = location or (source.name if source.name.startswith(("http://", "https://")) else None)
        return [draft_from_html(text, origin_url, source.name, source.data)]


def draft_from_html(
    text: str, url: str | None, origin: str | None, original: bytes | None
) -> ArticleDraft:
    """Extract ``text`` (a decoded page) into a draft that keeps ``original``."""
    found = extract_article(text, url)
    meta = found.meta
    title = _norm(found.title) or _norm(meta.title) or _title_from_markdown(found.markdown)
    return ArticleDraft(
        title=title,
        body_markdown=found.markdown,
        author=", ".join(_dedupe(meta.authors or [])) or None,
        source=meta.site,
        url=meta.url or url,
        published=meta.published,
        language=meta.language,
        description=meta.description,
        origin=origin,
        original=original,
        original_type="text/html",
    )


def _dedupe(items: Iterable[str]) -> list[str]:
    seen: dict[str, str] = {}
    for item in items:
        seen.setdefault(item.casefold(), item)
    return list(seen.values())


def _title_from_markdown(markdown: str) -> str:
    for line in markdown.splitlines():
        line = line.strip("# ").strip()
        if line:
            return line[:80]
    return "Untitled"
