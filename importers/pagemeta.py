"""What a web page says about itself: title, authors, date, site, language.

Declared metadata (JSON-LD, OpenGraph, ``<meta>``, ``<time>``) comes first; the
page's visible text near the headline confirms or corrects it (a byline the
declarations miss, a date shifted by a time zone).
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from itertools import zip_longest
from typing import Any

import lxml.html
from lxml import etree

__all__ = [
    "PageMeta",
    "choose_title",
    "fold",
    "guess_language",
    "iso_date",
    "norm_text",
    "page_metadata",
    "refine_metadata",
    "split_names",
]


TUNING: dict[str, float] = {"title_overlap": 0.5, "h1_cover": 0.4}
"""Settings chosen on the dev pages; ``tests/bench/meta_quality.py`` re-tunes them
leave-one-source-out over ``TUNING_GRID`` to show what tuning is worth on unseen sites."""
TUNING_GRID: dict[str, list[float]] = {
    "title_overlap": [0.3, 0.5, 0.7],
    "h1_cover": [0.4, 0.6, 0.8, 1.01],
}


def fold(text: str | None) -> str:
    """Lower-case words only, for comparing titles and names."""
    return re.sub(r"\W+", " ", text or "").strip().casefold()


# --------------------------------------------------------------------------- metadata


_WS = re.compile(r"\s+")
_ARTICLE_TYPES = {
    "article",
    "newsarticle",
    "blogposting",
    "reportagenewsarticle",
    "analysisnewsarticle",
    "opinionnewsarticle",
    "reviewnewsarticle",
    "backgroundnewsarticle",
    "scholarlyarticle",
    "techarticle",
    "socialmediaposting",
    "liveblogposting",
    "report",
    "webpage",
    "posting",
    "review",
    "creativework",
    "medicalwebpage",
    "itempage",
    "discussionforumposting",
}


def norm_text(text: str | None) -> str:
    return _WS.sub(" ", text or "").strip()


# Some CMSs wrap JSON-LD in a CDATA section (or an HTML comment) for old XHTML parsers.
_CDATA = re.compile(
    r"^\s*(?://\s*|/\*\s*)?(?:<!\[CDATA\[|<!--)|(?://\s*|/\*\s*)?(?:\]\]>|-->)(?:\s*\*/)?\s*$"
)


def _json_items(tree: lxml.html.HtmlElement) -> Iterator[dict[str, Any]]:
    """Every JSON-LD object on the page, flattening ``@graph`` and lists."""
    for script in tree.iterfind(".//script"):
        kind = (script.get("type") or "").lower()
        if "ld+json" not in kind or not script.text:
            continue
        raw = _CDATA.sub("", script.text).strip().rstrip(";")
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
    return [n for n in (norm_text(_strip_markup(x)) for x in out) if n]


def _strip_markup(text: str) -> str:
    """Text of a value that carries (escaped) HTML, as some JSON-LD author names do."""
    if "<" not in text and "&lt;" not in text:
        return text
    text = html.unescape(text) if "&lt;" in text else text
    return re.sub(r"<[^>]*>", " ", text)


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
    html_title: str | None = None
    og_title: str | None = None
    publisher: str | None = None
    host: str | None = None
    declared_titles: list[str] | None = None
    authors_declared: bool = False
    author_orgs: list[str] | None = None


def _meta_map(tree: lxml.html.HtmlElement) -> dict[str, list[str]]:
    """``<meta>`` contents keyed by lower-case name/property/itemprop/http-equiv."""
    found: dict[str, list[str]] = {}
    for meta in tree.iterfind(".//meta"):
        content = meta.get("content")
        if content is None or not content.strip():
            continue
        for attr in ("property", "name", "itemprop", "http-equiv"):
            # property="og:title twitter:title" declares both
            for key in (meta.get(attr) or "").split():
                found.setdefault(key.lower(), []).append(norm_text(content))
    return found


_TITLE_KEYS = (
    "dc:title",
    "dc.title",
    "dcterm:title",
    "dcterms.title",
    "og:title",
    "twitter:title",
    "parsely-title",
    "sailthru.title",
    "title",
)
_AUTHOR_KEYS = (
    "dc:creator",
    "dc.creator",
    "dcterm:creator",
    "dcterms.creator",
    "author",
    "article:author",
    "parsely-author",
    "byl",
    "sailthru.author",
)


def _declared_titles(tree: lxml.html.HtmlElement) -> list[str]:
    """Titles of ``<meta>`` elements in ``_TITLE_KEYS`` order, one per element: a tag
    with ``property="og:title twitter:title"`` is one declaration, not two agreeing."""
    rank = {key: n for n, key in enumerate(_TITLE_KEYS)}
    found: list[tuple[int, int, str]] = []
    for order, element in enumerate(tree.iterfind(".//meta")):
        content = norm_text(element.get("content"))
        if not content:
            continue
        keys = [
            key.lower()
            for attr in ("property", "name", "itemprop")
            for key in (element.get(attr) or "").split()
        ]
        ranks = [rank[k] for k in keys if k in rank]
        if ranks:
            found.append((min(ranks), order, content))
    return [content for _, _, content in sorted(found)]


def _first(meta: dict[str, list[str]], *keys: str) -> str | None:
    for key in keys:
        for value in meta.get(key, ()):
            if value:
                return value
    return None


_DATE = re.compile(
    r"(\d{4})-(\d{1,2})-(\d{1,2})"
    r"(?:[T ](\d{1,2}:\d{2}(?::\d{2})?(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?)?"
)


def iso_date(value: str | None) -> str | None:
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
        return f"{day_part}T{int(clock[:2]):02d}{clock[clock.index(':') :]}{zone}"
    return day_part


def page_metadata(tree: lxml.html.HtmlElement) -> PageMeta:
    """Read the metadata the page declares about itself."""
    meta = _meta_map(tree)
    info = PageMeta()
    article: dict[str, Any] | None = None
    others: list[dict[str, Any]] = []
    for item in _json_items(tree):
        kinds = _types(item)
        if (
            article is None
            and kinds & _ARTICLE_TYPES
            and (item.get("headline") or item.get("author") or item.get("datePublished"))
        ):
            article = item
        else:
            others.append(item)
    for item in [article] if article else []:
        headline = item.get("headline") or item.get("name")
        if isinstance(headline, str):
            info.title = norm_text(headline)
        if item.get("author"):
            info.authors = _names(item["author"]) or None
            info.authors_declared = bool(info.authors)
            authors = item["author"] if isinstance(item["author"], list) else [item["author"]]
            info.author_orgs = [
                name
                for a in authors
                if isinstance(a, dict) and "organization" in _types(a)
                for name in _names(a)
            ] or None
        info.published = iso_date(str(item.get("datePublished") or "")) or None
        publisher = item.get("publisher")
        if isinstance(publisher, dict) and isinstance(publisher.get("name"), str):
            info.publisher = norm_text(publisher["name"])
        if isinstance(item.get("inLanguage"), str):
            info.language = item["inLanguage"]
        if isinstance(item.get("description"), str):
            info.description = norm_text(item["description"])
        if isinstance(item.get("url"), str) and item["url"].startswith("http"):
            info.url = item["url"]
    for item in others:
        if not info.site and "website" in _types(item) and isinstance(item.get("name"), str):
            info.site = norm_text(item["name"])

    info.html_title = norm_text(tree.findtext(".//title")) or None
    # Declared titles in the order page authors mean them (Dublin Core and OpenGraph
    # before the tab's <title>, which usually carries the site's name).
    declared = [info.title, *_declared_titles(tree), info.html_title]
    info.declared_titles = [t for t in declared if t] or None
    info.title = info.title or _first(meta, *_TITLE_KEYS)
    if not info.authors:
        for key in _AUTHOR_KEYS:
            values = [v for v in meta.get(key, ()) if v and not v.startswith("http")]
            if values:
                info.authors = [n for v in values for n in split_names(v)] or None
                info.authors_declared = key != "author" and bool(info.authors)
                break
    info.published = info.published or iso_date(
        _first(
            meta,
            "article:published_time",
            "datepublished",
            "pubdate",
            "publishdate",
            "date",
            "dc.date",
            "dc.date.issued",
            "dcterms.date",
            "sailthru.date",
            "parsely-pub-date",
            "og:published_time",
            "published_time",
            "article.published",
            "publish-date",
            "cxenseparse:recs:publishtime",
        )
    )
    if not info.published:
        for time_el in tree.iterfind(".//time"):
            stamp = iso_date(time_el.get("datetime") or "")
            if stamp:
                info.published = stamp
                break
    info.og_title = _first(meta, "og:title", "twitter:title")
    # The article's own publisher first: on hosted blogs (Medium, Substack) og:site_name
    # names the host, the publisher the publication.
    info.site = (
        info.publisher
        or _first(meta, "og:site_name")
        or info.site
        or _first(meta, "application-name", "twitter:site")
    )
    if info.site and info.site.startswith("@"):
        info.site = info.site[1:]
    canonical = None
    for link in tree.iterfind(".//link"):
        if (link.get("rel") or "").lower() == "canonical" and link.get("href", "").startswith(
            "http"
        ):
            canonical = link.get("href")
            break
    info.url = canonical or _first(meta, "og:url") or info.url
    if info.url and not info.url.startswith("http"):
        info.url = None
    if info.url:
        host = re.sub(r"^www\d?\.", "", info.url.split("/")[2].split(":")[0])
        info.host = host.split(".")[0] if host.count(".") else host
    lang = tree.get("lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang")
    info.language = _lang(
        lang or info.language or _first(meta, "content-language", "og:locale", "language")
    )
    info.description = info.description or _first(
        meta, "description", "og:description", "twitter:description"
    )
    return info


def _lang(value: str | None) -> str | None:
    if not value:
        return None
    value = value.strip().replace("_", "-").split(",")[0]
    if not re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*", value):
        return None
    head, _, tail = value.partition("-")
    return head.lower() + (
        f"-{tail.upper()}" if tail and len(tail) == 2 else f"-{tail}" if tail else ""
    )


# --------------------------------------------------------------------------- visible text

_SKIP_TAGS = {
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "head",
    "select",
    "iframe",
    "object",
    "canvas",
    "title",
    "meta",
    "link",
}
_BLOCK_TAGS = {
    "address",
    "article",
    "aside",
    "blockquote",
    "br",
    "dd",
    "details",
    "div",
    "dl",
    "dt",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "td",
    "th",
    "tr",
    "ul",
    "time",
    "button",
}
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)


_NAV_ROLES = {"navigation", "search", "dialog", "menu", "menubar"}


def _navigation(element: etree._Element, tag: str) -> bool:
    """Menus, login and search forms: where "by" and dates are not the article's byline.

    A ``<form>`` only counts when small -- some sites wrap the whole page in one.
    """
    if tag == "nav" or (element.get("role") or "").lower() in _NAV_ROLES:
        return True
    if tag == "form":
        if element.find(".//input[@type='password']") is not None:
            return True
        return len("".join(element.itertext()).split()) < 80
    return False


def visible_lines(tree: lxml.html.HtmlElement) -> list[str]:
    """The page's visible text as lines, roughly as a browser's ``innerText`` gives it."""
    body = tree.find("body")
    root = body if body is not None else tree
    parts: list[str] = []
    walker = etree.iterwalk(root, events=("start", "end"))
    for event, element in walker:
        tag = element.tag if isinstance(element.tag, str) else ""
        if event == "start":
            if (
                tag in _SKIP_TAGS
                or element.get("hidden") is not None
                or _HIDDEN_STYLE.search(element.get("style") or "")
                or _navigation(element, tag)
            ):
                walker.skip_subtree()
                if element.tail:
                    parts.append(element.tail)
                continue
            if tag in _BLOCK_TAGS:
                parts.append("\n")
            if element.text:
                parts.append(element.text)
        else:
            if tag in _BLOCK_TAGS:
                parts.append("\n")
            if element.tail and element is not root:
                parts.append(element.tail)
    return [line for line in (norm_text(x) for x in "".join(parts).split("\n")) if line]


_STOP = {
    "the",
    "and",
    "for",
    "you",
    "are",
    "with",
    "from",
    "that",
    "this",
    "his",
    "her",
    "its",
    "was",
    "has",
    "have",
    "not",
    "but",
    "des",
    "der",
    "die",
    "das",
    "les",
    "una",
}


def _tokens(text: str) -> set[str]:
    return {w for w in re.findall(r"\w+", text.casefold()) if len(w) >= 3 and w not in _STOP}


def _overlap(candidate: str, reference: str) -> float:
    if fold(candidate) == fold(reference):
        return 1.0
    mine = _tokens(candidate)
    return len(mine & _tokens(reference)) / len(mine) if mine else 0.0


_TITLE_SEP = re.compile(r"\s+(?:\||-|–|—|·|::|»|/|•)\s+|\s*\|\s*|:\s+(?=[A-Z])")


_DOMAIN = re.compile(r"(?:www\.)?[^\W_][\w-]*(?:\.[\w-]+)*\.[a-z]{2,6}", re.I)


def _is_site_piece(piece: str, names: set[str]) -> bool:
    """Whether a piece of a ``Headline | Site`` title names the site: one of ``names``
    (folded), a name with a little more around it, a bare domain (``wjz.com``), or a
    name written without its spaces or hyphens (``MotorcycleUSA.com`` for motorcycle-usa)."""
    own = fold(piece)
    if own in names or any(n and n in own and len(own) - len(n) < 25 for n in names):
        return True
    if _DOMAIN.fullmatch(piece.strip()):
        return True
    letters = re.sub(r"\W+", "", piece.strip().rsplit(".", 1)[0] if "." in piece else piece)
    return any(len(n) >= 4 and letters.casefold() == n.replace(" ", "") for n in names)


def _strip_site(title: str, sites: Iterable[str]) -> str:
    """Remove a site name (or section label) joined to a page title with a separator."""
    names = {fold(s) for s in sites if s}
    bracket = re.fullmatch(r"(.+?)\s*\[([^\]]+)\]", title)
    if bracket and fold(bracket.group(2)) in names:
        title = bracket.group(1)
    parts = [p for p in re.split(r"(\s+(?:\||-|–|—|·|::|»)\s+|\s*\|\s*)", title)]
    if len(parts) < 3:
        return title
    pieces = parts[0::2]
    keep = [p for p in pieces if not _is_site_piece(p, names)]
    if keep and len(keep) < len(pieces):
        # keep the original separators between the pieces that remain
        start = pieces.index(keep[0])
        end = pieces.index(keep[-1])
        return "".join(parts[2 * start : 2 * end + 1]).strip()
    return title


_TITLE_PIECES = re.compile(r"\s+(?:\||-|–|—|·|::|»|•)\s+|\s*\|\s*|\s*[\[\]]\s*")


def _names_the_site(candidate: str, html_title: str | None) -> str | None:
    """The piece of ``Headline | Site`` in the ``<title>`` that an ``<h1>`` repeats when
    that ``<h1>`` is the blog's or site's name (the first or last piece, while a longer
    piece holds the headline); else None."""
    pieces = [p for p in _TITLE_PIECES.split(html_title or "") if fold(p)]
    if len(pieces) < 2:
        return None
    longest = max(len(fold(p)) for p in pieces)
    for piece in (pieces[0], pieces[-1]):
        own = fold(piece)
        if (
            len(own) < longest
            and own in fold(candidate)
            and _overlap(piece, candidate) >= 0.8
            and _overlap(candidate, piece) >= 0.5
        ):
            return piece
    return None


def _agreed(declared: list[str], sites: list[str]) -> str | None:
    """The title two declarations agree on, the site's name taken off.

    ``og:title`` and ``<title>`` minus its `` | Site`` suffix saying the same thing is the
    page's own statement of its headline -- better evidence than any ``<h1>``, which may
    be the blog's or section's name.
    """
    for i, first in enumerate(declared):
        a = fold(_strip_site(first, sites))
        for second in declared[i + 1 :]:
            b = fold(second)
            if not a or not b:
                continue
            if a == b or a == fold(_strip_site(second, sites)):
                return _strip_site(first, sites)
            if b == fold(first):
                continue
            # "Headline | Site" against "Headline": the shorter one is the headline.
            short, long_, text = (a, b, first) if len(a) <= len(b) else (b, a, second)
            rest = long_[len(short) :] if long_.startswith(short) else None
            if rest is None and long_.endswith(short):
                rest = long_[: -len(short)]
            if rest is not None and len(short) >= 8 and len(rest.split()) <= 6:
                raw = norm_text(text)
                return _strip_site(raw, sites) if raw else None
    return None


def choose_title(
    tree: lxml.html.HtmlElement,
    meta: PageMeta,
    extracted: str | None,
    headline: str | None,
    url: str | None,
) -> str | None:
    """The page's title: what its declarations agree on, else a confirmed ``<h1>``.

    An ``<h1>`` is confirmed only by titles the page declares (JSON-LD, Dublin Core,
    OpenGraph, ``<title>``) or its URL -- never by trafilatura's title, which is often
    taken from that same ``<h1>``.
    """
    declared = list(meta.declared_titles or [])
    for title in (meta.title, meta.og_title, meta.html_title):
        if title and title not in declared:
            declared.append(title)
    sites = [s for s in (meta.site, meta.publisher, meta.host) if s]
    candidates = [headline] if headline else []
    candidates += [norm_text(h.text_content()) for h in tree.iter("h1")]
    site_names = {fold(s) for s in sites}
    kept = []
    for candidate in candidates:
        if not candidate or len(candidate) > 300 or fold(candidate) in site_names:
            continue
        piece = _names_the_site(candidate, meta.html_title)
        if piece:
            sites.append(piece)  # the <title>'s site part, to strip from it below
        else:
            kept.append(candidate)
    candidates = kept
    agreed = _agreed(declared, sites)
    if agreed:
        # The visible headline when it says what the declarations agree on, without
        # their "Opinion |" or "- Site" extras; their wording when the <h1> differs.
        for candidate in candidates:
            if (
                _overlap(candidate, agreed) >= 0.9
                and _overlap(agreed, candidate) >= TUNING["h1_cover"]
            ):
                return candidate
        return agreed
    slug = (url or meta.url or "").rstrip("/").rsplit("/", 1)[-1].replace("-", " ")
    references = declared + ([slug] if slug else [])
    best, best_score = None, 0.0
    for candidate in candidates:
        score = max((_overlap(candidate, ref) for ref in references), default=0.0)
        if score > best_score + 1e-9:
            best, best_score = candidate, score
    if best and best_score >= TUNING["title_overlap"]:
        return best
    for title in declared:
        stripped = _strip_site(title, sites)
        if stripped:
            return stripped
    return best or extracted


_BYLINE = re.compile(
    r"(?:^|\s|/)(?:by|von|par|por|di|oleh|автор|текст)\s*:?\s+(?P<names>[^|•·@\d][^|•·@]*?)"
    r"(?=\s+(?:-|–|—|\||•|·|/|on|am|le|el|il|publi\w*|updated|posted)\s|\s*[|•·@/]|\s+\d|"
    r"\s*$)",
    re.I,
)
_ROLE = re.compile(
    r"\b(writer|staff|correspondent|reporter|editor|contributor|columnist|special to|"
    r"published|updated|posted|media|news service|bureau chief|senior|technologist|"
    r"director|professor|analyst|producer|fellow|manager|chief|president|officer|"
    r"researcher|scientist|project|university|institute|department)\b|\.\w{2,3}\b",
    re.I,
)


_LAST_FIRST = re.compile(r"(?P<last>[^\W\d][\w'’-]*),\s*(?P<first>[^,;&]{1,40})")
_AMPERSAND = re.compile(r"\s+&\s+")


def split_names(text: str) -> list[str]:
    """Person names from a byline or declared author string.

    ``Jong, Michiel de`` (last name, first names) stays one name, and so does a brand
    joined by ``&`` between single words (``Mac & i``); a role or affiliation after the
    names (``Jane Doe, Senior Editor, Example Project``) ends the list.
    """
    text = re.sub(
        r"^\s*(?:(?:written|posted|story|text)\s+)?(?:by|von|par|por|di|oleh|text|texto|текст|автор)"
        r"\b\s*:?\s*",
        "",
        text,
        flags=re.I,
    )
    text = re.sub(r"\(?\s*(?:https?://|www\.)\S+\s*\)?|\S+@\S+\.\w+", " ", text)
    text = text.split(" | ")[0]
    text = re.sub(r"\s+(?:published|updated|posted)\b.*$", "", text, flags=re.I)
    # "Name. Organisation": a full stop after a word longer than an initial
    text = re.sub(r"(\w{3,})\.\s+\w.*$", r"\1", text)
    whole = norm_text(text).strip(" .,;:")
    match = _LAST_FIRST.fullmatch(whole)
    if match and len(match.group("first").split()) <= 3 and not _ROLE.search(whole):
        return [whole]
    pieces = []
    for chunk in re.split(r"\s*(?:,|;|\band\b|\bund\b|\bet\b|\be\b|\by\b)\s*", text):
        parts = _AMPERSAND.split(chunk)
        if len(parts) > 1 and all(len(p.split()) >= 2 for p in parts):
            pieces.extend(parts)
        else:
            pieces.append(chunk)
    names = []
    for piece in (norm_text(n).strip(" .,;:") for n in pieces):
        if not piece:
            continue
        if piece.count("(") != piece.count(")"):
            continue  # a fragment of a longer line: "(Salon)"
        if _ROLE.search(piece) or len(piece) >= 60:
            if names:
                break  # what follows a role is the affiliation, not more names
            continue
        names.append(piece)
    if any(" " in n for n in names):
        names = [n for n in names if " " in n or not n.isascii()]
    return names


_split_names = split_names

_NAME_WORD = re.compile(r"(?:[^\W\d_][\w'’.-]*|[^\W\d_]\.)")
_PARTICLES = {"de", "da", "di", "del", "der", "van", "von", "la", "le", "du", "dos", "bin", "al"}
_NOT_PERSON = re.compile(
    r"\b(?:interactive|solutions?|team|web|media|news|co|inc|ltd|llc|gmbh|sp|s\.?a|group|"
    r"studio|design|digital|agency|press|online|network|systems?|technolog\w*|"
    r"communications?|services?|admin\w*|editor\w*|redak\w*|redac\w*|staff|desk|"
    r"organi[sz]ation|foundation|company|corporation|magazine|journal|daily|times|"
    r"undefined|null|none|unknown|anonymous|guest|user)\b",
    re.I,
)


def person_shaped(name: str) -> bool:
    """True for a name written as a person's: two to four capitalised words (particles
    such as ``de`` or ``van`` aside), no digits, nothing naming an organisation."""
    if _UNSPACED.search(name):
        return 2 <= len(name) <= 6 and " " not in name
    words = name.split()
    if not 2 <= len(words) <= 4 or _NOT_PERSON.search(name):
        return False
    for word in words:
        if word.lower() in _PARTICLES:
            continue
        if not _NAME_WORD.fullmatch(word) or not word[0].isupper():
            return False
    return True


def _visible_byline(window: list[str]) -> list[str]:
    for line in window:
        if len(line) > 160:
            continue
        match = _BYLINE.search(line)
        if not match:
            continue
        before = line[: match.start("names")]
        # "By X" opening the line, or after a date, a slash or "posted/written"
        if not re.match(r"^\W*\w+\s*:?\s*$", before) and not re.search(
            r"\d|/|posted|written|publi", before, re.I
        ):
            continue
        names = _split_names(match.group("names"))
        if names and all(len(n.split()) <= 5 for n in names):
            return names
    return []


_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\u0e00-\u0e7f]")


def _mentions(text: str, name: str) -> bool:
    """True when ``name`` starts a word in ``text`` (both folded) and ends a word or run.

    Scripts written without spaces (Chinese, Japanese, Thai) have no word edges to check.
    """
    if name and _UNSPACED.search(name):
        return name in text
    return (
        bool(name) and re.search(rf"(?:^| ){re.escape(name)}(?: |$|[a-z]{{3,}})", text) is not None
    )


_MONTHS: dict[str, int] = {}
for _number, _labels in enumerate(
    [
        "january jan januar janvier enero janeiro gennaio januari январь января",
        "february feb februar février fevrier febrero fevereiro febbraio februari февраль февраля",
        "march mar märz maerz mars marzo março marco maret март марта",
        "april apr avril abril aprile апрель апреля",
        "may mai mayo maio maggio mei май мая",
        "june jun juni juin junio junho giugno июнь июня",
        "july jul juli juillet julio julho luglio июль июля",
        "august aug août aout agosto agustus август августа",
        "september sep sept septembre septiembre setembro settembre сентябрь сентября",
        "october oct oktober octobre octubre outubro ottobre okt oktober октябрь октября",
        "november nov novembre noviembre novembro nopember ноябрь ноября",
        "december dec dezember décembre decembre diciembre dezembro dicembre desember декабрь"
        " декабря",
    ],
    start=1,
):
    for _name in _labels.split():
        _MONTHS[_name] = _number
_MONTH_RE = "|".join(sorted(map(re.escape, _MONTHS), key=len, reverse=True))
_VISIBLE_DATES = [
    (
        re.compile(
            rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\.?\s+(?:de\s+)?({_MONTH_RE})\.?,?\s+(?:de\s+)?"
            rf"(\d{{4}})\b",
            re.I,
        ),
        "dmy",
    ),
    (re.compile(rf"\b({_MONTH_RE})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", re.I), "mdy"),
    (re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b"), "ymd"),
    (
        re.compile(rf"\b({_MONTH_RE})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?!,?\s+\d{{4}})", re.I),
        "md",
    ),
    (re.compile(r"\b(\d{1,2})[./](\d{1,2})[./](\d{4}|\d{2})\b"), "num"),
]
_UPDATED = re.compile(r"(updated|modified|aktualisiert|atualizado|mis à jour|edited)\W*$", re.I)


def _visible_dates(line: str) -> Iterator[tuple[int, int, int, bool]]:
    """(year, month, day, ambiguous) for each date written in ``line``."""
    found = []
    for pattern, order in _VISIBLE_DATES:
        for match in pattern.finditer(line):
            if _UPDATED.search(line[max(0, match.start() - 24) : match.start()]):
                continue
            a, b, c = (*match.groups(), "")[:3]
            if order == "dmy":
                y, m, d, amb = int(c), _MONTHS[b.lower().rstrip(".")], int(a), False
            elif order == "mdy":
                y, m, d, amb = int(c), _MONTHS[a.lower().rstrip(".")], int(b), False
            elif order == "ymd":
                y, m, d, amb = int(a), int(b), int(c), False
            elif order == "md":
                y, m, d, amb = 0, _MONTHS[a.lower().rstrip(".")], int(b), False
            else:
                y = int(c) + (2000 if len(c) == 2 else 0)
                m, d, amb = int(b), int(a), True
            found.append((match.start(), (y, m, d, amb)))
    for _, value in sorted(found):
        yield value


def _day(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d) if 1990 <= y <= 2100 else None
    except ValueError:
        return None


def _visible_date(window: list[str], declared: str | None) -> str | None:
    """A date printed near the headline, checked against the declared one when there is one."""
    want = _day(*map(int, declared[:10].split("-"))) if declared else None
    for line in window:
        if len(line) > 200:
            continue
        for y, m, d, ambiguous in _visible_dates(line):
            if not y:  # a day without a year: only to confirm the declared date
                if not want:
                    continue
                y = want.year
            options = [_day(y, m, d)]
            if ambiguous:
                options = [_day(y, d, m), _day(y, m, d)]  # month/day/year, then day/month/year
            options = [o for o in options if o]
            if want:
                close = [o for o in options if abs((o - want).days) <= 1]
                if close:
                    return close[0].isoformat()
            elif options and not ambiguous:
                return options[0].isoformat()
    return None


def _headline_window(lines: list[str], title: str | None) -> list[str]:
    """Lines just after the visible headline, then the few just before it."""
    if not title:
        return []
    wanted = fold(title)
    for index, line in enumerate(lines):
        if fold(line) == wanted or (
            len(wanted) > 15 and wanted in fold(line) and len(line) < len(title) + 40
        ):
            after, long_lines = [], 0
            for line in lines[index + 1 : index + 16]:
                if len(line) > 150:  # a caption or standfirst; the second means the text began
                    long_lines += 1
                    if long_lines == 2:
                        break
                    continue
                after.append(line)
            before = lines[max(0, index - 4) : index][::-1]
            merged = [line for pair in zip_longest(after, before) for line in pair if line]
            return merged
    return []


def refine_metadata(tree: lxml.html.HtmlElement, meta: PageMeta, title: str | None) -> None:
    """Check declared authors and date against what the page shows near its headline."""
    lines = visible_lines(tree)
    window = _headline_window(lines, title)
    seen = fold(" ".join(window))
    everything = fold(" ".join(lines))
    # The page's own description naming it ("a project of the Organization for …") is the
    # page saying so too: a builder's or CMS user's name is not written there.
    described = fold(meta.description or "")
    sites = {fold(s) for s in (meta.site, meta.publisher, meta.host) if s}
    byline = _visible_byline(window)
    declared = [n for a in (meta.authors or []) for n in _split_names(a)]
    if any(" " in n for n in declared):
        declared = [n for n in declared if " " in n or not n.isascii()]
    own_lines = {fold(line) for line in window}
    if declared:
        # An article-level declaration (JSON-LD, Dublin Core, article:author) is kept as
        # the page states it; a bare <meta name="author"> or a guess from the text often
        # names the site's builder or CMS user, so it must show on the page.
        # An author under the site's own name ("BBC News") is the publisher again, not a
        # byline -- unless it is a person's (a personal blog) or the page prints it as one.
        orgs = {fold(o) for o in meta.author_orgs or []}
        declared = [
            a
            for a in declared
            if not (
                fold(a) in sites
                and fold(a) not in own_lines
                and (fold(a) in orgs or byline or not person_shaped(a))
            )
        ]
        kept = [
            a
            for a in declared
            if meta.authors_declared
            or (fold(a) in sites and fold(a) in own_lines)
            or (not byline and fold(a) not in sites and person_shaped(a))
            or (
                fold(a) not in sites
                and (
                    _mentions(seen, fold(a))
                    or _mentions(everything, fold(a))
                    or _mentions(described, fold(a))
                )
            )
        ]
        if byline and {fold(b) for b in byline} >= {fold(a) for a in kept}:
            kept = byline
        meta.authors = kept or byline or None
    else:
        meta.authors = byline or None
    shown = _visible_date(window, meta.published)
    if shown and (not meta.published or meta.published[:10] != shown):
        meta.published = shown


# --------------------------------------------------------------------------- language guess

_SCRIPTS = (
    ("ja", re.compile(r"[\u3040-\u30ff]")),
    ("ko", re.compile(r"[\uac00-\ud7af]")),
    ("zh", re.compile(r"[\u4e00-\u9fff]")),
    ("el", re.compile(r"[\u0370-\u03ff]")),
    ("uk", re.compile(r"[їієґЇІЄҐ]")),
    ("ru", re.compile(r"[\u0400-\u04ff]")),
    ("ar", re.compile(r"[\u0600-\u06ff]")),
    ("he", re.compile(r"[\u0590-\u05ff]")),
    ("th", re.compile(r"[\u0e00-\u0e7f]")),
)
_STOPWORDS = {
    "en": "the and of to in is that for it with was on are as be this by have from",
    "de": "der die und das ist nicht mit den ein eine zu sich auf für von dem auch",
    "fr": "le la les et des est une pour dans que qui pas sur du au avec sont",
    "es": "el la los las que en del por una con para es se al como más pero",
    "it": "il di che la per non una sono del della con gli nel anche alla come",
    "pt": "que não uma os das para com por mais dos como mas foi ao pela são",
    "nl": "de het een en van dat is niet op te zijn met voor ook aan bij",
    "pl": "nie się na jest że do to jak po za od jego tak ale przez może",
    "hr": "je i u da se na su za od kao ali koji što biti sam nije bio",
    "cs": "je se na že to jsou jako ale pro jeho by byl když které také",
}
_STOP_SETS = {lang: set(words.split()) for lang, words in _STOPWORDS.items()}


def guess_language(text: str) -> str | None:
    """A primary language subtag guessed from an article's text, or None when unsure.

    Only for pages that declare no language: the script decides most languages; for
    Latin script the most common short function words decide, when one language leads
    clearly.
    """
    sample = text[:20000]
    letters = sum(ch.isalpha() for ch in sample)
    if letters < 40:
        return None
    for lang, pattern in _SCRIPTS:
        count = len(pattern.findall(sample))
        # kana marks Japanese even among many Han characters; others must dominate
        if (lang == "ja" and count >= 20) or (lang != "ja" and count >= 0.3 * letters):
            return lang
    words = re.findall(r"[^\W\d_]+", sample.casefold())
    if len(words) < 30:
        return None
    hits = sorted(
        ((sum(w in stops for w in words), lang) for lang, stops in _STOP_SETS.items()),
        reverse=True,
    )
    (best, lang), (second, _) = hits[0], hits[1]
    if best >= 0.08 * len(words) and best >= 1.5 * second:
        return lang
    return None
