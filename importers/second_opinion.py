"""A second opinion on a web page's article, from the text the page shows.

Trafilatura sometimes takes a box for the article (a list of other stories, a reader
notice) and leaves the story itself out. When its body does not name the page's own
title, the page-dump reader is run on the page's visible text (what a browser's "select
all, copy" gives); if that finds a body that names the title and shares nothing with
trafilatura's, that body is the article.
"""

from __future__ import annotations

import re

import lxml.html

from .base import Source
from .errors import ImportFailure
from .pagemeta import visible_lines

__all__ = ["title_share", "visible_article", "second_opinion"]

_WORD = re.compile(r"\w+")
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_HEAD_WORDS = 120
_HEAD_CHARS = 300  # the same span, for Chinese or Japanese text
_ASKS_BELOW = 0.2
_NAMES_AT_LEAST = 0.5
_SHARED_BELOW = 0.1
_MIN_WORDS = 30


def _tokens(text: str) -> set[str]:
    """Words of three letters or more; pairs of characters in Chinese or Japanese."""
    out: set[str] = set()
    for word in _WORD.findall(text.casefold()):
        if _UNSPACED.search(word):
            out.update(word[k : k + 2] for k in range(len(word) - 1))
        elif len(word) >= 3:
            out.add(word)
    return out


def title_share(title: str | None, body: str) -> float:
    """The share of a title's words that the start of a body uses (a story's opening
    names it): 0 without a title."""
    wanted = _tokens(title or "")
    if not wanted:
        return 0.0
    head = body[:_HEAD_CHARS] if _UNSPACED.search(body[:200]) else body
    head = " ".join(head.split()[:_HEAD_WORDS])
    return len(wanted & _tokens(head)) / len(wanted)


def _trigrams(text: str) -> set[tuple[str, ...]]:
    words = _WORD.findall(text.casefold())
    return set(zip(words, words[1:], words[2:], strict=False))


def visible_article(tree: lxml.html.HtmlElement) -> str | None:
    """The article body (Markdown) the page-dump reader finds in a page's visible text."""
    from .pagedump import PageDumpImporter

    text = "\n".join(visible_lines(tree))
    try:
        drafts = PageDumpImporter().parse(Source(name="page.txt", data=text.encode("utf-8")))
    except ImportFailure:
        return None
    return next((d.body_markdown for d in drafts if d.kind == "article"), None)


def second_opinion(tree: lxml.html.HtmlElement, title: str | None, body: str) -> str | None:
    """The visible text's article when it should replace ``body``, else None.

    It replaces it only when ``body`` barely names ``title`` (under a fifth of its words
    in its opening), the visible article names at least half of them, is thirty words or
    more, and shares almost no run of three words with ``body``: two different texts, and
    the one about the page's story wins.
    """
    if not title or title_share(title, body) >= _ASKS_BELOW:
        return None
    other = visible_article(tree)
    if other is None or len(other.split()) < _MIN_WORDS:
        return None
    if title_share(title, other) < _NAMES_AT_LEAST:
        return None
    ours = _trigrams(body)
    if ours and len(ours & _trigrams(other)) / len(ours) >= _SHARED_BELOW:
        return None
    return other
