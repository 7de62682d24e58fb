"""Putting a page's images back into its extracted article, in their places.

Extraction runs without images: asking trafilatura for them changes the text it
keeps on about one page in seven (captions, merged lists), and stored articles
must keep their text so their notes keep their places. So each ``<img>`` of the
page is placed by the words around it: the few words after it (after its
``<figure>``, past the caption) found at the start of, or inside, a block of the
extracted body put it before, or after, that block; else the words before it. An
image whose neighbours are not in the article (a logo, a teaser) is left out.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from urllib.parse import urljoin

from lxml import etree

__all__ = ["place_images"]

KEY_WORDS = 6
"""Words of context an image is placed by."""
_SKIP_PARENTS = {"header", "nav", "footer", "aside", "noscript", "form", "button"}
_SKIP_NAME = re.compile(
    r"logo|avatar|icon|sprite|spinner|pixel|tracking|banner|badge|emoji|gravatar|share|social",
    re.I,
)
_SKIP_CLASS = re.compile(
    r"(?:^|[\s_-])(?:logo|nav|menu|header|footer|sidebar|promo|advert|ad|ads|related|share|"
    r"social|avatar|icon|author|byline|comment|newsletter|teaser)(?:$|[\s_-])",
    re.I,
)


def _source(img: etree._Element) -> str | None:
    """The address an ``<img>`` shows (lazy-loading attributes first), if any."""
    for name in ("data-src", "data-original", "data-lazy-src", "src"):
        value = (img.get(name) or "").strip()
        if value and not value.startswith("data:image/gif"):  # lazy-load placeholders
            return value
    srcset = (img.get("data-srcset") or img.get("srcset") or "").strip()
    return srcset.split(",")[0].split()[0] if srcset else None


def _wanted(img: etree._Element, src: str) -> bool:
    """Whether an image may be part of the article (not a tracker, icon or logo)."""
    for name in ("width", "height"):
        value = (img.get(name) or "").strip().removesuffix("px")
        if value.isdigit() and int(value) < 32:
            return False
    name = src.rsplit("/", 1)[-1].split("?")[0]
    if name.lower().endswith(".svg"):  # drawings, not pixels: nothing to show in a terminal
        return False
    if _SKIP_NAME.search(name) or _SKIP_NAME.search(img.get("alt") or ""):
        return False
    for ancestor in img.iterancestors():
        tag = ancestor.tag if isinstance(ancestor.tag, str) else ""
        if tag in _SKIP_PARENTS:
            return False
        names = f"{ancestor.get('class') or ''} {ancestor.get('id') or ''}"
        if names.strip() and _SKIP_CLASS.search(names):
            return False
    return True


_Found = list[tuple[etree._Element, str, int, int]]


def _page_text(tree: etree._Element) -> tuple[list[str], _Found]:
    """The page's text pieces in order, and each image with the piece indexes around it.

    Pieces stay as they are (split into words only near an image): walking a page
    is the whole cost here, so it does as little per element as it can.
    """
    pieces: list[str] = []
    append = pieces.append
    found: _Found = []
    figures: list[tuple[int, list[tuple[etree._Element, str]]]] = []
    skip = ("script", "style", "template")
    for event, element in etree.iterwalk(tree, events=("start", "end")):
        tag = element.tag
        if event == "start":
            if tag == "img":
                src = _source(element)
                if src and _wanted(element, src):
                    if figures:
                        figures[-1][1].append((element, src))
                    else:
                        found.append((element, src, len(pieces), len(pieces)))
            elif tag == "figure":
                figures.append((len(pieces), []))
            if element.text and tag not in skip:
                append(element.text)
        else:
            if tag == "figure" and figures:
                start, images = figures.pop()
                found.extend((img, src, start, len(pieces)) for img, src in images)
            if element.tail:
                append(element.tail)
    return pieces, found


def _words_after(pieces: list[str], at: int) -> list[str]:
    words: list[str] = []
    while at < len(pieces) and len(words) < KEY_WORDS:
        words.extend(pieces[at].casefold().split())
        at += 1
    return words[:KEY_WORDS]


def _words_before(pieces: list[str], at: int) -> list[str]:
    words: list[str] = []
    while at > 0 and len(words) < KEY_WORDS:
        at -= 1
        words[:0] = pieces[at].casefold().split()
    return words[-KEY_WORDS:]


def place_images(
    page: etree._Element, blocks: list[etree._Element], base: str | None = None
) -> int:
    """Insert ``<graphic>`` elements for the page's images among ``blocks``; return how many.

    :param page: the whole page, as parsed.
    :param blocks: the top-level blocks of trafilatura's extracted body, in order.
    :param base: the page's web address: sources are made absolute against it.
    """
    if not blocks or page.find(".//img") is None:
        return 0
    page_text, images = _page_text(page)
    starts: list[int] = []
    pieces: list[str] = []
    position = 0
    for block in blocks:
        text = " ".join("".join(block.itertext()).casefold().split())
        starts.append(position)
        pieces.append(text)
        position += len(text) + 1
    body = " ".join(pieces)
    seen: set[str] = set()
    placed = 0
    for img, src, before, after in images:
        if src in seen:
            continue
        target = _after_key(body, starts, _words_after(page_text, after))
        if target is None:
            target = _before_key(body, starts, _words_before(page_text, before))
        if target is None:
            continue
        index, first = target
        graphic = etree.Element("graphic", src=urljoin(base, src) if base else src)
        alt = _with_caption(" ".join((img.get("alt") or img.get("title") or "").split()), img, body)
        if alt:
            graphic.set("alt", alt)
        if first:
            blocks[index].addprevious(graphic)
        else:
            blocks[index].addnext(graphic)
        seen.add(src)
        placed += 1
    return placed


def _with_caption(alt: str, img: etree._Element, body: str) -> str:
    """``alt`` with the caption of the figure holding ``img`` when the extracted text
    lost it (trafilatura drops ``<figcaption>``), so it shows under the picture.

    :param body: the extracted blocks' text, casefolded, spaces folded.
    """
    figure = next(img.iterancestors("figure"), None)
    caption = figure.find(".//figcaption") if figure is not None else None
    if caption is None:
        return alt
    text = " ".join("".join(caption.itertext()).split())
    if not text or text.casefold() in body:
        return alt
    if not alt or alt.casefold() in text.casefold():
        return text
    return f"{alt} — {text}"


def _after_key(body: str, starts: list[int], key: list[str]) -> tuple[int, bool] | None:
    """The block the words after an image begin (``True``) or lie in (``False``)."""
    if len(key) < 3:
        return None
    at = body.find(" ".join(key))
    if at < 0:
        return None
    index = bisect_right(starts, at) - 1
    return index, at == starts[index]


def _before_key(body: str, starts: list[int], key: list[str]) -> tuple[int, bool] | None:
    """The block the words before an image end in: the image goes after it."""
    if len(key) < 3:
        return None
    at = body.find(" ".join(key))
    if at < 0:
        return None
    return bisect_right(starts, at + len(" ".join(key)) - 1) - 1, False
