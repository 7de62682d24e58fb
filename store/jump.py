"""The quick jump matcher: fzf-style fuzzy finding over titles, sources, sections,
tags and note text, fast enough to answer every keystroke on 100,000 articles.

Brute force does not fit the 30 ms a keystroke may take (rapidfuzz's WRatio
over 100,000 titles: 330 ms; partial_ratio: 115 ms; PERFORMANCE.md), so the
matcher narrows before it scores:

* one or two characters: the items with a word starting with them (a prefix
  list built on first use and cached), in the static order (newest first);
* three or more: the items containing every typed term as a substring,
  computed from the previous keystroke's survivors when the query grew (typing
  only ever narrows), then ranked by where the match falls (word start, title
  start, title rather than metadata) and shortness;
* abbreviations and initials, fzf-style (``clopauwun``, ``tte`` for "Taliban tame
  ETIM"): the typed characters as runs, each run the start of a title word, the
  words in order. Candidates come from bitsets (title words starting with a
  character, title words holding a pair of characters) intersected at C speed;
  each survivor keeps its partial alignments, so the next keystroke extends them
  instead of starting again. Scored like fzf: word starts and long runs up,
  skipped words and a late start down;
* misspelled words: a term no title word starts with is corrected against the
  title vocabulary (rapidfuzz), and the items holding a corrected word match;
* when all that finds fewer than asked for, a fuzzy tier: items holding every typed
  character (a bitmask test, also narrowed keystroke by keystroke), at most
  :data:`FUZZY_POOL` of them, scored with rapidfuzz's ``partial_ratio``.

Matched characters come back as positions in :attr:`JumpItem.text`, for the UI
to highlight. Nothing here imports Textual.
"""

from __future__ import annotations

import re
import sqlite3
import threading
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from itertools import islice

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Indel

FUZZY_POOL = 2500
"""Most items the fuzzy tier scores per keystroke (the newest first)."""
FUZZY_CUTOFF = 68.0
"""partial_ratio a match needs unless its characters all occur in order."""
SUBSEQUENCE_CUTOFF = 45.0
"""partial_ratio below which even an in-order match is not considered."""
FUZZY_BELOW = 1
"""The fuzzy tier (the slowest: partial_ratio over up to FUZZY_POOL items) runs only
when the other tiers found fewer than this; misspelled words have their own tier."""
PREFIX_CHARS = 2
"""Queries this short use the word-prefix lists."""
SEPARATOR = "  ·  "
CHUNK_CAP = 2500
"""Most candidates the abbreviation tier aligns from scratch in one keystroke; with
more, it waits for the next key (the other tiers answer meanwhile)."""
CHUNK_MIN = 3
"""Typed characters before the abbreviation tier starts."""

_NON_WORD = re.compile(r"[\W_]+")
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True, slots=True)
class JumpItem:
    """One thing the quick jump can find.

    :param article_id: the article to open.
    :param kind: ``"article"`` (title with source, section and tags) or ``"note"``.
    :param text: the line shown and matched.
    :param title_end: where the title (or note text) ends in ``text``.
    """

    article_id: int
    kind: str
    text: str
    title_end: int


@dataclass(frozen=True, slots=True)
class JumpMatch:
    """A matched item, its score (higher is better) and matched character positions."""

    item: JumpItem
    score: float
    positions: tuple[int, ...]

    def to_dict(self) -> dict[str, object]:
        """JSON-ready data."""
        return {
            "article_id": self.item.article_id,
            "kind": self.item.kind,
            "text": self.item.text,
            "score": round(self.score, 2),
            "positions": list(self.positions),
        }


def _fold(text: str) -> str:
    """Lower-case ``text`` keeping its length (so positions map back one to one)."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join((c.lower() or c)[0] for c in text)


def _mask(text: str) -> int:
    """A bitmask of the characters in ``text`` (63 buckets)."""
    mask = 0
    for char in set(text):
        if not char.isspace():
            mask |= 1 << (ord(char) % 63)
    return mask


def _one_line(text: str) -> str:
    if "  " in text or "\n" in text or "\t" in text or "\r" in text:
        return " ".join(text.split())
    return text.strip() if text[:1] == " " or text[-1:] == " " else text


def article_text(
    title: str, source: str | None, section: str | None, tags: Sequence[str] = ()
) -> tuple[str, int]:
    """The matched line of an article and where its title ends."""
    title = _one_line(title)
    text = title
    if source:
        text += SEPARATOR + _one_line(source)
    if section:
        text += SEPARATOR + _one_line(section)
    if tags:
        text += "  " + " ".join("#" + " ".join(t.split()) for t in tags)
    return text, len(title)


def note_text(body: str, title: str) -> tuple[str, int]:
    """The matched line of a note and where the note's own text ends."""
    body = " ".join(body.split())
    if len(body) > 160:
        body = body[:159] + "…"
    return f"{body}{SEPARATOR}{' '.join(title.split())}", len(body)


class JumpIndex:
    """Everything the quick jump can find, with per-keystroke narrowing state.

    :param items: in the static order used to break ties (newest first).
    """

    def __init__(self, items: Iterable[JumpItem]) -> None:
        self.items: list[JumpItem] = list(items)
        self.hay: list[str] = [_fold(i.text) for i in self.items]
        sub = _NON_WORD.sub
        self.words: list[str] = [" " + sub(" ", h) for h in self.hay]
        # Everything built here, once, off the UI thread: a keystroke never pays for it.
        self._masks: list[int] = [_mask(h) for h in self.hay]
        self._joined = "\n".join(self.hay)
        self._offsets: list[int] = []
        at = 0
        for h in self.hay:
            self._offsets.append(at)
            at += len(h) + 1
        self._prefixes: dict[str, list[int]] = {}
        # Title words for the abbreviation tier (interned: 100k titles share ~50k words).
        interned: dict[str, str] = {}
        find_words = _WORD.findall
        self._title_words: list[tuple[str, ...]] = [
            tuple(interned.setdefault(w, w) for w in find_words(h[: i.title_end]))
            for i, h in zip(self.items, self.hay, strict=True)
        ]
        self._vocabulary: list[str] = sorted(interned)
        # Title word -> items holding it, in order: a correction's words are looked up
        # here instead of scanning every text for each (10-50 ms a keystroke at 100k).
        word_items: dict[str, list[int]] = {}
        for n, words in enumerate(self._title_words):
            for word in dict.fromkeys(words):
                found_in = word_items.get(word)
                if found_in is None:
                    word_items[word] = [n]
                else:
                    found_in.append(n)
        self._word_items = word_items
        self._fixes: dict[str, list[tuple[str, float]]] = {}
        self._bits: dict[str, int] = {}
        starting: dict[str, bytearray] = {}
        size = len(self.items) // 8 + 1
        for n, words in enumerate(self._title_words):
            for char in {w[0] for w in words}:
                flags = starting.get(char)
                if flags is None:
                    flags = starting[char] = bytearray(size)
                flags[n >> 3] |= 1 << (n & 7)
        for char, flags in starting.items():
            self._bits[char] = int.from_bytes(flags, "little")
        self._last_chunk: tuple[str, list[tuple[int, list[tuple[int, int, float]]]]] | None = None
        self._last: tuple[str, list[int]] | None = None
        self._last_fuzzy: tuple[str, list[int]] | None = None
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self.items)

    @property
    def masks(self) -> list[int]:
        """Character bitmasks of the items, for the fuzzy prefilter."""
        return self._masks

    def _containing(self, needle: str) -> list[int]:
        """Items whose text contains ``needle``, in order.

        One C-speed ``str.find`` pass over all texts joined together, instead of a
        Python-level test per item: a few ms for 100k titles instead of 10–15.
        """
        found: list[int] = []
        find, offsets, end = self._joined.find, self._offsets, len(self._joined)
        count = len(offsets)
        dense = count // 8
        pos = find(needle)
        while pos != -1:
            i = bisect_right(offsets, pos) - 1
            found.append(i)
            if len(found) > dense:
                # Common text ("the"): testing each remaining item is cheaper.
                hay = self.hay
                found.extend(j for j in range(i + 1, count) if needle in hay[j])
                break
            pos = find(needle, offsets[i + 1] if i + 1 < count else end)
        return found

    @classmethod
    def from_connection(
        cls,
        conn: sqlite3.Connection,
        *,
        notes: bool = True,
        lock: AbstractContextManager[object] | None = None,
    ) -> JumpIndex:
        """Load titles (with source, section, tags) and note texts from a library.

        :param lock: held while reading the rows, not while building the index.
        """
        with lock or nullcontext():
            tag_rows = conn.execute(
                "SELECT at.article_id, t.name FROM article_tags at JOIN tags t ON t.id = at.tag_id"
            ).fetchall()
            article_rows = conn.execute(
                "SELECT id, title, source, section FROM articles ORDER BY id DESC"
            ).fetchall()
            note_rows = (
                conn.execute(
                    "SELECT n.article_id, n.body, n.quote, a.title FROM notes n "
                    "JOIN articles a ON a.id = n.article_id ORDER BY n.updated_at DESC, n.id DESC"
                ).fetchall()
                if notes
                else []
            )
        items = _items_of(tag_rows, article_rows, note_rows)
        # The rows go before the index is built: they would double the peak memory.
        del tag_rows, article_rows, note_rows
        return cls(items)

    # -- matching ----------------------------------------------------------------------------
    def search(self, query: str, limit: int = 50) -> list[JumpMatch]:
        """The best ``limit`` items for ``query``, best first."""
        with self._lock:
            return self._search(query, limit)

    def _search(self, query: str, limit: int) -> list[JumpMatch]:
        q = " ".join(_fold(query).split())
        if not q or limit <= 0:
            return [JumpMatch(item, 0.0, ()) for item in self.items[:limit]]
        terms = q.split(" ")
        if len(q) <= PREFIX_CHARS and len(terms) == 1:
            return self._prefix_search(q, limit)
        survivors = self._substring_survivors(q, terms)
        ranked = self._rank_substring(survivors, terms, limit)
        ranked = _merge(ranked, self._chunks(q, limit), limit)
        if len(ranked) < limit:
            ranked = _merge(ranked, self._corrected(terms, limit), limit)
        if len(ranked) < min(limit, FUZZY_BELOW) and len(q) > 3:
            seen = {id(m.item) for m in ranked}
            for match in self._fuzzy(q, limit - len(ranked)):
                if id(match.item) not in seen:
                    ranked.append(match)
        return ranked[:limit]

    def _prefix_search(self, q: str, limit: int) -> list[JumpMatch]:
        found = self._prefixes.get(q)
        if found is None:
            needle = " " + q
            found = [i for i, w in enumerate(self.words) if needle in w]
            self._prefixes[q] = found
        self._last = None
        matches = []
        # Title starts first, then other word starts, each in static order.
        head = found[: limit * 20]
        firsts = [i for i in head if self.words[i].startswith(" " + q)]
        chosen = set(firsts)
        order = firsts + [i for i in head if i not in chosen]
        for i in order[:limit]:
            matches.append(self._match(i, [q], 100.0))
        matches.sort(key=lambda m: -m.score)
        return matches

    def _substring_survivors(self, q: str, terms: list[str]) -> list[int]:
        previous = self._last
        last = terms[-1]
        if previous is not None and q.startswith(previous[0]):
            hay = self.hay
            survivors = [i for i in previous[1] if last in hay[i]]
        else:
            hay = self.hay
            first, *others = sorted(terms, key=len, reverse=True)
            survivors = self._containing(first)
            if others:
                survivors = [i for i in survivors if all(t in hay[i] for t in others)]
        self._last = (q, survivors)
        return survivors

    def _rank_substring(
        self, survivors: list[int], terms: list[str], limit: int
    ) -> list[JumpMatch]:
        if not survivors:
            return []
        words = self.words
        starts = [" " + t for t in terms]
        pool_size = max(limit * 8, 200)
        if len(survivors) > pool_size:
            # The first pool_size word-start matches in static order, found lazily.
            at_start = (i for i in survivors if all(s in words[i] for s in starts))
            pool = list(islice(at_start, pool_size))
            if len(pool) < pool_size:
                chosen = set(pool)
                pool += [i for i in survivors[: pool_size * 2] if i not in chosen][
                    : pool_size - len(pool)
                ]
        else:
            pool = survivors
        matches = [self._match(i, terms, 100.0) for i in pool]
        matches.sort(key=lambda m: -m.score)
        return matches[:limit]

    def _match(self, index: int, terms: list[str], base: float) -> JumpMatch:
        """Score a substring match and find the characters to highlight."""
        item = self.items[index]
        hay, words = self.hay[index], self.words[index]
        score = base
        positions: list[int] = []
        for term in terms:
            at = words.find(" " + term) - 1 if term[:1].isalnum() else -1
            if at >= 0 and hay.startswith(term, at):
                score += 8.0
            else:
                at = hay.find(term)
            if at < 0:
                continue
            if at == 0:
                score += 6.0
            if at < item.title_end:
                score += 5.0
            positions.extend(range(at, at + len(term)))
        score -= min(10.0, len(item.text) / 20)
        if item.kind == "note":
            score -= 3.0
        return JumpMatch(item, score, tuple(sorted(set(positions))))

    # -- abbreviations and initials --------------------------------------------------------
    def _bitset(self, key: str) -> int:
        """Items (as bits) with a title word starting with ``key`` (one character, built
        with the index) or whose text holds ``key`` (a pair, built on first use)."""
        bits = self._bits.get(key)
        if bits is None:
            flags = bytearray(len(self.items) // 8 + 1)
            if len(key) == 2:
                for n in self._containing(key):
                    flags[n >> 3] |= 1 << (n & 7)
            bits = self._bits[key] = int.from_bytes(flags, "little")
        return bits

    def _chunk_candidates(self, chars: str) -> list[int] | None:
        """Items that may hold ``chars`` as word-start runs (a superset), or None
        when there are more than :data:`CHUNK_CAP`."""
        bits = self._bitset(chars[0])
        for a, b in zip(chars, chars[1:], strict=False):
            bits &= self._bitset(a + b) | self._bitset(b)
            if not bits:
                return []
        if bits.bit_count() > CHUNK_CAP:
            return None
        flags = bin(bits)[:1:-1]  # bit n is character n
        found, at = [], flags.find("1")
        while at != -1:
            found.append(at)
            at = flags.find("1", at + 1)
        return found

    def _chunks(self, q: str, limit: int) -> list[JumpMatch]:
        """Items whose title words start runs of the typed characters, fzf-scored."""
        chars = "".join(c for c in q if c.isalnum())
        if len(chars) < CHUNK_MIN or len(chars) > 40:
            self._last_chunk = None
            return []
        words_of = self._title_words
        previous = self._last_chunk
        survivors: list[tuple[int, list[tuple[int, int, float]]]] = []
        if previous is not None and chars.startswith(previous[0]):
            added = chars[len(previous[0]) :]
            for i, states in previous[1]:
                words = words_of[i]
                for c in added:
                    states = _advance(words, states, c)
                    if not states:
                        break
                if states:
                    survivors.append((i, states))
        else:
            candidates = self._chunk_candidates(chars)
            if candidates is None:
                self._last_chunk = None
                return []
            for i in candidates:
                words = words_of[i]
                states = _start(words, chars[0])
                for c in chars[1:]:
                    if not states:
                        break
                    states = _advance(words, states, c)
                if states:
                    survivors.append((i, states))
        self._last_chunk = (chars, survivors)
        if not survivors:
            return []
        items = self.items
        scored = []
        for i, states in survivors:
            best = max(s for _, _, s in states)
            words = words_of[i]
            # Shorter titles first among equals (fzf: shorter spans), notes last.
            best -= min(10.0, len(items[i].text) / 20) + 0.3 * len(words)
            initials = "".join(w[0] for w in words)
            if chars in initials:
                # An acronym: every character a word's first, no word skipped.
                best += 8.0 if chars == initials else 4.0
            if items[i].kind == "note":
                best -= 3.0
            scored.append((best, i))
        scored.sort(key=lambda pair: -pair[0])
        matches = []
        for score, i in scored[:limit]:
            positions = _chunk_positions(self.hay[i], self.items[i].title_end, words_of[i], chars)
            matches.append(JumpMatch(self.items[i], score, positions))
        return matches

    # -- misspelled words ----------------------------------------------------------------------
    def _known_prefix(self, term: str) -> bool:
        vocabulary = self._vocabulary
        at = bisect_right(vocabulary, term) - 1
        return (at >= 0 and vocabulary[at] == term) or (
            at + 1 < len(vocabulary) and vocabulary[at + 1].startswith(term)
        )

    def _items_with_word(self, word: str) -> list[int]:
        """Items whose title has ``word``, in order."""
        return self._word_items.get(word, [])

    def _corrected(self, terms: list[str], limit: int) -> list[JumpMatch]:
        """Items matching once each misspelled term is read as its nearest title words."""
        fixes: dict[str, list[tuple[str, float]]] = {}
        for term in terms:
            if len(term) >= 4 and term.isalnum() and not self._known_prefix(term):
                options = self._fixes.get(term)
                if options is None:
                    found = process.extract(
                        term, self._vocabulary, scorer=fuzz.ratio, score_cutoff=70, limit=4
                    )
                    options = [(word, score) for word, score, _ in found]
                    self._fixes[term] = options
                if not options:
                    return []
                fixes[term] = options
        if not fixes:
            return []
        pool: set[int] | None = None
        for options in fixes.values():
            hits: set[int] = set()
            for word, _ in options:
                hits.update(self._items_with_word(word))
            pool = hits if pool is None else pool & hits
            if not pool:
                return []
        assert pool is not None
        exact = [t for t in terms if t not in fixes]
        hay = self.hay
        matches = []
        for i in sorted(pool)[: limit * 40]:
            if not all(t in hay[i] for t in exact):
                continue
            corrected = []
            penalty = 0.0
            for term in terms:
                if term in fixes:
                    word, score = next(
                        ((w, sc) for w, sc in fixes[term] if w in hay[i]), fixes[term][0]
                    )
                    corrected.append(word)
                    penalty += (100.0 - score) / 2
                else:
                    corrected.append(term)
            match = self._match(i, corrected, 85.0 - penalty)
            matches.append(match)
        matches.sort(key=lambda m: -m.score)
        return matches[:limit]

    def _fuzzy(self, q: str, limit: int) -> list[JumpMatch]:
        """Items with every character of ``q``, scored by partial_ratio."""
        needed = _mask(q)
        previous = self._last_fuzzy
        masks = self.masks
        if previous is not None and q.startswith(previous[0]):
            base: Iterable[int] = previous[1]
            candidates = [i for i in base if masks[i] & needed == needed]
        else:
            candidates = [i for i, m in enumerate(masks) if m & needed == needed]
        self._last_fuzzy = (q, candidates)
        pool = candidates[:FUZZY_POOL]
        if not pool:
            return []
        found = process.extract(
            q,
            [self.hay[i] for i in pool],
            scorer=fuzz.partial_ratio,
            processor=None,
            score_cutoff=SUBSEQUENCE_CUTOFF,
            limit=limit * 4,
        )
        matches = []
        for _, score, n in found:
            index = pool[n]
            hay = self.hay[index]
            item = self.items[index]
            subsequence = subsequence_positions(q, hay)
            if subsequence is not None:
                # Every character in order: an fzf match; tighter spans score higher.
                span = subsequence[-1] - subsequence[0] + 1
                score = max(score, 70.0) + 10.0 * len(subsequence) / span
                positions = subsequence
            elif score >= FUZZY_CUTOFF:
                positions = fuzzy_positions(q, hay)
            else:
                continue
            bonus = 3.0 if positions and positions[0] < item.title_end else 0.0
            matches.append(JumpMatch(item, score - 20.0 + bonus, positions))
        matches.sort(key=lambda m: -m.score)
        return matches[:limit]


# Scores on the substring tier's scale: one run starting the title scores as a
# substring there does (100 + word start 8 + title start 6 + title 5).
def _items_of(
    tag_rows: list[tuple[int, str]],
    article_rows: list[tuple[int, str, str | None, str | None]],
    note_rows: list[tuple[int, str, str | None, str]],
) -> list[JumpItem]:
    """Jump items from the rows ``JumpIndex.from_connection`` reads."""
    tags: dict[int, list[str]] = {}
    for article_id, name in tag_rows:
        tags.setdefault(article_id, []).append(name)
    for names in tags.values():
        names.sort(key=str.casefold)
    items = []
    for article_id, title, source, section in article_rows:
        text, end = article_text(title, source, section, tags.get(article_id, ()))
        items.append(JumpItem(article_id, "article", text, end))
    for article_id, body, quote, title in note_rows:
        words = body.strip() or (quote or "").strip()
        if words:
            text, end = note_text(words, title)
            items.append(JumpItem(article_id, "note", text, end))
    return items


_RUN = 0.0
"""Score of each character that continues a run inside a word."""
_NEW_RUN = -1.0
"""Score of a character starting a new run at a later word: fewer, longer runs are
the better reading."""
_SKIPPED = 3.0
"""Penalty per title word skipped between runs."""


def _start(words: tuple[str, ...], c: str) -> list[tuple[int, int, float]]:
    """Alignment states (word, characters matched in it, score) after one character."""
    return [(j, 1, 119.0 if j == 0 else 113.0 - 0.5 * j) for j, w in enumerate(words) if w[0] == c]


def _advance(
    words: tuple[str, ...], states: list[tuple[int, int, float]], c: str
) -> list[tuple[int, int, float]]:
    """States after one more character: the run goes on, or a later word starts one."""
    best: dict[tuple[int, int], float] = {}
    count = len(words)
    for j, m, score in states:
        w = words[j]
        if m < len(w) and w[m] == c:
            key = (j, m + 1)
            value = score + _RUN
            if best.get(key, -1e9) < value:
                best[key] = value
        for k in range(j + 1, count):
            if words[k][0] == c:
                value = score + _NEW_RUN - _SKIPPED * (k - j - 1)
                key = (k, 1)
                if best.get(key, -1e9) < value:
                    best[key] = value
    return [(j, m, s) for (j, m), s in best.items()]


def _chunk_positions(
    hay: str, title_end: int, words: tuple[str, ...], chars: str
) -> tuple[int, ...]:
    """Where the best word-start alignment of ``chars`` falls in ``hay``."""
    starts = [m.start() for m in _WORD.finditer(hay[:title_end])]
    if len(starts) != len(words):
        return ()
    # Small search with paths: only the shown matches come here.
    paths: list[tuple[float, int, int, tuple[int, ...]]] = [
        (s, j, m, (starts[j],)) for j, m, s in _start(words, chars[0])
    ]
    for c in chars[1:]:
        best: dict[tuple[int, int], tuple[float, tuple[int, ...]]] = {}
        for score, j, m, path in paths:
            for k, mm, value in _advance(words, [(j, m, score)], c):
                pos = starts[k] + mm - 1
                if (k, mm) not in best or best[(k, mm)][0] < value:
                    best[(k, mm)] = (value, path + (pos,))
        paths = [(v, k, mm, path) for (k, mm), (v, path) in best.items()]
        if not paths:
            return ()
    return max(paths)[3]


def _merge(first: list[JumpMatch], second: list[JumpMatch], limit: int) -> list[JumpMatch]:
    """Two ranked lists as one, each item once with its better score."""
    if not second:
        return first
    best: dict[int, JumpMatch] = {}
    for match in first + second:
        key = id(match.item)
        if key not in best or best[key].score < match.score:
            best[key] = match
    return sorted(best.values(), key=lambda m: -m.score)[:limit]


def subsequence_positions(query: str, text: str) -> tuple[int, ...] | None:
    """Where ``query``'s characters occur in order in ``text`` (tightest end), or None."""
    chars = [c for c in query if not c.isspace()]
    if not chars:
        return None
    positions: list[int] = []
    at = 0
    for char in chars:
        at = text.find(char, at)
        if at < 0:
            return None
        positions.append(at)
        at += 1
    # Pull the match together from the right: the last character fixed, each earlier
    # one as late as possible (fzf's backward pass).
    end = positions[-1]
    tight = [end]
    for char in reversed(chars[:-1]):
        end = text.rfind(char, 0, end)
        tight.append(end)
    return tuple(reversed(tight))


def fuzzy_positions(query: str, text: str) -> tuple[int, ...]:
    """Positions in ``text`` of the characters matching ``query``: its characters in
    order when they all occur so, else those of the best partial alignment."""
    found = subsequence_positions(query, text)
    if found is not None:
        return found
    alignment = fuzz.partial_ratio_alignment(query, text, processor=None)
    if alignment is None:
        return ()
    start, end = alignment.dest_start, alignment.dest_end
    window = text[start:end]
    positions: list[int] = []
    for tag, _, _, d1, d2 in Indel.opcodes(query, window):
        if tag == "equal":
            positions.extend(range(start + d1, start + d2))
    return tuple(p for p in positions if not text[p].isspace())


_INDEXES: dict[int, tuple[tuple[object, ...], JumpIndex]] = {}
_INDEXES_LOCK = threading.Lock()


def _signature(conn: sqlite3.Connection) -> tuple[object, ...]:
    """Changes whenever anything the quick jump shows changes (one row read).

    Triggers move ``jump_state.generation`` on every added, deleted or retitled
    article, tag and note, whichever connection made the change.
    """
    row = conn.execute("SELECT generation FROM jump_state WHERE id = 1").fetchone()
    return (row[0] if row else None,)


def cached_index(
    conn: sqlite3.Connection, lock: AbstractContextManager[object] | None = None
) -> JumpIndex:
    """This connection's quick-jump index, rebuilt when its library changed.

    :param lock: the connection's lock, held only while reading from it.
    """
    with lock or nullcontext():
        signature = _signature(conn)
    with _INDEXES_LOCK:
        cached = _INDEXES.get(id(conn))
        if cached is not None and cached[0] == signature:
            return cached[1]
    index = JumpIndex.from_connection(conn, lock=lock)
    with _INDEXES_LOCK:
        _INDEXES[id(conn)] = (signature, index)
    return index


def jump(conn: sqlite3.Connection, text: str, limit: int = 20) -> list[JumpMatch]:
    """Quick-jump matches for ``text``, best first (the index is kept between calls).

    :param text: what was typed so far.
    :param limit: the most matches to return.
    """
    return cached_index(conn).search(text, limit)
