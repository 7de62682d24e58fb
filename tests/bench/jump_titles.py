"""Quick jump per keystroke on the bench corpus's titles, without building a library.

``run.py``'s jump step needs the 100k library (a quarter of an hour to import); the
index only needs the titles, sources, sections and tags, which the corpus generator
makes in seconds. Same items in the same order as the library would give them, the
same query set (``jump_queries``, fixture titles beside the corpus), every query typed
one key at a time, twice in shuffled orders; the intended title looked for in the top 5.

    uv run python tests/bench/jump_titles.py                 # 100k titles
    uv run python tests/bench/jump_titles.py --articles 10000 --slowest 20
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import corpus  # noqa: E402
import jump_queries as jq  # noqa: E402

from store.jump import JumpIndex, JumpItem, article_text  # noqa: E402


def corpus_items(articles: int, seed: int) -> tuple[list[JumpItem], list[str]]:
    """The jump items of a generated library (newest first) and its titles.

    Replays the generator's random draws up to each article's metadata: the title,
    source, section and tags are those ``corpus.make_article`` would write.
    """
    vocab = corpus._vocab(seed)
    rows = []
    for index in range(articles):
        rng = corpus._article_rng(seed, index)
        corpus._length(rng)
        title = corpus._title(vocab, rng)
        if index == corpus.LONG_INDEX:
            title = "The Long Record: " + title
        meta = corpus._meta(vocab, seed, rng, index, title)
        rows.append((title, meta.source, meta.section, meta.tags))
    items = [
        JumpItem(articles - n, "article", *article_text(*row))
        for n, row in enumerate(reversed(rows))
    ]
    return items, [row[0] for row in rows]


def p95(values: list[float]) -> float:
    """The 95th percentile."""
    return statistics.quantiles(values, n=20)[-1] if len(values) > 1 else values[0]


def main(argv: list[str] | None = None) -> int:
    """Build the index, type the query set, print a table per query kind."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=corpus.DEFAULT_SEED)
    parser.add_argument("--per-origin", type=int, default=40, help="titles sampled per origin")
    parser.add_argument("--slowest", type=int, default=10, help="list the N slowest keystrokes")
    args = parser.parse_args(argv)

    items, titles = corpus_items(args.articles, args.seed)
    extra = jq.fixture_titles()
    items += [JumpItem(-n, "article", t, len(t)) for n, t in enumerate(extra, start=1)]
    started = time.perf_counter()
    index = JumpIndex(items)
    index.search("")
    build_s = time.perf_counter() - started
    queries = jq.build(titles, extra, args.per_origin, seed=15)
    times: dict[str, list[float]] = {kind: [] for kind in jq.KINDS}
    found_by_kind: dict[str, list[bool]] = {kind: [] for kind in jq.KINDS}
    slow: list[tuple[float, str]] = []
    order = list(queries)
    for repeat in range(2):
        random.Random(repeat).shuffle(order)
        for query in order:
            found = []
            for k in range(1, len(query.text) + 1):
                t0 = time.perf_counter()
                found = index.search(query.text[:k], 20)
                ms = (time.perf_counter() - t0) * 1000
                times[query.kind].append(ms)
                slow.append((ms, query.text[:k]))
            if not repeat:
                top = [m.item.text[: m.item.title_end] for m in found[: jq.TOP]]
                found_by_kind[query.kind].append(query.title in top)

    load = os.getloadavg()[0]
    print(
        f"quick jump on {len(items):,} items ({args.articles:,} corpus titles), index built in "
        f"{build_s:.1f} s, {len(queries)} queries, load {load:.1f}"
    )
    print(f"{'kind':<14}{'keys':>7}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'top 5':>8}")
    every = [t for kind in jq.KINDS for t in times[kind]]
    hits = [h for kind in jq.KINDS for h in found_by_kind[kind]]
    for kind, values, found in [
        *((k, times[k], found_by_kind[k]) for k in jq.KINDS if times[k]),
        ("all", every, hits),
    ]:
        share = sum(found) / len(found) if found else 0.0
        print(
            f"{kind:<14}{len(values):>7}{statistics.median(values):>9.2f}{p95(values):>9.1f}"
            f"{max(values):>9.1f}{share:>8.3f}"
        )
    print("target: p95 <= 30 ms per keystroke, top 5 >= 0.90")
    slow.sort(reverse=True)
    print("slowest:", ", ".join(f"{text!r} {ms:.0f}" for ms, text in slow[: args.slowest]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
