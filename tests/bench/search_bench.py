"""Micro-benchmark of Margin's search, typo correction, related articles and quick jump.

Builds (once, cached under ``/tmp/margin-search-bench``) a library of generated
articles straight into SQLite -- the corpus of ``tests/bench/corpus.py``, inserted
with the FTS merge settings of PERFORMANCE.md -- then times every query kind
through ``store.search`` and, for comparison, the same ranked query run straight
on FTS5, and prints a table of medians and p95s.

Usage::

    uv run python tests/bench/search_bench.py --articles 100000
    uv run python tests/bench/search_bench.py --articles 2000 --repeat 5   # quick
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sqlite3
import statistics
import sys
import time
import zlib
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "bench"))

from store import migrations  # noqa: E402
from store.document import markdown_to_text, word_count  # noqa: E402

CACHE = Path(os.environ.get("MARGIN_SEARCH_BENCH", "/tmp/margin-search-bench"))
SEED = 7


# -- building the library ------------------------------------------------------------------
def _make(index: int) -> tuple:
    """One generated article as an ``articles`` row plus its tags (worker process)."""
    import corpus  # the bench engineer's generator

    _, text, _, meta = corpus.make_article(SEED, index)
    body = text.split("\n---\n", 1)[1] if text.startswith("---\n") else text
    plain = markdown_to_text(body)
    return (
        meta.title,
        meta.author,
        meta.source,
        meta.section,
        meta.url,
        meta.date,
        plain,
        zlib.compress(body.encode(), 1),
        word_count(plain),
        f"{index:032x}",
        meta.tags,
    )


def build(path: Path, articles: int) -> None:
    """Generate ``articles`` articles into a new library file at ``path``."""
    tmp = path.with_suffix(".part")
    tmp.unlink(missing_ok=True)
    conn = sqlite3.connect(tmp, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = OFF")
    migrations.apply(conn)
    conn.execute("INSERT INTO articles_fts(articles_fts, rank) VALUES ('automerge', 0)")
    conn.execute("INSERT INTO articles_fts(articles_fts, rank) VALUES ('crisismerge', 64)")
    started = time.perf_counter()
    stamp = "2024-06-01T00:00:00+00:00"
    with multiprocessing.Pool(os.cpu_count() or 2) as pool:
        conn.execute("BEGIN")
        for n, row in enumerate(pool.imap(_make, range(articles), chunksize=64), start=1):
            *values, tags = row
            title, author, source, section, url, published, plain, blob, words, digest = values
            cursor = conn.execute(
                "INSERT INTO articles (title, author, source, section, url, published, "
                "word_count, content_hash, kind, imported_at, updated_at, origin) "
                "VALUES (?,?,?,?,?,?,?,?,'article',?,?,'bench')",
                (title, author, source, section, url, published, words, digest, stamp, stamp),
            )
            # The body row second: its trigger indexes the article (store.migrations).
            conn.execute(
                "INSERT INTO article_bodies (article_id, body_text, body_markdown) VALUES (?,?,?)",
                (cursor.lastrowid, plain, blob),
            )
            for tag in tags:
                conn.execute("INSERT OR IGNORE INTO tags (name) VALUES (?)", (tag,))
                conn.execute(
                    "INSERT OR IGNORE INTO article_tags SELECT ?, id FROM tags WHERE name = ?",
                    (cursor.lastrowid, tag),
                )
            if n % 5000 == 0:
                conn.execute("COMMIT")
                conn.execute("BEGIN")
                rate = n / (time.perf_counter() - started)
                print(f"  {n:,} articles, {rate:,.0f}/s", file=sys.stderr)
        conn.execute("COMMIT")
    conn.execute("INSERT INTO articles_fts(articles_fts) VALUES ('optimize')")
    conn.close()
    tmp.rename(path)
    print(f"built {path} in {time.perf_counter() - started:.0f} s", file=sys.stderr)


def library_path(articles: int) -> Path:
    """The cached bench library with ``articles`` articles, built when missing."""
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"library-{articles}.db"
    if not path.exists():
        build(path, articles)
    return path


# -- timing ----------------------------------------------------------------------------------
def timed(fn: Callable[[], object], repeat: int) -> list[float]:
    """Milliseconds of ``repeat`` calls of ``fn`` after one warm-up call."""
    fn()
    out = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return out


def p95(values: list[float]) -> float:
    """The 95th percentile (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))]


def rows(values: list[float]) -> tuple[float, float]:
    """(median, p95) of timings."""
    return statistics.median(values), p95(values)


def _pick(vocab, low: float, high: float, count: int, *, min_len: int = 4) -> list[str]:
    """Terms whose document frequency (a fraction of the library) is in [low, high)."""
    n = max(1, vocab.articles)
    out = [
        t
        for t, d in zip(vocab.terms, vocab.docs, strict=True)
        if low * n <= d < high * n and t.isalpha() and len(t) >= min_len
    ]
    step = max(1, len(out) // (count * 3))
    return out[::step]


def _typo(word: str, known: dict[str, int]) -> str | None:
    """``word`` with one inner letter changed, when the result is not an indexed term."""
    for i in range(2, len(word) - 1):
        for c in "aeiou":
            candidate = word[:i] + c + word[i + 1 :]
            if candidate != word and candidate not in known:
                return candidate
    return None


def run(path: Path, repeat: int) -> None:
    """Time every query kind on the library at ``path`` and print the table."""
    from store import search as search_mod
    from store import vocabulary
    from store.jump import JumpIndex

    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    t = time.perf_counter()
    done = migrations.apply(conn)
    if done:
        print(f"migrated {done} in {time.perf_counter() - t:.1f} s", file=sys.stderr)
    t = time.perf_counter()
    status = vocabulary.sync(conn)
    sync_s = time.perf_counter() - t
    t = time.perf_counter()
    vocab = vocabulary.load(conn)
    load_ms = (time.perf_counter() - t) * 1000
    print(
        f"vocabulary: {status} in {sync_s:.2f} s; {len(vocab.terms):,} terms loaded in "
        f"{load_ms:.0f} ms",
        file=sys.stderr,
    )

    def fixed(words: list[str], count: int) -> list[str]:
        """Words the tokenizer keeps as they are (porter stems are not always)."""
        return [w for w in words if vocabulary.tokens(conn, w) == [w]][:count]

    rare = fixed(_pick(vocab, 0.0004, 0.0006, 6), 6)
    mid = fixed(_pick(vocab, 0.009, 0.014, 6), 6)
    common = fixed(_pick(vocab, 0.55, 0.8, 6, min_len=3), 6)
    title_mid = [
        w
        for w in _pick(vocab, 0.005, 0.02, 60)
        if conn.execute(
            "SELECT count(*) FROM (SELECT 1 FROM articles_fts WHERE articles_fts MATCH ? LIMIT 30)",
            (f'title : "{w}"',),
        ).fetchone()[0]
        >= 10
    ][:6]
    prefix4 = []
    for w in _pick(vocab, 0.01, 0.3, 400):
        total, _ = vocab.prefix_df(w[:4])
        if 0.2 * vocab.articles <= total <= 0.5 * vocab.articles and w[:4] not in prefix4:
            prefix4.append(w[:4])
    prefix4 = prefix4[:6]
    prefix2 = ["st", "pr", "co", "ma", "th", "re"]
    typos = [x for x in (_typo(w, vocab.df) for w in rare + mid) if x][:8]
    sources = [
        r[0]
        for r in conn.execute(
            "SELECT source FROM articles GROUP BY source ORDER BY count(*) DESC LIMIT 3"
        )
    ]
    tags = [
        r[0]
        for r in conn.execute(
            "SELECT t.name FROM tags t JOIN article_tags at ON at.tag_id = t.id GROUP BY t.id "
            "ORDER BY count(*) DESC LIMIT 3"
        )
    ]
    src_word = [s.split()[-1] for s in sources]

    kinds: list[tuple[str, list[tuple[str, bool]], list[str] | None]] = [
        ("rare word", [(w, False) for w in rare], [f'"{w}"' for w in rare]),
        ("mid word (~1 %)", [(w, False) for w in mid], [f'"{w}"' for w in mid]),
        (
            "two mid words",
            [(f"{a} {b}", False) for a, b in zip(mid, mid[1:], strict=False)],
            [f'"{a}" AND "{b}"' for a, b in zip(mid, mid[1:], strict=False)],
        ),
        (
            "title: mid word",
            [(f"title:{w}", False) for w in title_mid],
            [f'{{title}} : "{w}"' for w in title_mid],
        ),
        ('phrase "the <mid>"', [(f'"the {w}"', False) for w in mid], [f'"the {w}"' for w in mid]),
        ("prefix, 4 letters", [(f"{p}*", False) for p in prefix4], [f'"{p}"*' for p in prefix4]),
        ("common word (>50 %)", [(w, False) for w in common], [f'"{w}"' for w in common]),
        ("the", [("the", False)], ['"the"']),
        ("prefix, 2 letters as typed", [(p, True) for p in prefix2], [f'"{p}"*' for p in prefix2]),
        (
            "source: + mid word",
            [(f"source:{s} {w}", False) for s, w in zip(src_word, mid, strict=False)],
            [f'{{source}} : "{s}" AND "{w}"' for s, w in zip(src_word, mid, strict=False)],
        ),
        (
            "tag: + common word",
            [(f"tag:{g} {w}", False) for g, w in zip(tags, common, strict=False)],
            None,
        ),
        ("after: + mid word", [(f"after:2020 {w}", False) for w in mid], None),
        ("-word only (filter)", [(f"-{w} is:unread", False) for w in mid[:3]], None),
        ("typo-corrected word", [(w, False) for w in typos], None),
        ("~substring (titles+words)", [(f"~{w[1:5]}", False) for w in mid[:4]], None),
    ]
    weights = search_mod._W
    table = []
    for label, queries, baselines in kinds:
        if not queries:
            continue
        ours: list[float] = []
        base: list[float] = []
        plans = set()
        for n, (text, live) in enumerate(queries):
            res = search_mod.search_results(conn, text, live=live)
            plans.add(res.plan + ("+corr" if res.corrected else ""))
            ours += timed(
                lambda text=text, live=live: search_mod.search_results(conn, text, live=live),
                repeat,
            )
            if baselines:
                expr = baselines[n]

                def straight(expr: str = expr) -> None:
                    ranked = conn.execute(
                        f"SELECT rowid, bm25(articles_fts, {weights}) AS s FROM articles_fts "
                        "WHERE articles_fts MATCH ? ORDER BY s LIMIT 20",
                        (expr,),
                    ).fetchall()
                    for rowid, _ in ranked:
                        conn.execute(
                            "SELECT snippet(articles_fts, 4, '[', ']', '…', 24) FROM "
                            "articles_fts WHERE articles_fts MATCH ? AND rowid = ?",
                            (expr, rowid),
                        ).fetchone()

                first = time.perf_counter()
                straight()
                slow = time.perf_counter() - first > 0.3
                base += timed(straight, 2 if slow else repeat)
        print(f"  {label}: done", file=sys.stderr)
        m, p = rows(ours)
        bm, bp = rows(base) if base else (float("nan"), float("nan"))
        table.append((label, m, p, bm, bp, ",".join(sorted(plans)), queries[0][0]))
    print()
    print(f"Search on {vocab.articles:,} articles ({repeat} runs per query after a warm-up)")
    print("| query | ours median | ours p95 | FTS5 median | FTS5 p95 | ratio p95 | plan | e.g. |")
    print("|---|---|---|---|---|---|---|---|")
    for label, m, p, bm, bp, plan, example in table:
        ratio = p / bp if bp == bp else float("nan")
        print(
            f"| {label} | {m:.1f} ms | {p:.1f} ms | {bm:.1f} ms | {bp:.1f} ms | "
            f"{ratio:.2f} | {plan} | `{example}` |"
        )

    # related
    ids = [r[0] for r in conn.execute("SELECT id FROM articles ORDER BY random() LIMIT 8")]
    rel = []
    for i in ids:
        rel += timed(lambda i=i: search_mod.related(conn, i), 3)
    m, p = rows(rel)
    print(f"| related(article) | {m:.1f} ms | {p:.1f} ms | | | | | |")

    # quick jump
    t = time.perf_counter()
    index = JumpIndex.from_connection(conn)
    build_ms = (time.perf_counter() - t) * 1000
    titles = [r[0] for r in conn.execute("SELECT title FROM articles ORDER BY random() LIMIT 30")]
    keys: list[float] = []
    first2: list[float] = []
    typo_keys: list[float] = []
    for title in titles:
        words = title.split()
        target = " ".join(w.lower() for w in words[1:3]) if len(words) > 2 else title.lower()
        for variant, bucket in ((target, keys), (target[:3] + target[4:], typo_keys)):
            for k in range(1, min(len(variant), 14) + 1):
                s0 = time.perf_counter()
                index.search(variant[:k], 50)
                dt = (time.perf_counter() - s0) * 1000
                (first2 if k <= 2 else bucket).append(dt)
    print()
    print(f"Quick jump over {len(index):,} items (index built in {build_ms:.0f} ms)")
    print("| keystrokes | median | p95 |")
    print("|---|---|---|")
    for label, values in (
        ("1-2 characters", first2),
        ("3+ characters", keys),
        ("3+ characters, with a typo", typo_keys),
        ("all", first2 + keys + typo_keys),
    ):
        m, p = rows(values)
        print(f"| {label} | {m:.2f} ms | {p:.2f} ms |")
    print()
    print(
        f"vocabulary copy: {len(vocab.terms):,} terms, loaded in {load_ms:.0f} ms once per process"
    )


def main(argv: list[str] | None = None) -> None:
    """Build or reuse the library, run every measurement, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--build-only", action="store_true")
    args = parser.parse_args(argv)
    path = library_path(args.articles)
    if args.build_only:
        return
    run(path, args.repeat)


if __name__ == "__main__":
    main()
