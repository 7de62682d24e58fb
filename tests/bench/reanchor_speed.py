"""Re-anchoring speed: 1,000 notes on a 50,000-word article after an edit (target <= 1 s).

uv run python tests/bench/reanchor_speed.py
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from store.anchoring import reanchor, selectors  # noqa: E402


def _article(rng: random.Random, words: int) -> str:
    vocab = [f"w{i}" for i in range(5000)]
    paras, left = [], words
    while left > 0:
        n = min(left, rng.randint(40, 160))
        paras.append(" ".join(rng.choice(vocab) for _ in range(n)) + ".")
        left -= n
    return "\n".join(paras)


def _edit(rng: random.Random, text: str) -> str:
    paras = text.split("\n")
    for _ in range(40):  # rewrite, delete, insert and move paragraphs
        i = rng.randrange(len(paras))
        op = rng.choice(("rewrite", "delete", "insert", "move"))
        if op == "rewrite":
            words = paras[i].split()
            for _ in range(len(words) // 5):
                words[rng.randrange(len(words))] = "changed"
            paras[i] = " ".join(words)
        elif op == "delete":
            paras.pop(i)
        elif op == "insert":
            paras.insert(i, "a brand new paragraph of words here.")
        else:
            paras.insert(rng.randrange(len(paras)), paras.pop(i))
    return "\n".join(paras)


def main() -> None:
    """Print a table of timings per case."""
    rng = random.Random(7)
    old = _article(rng, 50_000)
    new = _edit(rng, old)
    anchors = []
    for _ in range(1000):
        start = rng.randrange(0, len(old) - 200)
        anchors.append(selectors(old, start, start + rng.randint(30, 150)))
    print(f"{'case':44} {'median s':>9} {'placed':>7} {'target':>7}")
    for label, old_text in (("1,000 notes, 50k words, with old text", old), ("quote only", None)):
        times, placed = [], 0
        for _ in range(3):
            t = time.perf_counter()
            result = reanchor(anchors, old_text, new)
            times.append(time.perf_counter() - t)
            placed = sum(p is not None for p in result)
        print(f"{label:44} {statistics.median(times):9.3f} {placed:7d} {'1.0':>7}")


if __name__ == "__main__":
    main()
