"""Where a passage went when its article's text changed.

Pipeline per anchor: the old position still holds the quote; else, given the old text, a
word-level diff maps the quote's words into the new text (placed if at least half survive);
else the exact quote scored by its context and closeness to the mapped position; else a strict
fuzzy match near that position. Anything not clearly the same passage stays an orphan (None).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from rapidfuzz import fuzz

_WORD = re.compile(r"\S+")
# Fuzzy acceptance: similarity of the quote, and agreement of the surrounding text.
FUZZY_MIN = 80.0
FUZZY_CONTEXT_MIN = 60.0
FUZZY_WINDOW = 3000


@dataclass(frozen=True, slots=True)
class Anchor:
    """What a stored note knows about its place: a quote with context, and offsets."""

    quote: str
    prefix: str
    suffix: str
    start: int | None
    end: int | None


@dataclass(frozen=True, slots=True)
class Placement:
    """Where an anchor belongs in a text."""

    start: int
    end: int
    method: str
    score: float


def selectors(text: str, start: int, end: int, context: int = 32) -> Anchor:
    """The text-quote and position selectors for ``text[start:end]``."""
    return Anchor(
        text[start:end],
        text[max(0, start - context) : start],
        text[end : end + context],
        start,
        end,
    )


def locate(anchor: Anchor, text: str) -> Placement | None:
    """Where ``anchor`` belongs in ``text``, or None."""
    return reanchor([anchor], None, text)[0]


class _WordMap:
    """Old word index -> new word index for words the diff keeps (-1 where gone)."""

    def __init__(self, old_text: str, new_text: str) -> None:
        old = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(old_text)]
        new = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(new_text)]
        self.old_starts = [w[0] for w in old]
        self.old_ends = [w[1] for w in old]
        self.new = new
        self.to_new = [-1] * len(old)
        matcher = SequenceMatcher(None, [w[2] for w in old], [w[2] for w in new], autojunk=False)
        for a, b, size in matcher.get_matching_blocks():
            for k in range(size):
                self.to_new[a + k] = b + k

    def words(self, start: int, end: int) -> range:
        """Indices of old words overlapping ``[start, end)``."""
        first = bisect.bisect_right(self.old_ends, start)
        last = bisect.bisect_left(self.old_starts, end)
        return range(first, last)

    def offset(self, old_offset: int) -> int | None:
        """The new offset nearest to where ``old_offset`` was, via the nearest kept word."""
        i = min(bisect.bisect_left(self.old_starts, old_offset), len(self.to_new) - 1)
        for j in (*range(i, min(i + 50, len(self.to_new))), *range(i - 1, max(i - 50, -1), -1)):
            if j >= 0 and self.to_new[j] >= 0:
                return self.new[self.to_new[j]][0]
        return None


def _context_score(anchor: Anchor, text: str, start: int, end: int) -> float:
    """0-100: how well the text around ``[start, end)`` agrees with the stored context."""
    scores = []
    if anchor.prefix:
        scores.append(fuzz.ratio(anchor.prefix, text[max(0, start - len(anchor.prefix)) : start]))
    if anchor.suffix:
        scores.append(fuzz.ratio(anchor.suffix, text[end : end + len(anchor.suffix)]))
    return max(scores) if scores else 0.0


def _by_diff(anchor: Anchor, wmap: _WordMap) -> Placement | str | None:
    """Placement from the word diff; "orphan" when most words are gone; None if not applicable."""
    assert anchor.start is not None and anchor.end is not None
    idx = wmap.words(anchor.start, anchor.end)
    if not idx:
        return None
    kept = [i for i in idx if wmap.to_new[i] >= 0]
    if 2 * len(kept) < len(idx):
        return "orphan"
    first, last = wmap.new[wmap.to_new[kept[0]]], wmap.new[wmap.to_new[kept[-1]]]
    start, end = first[0], last[1]
    # A quote may begin or end inside a word ("towns" of "towns."): keep that cut.
    if kept[0] == idx[0]:
        start += max(0, anchor.start - wmap.old_starts[idx[0]])
    if kept[-1] == idx[-1]:
        end -= max(0, wmap.old_ends[idx[-1]] - anchor.end)
    if end <= start:
        start, end = first[0], last[1]
    return Placement(start, end, "diff", len(kept) / len(idx))


def _exact(anchor: Anchor, text: str, near: int | None) -> Placement | None:
    """The best-scored exact occurrence of the quote, if one is clearly the passage."""
    quote = anchor.quote
    best: tuple[float, int] | None = None
    count = 0
    at = text.find(quote)
    while at >= 0:
        count += 1
        score = _context_score(anchor, text, at, at + len(quote))
        if near is not None:
            score += 20.0 / (1.0 + abs(at - near) / 1000.0)
        if best is None or score > best[0]:
            best = (score, at)
        at = text.find(quote, at + 1)
    if best is None:
        return None
    score, at = best
    if count > 1 and _context_score(anchor, text, at, at + len(quote)) < 50:
        return None
    return Placement(at, at + len(quote), "exact", min(1.0, score / 100.0))


def _fuzzy(anchor: Anchor, text: str, near: int | None) -> Placement | None:
    """A strict fuzzy match of the quote near ``near`` (or anywhere in a short text)."""
    quote = anchor.quote
    if len(quote) < 8:
        return None
    if near is None:
        if len(text) > 4 * FUZZY_WINDOW:
            return None
        lo, hi = 0, len(text)
    else:
        lo, hi = max(0, near - FUZZY_WINDOW), min(len(text), near + FUZZY_WINDOW + len(quote))
    found = fuzz.partial_ratio_alignment(quote, text[lo:hi], score_cutoff=FUZZY_MIN)
    if found is None:
        return None
    start, end = lo + found.dest_start, lo + found.dest_end
    # The alignment may take in punctuation or spaces the quote does not have at its ends.
    while end > start and quote[-1].isalnum() and not text[end - 1].isalnum():
        end -= 1
    while start < end and quote[0].isalnum() and not text[start].isalnum():
        start += 1
    if not 0.75 <= (end - start) / len(quote) <= 1.33:
        return None
    similarity = fuzz.ratio(quote, text[start:end])
    context = _context_score(anchor, text, start, end)
    if similarity < FUZZY_MIN or (context < FUZZY_CONTEXT_MIN and similarity < 92):
        return None
    return Placement(start, end, "fuzzy", similarity / 100.0)


def reanchor(
    anchors: Sequence[Anchor], old_text: str | None, new_text: str
) -> list[Placement | None]:
    """Where each anchor belongs in ``new_text``; None for an orphan."""
    wmap: _WordMap | None = None
    placed: list[Placement | None] = []
    for anchor in anchors:
        if not anchor.quote:
            placed.append(None)
            continue
        start = anchor.start
        if start is not None and new_text[start : start + len(anchor.quote)] == anchor.quote:
            end = start + len(anchor.quote)
            if (
                old_text is None
                or old_text == new_text
                or _context_score(anchor, new_text, start, end) >= 90
            ):
                placed.append(Placement(start, end, "position", 1.0))
                continue
        near: int | None = None
        known_old = (
            old_text is not None
            and start is not None
            and anchor.end is not None
            and old_text[start : anchor.end] == anchor.quote
        )
        if known_old:
            assert old_text is not None and start is not None
            if wmap is None:
                wmap = _WordMap(old_text, new_text)
            by_diff = _by_diff(anchor, wmap)
            if isinstance(by_diff, Placement):
                placed.append(by_diff)
                continue
            near = wmap.offset(start)
            if by_diff == "orphan":
                # Moved rather than removed only if quote and context still agree exactly.
                hit = _exact(anchor, new_text, None)
                ok = hit and _context_score(anchor, new_text, hit.start, hit.end) >= 90
                placed.append(hit if ok else None)
                continue
        elif start is not None:
            near = start
        placed.append(_exact(anchor, new_text, near) or _fuzzy(anchor, new_text, near))
    return placed
