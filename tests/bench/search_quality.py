"""Search speed *and* ranking quality against the exact bm25 ranking (issue 15).

On the bench's generated library (``search_bench.library_path``: 10,000 articles by
default, ``--size 100000``), for query classes chosen by real document frequency
from the index, this times Margin's search (``store.search.search_results``, as the
CLI and the TUI call it) and the exact reference -- raw FTS5 on the same database,
``ORDER BY bm25(articles_fts, <Margin's weights>)`` of the same parsed query, plus
snippets for its top 20 -- interleaved, query by query, and compares the answers.

Margin's ranking is bm25 with the weights of ``store.search.WEIGHTS`` (title 10,
author 3, source 2, section 2, body 1), no date or recency boost. For terms in more
than half the articles FTS5 clamps the idf to 1e-6: the order is then that of the
term-frequency part alone (tf saturation and length normalization), still a
definite order, and the reference keeps it (it is what FTS5 itself returns).

Per class: p50/p95 of Margin and of the reference, overlap@20 (the share of the
exact top 20 in Margin's first 20; tie-aware: a hit scoring exactly as the exact
20th counts), and the share of queries whose exact top-1 is in Margin's first 20.
A class is ``ok`` only when overlap >= 0.9 for the class mean, the top-1 is
missing in at most 5 % of its queries and p95 <= 25 ms: speed never makes up for
wrong answers. ``~substring`` has no bm25 order; its quality is precision (every
hit contains the text in one of its indexed fields).

Usage::

    uv run python tests/bench/search_quality.py                 # 10k articles
    uv run python tests/bench/search_quality.py --size 100000 --json-out q.json
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "bench"))

from search_bench import library_path, p95  # noqa: E402

from store import migrations, vocabulary  # noqa: E402
from store import search as search_mod  # noqa: E402
from store.query import fts_expression  # noqa: E402

P95_TARGET_MS = 25.0
MIN_OVERLAP = 0.9
MAX_TOP1_MISSING = 0.05
TOP = 20


@dataclass
class Case:
    """One query of a class: what is typed, and how the reference reads it."""

    text: str
    live: bool = False
    limit: int = TOP
    reference: str | None = None
    """Query text whose exact ranking is the truth (typos: the intended word)."""


@dataclass
class Row:
    """One class's figures."""

    label: str
    cases: list[Case]
    ours: list[float] = field(default_factory=list)
    ours_cpu: list[float] = field(default_factory=list)
    """CPU time of this thread per search (the wall time less what other processes took)."""
    ref: list[float] = field(default_factory=list)
    overlaps: list[float] = field(default_factory=list)
    top1: list[bool] = field(default_factory=list)
    plans: set[str] = field(default_factory=set)
    notes: list[str] = field(default_factory=list)
    first_ms: list[float] = field(default_factory=list)
    """Each query's first run (not in p50/p95: caches such as written forms are cold)."""
    right: list[bool] = field(default_factory=list)
    """Typos: whether each was corrected to the intended word (its index form)."""

    def figures(self) -> dict[str, object]:
        """JSON-ready figures with the verdicts."""
        ours50, ours95 = statistics.median(self.ours), p95(self.ours)
        ref50 = statistics.median(self.ref) if self.ref else None
        ref95 = p95(self.ref) if self.ref else None
        overlap = statistics.fmean(self.overlaps) if self.overlaps else None
        missing = (1 - statistics.fmean(self.top1)) if self.top1 else None
        quality = (overlap is None or overlap >= MIN_OVERLAP) and (
            missing is None or missing <= MAX_TOP1_MISSING
        )
        speed = ours95 <= P95_TARGET_MS
        return {
            "class": self.label,
            "queries": len(self.cases),
            "example": self.cases[0].text,
            "p50_ms": round(ours50, 2),
            "p95_ms": round(ours95, 2),
            "cpu_p50_ms": round(statistics.median(self.ours_cpu), 2) if self.ours_cpu else None,
            "cpu_p95_ms": round(p95(self.ours_cpu), 2) if self.ours_cpu else None,
            "exact_p50_ms": None if ref50 is None else round(ref50, 2),
            "exact_p95_ms": None if ref95 is None else round(ref95, 2),
            "overlap20": None if overlap is None else round(overlap, 3),
            "overlap20_min": None if not self.overlaps else round(min(self.overlaps), 3),
            "top1_present": None if missing is None else round(1 - missing, 3),
            "first_run_max_ms": round(max(self.first_ms), 2) if self.first_ms else None,
            "plans": sorted(self.plans),
            "corrected_right": None if not self.right else round(statistics.fmean(self.right), 3),
            "notes": self.notes,
            "quality_ok": quality,
            "speed_ok": speed,
            "ok": quality and speed,
        }


# -- choosing the queries by document frequency ------------------------------------------------
def _words(
    conn: sqlite3.Connection,
    vocab: vocabulary.Vocabulary,
    low: float,
    high: float,
    count: int,
    *,
    min_len: int = 4,
) -> list[str]:
    """``count`` words spread over the terms in [low, high) of the articles.

    Only words the tokenizer keeps as they are (so the typed word is the term).
    """
    n = max(1, vocab.articles)
    pool = [
        t
        for t, d in zip(vocab.terms, vocab.docs, strict=True)
        if low * n <= d < high * n and t.isalpha() and len(t) >= min_len
    ]
    step = max(1, len(pool) // (count * 2))
    out = [w for w in pool[::step] if vocabulary.tokens(conn, w) == [w]]
    return out[:count]


def _phrases(conn: sqlite3.Connection, common: set[str], count: int, size: int = 2) -> list[str]:
    """Runs of ``size`` adjacent common words as they occur in the articles' bodies."""
    found: list[str] = []
    for (body,) in conn.execute(
        "SELECT body_text FROM article_bodies ORDER BY article_id LIMIT 400"
    ):
        words = re.findall(r"[a-z]+", body.lower())
        for at in range(len(words) - size + 1):
            run = words[at : at + size]
            phrase = " ".join(run)
            if len(set(run)) == size and all(w in common for w in run) and phrase not in found:
                found.append(phrase)
                break
        if len(found) >= count:
            break
    return found


def _title_words(conn: sqlite3.Connection, candidates: list[str], count: int) -> list[str]:
    """The candidates most often in titles (``title:`` with a common title word)."""
    scored = []
    for word in candidates:
        n = conn.execute(
            "SELECT count(*) FROM titles_fts WHERE titles_fts MATCH ?", (f'"{word}"',)
        ).fetchone()[0]
        scored.append((n, word))
    scored.sort(reverse=True)
    return [w for n, w in scored[:count] if n > 0]


def _misspell(word: str, known: Callable[[str], bool], n: int) -> str | None:
    """A misspelling of ``word`` not in the index: transposition, adjacent key, drop."""
    keys = "qwertyuiopasdfghjklzxcvbnm"
    near = {c: keys[max(0, i - 1)] for i, c in enumerate(keys)}
    options = []
    if len(word) > 4:
        i = 1 + n % (len(word) - 3)
        options.append(word[:i] + word[i + 1] + word[i] + word[i + 2 :])  # transposition
        options.append(word[:i] + near[word[i]] + word[i + 1 :])  # neighbouring key
        options.append(word[:i] + word[i + 1 :])  # a dropped letter
    for candidate in options[n % 3 :] + options[: n % 3]:
        if candidate != word and candidate.isalpha() and not known(candidate):
            return candidate
    return None


def choose(conn: sqlite3.Connection) -> list[Row]:
    """The query classes, chosen by document frequency from the vocabulary."""
    vocab = vocabulary.load(conn)
    rare = _words(conn, vocab, 0.0003, 0.001, 6)
    mid = _words(conn, vocab, 0.008, 0.015, 6)
    common = _words(conn, vocab, 0.3, 0.7, 8, min_len=3)
    common_set = {
        t
        for t, d in zip(vocab.terms, vocab.docs, strict=True)
        if 0.3 * vocab.articles <= d and t.isalpha()
    }
    typed = _words(conn, vocab, 0.3, 0.7, 40, min_len=6)[::3][:4] or common[:4]
    short = [Case(w[:k], live=True, limit=50) for w in typed for k in (1, 2)]
    prefixes = [Case(w[:k], live=True, limit=50) for w in typed for k in range(3, 7)]
    typos = []

    def known(text: str) -> bool:
        return any(t in vocab.df for t in vocabulary.tokens(conn, text))

    for n, term in enumerate(_words(conn, vocab, 0.002, 0.02, 36, min_len=6)):
        # A person misspells the word as written ("fosaunous"), not its stem ("fosaun").
        word = vocabulary.surface(conn, term) or term
        wrong = _misspell(word, known, n)
        if wrong:
            typos.append(Case(wrong, reference=word))
    many = _words(conn, vocab, 0.05, 0.7, 60, min_len=4)
    titles = _title_words(conn, many, 6)
    pairs = list(zip(common, common[1:], strict=False))[:6]
    rows = [
        Row("rare word", [Case(w) for w in rare]),
        Row("mid word (~1 %)", [Case(w) for w in mid]),
        Row("common word (30-70 %)", [Case(w) for w in common]),
        Row("the", [Case("the")]),
        Row("two common words", [Case(f"{a} {b}") for a, b in pairs]),
        Row("phrase of common words", [Case(f'"{p}"') for p in _phrases(conn, common_set, 6)]),
        Row(
            "phrase of 3 common words",
            [Case(f'"{p}"') for p in _phrases(conn, common_set, 6, size=3)],
        ),
        Row('phrase "the <mid>"', [Case(f'"the {w}"') for w in mid]),
        Row("common NOT common", [Case(f"{a} -{b}") for a, b in pairs]),
        Row("title: common title word", [Case(f"title:{w}") for w in titles]),
        Row("typing: 1-2 keys (live, 50)", short),
        Row("typing: 3-6 keys, prefix (live, 50)", prefixes),
        Row("typo of a mid word", typos),
        Row("~substring", [Case(f"~{w[1:5]}") for w in mid[:4]]),
    ]
    return [r for r in rows if r.cases]


# -- the reference -------------------------------------------------------------------------------
def _expression(case: Case) -> str | None:
    """The reference's MATCH expression: the query as Margin reads it (``parse_query``:
    while typing, the last word is a prefix from its third letter on)."""
    return fts_expression(search_mod.parse_query(case.reference or case.text, live=case.live))


def exact(conn: sqlite3.Connection, expression: str, limit: int) -> list[tuple[int, float]]:
    """The exact top ``limit``: FTS5 ranks every match by Margin's bm25 weights."""
    weights = search_mod._W
    return conn.execute(
        f"SELECT rowid, bm25(articles_fts, {weights}) AS s FROM articles_fts "
        "WHERE articles_fts MATCH ? ORDER BY s, rowid LIMIT ?",
        (expression, limit),
    ).fetchall()


def reference(conn: sqlite3.Connection, expression: str, limit: int) -> list[tuple[int, float]]:
    """What the reference costs: the exact ranking plus a snippet per hit."""
    ranked = exact(conn, expression, limit)
    for rowid, _ in ranked:
        conn.execute(
            "SELECT snippet(articles_fts, 4, '[', ']', '…', 24) FROM articles_fts "
            "WHERE articles_fts MATCH ? AND rowid = ?",
            (expression, rowid),
        ).fetchone()
    return ranked


def exact_scores(conn: sqlite3.Connection, expression: str, ids: list[int]) -> dict[int, float]:
    """The exact bm25 of some articles for an expression (absent: not a match)."""
    if not ids:
        return {}
    marks = ",".join(str(int(i)) for i in ids)
    return dict(
        conn.execute(
            f"SELECT rowid, bm25(articles_fts, {search_mod._W}) FROM articles_fts "
            f"WHERE articles_fts MATCH ? AND +rowid IN ({marks})",
            (expression,),
        ).fetchall()
    )


def _at_most(score: float, bound: float) -> bool:
    return score <= bound + 1e-9 * max(1e-12, abs(bound))


def judge(
    conn: sqlite3.Connection, expression: str, truth: list[tuple[int, float]], ids: list[int]
) -> tuple[float, bool]:
    """(overlap@20, exact top-1 present) of Margin's first 20 ids, ties counted as equal."""
    want = truth[:TOP]
    if not want:
        return (1.0 if not ids else 0.0), True
    mine = ids[:TOP]
    scores = exact_scores(conn, expression, mine)
    last, first = want[-1][1], want[0][1]
    good = sum(1 for i in mine if i in scores and _at_most(scores[i], last))
    top1 = any(i in scores and _at_most(scores[i], first) for i in mine)
    return min(1.0, good / len(want)), top1


# -- running -----------------------------------------------------------------------------------
def _ms(fn) -> tuple[float, object]:
    t = time.perf_counter()
    out = fn()
    return (time.perf_counter() - t) * 1000, out


def run(conn: sqlite3.Connection, rows: list[Row], repeat: int) -> None:
    """Time Margin and the reference interleaved; judge every answer."""
    for row in rows:
        for case in row.cases:
            expression = _expression(case)

            def ours(case: Case = case):
                return search_mod.search_results(conn, case.text, live=case.live, limit=case.limit)

            started = time.perf_counter()
            first = ours()  # warm-up (and the answer judged)
            row.first_ms.append((time.perf_counter() - started) * 1000)
            row.plans.add(first.plan + ("+corrected" if first.corrected else ""))
            slow_ref = False
            if expression and row.label != "~substring":
                t_ref, _ = _ms(lambda e=expression, c=case: reference(conn, e, c.limit))
                slow_ref = t_ref > 250
            for n in range(repeat):
                cpu = time.thread_time()
                row.ours.append(_ms(ours)[0])
                row.ours_cpu.append((time.thread_time() - cpu) * 1000)
                if expression and row.label != "~substring" and (not slow_ref or n == 0):
                    row.ref.append(_ms(lambda e=expression, c=case: reference(conn, e, c.limit))[0])
            ids = [h.id for h in first.hits]
            if row.label == "~substring":
                needle = case.text.lstrip("~")
                marks = ",".join(str(i) for i in ids) or "0"
                good = conn.execute(
                    "SELECT count(*) FROM article_texts WHERE id IN "
                    f"({marks}) AND instr(lower(title || ' ' || coalesce(author, '') || ' ' || "
                    "coalesce(source, '') || ' ' || coalesce(section, '') || ' ' || body_text), ?)",
                    (needle,),
                ).fetchone()[0]
                row.overlaps.append(good / len(ids) if ids else 1.0)
                continue
            if not expression:
                continue
            truth = exact(conn, expression, TOP)
            if not truth:
                if ids:  # e.g. two letters that are no word: Margin shows substring matches
                    row.notes.append(
                        f"{case.text!r}: no bm25 match; {first.plan} shown, not judged"
                    )
                continue
            overlap, top1 = judge(conn, expression, truth, ids)
            row.overlaps.append(overlap)
            row.top1.append(top1)
            if case.reference:
                meant = vocabulary.tokens(conn, case.reference)
                row.right.append(vocabulary.tokens(conn, first.corrected or case.text) == meant)
                if not row.right[-1]:
                    row.notes.append(
                        f"{case.text} -> {first.corrected or case.text} (meant {case.reference})"
                    )
        if row.label == "~substring":
            row.notes.append("overlap column = precision (no bm25 order for substrings)")
        if row.label.startswith("phrase") and row.first_ms:
            row.notes.append(
                f"first run of each at most {max(row.first_ms):.1f} ms "
                "(a broad phrase without a list gets one then: one ranking of every match)"
            )
        if row.right:
            row.notes.append(
                f"corrected to the intended word: {sum(row.right)} of {len(row.right)}; "
                f"first run of each (cold caches) at most {max(row.first_ms):.1f} ms"
            )
        print(f"  {row.label}: done", file=sys.stderr)


def table(rows: list[Row], articles: int) -> str:
    """The Markdown table of every class."""
    lines = [
        f"Search quality and speed on {articles:,} articles (Margin vs exact FTS5 bm25, "
        "interleaved, same database and weights)",
        "",
        "| class | n | Margin p50 | p95 | (cpu p50 | p95) | exact p50 | p95 | overlap@20 | top-1 "
        "| plans | ok |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        f = row.figures()

        def num(v: object, unit: str = "") -> str:
            return "–" if v is None else f"{v}{unit}"

        lines.append(
            f"| {f['class']} | {f['queries']} | {f['p50_ms']} ms | {f['p95_ms']} ms | "
            f"{num(f['cpu_p50_ms'], ' ms')} | {num(f['cpu_p95_ms'], ' ms')} | "
            f"{num(f['exact_p50_ms'], ' ms')} | {num(f['exact_p95_ms'], ' ms')} | "
            f"{num(f['overlap20'])} | {num(f['top1_present'])} | {', '.join(f['plans'])} | "
            f"{'yes' if f['ok'] else 'NO'} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Build or reuse the library, choose the queries, run, print, write JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--json-out", type=Path)
    args = parser.parse_args(argv)
    path = library_path(args.size)
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    migrations.apply(conn)
    t = time.perf_counter()
    status = search_mod.refresh_vocabulary(conn)
    print(f"vocabulary/impact: {status} in {time.perf_counter() - t:.1f} s", file=sys.stderr)
    rows = choose(conn)
    run(conn, rows, args.repeat)
    articles = vocabulary.load(conn).articles
    load = os.getloadavg()[0]
    print(table(rows, articles))
    print(f"\nload average (1 min) at the end: {load:.2f} on {os.cpu_count()} cores")
    for row in rows:
        for note in row.notes:
            print(f"  {row.label}: {note}")
    figures = [r.figures() for r in rows]
    ok = all(f["ok"] for f in figures)
    print(
        f"\nok: {ok}  (quality: {all(f['quality_ok'] for f in figures)}, "
        f"speed: {all(f['speed_ok'] for f in figures)})"
    )
    if args.json_out:
        args.json_out.write_text(
            json.dumps({"articles": articles, "ok": ok, "load": load, "classes": figures}, indent=2)
        )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
