"""The quick-jump query set: what people type to reach a title they have in mind.

Queries are generated from real titles — titles of the bench library and, when the
shared fixtures are there, the human-written headlines of ``compare-dev`` and the
titles of ``meta-dev`` (added to the index beside the library's 100k) — in five
kinds:

* ``prefix``: the title's first 14 characters (the old bench row);
* ``abbreviation``: 2–4 first letters of 2–3 consecutive words (``clopauwun``);
* ``initials``: the first letter of every word (titles of 4–9 words; ``tte``);
* ``typo``: two consecutive words, the longer misspelled once (a transposition, a
  keyboard neighbour, a dropped or doubled letter);
* ``word_order``: two or three of its words, in reverse order.

A query counts as found when the intended title (by its text) is in the top 5.
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass
from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[3] / "shared" / "fixtures"
KINDS = ["prefix", "abbreviation", "initials", "typo", "word_order"]
TOP = 5

_WORD = re.compile(r"[^\W_]+")
_NEIGHBOURS = {
    row[i]: row[max(0, i - 1)] + row[i + 1 : i + 2]
    for row in ("qwertyuiop", "asdfghjkl", "zxcvbnm")
    for i in range(len(row))
}


@dataclass(frozen=True)
class JumpQuery:
    """One query: its kind, the text typed, the title meant, where the title is from."""

    kind: str
    text: str
    title: str
    origin: str


def fixture_titles(limit: int = 400) -> list[str]:
    """Real headlines and titles from ../shared/fixtures (empty when absent)."""
    titles: list[str] = []
    docs = FIXTURES / "compare-dev" / "docs.json"
    if docs.exists():
        for doc in json.loads(docs.read_text(encoding="utf-8")).values():
            head = doc.get("0") if isinstance(doc, dict) else None
            if isinstance(head, str) and head.strip():
                titles.append(" ".join(head.split()))
    for expected in sorted(FIXTURES.glob("meta-dev/*/expected-metadata.json")):
        try:
            title = json.loads(expected.read_text(encoding="utf-8")).get("title")
        except (OSError, ValueError):
            continue
        if isinstance(title, str) and title.strip():
            titles.append(" ".join(title.split()))
    unique = list(dict.fromkeys(titles))
    return unique[:limit]


def _misspell(word: str, rng: random.Random) -> str:
    i = rng.randrange(1, len(word) - 1)
    how = rng.choice(["swap", "neighbour", "drop", "double"])
    if how == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if how == "neighbour" and word[i] in _NEIGHBOURS:
        return word[:i] + rng.choice(_NEIGHBOURS[word[i]]) + word[i + 1 :]
    if how == "double":
        return word[: i + 1] + word[i] + word[i + 1 :]
    return word[:i] + word[i + 1 :]


def queries_for(title: str, origin: str, rng: random.Random) -> list[JumpQuery]:
    """The queries of every kind this title allows."""
    words = [w.lower() for w in _WORD.findall(title)]
    out = [JumpQuery("prefix", title[:14], title, origin)]
    if len(words) >= 2:
        k = min(len(words), rng.choice([2, 3, 3]))
        start = rng.randrange(0, len(words) - k + 1)
        text = "".join(w[: rng.randint(2, 4)] for w in words[start : start + k])
        if len(text) >= 4:
            out.append(JumpQuery("abbreviation", text, title, origin))
    if 4 <= len(words) <= 9:
        out.append(JumpQuery("initials", "".join(w[0] for w in words), title, origin))
    pairs = [
        (i, max(words[i], words[i + 1], key=len))
        for i in range(len(words) - 1)
        if max(len(words[i]), len(words[i + 1])) >= 5
    ]
    if pairs:
        i, longest = rng.choice(pairs)
        pair = [words[i], words[i + 1]]
        pair[pair.index(longest)] = _misspell(longest, rng)
        out.append(JumpQuery("typo", " ".join(pair), title, origin))
    long_words = [w for w in words if len(w) >= 3]
    if len(long_words) >= 3:
        k = rng.choice([2, 3])
        start = rng.randrange(0, len(long_words) - k + 1)
        picked = long_words[start : start + k]
        out.append(JumpQuery("word_order", " ".join(reversed(picked)), title, origin))
    return out


def build(
    library_titles: list[str], extra_titles: list[str], per_origin: int, seed: int = 15
) -> list[JumpQuery]:
    """The query set: ``per_origin`` titles sampled from each source, every kind."""
    rng = random.Random(seed)
    queries: list[JumpQuery] = []
    for origin, titles in (("library", library_titles), ("fixtures", extra_titles)):
        if not titles:
            continue
        for title in rng.sample(titles, min(per_origin, len(titles))):
            queries.extend(queries_for(title, origin, rng))
    return queries
