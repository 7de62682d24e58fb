"""Comparison speed (issue 13): ``store.comparison.compare_texts`` on generated article pairs.

Rows: a revision pair (an article and a lightly edited copy: words changed, sentences deleted,
inserted and moved) and a story pair (two different texts on one shared vocabulary), at 10,000
and 50,000 words per side. Median of several runs; targets 300 ms (10k) and 3 s (50k).

    uv run python tests/bench/compare_speed.py [--runs 5] [--json]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from store.comparison import compare_texts  # noqa: E402

TARGETS = {10_000: 0.3, 50_000: 3.0}
_FUNCTION_TEXT = "the a of and to in is was for on that with by as at from it said"
_SYLLABLE_TEXT = "ka lo mi ne ru sa te vo zi pe da gu ri ta mo be"
_FUNCTION = _FUNCTION_TEXT.split()
_SYLLABLES = _SYLLABLE_TEXT.split()


def vocabulary(rng: random.Random, size: int = 6000) -> list[str]:
    """Made-up content words, most common first."""
    words: set[str] = set()
    while len(words) < size:
        words.add("".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4))))
    return sorted(words)


def sentence(rng: random.Random, vocab: list[str]) -> str:
    """One sentence: Zipf-distributed content words among function words."""
    words = []
    for _ in range(rng.randint(10, 28)):
        if rng.random() < 0.4:
            words.append(rng.choice(_FUNCTION))
        else:
            words.append(vocab[min(len(vocab) - 1, int(rng.paretovariate(1.1)) - 1)])
    if rng.random() < 0.2:
        words[0] = words[0].capitalize() + " " + rng.choice(vocab).capitalize()
    return words[0].capitalize() + " " + " ".join(words[1:]) + "."


def article(rng: random.Random, vocab: list[str], words: int) -> list[list[str]]:
    """Paragraphs of sentences, about ``words`` words in all."""
    paragraphs, count = [], 0
    while count < words:
        paragraph = [sentence(rng, vocab) for _ in range(rng.randint(2, 6))]
        count += sum(len(s.split()) for s in paragraph)
        paragraphs.append(paragraph)
    return paragraphs


def text(paragraphs: list[list[str]]) -> str:
    """Plain text, a blank line between paragraphs."""
    return "\n\n".join(" ".join(p) for p in paragraphs)


def edited(rng: random.Random, vocab: list[str], paragraphs: list[list[str]]) -> list[list[str]]:
    """A light revision: 3% of sentences reworded, 1% deleted, 1% inserted, two paragraphs moved."""
    out = []
    for paragraph in paragraphs:
        kept = []
        for s in paragraph:
            roll = rng.random()
            if roll < 0.03:
                words = s.split()
                words[rng.randrange(1, len(words))] = rng.choice(vocab)
                kept.append(" ".join(words))
            elif roll < 0.04:
                continue
            else:
                kept.append(s)
            if rng.random() < 0.01:
                kept.append(sentence(rng, vocab))
        out.append(kept or [sentence(rng, vocab)])
    for _ in range(2):
        moved = out.pop(rng.randrange(len(out)))
        out.insert(rng.randrange(len(out)), moved)
    return out


def pairs(words: int) -> dict[str, tuple[str, str]]:
    """The revision and story pairs at ``words`` words per side."""
    rng = random.Random(words)
    vocab = vocabulary(rng)
    base = article(rng, vocab, words)
    story = article(random.Random(words + 1), vocab, words)
    return {
        "revision": (text(base), text(edited(rng, vocab, base))),
        "story": (text(base), text(story)),
    }


def measure(runs: int) -> list[dict]:
    """Median seconds per pair kind and size."""
    rows = []
    for words, target in TARGETS.items():
        for kind, (left, right) in pairs(words).items():
            times, result = [], None
            for _ in range(runs if words <= 10_000 else max(3, runs // 2)):
                started = time.perf_counter()
                result = compare_texts(left, right)
                times.append(time.perf_counter() - started)
            assert result is not None
            median = statistics.median(times)
            rows.append(
                {
                    "pair": kind,
                    "words": words,
                    "mode": result.mode,
                    "pairs": len(result.pairs),
                    "median_s": median,
                    "target_s": target,
                    "ok": median <= target and result.mode == kind,
                }
            )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    rows = measure(args.runs)
    ok = all(r["ok"] for r in rows)
    if args.json:
        print(json.dumps({"rows": rows, "ok": ok}, indent=2))
        return 0 if ok else 1
    print(f"{'pair':<10} {'words':>7} {'mode':<9} {'pairs':>6} {'median':>9} {'target':>7}  ok")
    for r in rows:
        print(
            f"{r['pair']:<10} {r['words']:>7} {r['mode']:<9} {r['pairs']:>6} "
            f"{r['median_s'] * 1000:>7.0f}ms {r['target_s'] * 1000:>5.0f}ms  "
            f"{'yes' if r['ok'] else 'NO'}"
        )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
