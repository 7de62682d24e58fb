"""Compare two texts sentence by sentence (issue 13).

Revision mode (near-identical texts): an order-keeping sentence alignment with
word-level edits inside changed sentences, and moved sentences paired as moves.
Story mode (two tellings of one event): many-to-many sentence links by token-set
similarity. All offsets are code points into the plain texts given.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any

Span = tuple[int, int]
Progress = Callable[[float], None]
"""Called with the fraction done, 0..1."""

REVISION_THRESHOLD = 0.6  # share of sentences identical on both sides
REVISION_WINDOW = 12  # sentences looked ahead for the counterpart of a changed one
SAME_SCORE = 0.9
MOVED_SCORE = 0.7  # word ratio from which a sentence deleted here and inserted there is a move
MOVED_PAIRS_MAX = 40_000  # unpaired left x right sentences past which moves are not reworded
SIMILAR_SCORE = 0.5
STORY_SIMILAR = 0.35  # unused since StoryParams; kept for importers of the name
TERMS_PER_SIDE = 12

_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "vs", "etc", "inc", "ltd", "co",
    "corp", "gen", "gov", "sen", "rep", "col", "lt", "sgt", "capt", "no", "fig", "e.g",
    "i.e", "u.s", "u.k", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept",
    "oct", "nov", "dec", "mt", "ft",
}  # fmt: skip
FUNCTION_WORDS = (
    "a an the and or but of to in on at by for with from as is are was were be been being "
    "it its this that these those he she they we you i his her their our your him them us "
    "said says say not no has have had do does did will would can could should may might "
    "also than then there here which who whom whose what when where why how into about over "
    "after before more most such so if up out"
)
_STOPWORDS = set(FUNCTION_WORDS.split())
_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
# A dateline or time stamp glued to the text after it ("March 8, 2013 5: 47 PM Doug McDermott
# scored ...", as page extraction leaves them) ends a sentence of its own.
_DATELINE = (
    rf"\b(?:{_MONTH}\s\d{{1,2}}(?:st|nd|rd|th)?,?\s(?:19|20)\d\d"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s{_MONTH}\s(?:19|20)\d\d"
    r"|\d{1,2}\s?/\s?\d{1,2}\s?/\s?(?:19|20)?\d\d"
    r"|\d{1,2}:\s?\d\d(?::\s?\d\d)?\s?(?:[AaPp]\.?\s?[Mm]\.?|GMT|UTC)(?:\s[A-Z]{2,4}\b)*)"
    r"(?=\s+[“\"‘(]?[A-Z](?:[a-zA-Z]|\s))"
)
_BOUNDARY = re.compile(
    r"[.!?…]+[\"'”’»)\]]*(?:\s[”’»](?=\s))?(?=\s+)|[。！？]+[」』”’）]*|\n+|" + _DATELINE
)
_WORD = re.compile(r"\w+(?:[.'’]\w+)*")
_LOWER_WORD = re.compile(r"\b[a-z]{2,}\b")
_ABBREVIATED = re.compile(r"([\w.]+)\.[\"'”’»)\]]*$")
_TAIL = 64
_DATELINE_LABELS = {"on", "at", "by", "posted", "published", "updated", "originally", "am", "pm"}


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
        stamp = match.group()[:1].isalnum()
        if stamp and ":" in match.group() and _in_prose(text, start, match.start()):
            continue  # a time inside running prose ("shortly after 8:30 PM Thursday")
        if match.group().startswith((".",)) and not match.group().startswith(".."):
            # Only the tail can hold the word before the full stop; a run of word characters
            # longer than the window is no abbreviation either way.
            word = _ABBREVIATED.search(text, max(start, end - _TAIL), end)
            initial = len(word.group(1)) == 1 and word.group(1).isalpha() if word else False
            if word and (word.group(1).lower() in _ABBREVIATIONS or initial):
                continue
            following = text[end : end + 3].lstrip()
            if following[:1].islower():
                continue
        _add(spans, text, start, end)
        start = end
    _add(spans, text, start, len(text))
    return spans


def _in_prose(text: str, start: int, end: int) -> bool:
    """Whether lowercase words other than dateline labels ("Posted on") come before ``end``."""
    return any(m.group() not in _DATELINE_LABELS for m in _LOWER_WORD.finditer(text, start, end))


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


def _dice(a: Counter[str], b: Counter[str]) -> float:
    total = sum(a.values()) + sum(b.values())
    return 2 * sum((a & b).values()) / total if total else 0.0


def compare_texts(
    left: str,
    right: str,
    *,
    progress: Progress | None = None,
    story: StoryParams | None = None,
    mode: str | None = None,
) -> Comparison:
    """Compare two plain texts; the mode is chosen by how alike they are.

    ``progress`` (optional) is called with the fraction done; ``story`` overrides the
    story-mode knobs (the benchmark's held-out tuning uses it); ``mode`` ("revision" or
    "story") forces a mode, as for two versions of one article.
    """
    left_spans, right_spans = split_sentences(left), split_sentences(right)
    left_norm = [_norm(left[s:e]) for s, e in left_spans]
    right_norm = [_norm(right[s:e]) for s, e in right_spans]
    left_words, right_words = _words(left), _words(right)
    similarity = _dice(Counter(left_words), Counter(right_words))
    shared = sum((Counter(left_norm) & Counter(right_norm)).values())
    smaller = min(len(left_spans), len(right_spans))
    revision = smaller > 0 and shared / smaller >= REVISION_THRESHOLD
    if mode is not None:
        revision = mode == "revision"
    if revision:
        result = _revision(left, right, left_spans, right_spans, left_norm, right_norm, progress)
    else:
        result = _story(left, right, left_spans, right_spans, story or STORY, progress)
    result.similarity = similarity
    result.left_terms, result.right_terms = _distinctive(
        _terms(left, left_spans), _terms(right, right_spans), set(left_words), set(right_words)
    )
    return result


def _revision(
    left: str,
    right: str,
    left_spans: list[Span],
    right_spans: list[Span],
    left_norm: list[str],
    right_norm: list[str],
    progress: Progress | None = None,
) -> Comparison:
    result = Comparison("revision", 0.0)
    left_rest: list[int] = []
    right_rest: list[int] = []
    matcher = SequenceMatcher(None, left_norm, right_norm, autojunk=False)
    opcodes = matcher.get_opcodes()
    if progress is not None:
        progress(0.3)  # the sentence alignment is about a third of the work
    for op, i1, i2, j1, j2 in opcodes:
        if progress is not None and i2 > i1:
            progress(0.3 + 0.65 * i1 / max(1, len(left_norm)))
        if op == "equal":
            for i, j in zip(range(i1, i2), range(j1, j2), strict=True):
                result.pairs.append(Pair(left_spans[i], right_spans[j], "same", 1.0))
            continue
        # Inside a changed block, pair sentences in order when they are still alike; looking
        # at most REVISION_WINDOW sentences ahead keeps a big rewritten block linear.
        j = j1
        for i in range(i1, i2):
            best = None
            for k in range(j, min(j2, j + REVISION_WINDOW)):
                if left_norm[i] == right_norm[k]:
                    break  # identical elsewhere: leave for move detection
                matcher = SequenceMatcher(
                    None, left_norm[i].split(), right_norm[k].split(), autojunk=False
                )
                if matcher.real_quick_ratio() < SIMILAR_SCORE:
                    continue
                if matcher.quick_ratio() < SIMILAR_SCORE:
                    continue
                score = matcher.ratio()
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
    unmatched: list[int] = []
    for i in left_rest:
        candidates = waiting.get(left_norm[i])
        if candidates:
            k = candidates.pop(0)
            moved_right.add(k)
            result.pairs.append(Pair(left_spans[i], right_spans[k], "same", 1.0, moved=True))
        else:
            unmatched.append(i)
    free = [k for k in sorted(right_rest) if k not in moved_right]
    for i, k, score in _edited_moves(unmatched, free, left_norm, right_norm):
        moved_right.add(k)
        ls, rs = left_spans[i], right_spans[k]
        edits = word_edits(left, right, ls, rs)
        result.pairs.append(Pair(ls, rs, "similar", score, moved=True, edits=edits))
    paired = {p.left for p in result.pairs}
    result.left_only = [left_spans[i] for i in unmatched if left_spans[i] not in paired]
    result.right_only = [right_spans[k] for k in free if k not in moved_right]
    result.pairs.sort(key=lambda p: p.left)
    if progress is not None:
        progress(1.0)
    return result


def _edited_moves(
    left_rest: list[int], right_rest: list[int], left_norm: list[str], right_norm: list[str]
) -> list[tuple[int, int, float]]:
    """Sentences deleted in one place and inserted, reworded, in another: ``(i, k, score)``.

    Each left sentence takes its closest unpaired right one when they read alike
    (word ratio >= ``MOVED_SCORE``); past ``MOVED_PAIRS_MAX`` candidate pairs (a rewrite, not
    an edit) none is looked for.
    """
    if not left_rest or not right_rest or len(left_rest) * len(right_rest) > MOVED_PAIRS_MAX:
        return []
    matchers = {}
    for k in right_rest:
        matcher = SequenceMatcher(None, autojunk=False)
        matcher.set_seq2(right_norm[k].split())  # its word index is made once
        matchers[k] = matcher
    taken: set[int] = set()
    out = []
    for i in left_rest:
        mine = left_norm[i].split()
        best: tuple[float, int] | None = None
        for k in right_rest:
            if k in taken:
                continue
            matcher = matchers[k]
            if 2 * min(len(mine), len(matcher.b)) < MOVED_SCORE * (len(mine) + len(matcher.b)):
                continue  # lengths too far apart to reach the ratio
            matcher.set_seq1(mine)
            if matcher.quick_ratio() < MOVED_SCORE:
                continue
            score = matcher.ratio()
            if score >= MOVED_SCORE and (best is None or score > best[0]):
                best = (score, k)
        if best is not None:
            taken.add(best[1])
            out.append((i, best[1], best[0]))
    return out


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


@dataclass(frozen=True)
class StoryParams:
    """Story-mode knobs (tuned on compare-dev, held out by topic; see tests/bench/README.md).

    Two sentences are linked when both state something (at least ``min_words`` content words),
    share some weighted vocabulary (TF-IDF cosine >= ``floor``) and either reach ``link_score``
    with ``sqrt(cosine) + lead_weight * (lead(i) + lead(j))`` (the opening sentences of two
    reports of one event tell that event, in other words) or read alike (cosine >= ``alone``)
    and are each other's closest match (cosine >= ``same``: always).
    ``lead(k) = exp(-rank / lead_decay)`` with rank counted in stating sentences, and the lead
    term only counts in full when the two texts share enough vocabulary to be one story.
    """

    link_score: float = 1.5
    lead_weight: float = 0.7
    lead_decay: float = 4.0
    alone: float = 0.7
    floor: float = 0.05
    min_words: int = 5
    same: float = SAME_SCORE
    story_low: float = 0.1  # text-level cosine under which the lead term counts for nothing
    story_high: float = 0.2  # ... and from which it counts in full
    lead_shared: int = 2  # content words a pair must share for the lead term to link it


STORY = StoryParams()
_CANDIDATE_SHARE = 0.05  # big texts: words in more than this share of sentences propose no pairs
_CANDIDATE_MIN_DF = 64


def _stem(word: str) -> str:
    """Lowercase stemming-lite: possessive and plural endings off."""
    if word.endswith(("'s", "’s")):
        word = word[:-2]
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _story_tokens(text: str, cache: dict[str, str] | None = None) -> list[str]:
    """Content words of ``text``, lowercased and stemmed.

    :param cache: token for each word seen before ("" for none), filled as it goes.
    """
    seen: dict[str, str] = {} if cache is None else cache
    out = []
    for word in _WORD.findall(text):
        token = seen.get(word)
        if token is None:
            token = seen[word] = _story_token(word)
        if token:
            out.append(token)
    return out


def _story_token(word: str) -> str:
    lower = word.lower()
    if lower in _STOPWORDS or (len(lower) < 2 and not lower.isdigit()):
        return ""
    return _stem(lower)


def _states(tokens: list[str], min_words: int) -> bool:
    """Whether a sentence says something: enough real words (not a dateline or byline)."""
    return sum(1 for t in tokens if len(t) > 2 and t.isalpha()) >= min_words


def _unit_vectors(sentences: list[list[str]], idf: dict[str, float]) -> list[dict[str, float]]:
    vectors = []
    for tokens in sentences:
        vector = {w: n * idf[w] for w, n in Counter(tokens).items()}
        norm = math.sqrt(sum(v * v for v in vector.values()))
        vectors.append({w: v / norm for w, v in vector.items()} if norm else {})
    return vectors


def _leads(sentences: list[list[str]], headings: list[bool], params: StoryParams) -> list[float]:
    """Each sentence's lead weight; a heading has none and does not count in the rank."""
    out, rank = [], 0
    for tokens, heading in zip(sentences, headings, strict=True):
        out.append(0.0 if heading else math.exp(-rank / params.lead_decay))
        rank += _states(tokens, params.min_words) and not heading
    return out


_SENTENCE_END = re.compile(r"[.!?…:;。！？][\"'”’»)\]」』）]*$")


def is_heading(text: str, span: Span) -> bool:
    """Whether a span is a line of its own without a sentence's closing punctuation.

    A subheading ("Uighur jihadists of Turkestan Islamic Party") names a section; it is no
    opening sentence of a report, so it gets no lead weight.
    """
    start, end = span
    alone = (start == 0 or text[start - 1] == "\n") and (end == len(text) or text[end] == "\n")
    return alone and not _SENTENCE_END.search(text, start, end)


def _text_cosine(a: list[list[str]], b: list[list[str]]) -> float:
    ca, cb = Counter(w for s in a for w in s), Counter(w for s in b for w in s)
    norm = math.sqrt(sum(v * v for v in ca.values()) * sum(v * v for v in cb.values()))
    return sum(v * cb[w] for w, v in ca.items()) / norm if norm else 0.0


def _story(
    left: str,
    right: str,
    left_spans: list[Span],
    right_spans: list[Span],
    params: StoryParams,
    progress: Progress | None,
) -> Comparison:
    result = Comparison("story", 0.0)
    cache: dict[str, str] = {}
    a = [_story_tokens(left[s:e], cache) for s, e in left_spans]
    b = [_story_tokens(right[s:e], cache) for s, e in right_spans]
    total = len(a) + len(b)
    df = Counter(w for tokens in a + b for w in set(tokens))
    idf = {w: math.log((total + 1) / (n + 0.5)) for w, n in df.items()}
    va, vb = _unit_vectors(a, idf), _unit_vectors(b, idf)
    states_a = [_states(t, params.min_words) for t in a]
    states_b = [_states(t, params.min_words) for t in b]
    story = (_text_cosine(a, b) - params.story_low) / (params.story_high - params.story_low)
    weight = params.lead_weight * min(1.0, max(0.0, story))
    heads_a = [is_heading(left, span) for span in left_spans]
    heads_b = [is_heading(right, span) for span in right_spans]
    lead_a = [weight * x for x in _leads(a, heads_a, params)]
    lead_b = [weight * x for x in _leads(b, heads_b, params)]
    # Candidates from an inverted index of the right side: only pairs sharing a word have a
    # cosine at all; on big texts the commonest words propose none (they weigh little anyway).
    cap = max(_CANDIDATE_MIN_DF, int(_CANDIDATE_SHARE * total))
    postings: dict[str, list[tuple[int, float]]] = {}
    for k, vector in enumerate(vb):
        if states_b[k]:
            for word, value in vector.items():
                postings.setdefault(word, []).append((k, value))
    best_strength = 1.0 + 2 * params.lead_weight
    links: dict[tuple[int, int], float] = {}  # (i, k) -> cosine of the pairs the lead rule links
    alike: list[tuple[int, int, float]] = []  # pairs that read alike, kept when mutual best
    best_a = [0.0] * len(a)
    best_b = [0.0] * len(b)
    step = max(1, len(a) // 50)
    for i, vector in enumerate(va):
        if progress is not None and i % step == 0:
            progress(0.95 * i / max(1, len(a)))
        if not states_a[i]:
            continue
        dots: dict[int, float] = {}
        for word, value in vector.items():
            if df[word] > cap:
                continue
            for k, other in postings.get(word, ()):
                dots[k] = dots.get(k, 0.0) + value * other
        for k, cosine in dots.items():
            if cosine < params.floor:
                continue
            best_a[i] = max(best_a[i], cosine)
            best_b[k] = max(best_b[k], cosine)
            lead = math.sqrt(cosine) + lead_a[i] + lead_b[k] >= params.link_score
            # One shared word ("Islamic") is no shared fact, however near the openings.
            if lead and len(vector.keys() & vb[k].keys()) >= params.lead_shared:
                links[(i, k)] = cosine
            elif cosine >= params.alone:
                alike.append((i, k, cosine))
    # Away from the leads, a sentence links where it reads alike and each is the other's
    # closest match (or where the two are the same sentence).
    for i, k, cosine in alike:
        if cosine >= params.same or (cosine >= best_a[i] and cosine >= best_b[k]):
            links[(i, k)] = cosine
    for (i, k), cosine in sorted(links.items()):
        kind = "same" if cosine >= params.same else "similar"
        strength = (math.sqrt(cosine) + lead_a[i] + lead_b[k]) / best_strength
        score = max(cosine, min(1.0, strength))
        result.pairs.append(Pair(left_spans[i], right_spans[k], kind, score))
    linked_a = {i for i, _ in links}
    linked_b = {k for _, k in links}
    result.left_only = [s for i, s in enumerate(left_spans) if i not in linked_a]
    result.right_only = [s for k, s in enumerate(right_spans) if k not in linked_b]
    if progress is not None:
        progress(1.0)
    return result


def distinctive_terms(left: str, right: str) -> tuple[list[str], list[str]]:
    """Names, places and numbers one text uses and the other does not, most used first.

    Variants of one name count once ("Trump's" is "Trump"; "Mitchell" goes into "John
    Mitchell" when the text has both), and names come before bare numbers.
    """
    return _distinctive(_terms(left), _terms(right), set(_words(left)), set(_words(right)))


def _distinctive(
    left_terms: Counter[str], right_terms: Counter[str], left_words: set[str], right_words: set[str]
) -> tuple[list[str], list[str]]:
    def only(terms: Counter[str], other: set[str]) -> list[str]:
        kept = [t for t in terms if not all(w in other for w in _words(t))]
        # Names before numbers, the most used first, and of names used as often the fuller
        # ("Mullah Abdul Ghani Baradar" before "Chechen").
        kept.sort(key=lambda t: (t[0].isdigit(), -terms[t], -len(t.split()), t.lower()))
        return kept[:TERMS_PER_SIDE]

    return only(left_terms, right_words), only(right_terms, left_words)


NAME_JOINERS = ("of", "for", "al", "bin", "ibn", "de", "del", "da", "du", "van", "von", "la")
"""Lowercase words inside a name ("Center for Afghanistan Studies", "Abu Bakar al Baghdadi")."""
_TERM = re.compile(
    r"\b(?:[A-Z](?:\.[A-Z])+\.?"  # U.S., U.N.
    r"|[A-Z][\w'’-]*(?:\s+(?:(?:" + "|".join(NAME_JOINERS) + r")\s+)?[A-Z][\w'’-]*)*"
    r"|\d[\d,.]*%?)"
)
_POSSESSIVE = re.compile(r"['’]s?$")
_INNER_POSSESSIVE = re.compile(r"['’]s\s+")
_CLOCK_PART = re.compile(r"\d{1,2}\s?:\s?\d{2}")
_OPENERS = {
    "the", "but", "since", "and", "while", "although", "though", "however", "because",
    "during", "despite", "meanwhile", "yet", "still", "now", "today", "according", "like",
    "unlike",
}  # fmt: skip
"""Words that open a sentence, capitalised there, and are no part of the name after them."""
MAX_TERM_WORDS = 4
"""A longer run of capitalised words is a headline in title case, not a name."""


def _terms(text: str, spans: list[Span] | None = None) -> Counter[str]:
    counts: Counter[str] = Counter()
    lowercase: set[str] | None = None  # the text's lowercase words, made when first needed
    for start, end in split_sentences(text) if spans is None else spans:
        sentence = text[start:end]
        if len(_LOWER_WORD.findall(sentence)) < 2:
            continue  # a dateline, byline or caption: its dates and capitals are not the story's
        clock = [m.span() for m in _CLOCK_PART.finditer(sentence)]
        for match in _TERM.finditer(sentence):
            if any(a <= match.start() < b for a, b in clock):
                continue  # the parts of "10:00" are not numbers of the story
            # "Islamic State’s Central Asian province": the owner is the name.
            term = match.group()
            if "s " in term:
                term = _INNER_POSSESSIVE.split(term, maxsplit=1)[0]
            if "." not in term[:-1]:  # not an abbreviation such as "U.S."
                term = _POSSESSIVE.sub("", term.rstrip(".,"))
            words = term.split()
            first_word = match.start() == len(sentence) - len(sentence.lstrip("\"'“‘(["))
            edge = _STOPWORDS | _OPENERS
            # All-capital words are acronyms ("US"), not the stopwords they spell.
            while len(words) > 1 and words[0].lower() in edge and not words[0].isupper():
                words, first_word = words[1:], False  # "The Texas Department"
            if first_word and len(words) > 1:
                if lowercase is None:
                    lowercase = set(_LOWER_WORD.findall(text))
                if words[0].lower() in lowercase:  # "Most Badakhshan": "most" is a word here
                    words, first_word = words[1:], False
            while len(words) > 1 and words[-1].lower() in edge and not words[-1].isupper():
                words = words[:-1]  # "Kraft Shooting Suspect The"
            term = " ".join(words)
            long = len(words) > MAX_TERM_WORDS
            if long and sum(w not in NAME_JOINERS for w in words) > MAX_TERM_WORDS or not term:
                continue
            if len(words) == 1 and len(term) == 1 and not term.isdigit():
                continue  # a lone capital letter: an initial or a list mark
            if first_word and len(words) == 1 and not term[0].isdigit():
                continue  # sentence-initial capital says nothing on its own
            if term.lower() in _STOPWORDS:
                continue
            counts[term] += 1
    # "Mitchell" said after "John Mitchell" is the same person: fold it into the full name.
    # Only a last name said after the full one folds: "Afghanistan" is not "Center for
    # Afghanistan Studies", nor "American" (said before) the "Latin American" countries.
    first = {term: n for n, term in enumerate(counts)}  # a Counter keeps first-seen order
    names = [t for t in counts if " " in t and not set(t.split()) & set(NAME_JOINERS)]
    for term in [t for t in counts if " " not in t and not t[0].isdigit()]:
        fuller = [n for n in names if n.split()[-1] == term and first[n] < first[term]]
        if len(fuller) == 1:
            counts[fuller[0]] += counts.pop(term)
    return counts
