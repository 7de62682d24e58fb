"""Web pages: saved HTML (and MHTML) files to one article, with its metadata.

The main text comes from trafilatura, converted to Markdown with markdownify;
metadata comes from the page's own declarations (JSON-LD, OpenGraph, ``<meta>``,
``<time>``) before anything guessed from the text.
"""

from __future__ import annotations

import email
import email.policy
import re
from collections.abc import Iterable
from copy import deepcopy
from dataclasses import dataclass
from typing import Any

import lxml.html
from lxml import etree
from markdownify import MarkdownConverter

from store.models import ArticleDraft

from .base import Source, is_url
from .decode import DecodeError, clean_text, decode_bytes, strip_controls
from .errors import ImportFailure
from .pagedump_rules import TERMINAL_MARKERS
from .pagemeta import (
    PageMeta,
    choose_title,
    fold,
    guess_language,
    iso_date,
    norm_text,
    page_metadata,
    refine_metadata,
)
from .second_opinion import second_opinion

__all__ = ["HtmlImporter", "decode_html", "extract_article", "html_to_markdown"]

_MHTML_HEAD = re.compile(rb"^(?:[\w-]+:[^\n]*\r?\n|[ \t][^\n]*\r?\n)*?MIME-Version:", re.I)
_META_CHARSET = re.compile(rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9_:.\-]+)""", re.I)
_TAG = re.compile(
    r"<(?:!doctype html|html|head|body|div|p|a|span|meta|title|script|article)\b", re.I
)


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


def _mhtml_parts(data: bytes) -> dict[str, bytes]:
    """The image parts of an MHTML archive by their ``Content-Location``."""
    message = email.message_from_bytes(data, policy=email.policy.compat32)
    parts: dict[str, bytes] = {}
    for part in message.walk():
        location = part.get("Content-Location")
        if location and part.get_content_maintype() == "image":
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes):
                parts[location.strip()] = payload
    return parts


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


# --------------------------------------------------------------------------- markdown


_BLOCK_START = re.compile(r"^(\s*)(\d{1,9}(?=[.)]\s)|[-+*#>=](?=\s|$))")
_HTML_LIKE = re.compile(r"<(?=[A-Za-z/!?])")


_ALIGN_STYLE = re.compile(r"text-align\s*:\s*(left|right|center)", re.I)
_SEPARATOR_ROW = re.compile(r"^\|(?: --- \|)+$", re.M)
_ALIGN_MARK = {"left": "---", "right": "---:", "center": ":---:", None: "---"}


def _cell_align(attrs: Any) -> str | None:
    """A table cell's declared alignment (``align`` or an inline ``text-align``), if any.

    :param attrs: the cell's attributes (lxml's or BeautifulSoup's mapping).
    """
    value = (attrs.get("align") or "").strip().lower()
    if value in ("left", "right", "center"):
        return value
    match = _ALIGN_STYLE.search(attrs.get("style") or "")
    return match.group(1).lower() if match else None


def column_aligns(rows: Iterable[Iterable[tuple[bool, int, str | None]]]) -> list[str | None]:
    """Each column's alignment: what most of its data cells declare, else its header's.

    :param rows: a table's rows, each cell as (is a header cell, columns spanned, align).
        A cell spanning several columns counts for none of them.
    """
    header: dict[int, str | None] = {}
    votes: dict[int, list[str | None]] = {}
    width = 0
    for row in rows:
        column = 0
        for is_header, span, align in row:
            if span == 1:
                if is_header:
                    header.setdefault(column, align)
                else:
                    votes.setdefault(column, []).append(align)
            column += span
        width = max(width, column)
    aligns: list[str | None] = []
    for column in range(width):
        cells = votes.get(column, [])
        declared = [a for a in cells if a is not None]
        if not declared:
            aligns.append(header.get(column))
            continue
        best = max(sorted(set(declared)), key=declared.count)
        aligns.append(best if declared.count(best) * 2 >= len(cells) else None)
    return aligns


def _span(attrs: Any) -> int:
    value = str(attrs.get("colspan") or "1").strip()
    return max(1, min(1000, int(value))) if value.isdigit() else 1


def _table_key(table: etree._Element) -> str:
    """A table's cell texts, spaces folded: the same table before and after extraction."""
    return " ".join(" ".join(table.itertext()).split())[:2000]


def carry_alignment(page: etree._Element, body: etree._Element) -> None:
    """Give the extracted tables of ``body`` (HTML) the column alignment their cells had
    on ``page``: trafilatura keeps a table's cells but drops their attributes."""
    aligned: dict[str, list[str | None]] = {}
    for table in page.iter("table"):
        rows = [
            [(c.tag == "th", _span(c.attrib), _cell_align(c.attrib)) for c in row.iter("td", "th")]
            for row in table.iter("tr")
        ]
        aligns = column_aligns(rows)
        if any(a not in (None, "left") for a in aligns):
            aligned.setdefault(_table_key(table), aligns)
    if not aligned:
        return
    for table in body.iter("table"):
        aligns = aligned.get(_table_key(table))
        if aligns is None:
            continue
        for row in table.iter("tr"):
            column = 0
            for cell in row.iter("td", "th"):
                span = _span(cell.attrib)
                if span == 1 and column < len(aligns) and aligns[column]:
                    cell.set("align", aligns[column])
                column += span


class _Converter(MarkdownConverter):
    """markdownify that escapes text that would read as Markdown, images as alt text,
    and keeps the columns' alignment of HTML tables."""

    def convert_tr(self, el: Any, text: str, parent_tags: set[str]) -> str:  # noqa: D102
        row = super().convert_tr(el, text, parent_tags)
        table = el.find_parent("table")
        if table is None or "---" not in row:
            return row
        aligns = column_aligns(
            [
                (c.name == "th", _span(c.attrs), _cell_align(c.attrs))
                for c in tr.find_all(["td", "th"])
            ]
            for tr in table.find_all("tr")
        )
        if all(a in (None, "left") for a in aligns):
            return row

        def aligned(match: re.Match[str]) -> str:
            count = match.group(0).count("---")
            marks = [_ALIGN_MARK[aligns[i] if i < len(aligns) else None] for i in range(count)]
            return "| " + " | ".join(marks) + " |"

        return _SEPARATOR_ROW.sub(aligned, row, count=1)

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
        alt = norm_text(el.attrs.get("alt") or el.attrs.get("title") or "")
        src = el.attrs.get("src") or ""
        if not alt:
            return ""
        if "_inline" in parent_tags or not src or src.startswith("data:"):
            return alt
        return f"[{alt}]({src})"


class _PageConverter(_Converter):
    """The converter for extracted pages: images kept in place as ``![](src "alt")``."""

    def convert_img(self, el: Any, text: str, parent_tags: set[str]) -> str:  # noqa: D102
        from .images import image_markdown

        src = (el.attrs.get("src") or "").strip()
        if not src:
            return ""
        alt = norm_text(el.attrs.get("alt") or el.attrs.get("title") or "")
        return image_markdown(src, alt)


_MD_OPTIONS = {
    "heading_style": "ATX",
    "bullets": "-",
    "strip": ["script", "style", "iframe", "form", "button", "noscript"],
    "escape_misc": False,
    "code_language": "",
    # Source line breaks become spaces, so a link or emphasis that starts on a new
    # line keeps the space before it ("being\n<a>Levels</a>" is not "being[Levels]").
    # No width: paragraphs are not re-wrapped; <br> still breaks lines.
    "wrap": True,
    "wrap_width": None,
}


def html_to_markdown(html: str, *, images: bool = False) -> str:
    """Convert (already cleaned) article HTML to tidy Markdown.

    :param images: keep images as ``![](src "alt")`` (else only their alt text, as links).
    """
    converter = _PageConverter if images else _Converter
    text = converter(**_MD_OPTIONS).convert(html)
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
    headline: str | None = None
    sizes: tuple[int, int | None] = (0, None)
    """Letters of the precision and of the baseline extraction (None: not run)."""
    skipped: int = 0
    """Letters of the baseline's paragraphs the precision extraction left out between two
    it kept (0 when the baseline was not run)."""


_PARSER = lxml.html.HTMLParser(
    collect_ids=False, default_doctype=False, remove_comments=True, remove_pis=True
)
_PROLOG = re.compile(r"^\s*(?:<\?xml[^>]*\?>\s*)?(?:<!doctype[^>]*>)?", re.I)
# libxml2 drops what follows a closing </html> (a page that closes it before its
# <body>); HTML5 parsers keep it in the body, and both end tags are optional.
_END_TAGS = re.compile(r"</(?:html|body)\s*>", re.I)


def _parse_tree(text: str) -> lxml.html.HtmlElement:
    """Parse a page once, without comments or processing instructions."""
    try:
        text = _END_TAGS.sub("", _PROLOG.sub("", text, count=1))
        tree = lxml.html.fromstring(text, parser=_PARSER)
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


_LABEL = re.compile(
    r"^\W*(read more|read also|also read|see more|see also|more|related"
    r"(?: posts?| stories| articles| coverage| content| reading| links?| roundup)?|more on this"
    r"|recommended|don'?t miss|must read|trending|advertisement|sponsored|tags?)\b\W*(?::|$)",
    re.I,
)
_LINK_LABEL = re.compile(
    r"^\W*(read more|read also|also read|see more|see also|also on|related|"
    r"recommended|more)\b",
    re.I,
)
_TRAILER = re.compile(
    r"\b(follow (?:us|him|her|them|[\w@]+(?: [\w@()]+){0,5}) on|sign up|subscribe|newsletters?|"
    r"share (?:this|it)|like this (?:story|article)|comments?|you (?:may|might) also like|"
    r"filed under|tags?:|categor(?:y|ies):|copyright|©|all rights reserved|click here|"
    r"tell us what|delivered (?:to|through)|inbox|read more|related|more from|recommended|"
    r"more stories|trending|advertisement|sponsored|what do you think)\b|^\W*source:",
    re.I,
)
_SECTION = re.compile(
    r"^\W*(?:related(?: articles?| stories| posts?| news| content| links?| coverage)?|see also"
    r"|read also|also read|more (?:stories|news|on this(?: story)?)|you (?:may|might) also like"
    r"|people who (?:read|viewed|liked) this(?: article| story)? also (?:read|viewed|liked)"
    r"|(?:\d+ |reader |your |user )?comments?|leave a (?:comment|reply)|post a comment"
    r"|add (?:a |your )?comment"
    r"|(?:latest|top|more|other|recent)(?: [\w.]+){0,2} (?:news|headlines|stories)(?: headlines)?"
    r"|(?:this |the )?(?:feedback|comments?) (?:is|are) (?:now )?closed"
    r"|readers?'? views?(?: \(\d+\))?"
    r"|zobacz (?:też|również|także)|czytaj (?:też|również|także)|komentarze|polecamy"
    r"|warto (?:przeczytać|zobaczyć)|najczęściej czytane|najpopularniejsze|najnowsze"
    r"|самое (?:читаемое|популярное)|популярное|последние новости"
    r"|πιο δημοφιλή|δημοφιλέστερα|τελευταία νέα"
    r"|meistgelesen|am meisten gelesen|najčitanije"
    r"|最新文章|热门(?:文章|新闻|推荐)|熱門(?:文章|新聞)|猜你喜欢"
    r"|powiązane(?: artykuły)?"
    r"|читайте (?:также|еще|ещё)|см\. также|комментарии|похожие (?:новости|материалы|статьи)"
    r"|новости по теме|по теме"
    r"|σχετικά άρθρα|σχόλια|διαβάστε (?:επίσης|ακόμα|ακόμη)"
    r"|mehr zum thema|lesen sie auch|kommentare|verwandte artikel"
    r"|povezane vijesti|komentari|pročitajte (?:još|i)"
    r"|voir aussi|(?:à )?lire aussi|commentaires"
    r"|相[关關](?:阅读|閱讀|新闻|新聞|文章|链接|鏈接|报道|報導)|延伸[阅閱][读讀]"
    r"|[网網]友(?:回[应應]|评论|評論)|推荐阅读|推薦閱讀|热点推荐|我要评论"
    r")\W*$",
    re.I,
)
"""The label of a section that follows an article: related stories, comments."""
SECTION_AFTER = 0.5
"""A section label ends the article only once this share of its letters came before."""
_COPYRIGHT = re.compile(
    r"©|\(c\) ?(?:19|20)\d\d|^\W*copyright\b|\bcopyright (?:\(c\) )?(?:19|20)\d\d"
    r"|\ball rights reserved|版权所有|版權所有|著作权"
    r"|wszelkie prawa zastrzeżone|все права защищены",
    re.I,
)
"""A page's copyright notice: the footer, below the article."""
LEAD_SHARE = 0.25
"""The headline ends a lead of page furniture only within this share of the letters."""
LEAD_PROSE_LETTERS = 100
"""A block with this many letters, mostly unlinked, is prose: the article began."""
COPYRIGHT_WORDS = 40
"""A block of at most this many words holding a copyright notice is the page's footer."""
HEADLINE_RUN = 3
"""This many short link blocks in a row after the article are a list of headlines."""
_BYLINE_START = re.compile(r"^(?:written |posted |story |text )?(?:by|von|par|por|di)\s+\w", re.I)
_CONTAINERS = {"div", "section", "article", "main", "body"}


def _words(element: etree._Element) -> list[str]:
    return "".join(element.itertext()).split()


def _blocks(body: etree._Element) -> list[etree._Element]:
    """The block elements of an extracted body, looking through wrapper divs."""
    out: list[etree._Element] = []
    for child in body:
        if child.tag in _CONTAINERS and len(child) and not (child.text or "").strip():
            out.extend(_blocks(child))
        else:
            out.append(child)
    return out


def _link_share(element: etree._Element, words: int) -> float:
    linked = sum(len("".join(ref.itertext()).split()) for ref in element.iter("ref"))
    return linked / words if words else 0.0


def _drop(element: etree._Element) -> None:
    parent = element.getparent()
    if parent is not None:
        tail = element.tail
        parent.remove(element)
        if tail and tail.strip():
            parent.text = (parent.text or "") + tail


def _linked_letters(block: etree._Element) -> tuple[int, int]:
    """Letters in ``block`` and in its links (letters: fair to unspaced scripts)."""
    linked = sum(letters("".join(ref.itertext())) for ref in block.iter("ref"))
    return letters("".join(block.itertext())), linked


def _is_link_table(block: etree._Element) -> bool:
    """A layout table of links (menus, headline lists) or of next to nothing."""
    total, linked = _linked_letters(block)
    return total < 10 or linked > 0.5 * total


_LAYOUT_PARTS = {"table", "row", "cell"}
_BLOCK_IN_CELL = {"table", "p", "head", "list", "quote"}
LAYOUT_CELL_LETTERS = 300
"""A table cell holding this many letters is page layout, not a data table's cell."""


def _is_layout_table(table: etree._Element) -> bool:
    """A table used to lay out a page: blocks or long prose inside its cells."""
    for cell in table.iter("cell"):
        if any(child.tag in _BLOCK_IN_CELL for child in cell.iter() if child is not cell):
            return True
        if letters("".join(cell.itertext())) >= LAYOUT_CELL_LETTERS:
            return True
    return False


def _flatten_layout_tables(body: etree._Element) -> None:
    """Turn layout tables into plain blocks.

    Markdown tables hold one line per row: a nested table or paragraphs in a cell come
    out as one run-on line, and a row with more cells than the header loses the rest.
    """
    for table in list(body.iter("table")):
        if table.getparent() is None or not _is_layout_table(table):
            continue
        for cell in list(table.iter("cell")):
            # a cell of menu links (or of nothing) is the page's frame
            if cell.getparent() is not None and _is_link_table(cell):
                _drop(cell)
        for part in [table, *table.iter(*_LAYOUT_PARTS)]:
            if part.tag in _LAYOUT_PARTS:
                part.tag = "div"
                part.attrib.clear()


def _is_copyright(words: list[str]) -> bool:
    """A short block holding a copyright notice (the page's footer)."""
    return len(words) <= COPYRIGHT_WORDS and bool(_COPYRIGHT.search(" ".join(words)))


def _is_headline(block: etree._Element) -> bool:
    """A short block that is mostly a link: a headline teaser."""
    total, linked = _linked_letters(block)
    return 0 < total <= 200 and linked > 0.5 * total


def _headline_run(blocks: list[etree._Element]) -> bool:
    """True when ``blocks`` starts with a run of headline teasers."""
    run = blocks[:HEADLINE_RUN]
    return len(run) == HEADLINE_RUN and all(_is_headline(b) for b in run)


def _ends_article(blocks: list[etree._Element]) -> bool:
    """True when the first of ``blocks`` starts what follows an article: a section
    label (related stories, comments), the copyright notice, or a run of headlines."""
    words = _words(blocks[0])
    text = " ".join(words)
    return (
        (len(words) <= 8 and bool(_SECTION.match(text)))
        or _is_copyright(words)
        or _headline_run(blocks)
    )


def _is_title(text: str, wanted: set[str]) -> bool:
    """True when ``text`` is the page's title (or, if long, part of one)."""
    folded = fold(text)
    return bool(folded) and any(folded == w or (len(folded) > 20 and folded in w) for w in wanted)


def _drop_lead(blocks: list[etree._Element], wanted: set[str]) -> list[etree._Element]:
    """Drop what comes before the article's headline, when it shows near the top.

    Menus, datelines of other stories, a teaser: the article starts below its title.
    """
    total, seen = letters("".join("".join(b.itertext()) for b in blocks)), 0
    for n, block in enumerate(blocks):
        text = " ".join(_words(block))
        if seen > LEAD_SHARE * total:
            break
        if n and _is_title(text, wanted):
            for lead in blocks[: n + 1]:
                _drop(lead)
            return blocks[n + 1 :]
        if _is_prose(block):
            break  # the article had started: a title below is a subheading
        seen += letters(text)
    return blocks


def _is_prose(block: etree._Element) -> bool:
    """A paragraph of running text, not a link, menu or dateline."""
    total, linked = _linked_letters(block)
    return total >= LEAD_PROSE_LETTERS and linked <= 0.5 * total


def _prune_boilerplate(body: etree._Element, titles: Iterable[str | None]) -> str | None:
    """Drop a repeated title, "read more" link lines and trailing calls to action.

    Returns the text of a leading ``<h1>`` (the visible headline), if there was one.
    """
    blocks = _blocks(body)
    if not blocks:
        return None
    headline = None
    wanted = {fold(t) for t in titles if t}
    for block in blocks[:2]:
        text = " ".join(_words(block))
        is_h1 = block.tag == "head" and block.get("rend") == "h1"
        if is_h1 or _is_title(text, wanted):
            headline = text if is_h1 else None
            _drop(block)
            blocks.remove(block)
            break
    if headline is None:
        blocks = _drop_lead(blocks, wanted)
    for block in blocks[:3]:
        words = _words(block)
        if 1 < len(words) <= 10 and _BYLINE_START.match(" ".join(words)):
            _drop(block)
            blocks.remove(block)
    kept = []
    total, seen = letters("".join(body.itertext())), 0
    for n, block in enumerate(blocks):
        words = _words(block)
        if seen >= SECTION_AFTER * total and _ends_article(blocks[n:]):
            # related stories, comments, the footer: the article ended above
            for rest in blocks[n:]:
                _drop(rest)
            break
        seen += letters(" ".join(words))
        text = " ".join(words)
        label = len(words) <= 20 and (
            _LABEL.match(text) or (_LINK_LABEL.match(text) and _link_share(block, len(words)) > 0.7)
        )
        if label or (block.tag == "table" and _is_link_table(block)):
            _drop(block)
        else:
            kept.append(block)
    while len(kept) > 1:
        last = kept[-1]
        words = _words(last)
        text = " ".join(words)
        if (
            not words
            or last.tag == "head"
            or (len(words) <= 40 and _TRAILER.search(text))
            or (last.tag == "list" and _link_share(last, len(words)) > 0.8)
        ):
            _drop(last)
            kept.pop()
            continue
        break
    return headline


_INLINE_PARENTS = {
    "p",
    "li",
    "td",
    "th",
    "a",
    "b",
    "i",
    "em",
    "strong",
    "u",
    "sub",
    "sup",
    "s",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "code",
}


def _tidy_html(root: etree._Element) -> etree._Element:
    """Fix trafilatura's HTML for Markdown: inline code stays inline, no nested ``<pre>``."""
    for pre in list(root.iter("pre")):
        parent = pre.getparent()
        if (
            parent is not None
            and parent.tag in _INLINE_PARENTS
            and "\n" not in "".join(pre.itertext())
        ):
            pre.tag = "code"
    for pre in root.iter("pre"):
        etree.strip_tags(pre, "pre", "code")
    return root


_BASELINE = {**_TRAFILATURA, "favor_precision": False}
LARGE_PAGE = 2_000_000
"""Decoded pages longer than this (in characters; the largest dev page is 1.25 MB) take
the bounded path: trafilatura's fast mode (no readability/jusText comparison, no
second pass), and the metadata passes (htmldate's date search, the byline and date
near the headline) run on the page's first ``LARGE_PAGE_HEAD`` characters only. Their
cost grows with the page, the article's text is still taken whole."""
LARGE_PAGE_HEAD = 300_000
_LARGE = {**_TRAFILATURA, "fast": True, "with_metadata": False}
FALLBACK_RATIO = 0.15
"""The baseline extraction replaces the precision one when the precision one has less
than this share of its letters (chosen on web-dev and pages-dev, leave-one-source-out
in tests/bench/web_quality.py)."""
FALLBACK_CHECK_LETTERS = 2000
"""Only precision results shorter than this (in letters) are checked: a speed bound."""
_LETTER = re.compile(r"\w")


def letters(text: str) -> int:
    """How much text holds, in word characters (fair to every script)."""
    return len(_LETTER.findall(text))


def wants_fallback(
    precise: int, baseline: int, ratio: float | None = None, skipped: int = 0
) -> bool:
    """True when a precision extraction of ``precise`` letters stopped short of the
    baseline's ``baseline`` letters, or left out more than it kept from between the
    paragraphs it kept (``skipped`` letters: the middle of the article).

    :param ratio: the share of the baseline below which the precision result gives way
        (``FALLBACK_RATIO`` when None).
    """
    limit = FALLBACK_RATIO if ratio is None else ratio
    return precise < FALLBACK_CHECK_LETTERS and (precise < limit * baseline or skipped > precise)


def skipped_middle(precise: str, baseline: str) -> int:
    """Letters of the paragraphs of ``baseline`` missing from ``precise`` that stand
    between the first and the last paragraph the two share (both Markdown)."""
    kept = {block.strip() for block in precise.split("\n\n") if block.strip()}
    blocks = [block.strip() for block in baseline.split("\n\n") if block.strip()]
    shared = [i for i, block in enumerate(blocks) if block in kept]
    if len(shared) < 2:
        return 0
    return sum(letters(block) for block in blocks[shared[0] : shared[-1]] if block not in kept)


def _extract_body(
    tree: lxml.html.HtmlElement,
    url: str | None,
    meta: PageMeta,
    options: dict[str, Any],
    head: lxml.html.HtmlElement | None = None,
) -> tuple[int, str, Any, str | None] | None:
    """One trafilatura run: (letters, Markdown, its document, the headline), or None.

    :param head: a large page's first part: its metadata is read from there alone.
    """
    import trafilatura
    from trafilatura.htmlprocessing import convert_to_html

    # trafilatura copies a tree it is given; a large page is not copied twice more.
    doc = trafilatura.bare_extraction(
        tree if head is not None else deepcopy(tree), url=url, **options
    )
    if doc is None or doc.body is None or not "".join(doc.body.itertext()).strip():
        return None
    if head is not None:
        from trafilatura.metadata import extract_metadata

        found = extract_metadata(head, url)
        for field in ("title", "author", "url", "hostname", "description", "sitename", "date"):
            setattr(doc, field, getattr(found, field))
    _flatten_layout_tables(doc.body)
    headline = _prune_boilerplate(doc.body, (doc.title, meta.title, meta.html_title))
    from .page_images import place_images

    place_images(tree, _blocks(doc.body), url if url and url.startswith("http") else None)
    tidy = _tidy_html(convert_to_html(doc.body))
    carry_alignment(tree, tidy)
    html = etree.tostring(tidy, encoding="unicode")
    markdown = html_to_markdown(html, images=True)
    size = letters("".join(doc.body.itertext()))
    # About five words; counted in letters, since Chinese or Japanese has no spaces.
    return (size, markdown, doc, headline) if size >= 20 else None


_COMMENT_BOX = etree.XPath(
    "//*[re:test(@class, $names, 'i') or re:test(@id, $names, 'i')]",
    namespaces={"re": "http://exslt.org/regular-expressions"},
)
COMMENT_NAMES = r"komentar|komment|sxoli|opini[ae]\b|opinii"
"""Names of reader-comment boxes in the collections' other languages (Polish, Russian,
German, Croatian, Greek): trafilatura's own comment filter knows the English ones."""


_COMMENT_ANCHOR = etree.XPath(
    "//a[re:test(@name, 'comments?$', 'i') or re:test(@id, 'comments?$', 'i')]",
    namespaces={"re": "http://exslt.org/regular-expressions"},
)


_COMMENT_HEADING = re.compile("(?:" + "|".join(f"(?:{p})" for p in TERMINAL_MARKERS) + r")\Z")


def _is_comment_heading(heading: etree._Element) -> bool:
    """A heading that opens reader comments (``Reader views (5)``, ``12 Comments``)."""
    text = re.sub(r"\s+", " ", heading.text_content()).strip(" ():#|").lower()
    return bool(_COMMENT_HEADING.fullmatch(text))


def _comment_anchor_boxes(tree: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    """Boxes that open with a ``<a name="comments">`` (or ``readerComments``) anchor: where
    a page's thread starts, whatever the box's class is called. A box holding a headline
    other than the thread's own heading holds the article too, and is not one."""
    boxes = []
    for anchor in _COMMENT_ANCHOR(tree):
        box = anchor.getparent()
        if (
            box is not None
            and box.index(anchor) == 0
            and not (box.text or "").strip()
            and all(_is_comment_heading(h1) for h1 in box.iter("h1"))
            and box.find(".//article") is None
        ):
            boxes.append(box)
    return boxes


def _drop_comment_boxes(tree: lxml.html.HtmlElement) -> None:
    """Remove reader-comment boxes named in another language than English.

    Trafilatura took such a thread for the article on pages where the article itself is
    short. A box holding most of the page's text is a wrapper, and stays.
    """
    body = tree.find("body")
    if body is None:
        return
    total = letters(body.text_content())
    for box in _COMMENT_BOX(tree, names=COMMENT_NAMES):
        if box.tag in ("html", "body") or box.getparent() is None:
            continue
        if letters(box.text_content()) <= 0.5 * total:
            _drop(box)
    for box in _comment_anchor_boxes(tree):
        # the anchor opens the box: a thread longer than the article goes too
        if box.tag not in ("html", "body") and box.getparent() is not None:
            _drop(box)


def extract_article(text: str, url: str | None = None) -> Extracted:
    """Find the main article in a decoded page and convert it to Markdown."""
    tree = _parse_tree(text)
    meta = page_metadata(tree)
    _drop_comment_boxes(tree)
    head = _parse_tree(text[:LARGE_PAGE_HEAD]) if len(text) > LARGE_PAGE else None
    found = (
        _extract_body(tree, url or meta.url, meta, _TRAFILATURA)
        if head is None
        else _extract_body(tree, url or meta.url, meta, _LARGE, head)
    )
    sizes: tuple[int, int | None] = (found[0] if found else 0, None)
    skipped = 0
    if sizes[0] < FALLBACK_CHECK_LETTERS and head is None:
        # favor_precision sometimes keeps only a notice or the first section: a much
        # longer baseline extraction of the same page means it stopped short.
        baseline = _extract_body(tree, url or meta.url, meta, _BASELINE)
        sizes = (sizes[0], baseline[0] if baseline else 0)
        if baseline is not None:
            skipped = skipped_middle(found[1], baseline[1]) if found else 0
            if wants_fallback(sizes[0], baseline[0], skipped=skipped):
                found = baseline
    if found is None:
        raise ImportFailure("no article found in this page")
    _, markdown, doc, headline = found
    if not meta.authors and doc.author:
        meta.authors = [a.strip() for a in doc.author.split(";") if a.strip()]
    meta.published = meta.published or iso_date(doc.date)
    meta.site = meta.site or doc.sitename
    meta.description = meta.description or doc.description
    if not meta.host and (url or doc.url or "").startswith("http"):
        host = re.sub(r"^www\d?\.", "", (url or doc.url).split("/")[2].split(":")[0])
        meta.host = host.split(".")[0]
    title = choose_title(tree, meta, doc.title, headline, url)
    if head is None:
        markdown = second_opinion(tree, title, markdown) or markdown
    refine_metadata(tree if head is None else head, meta, title)
    meta.language = meta.language or guess_language(markdown)
    if not meta.site and (meta.url or url or "").startswith("http"):
        # no name declared anywhere: the site is its domain
        meta.site = re.sub(r"^www\d?\.", "", (meta.url or url or "").split("/")[2].split(":")[0])
    return Extracted(
        markdown=markdown, meta=meta, title=title, headline=headline, sizes=sizes, skipped=skipped
    )


# --------------------------------------------------------------------------- importer


class HtmlImporter:
    """Saved web pages (``.html``, ``.htm``, ``.mhtml``) and fetched HTML."""

    name = "html"
    suffixes = (".html", ".htm", ".xhtml", ".mhtml", ".mht")
    media_types = (
        "text/html",
        "application/xhtml+xml",
        "application/xml",
        "text/xml",
        "multipart/related",
        "application/x-mimearchive",
        "message/rfc822",
    )

    def __init__(self, *, fetch_images: bool = True) -> None:
        self.fetch_images = fetch_images
        """Download the images of a page imported from its URL (not when re-extracting)."""

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
        origin_url = location or (
            source.name if source.name.startswith(("http://", "https://")) else None
        )
        draft = draft_from_html(text, origin_url, source.name, source.data)
        from .images import gather

        # Images resolve against the page's own address (a saved file, or where a
        # fetch or an MHTML archive says the page was), never its canonical URL.
        base = origin_url if origin_url else source.name
        gathered = gather(
            draft.body_markdown,
            base,
            fetch_remote=self.fetch_images and is_url(source.name),
            files=_mhtml_parts(source.data) if location is not None else None,
        )
        draft.body_markdown, draft.images = gathered.markdown, gathered.files
        warning = gathered.warning()
        if warning:
            source.warnings.append(warning)
        return [draft]


def draft_from_html(
    text: str, url: str | None, origin: str | None, original: bytes | None
) -> ArticleDraft:
    """Extract ``text`` (a decoded page) into a draft that keeps ``original``."""
    return draft_from_extracted(extract_article(text, url), url, origin, original)


def draft_from_extracted(
    found: Extracted, url: str | None, origin: str | None, original: bytes | None
) -> ArticleDraft:
    """The draft of an extracted article."""
    meta = found.meta
    title = norm_text(found.title) or norm_text(meta.title) or _title_from_markdown(found.markdown)
    # Entities ("&#x202E;") decode to controls after the page text was cleaned.
    return ArticleDraft(
        title=strip_controls(title),
        body_markdown=strip_controls(found.markdown),
        author=_join_names(_dedupe(meta.authors or [])),
        source=meta.site,
        url=meta.url or url,
        published=meta.published,
        language=meta.language,
        description=meta.description,
        origin=origin,
        original=original,
        original_type="text/html",
    )


def _join_names(names: list[str]) -> str | None:
    """Names as one line: commas between them, semicolons when a name is ``Last, First``."""
    if not names:
        return None
    return ("; " if any("," in n for n in names) else ", ").join(names)


def _dedupe(items: Iterable[str]) -> list[str]:
    seen: dict[str, str] = {}
    for item in items:
        seen.setdefault(item.casefold(), item)
    return list(seen.values())


def _title_from_markdown(markdown: str) -> str:
    for line in markdown.splitlines():
        line = line.strip("# ").strip()
        if line and not line.startswith("!["):
            return line[:80]
    return "Untitled"
