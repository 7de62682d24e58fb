"""HTML fragments and plain text (feed entries, read-later exports) as Markdown."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from .base import is_url
from .decode import clean_text, strip_controls
from .textutil import escape_markdown

__all__ = ["fragment_markdown", "plain_markdown"]

_TAG = re.compile(r"<[^>]+>")
_DROP_TAGS = ("script", "style", "iframe", "object", "embed", "form", "noscript", "template")
_SAFE_SCHEMES = ("http", "https", "mailto")


def fragment_markdown(value: str, base: str | None = None) -> str:
    """An HTML fragment as Markdown: active content dropped, links absolute, http(s)/mailto only.

    For feed entries and read-later exports, which carry the article itself (no page
    to extract it from). Nothing is ever rendered as HTML, so dropping the elements
    and link schemes that could act is enough; feedparser's own sanitiser (an
    sgmllib pass per entry, 4x the cost of the whole XML parse) is not needed.
    """
    import lxml.html
    from lxml import etree

    from .html import _MD_OPTIONS, _Converter

    try:
        root = lxml.html.fragment_fromstring(value, create_parent="div")
    except (etree.ParserError, ValueError):
        return plain_markdown(_TAG.sub(" ", value))
    for element in list(root.iter(*_DROP_TAGS)):
        element.drop_tree()
    base = base if base and is_url(base) else None
    for element in root.iter("a", "img"):
        for attribute in ("href", "src"):
            link = (element.get(attribute) or "").strip()
            if not link:
                continue
            if base:
                link = urljoin(base, link)
            if urlsplit(link).scheme.lower() not in _SAFE_SCHEMES:
                del element.attrib[attribute]
            else:
                element.set(attribute, link)
    html_text = etree.tostring(root, encoding="unicode", method="html")
    text = _Converter(**_MD_OPTIONS, bs4_options="lxml").convert(html_text)
    text = re.sub(r"[ \t]+\n", "\n", text)
    return strip_controls(re.sub(r"\n{3,}", "\n\n", text)).strip() + "\n"


def plain_markdown(text: str) -> str:
    """Plain text as Markdown paragraphs, every line escaped so it reads back the same."""
    paragraphs = re.split(r"\n[ \t]*\n", clean_text(text))
    lines = [escape_markdown(" ".join(p.split())) for p in paragraphs]
    return "\n\n".join(line for line in lines if line)
