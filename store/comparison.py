"""Compare two texts sentence by sentence (issue 13).

Revision mode (near-identical texts): an order-keeping sentence alignment with
word-level edits inside changed sentences, and moved sentences paired as moves.
Story mode (two tellings of one event): many-to-many sentence links by token-set
similarity. All offsets are code points into the plain texts given.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any

Span = tuple[int, int]

REVISION_THRESHOLD = 0.6  # share of sentences identical on both sides
SAME_SCORE = 0.9
SIMILAR_SCORE = 0.5
STORY_SIMILAR = 0.35
TERMS_PER_SIDE = 12

_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "vs", "etc", "inc", "ltd", "co",
    "corp", "gen", "gov", "sen", "rep", "col", "lt", "sgt", "capt", "no", "fig", "e.g",
    "i.e", "u.s", "u.k", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept",
    "oct", "nov", "dec", "mt", "ft",
}  # fmt: skip
_STOPWORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "but",
        "of",
        "to",
        "in",
        "on",
        "at",
        "by",
        "for",
        "with",
        "from",
        "as",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "he",
        "she",
        "they",
        "we",
        "you",
        "i",
        "his",
        "her",
        "their",
        "our",
        "your",
        "him",
        "them",
        "us",
        "said",
        "says",
        "say",
        "not",
        "no",
        "has",
        "have",
        "had",
        "do",
        "does",
        "did",
        "will",
        "would",
        "can",
        "could",
        "should",
        "may",
        "might",
        "also",
        "than",
        "then",
        "there",
        "here",
        "which",
        "who",
        "whom",
        "whose",
        "what",
        "when",
        "where",
        "why",
        "how",
        "into",
        "about",
        "over",
        "after",
        "before",
        "more",
        "most",
        "such",
        "so",
        "if",
        "up",
        "out",
    ]
)
_BOUNDARY = re.compile(r"[.!?…]+[\"'”’»)\]]*(?=\s+)|[。！？]+[」』”’）]*|\n+")
_WORD = re.compile(r"\w+(?:[.'’]\w+)*")


@dataclass(frozen=True)
class WordEdit:
    """One word-level change inside a similar sentence pair."""

    op: str  # "insert" | "delete" | "replace"
    left: Span
    right: Span


@dataclass(frozen=True)
class Pair:
    """A linked left/right sentence (or passage)."""

    left: Span
    right: Span
    kind: str  # "same" | "similar"
    score: float
    moved: bool = False
    edits: tuple[WordEdit, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The issue-13 JSON form of the pair."""
        return {
            "left": list(self.left),
            "right": list(self.right),
            "kind": self.kind,
            "score": round(self.score, 3),
        }


@dataclass
class Comparison:
    """The result of comparing two texts."""

    mode: str  # "revision" | "story"
    similarity: float
    pairs: list[Pair] = field(default_factory=list)
    left_only: list[Span] = field(default_factory=list)
    right_only: list[Span] = field(default_factory=list)
    left_terms: list[str] = field(default_factory=list)
    right_terms: list[str] = field(default_factory=list)

    def summary(self) -> dict[str, int]:
        """Counts of same, similar and one-side-only sentences."""
        return {
            "same": sum(p.kind == "same" for p in self.pairs),
            "similar": sum(p.kind == "similar" for p in self.pairs),
            "moved": sum(p.moved for p in self.pairs),
            "left_only": len(self.left_only),
            "right_only": len(self.right_only),
        }


def split_sentences(text: str) -> list[Span]:
    """Sentence spans of ``text`` (stripped, never empty), in order."""
    spans: list[Span] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        end = match.end()
        if match.group().startswith((".",)) and not match.group().startswith(".."):
            word = re.search(r"([\w.]+)\.[\"'”’»)\]]*$", text[start:end])
            if word and (word.group(1).lower() in _ABBREVIATIONS or len(word.group(1)) == 1):
                continue
            following = text[end : end + 3].lstrip()
            if following[:1].islower():
                continue
        _add(spans, text, start, end)
        start = end
    _add(spans, text, start, len(text))
    return spans


def _add(spans: list[Span], text: str, start: int, end: int) -> None:
    piece = text[start:end]
    stripped = piece.strip()
    if not stripped:
        return
    lead = len(piece) - len(piece.lstrip())
    spans.append((start + lead, start + lead + len(stripped)))


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def _norm(text: str) -> str:
    return " ".join(_words(text))


def _content(text: str) -> frozenset[str]:
    return frozenset(w for w in _words(text) if w not in _STOPWORDS)


def _dice(a: Counter[str], b: Counter[str]) -> float:
    total = sum(a.values()) + sum(b.values())
    return 2 * sum((a & b).values()) / total if total else 0.0


def _set_score(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return 2 * len(a & b) / (len(a) + len(b))


def compare_texts(left: str, right: str) -> Comparison:
    """Compare two plain texts; the mode is chosen by how alike they are."""
    left_spans, right_spans = split_sentences(left), split_sentences(right)
    left_norm = [_norm(left[s:e]) for s, e in left_spans]
    right_norm = [_norm(right[s:e]) for s, e in right_spans]
    similarity = _dice(Counter(_words(left)), Counter(_words(right)))
    shared = sum((Counter(left_norm) & Counter(right_norm)).values())
    smaller = min(len(left_spans), len(right_spans))
    revision = smaller > 0 and shared / smaller >= REVISION_THRESHOLD
    if revision:
        result = _revision(left, right, left_spans, right_spans, left_norm, right_norm)
    else:
        result = _story(left, right, left_spans, right_spans)
    result.similarity = similarity
    result.left_terms, result.right_terms = distinctive_terms(left, right)
    return result


def _revision(
    left: str,
    right: str,
    left_spans: list[Span],
    right_spans: list[Span],
    left_norm: list[str],
    right_norm: list[str],
) -> Comparison:
    result = Comparison("revision", 0.0)
    left_rest: list[int] = []
    right_rest: list[int] = []
    matcher = SequenceMatcher(None, left_norm, right_norm, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            for i, j in zip(range(i1, i2), range(j1, j2), strict=True):
                result.pairs.append(Pair(left_spans[i], right_spans[j], "same", 1.0))
            continue
        # Inside a changed block, pair sentences in order when they are still alike.
        j = j1
        for i in range(i1, i2):
            best = None
            for k in range(j, j2):
                if left_norm[i] == right_norm[k]:
                    break  # identical elsewhere: leave for move detection
                score = SequenceMatcher(
                    None, left_norm[i].split(), right_norm[k].split(), autojunk=False
                ).ratio()
                if score >= SIMILAR_SCORE:
                    best = (k, score)
                    break
            if best is None:
                left_rest.append(i)
                continue
            k, score = best
            right_rest.extend(range(j, k))
            ls, rs = left_spans[i], right_spans[k]
            edits = word_edits(left, right, ls, rs)
            result.pairs.append(Pair(ls, rs, "similar", score, edits=edits))
            j = k + 1
        right_rest.extend(range(j, j2))
    # Moves: a deleted sentence that reappears elsewhere unchanged.
    waiting: dict[str, list[int]] = {}
    for k in right_rest:
        waiting.setdefault(right_norm[k], []).append(k)
    moved_right: set[int] = set()
    for i in left_rest:
        candidates = waiting.get(left_norm[i])
        if candidates:
            k = candidates.pop(0)
            moved_right.add(k)
            result.pairs.append(Pair(left_spans[i], right_spans[k], "same", 1.0, moved=True))
        else:
            result.left_only.append(left_spans[i])
    result.right_only = [right_spans[k] for k in sorted(right_rest) if k not in moved_right]
    result.pairs.sort(key=lambda p: p.left)
    return result


def word_edits(left: str, right: str, ls: Span, rs: Span) -> tuple[WordEdit, ...]:
    """Word-level inserts, deletes and replacements between two sentences."""
    lw = [(m.start() + ls[0], m.end() + ls[0]) for m in _WORD.finditer(left[ls[0] : ls[1]])]
    rw = [(m.start() + rs[0], m.end() + rs[0]) for m in _WORD.finditer(right[rs[0] : rs[1]])]
    a = [left[s:e].lower() for s, e in lw]
    b = [right[s:e].lower() for s, e in rw]
    edits = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        lspan = (lw[i1][0], lw[i2 - 1][1]) if i2 > i1 else _gap(lw, i1, ls)
        rspan = (rw[j1][0], rw[j2 - 1][1]) if j2 > j1 else _gap(rw, j1, rs)
        edits.append(WordEdit(op, lspan, rspan))
    return tuple(edits)


def _gap(words: list[Span], index: int, sentence: Span) -> Span:
    where = words[index][0] if index < len(words) else (words[-1][1] if words else sentence[1])
    return (where, where)


def _story(left: str, right: str, left_spans: list[Span], right_spans: list[Span]) -> Comparison:
    result = Comparison("story", 0.0)
    right_sets = [_content(right[s:e]) for s, e in right_spans]
    index: dict[str, list[int]] = {}
    for k, words in enumerate(right_sets):
        for word in words:
            index.setdefault(word, []).append(k)
    linked_right: set[int] = set()
    for ls in left_spans:
        words = _content(left[ls[0] : ls[1]])
        candidates = {k for word in words for k in index.get(word, ())}
        found = False
        for k in sorted(candidates):
            score = _set_score(words, right_sets[k])
            if score < STORY_SIMILAR or len(words & right_sets[k]) < 3:
                continue
            kind = "same" if score >= SAME_SCORE else "similar"
            result.pairs.append(Pair(ls, right_spans[k], kind, score))
            linked_right.add(k)
            found = True
        if not found:
            result.left_only.append(ls)
    result.right_only = [s for k, s in enumerate(right_spans) if k not in linked_right]
    return result


def distinctive_terms(left: str, right: str) -> tuple[list[str], list[str]]:
    """Names, places and numbers one text uses and the other does not, most used first."""
    left_terms, right_terms = _terms(left), _terms(right)
    left_words, right_words = set(_words(left)), set(_words(right))

    def only(terms: Counter[str], other: set[str]) -> list[str]:
        kept = [t for t in terms if not all(w in other for w in _words(t))]
        kept.sort(key=lambda t: (-terms[t], t.lower()))
        return kept[:TERMS_PER_SIDE]

    return only(left_terms, right_words), only(right_terms, left_words)


_TERM = re.compile(r"\b(?:[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*|\d[\d,.]*%?)")


def _terms(text: str) -> Counter[str]:
    counts: Counter[str] = Counter()
    for start, end in split_sentences(text):
        sentence = text[start:end]
        for match in _TERM.finditer(sentence):
            term = match.group().rstrip(".,")
            first_word = match.start() == len(sentence) - len(sentence.lstrip("\"'“‘(["))
            if first_word and " " not in term and term.lower() in _STOPWORDS | {"the"}:
                continue
            if first_word and " " not in term and not term[0].isdigit():
                continue  # sentence-initial capital says nothing on its own
            if term.lower() in _STOPWORDS:
                continue
            counts[term] += 1
    return counts
