"""Re-anchoring quality on ../shared/fixtures/revisions-dev, scored as its README says.

For each consecutive revision pair, two or three highlights (runs of 5 to 25 whole words, seeded)
are taken on the older text; the expected place comes from one word-level longest-matching-blocks
diff of the two texts (at least half the words survive -> span of the surviving words, else an
orphan). Prints per-article rows, the dev figure, and k-fold-by-article held-out figures for the one
tuned knob (the fuzzy similarity floor, chosen on the other folds).

    uv run python tests/bench/reanchor_quality.py [--folds 5] [--rows]
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from difflib import SequenceMatcher
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from store import anchoring  # noqa: E402

FIXTURES = REPO.parent / "shared" / "fixtures" / "revisions-dev"
WORD = re.compile(r"\S+")
GRID = (70.0, 75.0, 80.0, 85.0, 90.0)


def _cases(
    article: Path, rng: random.Random
) -> list[tuple[str, str, anchoring.Anchor, tuple | None]]:
    revs = sorted(article.glob("*.txt"), key=lambda p: int(p.stem))
    texts = [p.read_text(encoding="utf-8") for p in revs]
    out = []
    for old, new in zip(texts, texts[1:], strict=False):
        ow = [(m.start(), m.end(), m.group()) for m in WORD.finditer(old)]
        nw = [(m.start(), m.end(), m.group()) for m in WORD.finditer(new)]
        if len(ow) < 30:
            continue
        to_new = [-1] * len(ow)
        sm = SequenceMatcher(None, [w[2] for w in ow], [w[2] for w in nw], autojunk=False)
        for a, b, size in sm.get_matching_blocks():
            for k in range(size):
                to_new[a + k] = b + k
        for _ in range(rng.choice((2, 3))):
            n = rng.randint(5, 25)
            i = rng.randrange(0, len(ow) - n)
            start, end = ow[i][0], ow[i + n - 1][1]
            kept = [to_new[j] for j in range(i, i + n) if to_new[j] >= 0]
            truth = (nw[kept[0]][0], nw[kept[-1]][1]) if 2 * len(kept) >= n else None
            out.append((old, new, anchoring.selectors(old, start, end, 32), truth))
    return out


def _iou(a: tuple[int, int], b: tuple[int, int]) -> float:
    inter = max(0, min(a[1], b[1]) - max(a[0], b[0]))
    union = max(a[1], b[1]) - min(a[0], b[0])
    return inter / union if union else 0.0


def _score(
    results: list[tuple[tuple | None, anchoring.Placement | None]],
) -> tuple[int, int, int, int]:
    """(placed right, should place, falsely attached, should orphan)."""
    right = should = false = orphans = 0
    for truth, got in results:
        if truth is None:
            orphans += 1
            false += got is not None
        else:
            should += 1
            right += got is not None and _iou(truth, (got.start, got.end)) >= 0.5
    return right, should, false, orphans


USE_OLD = True


def _run(cases, fuzzy_min: float) -> list:
    anchoring.FUZZY_MIN = fuzzy_min
    return [
        (truth, anchoring.reanchor([a], old if USE_OLD else None, new)[0])
        for old, new, a, truth in cases
    ]


def main() -> None:
    """Print per-article rows, the dev figure, and held-out figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--rows", action="store_true", help="print a row per article")
    parser.add_argument(
        "--no-old-text", action="store_true", help="quote and offsets only (no diff of old text)"
    )
    args = parser.parse_args()
    global USE_OLD
    USE_OLD = not args.no_old_text
    if not FIXTURES.is_dir():
        print(f"skipped: {FIXTURES} not found")
        return
    rng = random.Random(12)
    articles = sorted(p for p in FIXTURES.iterdir() if p.is_dir())
    cases = {a.name: _cases(a, rng) for a in articles}
    per_grid = {g: {name: _run(c, g) for name, c in cases.items()} for g in GRID}
    default = anchoring_default = 80.0
    if args.rows:
        print(f"{'article':40} {'n':>3} {'re-att':>6} {'false':>5}")
        for name, res in per_grid[default].items():
            r, s, f, o = _score(res)
            print(f"{name[:40]:40} {len(res):>3} {r}/{s:<4} {f}/{o}")
    allres = [x for res in per_grid[default].values() for x in res]
    r, s, f, o = _score(allres)
    print(
        f"dev (fuzzy floor {anchoring_default:.0f}): {len(allres)} highlights, {o} orphans; "
        f"re-attached {r / s:.3f}, false attachment {f / o:.3f}"
    )
    names = list(cases)
    folds = [names[k :: args.folds] for k in range(args.folds)]
    held = []
    for k, test in enumerate(folds):
        train = [n for n in names if n not in test]

        def objective(g: float, pool: list[str]) -> float:
            rr, ss, ff, oo = _score([x for n in pool for x in per_grid[g][n]])
            return rr / ss - 2.0 * max(0.0, ff / oo - 0.03)

        best = max(GRID, key=lambda g: objective(g, train))
        res = [x for n in test for x in per_grid[best][n]]
        held.extend(res)
        rr, ss, ff, oo = _score(res)
        print(f"fold {k}: floor {best:.0f} -> held-out re-attached {rr / ss:.3f}, false {ff}/{oo}")
    r, s, f, o = _score(held)
    print(
        f"held-out ({args.folds}-fold by article): re-attached {r / s:.3f}, "
        f"false attachment {f / o:.3f}"
    )


if __name__ == "__main__":
    main()
